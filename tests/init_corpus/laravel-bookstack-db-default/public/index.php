    require __DIR__ . '/../storage/framework/maintenance.php';
require __DIR__ . '/../vendor/autoload.php';
$response = tap($kernel->handle(

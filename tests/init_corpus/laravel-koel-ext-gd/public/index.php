require __DIR__.'/../bootstrap/autoload.php';
$response = tap($kernel->handle(

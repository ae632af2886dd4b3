require __DIR__.'/app/common.php';

    require __DIR__.'/app/common.php';
    $container['router']->dispatch();

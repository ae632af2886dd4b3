<?php

return [
    'default' => env('QUEUE_CONNECTION', env('QUEUE_DRIVER', 'redis')),
];

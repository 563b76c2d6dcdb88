--TEST--
zendmm_heap_map(): ValueError for an unknown format or a width out of range; TypeError for wrong types; the process heap
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
function attempt(callable $f) {
    try {
        $r = $f();
        echo "no error: ", substr(strtok($r, "\n"), 0, 40), "\n";
    } catch (Throwable $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
attempt(fn() => zendmm_heap_map($h, 'png'));
attempt(fn() => zendmm_heap_map($h, 'TEXT'));
attempt(fn() => zendmm_heap_map($h, ''));
attempt(fn() => zendmm_heap_map($h, "svg\0"));
attempt(fn() => zendmm_heap_map($h, 'text', 39));
attempt(fn() => zendmm_heap_map($h, 'text', 1001));
attempt(fn() => zendmm_heap_map($h, 'text', -1));
attempt(fn() => zendmm_heap_map($h, 'svg', 399));
attempt(fn() => zendmm_heap_map($h, 'svg', PHP_INT_MAX));
attempt(fn() => zendmm_heap_map($h, 'text', 40));
attempt(fn() => zendmm_heap_map($h, 'svg', 400));
attempt(fn() => zendmm_heap_map($h, 'json', -5));
attempt(fn() => zendmm_heap_map($h, []));
attempt(fn() => zendmm_heap_map(new stdClass));
attempt(fn() => zendmm_heap_map($h, 'text', 'wide'));
attempt(fn() => zendmm_heap_map(zendmm_heap()));
var_dump(zendmm_check_heap($h));
?>
--EXPECTF--
ValueError: zendmm_heap_map(): Argument #2 ($format) must be one of "text", "svg", "json", "html"
ValueError: zendmm_heap_map(): Argument #2 ($format) must be one of "text", "svg", "json", "html"
ValueError: zendmm_heap_map(): Argument #2 ($format) must be one of "text", "svg", "json", "html"
ValueError: zendmm_heap_map(): Argument #2 ($format) must be one of "text", "svg", "json", "html"
ValueError: zendmm_heap_map(): Argument #3 ($width) must be between 40 and 1000 for the "text" format
ValueError: zendmm_heap_map(): Argument #3 ($width) must be between 40 and 1000 for the "text" format
ValueError: zendmm_heap_map(): Argument #3 ($width) must be between 40 and 1000 for the "text" format
ValueError: zendmm_heap_map(): Argument #3 ($width) must be between 400 and 20000 for the "svg" format
ValueError: zendmm_heap_map(): Argument #3 ($width) must be between 400 and 20000 for the "svg" format
no error: heap map: 1 segment, 3 blocks (newest se
no error: <?xml version="1.0" encoding="UTF-8"?>
no error: {"map":1,"complete":true,"stats":{"use_z
TypeError: zendmm_heap_map(): Argument #2 ($format) must be of type string, array given
TypeError: zendmm_heap_map(): Argument #1 ($heap) must be of type ZendMM\Heap, stdClass given
TypeError: zendmm_heap_map(): Argument #3 ($width) must be of type ?int, string given
no error: heap map: %s
array(0) {
}

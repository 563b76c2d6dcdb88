--TEST--
TypeError for wrong argument types (strict_types), including a heap that is not a ZendMM\Heap
--FILE--
<?php
declare(strict_types=1);
$h = zendmm_heap_create(['use_zend_alloc' => true]);
$keep = zendmm_estrdup($h, 'keep me');
// PHP 8.3 names a false argument by its value where 8.2 names its type ("false given" against
// "bool given"): each version must use its own word, which is printed as <false>
const FALSE_GIVEN = PHP_VERSION_ID >= 80300 ? ', false given' : ', bool given';
function attempt(callable $f) {
    global $h, $keep;
    try {
        $f();
        echo "no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ": ", str_replace(FALSE_GIVEN, ', <false> given', $e->getMessage()), "\n";
    }
    if (zendmm_check_heap($h) !== [] || zendmm_read($h, $keep, 7) !== 'keep me') {
        echo "  HEAP DAMAGED\n";
    }
}
attempt(fn() => zendmm_emalloc(new stdClass, 10));
attempt(fn() => zendmm_emalloc(null, 10));
attempt(fn() => zendmm_emalloc($h, 'ten'));
attempt(fn() => zendmm_emalloc($h, 1.5));
attempt(fn() => zendmm_emalloc($h, []));
attempt(fn() => zendmm_ecalloc($h, 1, 'x'));
attempt(fn() => zendmm_erealloc($h, 'ptr', 1));
attempt(fn() => zendmm_efree($h, null));
attempt(fn() => zendmm_safe_emalloc($h, 1, 1, 'x'));
attempt(fn() => zendmm_estrdup($h, []));
attempt(fn() => zendmm_estrndup($h, 'abc', '1x'));
attempt(fn() => zendmm_write($h, $keep, []));
attempt(fn() => zendmm_read($h, $keep, 'all'));
attempt(fn() => zendmm_block_info('heap', $keep));
attempt(fn() => zendmm_stats(42));
attempt(fn() => zendmm_memory_usage($h, []));
attempt(fn() => zendmm_buckets(new ArrayObject));
attempt(fn() => zendmm_segments(false));
attempt(fn() => zendmm_set_storage($h, []));
attempt(fn() => zendmm_set_limit($h, '1M'));
attempt(fn() => zendmm_check_heap());
attempt(fn() => zendmm_compact($h, 1));
attempt(fn() => zendmm_shutdown($h, []));
attempt(fn() => zendmm_heap_create('malloc'));
attempt(fn() => zendmm_heap(1));
attempt(fn() => zendmm_storage_schemes(1));
attempt(fn() => zendmm_emalloc($h, '16'));
attempt(fn() => zendmm_write($h, $keep, 42));
?>
--EXPECT--
TypeError: zendmm_emalloc(): Argument #1 ($heap) must be of type ZendMM\Heap, stdClass given
TypeError: zendmm_emalloc(): Argument #1 ($heap) must be of type ZendMM\Heap, null given
TypeError: zendmm_emalloc(): Argument #2 ($size) must be of type int, string given
TypeError: zendmm_emalloc(): Argument #2 ($size) must be of type int, float given
TypeError: zendmm_emalloc(): Argument #2 ($size) must be of type int, array given
TypeError: zendmm_ecalloc(): Argument #3 ($size) must be of type int, string given
TypeError: zendmm_erealloc(): Argument #2 ($ptr) must be of type int, string given
TypeError: zendmm_efree(): Argument #2 ($ptr) must be of type int, null given
TypeError: zendmm_safe_emalloc(): Argument #4 ($offset) must be of type int, string given
TypeError: zendmm_estrdup(): Argument #2 ($s) must be of type string, array given
TypeError: zendmm_estrndup(): Argument #3 ($length) must be of type int, string given
TypeError: zendmm_write(): Argument #3 ($data) must be of type string, array given
TypeError: zendmm_read(): Argument #3 ($length) must be of type ?int, string given
TypeError: zendmm_block_info(): Argument #1 ($heap) must be of type ZendMM\Heap, string given
TypeError: zendmm_stats(): Argument #1 ($heap) must be of type ZendMM\Heap, int given
TypeError: zendmm_memory_usage(): Argument #2 ($real) must be of type bool, array given
TypeError: zendmm_buckets(): Argument #1 ($heap) must be of type ZendMM\Heap, ArrayObject given
TypeError: zendmm_segments(): Argument #1 ($heap) must be of type ZendMM\Heap, <false> given
TypeError: zendmm_set_storage(): Argument #2 ($scheme) must be of type string, array given
TypeError: zendmm_set_limit(): Argument #2 ($limit) must be of type int, string given
ArgumentCountError: zendmm_check_heap() expects exactly 1 argument, 0 given
ArgumentCountError: zendmm_compact() expects exactly 1 argument, 2 given
TypeError: zendmm_shutdown(): Argument #2 ($full) must be of type bool, array given
TypeError: zendmm_heap_create(): Argument #1 ($options) must be of type array, string given
ArgumentCountError: zendmm_heap() expects exactly 0 arguments, 1 given
ArgumentCountError: zendmm_storage_schemes() expects exactly 0 arguments, 1 given
TypeError: zendmm_emalloc(): Argument #2 ($size) must be of type int, string given
TypeError: zendmm_write(): Argument #3 ($data) must be of type string, int given

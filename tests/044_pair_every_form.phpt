--TEST--
emalloc/efree: the usual call (a heap and an int) and every other form of it give the same results and errors
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true, 'limit' => 1 << 20]);
function attempt(string $label, callable $f) {
    global $h;
    try {
        $r = $f();
        echo "$label: ", is_int($r) ? 'a block' : var_export($r, true), "\n";
    } catch (Throwable $e) {
        echo "$label: ", get_class($e), ": ", $e->getMessage(), "\n";
    }
    if (zendmm_check_heap($h) !== []) {
        echo "  HEAP DAMAGED\n";
    }
}
// the size as an int, or converted (weak mode): the same block, the same accounting
foreach (['int' => 64, 'numeric string' => '64', 'float' => 64.0, 'bool' => true] as $label => $size) {
    $p = zendmm_emalloc($h, $size);
    $s = zendmm_stats($h);
    echo "$label: size ", zendmm_block_info($h, $p)['size'], ", live_blocks ", $s['live_blocks'], ", size ", $s['size'], "\n";
    zendmm_efree($h, $label === 'int' ? $p : (string)$p);   // the pointer as an int or a numeric string
    echo "  freed: live_blocks ", zendmm_stats($h)['live_blocks'], "\n";
}
// named arguments arrive in their places
$p = zendmm_emalloc(size: 10, heap: $h);
zendmm_efree(ptr: $p, heap: $h);
echo "named: live_blocks ", zendmm_stats($h)['live_blocks'], "\n";
// efree(0) is a no-op in every form
$before = zendmm_stats($h);
zendmm_efree($h, 0);
zendmm_efree($h, '0');
zendmm_efree($h, false);
echo "efree(0): stats unchanged ", var_export($before === zendmm_stats($h), true), "\n";

attempt('double free', function () use ($h) {
    $p = zendmm_emalloc($h, 64);
    zendmm_efree($h, $p);
    zendmm_efree($h, $p);
});
attempt('double free, pointer as a string', function () use ($h) {
    $p = zendmm_emalloc($h, 64);
    zendmm_efree($h, $p);
    zendmm_efree($h, (string)$p);
});
attempt('over the limit', fn() => zendmm_emalloc($h, 2 << 20));
attempt('over the limit, size as a string', fn() => zendmm_emalloc($h, (string)(2 << 20)));
// an error does not stick to the heap: the next calls succeed
attempt('after the errors', function () use ($h) {
    zendmm_efree($h, zendmm_emalloc($h, 100));
    return zendmm_emalloc($h, 100);
});
attempt('negative size', fn() => zendmm_emalloc($h, -1));
attempt('negative size as a string', fn() => zendmm_emalloc($h, '-1'));
attempt('non-numeric size', fn() => zendmm_emalloc($h, 'big'));
attempt('too few', fn() => zendmm_emalloc($h));
attempt('too many', fn() => zendmm_emalloc($h, 1, 2));
attempt('efree too many', fn() => zendmm_efree($h, 1, 2));
attempt('not a heap', fn() => zendmm_emalloc(new stdClass, 1));
attempt('efree not a heap', fn() => zendmm_efree(new ArrayObject([]), 1));
// the process heap takes the general path: same behaviour
$ph = zendmm_heap();
$p = zendmm_emalloc($ph, 64);
echo "process heap: size ", zendmm_block_info($ph, $p)['size'], "\n";
zendmm_efree($ph, $p);
attempt('process heap double free', fn() => zendmm_efree($ph, $p));
attempt('process heap negative size', fn() => zendmm_emalloc($ph, -5));
// a block of one heap is foreign to another, in every form
$other = zendmm_heap_create();
$q = zendmm_emalloc($other, 64);
attempt('foreign', fn() => zendmm_efree($h, $q));
attempt('foreign, as a string', fn() => zendmm_efree($h, (string)$q));
zendmm_efree($other, $q);
var_dump(zendmm_check_heap($other), zendmm_stats($h)['live_blocks']);
?>
--EXPECT--
int: size 64, live_blocks 1, size 8288
  freed: live_blocks 0
numeric string: size 64, live_blocks 1, size 8288
  freed: live_blocks 0
float: size 64, live_blocks 1, size 8288
  freed: live_blocks 0
bool: size 1, live_blocks 1, size 8320
  freed: live_blocks 0
named: live_blocks 0
efree(0): stats unchanged true
double free: ValueError: zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
double free, pointer as a string: ValueError: zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
over the limit: ZendMM\MemoryLimitException: Allowed memory size of 1048576 bytes exhausted (tried to allocate 2097152 bytes)
over the limit, size as a string: ZendMM\MemoryLimitException: Allowed memory size of 1048576 bytes exhausted (tried to allocate 2097152 bytes)
after the errors: a block
negative size: ValueError: zendmm_emalloc(): Argument #2 ($size) must be greater than or equal to 0
negative size as a string: ValueError: zendmm_emalloc(): Argument #2 ($size) must be greater than or equal to 0
non-numeric size: TypeError: zendmm_emalloc(): Argument #2 ($size) must be of type int, string given
too few: ArgumentCountError: zendmm_emalloc() expects exactly 2 arguments, 1 given
too many: ArgumentCountError: zendmm_emalloc() expects exactly 2 arguments, 3 given
efree too many: ArgumentCountError: zendmm_efree() expects exactly 2 arguments, 3 given
not a heap: TypeError: zendmm_emalloc(): Argument #1 ($heap) must be of type ZendMM\Heap, stdClass given
efree not a heap: TypeError: zendmm_efree(): Argument #1 ($heap) must be of type ZendMM\Heap, ArrayObject given
process heap: size 64
process heap double free: ValueError: zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
process heap negative size: ValueError: zendmm_emalloc(): Argument #2 ($size) must be greater than or equal to 0
foreign: ValueError: zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
foreign, as a string: ValueError: zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
array(0) {
}
int(1)
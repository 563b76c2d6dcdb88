--TEST--
ValueError for every refused value: negative sizes, bad lengths, unknown schemes, bad limits
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
$keep = zendmm_estrdup($h, 'keep me');
$p = zendmm_emalloc($h, 10);
$before = zendmm_stats($h)['size'];
function attempt(callable $f) {
    global $h, $keep;
    try {
        $f();
        echo "no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
    if (zendmm_check_heap($h) !== [] || zendmm_read($h, $keep, 7) !== 'keep me') {
        echo "  HEAP DAMAGED\n";
    }
}
attempt(fn() => zendmm_emalloc($h, -1));
attempt(fn() => zendmm_emalloc($h, PHP_INT_MIN));
attempt(fn() => zendmm_ecalloc($h, -1, 10));
attempt(fn() => zendmm_ecalloc($h, 10, -1));
attempt(fn() => zendmm_erealloc($h, $p, -1));
attempt(fn() => zendmm_safe_emalloc($h, -1, 1, 1));
attempt(fn() => zendmm_safe_emalloc($h, 1, -1, 1));
attempt(fn() => zendmm_safe_emalloc($h, 1, 1, -1));
attempt(fn() => zendmm_estrndup($h, 'abc', 4));
attempt(fn() => zendmm_estrndup($h, 'abc', -1));
attempt(fn() => zendmm_set_storage($h, 'win64'));
attempt(fn() => zendmm_set_storage($h, ''));
attempt(fn() => zendmm_set_storage($h, "malloc\0"));
attempt(fn() => zendmm_set_limit($h, -5));
echo "size unchanged: ", var_export(zendmm_stats($h)['size'] === $before, true), "\n";
// sizes of 0 are fine, as 5.3's emalloc(0) gave a minimum block
foreach ([zendmm_emalloc($h, 0), zendmm_ecalloc($h, 0, 5), zendmm_ecalloc($h, 5, 0), zendmm_safe_emalloc($h, 0, 0, 0),
          zendmm_estrndup($h, 'abc', 0), zendmm_erealloc($h, $p, 0)] as $z) {
    $i = zendmm_block_info($h, $z);
    echo $i['size'], '/', $i['true_size'], ' ';
}
echo "\n";
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
ValueError: zendmm_emalloc(): Argument #2 ($size) must be greater than or equal to 0
ValueError: zendmm_emalloc(): Argument #2 ($size) must be greater than or equal to 0
ValueError: zendmm_ecalloc(): Argument #2 ($nmemb) must be greater than or equal to 0
ValueError: zendmm_ecalloc(): Argument #3 ($size) must be greater than or equal to 0
ValueError: zendmm_erealloc(): Argument #3 ($size) must be greater than or equal to 0
ValueError: zendmm_safe_emalloc(): Argument #2 ($nmemb) must be greater than or equal to 0
ValueError: zendmm_safe_emalloc(): Argument #3 ($size) must be greater than or equal to 0
ValueError: zendmm_safe_emalloc(): Argument #4 ($offset) must be greater than or equal to 0
ValueError: zendmm_estrndup(): Argument #3 ($length) must be between 0 and the length of argument #2 ($s) (3)
ValueError: zendmm_estrndup(): Argument #3 ($length) must be between 0 and the length of argument #2 ($s) (3)
ValueError: zendmm_set_storage(): Argument #2 ($scheme) must be a storage scheme of this build (malloc, mmap_anon, mmap_zero)
ValueError: zendmm_set_storage(): Argument #2 ($scheme) must be a storage scheme of this build (malloc, mmap_anon, mmap_zero)
ValueError: zendmm_set_storage(): Argument #2 ($scheme) must be a storage scheme of this build (malloc, mmap_anon, mmap_zero)
ValueError: zendmm_set_limit(): Argument #2 ($limit) must be -1 (no limit) or greater than or equal to 0
size unchanged: true
0/32 0/32 0/32 0/32 1/32 0/32 
array(0) {
}

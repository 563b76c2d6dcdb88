--TEST--
Out of memory and integer overflow: ZendMM\OutOfMemoryException, never a fatal error; the heap stays intact
--INI--
pcre.jit=0
--FILE--
<?php
// mmap_anon where the build has it: valgrind flags a malloc() of 2^63 bytes as "fishy", not a failing mmap()
$storage = in_array('mmap_anon', zendmm_storage_schemes(), true) ? 'mmap_anon' : zendmm_storage_schemes()[0];
$h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => $storage]);
$keep = zendmm_estrdup($h, 'keep me');
function attempt(string $label, callable $f) {
    global $h, $keep;
    try {
        $f();
        echo "$label: no error\n";
    } catch (ZendMM\Exception $e) {
        printf("%s: %s (code %d): %s\n", $label, get_class($e), $e->getCode(),
            preg_replace('/allocated \d+\)/', 'allocated N)', $e->getMessage()));
    }
    echo "  check: ", json_encode(zendmm_check_heap($h)), ", keep: ", zendmm_read($h, $keep, 7), "\n";
}
attempt('emalloc PHP_INT_MAX', fn() => zendmm_emalloc($h, PHP_INT_MAX));
attempt('emalloc 2^62', fn() => zendmm_emalloc($h, 1 << 62));
$p = zendmm_estrdup($h, 'still here');
attempt('erealloc PHP_INT_MAX', fn() => zendmm_erealloc($h, $p, PHP_INT_MAX));
var_dump(zendmm_read($h, $p, 10));
attempt('ecalloc overflow', fn() => zendmm_ecalloc($h, PHP_INT_MAX, 3));
attempt('safe_emalloc overflow', fn() => zendmm_safe_emalloc($h, 1 << 40, 1 << 30, 5));
attempt('safe_emalloc offset overflow', fn() => zendmm_safe_emalloc($h, 2, PHP_INT_MAX, PHP_INT_MAX));
attempt('safe_emalloc no overflow, too big', fn() => zendmm_safe_emalloc($h, 1, PHP_INT_MAX, PHP_INT_MAX));
var_dump(ZendMM\OutOfMemoryException::class, is_a('ZendMM\OutOfMemoryException', 'ZendMM\Exception', true));
// still usable
$q = zendmm_emalloc($h, 1000);
zendmm_write($h, $q, 'fine');
var_dump(zendmm_read($h, $q, 4));
?>
--EXPECT--
emalloc PHP_INT_MAX: ZendMM\OutOfMemoryException (code 2): Out of memory (allocated N) (tried to allocate 9223372036854775807 bytes)
  check: [], keep: keep me
emalloc 2^62: ZendMM\OutOfMemoryException (code 2): Out of memory (allocated N) (tried to allocate 4611686018427387904 bytes)
  check: [], keep: keep me
erealloc PHP_INT_MAX: ZendMM\OutOfMemoryException (code 2): Out of memory (allocated N) (tried to allocate 9223372036854775807 bytes)
  check: [], keep: keep me
string(10) "still here"
ecalloc overflow: ZendMM\OutOfMemoryException (code 3): Possible integer overflow in memory allocation (9223372036854775807 * 3 + 0)
  check: [], keep: keep me
safe_emalloc overflow: ZendMM\OutOfMemoryException (code 3): Possible integer overflow in memory allocation (1099511627776 * 1073741824 + 5)
  check: [], keep: keep me
safe_emalloc offset overflow: ZendMM\OutOfMemoryException (code 3): Possible integer overflow in memory allocation (2 * 9223372036854775807 + 9223372036854775807)
  check: [], keep: keep me
safe_emalloc no overflow, too big: ZendMM\OutOfMemoryException (code 2): Out of memory (allocated N) (tried to allocate 18446744073709551614 bytes)
  check: [], keep: keep me
string(27) "ZendMM\OutOfMemoryException"
bool(true)
string(4) "fine"

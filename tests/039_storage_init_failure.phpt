--TEST--
A storage that cannot start (mmap_zero when no descriptor is left): ZendMM\OutOfMemoryException, the heap keeps its scheme
--SKIPIF--
<?php
if (!in_array('mmap_zero', zendmm_storage_schemes(), true)) die('skip no mmap_zero');
?>
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'malloc']);
$p = zendmm_estrdup($h, 'keep me');
// use up every file descriptor: open("/dev/zero") fails
$fds = [];
while (count($fds) < 100000 && ($fd = @fopen('/dev/null', 'r'))) {
    $fds[] = $fd;
}
var_dump(count($fds) > 10);
try {
    zendmm_heap_create(['storage' => 'mmap_zero']);
} catch (ZendMM\Exception $e) {
    echo get_class($e), " (code ", $e->getCode(), "): ", $e->getMessage(), "\n";
}
try {
    zendmm_set_storage($h, 'mmap_zero');
} catch (ZendMM\Exception $e) {
    echo get_class($e), " (code ", $e->getCode(), "): ", $e->getMessage(), "\n";
}
var_dump(zendmm_stats($h)['storage'], zendmm_check_heap($h), zendmm_read($h, $p, 7));
$fds = [];
var_dump(zendmm_set_storage($h, 'mmap_anon'));
$q = zendmm_emalloc($h, 1 << 20);
echo zendmm_block_info($h, $q)['storage'], "\n";
?>
--EXPECT--
bool(true)
ZendMM\OutOfMemoryException (code 5): Cannot initialize zend_mm storage [mmap_zero]
ZendMM\OutOfMemoryException (code 5): Cannot initialize zend_mm storage [mmap_zero]
string(6) "malloc"
array(0) {
}
string(7) "keep me"
string(6) "malloc"
mmap_anon

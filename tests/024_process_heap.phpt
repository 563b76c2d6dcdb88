--TEST--
zendmm_heap(): the process-wide heap made at module startup; its wrapper never destroys it
--SKIPIF--
<?php
foreach (['ZEND_MM_MEM_TYPE', 'ZEND_MM_SEG_SIZE', 'ZEND_MM_COMPACT'] as $v) {
    if (getenv($v) !== false) die("skip $v is set");
}
?>
--FILE--
<?php
$h = zendmm_heap();
var_dump($h instanceof ZendMM\Heap, $h === zendmm_heap());
$s = zendmm_stats($h);
echo "storage ", $s['storage'], ", segment_size ", $s['segment_size'], ", limit ", $s['limit'], ", real_size ", $s['real_size'],
    ", size ", $s['size'], ", use_zend_alloc follows USE_ZEND_ALLOC: ",
    var_export($s['use_zend_alloc'] === (getenv('USE_ZEND_ALLOC') === '0' ? 0 : 1), true), "\n";
$p = zendmm_estrdup($h, 'process-wide');
unset($h);                      // the wrapper goes, the heap stays
$h = zendmm_heap();
var_dump(zendmm_read($h, $p, 12));
// a partial shutdown, as at the end of every request: earlier pointers die
zendmm_shutdown($h);
try {
    zendmm_read($h, $p);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
echo "after partial: real_size ", zendmm_memory_usage($h, true), ", size ", zendmm_memory_usage($h), "\n";
// a full one re-makes it from the startup configuration
$q = zendmm_emalloc($h, 10);
zendmm_set_limit($h, 1 << 20);
zendmm_shutdown($h, true);
try {
    zendmm_efree($h, $q);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
$s = zendmm_stats($h);
echo "after full: real_size ", $s['real_size'], ", size ", $s['size'], ", limit ", $s['limit'], "\n";
var_dump(zendmm_check_heap(zendmm_heap()));
// a pointer of the process heap is not a block of another heap, and the other way round
$mine = zendmm_heap_create();
$r = zendmm_emalloc(zendmm_heap(), 10);
try {
    zendmm_efree($mine, $r);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
zendmm_efree(zendmm_heap(), $r);
echo "done\n";
?>
--EXPECT--
bool(true)
bool(true)
storage malloc, segment_size 262144, limit -1, real_size 262144, size 8208, use_zend_alloc follows USE_ZEND_ALLOC: true
string(12) "process-wide"
zendmm_read(): Argument #2 ($ptr) must be a live block of this heap
after partial: real_size 262144, size 8208
zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
after full: real_size 262144, size 8208, limit -1
array(0) {
}
zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
done

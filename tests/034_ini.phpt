--TEST--
INI zendmm_ext.*: defaults of the process heap and of new heaps; an option still wins
--INI--
zendmm_ext.mem_type=mmap_zero
zendmm_ext.segment_size=64K
zendmm_ext.compact_size=0x100000
zendmm_ext.limit=16M
--SKIPIF--
<?php
if (PHP_OS_FAMILY === 'Windows') die('skip not for Windows');
foreach (['ZEND_MM_MEM_TYPE', 'ZEND_MM_SEG_SIZE', 'ZEND_MM_COMPACT'] as $v) {
    if (getenv($v) !== false) die("skip $v is set");
}
?>
--FILE--
<?php
foreach (['mem_type', 'segment_size', 'compact_size', 'limit'] as $k) {
    echo "zendmm_ext.$k = ", ini_get("zendmm_ext.$k"), "\n";
}
foreach (['process' => zendmm_heap(), 'new' => zendmm_heap_create()] as $label => $h) {
    $s = zendmm_stats($h);
    echo "$label: storage ", $s['storage'], ", segment_size ", $s['segment_size'], ", real_size ", $s['real_size'],
        ", compact_size ", $s['compact_size'], ", limit ", $s['limit'], "\n";
}
$s = zendmm_stats(zendmm_heap_create(['storage' => 'malloc', 'segment_size' => 262144, 'limit' => -1, 'compact_size' => 5]));
echo "options: storage ", $s['storage'], ", segment_size ", $s['segment_size'], ", compact_size ", $s['compact_size'],
    ", limit ", $s['limit'], "\n";
?>
--EXPECT--
zendmm_ext.mem_type = mmap_zero
zendmm_ext.segment_size = 64K
zendmm_ext.compact_size = 0x100000
zendmm_ext.limit = 16M
process: storage mmap_zero, segment_size 65536, real_size 65536, compact_size 1048576, limit 16777216
new: storage mmap_zero, segment_size 65536, real_size 65536, compact_size 1048576, limit 16777216
options: storage malloc, segment_size 262144, compact_size 5, limit -1

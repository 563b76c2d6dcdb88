--TEST--
ini_set('zendmm_ext.*') at run time: new heaps follow it, the process heap (made at startup) does not; bad values are refused
--SKIPIF--
<?php
if (PHP_OS_FAMILY === 'Windows') die('skip not for Windows');
foreach (['ZEND_MM_MEM_TYPE', 'ZEND_MM_SEG_SIZE', 'ZEND_MM_COMPACT'] as $v) {
    if (getenv($v) !== false) die("skip $v is set");
}
?>
--FILE--
<?php
var_dump(ini_set('zendmm_ext.mem_type', 'mmap_anon'));
var_dump(ini_set('zendmm_ext.segment_size', '512k'));
var_dump(ini_set('zendmm_ext.limit', '4M'));
var_dump(ini_set('zendmm_ext.compact_size', '0'));
$s = zendmm_stats(zendmm_heap_create());
echo "new: ", $s['storage'], " ", $s['segment_size'], " ", $s['limit'], " ", $s['compact_size'], "\n";
$s = zendmm_stats(zendmm_heap());
echo "process: ", $s['storage'], " ", $s['segment_size'], " ", $s['limit'], " ", $s['compact_size'], "\n";
var_dump(ini_set('zendmm_ext.segment_size', '100'));
var_dump(ini_set('zendmm_ext.segment_size', '16'));
var_dump(ini_set('zendmm_ext.mem_type', 'win32x'));
var_dump(ini_set('zendmm_ext.limit', '-7'));
var_dump(ini_get('zendmm_ext.segment_size'), ini_get('zendmm_ext.mem_type'), ini_get('zendmm_ext.limit'));
ini_restore('zendmm_ext.segment_size');
echo zendmm_stats(zendmm_heap_create())['segment_size'], "\n";
?>
--EXPECTF--
string(6) "malloc"
string(4) "256K"
string(2) "-1"
string(2) "2M"
new: mmap_anon 524288 4194304 0
process: malloc 262144 -1 2097152

Warning: ini_set(): zendmm_ext: zendmm_ext.segment_size="100" refused: must be a power of two in %s on line %d
bool(false)

Warning: ini_set(): zendmm_ext: zendmm_ext.segment_size="16" refused: segment size is too small: 16 (minimum 32) in %s on line %d
bool(false)

Warning: ini_set(): zendmm_ext: zendmm_ext.mem_type="win32x" refused: not a storage scheme of this build (malloc, mmap_anon, mmap_zero) in %s on line %d
bool(false)

Warning: ini_set(): zendmm_ext: zendmm_ext.limit="-7" refused: must be -1 (no limit) or a size in %s on line %d
bool(false)
string(4) "512k"
string(9) "mmap_anon"
string(2) "4M"
262144

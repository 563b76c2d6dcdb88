--TEST--
zendmm_heap_create(): a fresh default heap reports what 5.3 did at startup
--SKIPIF--
<?php
foreach (['ZEND_MM_MEM_TYPE', 'ZEND_MM_SEG_SIZE', 'ZEND_MM_COMPACT'] as $v) {
    if (getenv($v) !== false) die("skip $v is set");
}
?>
--FILE--
<?php
$h = zendmm_heap_create();
var_dump($h instanceof ZendMM\Heap);
$s = zendmm_stats($h);
// USE_ZEND_ALLOC=0 (as in a valgrind run) makes it a pass-through heap; the counters are the same
echo 'use_zend_alloc follows USE_ZEND_ALLOC: ', var_export($s['use_zend_alloc'] === (getenv('USE_ZEND_ALLOC') === '0' ? 0 : 1), true), "\n";
foreach (['storage', 'segment_size', 'block_size', 'compact_size', 'limit', 'real_size',
          'real_peak', 'size', 'peak', 'reserve_size', 'reserve', 'segments', 'cached', 'cache', 'cache_size',
          'overflow', 'internal', 'rest_count', 'live_blocks', 'free_bitmap', 'header_size', 'free_header_size',
          'min_block_size', 'min_request', 'max_small_size'] as $k) {
    echo $k, ": ", var_export($s[$k], true), "\n";
}
var_dump(zendmm_memory_usage($h), zendmm_memory_usage($h, true));
var_dump(zendmm_memory_peak_usage($h), zendmm_memory_peak_usage($h, true));
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
bool(true)
use_zend_alloc follows USE_ZEND_ALLOC: true
storage: 'malloc'
segment_size: 262144
block_size: 262144
compact_size: 2097152
limit: -1
real_size: 262144
real_peak: 262144
size: 8208
peak: 8208
reserve_size: 8192
reserve: true
segments: 1
cached: 0
cache: true
cache_size: 262144
overflow: 0
internal: 0
rest_count: 0
live_blocks: 0
free_bitmap: 0
header_size: 16
free_header_size: 32
min_block_size: 32
min_request: 16
max_small_size: 544
int(8208)
int(262144)
int(8208)
int(262144)
array(0) {
}

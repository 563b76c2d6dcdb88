--TEST--
zendmm_stats(): the stable set of keys, the cache_stat shape, memory_usage as memory_get_usage()
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
$s = zendmm_stats($h);
echo implode("\n", array_keys($s)), "\n";
echo count($s['cache_stat']), " cache_stat entries with keys ", implode(',', array_keys($s['cache_stat'][64])), "\n";
var_dump(array_is_list($s['cache_stat']));
foreach ($s as $k => $v) {
    if ($k !== 'cache_stat' && !is_scalar($v)) {
        echo "$k is not scalar\n";
    }
}
// memory_usage() = size - cached, (true) = real_size; peak_usage() = peak, (true) = real_peak
$p = zendmm_emalloc($h, 300);
zendmm_efree($h, $p);
$s = zendmm_stats($h);
var_dump(zendmm_memory_usage($h) === $s['size'] - $s['cached'], zendmm_memory_usage($h, true) === $s['real_size'],
    zendmm_memory_peak_usage($h) === $s['peak'], zendmm_memory_peak_usage($h, true) === $s['real_peak']);
$big = zendmm_emalloc($h, 2 << 20);
zendmm_efree($h, $big);
echo "peak ", zendmm_memory_peak_usage($h), " real_peak ", zendmm_memory_peak_usage($h, true), "\n";
zendmm_memory_reset_peak($h);
echo "after reset: peak ", zendmm_memory_peak_usage($h), " real_peak ", zendmm_memory_peak_usage($h, true), "\n";
?>
--EXPECT--
use_zend_alloc
free_bitmap
large_free_bitmap
block_size
segment_size
compact_size
storage
storage_data
real_size
real_peak
limit
size
peak
reserve_size
reserve
overflow
internal
cached
rest_count
segments
live_blocks
cache
cache_size
cookies
protection
fill_freed
track_blocks
exact_fit
header_size
free_header_size
min_block_size
min_request
max_small_size
cache_stat
65 cache_stat entries with keys count,max_count,hit,miss
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
peak 2105696 real_peak 2621440
after reset: peak 8528 real_peak 262144

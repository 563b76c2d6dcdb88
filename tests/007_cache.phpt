--TEST--
The small-block cache: LIFO per bucket, cache_stat count/max_count/hit/miss, the cap, zendmm_flush_cache()
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
$p = [];
for ($i = 0; $i < 3; $i++) {
    $p[] = zendmm_emalloc($h, 100);
}
foreach ($p as $x) {
    zendmm_efree($h, $x);
}
$b = zendmm_buckets($h);
echo "cache[11] holds ", count($b['cache'][11]), " blocks, newest first: ",
    var_export(array_column($b['cache'][11], 'ptr') === array_reverse($p), true), "\n";
echo "states: ", implode(',', array_unique(array_column($b['cache'][11], 'state'))), "\n";
echo "cached bytes: ", zendmm_stats($h)['cached'], "\n";
// LIFO: the next allocation of that bucket takes the most recently freed block
var_dump(zendmm_emalloc($h, 97) === $p[2]);
print_r(zendmm_stats($h)['cache_stat'][11]);
// a bucket whose cache is empty counts a miss, and the global entry [64] counts the bitmap hit
$q = zendmm_emalloc($h, 24);
print_r(zendmm_stats($h)['cache_stat'][1]);
$s = zendmm_stats($h);
echo "cache_stat entries: ", count($s['cache_stat']), "\n";

// the cap: with cache_size 200 only two 120-byte blocks fit (the check is made before adding)
$h2 = zendmm_heap_create(['use_zend_alloc' => true, 'cache_size' => 200]);
$r = [];
for ($i = 0; $i < 4; $i++) {
    $r[] = zendmm_emalloc($h2, 100);
}
foreach ($r as $x) {
    zendmm_efree($h2, $x);
}
$s2 = zendmm_stats($h2);
echo "capped: cached ", $s2['cached'], " bytes in ", count(zendmm_buckets($h2)['cache'][11]), " blocks\n";
zendmm_flush_cache($h2);
$s2 = zendmm_stats($h2);
echo "flushed: cached ", $s2['cached'], ", size ", $s2['size'], ", count ", $s2['cache_stat'][11]['count'], "\n";
var_dump(zendmm_check_heap($h), zendmm_check_heap($h2));
?>
--EXPECT--
cache[11] holds 3 blocks, newest first: true
states: cached
cached bytes: 360
bool(true)
Array
(
    [count] => 2
    [max_count] => 3
    [hit] => 1
    [miss] => 3
)
Array
(
    [count] => 0
    [max_count] => 0
    [hit] => 0
    [miss] => 1
)
cache_stat entries: 65
capped: cached 240 bytes in 2 blocks
flushed: cached 0, size 8208, count 0
array(0) {
}
array(0) {
}

--TEST--
zendmm_heap_map(): the text map of a known heap, exactly; the width parameter
--FILE--
<?php
// 4 KB segments, cache on: the reserve gets a 12 KB segment of its own (reserve + rest),
// ten 100-byte blocks fill the next one, three of them freed and flushed into bucket 11,
// one freed into the cache, and a 3000-byte block opens a third segment.
$h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'malloc', 'segment_size' => 4096,
    'cache' => true, 'limit' => 8 * 1024 * 1024]);
$a = [];
for ($i = 0; $i < 10; $i++) {
    $a[] = zendmm_emalloc($h, 100);
}
zendmm_efree($h, $a[1]);
zendmm_efree($h, $a[3]);
zendmm_efree($h, $a[5]);
zendmm_flush_cache($h);
zendmm_efree($h, $a[7]);
$b = zendmm_emalloc($h, 3000);

$before = zendmm_stats($h);
echo zendmm_heap_map($h);
echo "--- width 40\n";
echo zendmm_heap_map($h, 'text', 40);
var_dump(zendmm_heap_map($h, 'text', null) === zendmm_heap_map($h));
var_dump(zendmm_heap_map($h, 'text', 80) === zendmm_heap_map($h));
// every segment line is exactly as wide as asked
foreach ([40, 80, 132, 1000] as $w) {
    $lines = array_filter(explode("\n", zendmm_heap_map($h, 'text', $w)), fn($l) => str_ends_with($l, '|'));
    echo $w, ': ', count($lines), ' segment lines of ', implode(',', array_unique(array_map('strlen', $lines))), "\n";
}
var_dump(zendmm_stats($h) === $before, zendmm_check_heap($h));
?>
--EXPECT--
heap map: 3 segments, 18 blocks (newest segment first)
0  4K ######################################################-------------------|
1  4K ##..##...##..##++#####---------------------------------------------------|
2 12K RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR~~~~~~~~~~~~~~~~~~~~~~~~|
# used 7  + cached 1  . free 3  - large 2  ~ rest 1  R reserve 1  | guard 3
real_size 20480:  payload 3600  headers 112  rounding 24  cached 120
  free_small 360  free_large 3912  rest 4048  segment_overhead 96  reserve 8208
size 12064  peak 12064  real_size 20480  real_peak 20480  cached 120
limit 8388608  segments 3  blocks 18  live 7  storage malloc
             0       8       16      24      32      40      48      56
free_bitmap  ...........1....................................................
large_bitmap ..........11....................................................
--- width 40
heap map: 3 segments, 18 blocks (newest segment first)
0  4K ########################---------|
1  4K #.#.#.#+##-----------------------|
2 12K RRRRRRRRRRRRRRRRRRRRRR~~~~~~~~~~~|
# used 7  + cached 1  . free 3
- large 2  ~ rest 1  R reserve 1
| guard 3
real_size 20480:  payload 3600
  headers 112  rounding 24  cached 120
  free_small 360  free_large 3912
  rest 4048  segment_overhead 96
  reserve 8208
size 12064  peak 12064  real_size 20480  real_peak 20480  cached 120
limit 8388608  segments 3  blocks 18  live 7  storage malloc
free_bitmap  0x0000000000000800
large_bitmap 0x0000000000000c00
bool(true)
bool(true)
40: 3 segment lines of 40
80: 3 segment lines of 80
132: 3 segment lines of 132
1000: 3 segment lines of 1000
bool(true)
array(0) {
}

--TEST--
zendmm_heap_map(): after a storage switch the text map names each segment's scheme, the SVG rows too
--SKIPIF--
<?php if (PHP_OS_FAMILY === 'Windows') die('skip mmap_anon is not on Windows'); ?>
--FILE--
<?php
// 200-byte blocks (216 true) in 4 KB segments, every other one freed: a regular stripe;
// then new segments come from mmap_anon, while the 3500-byte block still fits the malloc segment's tail
$h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'malloc', 'segment_size' => 4096,
    'cache' => false, 'reserve_size' => 0, 'limit' => 8 * 1024 * 1024]);
$a = [];
for ($i = 0; $i < 20; $i++) {
    $a[] = zendmm_emalloc($h, 200);
}
for ($i = 0; $i < 20; $i += 2) {
    zendmm_efree($h, $a[$i]);
}
echo zendmm_heap_map($h);
zendmm_set_storage($h, 'mmap_anon');
$b = zendmm_emalloc($h, 3500);
$c = zendmm_emalloc($h, 10000);
echo zendmm_heap_map($h);
$svg = zendmm_heap_map($h, 'svg');
echo substr_count($svg, ' mmap_anon '), " mmap_anon rows, ", substr_count($svg, ' malloc '), " malloc rows\n";
?>
--EXPECT--
heap map: 2 segments, 24 blocks (newest segment first)
0 4K ....####------------------------------------------------------------------|
1 4K ....####....####....####....###....####....####....####....####....####...|
# used 10  + cached 0  . free 11  - large 1  ~ rest 0  R reserve 0  | guard 2
real_size 8192:  payload 2000  headers 160  rounding 0  cached 0
  free_small 2336  free_large 3632  rest 0  segment_overhead 64  reserve 0
size 2160  peak 4320  real_size 8192  real_peak 8192  cached 0
limit 8388608  segments 2  blocks 24  live 10  storage malloc
             0       8       16      24      32      40      48      56
free_bitmap  ..................1....1........................................
large_bitmap ...........1....................................................
heap map: 3 segments, 28 blocks (newest segment first)
0 12K mmap_anon ###################################################~~~~~~~~~~~~|
1  4K malloc    ...##########################################################..|
2  4K malloc    ...####...###....###...####...###....###....###...####...###...|
# used 12  + cached 0  . free 12  - large 0  ~ rest 1  R reserve 0  | guard 3
real_size 20480:  payload 15500  headers 192  rounding 4  cached 0
  free_small 2448  free_large 0  rest 2240  segment_overhead 96  reserve 0
size 15696  peak 15696  real_size 20480  real_peak 20480  cached 0
limit 8388608  segments 3  blocks 28  live 12  storage mmap_anon
             0       8       16      24      32      40      48      56
free_bitmap  ..........1.......1....1........................................
large_bitmap ................................................................
1 mmap_anon rows, 2 malloc rows

--TEST--
ZEND_MM_SEG_SIZE sets the segment size (zend_atoi syntax: k/m/g suffixes, 0x prefixes)
--ENV--
ZEND_MM_SEG_SIZE=128k
--FILE--
<?php
$s = zendmm_stats(zendmm_heap());
echo "process heap: segment_size ", $s['segment_size'], ", real_size ", $s['real_size'], "\n";
$h = zendmm_heap_create();
$s = zendmm_stats($h);
echo "new heap: segment_size ", $s['segment_size'], ", real_size ", $s['real_size'], "\n";
echo "option wins: ", zendmm_stats(zendmm_heap_create(['segment_size' => 65536]))['segment_size'], "\n";
// the largest request that fits a 128 KB segment: 131072 - 16 (segment header) - 16 (guard) - 16 (block header)
$h = zendmm_heap_create(['use_zend_alloc' => true]);
$p = zendmm_emalloc($h, 131024);
echo "segments after emalloc(131024): ", zendmm_stats($h)['segments'], ", rest ", count(zendmm_buckets($h)['rest_buckets']), "\n";
$q = zendmm_emalloc($h, 131025);
echo "segments after emalloc(131025): ", zendmm_stats($h)['segments'], ", its segment ", zendmm_segments($h)[0]['size'], "\n";
?>
--EXPECT--
process heap: segment_size 131072, real_size 131072
new heap: segment_size 131072, real_size 131072
option wins: 65536
segments after emalloc(131024): 2, rest 0
segments after emalloc(131025): 3, its segment 262144

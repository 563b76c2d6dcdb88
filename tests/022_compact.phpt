--TEST--
zendmm_compact(): flushes the cache, releases the segments it empties, compacts every storage
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
$p = [];
for ($i = 0; $i < 3000; $i++) {
    $p[] = zendmm_emalloc($h, 256);
}
$s = zendmm_stats($h);
echo "segments ", $s['segments'], ", real_size ", $s['real_size'], "\n";
foreach ($p as $x) {
    zendmm_efree($h, $x);
}
$s = zendmm_stats($h);
echo "freed: cached ", $s['cached'], ", segments ", $s['segments'], "\n";
$released = zendmm_compact($h);
$s = zendmm_stats($h);
echo "compact returned ", $released, ": cached ", $s['cached'], ", segments ", $s['segments'], ", real_size ", $s['real_size'], "\n";
var_dump(zendmm_compact($h));
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
segments 4, real_size 1048576
freed: cached 262208, segments 2
compact returned 262144: cached 0, segments 1, real_size 262144
int(0)
array(0) {
}

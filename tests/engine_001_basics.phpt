--TEST--
Engine heap: PHP's own allocations are served by the 5.3 heap; memory_get_usage() and friends report its figures
--INI--
pcre.jit=0
zendmm_ext.engine=1
display_startup_errors=0
error_log=/dev/null
--FILE--
<?php
require __DIR__ . '/engine.inc';
engine_rerun_if_refused(__FILE__);

echo engine_state(), "\n";
$h = zendmm_heap();
$s = zendmm_stats($h);
echo "alignment ", $s['alignment'], ", header ", $s['header_size'], ", block index ", var_export($s['track_blocks'], true), "\n";

// the four figures are the engine heap's counters as 5.3 defined them (size -
// cached, real_size, peak, real_peak), read apart from the usage functions
// (read into plain variables: an array literal would allocate between the calls)
$usage = memory_get_usage();
$real = memory_get_usage(true);
$peak = memory_get_peak_usage();
$real_peak = memory_get_peak_usage(true);
$s = zendmm_stats($h);
var_dump([$usage, $real, $peak, $real_peak] === [$s['size'] - $s['cached'], $s['real_size'], $s['peak'], $s['real_peak']]);

// a 3 MB string takes a segment of its own: usage grows by its true size and
// real usage by that segment, exactly as on a fresh heap made as the engine
// heap is, and both peaks follow (memory_reset_peak_usage() first)
$r = zendmm_heap_create(['alignment' => 16]);
$r_usage = zendmm_memory_usage($r);
$r_real = zendmm_memory_usage($r, true);
zendmm_emalloc($r, 3145728 + 32);      // zend_string: 24-byte header + 1, rounded to 8
$fresh = [zendmm_memory_usage($r) - $r_usage, zendmm_memory_usage($r, true) - $r_real];
memory_reset_peak_usage();
$u0 = memory_get_usage();
$r0 = memory_get_usage(true);
$big = str_repeat('b', 3145728);
$u1 = memory_get_usage();
$r1 = memory_get_usage(true);
$p1 = memory_get_peak_usage();
$rp1 = memory_get_peak_usage(true);
echo "3 MB string: +", $u1 - $u0, ", real +", $r1 - $r0, "; on a fresh heap: +$fresh[0], real +$fresh[1]\n";
$s = zendmm_stats($h);
var_dump($p1 === $s['size'], $rp1 === $r1);
unset($big);

// a 100000-byte string: PHP asks for 100032 bytes (24-byte header + 1, rounded
// to 8); 5.3 counts the true size: + 16-byte block header, rounded to 16
$before = memory_get_usage();
$x = str_repeat('a', 100000);
echo "one string: ", memory_get_usage() - $before, "\n";
unset($x);
echo "freed: ", memory_get_usage() - $before, "\n";

// memory_reset_peak_usage(): peak back to the current size
$x = str_repeat('a', 500000);
unset($x);
var_dump(memory_get_peak_usage() >= $before + 500000);
memory_reset_peak_usage();
$s = zendmm_stats($h);
var_dump($s['peak'] === $s['size'], $s['real_peak'] === $s['real_size']);

// gc_mem_caches(): flushes the small-block cache and compacts
$a = [];
for ($i = 0; $i < 2000; $i++) {
    $a[] = str_repeat('c', $i % 50 + 1);
}
unset($a);
var_dump(zendmm_stats($h)['cached'] > 1000);
$real = memory_get_usage(true);
$back = gc_mem_caches();            // the bytes handed back: what real usage dropped by
var_dump($back === $real - memory_get_usage(true));
var_dump(zendmm_stats($h)['cached'] < 1000);

// every walk works on it and the heap is sound
$b = zendmm_buckets($h);
var_dump(count(zendmm_segments($h)) >= 1, array_keys($b));
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
on (PHP runs on the 5.3 heap)
alignment 16, header 16, block index false
bool(true)
3 MB string: +3145776, real +3407872; on a fresh heap: +3145776, real +3407872
bool(true)
bool(true)
one string: 100048
freed: 0
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
array(6) {
  [0]=>
  string(11) "free_bitmap"
  [1]=>
  string(17) "large_free_bitmap"
  [2]=>
  string(12) "free_buckets"
  [3]=>
  string(18) "large_free_buckets"
  [4]=>
  string(12) "rest_buckets"
  [5]=>
  string(5) "cache"
}
array(0) {
}

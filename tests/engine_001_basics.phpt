--TEST--
Engine heap: PHP's own allocations are served by the 5.3 heap; memory_get_usage() and friends report its figures
--SKIPIF--
<?php if (PHP_ZTS) die('skip the mode is refused on ZTS builds (engine_008_refused_zts.phpt)'); ?>
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

// the four figures are the engine heap's (5.3's size - cached, real_size, peak, real_peak)
var_dump(memory_get_usage() === zendmm_memory_usage($h));
var_dump(memory_get_usage(true) === zendmm_memory_usage($h, true));
var_dump(memory_get_peak_usage() === zendmm_memory_peak_usage($h));
var_dump(memory_get_peak_usage(true) === zendmm_memory_peak_usage($h, true));

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
var_dump(is_int(gc_mem_caches()));
var_dump(zendmm_stats($h)['cached'] < 1000);

// every walk works on it and the heap is sound
var_dump(count(zendmm_segments($h)) >= 1, count(zendmm_buckets($h)['buckets'] ?? zendmm_buckets($h)) > 0);
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
on (PHP runs on the 5.3 heap)
alignment 16, header 16, block index false
bool(true)
bool(true)
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
bool(true)
array(0) {
}

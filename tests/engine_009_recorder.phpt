--TEST--
Engine heap: the trace recorder chains to the engine's handlers; the heap stays sound and its figures follow the recorded calls
--INI--
pcre.jit=0
zendmm_ext.engine=1
display_startup_errors=0
error_log=/dev/null
--FILE--
<?php
require __DIR__ . '/engine.inc';
engine_rerun_if_refused(__FILE__);

$h = zendmm_heap();
// a name of this test's own (beside it), which --CLEAN-- can name too: no glob
// that would take other tests' traces while they run (run-tests -j2)
$file = __DIR__ . '/engine_009_recorder.trace';
gc_mem_caches();
$before = zendmm_stats($h);
zendmm_trace_start($file);
$keep = [];
for ($i = 0; $i < 500; $i++) {
    $keep[] = str_repeat('t', $i);
}
$words = explode(' ', str_repeat('lorem ipsum dolor ', 200));
sort($words);
$c = zendmm_trace_stop();
$after = zendmm_stats($h);

// every recorded call went through to the engine heap
var_dump($c['allocs'] >= 500, $c['frees'] > 0, $c['failed']);
var_dump($after['size'] > $before['size'] + 500 * 250);
$usage = memory_get_usage();
$s = zendmm_stats($h);
var_dump(zendmm_check_heap($h), $usage === $s['size'] - $s['cached']);
echo count($words), " words, ", strlen(implode('', $keep)), " bytes kept\n";

// the file is a complete trace (ends with END): its records are read back
$data = file_get_contents($file);
var_dump(substr($data, 0, 8), ord($data[strlen($data) - 1]) === 15, $c['file_bytes'] === strlen($data));

// after stop, allocations still come from the engine heap
$u = memory_get_usage();
$x = str_repeat('x', 100000);
echo "one string: ", memory_get_usage() - $u, "\n";

// a recording the script never stops ends at request shutdown, before the engine heap is reset
zendmm_trace_start($file);
$y = str_repeat('y', 1000);
register_shutdown_function(function () use ($file) { echo "shutdown: recording\n"; });
?>
--CLEAN--
<?php
@unlink(__DIR__ . '/engine_009_recorder.trace');
?>
--EXPECT--
bool(true)
bool(true)
int(0)
bool(true)
array(0) {
}
bool(true)
601 words, 124750 bytes kept
string(8) "ZMMTRACE"
bool(true)
bool(true)
one string: 100048
shutdown: recording

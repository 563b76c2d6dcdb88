--TEST--
zendmm_trace_start: a memory-limit error inside PHP's own allocator (a bailout in the recorder's forwarded call) leaves the recorder attached: the shutdown function's allocations are recorded
--EXTENSIONS--
zendmm_ext
--SKIPIF--
<?php
require __DIR__ . '/trace_helpers.inc';
if (zendmm_ext_so() === null) die('skip cannot find zendmm_ext.so to start a second PHP');
if (!function_exists('proc_open')) die('skip proc_open is disabled');
?>
--FILE--
<?php
require __DIR__ . '/trace_helpers.inc';
require __DIR__ . '/engine.inc';   // engine_fatal_text(): PHP 8.5's stack trace after the fatal error

$file = tempnam(sys_get_temp_dir(), 'zmmtrace');
// the shutdown function's string: 54321 bytes, a request of 54353 (zend_string's
// header, rounded), a size nothing else asks for; its length is read at run time
$code = '$f = ' . var_export($file, true) . '; zendmm_trace_start($f);
register_shutdown_function(function () {
    $GLOBALS["b"] = null;            // room below the limit again
    $s = str_repeat("s", 54321 + 0 * (int)ini_get("precision"));
    $c = zendmm_trace_stop();
    echo "stopped after ", $c["allocs"] > 100 ? "many" : "few", " allocations\n";
});
$b = [];
while (true) { $b[] = str_repeat("m", 100000); }';
[$rc, $out] = zendmm_run_php($code, ['memory_limit' => '16M']);
echo preg_replace('~ in \S+ on line \d+~', ' in %s', trim(engine_fatal_text($out))), "\nexit $rc\n";
$t = zendmm_trace_parse($file, true);
$sizes = array_column($t['events'], 4);
var_dump($t['error'], $t['complete']);
echo "the shutdown function's string: ", in_array(54321 + 32, $sizes, true) ? 'recorded' : 'not recorded', "\n";
@unlink($file);
?>
--EXPECTF--
Fatal error: Allowed memory size of 16777216 bytes exhausted%s(tried to allocate %d bytes) in %s
stopped after many allocations
exit 255
NULL
bool(true)
the shutdown function's string: recorded

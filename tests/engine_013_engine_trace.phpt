--TEST--
Engine heap: zendmm_ext.engine_trace records the engine heap from its creation; the trace replays on a fresh 16-aligned heap to exactly the figures the engine heap reported
--FILE--
<?php
require __DIR__ . '/engine.inc';
// USE_ZEND_ALLOC=0 (the valgrind pass) would make the replay heap pass-through
engine_rerun_if_refused(__FILE__);

$trace = tempnam(sys_get_temp_dir(), 'zendmm_engine_trace_');

/* A script with allocations, frees and reallocs of every size class; its
 * figures are read last: memory_get_*() flush the trace, so the file's
 * length read right after them marks the point of the figures. */
$child = <<<'PHP'
<?php
$keep = [];
for ($i = 0; $i < 2000; $i++) {
    $keep[] = str_repeat('x', ($i * 37) % 700) . $i;
}
$s = '';
for ($i = 0; $i < 3000; $i++) {
    $s .= "line $i\n";
}
unset($keep[5], $keep[99], $keep[1500]);
$big = str_repeat('y', 600000);
$o = new ArrayObject(range(1, 5000));
unset($big);
$size = memory_get_usage();
$peak = memory_get_peak_usage();
$real = memory_get_usage(true);
$real_peak = memory_get_peak_usage(true);
clearstatcache();
$length = filesize(ini_get('zendmm_ext.engine_trace'));
echo "$size $peak $real $real_peak $length\n";
PHP;

[$out, $status] = engine_child(['zendmm_ext.engine' => 1, 'zendmm_ext.engine_trace' => $trace,
    'memory_limit' => '128M'], null, $child);
if ($status !== 0 || !preg_match('~^(\d+) (\d+) (\d+) (\d+) (\d+)$~', trim($out), $m)) {
    echo "the child failed ($status): $out\n";
    exit;
}
[, $size, $peak, $real, $real_peak, $length] = array_map('intval', $m);
$data = file_get_contents($trace);
echo "the whole trace ends with END: ", var_export(ord($data[strlen($data) - 1]) === 15, true), "\n";
echo "the point of the figures lies inside it: ", var_export($length > 16 && $length < strlen($data), true), "\n";

// the trace up to the figures, on a fresh heap configured as the engine heap
$prefix = $trace . '.prefix';
file_put_contents($prefix, substr($data, 0, $length));
$r = zendmm_heap_create(['alignment' => 16]);
[$ops, $foreign] = engine_trace_replay($prefix, $r);
echo "replayed: ", var_export($ops > 10000, true), ", $foreign foreign\n";
echo "size:      ", var_export(zendmm_memory_usage($r) === $size, true), "\n";
echo "peak:      ", var_export(zendmm_memory_peak_usage($r) === $peak, true), "\n";
echo "real_size: ", var_export(zendmm_memory_usage($r, true) === $real, true), "\n";
echo "real_peak: ", var_export(zendmm_memory_peak_usage($r, true) === $real_peak, true), "\n";
echo "the replay heap is sound: ", var_export(zendmm_check_heap($r) === [], true), "\n";
if (zendmm_memory_usage($r) !== $size || zendmm_memory_peak_usage($r) !== $peak) {
    echo "engine: $size $peak $real $real_peak; replay: ", zendmm_memory_usage($r), ' ',
        zendmm_memory_peak_usage($r), ' ', zendmm_memory_usage($r, true), ' ', zendmm_memory_peak_usage($r, true), "\n";
}
unlink($prefix);

// phpinfo says what is recorded
$info = '<?php ob_start(); phpinfo(INFO_MODULES); preg_match("~^Engine trace.*$~m", ob_get_clean(), $m); echo $m[0], "\n";';
[$out] = engine_child(['zendmm_ext.engine' => 1, 'zendmm_ext.engine_trace' => $trace], null, $info);
echo str_replace($trace, 'FILE', $out);
[$out] = engine_child(['zendmm_ext.engine' => 0, 'zendmm_ext.engine_trace' => $trace], null, $info);
echo str_replace($trace, 'FILE', $out);

// a file that cannot be made: a startup warning, the mode runs unrecorded
$code = '<?php require ' . var_export(__DIR__ . '/engine.inc', true) . '; echo engine_state(), "\n"; '
    . 'ob_start(); phpinfo(INFO_MODULES); preg_match("~^Engine trace.*$~m", ob_get_clean(), $m); echo $m[0], "\n";'
    . '$a = str_repeat("z", 100000); echo strlen($a), "\n";';
[$out, $status] = engine_child(['zendmm_ext.engine' => 1, 'zendmm_ext.engine_trace' => '/nonexistent-dir/trace',
    'display_startup_errors' => 1], null, $code);
echo $out, "status $status\n";

// a file that stops taking writes mid-run (a file size limit, as a full
// disk would): the mode runs on, phpinfo says so
$code = '<?php $k = []; for ($i = 0; $i < 3000; $i++) { $k[] = str_repeat("z", $i % 200); } '
    . '$a = str_repeat("z", 100000); memory_get_usage(); '
    . 'ob_start(); phpinfo(INFO_MODULES); preg_match("~^Engine trace.*$~m", ob_get_clean(), $m); echo $m[0], "\n";'
    . 'echo strlen($a), "\n";';
$script = tempnam(sys_get_temp_dir(), 'zendmm_engine_');
file_put_contents($script, $code);
$cmd = 'ulimit -f 4 && trap "" XFSZ && exec ' . escapeshellarg(PHP_BINARY) . ' -n -d '
    . escapeshellarg('extension=' . engine_so()) . ' -d zendmm_ext.engine=1 -d zendmm_ext.engine_trace='
    . escapeshellarg($trace) . ' ' . escapeshellarg($script) . ' 2>&1';
$proc = proc_open(['/bin/sh', '-c', $cmd], [1 => ['pipe', 'w']], $pipes, null, engine_env());
$out = stream_get_contents($pipes[1]);
fclose($pipes[1]);
echo str_replace($trace, 'FILE', $out), "status ", proc_close($proc), "\n";
unlink($script);
unlink($trace);
?>
--EXPECTF--
the whole trace ends with END: true
the point of the figures lies inside it: true
replayed: true, 0 foreign
size:      true
peak:      true
real_size: true
real_peak: true
the replay heap is sound: true
Engine trace (zendmm_ext.engine_trace) => FILE: recording
Engine trace (zendmm_ext.engine_trace) => not recorded: the mode is off
%AWarning: PHP Startup: zendmm_ext.engine_trace: %s; the engine heap is not recorded in Unknown on line 0
on (PHP runs on the 5.3 heap)
Engine trace (zendmm_ext.engine_trace) => /nonexistent-dir/trace: not recorded (%s)
100000
status 0
Engine trace (zendmm_ext.engine_trace) => FILE: failing (%s)
100000
status 0

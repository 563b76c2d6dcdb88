--TEST--
Engine heap on a thread-safe (ZTS) build: the thread that starts PHP has its own engine heap (number 0), the usage functions report it, and its engine trace is FILE itself (later threads write FILE.N)
--SKIPIF--
<?php if (!PHP_ZTS) die('skip thread-safe builds only (NTS has one heap, tests/engine_001)'); ?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/engine.inc';

$trace = tempnam(sys_get_temp_dir(), 'zendmm_zts_');
$script = <<<'PHP'
<?php
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
preg_match('~^Engine heap \(zendmm_ext\.engine\) => (.*)$~m', $info, $m);
echo "phpinfo: $m[1]\n";
preg_match('~^Engine heaps \(one per thread\) => (.*)$~m', $info, $m);
echo "threads: $m[1]\n";
preg_match('~^Engine trace \(zendmm_ext\.engine_trace\) => (.*)$~m', $info, $m);
echo "trace: ", str_replace(ini_get('zendmm_ext.engine_trace'), 'FILE', $m[1]), "\n";
// the usage functions read this thread's engine heap: the same counters
$h = zendmm_heap();
$usage = memory_get_usage();
$real = memory_get_usage(true);
$s = zendmm_stats($h);
var_dump([$usage, $real] === [$s['size'] - $s['cached'], $s['real_size']]);
echo "block index of zendmm_heap(): ", var_export($s['track_blocks'], true), " (the engine heap has none)\n";
// a 100000-byte string: 100032 asked (24-byte header + 1, rounded to 8),
// 100048 counted (+ 16-byte block header, rounded to 16), as on NTS
$before = memory_get_usage();
$x = str_repeat('a', 100000);
echo "one string: ", memory_get_usage() - $before, "\n";
// memory_limit is this heap's limit
ini_set('memory_limit', '64M');
echo "limit: ", zendmm_stats($h)['limit'], "\n";
PHP;
[$out, $status] = engine_child(['zendmm_ext.engine' => 1, 'zendmm_ext.engine_trace' => $trace,
    'display_startup_errors' => 1, 'log_errors' => 0], null, $script);
echo trim($out), "\nexit status $status\n";
clearstatcache();
echo "trace FILE: ", filesize($trace) > 0 ? 'written' : 'empty', "\n";
echo "trace FILE.1: ", file_exists("$trace.1") ? 'exists' : 'none', "\n";
unlink($trace);
?>
--EXPECT--
phpinfo: on (PHP runs on the 5.3 heap)
threads: this thread's is number 0 (0: the thread that started PHP); made for later threads: 0, ended with them: 0, could not be made: 0
trace: FILE: recording
bool(true)
block index of zendmm_heap(): false (the engine heap has none)
one string: 100048
limit: 67108864
exit status 0
trace FILE: written
trace FILE.1: none

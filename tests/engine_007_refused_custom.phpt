--TEST--
Engine heap: refused with a startup warning when PHP's heap already has custom handlers (USE_ZEND_ALLOC=0, USE_TRACKED_ALLOC=1)
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/engine.inc';

$script = <<<'PHP'
<?php
ob_start();
phpinfo(INFO_MODULES);
preg_match('~^Engine heap \(zendmm_ext\.engine\) => (.*)$~m', ob_get_clean(), $m);
echo "phpinfo: $m[1]\n";
$x = str_repeat('x', 100000);
// the process heap (a heap of its own, with the block index), not PHP's
echo "zendmm_heap() is the process heap: ", var_export(zendmm_stats(zendmm_heap())['track_blocks'], true), "\n";
echo "a script runs: ", strlen($x), "\n";
PHP;
foreach ([['USE_ZEND_ALLOC' => '0'], ['USE_ZEND_ALLOC' => '0', 'USE_TRACKED_ALLOC' => '1']] as $env) {
    echo "--", str_replace('&', ' ', '' . http_build_query($env)), "\n";
    [$out, $status] = engine_child(['zendmm_ext.engine' => 1, 'display_startup_errors' => 1, 'log_errors' => 0],
        null, $script, $env);
    echo trim($out), "\nexit status $status\n";
}
echo "-- off by default\n";
[$out] = engine_child([], null, $script);
echo trim($out), "\n";
?>
--EXPECT--
--USE_ZEND_ALLOC=0
Warning: PHP Startup: zendmm_ext.engine=1 refused: PHP's heap already has custom handlers (USE_ZEND_ALLOC=0, a debugger or a memory profiler); PHP's own heap is used in Unknown on line 0
phpinfo: off: refused, PHP's heap already has custom handlers (USE_ZEND_ALLOC=0, a debugger or a memory profiler)
zendmm_heap() is the process heap: true
a script runs: 100000
exit status 0
--USE_ZEND_ALLOC=0 USE_TRACKED_ALLOC=1
Warning: PHP Startup: zendmm_ext.engine=1 refused: PHP's heap already has custom handlers (USE_ZEND_ALLOC=0, a debugger or a memory profiler); PHP's own heap is used in Unknown on line 0
phpinfo: off: refused, PHP's heap already has custom handlers (USE_ZEND_ALLOC=0, a debugger or a memory profiler)
zendmm_heap() is the process heap: true
a script runs: 100000
exit status 0
-- off by default
phpinfo: off
zendmm_heap() is the process heap: true
a script runs: 100000

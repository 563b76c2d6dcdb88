--TEST--
Engine heap: refused with a startup warning on a thread-safe (ZTS) build; the process heap serves zendmm_heap() instead
--SKIPIF--
<?php if (!PHP_ZTS) die('skip only thread-safe builds refuse the mode'); ?>
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
echo "zendmm_heap() is the process heap: ", var_export(zendmm_stats(zendmm_heap())['track_blocks'], true), "\n";
echo "a script runs: ", strlen(str_repeat('x', 100000)), "\n";
PHP;
[$out, $status] = engine_child(['zendmm_ext.engine' => 1, 'display_startup_errors' => 1, 'log_errors' => 0], null, $script);
echo trim($out), "\nexit status $status\n";
?>
--EXPECT--
Warning: PHP Startup: zendmm_ext.engine=1 refused: this PHP is a thread-safe (ZTS) build, where one heap would serve every thread; PHP's own heap is used in Unknown on line 0
phpinfo: off: refused, this PHP is a thread-safe (ZTS) build, where one heap would serve every thread
zendmm_heap() is the process heap: true
a script runs: 100000
exit status 0

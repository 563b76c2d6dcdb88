--TEST--
Engine heap: memory_limit is its limit; the fatal error has 5.3's figures, discards output buffers, runs shutdown functions, exits with 255
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/engine.inc';

// One 10 MB string over an 8 MB limit: PHP asks for 10485792 bytes (24-byte
// header + 10485760 + 1, rounded to 8); 5.3 reports the request as it came.
$script = <<<'PHP'
<?php
register_shutdown_function(function () { echo "shutdown function ran\n"; });
ob_start();
echo "buffered, never shown\n";
$x = str_repeat('x', 10 << 20);
echo "not reached\n";
PHP;
[$out, $status] = engine_child(['zendmm_ext.engine' => 1, 'memory_limit' => '8M', 'html_errors' => 0], null, $script);
echo engine_fatal_text($out), "exit status $status\n";

// many small allocations up to the limit: the script ends the same way
$script = <<<'PHP'
<?php
register_shutdown_function(function () { echo "usage after the error: ", memory_get_usage() > 0 ? "counted" : "zero", "\n"; });
$a = [];
while (true) { $a[] = str_repeat('y', 1000); }
PHP;
[$out, $status] = engine_child(['zendmm_ext.engine' => 1, 'memory_limit' => '4M', 'html_errors' => 0], null, $script);
echo engine_fatal_text($out), "exit status $status\n";

// storage failure: no limit, a request malloc cannot serve (64 TB)
$script = <<<'PHP'
<?php
register_shutdown_function(function () { echo "shutdown function ran\n"; });
$x = str_repeat('x', 1 << 46);
PHP;
[$out, $status] = engine_child(['zendmm_ext.engine' => 1, 'memory_limit' => '-1', 'html_errors' => 0], null, $script);
echo engine_fatal_text($out), "exit status $status\n";
?>
--EXPECTF--
Fatal error: Allowed memory size of 8388608 bytes exhausted (tried to allocate 10485792 bytes) in %s on line 5
shutdown function ran
exit status 255

Fatal error: Allowed memory size of 4194304 bytes exhausted (tried to allocate 1032 bytes) in %s on line 4
usage after the error: counted
exit status 255

Fatal error: Out of memory (allocated %d) (tried to allocate 70368744177696 bytes) in %s on line 3
shutdown function ran
exit status 255

--TEST--
zendmm_trace_start: a script that ends while recording (end, exit, exception, fatal error, kill) leaves a valid file
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

$file = tempnam(sys_get_temp_dir(), 'zmmtrace');
$work = '$a = []; for ($i = 0; $i < 3000; $i++) { $a[] = str_repeat("w", $i % 300) . $i; } ';
$cases = [
    'end of script'       => "zendmm_trace_start(\$f); $work echo 'done';",
    'exit(3)'             => "zendmm_trace_start(\$f); $work exit(3);",
    'uncaught exception'  => "zendmm_trace_start(\$f); $work throw new LogicException('boom');",
    'memory limit'        => "zendmm_trace_start(\$f); $work \$b = []; for (\$i = 0; \$i < 20000; \$i++) { \$b[] = str_repeat('m', 10000); } echo 'no limit';",
    'start in destructor' => "class D { function __destruct() { global \$f; zendmm_trace_start(\$f); $work } } \$d = new D; echo 'set';",
    'stop in shutdown'    => "zendmm_trace_start(\$f); register_shutdown_function(function () { \$c = zendmm_trace_stop(); echo \$c['allocs'] > 3000 ? 'stopped' : 'few'; }); $work",
    'SIGKILL'             => "zendmm_trace_start(\$f); $work \$a = null; $work echo \"ready\\n\"; sleep(30);",
];
foreach ($cases as $name => $code) {
    @unlink($file);
    [$rc, $out] = zendmm_run_php('$f = ' . var_export($file, true) . '; ' . $code, ['memory_limit' => '32M'], $name === 'SIGKILL');
    $t = zendmm_trace_parse($file);
    $first = strtok(trim($out), "\n");
    printf("%s: exit %d, output \"%s\", error %s, complete %s, allocs %s\n", $name, $rc,
        $first === false ? '' : (strlen($first) > 40 ? substr($first, 0, 40) : $first),
        var_export($t['error'], true), var_export($t['complete'], true),
        $t['calls']['allocs'] >= 3000 ? '>= 3000' : $t['calls']['allocs']);
}
/* killed: the file holds the header and whatever was flushed, never half a record */
var_dump($t['truncated']);
@unlink($file);
?>
--EXPECTF--
end of script: exit 0, output "done", error NULL, complete true, allocs >= 3000
exit(3): exit 3, output "", error NULL, complete true, allocs >= 3000
uncaught exception: exit 255, output "Fatal error: Uncaught LogicException: bo", error NULL, complete true, allocs >= 3000
memory limit: exit 255, output "Fatal error: Allowed memory size of 3355", error NULL, complete true, allocs >= 3000
start in destructor: exit 0, output "set", error NULL, complete true, allocs >= 3000
stop in shutdown: exit 0, output "stopped", error NULL, complete true, allocs >= 3000
SIGKILL: exit 137, output "ready", error NULL, complete false, allocs %s
bool(false)

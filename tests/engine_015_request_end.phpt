--TEST--
Engine heap: PHP >= 8.4 resets it at the end of each request (its _shutdown handler), 8.2 at the next request's start; a recorder chained to it keeps its _gc and _shutdown
--SKIPIF--
<?php
if (PHP_OS_FAMILY !== 'Linux') die('skip needs /proc to read the server\'s address space');
if (!function_exists('proc_open')) die('skip needs proc_open()');
?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/engine.inc';

/* The CLI server runs the requests one after the other. Request 1 records a
 * trace on the way (the recorder chains to the engine heap's handlers and puts
 * them back) and asks gc_mem_caches() while recording (the engine heap's _gc
 * on PHP >= 8.4). Then it dies of the memory limit inside a function holding
 * a 48 MB string: PHP's shutdown after a fatal error does not release the
 * variables of the frames the error left, so only the heap's reset gives
 * those blocks back (the string is a segment of its own, an mmap above
 * glibc's largest mmap threshold of 32 MB: the server's address space shows
 * it). PHP >= 8.4 resets the engine heap (5.3's partial shutdown) in its
 * _shutdown handler, right after the request's last efree; 8.2 at the next
 * request's RINIT. */
$dir = sys_get_temp_dir() . '/zendmm_engine_end_' . getmypid();
@mkdir($dir);
file_put_contents("$dir/router.php", <<<'PHP'
<?php
function die_holding(): void
{
    $held = str_repeat('k', 48 << 20);
    $a = [];
    while (true) {
        $a[] = str_repeat('y', 1 << 20);
    }
}
$n = (int)($_GET['n'] ?? 0);
echo "request $n:";
if ($n === 1) {
    zendmm_trace_start(__DIR__ . '/trace.bin');
    $a = [];
    for ($i = 0; $i < 3000; $i++) {
        $a[] = str_repeat('c', $i % 40 + 1);
    }
    unset($a);
    $real = memory_get_usage(true);
    $back = gc_mem_caches();
    echo " gc ", $back > 0 && $back === $real - memory_get_usage(true) ? "exact" : "wrong ($back, $real, " . memory_get_usage(true) . ")";
    zendmm_trace_stop();
    echo "\n";
    die_holding();
}
echo " ok\n";
PHP);

function vm_size(int $pid): int
{
    preg_match('~^VmSize:\s+(\d+) kB~m', file_get_contents("/proc/$pid/status"), $m);
    return (int)$m[1] * 1024;
}

$proc = null;
for ($try = 0; $try < 3 && !$proc; $try++) {
    $port = random_int(20000, 60000);
    $cmd = [PHP_BINARY, '-n', '-d', 'extension=' . engine_so(), '-d', 'zendmm_ext.engine=1', '-d', 'memory_limit=128M',
        '-d', 'html_errors=0', '-d', 'opcache.enable_cli=0', '-d', 'pcre.jit=0', '-S', "127.0.0.1:$port", "$dir/router.php"];
    $proc = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']],
        $pipes, null, engine_env());
    $up = false;
    for ($i = 0; $i < 600 && !$up; $i++) {
        usleep(50000);
        if ($fp = @fsockopen('127.0.0.1', $port, $errno, $errstr, 0.5)) {
            fclose($fp);
            $up = true;
        }
    }
    if (!$up) {
        proc_terminate($proc);
        proc_close($proc);
        $proc = null;
    }
}
if (!$proc) {
    die("could not start the CLI server\n");
}
$pid = proc_get_status($proc)['pid'];
$ctx = stream_context_create(['http' => ['ignore_errors' => true]]);
$get = fn(int $n) => (string)@file_get_contents("http://127.0.0.1:$port/?n=$n", false, $ctx);
$big = 48 << 20;

echo trim($get(0)), "\n";
$before = vm_size($pid);
$body = $get(1);
echo strtok($body, "\n"), "\n";
echo "fatal error: ", str_contains($body, 'Allowed memory size of 134217728 bytes exhausted') ? "yes" : "no: $body", "\n";
if (PHP_VERSION_ID >= 80400) {
    // the reset follows the answer in the same request shutdown: wait for it
    // (nothing else can give the 48 MB back: no other request is sent)
    for ($i = 0; $i < 600 && vm_size($pid) - $before >= $big; $i++) {
        usleep(50000);
    }
}
// on 8.2 the blocks stay whenever this runs: only the next RINIT resets
$held_after_1 = vm_size($pid) - $before >= $big;
echo trim($get(2)), "\n";
$held_after_2 = vm_size($pid) - $before >= $big;
$got = !$held_after_1 ? 'at its end' : ($held_after_2 ? 'never' : "at request 2's start");
$want = PHP_VERSION_ID >= 80400 ? 'at its end' : "at request 2's start";
echo $got === $want ? "request 1's blocks given back when this PHP resets the heap"
    : "request 1's blocks given back $got, expected $want", "\n";
proc_terminate($proc, 2);
echo "server exit status ", proc_close($proc), "\n";
@unlink("$dir/trace.bin");
@unlink("$dir/router.php");
@rmdir($dir);
?>
--EXPECT--
request 0: ok
request 1: gc exact
fatal error: yes
request 2: ok
request 1's blocks given back when this PHP resets the heap
server exit status 0

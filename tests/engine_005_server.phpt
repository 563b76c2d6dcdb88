--TEST--
Engine heap: the CLI server serves a dozen requests, some over the limit; every request starts from the same usage, the limit is restored
--SKIPIF--
<?php
if (PHP_OS_FAMILY !== 'Linux') die('skip needs /proc/self/maps to find the loaded extension');
if (!function_exists('proc_open')) die('skip needs proc_open()');
?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/engine.inc';

$dir = sys_get_temp_dir() . '/zendmm_engine_server_' . getmypid();
@mkdir($dir);
file_put_contents("$dir/router.php", <<<'PHP'
<?php
$start = memory_get_usage();
$real = memory_get_usage(true);
$limit = zendmm_stats(zendmm_heap())['limit'];
$n = (int)($_GET['n'] ?? 0);
header('Content-Type: text/plain');
echo "request $n: start $start real $real limit ", ini_get('memory_limit'), " ($limit)";
if ($n % 4 === 3) {                  // over the limit: a fatal error ends the request
    $a = [];
    while (true) {
        $a[] = str_repeat('y', 50000);
    }
}
if ($n === 5) {                      // a higher limit for this request only
    ini_set('memory_limit', '64M');
    $big = str_repeat('z', 40 << 20);
    echo " big ", strlen($big);
}
$x = str_repeat('z', 100000 * $n);
echo " peak ", memory_get_peak_usage() >= 100000 * $n ? "ok" : "low", "\n";
PHP);

$proc = null;
for ($try = 0; $try < 3 && !$proc; $try++) {
    $port = random_int(20000, 60000);
    $cmd = [PHP_BINARY, '-n', '-d', 'extension=' . engine_so(), '-d', 'zendmm_ext.engine=1', '-d', 'memory_limit=16M',
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
$starts = [];
for ($n = 1; $n <= 12; $n++) {
    $body = @file_get_contents("http://127.0.0.1:$port/?n=$n", false, stream_context_create(['http' => ['ignore_errors' => true]]));
    preg_match('~start (\d+) real (\d+)~', $body, $m);
    $starts[$n] = [(int)$m[1], (int)$m[2]];
    // the figures vary with the build: show them as "S" (same as request 2) or as they compare
    $body = preg_replace('~start \d+ real \d+~', 'start S', $body);
    $body = preg_replace('~ in \S+ on line~', ' in %s on line', engine_fatal_text($body));
    echo trim($body), "\n";
}
proc_terminate($proc, 2);   // SIGINT: the server ends cleanly (module shutdown, then the heap's full shutdown)
$status = proc_close($proc);
echo "server exit status $status\n";
unset($starts[1]);          // the first request also holds what startup left (reset after it)
if (PHP_VERSION_ID < 80500) {
    var_dump(count(array_unique(array_map('serialize', $starts))) === 1);
} else {
    // PHP 8.5 and 8.6's CLI server itself sometimes starts a request with less
    // in use than the one before (seen on 8.6.0RC3 without the mode: 418320,
    // 418304, 418304, 416136, then 414288; in the mode 15680 for every request
    // in most runs, in some a drop to 11504 and 8992 from request 10 on): here
    // the figure must never grow from one request to the next, which is what a
    // reset that fails to drop a request's blocks would do
    $grows = false;
    for ($n = 3; $n <= 12; $n++) {
        $grows = $grows || $starts[$n][0] > $starts[$n - 1][0] || $starts[$n][1] > $starts[$n - 1][1];
    }
    var_dump(!$grows);
}
@unlink("$dir/router.php");
@rmdir($dir);
?>
--EXPECT--
request 1: start S limit 16M (16777216) peak ok
request 2: start S limit 16M (16777216) peak ok
request 3: start S limit 16M (16777216)
Fatal error: Allowed memory size of 16777216 bytes exhausted (tried to allocate 50032 bytes) in %s on line 11
request 4: start S limit 16M (16777216) peak ok
request 5: start S limit 16M (16777216) big 41943040 peak ok
request 6: start S limit 16M (16777216) peak ok
request 7: start S limit 16M (16777216)
Fatal error: Allowed memory size of 16777216 bytes exhausted (tried to allocate 50032 bytes) in %s on line 11
request 8: start S limit 16M (16777216) peak ok
request 9: start S limit 16M (16777216) peak ok
request 10: start S limit 16M (16777216) peak ok
request 11: start S limit 16M (16777216)
Fatal error: Allowed memory size of 16777216 bytes exhausted (tried to allocate 50032 bytes) in %s on line 11
request 12: start S limit 16M (16777216) peak ok
server exit status 0
bool(true)
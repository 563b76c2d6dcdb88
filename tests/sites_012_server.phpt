--TEST--
Sites of the engine heap across requests (CLI server): the sites are reset with the heap at each request's start, so what startup made is "(startup)" in the first request only, and a request that died of a fatal error leaves no site behind
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

$dir = sys_get_temp_dir() . '/zendmm_sites_server_' . getmypid();
@mkdir($dir);
file_put_contents("$dir/router.php", <<<'PHP'
<?php
function keep(int $n) { return str_repeat('k', 1000 * $n); }          // line 2
function waste() { $a = []; while (true) { $a[] = str_repeat('w', 50000); } }   // line 3
$n = (int)($_GET['n'] ?? 0);
header('Content-Type: text/plain');
if ($n === 2) {
    waste();                         // over the limit: a fatal error ends the request
}
$kept = keep($n);
$labels = array_column(zendmm_sites(zendmm_heap(), 0), 'site', 'site');
$k = array_values(array_filter(zendmm_sites(zendmm_heap(), 0), fn($s) => $s['function'] === 'keep'));
printf("request %d: startup %s, waste %s, keep %d block(s) of %d bytes asked\n", $n,
    isset($labels['(startup)']) ? 'yes' : 'no',
    count(array_filter($labels, fn($l) => str_starts_with($l, 'waste'))) ? 'yes' : 'no',
    $k[0]['blocks'] ?? 0, $k[0]['requested'] ?? 0);
PHP);

$proc = null;
for ($try = 0; $try < 3 && !$proc; $try++) {
    $port = random_int(20000, 60000);
    $cmd = [PHP_BINARY, '-n', '-d', 'extension=' . engine_so(), '-d', 'zendmm_ext.engine=1', '-d', 'zendmm_ext.sites=1',
        '-d', 'memory_limit=16M', '-d', 'html_errors=0', '-d', 'opcache.enable_cli=0', '-d', 'pcre.jit=0',
        '-S', "127.0.0.1:$port", "$dir/router.php"];
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
for ($n = 1; $n <= 4; $n++) {
    $body = @file_get_contents("http://127.0.0.1:$port/?n=$n", false, stream_context_create(['http' => ['ignore_errors' => true]]));
    $body = preg_replace('~ in \S+ on line~', ' in %s on line', $body);
    echo engine_fatal_text(trim($body)), "\n";
}
proc_terminate($proc, 2);
echo "server exit status ", proc_close($proc), "\n";
@unlink("$dir/router.php");
@rmdir($dir);
?>
--EXPECT--
request 1: startup yes, waste no, keep 1 block(s) of 1032 bytes asked
Fatal error: Allowed memory size of 16777216 bytes exhausted (tried to allocate 50032 bytes) in %s on line 3
request 3: startup no, waste no, keep 1 block(s) of 3032 bytes asked
request 4: startup no, waste no, keep 1 block(s) of 4032 bytes asked
server exit status 0

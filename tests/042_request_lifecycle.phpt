--TEST--
Lifecycle: the process heap gets a partial shutdown at the end of every request (watched through the CLI server)
--SKIPIF--
<?php
require __DIR__ . '/trace_helpers.inc';
if (zendmm_ext_so() === null) die('skip cannot find the loaded zendmm_ext.so');
if (!function_exists('proc_open')) die('skip needs proc_open()');
if (!ini_get('allow_url_fopen')) die('skip needs allow_url_fopen');
?>
--FILE--
<?php
require __DIR__ . '/trace_helpers.inc';
$so = zendmm_ext_so();
$dir = sys_get_temp_dir() . '/zendmm_lifecycle_' . getmypid();
@mkdir($dir);
$dir = realpath($dir);   // what __DIR__ says in the router
file_put_contents("$dir/router.php", <<<'PHP'
<?php
if (isset($_GET['ping'])) {      // tells the test it reached its own server, not another one on the port
    echo __DIR__;
    return;
}
$h = zendmm_heap();
$state = __DIR__ . '/state';
$out = [sprintf('ini: pcre.jit %s, opcache %s', ini_get('pcre.jit'),
    function_exists('opcache_get_status') && ini_get('opcache.enable') ? 'on' : 'off')];
if (is_file($state)) {
    $old = (int)file_get_contents($state);
    try {
        zendmm_read($h, $old);
        $out[] = 'the block of the last request is still live';
    } catch (ValueError $e) {
        $out[] = 'last request: ' . $e->getMessage();
    }
}
$s = zendmm_stats($h);
$out[] = sprintf('start: real_size %d real_peak %d size %d live %d', $s['real_size'], $s['real_peak'], $s['size'], $s['live_blocks']);
$p = zendmm_estrdup($h, 'from request ' . ($_GET['n'] ?? '?'));
$big = zendmm_emalloc($h, 3 << 20);          // real_peak goes over compact_size (2 MB)
file_put_contents($state, (string)$p);
$s = zendmm_stats($h);
// (with USE_ZEND_ALLOC=0, as in a valgrind run, the counters stay frozen: nothing to compact)
$out[] = sprintf('end: real_peak over compact_size %s, live %d',
    var_export($s['use_zend_alloc'] === 0 || $s['real_peak'] > $s['compact_size'], true), $s['live_blocks']);
echo implode("\n", $out), "\n";
PHP);
// a port the kernel just handed out is very likely still free; the ping makes sure the server that
// answers is this test's own (parallel test runs may start servers of their own)
function free_port(): int {
    $probe = stream_socket_server('tcp://127.0.0.1:0');
    $port = (int)substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
    fclose($probe);
    return $port;
}
$ping = stream_context_create(['http' => ['timeout' => 2, 'ignore_errors' => true]]);
$port = 0;
$proc = null;
for ($try = 0; $try < 5 && !$proc; $try++) {
    $port = free_port();
    // -n: no php.ini, so no opcache (whose startup valgrind reports) and no other extension;
    // the child gets exactly the INI this test declares
    $cmd = [PHP_BINARY, '-n', '-d', "extension=$so", '-d', 'pcre.jit=0', '-d', 'opcache.enable=0',
        '-d', 'opcache.enable_cli=0', '-S', "127.0.0.1:$port", "$dir/router.php"];
    $proc = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
    $up = false;
    for ($i = 0; $i < 1200 && !$up && proc_get_status($proc)['running']; $i++) {   // up to a minute: valgrind starts slowly
        usleep(50000);
        $up = @file_get_contents("http://127.0.0.1:$port/?ping=1", false, $ping) === $dir;
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
for ($n = 1; $n <= 3; $n++) {
    echo "request $n:\n", file_get_contents("http://127.0.0.1:$port/?n=$n");
}
proc_terminate($proc, 2);   // SIGINT: the CLI server ends cleanly (module shutdown included)
proc_close($proc);
@unlink("$dir/state");
@unlink("$dir/router.php");
@rmdir($dir);
?>
--INI--
pcre.jit=0
--EXPECT--
request 1:
ini: pcre.jit 0, opcache off
start: real_size 262144 real_peak 262144 size 8208 live 0
end: real_peak over compact_size true, live 2
request 2:
ini: pcre.jit 0, opcache off
last request: zendmm_read(): Argument #2 ($ptr) must be a live block of this heap
start: real_size 262144 real_peak 262144 size 8208 live 0
end: real_peak over compact_size true, live 2
request 3:
ini: pcre.jit 0, opcache off
last request: zendmm_read(): Argument #2 ($ptr) must be a live block of this heap
start: real_size 262144 real_peak 262144 size 8208 live 0
end: real_peak over compact_size true, live 2

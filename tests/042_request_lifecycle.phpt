--TEST--
Lifecycle: the process heap gets a partial shutdown at the end of every request (watched through the CLI server)
--SKIPIF--
<?php
if (PHP_OS_FAMILY !== 'Linux') die('skip needs /proc/self/maps to find the loaded extension');
if (!function_exists('proc_open')) die('skip needs proc_open()');
if (!ini_get('allow_url_fopen')) die('skip needs allow_url_fopen');
?>
--FILE--
<?php
$so = null;
foreach (file('/proc/self/maps') as $line) {
    if (preg_match('~(/\S*zendmm_ext\.so)$~', trim($line), $m)) {
        $so = $m[1];
        break;
    }
}
$dir = sys_get_temp_dir() . '/zendmm_lifecycle_' . getmypid();
@mkdir($dir);
file_put_contents("$dir/router.php", <<<'PHP'
<?php
$h = zendmm_heap();
$state = __DIR__ . '/state';
$out = [];
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
$port = 0;
$proc = null;
for ($try = 0; $try < 3 && !$proc; $try++) {
    $port = random_int(20000, 60000);
    $cmd = [PHP_BINARY, '-d', "extension=$so", '-d', 'pcre.jit=0', '-S', "127.0.0.1:$port", "$dir/router.php"];
    $proc = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
    $up = false;
    for ($i = 0; $i < 1200 && !$up; $i++) {   // up to a minute: valgrind starts slowly
        usleep(50000);
        $fp = @fsockopen('127.0.0.1', $port, $errno, $errstr, 0.5);
        if ($fp) {
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
start: real_size 262144 real_peak 262144 size 8208 live 0
end: real_peak over compact_size true, live 2
request 2:
last request: zendmm_read(): Argument #2 ($ptr) must be a live block of this heap
start: real_size 262144 real_peak 262144 size 8208 live 0
end: real_peak over compact_size true, live 2
request 3:
last request: zendmm_read(): Argument #2 ($ptr) must be a live block of this heap
start: real_size 262144 real_peak 262144 size 8208 live 0
end: real_peak over compact_size true, live 2

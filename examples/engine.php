<?php
/*
 * PHP itself on the 5.3 heap: a real library, run twice.
 *
 *     php -d extension=$PWD/modules/zendmm_ext.so examples/engine.php [file.php]
 *
 * php-parser (Debian's php-parser package) parses a PHP file, walks the tree
 * and prints it back, once on PHP 8.2's own heap and once with
 * zendmm_ext.engine=1, each in a process of its own. The figures scripts see
 * (memory_get_usage() and friends) are printed side by side, then a map of
 * PHP's own heap as 5.3 laid it out, drawn at the end of the run.
 */

if (!extension_loaded('zendmm_ext')) {
    fwrite(STDERR, "Load the extension first: php -d extension=\$PWD/modules/zendmm_ext.so examples/engine.php\n");
    exit(1);
}
const PARSER = '/usr/share/php/PhpParser/autoload.php';

// ---- the child: one run of the library, figures as JSON on the last line ----
if (($argv[1] ?? '') === '--child') {
    require PARSER;
    // php-parser 5 (Debian 13, sid) has createForNewestSupportedVersion(); 4 (Debian 12) create()
    $factory = new PhpParser\ParserFactory();
    $parser = method_exists($factory, 'createForNewestSupportedVersion')
        ? $factory->createForNewestSupportedVersion() : $factory->create(PhpParser\ParserFactory::PREFER_PHP7);
    $ast = $parser->parse(file_get_contents($argv[2]));
    $printed = (new PhpParser\PrettyPrinter\Standard())->prettyPrintFile($ast);
    $engine = zendmm_stats(zendmm_heap())['track_blocks'] === false;   // the engine heap keeps no block index
    echo json_encode([
        'engine' => $engine,
        'result' => md5($printed),
        'usage' => memory_get_usage(),
        'real' => memory_get_usage(true),
        'peak' => memory_get_peak_usage(),
        'real_peak' => memory_get_peak_usage(true),
        'map' => $engine ? zendmm_heap_map(zendmm_heap(), 'text', 100) : '',
    ]), "\n";
    exit(0);
}

// ---- the parent: run both ways and compare ----
if (!is_file(PARSER)) {
    fwrite(STDERR, "This example needs php-parser: apt-get install php-parser\n");
    exit(1);
}
$file = $argv[1] ?? dirname(__DIR__) . '/run-tests.php';
if (!is_file($file)) {
    $file = __FILE__;
}
$so = null;
foreach (file('/proc/self/maps') as $line) {
    if (preg_match('~(/\S*zendmm_ext\.so)$~', trim($line), $m)) {
        $so = $m[1];
        break;
    }
}
$env = getenv();
unset($env['USE_ZEND_ALLOC']);   // it would refuse the mode

function run_child(string $so, int $engine, string $file, array $env): array
{
    $ext = [];
    foreach (['tokenizer', 'ctype'] as $e) {   // what php-parser uses, if shared
        if (extension_loaded($e) && is_file(ini_get('extension_dir') . "/$e.so")) {
            array_push($ext, '-d', "extension=$e");
        }
    }
    $cmd = array_merge([PHP_BINARY, '-n', '-d', "extension=$so", '-d', "zendmm_ext.engine=$engine",
        '-d', 'memory_limit=512M'], $ext, [__FILE__, '--child', $file]);
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    proc_close($p);
    $lines = explode("\n", trim($out));
    $r = json_decode(end($lines), true);
    if (!is_array($r)) {
        fwrite(STDERR, "the run with zendmm_ext.engine=$engine failed:\n$out$err");
        exit(1);
    }
    return $r;
}

$php = run_child($so, 0, $file, $env);
$zmm = run_child($so, 1, $file, $env);
if (!$zmm['engine']) {
    fwrite(STDERR, "zendmm_ext.engine=1 was refused (see php -i); the figures below are PHP's twice\n");
}

printf("php-parser parsed and printed %s (%d bytes)\n", basename($file), filesize($file));
printf("same result both ways: %s\n\n", $php['result'] === $zmm['result'] ? 'yes' : 'NO');
printf("%-32s %15s %15s %8s\n", '', 'PHP 8.2 heap', '5.3 heap', '5.3/8.2');
foreach ([
    'usage' => 'memory_get_usage()',
    'peak' => 'memory_get_peak_usage()',
    'real' => 'memory_get_usage(true)',
    'real_peak' => 'memory_get_peak_usage(true)',
] as $k => $label) {
    printf("%-32s %15s %15s %8.2f\n", $label, number_format($php[$k]), number_format($zmm[$k]), $zmm[$k] / max(1, $php[$k]));
}
echo "\n5.3 counts 16-byte headers and exact-fit blocks in 256 KB segments; PHP 8.2 counts\n",
    "size classes in 2 MB chunks. PHP's own heap as 5.3 laid it out, at the end of the run:\n\n";
echo $zmm['map'];

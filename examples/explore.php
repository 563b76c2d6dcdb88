<?php
/*
 * Where a real application's memory goes, under the 5.3 design.
 *
 *     php -d extension=$PWD/modules/zendmm_ext.so examples/explore.php [OUTDIR] [file.php]
 *
 * php-parser (Debian's php-parser package) parses a PHP file and prints it
 * back, with PHP itself on the 5.3 heap (zendmm_ext.engine=1), every block's
 * allocation site recorded (zendmm_ext.sites=1, call paths of 8 frames) and
 * the engine heap's calls recorded (zendmm_ext.engine_trace). It writes, in
 * OUTDIR (default: ./explore-out):
 *
 *   explorer.html   the heap at the end of the run: a row per segment, a box per
 *                   block; hover for its size, bucket and site, click a bucket,
 *                   the cache or the rest list to see its blocks in list order
 *   player.html     the whole run, step by step, from the engine trace
 *   sites.folded    flamegraph.pl input (flamegraph.pl --countname=bytes)
 *   sites.callgrind KCachegrind / QCachegrind / callgrind_annotate
 *   sites.pb.gz     go tool pprof -http=:8080 sites.pb.gz
 *   engine.trace    the trace itself (bench/build/replay reads it too)
 *
 * Open the pages with any browser: they fetch nothing.
 */

if (!extension_loaded('zendmm_ext')) {
    fwrite(STDERR, "Load the extension first: php -d extension=\$PWD/modules/zendmm_ext.so examples/explore.php\n");
    exit(1);
}
const PARSER = '/usr/share/php/PhpParser/autoload.php';

// ---- the child: the library on the engine heap, then the pictures of that heap ----
if (($argv[1] ?? '') === '--child') {
    [, , $out, $file] = $argv;
    require PARSER;
    // php-parser 5 (Debian 13, sid) has createForNewestSupportedVersion(); 4 (Debian 12) create()
    $factory = new PhpParser\ParserFactory();
    $parser = method_exists($factory, 'createForNewestSupportedVersion')
        ? $factory->createForNewestSupportedVersion() : $factory->create(PhpParser\ParserFactory::PREFER_PHP7);
    $ast = $parser->parse(file_get_contents($file));
    $printed = (new PhpParser\PrettyPrinter\Standard())->prettyPrintFile($ast);
    $heap = zendmm_heap();
    file_put_contents("$out/explorer.html", zendmm_heap_map($heap, 'html'));
    zendmm_sites_dump($heap, 'folded', "$out/sites.folded");
    zendmm_sites_dump($heap, 'callgrind', "$out/sites.callgrind");
    zendmm_sites_dump($heap, 'pprof', "$out/sites.pb.gz");
    echo json_encode([
        'result' => md5($printed),
        'top' => array_slice(zendmm_sites($heap, 5), 0, 5),
        'pinning' => count(zendmm_pinning($heap)),
        'breakdown' => zendmm_breakdown($heap),
    ]), "\n";
    // $ast is still alive here: its blocks are what the pictures show
    exit($ast ? 0 : 1);
}

// ---- the parent: run the child in the mode, then make the player from its trace ----
if (!is_file(PARSER)) {
    fwrite(STDERR, "This example needs php-parser: apt-get install php-parser\n");
    exit(1);
}
$out = $argv[1] ?? getcwd() . '/explore-out';
$file = $argv[2] ?? __FILE__;
if (!is_dir($out) && !mkdir($out, 0777, true)) {
    fwrite(STDERR, "cannot make $out\n");
    exit(1);
}
$out = realpath($out);
$so = null;
foreach (file('/proc/self/maps') as $line) {
    if (preg_match('~(/\S*zendmm_ext\.so)$~', trim($line), $m)) {
        $so = $m[1];
        break;
    }
}
$env = getenv();
unset($env['USE_ZEND_ALLOC']);   // it would refuse the mode
$ext = [];
foreach (['tokenizer', 'ctype'] as $e) {   // what php-parser uses, if shared
    if (is_file(ini_get('extension_dir') . "/$e.so")) {   // the child runs with -n
        array_push($ext, '-d', "extension=$e");
    }
}
$trace = "$out/engine.trace";
@unlink($trace);
$cmd = array_merge([PHP_BINARY, '-n', '-d', "extension=$so", '-d', 'zendmm_ext.engine=1',
    '-d', 'zendmm_ext.sites=1', '-d', 'zendmm_ext.sites_depth=8', '-d', "zendmm_ext.engine_trace=$trace",
    '-d', 'memory_limit=512M'], $ext, [__FILE__, '--child', $out, $file]);
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
$stdout = stream_get_contents($pipes[1]);
$stderr = stream_get_contents($pipes[2]);
$rc = proc_close($p);
$lines = explode("\n", trim($stdout));
$r = json_decode(end($lines), true);
if ($rc !== 0 || !is_array($r)) {
    fwrite(STDERR, "the run in the mode failed ($rc):\n$stdout$stderr");
    exit(1);
}
zendmm_trace_html($trace, "$out/player.html");

printf("php-parser parsed and printed %s on the 5.3 heap (result %s)\n\n", basename($file), substr($r['result'], 0, 8));
echo "Where real_size went at the end of the run:\n";
$parts = ['headers' => 'block headers', 'payload_and_rounding' => 'payload and rounding',
    'cached' => 'the small-block cache', 'free_small' => 'free small blocks', 'free_large' => 'free large blocks',
    'rest' => 'the rest list', 'segment_overhead' => 'segment headers, guards', 'reserve' => 'the reserve'];
foreach ($parts as $key => $label) {
    printf("  %-24s %12s\n", $label, number_format($r['breakdown'][$key]));
}
printf("  %-24s %12s\n", '= real_size', number_format($r['breakdown']['real_size']));
echo "\nThe sites holding the most memory:\n";
foreach ($r['top'] as $s) {
    printf("  %10s bytes %6d blocks  %s\n", number_format($s['bytes']), $s['blocks'], $s['site']);
}
printf("\nSegments pinned by a few blocks (at most 25%% in use): %d\n\n", $r['pinning']);
foreach (['explorer.html', 'player.html', 'sites.folded', 'sites.callgrind', 'sites.pb.gz', 'engine.trace'] as $f) {
    printf("  %-16s %10s bytes  %s\n", $f, number_format(filesize("$out/$f")), "$out/$f");
}
echo "\nOpen the pages in a browser: file://$out/explorer.html and file://$out/player.html\n";

--TEST--
Sites of the engine heap on a real library (php-parser): parsing and printing give the same result with sites on, every live block has a site, and the library's own files are among them
--SKIPIF--
<?php
if (!is_file('/usr/share/php/PhpParser/autoload.php')) die('skip needs php-parser (apt-get install php-parser)');
if (!extension_loaded('tokenizer')) die('skip needs the tokenizer extension');
?>
--FILE--
<?php
require __DIR__ . '/engine.inc';
// php-parser parses and prints a large file; its pretty printer allocates in
// frames PHP has not stored an instruction for yet (sites_frame_opline)
$work = <<<'PHP'
<?php
require '/usr/share/php/PhpParser/autoload.php';
$src = file_get_contents(getenv('ZENDMM_PARSE_FILE'));
// php-parser 5 (Debian 13, sid) has createForNewestSupportedVersion(); 4 (Debian 12) create()
$factory = new PhpParser\ParserFactory();
$parser = method_exists($factory, 'createForNewestSupportedVersion')
    ? $factory->createForNewestSupportedVersion() : $factory->create(PhpParser\ParserFactory::PREFER_PHP7);
$ast = $parser->parse($src);
$printed = (new PhpParser\PrettyPrinter\Standard())->prettyPrintFile($ast);
echo "printed ", strlen($printed), " bytes, md5 ", md5($printed), "\n";
if (ini_get('zendmm_ext.sites')) {
    $sites = zendmm_sites(zendmm_heap(), 0);
    $files = [];
    foreach ($sites as $s) {
        if (str_starts_with($s['file'], '/usr/share/php/PhpParser/')) $files[$s['file']] = true;
    }
    fprintf(STDERR, "sites %d, php-parser files among them %d, unknown %d, paths of up to %d frames\n",
        count($sites) > 100, count($files) > 10,
        (int)in_array('(unknown)', array_column($sites, 'site')), max(array_map(fn($s) => count($s['path']), $sites)));
}
PHP;
$file = tempnam(sys_get_temp_dir(), 'zendmm_parse_');
file_put_contents($file, $work);
$env = ['ZENDMM_PARSE_FILE' => dirname(__DIR__) . '/run-tests.php'];
[$plain, $s0] = engine_child(['zendmm_ext.engine' => 1, 'memory_limit' => '512M'], $file, null, $env);
[$sites, $s1] = engine_child(['zendmm_ext.engine' => 1, 'zendmm_ext.sites' => 1, 'zendmm_ext.sites_depth' => 8,
    'memory_limit' => '512M'], $file, null, $env);
unlink($file);
echo "exit status $s0 and $s1\n";
[$out_sites, $report] = explode("\n", $sites, 2) + [1 => ''];
var_dump($plain === "$out_sites\n");
echo $report;
?>
--EXPECT--
exit status 0 and 0
bool(true)
sites 1, php-parser files among them 1, unknown 0, paths of up to 8 frames

--TEST--
Engine heap: a real library (php-parser) parses and prints PHP code with the same result as on PHP's own heap
--SKIPIF--
<?php
if (!is_file('/usr/share/php/PhpParser/autoload.php')) die('skip needs php-parser (apt-get install php-parser)');
if (!extension_loaded('tokenizer')) die('skip needs the tokenizer extension');
?>
--INI--
pcre.jit=0
zendmm_ext.engine=1
display_startup_errors=0
error_log=/dev/null
memory_limit=512M
--FILE--
<?php
require __DIR__ . '/engine.inc';
engine_rerun_if_refused(__FILE__, ['memory_limit' => '512M']);

$work = <<<'PHP'
<?php
require '/usr/share/php/PhpParser/autoload.php';
$src = file_get_contents(getenv('ZENDMM_PARSE_FILE'));
// php-parser 5 (Debian 13, sid) has createForNewestSupportedVersion(); 4 (Debian 12) create()
$factory = new PhpParser\ParserFactory();
$parser = method_exists($factory, 'createForNewestSupportedVersion')
    ? $factory->createForNewestSupportedVersion() : $factory->create(PhpParser\ParserFactory::PREFER_PHP7);
$ast = $parser->parse($src);
$nodes = 0;
$t = new PhpParser\NodeTraverser();
$t->addVisitor(new class($nodes) extends PhpParser\NodeVisitorAbstract {
    public function __construct(private int &$n) {}
    public function enterNode(PhpParser\Node $node) { $this->n++; return null; }
});
$t->traverse($ast);
$printed = (new PhpParser\PrettyPrinter\Standard())->prettyPrintFile($ast);
gc_collect_cycles();
echo "nodes $nodes, printed ", strlen($printed), " bytes, md5 ", md5($printed), "\n";
PHP;
$file = tempnam(sys_get_temp_dir(), 'zendmm_parse_');
file_put_contents($file, $work);
putenv('ZENDMM_PARSE_FILE=' . dirname(__DIR__) . '/run-tests.php');
ob_start();
require $file;
$engine = ob_get_clean();
$peak = memory_get_peak_usage();
[$php] = engine_child(['zendmm_ext.engine' => 0, 'memory_limit' => '512M'], $file, null,
    ['ZENDMM_PARSE_FILE' => dirname(__DIR__) . '/run-tests.php']);
unlink($file);
echo preg_match('~^nodes [1-9]\d+, printed [1-9]\d+ bytes, md5 [0-9a-f]{32}$~', trim($engine)) ? "parsed and printed\n" : $engine;
var_dump($engine === $php, $peak === zendmm_stats(zendmm_heap())['peak'], zendmm_check_heap(zendmm_heap()));
?>
--EXPECT--
parsed and printed
bool(true)
bool(true)
array(0) {
}

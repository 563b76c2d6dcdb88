<?php
/*
 * parser.php - nikic/php-parser (Debian php-parser) parses a large PHP file
 * (PHP's own run-tests.php), resolves names, pretty-prints the tree and
 * parses the result again.
 */
declare(strict_types=1);
require __DIR__ . '/_common.php';
workload_require('/usr/share/php/PhpParser/autoload.php', 'php-parser');

use PhpParser\NodeTraverser;
use PhpParser\NodeVisitor\NameResolver;
use PhpParser\ParserFactory;
use PhpParser\PrettyPrinter\Standard;

$file = null;
foreach (glob('/usr/lib/php/*/build/run-tests.php') ?: [] as $candidate) {
    $file = $candidate;
}
if ($file === null) {
    fwrite(STDERR, "no run-tests.php under /usr/lib/php/*/build: apt-get install -y php8.2-dev\n");
    exit(3);
}
$code = file_get_contents($file);

$parser = (new ParserFactory())->create(ParserFactory::PREFER_PHP7);
$ast = $parser->parse($code);

$traverser = new NodeTraverser();
$traverser->addVisitor(new NameResolver());
$ast = $traverser->traverse($ast);

$printed = (new Standard())->prettyPrintFile($ast);
$again = $parser->parse($printed);

$count = 0;
$counter = new class($count) extends PhpParser\NodeVisitorAbstract {
    public function __construct(public int $n) {}
    public function enterNode(PhpParser\Node $node) { $this->n++; return null; }
};
$t2 = new NodeTraverser();
$t2->addVisitor($counter);
$t2->traverse($again);

workload_result('parser', md5($printed), ['bytes' => strlen($code), 'nodes' => $counter->n]);

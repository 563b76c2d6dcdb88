--TEST--
Engine heap: hash() of every algorithm gives PHP's own results (16-byte alignment: XXH3's state is touched with aligned SSE moves)
--INI--
pcre.jit=0
zendmm_ext.engine=1
display_startup_errors=0
error_log=/dev/null
--FILE--
<?php
require __DIR__ . '/engine.inc';
engine_rerun_if_refused(__FILE__);

$digests = <<<'PHP'
<?php
// every algorithm, one-shot and incremental (hash_init/hash_update/hash_copy),
// over inputs of several lengths, with heap states shifted between them
$inputs = ['', 'a', str_repeat('abc', 21), str_repeat('x', 64), str_repeat("\0\xff", 500), str_repeat('0123456789', 10000)];
$out = [];
$keep = [];
foreach (hash_algos() as $algo) {
    foreach ($inputs as $i => $in) {
        $keep[] = str_repeat('k', ($i * 37) % 300 + 1);   // a different heap state for each
        $out[] = hash($algo, $in);
        $ctx = hash_init($algo);
        hash_update($ctx, substr($in, 0, 7));
        $copy = hash_copy($ctx);
        hash_update($ctx, substr($in, 7));
        $out[] = hash_final($ctx) . hash_final($copy);
    }
}
echo count(hash_algos()), " algorithms, ", count($out), " digests, md5 of all: ", md5(implode(',', $out)), "\n";
PHP;
$file = tempnam(sys_get_temp_dir(), 'zendmm_hash_');
file_put_contents($file, $digests);
ob_start();
require $file;
$engine = ob_get_clean();
[$php] = engine_child(['zendmm_ext.engine' => 0], $file);
unlink($file);
echo engine_state(), "\n";
echo $engine;
var_dump($engine === $php);
?>
--EXPECTF--
on (PHP runs on the 5.3 heap)
%d algorithms, %d digests, md5 of all: %x
bool(true)

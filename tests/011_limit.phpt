--TEST--
Memory limit: ZendMM\MemoryLimitException with 5.3's exact message; the heap stays intact and usable
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true, 'limit' => 1 << 20]);
$keep = zendmm_estrdup($h, 'keep me');
function attempt(string $label, callable $f) {
    global $h, $keep;
    try {
        $f();
        echo "$label: no error\n";
    } catch (Throwable $e) {
        printf("%s: %s (code %d): %s\n", $label, get_class($e), $e->getCode(), $e->getMessage());
    }
    echo "  check: ", json_encode(zendmm_check_heap($h)), ", keep: ", zendmm_read($h, $keep, 7), "\n";
}
echo "limit ", zendmm_stats($h)['limit'], "\n";
attempt('emalloc 2M', fn() => zendmm_emalloc($h, 2 << 20));
attempt('ecalloc 300000 x 4', fn() => zendmm_ecalloc($h, 300000, 4));
attempt('safe_emalloc 1000 x 1000 + 1', fn() => zendmm_safe_emalloc($h, 1000, 1000, 1));
attempt('estrdup 1.5M', fn() => zendmm_estrdup($h, str_repeat('x', 1536 * 1024)));
attempt('estrndup 1.5M', fn() => zendmm_estrndup($h, str_repeat('x', 1536 * 1024), 1536 * 1024));
$blocks = [];
attempt('many 100K blocks', function () use ($h, &$blocks) {
    for ($i = 0; $i < 100; $i++) {
        $blocks[] = zendmm_emalloc($h, 100000);
        zendmm_write($h, end($blocks), str_repeat(chr(65 + $i), 100));
    }
});
echo count($blocks), " blocks made before the limit, real_size ", zendmm_memory_usage($h, true), "\n";
$ok = true;
foreach ($blocks as $i => $p) {
    $ok = $ok && zendmm_read($h, $p, 100) === str_repeat(chr(65 + $i), 100);
}
var_dump($ok);
// realloc over the limit: the old block stays live with its data
$r = zendmm_estrdup($h, 'realloc me');
attempt('erealloc 2M', fn() => zendmm_erealloc($h, $r, 2 << 20));
var_dump(zendmm_read($h, $r, 10));
// a block alone in its segment grows through the storage; over the limit it stays where it was
foreach ($blocks as $p) {
    zendmm_efree($h, $p);
}
$blocks = [];
$seg = zendmm_emalloc($h, 300000);
zendmm_write($h, $seg, str_repeat('s', 300000));
attempt('erealloc a segment-sized block to 1.5M', fn() => zendmm_erealloc($h, $seg, 1536 * 1024));
var_dump(zendmm_read($h, $seg) === str_repeat('s', 300000));
zendmm_efree($h, $seg);
// the heap is usable after the error
foreach ($blocks as $p) {
    zendmm_efree($h, $p);
}
$p = zendmm_emalloc($h, 500000);
echo "after freeing: 500000 bytes fit again\n";
// no limit: -1
zendmm_set_limit($h, -1);
attempt('emalloc 2M without limit', fn() => zendmm_emalloc($h, 2 << 20));
?>
--EXPECT--
limit 1048576
emalloc 2M: ZendMM\MemoryLimitException (code 1): Allowed memory size of 1048576 bytes exhausted (tried to allocate 2097152 bytes)
  check: [], keep: keep me
ecalloc 300000 x 4: ZendMM\MemoryLimitException (code 1): Allowed memory size of 1048576 bytes exhausted (tried to allocate 1200000 bytes)
  check: [], keep: keep me
safe_emalloc 1000 x 1000 + 1: ZendMM\MemoryLimitException (code 1): Allowed memory size of 1048576 bytes exhausted (tried to allocate 1000001 bytes)
  check: [], keep: keep me
estrdup 1.5M: ZendMM\MemoryLimitException (code 1): Allowed memory size of 1048576 bytes exhausted (tried to allocate 1572865 bytes)
  check: [], keep: keep me
estrndup 1.5M: ZendMM\MemoryLimitException (code 1): Allowed memory size of 1048576 bytes exhausted (tried to allocate 1572865 bytes)
  check: [], keep: keep me
many 100K blocks: ZendMM\MemoryLimitException (code 1): Allowed memory size of 1048576 bytes exhausted (tried to allocate 100000 bytes)
  check: [], keep: keep me
8 blocks made before the limit, real_size 1048576
bool(true)
erealloc 2M: ZendMM\MemoryLimitException (code 1): Allowed memory size of 1048576 bytes exhausted (tried to allocate 2097152 bytes)
  check: [], keep: keep me
string(10) "realloc me"
erealloc a segment-sized block to 1.5M: ZendMM\MemoryLimitException (code 1): Allowed memory size of 1048576 bytes exhausted (tried to allocate 1572864 bytes)
  check: [], keep: keep me
bool(true)
after freeing: 500000 bytes fit again
emalloc 2M without limit: no error
  check: [], keep: keep me

--TEST--
Bad pointers: forged, freed, interior, from another heap, cached: ValueError, and nothing is touched
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
$other = zendmm_heap_create(['use_zend_alloc' => true]);
$keep = zendmm_estrdup($h, 'keep me');
$live = zendmm_emalloc($h, 100);
$freed = zendmm_emalloc($h, 100);
zendmm_efree($h, $freed);                 // now in the cache
$large = zendmm_emalloc($h, 5000);
$freedLarge = zendmm_emalloc($h, 5000);
zendmm_efree($h, $freedLarge);            // now free in the large trie
$foreign = zendmm_emalloc($other, 100);
$reserve = zendmm_segments($h)[0]['blocks'][0];
$before = zendmm_stats($h);

$bad = [
    'freed (cached)' => $freed,
    'freed (large)' => $freedLarge,
    'interior +8' => $live + 8,
    'interior +1' => $live + 1,
    'header' => $live - 16,
    'another heap' => $foreign,
    'reserve block' => $reserve['ptr'],
    'segment' => zendmm_segments($h)[0]['address'],
    'one' => 1,
    'minus one' => -1,
    'PHP_INT_MAX' => PHP_INT_MAX,
    'PHP_INT_MIN' => PHP_INT_MIN,
    'a PHP string' => 0x7f0000000000,
];
$calls = [
    'efree' => fn($p) => zendmm_efree($h, $p),
    'erealloc' => fn($p) => zendmm_erealloc($h, $p, 10),
    'read' => fn($p) => zendmm_read($h, $p),
    'write' => fn($p) => zendmm_write($h, $p, 'x'),
    'block_info' => fn($p) => zendmm_block_info($h, $p),
];
$messages = [];
$n = 0;
foreach ($bad as $label => $p) {
    foreach ($calls as $fn => $call) {
        try {
            $call($p);
            echo "$fn($label): no error\n";
        } catch (ValueError $e) {
            $messages[$e->getMessage()] = true;
            $n++;
        }
    }
}
echo "$n ValueErrors\n";
echo implode("\n", array_keys($messages)), "\n";
$after = zendmm_stats($h);
foreach (['size', 'cached', 'live_blocks', 'real_size'] as $k) {
    echo "$k unchanged: ", var_export($before[$k] === $after[$k], true), "\n";
}
var_dump(zendmm_check_heap($h), zendmm_read($h, $keep, 7));
// the foreign block is still fine in its own heap
zendmm_efree($other, $foreign);
var_dump(zendmm_check_heap($other));
// efree(0) and erealloc(0, n) behave as efree(NULL) and erealloc(NULL, n) in C
zendmm_efree($h, 0);
$p = zendmm_erealloc($h, 0, 50);
var_dump(zendmm_block_info($h, $p)['size']);
?>
--EXPECT--
65 ValueErrors
zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
zendmm_erealloc(): Argument #2 ($ptr) must be a live block of this heap
zendmm_read(): Argument #2 ($ptr) must be a live block of this heap
zendmm_write(): Argument #2 ($ptr) must be a live block of this heap
zendmm_block_info(): Argument #2 ($ptr) must be a live block of this heap
size unchanged: true
cached unchanged: true
live_blocks unchanged: true
real_size unchanged: true
array(0) {
}
string(7) "keep me"
array(0) {
}
int(50)

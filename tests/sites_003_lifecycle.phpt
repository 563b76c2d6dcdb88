--TEST--
Sites: a block's site goes with it when it is freed, survives realloc, and every site is reset with the heap (partial and full shutdown); recording sites leaves the heap's layout as it is
--INI--
pcre.jit=0
--FILE--
<?php
function one($h, $n) { return zendmm_emalloc($h, $n); }       // line 2
function two($h, $n) { return zendmm_emalloc($h, $n); }       // line 3
function show($h) {
    $s = zendmm_sites($h);
    if (!$s) { echo "  (no live block)\n"; }
    foreach ($s as $e) {
        printf("  %s: %d blocks, %d bytes\n", str_replace(__FILE__, 'T', $e['site']), $e['blocks'], $e['bytes']);
    }
}
$h = zendmm_heap_create(['sites' => true, 'use_zend_alloc' => true, 'segment_size' => 8192]);
$a = one($h, 100);   // 120
$b = one($h, 100);   // 120
$c = two($h, 1000);  // 1016
echo "three blocks:\n"; show($h);
zendmm_efree($h, $a);
echo "one freed (it waits in the cache, no site's):\n"; show($h);
$b = zendmm_erealloc($h, $b, 3000);   // moves: 3016, still one()'s
echo "one() grown to 3000 bytes:\n"; show($h);
$c = zendmm_erealloc($h, $c, 900);    // shrinks in place: 916 -> 920, the 96-byte tail split off
echo "two() shrunk in place:\n"; show($h);
zendmm_shutdown($h);
echo "after a partial shutdown:\n"; show($h);
$d = two($h, 40);
echo "recorded again:\n"; show($h);
zendmm_shutdown($h, true);
echo "after a full shutdown:\n"; show($h);
one($h, 8);
show($h);

echo "-- the same calls on a heap without sites give the same blocks\n";
function layout($h) {
    $out = [];
    foreach (zendmm_segments($h) as $seg) {
        foreach ($seg['blocks'] as $b) {
            $out[] = ($b['address'] - $seg['address']) . ':' . $b['size'] . ':' . $b['state'];
        }
    }
    return implode(' ', $out);
}
$x = zendmm_heap_create(['sites' => true, 'use_zend_alloc' => true, 'segment_size' => 8192]);
$y = zendmm_heap_create(['sites' => false, 'use_zend_alloc' => true, 'segment_size' => 8192]);
foreach ([$x, $y] as $heap) {
    $p = [];
    for ($i = 0; $i < 300; $i++) {
        $p[] = zendmm_emalloc($heap, ($i * 97) % 1500);
        if ($i % 4 == 3) { zendmm_efree($heap, $p[$i - 2]); }
        if ($i % 7 == 6) { $p[$i] = zendmm_erealloc($heap, $p[$i], 2000); }
    }
}
var_dump(layout($x) === layout($y), zendmm_stats($x)['size'] === zendmm_stats($y)['size'],
    zendmm_stats($x)['real_peak'] === zendmm_stats($y)['real_peak']);
echo "live blocks with a site = live blocks: ",
    var_export(array_sum(array_column(zendmm_sites($x, 0), 'blocks')) === zendmm_stats($x)['live_blocks'], true), "\n";
?>
--EXPECT--
three blocks:
  two (T:3): 1 blocks, 1016 bytes
  one (T:2): 2 blocks, 240 bytes
one freed (it waits in the cache, no site's):
  two (T:3): 1 blocks, 1016 bytes
  one (T:2): 1 blocks, 120 bytes
one() grown to 3000 bytes:
  one (T:2): 1 blocks, 3016 bytes
  two (T:3): 1 blocks, 1016 bytes
two() shrunk in place:
  one (T:2): 1 blocks, 3016 bytes
  two (T:3): 1 blocks, 920 bytes
after a partial shutdown:
  (no live block)
recorded again:
  two (T:3): 1 blocks, 56 bytes
after a full shutdown:
  (no live block)
  one (T:2): 1 blocks, 32 bytes
-- the same calls on a heap without sites give the same blocks
bool(true)
bool(true)
bool(true)
live blocks with a site = live blocks: true

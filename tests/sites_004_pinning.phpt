--TEST--
Pinning: zendmm_pinning() names the blocks and sites that keep a nearly empty segment from going back to storage, and the bytes it would return
--INI--
pcre.jit=0
--FILE--
<?php
// 4 KB segments. The reserve takes a 12 KB segment (8208 of 12288 bytes);
// ten 100-byte blocks (120 each) fill a 4 KB one; 3000 bytes (3016) a third.
// Freeing nine of the ten and flushing the cache leaves one 120-byte block
// alone in its segment: 120 / 4096 = 0.029296875.
$h = zendmm_heap_create(['sites' => true, 'use_zend_alloc' => true, 'segment_size' => 4096]);
function small($h) { return zendmm_emalloc($h, 100); }        // line 7
$p = [];
for ($i = 0; $i < 10; $i++) { $p[] = small($h); }
$big = zendmm_emalloc($h, 3000);                              // line 10
for ($i = 0; $i < 9; $i++) { zendmm_efree($h, $p[$i]); }
zendmm_flush_cache($h);
echo "segments: ", count(zendmm_segments($h)), "\n";

function show(array $pins) {
    echo count($pins), " pinned segment(s), returning ", array_sum(array_column($pins, 'returns')), " bytes\n";
    foreach ($pins as $g) {
        printf("  size %d live %d use %.9f cached %d free %d returns %d\n",
            $g['size'], $g['live_bytes'], $g['use'], $g['cached_bytes'], $g['free_bytes'], $g['returns']);
        foreach ($g['blocks'] as $b) {
            printf("    block of %d bytes (%d asked) at %s\n", $b['size'], $b['requested'], str_replace(__FILE__, 'T', $b['site'] ?? 'null'));
        }
        foreach ($g['sites'] as $site => $bytes) {
            printf("    site %s: %d bytes\n", str_replace(__FILE__, 'T', $site), $bytes);
        }
    }
}
$pins = zendmm_pinning($h);
echo "-- default max_use 0.25\n";
show($pins);
echo "the pinning block is \$p[9]: ", var_export($pins[0]['blocks'][0]['ptr'] === $p[9], true), "\n";
echo "keys: ", implode(' ', array_keys($pins[0])), "\n";
echo "block keys: ", implode(' ', array_keys($pins[0]['blocks'][0])), "\n";
echo "-- max_use 0.7: the reserve's segment too\n";
show(zendmm_pinning($h, 0.7));
echo "-- max_use 1: every segment\n";
echo count(zendmm_pinning($h, 1.0)), " segments\n";
echo "-- max_use 0: none\n";
show(zendmm_pinning($h, 0));

echo "-- moved: free the last block, and the segment goes back\n";
zendmm_efree($h, $p[9]);
show(zendmm_pinning($h));      // only the cache holds it now
zendmm_flush_cache($h);
echo "segments: ", count(zendmm_segments($h)), "\n";
show(zendmm_pinning($h));

echo "-- a heap without sites: blocks without a site\n";
$n = zendmm_heap_create(['use_zend_alloc' => true, 'segment_size' => 4096]);
$q = [];
for ($i = 0; $i < 10; $i++) { $q[] = zendmm_emalloc($n, 100); }
for ($i = 1; $i < 10; $i++) { zendmm_efree($n, $q[$i]); }
zendmm_flush_cache($n);
show(zendmm_pinning($n, 0.1));
?>
--EXPECT--
segments: 3
-- default max_use 0.25
1 pinned segment(s), returning 4096 bytes
  size 4096 live 120 use 0.029296875 cached 0 free 3944 returns 4096
    block of 120 bytes (100 asked) at small (T:7)
    site small (T:7): 120 bytes
the pinning block is $p[9]: true
keys: address size live_bytes use cached_bytes free_bytes returns blocks sites
block keys: ptr size requested site
-- max_use 0.7: the reserve's segment too
2 pinned segment(s), returning 16384 bytes
  size 4096 live 120 use 0.029296875 cached 0 free 3944 returns 4096
    block of 120 bytes (100 asked) at small (T:7)
    site small (T:7): 120 bytes
  size 12288 live 8208 use 0.667968750 cached 0 free 4048 returns 12288
    block of 8208 bytes (0 asked) at (reserve)
    site (reserve): 8208 bytes
-- max_use 1: every segment
3 segments
-- max_use 0: none
0 pinned segment(s), returning 0 bytes
-- moved: free the last block, and the segment goes back
1 pinned segment(s), returning 4096 bytes
  size 4096 live 0 use 0.000000000 cached 120 free 3944 returns 4096
segments: 2
0 pinned segment(s), returning 0 bytes
-- a heap without sites: blocks without a site
1 pinned segment(s), returning 4096 bytes
  size 4096 live 120 use 0.029296875 cached 0 free 3944 returns 4096
    block of 120 bytes (100 asked) at null

--TEST--
Large-block search: 5.3's own (default) and exact_fit choose different blocks; twins replace a node in 5.3's order
--FILE--
<?php
/* the size of the trie node at $addr, or null */
function in_trie(?array $t, int $addr): ?int
{
    if (!$t) return null;
    if ($t['address'] === $addr) return $t['size'];
    return in_trie($t['child0'], $addr) ?? in_trie($t['child1'], $addr);
}

/* Free blocks of the given true sizes (each followed by a used 100-byte block, so none merge), then one
 * request; prints which of them the request took and where the rest of that block went. */
function take(bool $exact, array $trueSizes, int $request): void
{
    $h = zendmm_heap_create(['use_zend_alloc' => true, 'cache' => false, 'exact_fit' => $exact]);
    $free = [];
    $keep = [];
    foreach ($trueSizes as $ts) {
        $free[$ts] = zendmm_emalloc($h, $ts - 16);
        $keep[] = zendmm_emalloc($h, 100);
    }
    foreach ($free as $p) {
        zendmm_efree($h, $p);
    }
    $p = zendmm_emalloc($h, $request);
    $got = array_search($p, $free, true);
    $rest = [];
    $after = zendmm_block_info($h, $p)['address'] + zendmm_block_info($h, $p)['true_size'];
    $b = zendmm_buckets($h);
    foreach ($b['free_buckets'] as $i => $list) {
        foreach ($list as $x) {
            if ($x['address'] === $after) {
                $rest[] = "$x[size] bytes in bucket $i";
            }
        }
    }
    foreach ($b['large_free_buckets'] as $k => $t) {
        if ($t && ($size = in_trie($t, $after)) !== null) {
            $rest[] = "$size bytes in trie $k";
        }
    }
    printf("  %-12s: emalloc(%d) took the %d-byte block%s\n", zendmm_stats($h)['exact_fit'] ? 'exact_fit' : "5.3's search",
        $request, $got, $rest ? ', the rest (' . implode(', ', $rest) . ') is free' : '');
    zendmm_efree($h, $p);
    foreach ($keep as $k) {
        zendmm_efree($h, $k);
    }
    if (zendmm_stats($h)['segments'] !== 1 || zendmm_check_heap($h) !== []) {
        echo "  heap not clean\n";
    }
}

echo "trie 10 = 2000 (root) -> child[1] 1600 -> children 1544 / 1800; a 1032-byte true size:\n";
foreach ([false, true] as $exact) {
    take($exact, [2000, 1600, 1544, 1800], 1016);
}
echo "trie 10 empty, trie 11 = 4000 (root) -> child[0] 3000 -> child[0] 2096; a 1032-byte true size:\n";
foreach ([false, true] as $exact) {
    take($exact, [4000, 3000, 2096], 1016);
}
echo "an exact size is taken in both modes:\n";
foreach ([false, true] as $exact) {
    take($exact, [2000, 1600, 1544, 1800], 1528);
}

// twins: A is the node, B and C hang off it (C joined last, right after the node); when A leaves the trie,
// the twin before it in the ring (B) takes its place, and the next 2000-byte request gets C
echo "twin order:\n";
foreach ([false, true] as $exact) {
    $h = zendmm_heap_create(['use_zend_alloc' => true, 'cache' => false, 'exact_fit' => $exact]);
    $a = zendmm_emalloc($h, 1984);
    $sa = zendmm_emalloc($h, 100);
    $ta = zendmm_emalloc($h, 100);
    $b = zendmm_emalloc($h, 1984);
    $sb = zendmm_emalloc($h, 100);
    $c = zendmm_emalloc($h, 1984);
    $sc = zendmm_emalloc($h, 100);
    $names = [$a - 16 => 'A', $b - 16 => 'B', $c - 16 => 'C'];   // header addresses
    $name = fn($addr) => $names[$addr] ?? 'other';
    zendmm_efree($h, $a);
    zendmm_efree($h, $b);
    zendmm_efree($h, $c);
    $t = zendmm_buckets($h)['large_free_buckets'][10];
    printf("  %-12s: node %s, twins %s", $exact ? 'exact_fit' : "5.3's search", $name($t['address']),
        implode(' ', array_map($name, $t['twins'])));
    zendmm_efree($h, $sa);          // A merges with the block after it and leaves trie 10
    $t = zendmm_buckets($h)['large_free_buckets'][10];
    printf("; after A merged: node %s, twins %s", $name($t['address']), implode(' ', array_map($name, $t['twins'])));
    $x = zendmm_emalloc($h, 1984);
    printf("; emalloc(1984) took %s\n", $x === $c ? 'C' : ($x === $b ? 'B' : 'another block'));
}
?>
--EXPECT--
trie 10 = 2000 (root) -> child[1] 1600 -> children 1544 / 1800; a 1032-byte true size:
  5.3's search: emalloc(1016) took the 1600-byte block, the rest (568 bytes in trie 9) is free
  exact_fit   : emalloc(1016) took the 1544-byte block, the rest (512 bytes in bucket 60) is free
trie 10 empty, trie 11 = 4000 (root) -> child[0] 3000 -> child[0] 2096; a 1032-byte true size:
  5.3's search: emalloc(1016) took the 4000-byte block, the rest (2968 bytes in trie 11) is free
  exact_fit   : emalloc(1016) took the 2096-byte block, the rest (1064 bytes in trie 10) is free
an exact size is taken in both modes:
  5.3's search: emalloc(1528) took the 1544-byte block
  exact_fit   : emalloc(1528) took the 1544-byte block
twin order:
  5.3's search: node A, twins C B; after A merged: node B, twins C; emalloc(1984) took C
  exact_fit   : node A, twins C B; after A merged: node B, twins C; emalloc(1984) took C

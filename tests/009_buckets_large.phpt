--TEST--
zendmm_buckets(): the large trie per power of two, with twins and children; best fit; the rest list
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true, 'cache' => false]);
$seg = zendmm_segments($h)[0]['address'];
function rel($t, $seg) {
    if (!$t) return $t;
    $t['address'] -= $seg;
    foreach ($t['twins'] as &$x) $x -= $seg;
    $t['child0'] = rel($t['child0'], $seg);
    $t['child1'] = rel($t['child1'], $seg);
    return $t;
}
$L = [];
foreach ([1000, 1000, 1000, 1200, 1100, 3000, 2000] as $n) {
    $L[] = zendmm_emalloc($h, $n);
    $L[] = zendmm_emalloc($h, 8);   // keeps the large blocks apart
}
for ($i = 0; $i < count($L); $i += 2) {
    zendmm_efree($h, $L[$i]);
}
$b = zendmm_buckets($h);
printf("large_free_bitmap %b\n", $b['large_free_bitmap']);
foreach ($b['large_free_buckets'] as $i => $t) {
    if ($t) echo "tree $i: ", json_encode(rel($t, $seg), JSON_PRETTY_PRINT), "\n";
}
// best fit: 1090 bytes (true size 1112) takes the 1120-byte block, not 1216 or 2016
$p = zendmm_emalloc($h, 1090);
echo "1090 -> block at ", zendmm_block_info($h, $p)['address'] - $seg, ", true size ", zendmm_block_info($h, $p)['true_size'], "\n";
// equal sizes: a twin is taken before the tree node
$q = zendmm_emalloc($h, 1000);
echo "1000 -> block at ", zendmm_block_info($h, $q)['address'] - $seg, "\n";
echo "tree 9 twins now: ", json_encode(rel(zendmm_buckets($h)['large_free_buckets'][9], $seg)['twins']), "\n";

// a request bigger than a segment gets a segment of its own; its tail goes to the rest list
echo "rest before: ", count($b['rest_buckets']), "\n";
$big = zendmm_emalloc($h, 1 << 20);
$b = zendmm_buckets($h);
foreach ($b['rest_buckets'] as $r) {
    printf("rest: %d bytes, state %s, right after the big block: %s\n", $r['size'], $r['state'],
        var_export($r['address'] === zendmm_block_info($h, $big)['address'] + zendmm_block_info($h, $big)['true_size'], true));
}
$s = zendmm_stats($h);
echo "segments ", $s['segments'], ", real_size ", $s['real_size'], ", rest_count ", $s['rest_count'], "\n";
zendmm_efree($h, $big);
$s = zendmm_stats($h);
echo "after efree: segments ", $s['segments'], ", real_size ", $s['real_size'], ", real_peak ", $s['real_peak'],
    ", rest ", count(zendmm_buckets($h)['rest_buckets']), "\n";
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
large_free_bitmap 100000111000000000
tree 9: {
    "address": 8224,
    "size": 1016,
    "twins": [
        10320,
        9272
    ],
    "child0": null,
    "child1": null
}
tree 10: {
    "address": 11368,
    "size": 1216,
    "twins": [],
    "child0": {
        "address": 12616,
        "size": 1120,
        "twins": [],
        "child0": null,
        "child1": null
    },
    "child1": {
        "address": 16816,
        "size": 2016,
        "twins": [],
        "child0": null,
        "child1": null
    }
}
tree 11: {
    "address": 13768,
    "size": 3016,
    "twins": [],
    "child0": null,
    "child1": null
}
tree 17: {
    "address": 18864,
    "size": 243264,
    "twins": [],
    "child0": null,
    "child1": null
}
1090 -> block at 12616, true size 1120
1000 -> block at 10320
tree 9 twins now: [9272]
rest before: 0
rest: 262096 bytes, state rest, right after the big block: true
segments 2, real_size 1572864, rest_count 1
after efree: segments 1, real_size 262144, real_peak 1572864, rest 0
array(0) {
}

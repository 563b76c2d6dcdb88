<?php
/*
 * examples/heapmap.php - draw a heap that has something to show.
 *
 *   php -d extension=modules/zendmm_ext.so examples/heapmap.php [out.svg]
 *
 * Builds a heap of 64 KB segments with a known story:
 *   1. a run of small blocks of five sizes, then every third one freed and the
 *      cache flushed (free blocks in their buckets), then every seventh freed
 *      into the cache: fragmentation with a regular pattern;
 *   2. large blocks of 1 to 12 KB, every other one freed (the large trie);
 *   3. a switch to another storage scheme part-way (mmap_anon on Unix), after
 *      which new segments come from it, while the old ones stay where they are;
 *   4. more small blocks in stripes (they fill the old holes first, then new
 *      segments from the new scheme), a regular pattern of them freed, and two
 *      huge blocks, larger than a segment,
 *      each in a segment of its own whose tail goes to the rest list.
 * Prints the text map after each act, writes the SVG map (heapmap.svg next to
 * this script, or the path given as the first argument), and says where.
 */

if (!extension_loaded('zendmm_ext')) {
    fwrite(STDERR, "zendmm_ext is not loaded: run with -d extension=/path/to/zendmm_ext.so\n");
    exit(1);
}

$out = $argv[1] ?? __DIR__ . '/heapmap.svg';

$heap = zendmm_heap_create([
    'use_zend_alloc' => true,
    'storage'        => 'malloc',
    'segment_size'   => 64 * 1024,
    'cache'          => true,
    'limit'          => -1,
]);

function act(ZendMM\Heap $heap, string $title): void
{
    echo "\n== $title\n\n", zendmm_heap_map($heap), "\n";
}

// 1. small blocks of five sizes: 24, 56, 120, 248 and 504 bytes (true sizes 40 ... 520)
$small = [];
$sizes = [24, 56, 120, 248, 504];
for ($i = 0; $i < 700; $i++) {
    $small[$i] = zendmm_emalloc($heap, $sizes[$i % 5]);
}
act($heap, '1a. 700 small blocks of five sizes');

for ($i = 0; $i < 700; $i += 3) {
    zendmm_efree($heap, $small[$i]);
    unset($small[$i]);
}
zendmm_flush_cache($heap);              // the freed blocks leave the cache for their buckets
foreach (array_keys($small) as $i) {
    if ($i % 7 === 0) {
        zendmm_efree($heap, $small[$i]);    // these stay in the cache
        unset($small[$i]);
    }
}
act($heap, '1b. every third freed (now in buckets), every seventh freed into the cache');

// 2. large blocks, every other one freed: free blocks in the large trie
$large = [];
for ($i = 0; $i < 24; $i++) {
    $large[$i] = zendmm_emalloc($heap, 1024 * (1 + $i % 12));
}
for ($i = 0; $i < 24; $i += 2) {
    zendmm_efree($heap, $large[$i]);
    unset($large[$i]);
}
act($heap, '2. 24 large blocks of 1 to 12 KB, every other one freed');

// 3. switch storage part-way: new segments come from another scheme
$schemes = zendmm_storage_schemes();
$next = in_array('mmap_anon', $schemes, true) ? 'mmap_anon'
    : (current(array_diff($schemes, ['malloc', 'mmap_zero'])) ?: 'malloc');
$was = zendmm_set_storage($heap, $next);
echo "\n(storage switched from $was to $next)\n";

// 4. stripes: runs of five 40-byte and five 400-byte blocks. The first ones fill the
//    old holes; the rest need new segments, which now come from the new scheme.
$stripes = [];
for ($i = 0; $i < 1600; $i++) {
    $stripes[$i] = zendmm_emalloc($heap, $i % 10 < 5 ? 40 : 400);
}
$free_if = function (callable $which) use ($heap, &$stripes): void {
    foreach (array_keys($stripes) as $i) {
        if ($which($i)) {
            zendmm_efree($heap, $stripes[$i]);
            unset($stripes[$i]);
        }
    }
};
$free_if(fn($i) => $i % 20 >= 15);     // one run of 400-byte blocks in every two ...
$free_if(fn($i) => $i % 20 === 0);     // ... and one 40-byte block in every twenty
zendmm_flush_cache($heap);              // the runs coalesce into large free blocks; the singles go to a bucket
$free_if(fn($i) => $i % 20 === 3);     // these stay in the cache
$huge1 = zendmm_emalloc($heap, 100 * 1024);
$huge2 = zendmm_emalloc($heap, 300 * 1024);
act($heap, "3-4. after the switch to $next: striped small blocks and two huge blocks (100 KB, 300 KB)");

$svg = zendmm_heap_map($heap, 'svg');
if (@file_put_contents($out, $svg) !== strlen($svg)) {
    fwrite(STDERR, "cannot write $out\n");
    exit(1);
}
$stats = zendmm_stats($heap);
printf("SVG map written to %s (%d bytes, %d segments, %d live blocks)\n", $out, strlen($svg), $stats['segments'],
    $stats['live_blocks']);
$problems = zendmm_check_heap($heap);
echo $problems ? "heap check: " . implode("; ", $problems) . "\n" : "heap check: clean\n";

<?php
/*
 * A guided tour of the PHP 5.3 Zend memory manager, rebuilt by zendmm_ext.
 *
 *     php -d extension=modules/zendmm_ext.so examples/tour.php
 *
 * It walks the design the way the seed document does: storage schemes hand
 * out segments, segments are carved into blocks, free blocks wait in buckets
 * (small sizes), a trie (large sizes) or the rest list, freed small blocks
 * pass through a cache first, and the heap counts everything in its stats.
 * Then it hits the memory limit and switches storage on a live heap.
 * Every step prints what it shows.
 */

if (!extension_loaded('zendmm_ext')) {
    fwrite(STDERR, "Load the extension first: php -d extension=\$PWD/modules/zendmm_ext.so examples/tour.php\n");
    exit(1);
}

function step(string $title): void
{
    static $n = 0;
    $n++;
    echo "\n", str_repeat('=', 78), "\n", "$n. $title\n", str_repeat('=', 78), "\n";
}

function say(string $text): void
{
    echo wordwrap($text, 78), "\n";
}

function kb(int $bytes): string
{
    return $bytes >= 1024 && $bytes % 1024 === 0 ? ($bytes / 1024) . ' KB' : "$bytes bytes";
}

/* The segments of a heap, one line per block, addresses relative to their segment. */
function show_segments(ZendMM\Heap $h, int $maxBlocks = 12): void
{
    foreach (zendmm_segments($h) as $i => $seg) {
        printf("  segment %d: %s from %s, %d blocks\n", $i, kb($seg['size']), $seg['storage'], count($seg['blocks']));
        foreach (array_slice($seg['blocks'], 0, $maxBlocks) as $b) {
            printf("    +%-8d %8d bytes  %-8s%s\n", $b['address'] - $seg['address'], $b['size'], $b['state'],
                $b['bucket'] >= 0 ? " (bucket {$b['bucket']})" : '');
        }
        if (count($seg['blocks']) > $maxBlocks) {
            echo "    ... ", count($seg['blocks']) - $maxBlocks, " more\n";
        }
    }
}

/* The heap map of issue 5, when this build has it. */
function show_map(ZendMM\Heap $h): void
{
    if (function_exists('zendmm_heap_map')) {
        echo zendmm_heap_map($h, 'text'), "\n";
    }
}

function show_stats(ZendMM\Heap $h, array $keys): void
{
    $s = zendmm_stats($h);
    foreach ($keys as $k) {
        printf("  %-14s %s\n", $k, var_export($s[$k], true));
    }
}

echo "zendmm_ext ", ZENDMM_EXT_VERSION, ": the PHP 5.3 Zend memory manager as a heap you can drive from PHP\n";

/* ------------------------------------------------------------------------- */
step('Storage schemes: where segments come from');
say('ZendMM never asks the system for single blocks. A storage scheme (5.3\'s zend_mm_mem_handlers: '
    . 'init, dtor, compact, alloc, realloc, free) hands out big segments. This build has:');
foreach (zendmm_storage_schemes() as $scheme) {
    $h = zendmm_heap_create(['storage' => $scheme, 'use_zend_alloc' => true]);
    $s = zendmm_stats($h);
    printf("  %-10s a new heap on it holds %s%s\n", $scheme, kb($s['real_size']),
        $s['storage_data'] !== '' ? " (scheme data: {$s['storage_data']})" : '');
}
say('malloc is the default (win32 on Windows); ZEND_MM_MEM_TYPE or the "storage" option picks another. '
    . 'mmap_zero keeps a /dev/zero descriptor: that is its scheme data.');

/* ------------------------------------------------------------------------- */
step('Segments: a fresh heap');
$h = zendmm_heap_create(['use_zend_alloc' => true, 'cache' => false]);
say('A new heap takes one 256 KB segment at once, because it sets aside an 8 KB reserve block (kept for '
    . 'reporting an out-of-memory error). The rest of the segment is one free block, and a 16-byte guard '
    . 'closes it:');
show_segments($h);
show_stats($h, ['real_size', 'size', 'segments']);
say('real_size counts what the storage gave (262144), size counts the blocks handed out: the reserve, '
    . '8192 bytes plus its 16-byte header = 8208. These are the numbers 5.3 showed right after startup.');
if (function_exists('zendmm_heap_map')) {
    say('zendmm_heap_map() draws the same: a line per segment, each column showing the state that holds most '
        . 'of its bytes, then a legend with a count per state, the stats and the two bitmaps:');
}
show_map($h);

/* ------------------------------------------------------------------------- */
step('Blocks and buckets: sizes, headers, where free blocks wait');
say('Every block starts with a 16-byte header (its size and the size of the block before it). A request '
    . 'is rounded up to 8 bytes plus the header: its true size. Small true sizes (< 544) map to one of 64 '
    . 'exact-size buckets:');
foreach ([1, 16, 24, 100, 256, 520, 521, 4096] as $n) {
    $p = zendmm_emalloc($h, $n);
    $i = zendmm_block_info($h, $p);
    printf("  emalloc(%4d) -> true size %4d, %s\n", $n, $i['true_size'],
        $i['bucket'] >= 0 ? "small, bucket {$i['bucket']}" : "large, trie {$i['large_index']}");
    zendmm_efree($h, $p);
}
$a = zendmm_emalloc($h, 100);
$sep1 = zendmm_emalloc($h, 8);
$b = zendmm_emalloc($h, 100);
$sep2 = zendmm_emalloc($h, 8);
$c = zendmm_emalloc($h, 5000);
$sep3 = zendmm_emalloc($h, 8);
zendmm_efree($h, $a);
zendmm_efree($h, $b);
zendmm_efree($h, $c);
say('Freed (this heap has its cache off): two 100-byte blocks wait in bucket 11, the 5000-byte block in the '
    . 'large trie for sizes 4096..8191. A bitmap has a bit per non-empty bucket, so a search is a bit scan:');
$bk = zendmm_buckets($h);
printf("  free_bitmap       %064b\n", $bk['free_bitmap']);
printf("  large_free_bitmap %064b\n", $bk['large_free_bitmap']);
foreach ($bk['free_buckets'] as $i => $list) {
    if ($list) {
        printf("  bucket %2d: %d blocks of %d bytes, oldest first\n", $i, count($list), $list[0]['size']);
    }
}
foreach ($bk['large_free_buckets'] as $i => $tree) {
    if ($tree) {
        printf("  trie %2d: root of %d bytes, %d twins, children %s/%s\n", $i, $tree['size'], count($tree['twins']),
            $tree['child0'] ? $tree['child0']['size'] : '-', $tree['child1'] ? $tree['child1']['size'] : '-');
    }
}
say('Neighbouring free blocks merge at once: freeing the 8-byte block between the two 100-byte blocks '
    . 'leaves one free block of 120 + 32 + 120 = 272 bytes (bucket 30):');
zendmm_efree($h, $sep1);
foreach (zendmm_buckets($h)['free_buckets'] as $i => $list) {
    if ($list) {
        printf("  bucket %2d: %s\n", $i, implode(', ', array_map(fn($x) => $x['size'] . ' bytes', $list)));
    }
}
$huge = zendmm_emalloc($h, 1 << 20);
say('A request bigger than a segment gets a segment of its own, rounded up to 256 KB; the tail that is left '
    . 'goes to the rest list, kept apart so the segment can be given back whole:');
show_segments($h, 4);
printf("  rest list: %s\n", implode(', ', array_map(fn($x) => $x['size'] . ' bytes', zendmm_buckets($h)['rest_buckets'])));
show_map($h);
zendmm_efree($h, $huge);
printf("  after efree: %d segment(s), real_size %d: an empty segment goes back to storage at once\n",
    zendmm_stats($h)['segments'], zendmm_stats($h)['real_size']);

say('A large request takes a block from the trie of its power of two, else from the next non-empty trie. '
    . "The search is 5.3's own: it follows the request's bits down the trie, then walks one more path, stepping "
    . 'to child[1] whenever child[0] exists, so it can pass the smallest fitting block by; the option exact_fit '
    . 'makes it a true best fit. Free blocks of 4000, 3000 and 2096 bytes in trie 11 (3000 is the child[0] of '
    . '4000, 2096 the child[0] of 3000), and a request of 1016 bytes (true size 1032; trie 10 is empty):');
foreach ([false, true] as $exact) {
    $fitHeap = zendmm_heap_create(['use_zend_alloc' => true, 'cache' => false, 'exact_fit' => $exact]);
    $fitBlocks = [];
    foreach ([4000, 3000, 2096] as $ts) {
        $fitBlocks[$ts] = zendmm_emalloc($fitHeap, $ts - 16);
        zendmm_emalloc($fitHeap, 8);                  // keeps them apart
    }
    foreach ($fitBlocks as $fitBlock) {
        zendmm_efree($fitHeap, $fitBlock);
    }
    printf("  exact_fit %-5s -> the %d-byte block\n", var_export($exact, true),
        array_search(zendmm_emalloc($fitHeap, 1016), $fitBlocks, true));
}

/* ------------------------------------------------------------------------- */
step('The cache: freed small blocks are kept for the next request of their size');
$h = zendmm_heap_create(['use_zend_alloc' => true]);
$p = [];
for ($i = 0; $i < 5; $i++) {
    $p[] = zendmm_emalloc($h, 100);
}
foreach ($p as $x) {
    zendmm_efree($h, $x);
}
$s = zendmm_stats($h);
say('Five 100-byte blocks freed. They are not merged into the free lists: they stay "used" in the cache of '
    . 'bucket 11 (up to 256 KB of cache in all), so the next emalloc of that size is a pop:');
printf("  cache[11]: %d blocks, cached %d bytes, size still %d, memory_usage %d (size - cached)\n",
    count(zendmm_buckets($h)['cache'][11]), $s['cached'], $s['size'], zendmm_memory_usage($h));
$q = zendmm_emalloc($h, 100);
printf("  emalloc(100) returned the block freed last: %s\n", var_export($q === $p[4], true));
$cs = zendmm_stats($h)['cache_stat'][11];
printf("  cache_stat[11]: count %d, max_count %d, hit %d, miss %d\n", $cs['count'], $cs['max_count'], $cs['hit'], $cs['miss']);
show_map($h);
zendmm_flush_cache($h);
printf("  after zendmm_flush_cache(): cached %d\n", zendmm_stats($h)['cached']);

/* ------------------------------------------------------------------------- */
step('The stats: every counter of zend_mm_heap');
for ($i = 0; $i < 1000; $i++) {
    $blocks[] = zendmm_emalloc($h, 10 + $i * 7 % 3000);
}
foreach ($blocks as $i => $x) {
    if ($i % 3) {
        zendmm_efree($h, $x);
    }
}
show_stats($h, ['storage', 'segment_size', 'segments', 'real_size', 'real_peak', 'size', 'peak', 'cached', 'limit',
    'live_blocks', 'header_size', 'max_small_size']);
printf("  memory_usage %d / real %d, peak_usage %d / real %d\n", zendmm_memory_usage($h), zendmm_memory_usage($h, true),
    zendmm_memory_peak_usage($h), zendmm_memory_peak_usage($h, true));
printf("  fragmentation (real_peak / peak): %.2f\n", zendmm_memory_peak_usage($h, true) / zendmm_memory_peak_usage($h));
printf("  zendmm_check_heap(): %s\n", json_encode(zendmm_check_heap($h)));
show_map($h);

/* ------------------------------------------------------------------------- */
step('A limit error');
$h = zendmm_heap_create(['use_zend_alloc' => true, 'limit' => 1 << 20]);
$keep = zendmm_estrdup($h, 'I was here before the error');
say('This heap may take 1 MB from storage. The limit is checked only when a new segment is needed, against '
    . 'real_size. In 5.3 hitting it was a fatal error; here it is an exception with the same message:');
$n = 0;
try {
    while (true) {
        zendmm_emalloc($h, 100000);
        $n++;
    }
} catch (ZendMM\MemoryLimitException $e) {
    printf("  after %d blocks of 100000 bytes: %s: %s\n", $n, get_class($e), $e->getMessage());
}
printf("  the heap is intact: zendmm_check_heap() = %s, the old block says '%s'\n", json_encode(zendmm_check_heap($h)),
    zendmm_read($h, $keep, 27));
printf("  zendmm_set_limit(-1) lifts it (the previous limit was %d)\n", zendmm_set_limit($h, -1));
zendmm_emalloc($h, 100000);
echo "  and the next block fits.\n";

/* ------------------------------------------------------------------------- */
step('A storage switch on a live heap');
$h = zendmm_heap_create(['use_zend_alloc' => true]);
$old = zendmm_emalloc($h, 400000);
zendmm_write($h, $old, str_repeat('m', 400000));
$to = in_array('mmap_anon', zendmm_storage_schemes(), true) ? 'mmap_anon' : zendmm_storage_schemes()[0];
printf("  zendmm_set_storage(\$h, '%s') returned '%s'\n", $to, zendmm_set_storage($h, $to));
$new = zendmm_emalloc($h, 400000);
say('New segments come from the new scheme; each segment remembers the scheme that made it and goes back '
    . 'to it:');
show_segments($h, 3);
show_map($h);
$old = zendmm_erealloc($h, $old, 800000);
printf("  the old block grew to 800000 bytes in its own scheme and kept its data: %s\n",
    var_export(zendmm_read($h, $old, 400000) === str_repeat('m', 400000), true));
zendmm_efree($h, $old);
zendmm_efree($h, $new);
printf("  both freed: %d segment(s) left, zendmm_check_heap() = %s\n", zendmm_stats($h)['segments'],
    json_encode(zendmm_check_heap($h)));

/* ------------------------------------------------------------------------- */
step('Shutdown, as at the end of a request');
$p = zendmm_estrdup($h, 'doomed');
zendmm_shutdown($h);
say('zendmm_shutdown() is 5.3\'s partial shutdown: every segment goes back, the counters start again, the '
    . 'reserve is made again. Every earlier pointer is now invalid, and the heap says so:');
try {
    zendmm_read($h, $p);
} catch (ValueError $e) {
    echo "  ", $e->getMessage(), "\n";
}
show_stats($h, ['real_size', 'size', 'segments']);
say('The process-wide heap (zendmm_heap()) gets exactly this at the end of every request, and a full '
    . 'shutdown when PHP ends.');
echo "\nEnd of the tour.\n";

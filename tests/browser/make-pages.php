<?php
/*
 * make-pages.php OUTDIR - the pages the browser tests open, and what each
 * should show, from the extension's own inspection functions (zendmm_segments,
 * zendmm_buckets, zendmm_breakdown) and from numbers the construction fixes.
 * Run by tests/browser/run.js with the extension loaded; writes OUTDIR/*.html
 * and OUTDIR/expected.json.
 */
$out = $argv[1] ?? die("usage: make-pages.php OUTDIR\n");
@mkdir($out, 0777, true);
$expected = [];

/* what a page of $heap must show */
function expect_of(ZendMM\Heap $h): array
{
    $segs = zendmm_segments($h);
    $states = [];
    $blocks = 0;
    $segBlocks = [];
    foreach ($segs as $s) {
        $segBlocks[] = count($s['blocks']);
        foreach ($s['blocks'] as $b) {
            $blocks++;
            $states[$b['state']] = ($states[$b['state']] ?? 0) + 1;
        }
    }
    $bk = zendmm_buckets($h);
    $addr = fn ($l) => array_map(fn ($b) => $b['address'], $l);
    return [
        'blocks' => $blocks,
        'segments' => count($segs),
        'seg_blocks' => $segBlocks,
        'states' => $states,
        'breakdown' => zendmm_breakdown($h),
        'bucket_lists' => array_map($addr, $bk['free_buckets']),
        'cache_lists' => array_map($addr, $bk['cache']),
        'rest' => $addr($bk['rest_buckets']),
        'stats' => array_intersect_key(zendmm_stats($h), array_flip(['size', 'real_size', 'peak', 'cached'])),
    ];
}

/* 1. the known heap of tests/c/test_heapmap.c: 3 segments, 18 blocks */
$h = zendmm_heap_create(['segment_size' => 4096, 'storage' => 'malloc', 'use_zend_alloc' => true]);
$a = [];
for ($i = 0; $i < 10; $i++) $a[] = zendmm_emalloc($h, 100);
zendmm_efree($h, $a[1]);
zendmm_efree($h, $a[3]);
zendmm_efree($h, $a[5]);
zendmm_flush_cache($h);
zendmm_efree($h, $a[7]);
$big = zendmm_emalloc($h, 3000);
file_put_contents("$out/known.html", zendmm_heap_map($h, 'html'));
$expected['known'] = expect_of($h) + ['big_address' => zendmm_block_info($h, $big)['address']];

/* 2. a heap of 120000 blocks (sub-pixel blocks are merged into runs) */
$h2 = zendmm_heap_create(['use_zend_alloc' => true]);
mt_srand(7);
$p = [];
for ($i = 0; $i < 120000; $i++) $p[] = zendmm_emalloc($h2, mt_rand(1, 200));
for ($i = 0; $i < 120000; $i += 3) zendmm_efree($h2, $p[$i]);
file_put_contents("$out/big.html", zendmm_heap_map($h2, 'html'));
$expected['big'] = expect_of($h2);
unset($expected['big']['bucket_lists'], $expected['big']['cache_lists']);

/* 3. a recorded trace (PHP's own heap while it builds and sorts arrays) and its player */
$trace = "$out/work.trace";
zendmm_trace_start($trace);
$x = [];
for ($i = 0; $i < 6000; $i++) { $x[] = str_repeat('x', $i % 300) . $i; if ($i % 7 == 0) unset($x[$i - 3]); }
usort($x, fn ($l, $r) => strcmp($l, $r));
$y = array_map('strrev', $x);
unset($x, $y);
$counts = zendmm_trace_stop();
zendmm_trace_html($trace, "$out/player.html");
$expected['player'] = ['trace' => $trace];

/* 4. a short trace: every step is a frame */
$short = "$out/short.trace";
zendmm_trace_start($short);
$s = [];
for ($i = 0; $i < 40; $i++) $s[] = str_repeat('y', 20 + $i * 40);
unset($s[3], $s[4], $s[10]);
$huge = str_repeat('h', 400000);   /* a segment of its own, taken and given back */
unset($huge);
$s = null;
zendmm_trace_stop();
zendmm_trace_html($short, "$out/short.html");
$expected['short'] = ['trace' => $short];

file_put_contents("$out/expected.json", json_encode($expected, JSON_PRETTY_PRINT));
echo "pages written to $out\n";

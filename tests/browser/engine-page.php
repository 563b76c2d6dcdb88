<?php
/*
 * engine-page.php OUTDIR - run with zendmm_ext.engine=1 (and
 * zendmm_ext.engine_trace=OUTDIR/engine.trace): the explorer of PHP's own heap,
 * and what it must show, into OUTDIR/engine.html and OUTDIR/engine.json.
 */
$out = $argv[1] ?? die("usage: engine-page.php OUTDIR\n");
$work = [];
for ($i = 0; $i < 3000; $i++) $work[] = ['n' => $i, 's' => str_repeat('z', $i % 100)];
$h = zendmm_heap();
$page = zendmm_heap_map($h, 'html');
$blocks = 0;
foreach (zendmm_segments($h) as $s) $blocks += count($s['blocks']);
$bd = zendmm_breakdown($h);
file_put_contents("$out/engine.html", $page);
file_put_contents("$out/engine.json", json_encode(['blocks' => $blocks, 'breakdown' => $bd]));
echo count($work), " rows\n";

--TEST--
zendmm_breakdown(): real_size in its parts, exact on a known heap, adding up on every heap after every step
--FILE--
<?php
/* The known heap of tests/c/test_heapmap.c: 4 KB segments, the 8 KB reserve in a 12 KB segment. */
$h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'malloc', 'segment_size' => 4096]);
$a = [];
for ($i = 0; $i < 10; $i++) $a[] = zendmm_emalloc($h, 100);
zendmm_efree($h, $a[1]);
zendmm_efree($h, $a[3]);
zendmm_efree($h, $a[5]);
zendmm_flush_cache($h);
zendmm_efree($h, $a[7]);
zendmm_emalloc($h, 3000);
var_dump(zendmm_breakdown($h));

/* The parts of every heap below add up to real_size after every step, and each
 * agrees with what the script knows independently: what it asked for, the
 * live blocks' true sizes (zendmm_block_info), the header size, the cache. */
function parts_sum(array $b): int
{
    return $b['payload_and_rounding'] + $b['headers'] + $b['cached'] + $b['free_small'] + $b['free_large']
        + $b['rest'] + $b['segment_overhead'] + $b['reserve'];
}
function check_heap(ZendMM\Heap $h, array $live, string $what): int
{
    $b = zendmm_breakdown($h);
    $s = zendmm_stats($h);
    $true = 0;
    foreach ($live as $p => $n) $true += zendmm_block_info($h, $p)['true_size'];
    $bad = [];
    if (parts_sum($b) !== $s['real_size'] || $b['real_size'] !== $s['real_size']) $bad[] = 'sum ' . parts_sum($b) . " real_size {$s['real_size']}";
    if ($s['use_zend_alloc']) {
        if ($b['payload'] !== array_sum($live)) $bad[] = "payload {$b['payload']}";
        if ($b['headers'] !== count($live) * $s['header_size']) $bad[] = "headers {$b['headers']}";
        if ($b['headers'] + $b['payload_and_rounding'] !== $true) $bad[] = 'used bytes';
        if ($b['payload'] + $b['rounding'] !== $b['payload_and_rounding']) $bad[] = 'rounding';
        if ($b['cached'] !== $s['cached']) $bad[] = "cached {$b['cached']}";
        if ($b['used_blocks'] !== count($live)) $bad[] = 'used blocks';
        if ($b['reserve'] + $true + $b['cached'] !== $s['size']) $bad[] = 'size';
        if ($b['segment_overhead'] !== $s['segments'] * (16 + $s['header_size'])) $bad[] = 'overhead';
    }
    if (!$b['complete'] || !$b['requested_known']) $bad[] = 'flags';
    if ($bad) echo "$what: ", implode(', ', $bad), "\n";
    return $bad ? 1 : 0;
}

$configs = [
    [],
    ['segment_size' => 4096],
    ['segment_size' => 32768, 'cache' => false],
    ['cookies' => true],
    ['protection' => true, 'segment_size' => 16384],
    ['cookies' => true, 'protection' => true, 'fill_freed' => true],
    ['alignment' => 16],
    ['alignment' => 16, 'exact_fit' => true, 'segment_size' => 8192],
    ['storage' => 'mmap_anon', 'reserve_size' => 0],
    ['use_zend_alloc' => false],
];
mt_srand(18);
$bad = 0;
$checks = 0;
foreach ($configs as $k => $opts) {
    $h = zendmm_heap_create($opts);
    $live = [];
    $bad += check_heap($h, $live, "config $k, new");
    for ($step = 0; $step < 400; $step++) {
        $r = mt_rand(0, 99);
        if ($r < 55 || !$live) {
            $n = mt_rand(0, 100) < 90 ? mt_rand(0, 600) : mt_rand(600, 70000);
            $live[zendmm_emalloc($h, $n)] = $n;
        } elseif ($r < 90) {
            $p = array_rand($live);
            zendmm_efree($h, $p);
            unset($live[$p]);
        } elseif ($r < 97) {
            $p = array_rand($live);
            $n = mt_rand(0, 3000);
            unset($live[$p]);
            $live[zendmm_erealloc($h, $p, $n)] = $n;
        } elseif ($r < 98) {
            zendmm_flush_cache($h);
        } elseif ($r < 99) {
            zendmm_compact($h);
        } else {
            zendmm_shutdown($h);
            $live = [];
        }
        $bad += check_heap($h, $live, "config $k, step $step");
        $checks++;
    }
}
echo "$checks checks, $bad failed\n";
?>
--EXPECT--
array(14) {
  ["real_size"]=>
  int(20480)
  ["payload"]=>
  int(3600)
  ["headers"]=>
  int(112)
  ["rounding"]=>
  int(24)
  ["payload_and_rounding"]=>
  int(3624)
  ["cached"]=>
  int(120)
  ["free_small"]=>
  int(360)
  ["free_large"]=>
  int(3912)
  ["rest"]=>
  int(4048)
  ["segment_overhead"]=>
  int(96)
  ["reserve"]=>
  int(8208)
  ["used_blocks"]=>
  int(7)
  ["requested_known"]=>
  bool(true)
  ["complete"]=>
  bool(true)
}
4000 checks, 0 failed

--TEST--
zendmm_heap_map($heap, 'html'): one self-contained page carrying the model (blocks, lists in list order, where real_size goes)
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'malloc', 'segment_size' => 4096]);
$a = [];
for ($i = 0; $i < 10; $i++) $a[] = zendmm_emalloc($h, 100);
zendmm_efree($h, $a[1]);
zendmm_efree($h, $a[3]);
zendmm_efree($h, $a[5]);
zendmm_flush_cache($h);
zendmm_efree($h, $a[7]);
zendmm_emalloc($h, 3000);
$before = zendmm_stats($h);
$page = zendmm_heap_map($h, 'html');
var_dump(str_starts_with($page, "<!DOCTYPE html>\n"), str_ends_with($page, "</html>\n"));
/* nothing fetched: no external script, style, image or link */
var_dump(preg_match('~<(link|img|iframe)\b|\bsrc=|@import|url\(|https?://(?!www\.w3\.org/2000/svg)~i', $page));
preg_match('~<script type="application/json" id="zmm-data">\n(.*?)\n</script>~s', $page, $m);
$d = json_decode($m[1], true, 512, JSON_THROW_ON_ERROR);
echo $d['kind'], ' ', count($d['state']['segs']), " segments\n";
/* blocks: size | state, and the rounding after a used block */
$blocks = 0;
$sizes = [];
foreach ($d['state']['segs'] as $seg) {
    for ($j = 0; $j < count($seg['b']); $j++) {
        $v = $seg['b'][$j];
        $size = $v & ~7;
        $state = $d['states'][$v & 7];
        if ($state === 'used') $j++;
        $sizes[] = "$state $size";
        $blocks++;
    }
}
echo "$blocks blocks: ", implode(', ', array_slice($sizes, 0, 4)), "\n";
/* the bucket 11 list, in list order, as zendmm_buckets() gives it */
$all = [];
foreach (zendmm_segments($h) as $s) foreach ($s['blocks'] as $b) $all[] = $b['address'];
$list = array_map(fn ($i) => $all[$i], $d['state']['lists']['bucket'][11]);
var_dump($list === array_map(fn ($b) => $b['address'], zendmm_buckets($h)['free_buckets'][11]));
echo count($d['state']['lists']['cache'][11]), ' cached, ', count($d['state']['lists']['rest']), " rest\n";
$parts = array_column($d['state']['breakdown']['parts'], 1, 0);
$bd = zendmm_breakdown($h);
var_dump($parts === array_intersect_key($bd, $parts), array_sum($parts) === $bd['real_size']);
echo implode(' ', array_keys($parts)), "\n";
var_dump($d['state']['sites'], $d['layout']['width'], zendmm_stats($h) == $before);
var_dump(strlen(zendmm_heap_map($h, 'html', 2000)) > 0);
try { zendmm_heap_map($h, 'html', 100); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECT--
bool(true)
bool(true)
int(0)
map 3 segments
18 blocks: used 3016, large 1048, guard 16, used 120
bool(true)
1 cached, 1 rest
bool(true)
bool(true)
payload headers rounding cached free_small free_large rest segment_overhead reserve
array(0) {
}
float(1200)
bool(true)
bool(true)
zendmm_heap_map(): Argument #3 ($width) must be between 400 and 20000 for the "html" format

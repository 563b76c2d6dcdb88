--TEST--
zendmm_heap_map($heap, 'json'): the model the pictures are drawn from, equal to zendmm_segments(), zendmm_buckets() and zendmm_stats()
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true, 'segment_size' => 4096, 'cache' => true]);
$p = [];
for ($i = 0; $i < 40; $i++) {
    $p[] = zendmm_emalloc($h, [16, 100, 520, 700, 3000][$i % 5]);
}
foreach ([1, 3, 5, 6, 8, 11, 12, 19, 26, 31] as $i) {
    zendmm_efree($h, $p[$i]);
}
zendmm_flush_cache($h);
foreach ([0, 2, 9, 15] as $i) {
    zendmm_efree($h, $p[$i]);
}
$huge = zendmm_emalloc($h, 50000);

$json = zendmm_heap_map($h, 'json');
$m = json_decode($json, true, 512, JSON_THROW_ON_ERROR);
echo implode(',', array_keys($m)), "\n";
var_dump($m['map'], $m['complete']);
var_dump($m['segments'] === zendmm_segments($h));
var_dump($m['buckets'] === zendmm_buckets($h));
$stats = zendmm_stats($h);
$same = true;
foreach ($stats as $k => $v) {
    if (!array_key_exists($k, $m['stats']) || $m['stats'][$k] !== $v) {
        echo "stats[$k] differs: ", var_export($m['stats'][$k] ?? 'missing', true), ' vs ', var_export($v, true), "\n";
        $same = false;
    }
}
echo "stats equal zendmm_stats(): ", var_export($same && count($stats) === count($m['stats']), true), "\n";
// the model has every kind of thing a picture shows
$states = [];
foreach ($m['segments'] as $s) {
    foreach ($s['blocks'] as $b) {
        $states[$b['state']] = true;
    }
}
ksort($states);
echo implode(' ', array_keys($states)), "\n";
// a bitmap with bit 63 set is a negative integer, as in zendmm_buckets(); equal-sized
// free blocks hang off one trie node as twins
$g = zendmm_heap_create(['use_zend_alloc' => true, 'cache' => false]);
$x = zendmm_emalloc($g, 520);
$y = zendmm_emalloc($g, 16);
$t = [];
for ($i = 0; $i < 3; $i++) {
    $t[] = zendmm_emalloc($g, 1000);
    $s[] = zendmm_emalloc($g, 16);      // keeps the 1000-byte blocks apart
}
zendmm_efree($g, $x);
foreach ($t as $q) {
    zendmm_efree($g, $q);
}
$gm = json_decode(zendmm_heap_map($g, 'json'), true);
var_dump($gm['buckets']['free_bitmap'] === PHP_INT_MIN, $gm['buckets'] === zendmm_buckets($g));
$roots = array_filter($gm['buckets']['large_free_buckets']);
foreach ($roots as $k => $r) {
    echo "trie $k: size {$r['size']}, ", count($r['twins']), " twin(s)\n";
}
// no limit is -1, as in zendmm_stats()
zendmm_set_limit($g, -1);
var_dump(json_decode(zendmm_heap_map($g, 'json'), true)['stats']['limit']);
// the width is ignored for JSON
var_dump(zendmm_heap_map($h, 'json', 50) === $json);
?>
--EXPECTF--
map,complete,stats,segments,buckets
int(1)
bool(true)
bool(true)
bool(true)
stats equal zendmm_stats(): true
cached free guard large reserve rest used
bool(true)
bool(true)
trie 9: size 1016, 2 twin(s)
trie 17: size %d, 0 twin(s)
int(-1)
bool(true)

--TEST--
cache_stat: 5.3's ZEND_MM_CACHE_STAT as a heap option and zendmm_ext.cache_stat; off, nothing is counted and every block lies where it lies with it on
--FILE--
<?php
echo "zendmm_ext.cache_stat = ", ini_get('zendmm_ext.cache_stat'), "\n";

// the same calls on a heap that counts and one that does not
function run(ZendMM\Heap $h): array {
    $p = [];
    for ($i = 0; $i < 40; $i++) {
        $p[] = zendmm_emalloc($h, 24 + 40 * ($i % 7));   // buckets 1, 6, 11, ... 31
    }
    foreach ($p as $i => $x) {
        if ($i % 3) zendmm_efree($h, $x);
    }
    for ($i = 0; $i < 30; $i++) {
        $p[] = zendmm_emalloc($h, 24 + 40 * ($i % 5));
    }
    $p[] = zendmm_erealloc($h, $p[0], 200);
    $p[] = zendmm_emalloc($h, 3000);
    return array_map(fn($x) => $x - zendmm_segments($h)[0]['address'], $p);
}
// (use_zend_alloc: the valgrind pass sets USE_ZEND_ALLOC=0, which new heaps would follow)
$on = zendmm_heap_create(['use_zend_alloc' => true]);
$off = zendmm_heap_create(['cache_stat' => false, 'use_zend_alloc' => true]);
$at_on = run($on);
$at_off = run($off);
echo "same offsets: ", var_export($at_on === $at_off, true), "\n";
$s_on = zendmm_stats($on);
$s_off = zendmm_stats($off);
foreach (['size', 'peak', 'real_size', 'real_peak', 'cached', 'free_bitmap', 'large_free_bitmap'] as $k) {
    echo "$k: ", $s_on[$k], ", without: ", $s_on[$k] === $s_off[$k] ? "the same" : $s_off[$k], "\n";
}
// with it on, bucket 1 (24 bytes, true size 40): the first round asks 6 times
// with an empty cache (6 misses), 4 of them are freed into it (max_count 4),
// the second round asks 6 times (4 hits, 2 misses), and the realloc of the
// first one to 200 bytes moves it, caching the old block (count 1)
print_r($s_on['cache_stat'][1]);
echo "entries: ", count($s_on['cache_stat']), "\n";
var_dump($s_off['cache_stat']);
echo "check: ", json_encode(zendmm_check_heap($on)), " ", json_encode(zendmm_check_heap($off)), "\n";
$map = json_decode(zendmm_heap_map($off, 'json'), true);
echo "map of the heap without: ", var_export($map['stats']['cache_stat'], true), "\n";
$map = json_decode(zendmm_heap_map($on, 'json'), true);
echo "map of the heap with: ", count($map['stats']['cache_stat']), " entries\n";
// a flush empties the cache either way; the heap without still counts nothing
zendmm_flush_cache($off);
var_dump(zendmm_stats($off)['cache_stat'], zendmm_stats($off)['cached']);

// the INI setting gives the default of new heaps, the option wins
var_dump(ini_set('zendmm_ext.cache_stat', '0'));
var_dump(zendmm_stats(zendmm_heap_create())['cache_stat']);
echo "option true: ", count(zendmm_stats(zendmm_heap_create(['cache_stat' => true]))['cache_stat']), " entries\n";
var_dump(ini_set('zendmm_ext.cache_stat', 'maybe'), ini_get('zendmm_ext.cache_stat'));
ini_set('zendmm_ext.cache_stat', 'yes');
echo "after ini_set yes: ", count(zendmm_stats(zendmm_heap_create())['cache_stat']), " entries\n";

foreach ([['cache_stat' => 0], ['cache_stat' => null], ['cache_stat' => 'off'], ['Cache_stat' => true]] as $o) {
    try {
        zendmm_heap_create($o);
        echo json_encode($o), ": no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
?>
--EXPECTF--
zendmm_ext.cache_stat = 1
same offsets: true
size: 18840, without: the same
peak: 18840, without: the same
real_size: 262144, without: the same
real_peak: 262144, without: the same
cached: 1600, without: the same
free_bitmap: 0, without: the same
large_free_bitmap: 131072, without: the same
Array
(
    [count] => 1
    [max_count] => 4
    [hit] => 4
    [miss] => 8
)
entries: 65
NULL
check: [] []
map of the heap without: NULL
map of the heap with: 65 entries
NULL
int(0)
string(1) "1"
NULL
option true: 65 entries

Warning: ini_set(): zendmm_ext: zendmm_ext.cache_stat="maybe" refused: not a boolean (1, on, yes, true or 0, off, no, false) in %s on line %d
bool(false)
string(1) "0"
after ini_set yes: 65 entries
TypeError: zendmm_heap_create(): Argument #1 ($options) option "cache_stat" must be of type bool, int given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "cache_stat" must be of type bool, null given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "cache_stat" must be of type bool, string given
ValueError: zendmm_heap_create(): Argument #1 ($options) contains an unknown option "Cache_stat"

--TEST--
Engine heap: zendmm_heap() is PHP's own heap: maps, walks and the check work on it; functions that touch blocks are refused
--INI--
pcre.jit=0
zendmm_ext.engine=1
display_startup_errors=0
error_log=/dev/null
--FILE--
<?php
require __DIR__ . '/engine.inc';
engine_rerun_if_refused(__FILE__);

$h = zendmm_heap();
$keep = [];
for ($i = 0; $i < 3000; $i++) {
    $keep[] = str_repeat('m', $i % 700);
}
$text = zendmm_heap_map($h);
echo strtok($text, "\n") !== false && preg_match('~^heap map: \d+ segments?, \d+ blocks~', $text) ? "text map\n" : $text;
$json = json_decode(zendmm_heap_map($h, 'json'), true);
var_dump($json["map"], $json["complete"], $json["stats"]["alignment"], count($json["segments"]) >= 2);
var_dump(str_contains(zendmm_heap_map($h, "svg"), "<svg"));

// the walks build arrays while they read the heap: they see a consistent heap
$segs = zendmm_segments($h);
$blocks = 0;
foreach ($segs as $s) {
    $blocks += count($s['blocks']);
}
var_dump($blocks > 3000);
$b = zendmm_buckets($h);
echo implode(',', array_keys($b)), "\n";
var_dump(zendmm_check_heap($h));
// compaction hands back what flushing the cache empties (the drop of
// real_size); the malloc storage has nothing of its own to give back. On 8.5
// the heap takes a segment between the two reads, so a rise counts as no drop
$before = zendmm_stats($h);
$back = zendmm_compact($h);
$after = zendmm_stats($h);
var_dump($back === max(0, $before['real_size'] - $after['real_size']),
    $after['cached'], $after['storage']);
zendmm_flush_cache($h);
var_dump(zendmm_stats($h)['cached']);

// a script must not free, resize, read or write PHP's own blocks
$p = zendmm_segments($h)[0]['blocks'][0]['ptr'];
$calls = [
    'zendmm_emalloc' => [$h, 16], 'zendmm_ecalloc' => [$h, 2, 8], 'zendmm_erealloc' => [$h, $p, 32],
    'zendmm_efree' => [$h, $p], 'zendmm_safe_emalloc' => [$h, 2, 8, 0], 'zendmm_estrdup' => [$h, 'x'],
    'zendmm_estrndup' => [$h, 'x', 1], 'zendmm_write' => [$h, $p, 'x'], 'zendmm_read' => [$h, $p, 1],
    'zendmm_block_info' => [$h, $p], 'zendmm_set_limit' => [$h, 1 << 20], 'zendmm_shutdown' => [$h],
];
foreach ($calls as $fn => $args) {
    try {
        $fn(...$args);
        echo "$fn: allowed\n";
    } catch (ZendMM\Exception $e) {
        echo $e->getMessage(), "\n";
    }
}
// other heaps are untouched by the rule
$o = zendmm_heap_create();
zendmm_efree($o, zendmm_emalloc($o, 16));
$usage = memory_get_usage();
$s = zendmm_stats($h);
var_dump(zendmm_check_heap($h), $usage === $s['size'] - $s['cached']);
?>
--EXPECT--
text map
int(1)
bool(true)
int(16)
bool(true)
bool(true)
bool(true)
free_bitmap,large_free_bitmap,free_buckets,large_free_buckets,rest_buckets,cache
array(0) {
}
bool(true)
int(0)
string(6) "malloc"
int(0)
zendmm_emalloc() cannot be used on the engine heap: it holds PHP's own blocks (zendmm_ext.engine=1)
zendmm_ecalloc() cannot be used on the engine heap: it holds PHP's own blocks (zendmm_ext.engine=1)
zendmm_erealloc() cannot be used on the engine heap: it holds PHP's own blocks (zendmm_ext.engine=1)
zendmm_efree() cannot be used on the engine heap: it holds PHP's own blocks (zendmm_ext.engine=1)
zendmm_safe_emalloc() cannot be used on the engine heap: it holds PHP's own blocks (zendmm_ext.engine=1)
zendmm_estrdup() cannot be used on the engine heap: it holds PHP's own blocks (zendmm_ext.engine=1)
zendmm_estrndup() cannot be used on the engine heap: it holds PHP's own blocks (zendmm_ext.engine=1)
zendmm_write() cannot be used on the engine heap: it holds PHP's own blocks (zendmm_ext.engine=1)
zendmm_read() cannot be used on the engine heap: it holds PHP's own blocks (zendmm_ext.engine=1)
zendmm_block_info() cannot be used on the engine heap: it holds PHP's own blocks (zendmm_ext.engine=1)
zendmm_set_limit() cannot be used on the engine heap: it holds PHP's own blocks (zendmm_ext.engine=1)
zendmm_shutdown() cannot be used on the engine heap: it holds PHP's own blocks (zendmm_ext.engine=1)
array(0) {
}
bool(true)

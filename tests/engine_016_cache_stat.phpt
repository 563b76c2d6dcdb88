--TEST--
Engine heap: zendmm_ext.cache_stat=0 runs PHP on 5.3's release configuration, which counts no cache statistics; the figures stay 5.3's
--INI--
pcre.jit=0
zendmm_ext.engine=1
zendmm_ext.cache_stat=0
display_startup_errors=0
error_log=/dev/null
--FILE--
<?php
require __DIR__ . '/engine.inc';
engine_rerun_if_refused(__FILE__, ['zendmm_ext.cache_stat' => 0]);

echo strtok(engine_state(), ' '), ", zendmm_ext.cache_stat = ", ini_get('zendmm_ext.cache_stat'), "\n";
$h = zendmm_heap();
// PHP allocates and frees on it as usual: strings, arrays, objects
$keep = [];
for ($i = 0; $i < 2000; $i++) {
    $keep[] = str_repeat(chr(65 + $i % 26), $i % 300) . $i;
    if ($i % 3 == 0) unset($keep[$i - 1]);
}
$o = array_map(fn($x) => (object)['v' => $x], array_slice($keep, 0, 500));
unset($o);
$s = zendmm_stats($h);
var_dump($s['cache_stat'], $s['cache'], $s['cached'] > 0);
// the four figures are the engine heap's own, as with the statistics
$usage = memory_get_usage();
$real = memory_get_usage(true);
$s = zendmm_stats($h);
var_dump([$usage, $real] === [$s['size'] - $s['cached'], $s['real_size']]);
echo "check: ", json_encode(zendmm_check_heap($h)), "\n";
// heaps a script makes follow the setting too; the option wins
var_dump(zendmm_stats(zendmm_heap_create())['cache_stat']);
echo count(zendmm_stats(zendmm_heap_create(['cache_stat' => true]))['cache_stat']), " entries\n";
echo count($keep), "\n";
?>
--EXPECT--
on, zendmm_ext.cache_stat = 0
NULL
bool(true)
bool(true)
bool(true)
check: []
NULL
65 entries
1334

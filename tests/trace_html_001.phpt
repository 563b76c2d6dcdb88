--TEST--
zendmm_trace_html(): the player of a recorded trace, its frames the heap a replay of the trace gives
--FILE--
<?php
require __DIR__ . '/engine.inc';   /* engine_trace_replay(): the trace format replayed in PHP */
// a folder of this process's own: two runs of the suite at once never meet
$dir = sys_get_temp_dir() . '/zendmm_' . getmypid();
@mkdir($dir);
$trace = "$dir/zendmm_trace_html_001.trace";
$out = "$dir/zendmm_trace_html_001.html";
zendmm_trace_start($trace);
$x = [];
for ($i = 0; $i < 3000; $i++) { $x[] = str_repeat('p', $i % 400); if ($i % 5 == 0) unset($x[$i - 2]); }
$x = null;
$counts = zendmm_trace_stop();

var_dump(zendmm_trace_html($trace, $out));
$page = file_get_contents($out);
preg_match('~<script type="application/json" id="zmm-data">\n(.*?)\n</script>~s', $page, $m);
$d = json_decode($m[1], true, 512, JSON_THROW_ON_ERROR);
echo $d['kind'], ' ', $d['trace']['name'], "\n";
$steps = $d['trace']['steps'];
$every = $d['trace']['every'];
/* one frame before the first step, then after every every-th step and after the last */
var_dump($every === ($steps <= 5000 ? 1 : ($steps <= 50000 ? 10 : 100)));
var_dump(count($d['frames']) === intdiv($steps + $every - 1, $every) + 1, $d['frames'][0]['step'] === 0);
var_dump(end($d['frames'])['step'] === $steps);
$thousands = array_filter(array_column($d['frames'], 'step'), fn ($s) => $s % 1000 == 0);
var_dump(count($thousands) === intdiv($steps, 1000) + 1);

/* the last frame is the heap a replay of the whole trace leaves (the player replays on a heap
 * made as zendmm_heap_create() makes one) */
$r = zendmm_heap_create(['use_zend_alloc' => true]);
engine_trace_replay($trace, $r);
$s = zendmm_stats($r);
$last = end($d['frames']);
var_dump($last['t'] === [$s['size'], $s['real_size'], $s['peak'], $s['cached'], $s['real_peak']]);
var_dump($last['k'] === [$s['segments'], $s['live_blocks']]);
$bd = zendmm_breakdown($r);
var_dump(array_combine($d['part_keys'], $last['bd']) === array_intersect_key($bd, array_flip($d['part_keys'])));
@unlink($trace);
@unlink($out);
@rmdir($dir);
?>
--EXPECTF--
NULL
player zendmm_trace_html_001
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)

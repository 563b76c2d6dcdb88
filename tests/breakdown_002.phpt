--TEST--
zendmm_breakdown(): the engine heap does not record requested sizes (payload and rounding null, their sum given); argument errors
--INI--
pcre.jit=0
zendmm_ext.engine=1
display_startup_errors=0
error_log=/dev/null
--FILE--
<?php
require __DIR__ . '/engine.inc';
engine_rerun_if_refused(__FILE__);

$keep = [];
for ($i = 0; $i < 2000; $i++) $keep[] = str_repeat('b', $i % 500);
$b = zendmm_breakdown(zendmm_heap());
$s = zendmm_stats(zendmm_heap());
var_dump($b['payload'], $b['rounding'], $b['requested_known'], $b['complete']);
$sum = $b['payload_and_rounding'] + $b['headers'] + $b['cached'] + $b['free_small'] + $b['free_large'] + $b['rest']
    + $b['segment_overhead'] + $b['reserve'];
var_dump($sum === $s['real_size'], $b['real_size'] === $s['real_size']);
/* the engine heap's size counts the used, cached and reserve blocks */
var_dump($b['headers'] + $b['payload_and_rounding'] + $b['cached'] + $b['reserve'] === $s['size']);
var_dump($b['headers'] === $b['used_blocks'] * 16, $b['used_blocks'] > 2000);

foreach ([fn () => zendmm_breakdown(new stdClass), fn () => zendmm_breakdown()] as $f) {
    try { $f(); } catch (Throwable $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
}
?>
--EXPECT--
NULL
NULL
bool(false)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
TypeError: zendmm_breakdown(): Argument #1 ($heap) must be of type ZendMM\Heap, stdClass given
ArgumentCountError: zendmm_breakdown() expects exactly 1 argument, 0 given

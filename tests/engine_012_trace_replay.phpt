--TEST--
Engine heap: a trace recorded on the engine heap replays on a fresh 16-aligned heap to the live size the engine heap reported (within the bytes placement decides)
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
$file = tempnam(sys_get_temp_dir(), 'zendmm_engine_trace_');

/* Record $work on the engine heap, replay it on a fresh 16-aligned heap;
 * returns [operations, foreign frees, live bytes added: engine, replay]. */
function record_and_replay(ZendMM\Heap $h, string $file, callable $work): array
{
    $keep = null;
    $u0 = 0;
    $u1 = 0;
    gc_mem_caches();
    $u0 = memory_get_usage();
    zendmm_trace_start($file);
    $keep = $work();
    zendmm_trace_stop();
    $u1 = memory_get_usage();
    $r = zendmm_heap_create(['alignment' => 16]);
    $r0 = zendmm_memory_usage($r);
    [$ops, $foreign] = engine_trace_replay($file, $r);
    if (zendmm_check_heap($r) !== []) {
        echo "the replay heap is damaged\n";
    }
    return [$ops, $foreign, $u1 - $u0, zendmm_memory_usage($r) - $r0];
}

// allocations and frees only
[$ops, $foreign, $engine, $replay] = record_and_replay($h, $file, function () {
    $keep = [];
    for ($i = 0; $i < 300; $i++) {
        $keep[] = str_repeat('t', $i * 3);
    }
    return $keep;
});
echo "strings: ", $ops > 300 ? "replayed" : $ops, ", $foreign foreign, live size within 1 KB: ",
    var_export(abs($engine - $replay) < 1024 && $engine > 100000, true), "\n";

// with reallocs (a string grown by .=, an array turned into a hash).
// Not to the byte: 5.3 gives a block the whole free block when the rest would
// be smaller than the smallest block, so a few true sizes depend on where a
// block lands, and the engine heap is not fresh (the closures' own frames).
[$ops, $foreign, $engine, $replay] = record_and_replay($h, $file, function () {
    $keep = [];
    for ($i = 0; $i < 300; $i++) {
        $keep[] = str_repeat('t', $i * 3);
    }
    $s = '';
    for ($i = 0; $i < 2000; $i++) {
        $s .= "line $i\n";
    }
    unset($keep[7], $keep[100]);
    $keep[] = $s;
    return $keep;
});
echo "with reallocs: ", $ops > 300 ? "replayed" : $ops, ", $foreign foreign, live size within 1 KB: ",
    var_export(abs($engine - $replay) < 1024 && $engine > 150000, true), "\n";
unlink($file);
?>
--EXPECT--
strings: replayed, 0 foreign, live size within 1 KB: true
with reallocs: replayed, 0 foreign, live size within 1 KB: true

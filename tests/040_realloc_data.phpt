--TEST--
zendmm_erealloc(): data survives every path (shrink in place, grow into the next block, the cache, a segment of its own, move)
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
function pattern(int $n, int $seed): string {
    return substr(str_repeat(md5("seed $seed", true) . chr($seed), intdiv($n, 17) + 1), 0, $n);
}
$sizes = [1, 16, 17, 100, 520, 521, 4000, 100000, 262096, 262097, 1000000, 3000000, 100, 5000, 0, 700000, 24];
foreach ([1, 2] as $round) {
    $p = zendmm_emalloc($h, 8);
    $data = pattern(8, 0);
    zendmm_write($h, $p, $data);
    $other = zendmm_emalloc($h, 64);          // a neighbour, so that some grows must move
    foreach ($sizes as $k => $n) {
        $old = $p;
        $p = zendmm_erealloc($h, $p, $n);
        $keep = min(strlen($data), $n);
        if (zendmm_read($h, $p, $keep) !== substr($data, 0, $keep)) {
            echo "round $round: data lost growing to $n\n";
        }
        $data = pattern($n, $k);
        zendmm_write($h, $p, $data);
        $moves[$round][] = $p === $old ? '=' : 'm';
        if (zendmm_check_heap($h) !== []) {
            echo "heap damaged at $n\n";
        }
        if ($round === 2 && $k % 3 === 0) {
            zendmm_efree($h, $other);           // make room next to it, differently this time
            $other = zendmm_emalloc($h, 64);
        }
    }
    zendmm_efree($h, $p);
    zendmm_efree($h, $other);
}
echo "moves: ", count($moves[1]), " and ", count($moves[2]), " reallocs\n";
// a realloc to the same size keeps the pointer
$p = zendmm_emalloc($h, 300);
var_dump(zendmm_erealloc($h, $p, 300) === $p, zendmm_erealloc($h, $p, 290) === $p);
// a block alone in its segment grows through the storage's realloc
$big = zendmm_emalloc($h, 500000);
zendmm_write($h, $big, pattern(500000, 7));
$segments = zendmm_stats($h)['segments'];
$big = zendmm_erealloc($h, $big, 2000000);
var_dump(zendmm_read($h, $big, 500000) === pattern(500000, 7), zendmm_stats($h)['segments'] === $segments);
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
moves: 17 and 17 reallocs
bool(true)
bool(true)
bool(true)
bool(true)
array(0) {
}

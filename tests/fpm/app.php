<?php
/*
 * tests/fpm/app.php - the script every request of tests/fpm/run.sh runs.
 *
 * First line: the worker's pid and memory_get_usage() before the script has
 * allocated anything (in the mode: the engine heap's usage at the request's
 * start), flushed at once so that a request that dies still shows it.
 *   ?kind=normal   a deterministic workload; prints its digest
 *   ?kind=cycles   the same digest, and 18 MB left behind in reference cycles
 *                  (garbage that only the end of the request reclaims)
 *   ?kind=over     allocates until memory_limit stops it
 */
$start = memory_get_usage();
echo "start pid=", getmypid(), " usage=", $start, " limit=", ini_get('memory_limit'), "\n";
flush();

function workload(): string
{
    $a = [];
    for ($i = 0; $i < 2000; $i++) {
        $a["k$i"] = str_repeat(chr(65 + $i % 26), $i % 300);
    }
    krsort($a);
    $o = new ArrayObject($a);
    return md5(serialize($o->getArrayCopy()) . implode('|', array_keys($a)));
}

switch ($_GET['kind'] ?? 'normal') {
    case 'cycles':
        for ($i = 0; $i < 60; $i++) {
            $x = [str_repeat('c', 300000)];
            $x[] = &$x;
            unset($x);
        }
        echo "digest ", workload(), "\n";
        break;
    case 'over':
        $hold = [];
        while (true) {
            $hold[] = str_repeat('o', 100000);
        }
    default:
        echo "digest ", workload(), "\n";
}
echo "end\n";

<?php
/*
 * userland.php - what one allocate+free pair costs from PHP code, in one run:
 *   zendmm   zendmm_emalloc($heap, 64) + zendmm_efree($heap, $p)  (a default heap)
 *   ffi      $ffi->malloc(64) + $ffi->free($p)                     (FFI::cdef of libc)
 *   internal two calls of a trivial internal function (abs)
 *   empty    the loop alone
 * Interleaved rounds (zendmm ffi internal empty, zendmm ffi ...); best and
 * median ns per pair. Net figures subtract the empty loop. Prints a table,
 * then "userland_vs_ffi <net zendmm / net ffi, medians>".
 *
 *   php -n -d extension=modules/zendmm_ext.so -d ffi.enable=1 bench/userland.php [iterations] [rounds]
 */
declare(strict_types=1);

if (!function_exists('zendmm_emalloc')) {
    fwrite(STDERR, "userland.php: zendmm_ext is not loaded (php -d extension=modules/zendmm_ext.so)\n");
    exit(2);
}
if (!class_exists('FFI') || !in_array(ini_get('ffi.enable'), ['1', 'On', 'on', 'true', 'preload'], true)) {
    fwrite(STDERR, "userland.php: FFI is not available or not enabled (php -d ffi.enable=1)\n");
    exit(2);
}

$iterations = (int)($argv[1] ?? 200000);
$rounds = (int)($argv[2] ?? 9);
$size = 64;

$heap = zendmm_heap_create();
$ffi = FFI::cdef('void *malloc(size_t size); void free(void *ptr);', 'libc.so.6');

$cases = [
    'zendmm' => function (int $n) use ($heap, $size): int {
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $p = zendmm_emalloc($heap, $size);
            zendmm_efree($heap, $p);
        }
        return hrtime(true) - $t;
    },
    'ffi' => function (int $n) use ($ffi, $size): int {
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $p = $ffi->malloc($size);
            $ffi->free($p);
        }
        return hrtime(true) - $t;
    },
    'internal' => function (int $n) use ($size): int {
        $x = -$size;
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $p = abs($x);
            $q = abs($x);
        }
        return hrtime(true) - $t;
    },
    'empty' => function (int $n) use ($size): int {
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
        }
        return hrtime(true) - $t;
    },
];

foreach ($cases as $fn) {          /* warm up */
    $fn(intdiv($iterations, 10));
}
$times = array_fill_keys(array_keys($cases), []);
for ($r = 0; $r < $rounds; $r++) {
    foreach ($cases as $name => $fn) {
        $times[$name][] = $fn($iterations) / $iterations;
    }
}

function median(array $v): float
{
    sort($v);
    $n = count($v);
    return $n % 2 ? $v[intdiv($n, 2)] : ($v[$n / 2 - 1] + $v[$n / 2]) / 2;
}

$best = array_map('min', $times);
$med = array_map('median', $times);
printf("%-10s %10s %10s %10s\n", 'pair', 'best ns', 'median ns', 'net ns');
foreach ($cases as $name => $_) {
    $net = $name === 'empty' ? $med[$name] : $med[$name] - $med['empty'];
    printf("%-10s %10.1f %10.1f %10.1f\n", $name, $best[$name], $med[$name], $net);
}
$ours = $med['zendmm'] - $med['empty'];
$theirs = $med['ffi'] - $med['empty'];
printf("userland_vs_ffi %.3f\n", $theirs > 0 ? $ours / $theirs : 0);
printf("userland_vs_ffi_raw %.3f\n", $med['ffi'] > 0 ? $med['zendmm'] / $med['ffi'] : 0);
printf("userland_vs_internal %.3f\n", ($med['internal'] - $med['empty']) > 0 ? $ours / ($med['internal'] - $med['empty']) : 0);

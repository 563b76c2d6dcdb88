<?php
/*
 * report.php - turns the output of build/replay (tab-separated rows) and of
 * userland.php into the benchmark table and the headline lines:
 *   core_vs_php82    our median time / PHP 8.2's, geometric mean over the traces
 *   core_tracked_vs_php82  the same for zmm/malloc/cache/track (block tracking
 *                    on, as the extension's heaps run)
 *   core_vs_glibc    our median time / glibc's, likewise
 *   fragmentation    worst real_peak / peak of ours over the traces
 *   userland_vs_ffi  net zendmm pair / net FFI pair (from userland.php)
 *   core_vs_53_instructions  the worst over the traces of (our callgrind
 *                    instructions per step / PHP 8.2's) / (the original 5.3's /
 *                    PHP 8.2's) from reference-5.3.tsv (instructions.sh output)
 *   core_stat_vs_php82  the same for zmm/malloc/cache/stat (cache statistics on)
 *   instructions_vs_php82, instructions_worst_vs_php82  the geometric mean and
 *                    the worst over the traces of our instructions per step /
 *                    PHP 8.2's; instructions_stat_vs_php82 the mean with
 *                    cache statistics (instructions.sh -s)
 * "ours" is the raw core: zmm/malloc/cache (block tracking and cache
 * statistics off: 5.3's release build, the engine heap with zendmm_ext.cache_stat=0).
 *
 *   php bench/report.php REPLAY_OUTPUT [USERLAND_OUTPUT [INSTRUCTIONS_OUTPUT]]
 */
declare(strict_types=1);

const OURS = 'zmm/malloc/cache';
const TRACKED = 'zmm/malloc/cache/track';
const WITH_STAT = 'zmm/malloc/cache/stat';

$rows = [];
$notes = [];
foreach (file($argv[1] ?? 'php://stdin', FILE_IGNORE_NEW_LINES) as $line) {
    if (str_starts_with($line, 'row')) {
        [, $trace, $alloc, $steps, $best, $median, $req, $used, $sys, $frag] = explode("\t", $line);
        $rows[$trace][$alloc] = ['steps' => (int)$steps, 'best' => (float)$best, 'median' => (float)$median,
            'req' => (int)$req, 'used' => (int)$used, 'sys' => (int)$sys, 'frag' => $frag];
    } elseif (str_starts_with($line, '# trace') || str_starts_with($line, '# warning') || str_starts_with($line, '# rounds')) {
        $notes[] = $line;
    }
}
if (!$rows) {
    fwrite(STDERR, "report.php: no rows in the replay output\n");
    exit(1);
}

function mb(int $b): string
{
    return sprintf('%.2f', $b / 1048576);
}

foreach ($notes as $n) {
    echo $n, "\n";
}
echo "\n";
$ratio = ['php82' => [], 'glibc' => [], 'tracked' => [], 'stat' => []];
$frag = [];
$fragAll = [];
foreach ($rows as $trace => $byAlloc) {
    $first = reset($byAlloc);
    printf("%s: %d steps, peak requested %s MB\n", $trace, $first['steps'], mb($first['req']));
    printf("| %-24s | %8s | %8s | %9s | %9s | %9s | %9s | %8s | %8s |\n", 'allocator', 'best ns', 'med ns',
        'vs php82', 'vs glibc', 'used MB', 'sys MB', 'sys/req', 'frag');
    printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", str_repeat('-', 26), str_repeat('-', 10), str_repeat('-', 10),
        str_repeat('-', 11), str_repeat('-', 11), str_repeat('-', 11), str_repeat('-', 11), str_repeat('-', 10),
        str_repeat('-', 10));
    $php = $byAlloc['php82']['median'] ?? null;
    $glibc = $byAlloc['glibc']['median'] ?? null;
    foreach ($byAlloc as $alloc => $r) {
        printf("| %-24s | %8.2f | %8.2f | %9s | %9s | %9s | %9s | %8.3f | %8s |\n", $alloc, $r['best'], $r['median'],
            $php ? sprintf('%.3f', $r['median'] / $php) : '-', $glibc ? sprintf('%.3f', $r['median'] / $glibc) : '-',
            mb($r['used']), mb($r['sys']), $r['req'] ? $r['sys'] / $r['req'] : 0, $r['frag']);
        if (str_starts_with($alloc, 'zmm/') && is_numeric($r['frag'])) {
            $fragAll[] = (float)$r['frag'];
        }
    }
    echo "\n";
    if (isset($byAlloc[OURS])) {
        if ($php) {
            $ratio['php82'][] = $byAlloc[OURS]['median'] / $php;
            if (isset($byAlloc[TRACKED])) {
                $ratio['tracked'][] = $byAlloc[TRACKED]['median'] / $php;
            }
            if (isset($byAlloc[WITH_STAT])) {
                $ratio['stat'][] = $byAlloc[WITH_STAT]['median'] / $php;
            }
        }
        if ($glibc) {
            $ratio['glibc'][] = $byAlloc[OURS]['median'] / $glibc;
        }
        $frag[$trace] = (float)$byAlloc[OURS]['frag'];
    }
}

function geomean(array $v): ?float
{
    if (!$v) {
        return null;
    }
    return exp(array_sum(array_map('log', $v)) / count($v));
}

$userland = null;
if (isset($argv[2]) && is_file($argv[2])) {
    $text = file_get_contents($argv[2]);
    echo "userland pairs (ns per pair, from userland.php):\n", preg_replace('/^userland_vs_.*\n?/m', '', $text), "\n";
    if (preg_match('/^userland_vs_ffi ([0-9.]+)$/m', $text, $m)) {
        $userland = (float)$m[1];
    }
}

/* summary: the default configuration against the two references, per trace */
echo "summary (median ns per step; ", OURS, ", block tracking off):\n";
printf("| %-8s | %8s | %8s | %8s | %8s | %10s | %10s | %6s |\n", 'trace', 'steps', 'ours', 'php82', 'glibc',
    'ours/php82', 'ours/glibc', 'frag');
printf("|%s|%s|%s|%s|%s|%s|%s|%s|\n", str_repeat('-', 10), str_repeat('-', 10), str_repeat('-', 10),
    str_repeat('-', 10), str_repeat('-', 10), str_repeat('-', 12), str_repeat('-', 12), str_repeat('-', 8));
$best = ['php82' => [], 'glibc' => []];
foreach ($rows as $trace => $byAlloc) {
    if (!isset($byAlloc[OURS])) {
        continue;
    }
    $o = $byAlloc[OURS];
    $p = $byAlloc['php82'] ?? null;
    $g = $byAlloc['glibc'] ?? null;
    printf("| %-8s | %8d | %8.2f | %8s | %8s | %10s | %10s | %6s |\n", $trace, $o['steps'], $o['median'],
        $p ? sprintf('%.2f', $p['median']) : '-', $g ? sprintf('%.2f', $g['median']) : '-',
        $p ? sprintf('%.3f', $o['median'] / $p['median']) : '-', $g ? sprintf('%.3f', $o['median'] / $g['median']) : '-',
        $o['frag']);
    if ($p) {
        $best['php82'][] = $o['best'] / $p['best'];
    }
    if ($g) {
        $best['glibc'][] = $o['best'] / $g['best'];
    }
}
echo "\n";

/* instructions per step (callgrind) against the original's measured ratio */
$vs53 = null;
$instr = ['ours' => [], 'stat' => []];
if (isset($argv[3]) && is_file($argv[3])) {
    $reference = [];
    foreach (file(__DIR__ . '/reference-5.3.tsv', FILE_IGNORE_NEW_LINES) as $line) {
        $f = explode("\t", $line);
        if ($line !== '' && $line[0] !== '#' && $f[0] !== 'trace') {
            $reference[$f[0]] = (float)$f[3];
        }
    }
    echo "instructions per step (callgrind, replay loop included; ", OURS, "):\n";
    printf("| %-8s | %8s | %8s | %10s | %15s | %15s | %10s | %10s |\n", 'trace', 'ours', 'php82', 'ours/php82',
        '5.3/php82 (ref)', 'ours vs 5.3', '+stat', '+stat/php82');
    printf("|%s|%s|%s|%s|%s|%s|%s|%s|\n", str_repeat('-', 10), str_repeat('-', 10), str_repeat('-', 10),
        str_repeat('-', 12), str_repeat('-', 17), str_repeat('-', 17), str_repeat('-', 12), str_repeat('-', 13));
    foreach (file($argv[3], FILE_IGNORE_NEW_LINES) as $line) {
        $f = explode("\t", $line);
        if ($f[0] !== 'instr' || !is_numeric($f[3]) || !is_numeric($f[4])) {
            continue;
        }
        [, $trace, , $ours, $php] = $f;
        $stat = isset($f[6]) && is_numeric($f[6]) ? (float)$f[6] : null;
        $mine = (float)$ours / (float)$php;
        $instr['ours'][] = $mine;
        if ($stat !== null) {
            $instr['stat'][] = $stat / (float)$php;
        }
        $ref = $reference[$trace] ?? null;
        $rel = $ref ? $mine / $ref : null;
        if ($rel !== null) {
            $vs53 = max($vs53 ?? 0.0, $rel);
        }
        printf("| %-8s | %8.1f | %8.1f | %10.3f | %15s | %15s | %10s | %11s |\n", $trace, (float)$ours, (float)$php,
            $mine, $ref ? sprintf('%.3f', $ref) : '-', $rel !== null ? sprintf('%.3f', $rel) : '-',
            $stat !== null ? sprintf('%.1f', $stat) : '-', $stat !== null ? sprintf('%.3f', $stat / (float)$php) : '-');
    }
    echo "\n";
}

$fmt = fn (?float $v) => $v === null ? 'n/a' : sprintf('%.3f', $v);
$worst = $frag ? max($frag) : null;
$worstTrace = $frag ? array_search($worst, $frag, true) : '';
echo "# default config ", OURS, "; times are medians; fragmentation is the worst trace ($worstTrace)\n";
if ($fragAll) {
    printf("# fragmentation over every zmm config: worst %.3f\n", max($fragAll));
}
printf("# with best-of-rounds times instead of medians: core_vs_php82 %s, core_vs_glibc %s\n",
    $fmt(geomean($best['php82'])), $fmt(geomean($best['glibc'])));
$cvp = geomean($ratio['php82']);
$cvg = geomean($ratio['glibc']);
echo 'core_vs_php82 ', $fmt($cvp), "\n";
echo 'core_tracked_vs_php82 ', $fmt(geomean($ratio['tracked'])), "\n";
echo 'core_stat_vs_php82 ', $fmt(geomean($ratio['stat'])), "\n";
echo 'core_vs_glibc ', $fmt($cvg), "\n";
echo 'fragmentation ', $fmt($worst), "\n";
echo 'userland_vs_ffi ', $fmt($userland), "\n";
echo 'core_vs_53_instructions ', $fmt($vs53), "\n";
echo 'instructions_vs_php82 ', $fmt(geomean($instr['ours'])), "\n";
echo 'instructions_worst_vs_php82 ', $fmt($instr['ours'] ? max($instr['ours']) : null), "\n";
echo 'instructions_stat_vs_php82 ', $fmt(geomean($instr['stat'])), "\n";

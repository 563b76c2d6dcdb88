--TEST--
Sites: valgrind's callgrind_annotate reads the callgrind dump (self and inclusive costs per function)
--SKIPIF--
<?php
// the memcheck pass (run-tests -m) traces children: these tools are not ours to check
if (getenv('USE_ZEND_ALLOC') === '0') die('skip the memcheck pass would trace the external tool');
if (!function_exists('shell_exec') || trim((string)shell_exec('command -v callgrind_annotate')) === '') die('skip callgrind_annotate (valgrind) is not installed');
?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/sites.inc';
// whole call paths: callgrind_annotate's inclusive cost of a function is what its callers' calls carry
$h = sites_known_heap(10);
$file = tempnam(sys_get_temp_dir(), 'zendmm_cg_');
zendmm_sites_dump($h, 'callgrind', $file);
// callgrind_annotate drops its working directory from fl= names but not from
// cfl= names: run it where no file of the dump lies
$cwd = sys_get_temp_dir() . '/zendmm_cg_cwd_' . getmypid();
@mkdir($cwd);
chdir($cwd);
foreach (['no', 'yes'] as $inclusive) {
    echo "-- inclusive=$inclusive\n";
    $out = shell_exec('callgrind_annotate --auto=no --inclusive=' . $inclusive . ' ' . escapeshellarg($file) . ' 2>&1');
    $rows = [];
    foreach (explode("\n", $out) as $line) {
        if (preg_match('/^\s*([\d,]+) \(\s*[\d.]+%\)\s+([\d,]+) \(\s*[\d.]+%\)\s+([\d,]+) \(\s*[\d.]+%\)\s+(.*)$/', $line, $m)) {
            $row = sprintf("%6s %2s %6s  %s", $m[1], $m[2], $m[3], sites_short(trim($m[4])));
            if (trim($m[4]) === 'PROGRAM TOTALS') { echo $row, "\n"; } else { $rows[] = $row; }
        }
    }
    rsort($rows);   // the tool orders equal costs as its hashes come
    echo implode("\n", $rows), "\n";
}
unlink($file);
chdir('/');
rmdir($cwd);
?>
--EXPECTF--
-- inclusive=no
 1,408  5  1,310  PROGRAM TOTALS
 1,016  1  1,000  %Ssites.inc:sites_leaf
   360  3    300  %Ssites.inc:SitesMaker::three
    32  1     10  %Ssites.inc:sites_known_heap
-- inclusive=yes
 1,408  5  1,310  PROGRAM TOTALS
 1,408  5  1,310  %Ssites_006_callgrind_annotate.php:{main}
 1,408  5  1,310  %Ssites.inc:sites_known_heap
 1,016  1  1,000  %Ssites.inc:sites_leaf
 1,016  1  1,000  %Ssites.inc:sites_caller
   360  3    300  %Ssites.inc:SitesMaker::three

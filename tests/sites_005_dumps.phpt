--TEST--
Sites: zendmm_sites_dump() writes folded stacks (flamegraph.pl), callgrind and pprof's gzip'd profile.proto, read back here by independent readers
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/sites.inc';
$h = sites_known_heap(2);
$dir = sys_get_temp_dir() . '/zendmm_sites_' . getmypid();
@mkdir($dir);

echo "-- folded\n";
zendmm_sites_dump($h, 'folded', "$dir/f");
$folded = file_get_contents("$dir/f");
echo sites_short($folded);
// flamegraph.pl's reading of a line: the stack, blanks, a count
foreach (explode("\n", rtrim($folded)) as $line) {
    if (!preg_match('/^(.*)\s+?(\d+(?:\.\d*)?)$/', $line, $m) || in_array('', explode(';', $m[1]), true)) {
        echo "not flamegraph.pl input: $line\n";
    }
}

echo "-- callgrind\n";
zendmm_sites_dump($h, 'callgrind', "$dir/c");
$cg = file_get_contents("$dir/c");
echo implode("\n", array_slice(explode("\n", $cg), 0, 6)), "\n";
// self costs: cost lines not after a calls= line, summed per event
$self = [0, 0, 0];
$after_call = false;
foreach (explode("\n", $cg) as $line) {
    if (preg_match('/^\d+ (\d+) (\d+) (\d+)$/', $line, $m)) {
        if (!$after_call) { $self[0] += $m[1]; $self[1] += $m[2]; $self[2] += $m[3]; }
        $after_call = false;
    } elseif (str_starts_with($line, 'calls=')) {
        $after_call = true;
    }
}
echo "self costs: ", implode(' ', $self), "\n";
echo "last line: ", trim(substr($cg, strrpos(rtrim($cg), "\n"))), "\n";
preg_match_all('/^fn=\((\d+)\) (.*)$/m', $cg, $m);
echo "functions named: ", implode(', ', $m[2]), "\n";

echo "-- pprof\n";
zendmm_sites_dump($h, 'pprof', "$dir/p");
$gz = file_get_contents("$dir/p");
echo "gzip magic: ", bin2hex(substr($gz, 0, 3)), "\n";
echo pprof_text($gz);

echo "-- an empty heap: empty folded and callgrind totals 0\n";
$e = zendmm_heap_create(['sites' => true, 'use_zend_alloc' => true]);
zendmm_sites_dump($e, 'folded', "$dir/ef");
var_dump(filesize("$dir/ef"));
zendmm_sites_dump($e, 'callgrind', "$dir/ec");
$ec = rtrim(file_get_contents("$dir/ec"));
echo substr($ec, strrpos($ec, "\n") + 1), "\n";
zendmm_sites_dump($e, 'pprof', "$dir/ep");
echo pprof_text(file_get_contents("$dir/ep"));
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
-- folded
sites_caller (sites.inc:17);sites_leaf (sites.inc:14) 1016
sites_known_heap (sites.inc:23);SitesMaker::three (sites.inc:9) 360
{main} (sites_005_dumps.php:3);sites_known_heap (sites.inc:25) 32
-- callgrind
# callgrind format
version: 1
creator: zendmm_ext sites
positions: line
events: Bytes Blocks Requested
summary: 1408 5 1310
self costs: 1408 5 1310
last line: totals: 1408 5 1310
functions named: sites_leaf, sites_caller, SitesMaker::three, sites_known_heap, {main}
-- pprof
gzip magic: 1f8b08
type inuse_objects/count
type inuse_space/bytes
type requested_space/bytes
1 1016 1000: sites_leaf sites.inc:14 <- sites_caller sites.inc:17
3 360 300: SitesMaker::three sites.inc:9 <- sites_known_heap sites.inc:23
1 32 10: sites_known_heap sites.inc:25 <- {main} sites_005_dumps.php:3
period space/bytes 1, default inuse_space
-- an empty heap: empty folded and callgrind totals 0
int(0)
totals: 0 0 0
type inuse_objects/count
type inuse_space/bytes
type requested_space/bytes
period space/bytes 1, default inuse_space
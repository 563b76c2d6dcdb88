--TEST--
Sites of the engine heap: zendmm_ext.sites=1 records the innermost user frame (and, with zendmm_ext.sites_depth, its callers) of every block PHP allocates
--INI--
pcre.jit=0
zendmm_ext.engine=1
zendmm_ext.sites=1
zendmm_ext.sites_depth=2
display_startup_errors=0
error_log=/dev/null
--FILE--
<?php
function make_string(int $n) { return str_repeat('a', $n); }           // line 2
class Holder {
    public array $items = [];
    public function add(int $n) { $this->items[] = make_string($n); }  // line 5
}
function start() { return str_repeat('b', 100 + 0 * (int)ini_get('precision')); }  // line 7 (no constant for opcache to fold)
require __DIR__ . '/engine.inc';
engine_rerun_if_refused(__FILE__, ['zendmm_ext.sites' => 1, 'zendmm_ext.sites_depth' => 2]);

$holder = new Holder;
for ($i = 0; $i < 10; $i++) {
    $holder->add(1000);
}
$grown = start();
$grown .= str_repeat('c', 5000);   // the string is reallocated: it keeps start()'s site

function show(string $label, int $n) {
    foreach (zendmm_sites(zendmm_heap(), 0) as $s) {
        if ($s['site'] === $label || str_replace(__FILE__, 'T', $s['site']) === $label) {
            $path = implode(' <- ', array_map(fn($f) => $f['function'] . ':' . $f['line'], $s['path']));
            // a zend_string of 1000 bytes asks for 24 + 1000 + 1 rounded up to 8: 1032;
            // the 16-aligned engine heap adds its 16-byte header: 1048 -> 1056. Where
            // the free block 5.3 found was 1072, splitting would leave 16 bytes, less
            // than the smallest block (32), so 5.3 hands out all 1072: which blocks
            // those are depends on what PHP freed before, the bounds do not.
            $extra = $s['bytes'] - 1056 * $n;
            printf("%s: %d blocks, %d requested, header %d, bytes 1056 or 1072 each: %s, rounding = bytes - requested - header: %s [%s]\n",
                $label, $s['blocks'], $s['requested'], $s['header'],
                var_export($extra >= 0 && $extra <= 16 * $n && $extra % 16 === 0, true),
                var_export($s['rounding'] === $s['bytes'] - $s['requested'] - $s['header'], true), $path);
            return $s['bytes'];
        }
    }
    echo "$label: no live block\n";
    return -1;
}
show('make_string (T:2)', 10);
// start()'s string grew by a realloc and kept its site: at least 24 + 5100 + 1
// bytes asked, held as the request plus the header rounded up to 16 (or 16
// more, as above, where 5.3 did not split off less than its smallest block)
foreach (zendmm_sites(zendmm_heap(), 0) as $s) {
    if (str_replace(__FILE__, 'T', $s['site']) === 'start (T:7)') {
        printf("start (T:7): %d block, asked >= 5125: %s, bytes = (asked + 16) rounded to 16, or 16 more: %s\n", $s['blocks'],
            var_export($s['requested'] >= 5125, true),
            var_export(in_array($s['bytes'] - (($s['requested'] + 16 + 15) & ~15), [0, 16], true), true));
    }
}
unset($holder->items[0], $holder->items[1], $holder->items[2]);
echo "after unset of three:\n";
$bytes = show('make_string (T:2)', 7);

$sites = zendmm_sites(zendmm_heap(), 0);
$labels = array_column($sites, 'site');
echo "(startup) and (internal) are sites: ", var_export(in_array('(startup)', $labels) && in_array('(internal)', $labels), true), "\n";
echo "unknown blocks: ", var_export(in_array('(unknown)', $labels), true), "\n";

$pins = zendmm_pinning(zendmm_heap(), 1.0);
$ok = count($pins) > 0;
foreach ($pins as $g) {
    $ok = $ok && $g['returns'] === $g['size'] && $g['size'] % 262144 === 0 && $g['live_bytes'] <= $g['size'];
}
echo "pinning reads the engine heap: ", var_export($ok, true), "\n";
$f = tempnam(sys_get_temp_dir(), 'zendmm_engine_sites_');
zendmm_sites_dump(zendmm_heap(), 'folded', $f);
$folded = str_replace(__FILE__, 'T', file_get_contents($f));
preg_match('/^Holder::add \(T:5\);make_string \(T:2\) (\d+)$/m', $folded, $m);
echo "folded: Holder::add;make_string is the site's bytes: ", var_export(isset($m[1]) && (int)$m[1] === $bytes, true), "\n";
unlink($f);
ob_start();
phpinfo(INFO_MODULES);
preg_match('/^Allocation sites of the engine heap.*$/m', ob_get_clean(), $m);
echo $m[0], "\n";
?>
--EXPECT--
make_string (T:2): 10 blocks, 10320 requested, header 160, bytes 1056 or 1072 each: true, rounding = bytes - requested - header: true [make_string:2 <- Holder::add:5]
start (T:7): 1 block, asked >= 5125: true, bytes = (asked + 16) rounded to 16, or 16 more: true
after unset of three:
make_string (T:2): 7 blocks, 7224 requested, header 112, bytes 1056 or 1072 each: true, rounding = bytes - requested - header: true [make_string:2 <- Holder::add:5]
(startup) and (internal) are sites: true
unknown blocks: false
pinning reads the engine heap: true
folded: Holder::add;make_string is the site's bytes: true
Allocation sites of the engine heap (zendmm_ext.sites) => on, call paths of up to 2 frames

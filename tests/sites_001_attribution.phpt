--TEST--
Sites: a heap made with 'sites' => true charges every live block to the script's caller of zendmm_emalloc() and its kin, with the header and rounding bytes of the 5.3 layout
--INI--
pcre.jit=0
--FILE--
<?php
// Expected numbers from the fact sheet (64-bit, alignment 8): header 16,
// true size = request + 16 rounded up to 8, at least 32.
$h = zendmm_heap_create(['sites' => true, 'use_zend_alloc' => true]);

class Maker {
    public function three($h) {
        $p = [];
        for ($i = 0; $i < 3; $i++) {
            $p[] = zendmm_emalloc($h, 100);            // line 10: 3 x 120
        }
        return $p;
    }
}
function strings($h) {
    zendmm_estrdup($h, "hello");                     // line 16: 6 -> 32
    zendmm_estrndup($h, "abcdef", 3);                // line 17: 4 -> 32
}
$m = new Maker;
$kept = $m->three($h);
strings($h);
$c = zendmm_ecalloc($h, 4, 25);                      // line 22: 100 -> 120
$s = zendmm_safe_emalloc($h, 2, 100, 8);             // line 23: 208 -> 224
$r = zendmm_erealloc($h, 0, 50);                     // line 24: 50 -> 72

function show(array $sites) {
    foreach ($sites as $s) {
        printf("%-32s blocks %d requested %4d bytes %4d header %3d rounding %2d charged %3d\n",
            str_replace(__FILE__, 'T', $s['site']), $s['blocks'], $s['requested'], $s['bytes'],
            $s['header'], $s['rounding'], $s['charged']);
        if ($s['charged'] !== $s['bytes'] - $s['requested'] || $s['header'] + $s['rounding'] !== $s['charged']) {
            echo "  the parts do not add up\n";
        }
    }
}
$all = zendmm_sites($h);
show($all);
echo "keys: ", implode(' ', array_keys($all[0])), "\n";
echo "first: {$all[0]['function']} line {$all[0]['line']} in this file: ", var_export($all[0]['file'] === __FILE__, true), "\n";
$total = array_sum(array_column($all, 'bytes'));
echo "bytes of all sites = size - reserve: ", var_export($total === zendmm_stats($h)['size'] - 8208, true), "\n";

echo "-- limit 2\n";
show(zendmm_sites($h, 2));
echo "-- limit 0 is all: ", count(zendmm_sites($h, 0)), "\n";

echo "-- free one of Maker::three's blocks, grow another (it keeps its site)\n";
zendmm_efree($h, $kept[0]);
$kept[1] = zendmm_erealloc($h, $kept[1], 500);     // 500 -> 520, still line 10
show(zendmm_sites($h, 1));
?>
--EXPECT--
Maker::three (T:10)              blocks 3 requested  300 bytes  360 header  48 rounding 12 charged  60
{main} (T:23)                    blocks 1 requested  208 bytes  224 header  16 rounding  0 charged  16
{main} (T:22)                    blocks 1 requested  100 bytes  120 header  16 rounding  4 charged  20
{main} (T:24)                    blocks 1 requested   50 bytes   72 header  16 rounding  6 charged  22
strings (T:16)                   blocks 1 requested    6 bytes   32 header  16 rounding 10 charged  26
strings (T:17)                   blocks 1 requested    4 bytes   32 header  16 rounding 12 charged  28
keys: site function file line blocks requested bytes header rounding charged path
first: Maker::three line 10 in this file: true
bytes of all sites = size - reserve: true
-- limit 2
Maker::three (T:10)              blocks 3 requested  300 bytes  360 header  48 rounding 12 charged  60
{main} (T:23)                    blocks 1 requested  208 bytes  224 header  16 rounding  0 charged  16
-- limit 0 is all: 6
-- free one of Maker::three's blocks, grow another (it keeps its site)
Maker::three (T:10)              blocks 2 requested  600 bytes  640 header  32 rounding  8 charged  40

--TEST--
Sites: call paths up to a depth ('sites' => N, or zendmm_ext.sites_depth for 'sites' => true), innermost frame first, internal functions between user frames included
--INI--
pcre.jit=0
zendmm_ext.sites_depth=3
--FILE--
<?php
function leaf($h, $n) {
    return zendmm_emalloc($h, $n);                   // line 3
}
function middle($h) {
    return leaf($h, 200);                            // line 6
}
function outer($h) {
    return middle($h);                               // line 9
}
function mapped($h) {
    return array_map(fn($n) => zendmm_emalloc($h, $n), [24, 24]);  // line 12
}
// PHP's own name of the closure: 8.4 names a closure by where it stands
const CLOSURE = PHP_VERSION_ID >= 80400 ? '{closure:mapped():12}' : '{closure}';
function paths($h) {
    foreach (zendmm_sites($h) as $s) {
        $frames = [];
        foreach ($s['path'] as $f) {
            $frames[] = ($f['function'] === CLOSURE ? '{CLOSURE}' : $f['function']) . ($f['file'] === '' ? '' : '@' . ($f['file'] === __FILE__ ? 'T' : $f['file']) . ':' . $f['line']);
        }
        printf("%4d bytes in %d: %s\n", $s['bytes'], $s['blocks'], implode(' <- ', $frames));
    }
}
echo "-- 'sites' => true: zendmm_ext.sites_depth = ", ini_get('zendmm_ext.sites_depth'), "\n";
$h = zendmm_heap_create(['sites' => true, 'use_zend_alloc' => true]);
outer($h);
outer($h);
mapped($h);
paths($h);

echo "-- 'sites' => 1: the innermost frame only\n";
$h = zendmm_heap_create(['sites' => 1, 'use_zend_alloc' => true]);
outer($h);
middle($h);
paths($h);

echo "-- 'sites' => 10: as deep as the stack goes\n";
$h = zendmm_heap_create(['sites' => 10, 'use_zend_alloc' => true]);
outer($h);
paths($h);
?>
--EXPECT--
-- 'sites' => true: zendmm_ext.sites_depth = 3
 432 bytes in 2: leaf@T:3 <- middle@T:6 <- outer@T:9
  80 bytes in 2: {CLOSURE}@T:12 <- array_map <- mapped@T:12
-- 'sites' => 1: the innermost frame only
 432 bytes in 2: leaf@T:3
-- 'sites' => 10: as deep as the stack goes
 216 bytes in 1: leaf@T:3 <- middle@T:6 <- outer@T:9 <- {main}@T:40

--TEST--
Sites INI: zendmm_ext.sites and zendmm_ext.sites_depth are read at startup only (PHP_INI_SYSTEM), a bad depth is a startup warning, and sites without the engine heap record nothing
--FILE--
<?php
require __DIR__ . '/engine.inc';
$code = <<<'PHP'
<?php
echo "sites=", ini_get('zendmm_ext.sites'), " depth=", ini_get('zendmm_ext.sites_depth'), "\n";
var_dump(ini_set('zendmm_ext.sites', '0'), ini_set('zendmm_ext.sites_depth', '5'));
ob_start();
phpinfo(INFO_MODULES);
preg_match('/^Allocation sites of the engine heap.*$/m', ob_get_clean(), $m);
echo $m[0], "\n";
try {
    zendmm_sites(zendmm_heap());
} catch (ZendMM\Exception $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
$h = zendmm_heap_create(['sites' => true, 'use_zend_alloc' => true]);
function f($h) { return zendmm_emalloc($h, 1); }
function g($h) { return f($h); }
g($h);
echo "a script heap's path: ", count(zendmm_sites($h)[0]['path']), " frame(s)\n";
PHP;
foreach ([
    ['zendmm_ext.sites' => 1],
    ['zendmm_ext.sites' => 1, 'zendmm_ext.sites_depth' => 2],
    ['zendmm_ext.sites_depth' => 0],
    ['zendmm_ext.sites_depth' => 65],
    ['zendmm_ext.sites_depth' => 'lots'],
] as $ini) {
    echo "-- ", http_build_query($ini, '', ' '), "\n";
    [$out] = engine_child($ini + ['display_startup_errors' => 1, 'error_reporting' => E_ALL], null, $code);
    echo $out;
}
?>
--EXPECTF--
-- zendmm_ext.sites=1
sites=1 depth=1
bool(false)
bool(false)
Allocation sites of the engine heap (zendmm_ext.sites) => not recorded: the engine heap is off
ZendMM\Exception: This heap records no sites: make it with zendmm_heap_create(['sites' => true]), or set zendmm_ext.sites=1 for the engine heap
a script heap's path: 1 frame(s)
-- zendmm_ext.sites=1 zendmm_ext.sites_depth=2
sites=1 depth=2
bool(false)
bool(false)
Allocation sites of the engine heap (zendmm_ext.sites) => not recorded: the engine heap is off
ZendMM\Exception: This heap records no sites: make it with zendmm_heap_create(['sites' => true]), or set zendmm_ext.sites=1 for the engine heap
a script heap's path: 2 frame(s)
-- zendmm_ext.sites_depth=0
%AWarning: PHP Startup: zendmm_ext.sites_depth must be between 1 and 64, "0" given; using 1 in %s
sites=0 depth=1
bool(false)
bool(false)
Allocation sites of the engine heap (zendmm_ext.sites) => off
ZendMM\Exception: This heap records no sites: make it with zendmm_heap_create(['sites' => true]), or set zendmm_ext.sites=1 for the engine heap
a script heap's path: 1 frame(s)
-- zendmm_ext.sites_depth=65
%AWarning: PHP Startup: zendmm_ext.sites_depth must be between 1 and 64, "65" given; using 1 in %s
sites=0 depth=1
bool(false)
bool(false)
Allocation sites of the engine heap (zendmm_ext.sites) => off
ZendMM\Exception: This heap records no sites: make it with zendmm_heap_create(['sites' => true]), or set zendmm_ext.sites=1 for the engine heap
a script heap's path: 1 frame(s)
-- zendmm_ext.sites_depth=lots
%AWarning: PHP Startup: zendmm_ext.sites_depth must be between 1 and 64, "lots" given; using 1 in %s
sites=0 depth=1
bool(false)
bool(false)
Allocation sites of the engine heap (zendmm_ext.sites) => off
ZendMM\Exception: This heap records no sites: make it with zendmm_heap_create(['sites' => true]), or set zendmm_ext.sites=1 for the engine heap
a script heap's path: 1 frame(s)

--TEST--
Sites: every refused argument and option is a ValueError or TypeError, a heap without sites is a ZendMM\Exception, and a bad path writes nothing
--INI--
pcre.jit=0
--FILE--
<?php
function attempt(callable $f) {
    try {
        $f();
        echo "no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
$h = zendmm_heap_create(['sites' => true, 'use_zend_alloc' => true]);
$p = zendmm_emalloc($h, 64);
$plain = zendmm_heap_create(['use_zend_alloc' => true]);
$dir = sys_get_temp_dir() . '/zendmm_sites_err_' . getmypid();
@mkdir($dir);

echo "-- options\n";
attempt(fn() => zendmm_heap_create(['sites' => 'yes']));
attempt(fn() => zendmm_heap_create(['sites' => 0]));
attempt(fn() => zendmm_heap_create(['sites' => 65]));
attempt(fn() => zendmm_heap_create(['sites' => -1]));
attempt(fn() => zendmm_heap_create(['sites' => 1.5]));
attempt(fn() => zendmm_heap_create(['sites' => false]) && print("false: a heap without sites\n"));
attempt(fn() => zendmm_heap_create(['sites' => 64]) && print("64: the deepest\n"));

echo "-- zendmm_sites\n";
attempt(fn() => zendmm_sites($h, -1));
attempt(fn() => zendmm_sites($h, "many"));
attempt(fn() => zendmm_sites($plain));
attempt(fn() => zendmm_sites(zendmm_heap()));
attempt(fn() => zendmm_sites());

echo "-- zendmm_pinning\n";
attempt(fn() => zendmm_pinning($h, -0.01));
attempt(fn() => zendmm_pinning($h, 1.01));
attempt(fn() => zendmm_pinning($h, NAN));
attempt(fn() => zendmm_pinning($h, INF));
attempt(fn() => zendmm_pinning($h, "half"));
attempt(fn() => print(count(zendmm_pinning($plain, 1)) . " segment: a heap without sites has no site to name, but its blocks\n"));

echo "-- zendmm_sites_dump\n";
attempt(fn() => zendmm_sites_dump($h, 'svg', "$dir/x"));
attempt(fn() => zendmm_sites_dump($h, "folded\0", "$dir/x"));
attempt(fn() => zendmm_sites_dump($h, 'folded', ''));
attempt(fn() => zendmm_sites_dump($h, 'folded', "$dir/x\0y"));
attempt(fn() => zendmm_sites_dump($h, 'pprof', "$dir/no/such/dir/x"));
attempt(fn() => zendmm_sites_dump($h, 'callgrind', $dir));
attempt(fn() => zendmm_sites_dump($plain, 'folded', "$dir/x"));
attempt(fn() => zendmm_sites_dump($h, 'folded'));
echo "files written: ", count(glob("$dir/*")), "\n";
attempt(fn() => zendmm_sites_dump($h, 'folded', "$dir/ok"));
echo "files written: ", count(glob("$dir/*")), "\n";

echo "-- the heap is untouched\n";
var_dump(zendmm_check_heap($h), zendmm_sites($h)[0]['blocks']);
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECTF--
-- options
TypeError: zendmm_heap_create(): Argument #1 ($options) option "sites" must be of type bool|int, string given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "sites" must be true, false or a depth between 1 and 64, 0 given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "sites" must be true, false or a depth between 1 and 64, 65 given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "sites" must be true, false or a depth between 1 and 64, -1 given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "sites" must be of type bool|int, float given
false: a heap without sites
no error
64: the deepest
no error
-- zendmm_sites
ValueError: zendmm_sites(): Argument #2 ($limit) must be greater than or equal to 0
TypeError: zendmm_sites(): Argument #2 ($limit) must be of type int, string given
ZendMM\Exception: This heap records no sites: make it with zendmm_heap_create(['sites' => true]), or set zendmm_ext.sites=1 for the engine heap
ZendMM\Exception: This heap records no sites: make it with zendmm_heap_create(['sites' => true]), or set zendmm_ext.sites=1 for the engine heap
ArgumentCountError: zendmm_sites() expects at least 1 argument, 0 given
-- zendmm_pinning
ValueError: zendmm_pinning(): Argument #2 ($max_use) must be between 0 and 1
ValueError: zendmm_pinning(): Argument #2 ($max_use) must be between 0 and 1
ValueError: zendmm_pinning(): Argument #2 ($max_use) must be between 0 and 1
ValueError: zendmm_pinning(): Argument #2 ($max_use) must be between 0 and 1
TypeError: zendmm_pinning(): Argument #2 ($max_use) must be of type float, string given
1 segment: a heap without sites has no site to name, but its blocks
no error
-- zendmm_sites_dump
ValueError: zendmm_sites_dump(): Argument #2 ($format) must be one of "callgrind", "pprof", "folded"
ValueError: zendmm_sites_dump(): Argument #2 ($format) must be one of "callgrind", "pprof", "folded"
ValueError: zendmm_sites_dump(): Argument #3 ($path) must not be empty
ValueError: zendmm_sites_dump(): Argument #3 ($path) must not contain any null bytes
ZendMM\Exception: Cannot write the pprof dump to "%s/no/such/dir/x": No such file or directory
ZendMM\Exception: Cannot write the callgrind dump to "%s": Is a directory
ZendMM\Exception: This heap records no sites: make it with zendmm_heap_create(['sites' => true]), or set zendmm_ext.sites=1 for the engine heap
ArgumentCountError: zendmm_sites_dump() expects exactly 3 arguments, 2 given
files written: 0
no error
files written: 1
-- the heap is untouched
array(0) {
}
int(1)

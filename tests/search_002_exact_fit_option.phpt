--TEST--
exact_fit: the INI setting zendmm_ext.exact_fit gives the default, the heap option wins; wrong types are refused
--INI--
zendmm_ext.exact_fit=1
--FILE--
<?php
echo "zendmm_ext.exact_fit = ", ini_get('zendmm_ext.exact_fit'), "\n";
$show = fn(string $label, $h) => printf("%s: exact_fit %s\n", $label, var_export(zendmm_stats($h)['exact_fit'], true));
$show('process heap', zendmm_heap());
$show('new heap', zendmm_heap_create());
$show('option false', zendmm_heap_create(['exact_fit' => false]));
var_dump(ini_set('zendmm_ext.exact_fit', '0'));
$show('after ini_set 0', zendmm_heap_create());
$show('option true', zendmm_heap_create(['exact_fit' => true]));
ini_set('zendmm_ext.exact_fit', 'On');
$show('after ini_set On', zendmm_heap_create());
var_dump(ini_set('zendmm_ext.exact_fit', 'maybe'), ini_get('zendmm_ext.exact_fit'));
$show('after ini_set maybe', zendmm_heap_create());

foreach ([['exact_fit' => 1], ['exact_fit' => null], ['exact_fit' => 'yes'], ['exact_fit' => []], ['Exact_fit' => true]] as $o) {
    try {
        zendmm_heap_create($o);
        echo json_encode($o), ": no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
?>
--EXPECTF--
zendmm_ext.exact_fit = 1
process heap: exact_fit true
new heap: exact_fit true
option false: exact_fit false
string(1) "1"
after ini_set 0: exact_fit false
option true: exact_fit true
after ini_set On: exact_fit true

Warning: ini_set(): zendmm_ext: zendmm_ext.exact_fit="maybe" refused: not a boolean (1, on, yes, true or 0, off, no, false) in %s on line %d
bool(false)
string(2) "On"
after ini_set maybe: exact_fit true
TypeError: zendmm_heap_create(): Argument #1 ($options) option "exact_fit" must be of type bool, int given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "exact_fit" must be of type bool, null given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "exact_fit" must be of type bool, string given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "exact_fit" must be of type bool, array given
ValueError: zendmm_heap_create(): Argument #1 ($options) contains an unknown option "Exact_fit"

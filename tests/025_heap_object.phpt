--TEST--
ZendMM\Heap: final and opaque; no new, no clone, no serialize/unserialize, no dynamic properties, not comparable
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
$p = zendmm_estrdup($h, 'intact');
$tries = [
    'new' => fn() => new ZendMM\Heap(),
    'newInstanceWithoutConstructor' => fn() => (new ReflectionClass('ZendMM\Heap'))->newInstanceWithoutConstructor(),
    'clone' => fn() => clone $h,
    'serialize' => fn() => serialize($h),
    'unserialize' => fn() => unserialize('O:11:"ZendMM\Heap":0:{}'),
    'dynamic property' => function () use ($h) { $h->x = 1; },
];
foreach ($tries as $label => $f) {
    try {
        $f();
        echo "$label: allowed\n";
    } catch (Throwable $e) {
        echo "$label: ", get_class($e), ": ", $e->getMessage(), "\n";
    }
}
var_dump($h);
var_dump($h == zendmm_heap_create(['use_zend_alloc' => true]), $h == $h);
var_dump(json_encode($h), (array)$h);
var_dump(zendmm_read($h, $p, 6), zendmm_check_heap($h));
?>
--EXPECTF--
new: Error: Cannot directly construct ZendMM\Heap, use zendmm_heap_create() instead
newInstanceWithoutConstructor: ReflectionException: Class ZendMM\Heap is an internal class marked as final that cannot be instantiated without invoking its constructor
clone: Error: Trying to clone an uncloneable object of class ZendMM\Heap
serialize: Exception: Serialization of 'ZendMM\Heap' is not allowed
unserialize: Exception: Unserialization of 'ZendMM\Heap' is not allowed
dynamic property: Error: Cannot create dynamic property ZendMM\Heap::$x
object(ZendMM\Heap)#%d (0) {
}
bool(false)
bool(true)
string(2) "{}"
array(0) {
}
string(6) "intact"
array(0) {
}

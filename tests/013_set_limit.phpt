--TEST--
zendmm_set_limit(): returns the previous limit, -1 lifts it, other values are clamped to the segment size
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
var_dump(zendmm_set_limit($h, 8 << 20));   // previous: none
var_dump(zendmm_stats($h)['limit']);
var_dump(zendmm_set_limit($h, 100));       // clamped to 256 KB, as memory_limit=100 was in 5.3
var_dump(zendmm_stats($h)['limit']);
var_dump(zendmm_set_limit($h, 0));
var_dump(zendmm_stats($h)['limit']);
var_dump(zendmm_set_limit($h, -1));
var_dump(zendmm_stats($h)['limit']);
try {
    zendmm_set_limit($h, -2);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
var_dump(zendmm_stats($h)['limit']);
// a limit given at creation is clamped the same way
$h2 = zendmm_heap_create(['use_zend_alloc' => true, 'limit' => 1000, 'segment_size' => 65536]);
var_dump(zendmm_stats($h2)['limit']);
$h3 = zendmm_heap_create(['use_zend_alloc' => true, 'limit' => -1]);
var_dump(zendmm_stats($h3)['limit']);
// a limit below what the heap holds already: the next new segment fails
$p = zendmm_emalloc($h, 300000);
zendmm_set_limit($h, 262144);
try {
    zendmm_emalloc($h, 300000);
} catch (ZendMM\MemoryLimitException $e) {
    echo $e->getMessage(), "\n";
}
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
int(-1)
int(8388608)
int(8388608)
int(262144)
int(262144)
int(262144)
int(262144)
int(-1)
zendmm_set_limit(): Argument #2 ($limit) must be -1 (no limit) or greater than or equal to 0
int(-1)
int(65536)
int(-1)
Allowed memory size of 262144 bytes exhausted (tried to allocate 300000 bytes)
array(0) {
}

--TEST--
zendmm_heap_create(): every option is checked; TypeError/ValueError name Argument #1 ($options) and the key
--FILE--
<?php
$cases = [
    ['storage' => 'win32x'],
    ['storage' => 42],
    ['storage' => "mmap_anon\0"],
    ['segment_size' => 1000],
    ['segment_size' => 0],
    ['segment_size' => -4096],
    ['segment_size' => 16],
    ['segment_size' => 32, 'cookies' => true],
    ['segment_size' => 1 << 41],
    ['segment_size' => '256K'],
    ['compact_size' => -1],
    ['compact_size' => 1.0],
    ['limit' => -2],
    ['limit' => '128M'],
    ['reserve_size' => -1],
    ['reserve_size' => 1 << 41],
    ['cache' => 1],
    ['cache_size' => -1],
    ['cache_size' => true],
    ['use_zend_alloc' => 'yes'],
    ['cookies' => null],
    ['protection' => 0],
    ['fill_freed' => []],
    ['sizes' => 1],
    ['Storage' => 'malloc'],
    [0 => 'malloc'],
    ['track_blocks' => false],
];
foreach ($cases as $options) {
    try {
        zendmm_heap_create($options);
        echo json_encode($options), ": no error\n";
    } catch (Throwable $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
// a reference is followed
$size = 65536;
$h = zendmm_heap_create(['use_zend_alloc' => true, 'segment_size' => &$size]);
var_dump(zendmm_stats($h)['segment_size']);
?>
--EXPECT--
ValueError: zendmm_heap_create(): Argument #1 ($options) option "storage" must be a storage scheme of this build (malloc, mmap_anon, mmap_zero), "win32x" given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "storage" must be of type string, int given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "storage" must be a storage scheme of this build (malloc, mmap_anon, mmap_zero), a string with a NUL byte given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "segment_size" must be a power of two, 1000 given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "segment_size" must be a power of two, 0 given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "segment_size" must be a power of two, -4096 given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "segment_size" is refused by the heap core: segment size is too small: 16 (minimum 32)
ValueError: zendmm_heap_create(): Argument #1 ($options) option "segment_size" is refused by the heap core: segment size is too small: 32 (minimum 40)
ValueError: zendmm_heap_create(): Argument #1 ($options) option "segment_size" is refused by the heap core: segment size is too large: 2199023255552 (maximum 1099511627776)
TypeError: zendmm_heap_create(): Argument #1 ($options) option "segment_size" must be of type int, string given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "compact_size" must be greater than or equal to 0
TypeError: zendmm_heap_create(): Argument #1 ($options) option "compact_size" must be of type int, float given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "limit" must be -1 (no limit) or greater than or equal to 0
TypeError: zendmm_heap_create(): Argument #1 ($options) option "limit" must be of type int, string given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "reserve_size" must be greater than or equal to 0
ValueError: zendmm_heap_create(): Argument #1 ($options) option "reserve_size" is refused by the heap core: reserve size is too large: 2199023255552 (maximum 1099511627776)
TypeError: zendmm_heap_create(): Argument #1 ($options) option "cache" must be of type bool, int given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "cache_size" must be greater than or equal to 0
TypeError: zendmm_heap_create(): Argument #1 ($options) option "cache_size" must be of type int, bool given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "use_zend_alloc" must be of type bool, string given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "cookies" must be of type bool, null given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "protection" must be of type bool, int given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "fill_freed" must be of type bool, array given
ValueError: zendmm_heap_create(): Argument #1 ($options) contains an unknown option "sizes"
ValueError: zendmm_heap_create(): Argument #1 ($options) contains an unknown option "Storage"
ValueError: zendmm_heap_create(): Argument #1 ($options) contains an unknown option 0
ValueError: zendmm_heap_create(): Argument #1 ($options) contains an unknown option "track_blocks"
int(65536)

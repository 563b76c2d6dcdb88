--TEST--
zendmm_heap_create(): what each option does
--FILE--
<?php
function show(array $options, array $keys) {
    $h = zendmm_heap_create($options + ['use_zend_alloc' => true]);
    $s = zendmm_stats($h);
    echo json_encode($options), ":";
    foreach ($keys as $k) {
        echo " $k=", var_export($s[$k], true);
    }
    echo "\n";
    return $h;
}
show(['storage' => 'malloc'], ['storage']);
show(['storage' => 'mmap_anon'], ['storage']);
show(['segment_size' => 65536], ['segment_size', 'block_size', 'real_size', 'size']);
show(['segment_size' => 1 << 20], ['segment_size', 'real_size']);
show(['compact_size' => 0], ['compact_size']);
show(['compact_size' => 12345], ['compact_size']);
show(['limit' => 8 << 20], ['limit']);
show(['reserve_size' => 0], ['reserve_size', 'reserve', 'size', 'real_size', 'segments']);
show(['reserve_size' => 100], ['reserve_size', 'size']);
show(['cache' => false], ['cache', 'cache_size']);
show(['cache_size' => 4096], ['cache', 'cache_size']);
show(['use_zend_alloc' => false], ['use_zend_alloc']);
show(['cookies' => true], ['cookies', 'header_size', 'free_header_size', 'min_block_size', 'max_small_size']);
show(['protection' => true], ['protection', 'header_size', 'min_block_size', 'min_request', 'max_small_size']);
show(['cookies' => true, 'protection' => true], ['header_size', 'min_block_size']);
show(['fill_freed' => true], ['fill_freed']);

// cache => false: a freed small block goes straight to its bucket
$h = zendmm_heap_create(['use_zend_alloc' => true, 'cache' => false]);
$p = zendmm_emalloc($h, 100);
$q = zendmm_emalloc($h, 8);
zendmm_efree($h, $p);
$b = zendmm_buckets($h);
echo "cache off: cached ", zendmm_stats($h)['cached'], ", bucket 11 holds ", count($b['free_buckets'][11]), "\n";

// cookies/protection change the true sizes as the matching 5.3 builds did
foreach ([['cookies' => true], ['protection' => true]] as $o) {
    $h = zendmm_heap_create($o + ['use_zend_alloc' => true]);
    $p = zendmm_emalloc($h, 100);
    $i = zendmm_block_info($h, $p);
    echo json_encode($o), ": emalloc(100) true size ", $i['true_size'], ", bucket ", $i['bucket'],
        ", block_size ", $i['block_size'], "\n";
    zendmm_write($h, $p, str_repeat('z', 100));
    zendmm_efree($h, $p);
    var_dump(zendmm_check_heap($h));
}

// fill_freed: freed user bytes are overwritten with 0x5A (what is not a list link)
$h = zendmm_heap_create(['use_zend_alloc' => true, 'fill_freed' => true]);
$p = zendmm_emalloc($h, 64);
zendmm_write($h, $p, str_repeat('A', 64));
zendmm_efree($h, $p);
$p2 = zendmm_emalloc($h, 64);   // the same block, back from the cache
var_dump($p2 === $p, substr(zendmm_read($h, $p2), 16) === str_repeat("\x5A", 48));
$h = zendmm_heap_create(['use_zend_alloc' => true]);
$p = zendmm_emalloc($h, 64);
zendmm_write($h, $p, str_repeat('A', 64));
zendmm_efree($h, $p);
$p2 = zendmm_emalloc($h, 64);
var_dump($p2 === $p, substr(zendmm_read($h, $p2), 16) === str_repeat('A', 48));
?>
--EXPECT--
{"storage":"malloc"}: storage='malloc'
{"storage":"mmap_anon"}: storage='mmap_anon'
{"segment_size":65536}: segment_size=65536 block_size=65536 real_size=65536 size=8208
{"segment_size":1048576}: segment_size=1048576 real_size=1048576
{"compact_size":0}: compact_size=0
{"compact_size":12345}: compact_size=12345
{"limit":8388608}: limit=8388608
{"reserve_size":0}: reserve_size=0 reserve=false size=0 real_size=0 segments=0
{"reserve_size":100}: reserve_size=100 size=120
{"cache":false}: cache=false cache_size=262144
{"cache_size":4096}: cache=true cache_size=4096
{"use_zend_alloc":false}: use_zend_alloc=0
{"cookies":true}: cookies=true header_size=24 free_header_size=40 min_block_size=40 max_small_size=552
{"protection":true}: protection=true header_size=32 min_block_size=40 min_request=4 max_small_size=552
{"cookies":true,"protection":true}: header_size=80 min_block_size=88
{"fill_freed":true}: fill_freed=true
cache off: cached 0, bucket 11 holds 1
{"cookies":true}: emalloc(100) true size 128, bucket 11, block_size 128
array(0) {
}
{"protection":true}: emalloc(100) true size 136, bucket 12, block_size 100
array(0) {
}
bool(true)
bool(true)
bool(true)
bool(true)

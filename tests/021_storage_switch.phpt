--TEST--
zendmm_set_storage(): a live switch; old blocks keep their data, grow, shrink and free through the scheme that made them
--SKIPIF--
<?php if (PHP_OS_FAMILY === 'Windows') die('skip not for Windows'); ?>
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true, 'storage' => 'malloc']);
$old = [];
foreach ([100, 5000, 300000] as $n) {
    $old[$n] = zendmm_emalloc($h, $n);
    zendmm_write($h, $old[$n], str_repeat('m', $n));
}
var_dump(zendmm_set_storage($h, 'mmap_anon'));
echo "storage now ", zendmm_stats($h)['storage'], "\n";
$new = zendmm_emalloc($h, 400000);
zendmm_write($h, $new, str_repeat('a', 400000));
var_dump(zendmm_set_storage($h, 'mmap_zero'));
$zero = zendmm_emalloc($h, 400000);
zendmm_write($h, $zero, str_repeat('z', 400000));
foreach (zendmm_segments($h) as $s) {
    echo "segment ", $s['size'], " from ", $s['storage'], "\n";
}
echo "block_info storage: ", zendmm_block_info($h, $old[300000])['storage'], ", ",
    zendmm_block_info($h, $new)['storage'], ", ", zendmm_block_info($h, $zero)['storage'], "\n";
// old blocks: data intact, and they still grow (through their own scheme) and free
$ok = true;
foreach ($old as $n => $p) {
    $ok = $ok && zendmm_read($h, $p) === str_repeat('m', $n);
}
var_dump($ok);
$old[300000] = zendmm_erealloc($h, $old[300000], 900000);
var_dump(zendmm_read($h, $old[300000], 300000) === str_repeat('m', 300000));
echo "grown block lives in a segment from ", zendmm_block_info($h, $old[300000])['storage'], "\n";
$new = zendmm_erealloc($h, $new, 100);
var_dump(zendmm_read($h, $new) === str_repeat('a', 100));
foreach ($old as $p) {
    zendmm_efree($h, $p);
}
zendmm_efree($h, $new);
zendmm_efree($h, $zero);
foreach (zendmm_segments($h) as $s) { echo $s["storage"], " ", $s["size"], ": "; foreach ($s["blocks"] as $b) echo $b["size"], "/", $b["state"], " "; echo "\n"; }
echo "left: ", implode(',', array_column(zendmm_segments($h), 'storage')), ", real_size ", zendmm_memory_usage($h, true), "\n";
// the two cached 120-byte blocks hold their segments until the cache is flushed
zendmm_flush_cache($h);
echo "flushed: ", implode(',', array_column(zendmm_segments($h), 'storage')), ", real_size ", zendmm_memory_usage($h, true), "\n";
var_dump(zendmm_set_storage($h, 'malloc'));
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
string(6) "malloc"
storage now mmap_anon
string(9) "mmap_anon"
segment 524288 from mmap_zero
segment 524288 from mmap_anon
segment 524288 from malloc
segment 262144 from malloc
block_info storage: malloc, mmap_anon, mmap_zero
bool(true)
bool(true)
grown block lives in a segment from malloc
bool(true)
mmap_anon 524288: 120/cached 524136/large 16/guard 
malloc 262144: 8208/reserve 120/cached 253784/large 16/guard 
left: mmap_anon,malloc, real_size 786432
flushed: malloc, real_size 262144
string(9) "mmap_zero"
array(0) {
}

--TEST--
zendmm_shutdown(): partial and full shutdown invalidate every earlier pointer; the heap stays usable
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true, 'limit' => 4 << 20, 'storage' => 'mmap_anon']);
$a = zendmm_emalloc($h, 100);
$b = zendmm_emalloc($h, 1 << 20);
zendmm_set_storage($h, 'malloc');
$c = zendmm_emalloc($h, 1 << 20);
zendmm_set_limit($h, 8 << 20);
$s = zendmm_stats($h);
echo "before: segments ", $s['segments'], ", real_size ", $s['real_size'], ", real_peak ", $s['real_peak'], ", size ", $s['size'], "\n";

zendmm_shutdown($h);
$s = zendmm_stats($h);
echo "partial: segments ", $s['segments'], ", real_size ", $s['real_size'], ", real_peak ", $s['real_peak'], ", size ", $s['size'],
    ", peak ", $s['peak'], ", limit ", $s['limit'], ", storage ", $s['storage'], ", live ", $s['live_blocks'], "\n";
foreach (['a' => $a, 'b' => $b, 'c' => $c] as $name => $p) {
    try {
        zendmm_efree($h, $p);
    } catch (ValueError $e) {
        echo "\$$name: ", $e->getMessage(), "\n";
    }
}
try {
    zendmm_read($h, $a);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
var_dump(zendmm_check_heap($h));
$d = zendmm_estrdup($h, 'after partial');
var_dump(zendmm_read($h, $d, 13));

zendmm_shutdown($h, true);
$s = zendmm_stats($h);
echo "full: segments ", $s['segments'], ", real_size ", $s['real_size'], ", size ", $s['size'], ", limit ", $s['limit'],
    ", storage ", $s['storage'], "\n";
try {
    zendmm_efree($h, $d);
} catch (ValueError $e) {
    echo $e->getMessage(), "\n";
}
$e = zendmm_estrdup($h, 'after full');
var_dump(zendmm_read($h, $e, 10));
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
before: segments 3, real_size 2883584, real_peak 2883584, size 2105512
partial: segments 1, real_size 262144, real_peak 262144, size 8208, peak 8208, limit 8388608, storage malloc, live 0
$a: zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
$b: zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
$c: zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
zendmm_read(): Argument #2 ($ptr) must be a live block of this heap
array(0) {
}
string(13) "after partial"
full: segments 1, real_size 262144, size 8208, limit 4194304, storage mmap_anon
zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
string(10) "after full"
array(0) {
}

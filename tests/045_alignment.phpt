--TEST--
zendmm_heap_create(['alignment' => 8|16]): true sizes, bucket indexes and pointers follow the alignment; other values are refused
--FILE--
<?php
foreach ([8, 16] as $al) {
    $h = zendmm_heap_create(['alignment' => $al, 'use_zend_alloc' => true]);   // also under USE_ZEND_ALLOC=0
    $s = zendmm_stats($h);
    echo "alignment {$s['alignment']}: header {$s['header_size']}, min block {$s['min_block_size']}, max small {$s['max_small_size']}\n";
    foreach ([1, 16, 17, 24, 25, 100, 527, 528, 1000] as $n) {
        $p = zendmm_emalloc($h, $n);
        $b = zendmm_block_info($h, $p);
        printf("  %4d: true size %4d bucket %2d aligned %s\n", $n, $b['true_size'], $b['bucket'], var_export($p % $al === 0, true));
    }
    echo "  size ", zendmm_stats($h)['size'], " (the blocks + the 8 KB reserve and its header)\n";
}
var_dump(zendmm_stats(zendmm_heap_create())['alignment']);   // 5.3's default on x86-64
foreach ([0, 4, 32, -16, '16', 16.0, null] as $bad) {
    try {
        zendmm_heap_create(['alignment' => $bad]);
        echo "accepted\n";
    } catch (Throwable $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
alignment 8: header 16, min block 32, max small 544
     1: true size   32 bucket  0 aligned true
    16: true size   32 bucket  0 aligned true
    17: true size   40 bucket  1 aligned true
    24: true size   40 bucket  1 aligned true
    25: true size   48 bucket  2 aligned true
   100: true size  120 bucket 11 aligned true
   527: true size  544 bucket -1 aligned true
   528: true size  544 bucket -1 aligned true
  1000: true size 1016 bucket -1 aligned true
  size 10624 (the blocks + the 8 KB reserve and its header)
alignment 16: header 16, min block 32, max small 544
     1: true size   32 bucket  0 aligned true
    16: true size   32 bucket  0 aligned true
    17: true size   48 bucket  2 aligned true
    24: true size   48 bucket  2 aligned true
    25: true size   48 bucket  2 aligned true
   100: true size  128 bucket 12 aligned true
   527: true size  544 bucket -1 aligned true
   528: true size  544 bucket -1 aligned true
  1000: true size 1024 bucket -1 aligned true
  size 10656 (the blocks + the 8 KB reserve and its header)
int(8)
ValueError: zendmm_heap_create(): Argument #1 ($options) option "alignment" must be 8 or 16, 0 given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "alignment" must be 8 or 16, 4 given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "alignment" must be 8 or 16, 32 given
ValueError: zendmm_heap_create(): Argument #1 ($options) option "alignment" must be 8 or 16, -16 given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "alignment" must be of type int, string given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "alignment" must be of type int, float given
TypeError: zendmm_heap_create(): Argument #1 ($options) option "alignment" must be of type int, null given

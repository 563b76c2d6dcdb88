--TEST--
zendmm_emalloc(): every request size gets 5.3's true size and bucket
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
foreach ([0, 1, 8, 16, 17, 24, 25, 100, 256, 519, 520, 521, 544, 4096, 262096] as $n) {
    $p = zendmm_emalloc($h, $n);
    $i = zendmm_block_info($h, $p);
    printf("%6d -> true size %6d, bucket %2d, large index %2d, usable %6d, %s\n",
        $n, $i['true_size'], $i['bucket'], $i['large_index'], $i['size'], $i['state']);
    zendmm_efree($h, $p);
}
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
     0 -> true size     32, bucket  0, large index -1, usable      0, used
     1 -> true size     32, bucket  0, large index -1, usable      1, used
     8 -> true size     32, bucket  0, large index -1, usable      8, used
    16 -> true size     32, bucket  0, large index -1, usable     16, used
    17 -> true size     40, bucket  1, large index -1, usable     17, used
    24 -> true size     40, bucket  1, large index -1, usable     24, used
    25 -> true size     48, bucket  2, large index -1, usable     25, used
   100 -> true size    120, bucket 11, large index -1, usable    100, used
   256 -> true size    272, bucket 30, large index -1, usable    256, used
   519 -> true size    536, bucket 63, large index -1, usable    519, used
   520 -> true size    536, bucket 63, large index -1, usable    520, used
   521 -> true size    544, bucket -1, large index  9, usable    521, used
   544 -> true size    560, bucket -1, large index  9, usable    544, used
  4096 -> true size   4112, bucket -1, large index 12, usable   4096, used
262096 -> true size 262112, bucket -1, large index 17, usable 262096, used
array(0) {
}

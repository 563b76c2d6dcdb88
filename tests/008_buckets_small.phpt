--TEST--
zendmm_buckets(): small free buckets, FIFO order, free_bitmap, coalescing (cache off)
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true, 'cache' => false]);
$seg = zendmm_segments($h)[0]['address'];
function rel(array $list, int $seg): string {
    return implode(' ', array_map(fn($b) => sprintf('%s@%d/%d/b%d', $b['state'], $b['address'] - $seg, $b['size'], $b['bucket']), $list));
}
$b = zendmm_buckets($h);
echo "keys: ", implode(',', array_keys($b)), "\n";
printf("fresh: free_bitmap %b, large_free_bitmap %b, %d small lists, %d trees, %d cache lists\n",
    $b['free_bitmap'], $b['large_free_bitmap'], count($b['free_buckets']), count($b['large_free_buckets']), count($b['cache']));
echo "tree 17: ", $b['large_free_buckets'][17]['size'], " bytes at ", $b['large_free_buckets'][17]['address'] - $seg, "\n";

$a = zendmm_emalloc($h, 100);   // 120 bytes at 8224
$s1 = zendmm_emalloc($h, 8);
$c = zendmm_emalloc($h, 100);   // 120 bytes
$s2 = zendmm_emalloc($h, 8);
$d = zendmm_emalloc($h, 24);    // 40 bytes
$s3 = zendmm_emalloc($h, 8);
zendmm_efree($h, $c);
zendmm_efree($h, $a);
zendmm_efree($h, $d);
$b = zendmm_buckets($h);
printf("free_bitmap %b\n", $b['free_bitmap']);
foreach ($b['free_buckets'] as $i => $list) {
    if ($list) echo "bucket $i: ", rel($list, $seg), "\n";
}
// FIFO: the oldest free block of bucket 11 ($c) is taken first
var_dump(zendmm_emalloc($h, 100) === $c);
// a free neighbour is merged on free: freeing $s1 (32) joins the free $a (120) into 152 bytes, bucket 15
zendmm_efree($h, $s1);
$b = zendmm_buckets($h);
printf("free_bitmap %b\n", $b['free_bitmap']);
foreach ($b['free_buckets'] as $i => $list) {
    if ($list) echo "bucket $i: ", rel($list, $seg), "\n";
}
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
keys: free_bitmap,large_free_bitmap,free_buckets,large_free_buckets,rest_buckets,cache
fresh: free_bitmap 0, large_free_bitmap 100000000000000000, 64 small lists, 64 trees, 64 cache lists
tree 17: 253904 bytes at 8224
free_bitmap 100000000010
bucket 1: free@8528/40/b1
bucket 11: free@8376/120/b11 free@8224/120/b11
bool(true)
free_bitmap 1000000000000010
bucket 1: free@8528/40/b1
bucket 15: free@8224/152/b15
array(0) {
}

--TEST--
zendmm_block_info(): size (requested), true_size, bucket, segment, state and the rest of the keys
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
$p = zendmm_emalloc($h, 100);
$i = zendmm_block_info($h, $p);
echo implode(',', array_keys($i)), "\n";
$seg = zendmm_segments($h)[0];
printf("size %d true_size %d bucket %d state %s storage %s block_size %d large_index %d\n",
    $i['size'], $i['true_size'], $i['bucket'], $i['state'], $i['storage'], $i['block_size'], $i['large_index']);
var_dump($i['segment'] === $seg['address'], $i['ptr'] === $p, $i['address'] === $p - 16);
$q = zendmm_emalloc($h, 300000);   // a segment of its own
$j = zendmm_block_info($h, $q);
printf("size %d true_size %d bucket %d large_index %d segment is newest %s\n", $j['size'], $j['true_size'], $j['bucket'],
    $j['large_index'], var_export($j['segment'] === zendmm_segments($h)[0]['address'], true));
// realloc updates the requested size; shrinking splits off the tail when it is at least 32 bytes
$p = zendmm_erealloc($h, $p, 50);
echo "after erealloc(50): size ", zendmm_block_info($h, $p)['size'], ", true_size ", zendmm_block_info($h, $p)['true_size'], "\n";
$p = zendmm_erealloc($h, $p, 700);
echo "after erealloc(700): size ", zendmm_block_info($h, $p)['size'], ", true_size ", zendmm_block_info($h, $p)['true_size'], "\n";
// estrdup counts the terminating NUL, estrndup too
echo zendmm_block_info($h, zendmm_estrdup($h, 'hello'))['size'], " ", zendmm_block_info($h, zendmm_estrndup($h, 'hello', 3))['size'], "\n";
// in pass-through mode (use_zend_alloc off) blocks come from the system allocator
$pt = zendmm_heap_create(['use_zend_alloc' => false]);
$r = zendmm_emalloc($pt, 100);
$k = zendmm_block_info($pt, $r);
printf("pass-through: size %d segment %d storage %s state %s\n", $k['size'], $k['segment'], $k['storage'], $k['state']);
?>
--EXPECT--
size,true_size,bucket,segment,state,address,ptr,large_index,block_size,storage
size 100 true_size 120 bucket 11 state used storage malloc block_size 120 large_index -1
bool(true)
bool(true)
bool(true)
size 300000 true_size 300016 bucket -1 large_index 18 segment is newest true
after erealloc(50): size 50, true_size 72
after erealloc(700): size 700, true_size 720
6 4
pass-through: size 100 segment 0 storage system state used

--TEST--
zendmm_segments(): segments newest first, their storage, every block with its state; an emptied segment goes back
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true, 'cache' => false]);
function dump($h) {
    foreach (zendmm_segments($h) as $i => $s) {
        echo "segment $i: ", $s['size'], " bytes from ", $s['storage'], "\n";
        foreach ($s['blocks'] as $b) {
            printf("  +%-7d %7d %-8s bucket %2d ptr=address+16:%s\n", $b['address'] - $s['address'], $b['size'],
                $b['state'], $b['bucket'], var_export($b['ptr'] === $b['address'] + 16, true));
        }
    }
}
$s = zendmm_segments($h)[0];
echo "keys: ", implode(',', array_keys($s)), " / ", implode(',', array_keys($s['blocks'][0])), "\n";
$a = zendmm_emalloc($h, 100);
$b = zendmm_emalloc($h, 200000);
$c = zendmm_emalloc($h, 100000);   // does not fit: a second segment
dump($h);
echo "block_info segment of \$c is the newest: ",
    var_export(zendmm_block_info($h, $c)['segment'] === zendmm_segments($h)[0]['address'], true), "\n";
zendmm_efree($h, $c);              // its segment is now empty: back to storage at once
echo "after efree(\$c): ", count(zendmm_segments($h)), " segment(s), real_size ", zendmm_memory_usage($h, true), "\n";
zendmm_efree($h, $b);
dump($h);
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
keys: address,size,storage,blocks / address,ptr,size,state,bucket
segment 0: 262144 bytes from malloc
  +16       100016 used     bucket -1 ptr=address+16:true
  +100032   162096 large    bucket -1 ptr=address+16:true
  +262128       16 guard    bucket -1 ptr=address+16:true
segment 1: 262144 bytes from malloc
  +16         8208 reserve  bucket -1 ptr=address+16:true
  +8224        120 used     bucket 11 ptr=address+16:true
  +8344     200016 used     bucket -1 ptr=address+16:true
  +208360    53768 large    bucket -1 ptr=address+16:true
  +262128       16 guard    bucket -1 ptr=address+16:true
block_info segment of $c is the newest: true
after efree($c): 1 segment(s), real_size 262144
segment 0: 262144 bytes from malloc
  +16         8208 reserve  bucket -1 ptr=address+16:true
  +8224        120 used     bucket 11 ptr=address+16:true
  +8344     253784 large    bucket -1 ptr=address+16:true
  +262128       16 guard    bucket -1 ptr=address+16:true
array(0) {
}

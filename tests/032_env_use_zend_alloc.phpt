--TEST--
USE_ZEND_ALLOC=0: heaps bypass ZendMM (blocks from the system allocator, counters frozen), as in 5.3
--ENV--
USE_ZEND_ALLOC=0
--FILE--
<?php
foreach (['process' => zendmm_heap(), 'new' => zendmm_heap_create()] as $label => $h) {
    $before = zendmm_stats($h);
    $p = zendmm_emalloc($h, 1000);
    zendmm_write($h, $p, str_repeat('x', 1000));
    $p = zendmm_erealloc($h, $p, 5000);
    $after = zendmm_stats($h);
    printf("%s: use_zend_alloc %d, size unchanged %s, segment %d, storage %s, data %s, live %d\n", $label,
        $after['use_zend_alloc'], var_export($before['size'] === $after['size'], true),
        zendmm_block_info($h, $p)['segment'], zendmm_block_info($h, $p)['storage'],
        var_export(zendmm_read($h, $p, 1000) === str_repeat('x', 1000), true), $after['live_blocks']);
    zendmm_efree($h, $p);
    try {
        zendmm_efree($h, $p);
    } catch (ValueError $e) {
        echo "  ", $e->getMessage(), "\n";
    }
}
// the option wins over the environment
echo zendmm_stats(zendmm_heap_create(['use_zend_alloc' => true]))['use_zend_alloc'], "\n";
?>
--EXPECT--
process: use_zend_alloc 0, size unchanged true, segment 0, storage system, data true, live 1
  zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
new: use_zend_alloc 0, size unchanged true, segment 0, storage system, data true, live 1
  zendmm_efree(): Argument #2 ($ptr) must be a live block of this heap
1

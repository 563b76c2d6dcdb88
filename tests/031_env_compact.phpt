--TEST--
ZEND_MM_COMPACT sets compact_size (0 disables compaction at partial shutdown)
--ENV--
ZEND_MM_COMPACT=1M
--FILE--
<?php
echo zendmm_stats(zendmm_heap())['compact_size'], "\n";
echo zendmm_stats(zendmm_heap_create())['compact_size'], "\n";
echo zendmm_stats(zendmm_heap_create(['compact_size' => 0]))['compact_size'], "\n";
?>
--EXPECT--
1048576
1048576
0

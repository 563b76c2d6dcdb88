--TEST--
ZEND_MM_MEM_TYPE picks the storage of the process heap and the default of new heaps; an option still wins
--ENV--
ZEND_MM_MEM_TYPE=mmap_anon
--SKIPIF--
<?php if (PHP_OS_FAMILY === 'Windows') die('skip not for Windows'); ?>
--FILE--
<?php
echo zendmm_stats(zendmm_heap())['storage'], "\n";
echo zendmm_stats(zendmm_heap_create())['storage'], "\n";
echo zendmm_stats(zendmm_heap_create(['storage' => 'malloc']))['storage'], "\n";
$p = zendmm_emalloc(zendmm_heap(), 1 << 20);
echo implode(',', array_unique(array_column(zendmm_segments(zendmm_heap()), 'storage'))), "\n";
?>
--EXPECT--
mmap_anon
mmap_anon
malloc
mmap_anon

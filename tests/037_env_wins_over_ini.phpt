--TEST--
Precedence: an option wins over the environment, the environment over INI, INI over the built-in defaults
--ENV--
ZEND_MM_MEM_TYPE=mmap_anon
ZEND_MM_SEG_SIZE=128K
--INI--
pcre.jit=0
zendmm_ext.mem_type=mmap_zero
zendmm_ext.segment_size=64K
zendmm_ext.compact_size=1M
zendmm_ext.limit=32M
--SKIPIF--
<?php if (PHP_OS_FAMILY === 'Windows') die('skip not for Windows'); ?>
--FILE--
<?php
foreach (['process' => zendmm_heap(), 'new' => zendmm_heap_create(), 'options' => zendmm_heap_create(['storage' => 'malloc', 'segment_size' => 1 << 20])] as $label => $h) {
    $s = zendmm_stats($h);
    echo "$label: storage ", $s['storage'], ", segment_size ", $s['segment_size'], ", compact_size ", $s['compact_size'],
        ", limit ", $s['limit'], "\n";
}
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
preg_match('/Environment in use => (.*)/', $info, $m);
echo str_replace('USE_ZEND_ALLOC; ', '', $m[1]), "\n";   // a valgrind run adds USE_ZEND_ALLOC=0
?>
--EXPECT--
process: storage mmap_anon, segment_size 131072, compact_size 1048576, limit 33554432
new: storage mmap_anon, segment_size 131072, compact_size 1048576, limit 33554432
options: storage malloc, segment_size 1048576, compact_size 1048576, limit 33554432
ZEND_MM_MEM_TYPE; ZEND_MM_SEG_SIZE

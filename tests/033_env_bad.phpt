--TEST--
Bad environment values: a startup warning each, the default is used, phpinfo shows the problem; PHP keeps running
--ENV--
ZEND_MM_MEM_TYPE=win64
ZEND_MM_SEG_SIZE=1000
ZEND_MM_COMPACT=lots
USE_ZEND_ALLOC=maybe
--SKIPIF--
<?php if (getenv('USE_ZEND_ALLOC') !== 'maybe') die('skip USE_ZEND_ALLOC is forced (valgrind run)'); ?>
--INI--
pcre.jit=0
--FILE--
<?php
$s = zendmm_stats(zendmm_heap());
echo "process heap: ", $s['storage'], " ", $s['segment_size'], " ", $s['compact_size'], " ", $s['use_zend_alloc'], "\n";
$s = zendmm_stats(zendmm_heap_create());
echo "new heap: ", $s['storage'], " ", $s['segment_size'], " ", $s['compact_size'], " ", $s['use_zend_alloc'], "\n";
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
preg_match('/Environment problems => (.*)/', $info, $m);
echo str_replace('; ', "\n", $m[1]), "\n";
?>
--EXPECTF--
%AWarning: PHP Startup: zendmm_ext: USE_ZEND_ALLOC=maybe ignored: USE_ZEND_ALLOC must be a number, got 'maybe'; using the default in Unknown on line 0
%AWarning: PHP Startup: zendmm_ext: ZEND_MM_MEM_TYPE=win64 ignored: Wrong or unsupported zend_mm storage type 'win64' (supported types: %s); using the default in Unknown on line 0
%AWarning: PHP Startup: zendmm_ext: ZEND_MM_SEG_SIZE=1000 ignored: ZEND_MM_SEG_SIZE must be a power of two; using the default in Unknown on line 0
%AWarning: PHP Startup: zendmm_ext: ZEND_MM_COMPACT=lots ignored: ZEND_MM_COMPACT must be a number, got 'lots'; using the default in Unknown on line 0
process heap: %s 262144 2097152 1
new heap: %s 262144 2097152 1
USE_ZEND_ALLOC=maybe ignored: USE_ZEND_ALLOC must be a number, got 'maybe'
ZEND_MM_MEM_TYPE=win64 ignored: Wrong or unsupported zend_mm storage type 'win64' (supported types: %s)
ZEND_MM_SEG_SIZE=1000 ignored: ZEND_MM_SEG_SIZE must be a power of two
ZEND_MM_COMPACT=lots ignored: ZEND_MM_COMPACT must be a number, got 'lots'

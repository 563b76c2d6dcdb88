--TEST--
zendmm_storage_schemes(): win32 comes first on Windows and is the default
--SKIPIF--
<?php if (PHP_OS_FAMILY !== 'Windows') die('skip Windows only'); ?>
--FILE--
<?php
$schemes = zendmm_storage_schemes();
var_dump($schemes[0], in_array('malloc', $schemes, true));
$h = zendmm_heap_create(['use_zend_alloc' => true]);
var_dump(zendmm_stats($h)['storage']);
$p = zendmm_emalloc($h, 100);
zendmm_write($h, $p, 'win32');
var_dump(zendmm_read($h, $p, 5));
zendmm_efree($h, $p);
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
string(5) "win32"
bool(true)
string(5) "win32"
string(5) "win32"
array(0) {
}

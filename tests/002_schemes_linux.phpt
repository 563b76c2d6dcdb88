--TEST--
zendmm_storage_schemes(): the schemes of a Linux build, in 5.3's table order
--SKIPIF--
<?php if (PHP_OS_FAMILY === 'Windows') die('skip not for Windows'); ?>
--FILE--
<?php
var_dump(zendmm_storage_schemes());
?>
--EXPECT--
array(3) {
  [0]=>
  string(6) "malloc"
  [1]=>
  string(9) "mmap_anon"
  [2]=>
  string(9) "mmap_zero"
}

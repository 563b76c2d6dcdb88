--TEST--
zendmm_ecalloc() zeroes, zendmm_estrdup()/zendmm_estrndup() copy and terminate like C
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
// dirty a block, free it, then ecalloc the same size: it comes back from the cache, zeroed
$d = zendmm_emalloc($h, 300);
zendmm_write($h, $d, str_repeat("\xff", 300));
zendmm_efree($h, $d);
$c = zendmm_ecalloc($h, 30, 10);
var_dump($c === $d, zendmm_read($h, $c) === str_repeat("\0", 300), zendmm_block_info($h, $c)['size']);
$c2 = zendmm_ecalloc($h, 1000, 1000);
var_dump(zendmm_read($h, $c2) === str_repeat("\0", 1000000));
$s = zendmm_estrdup($h, 'hello');
var_dump(bin2hex(zendmm_read($h, $s)));
$s = zendmm_estrdup($h, "nul\0inside");   // C semantics: up to the first NUL
var_dump(bin2hex(zendmm_read($h, $s)));
$s = zendmm_estrdup($h, '');
var_dump(bin2hex(zendmm_read($h, $s)));
$s = zendmm_estrndup($h, 'hello world', 5);
var_dump(bin2hex(zendmm_read($h, $s)));
$s = zendmm_estrndup($h, "a\0b", 3);      // estrndup copies exactly $length bytes
var_dump(bin2hex(zendmm_read($h, $s)));
$s = zendmm_safe_emalloc($h, 10, 20, 5);
var_dump(zendmm_block_info($h, $s)['size']);
var_dump(zendmm_check_heap($h));
?>
--EXPECT--
bool(true)
bool(true)
int(300)
bool(true)
string(12) "68656c6c6f00"
string(8) "6e756c00"
string(2) "00"
string(12) "68656c6c6f00"
string(8) "61006200"
int(205)
array(0) {
}

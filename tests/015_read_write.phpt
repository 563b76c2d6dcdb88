--TEST--
zendmm_write()/zendmm_read(): contents, offsets, bounds (the requested size) and their ValueErrors
--FILE--
<?php
$h = zendmm_heap_create(['use_zend_alloc' => true]);
$p = zendmm_emalloc($h, 10);
zendmm_write($h, $p, '0123456789');
var_dump(zendmm_read($h, $p));
var_dump(zendmm_read($h, $p, 4));
var_dump(zendmm_read($h, $p, 4, 6));
var_dump(zendmm_read($h, $p, null, 7));
var_dump(zendmm_read($h, $p, 0, 10));
zendmm_write($h, $p, "a\0b", 3);
var_dump(bin2hex(zendmm_read($h, $p)));
zendmm_write($h, $p, '', 10);
$z = zendmm_emalloc($h, 0);
var_dump(zendmm_read($h, $z));
function attempt(string $label, callable $f) {
    global $h, $p;
    try {
        $f();
        echo "$label: no error\n";
    } catch (Throwable $e) {
        echo "$label: ", get_class($e), ": ", $e->getMessage(), "\n";
    }
    echo "  check: ", json_encode(zendmm_check_heap($h)), ", data: ", bin2hex(zendmm_read($h, $p)), "\n";
}
attempt('write past the end', fn() => zendmm_write($h, $p, '0123456789A'));
attempt('write at an offset past the end', fn() => zendmm_write($h, $p, 'xy', 9));
attempt('write at offset 11', fn() => zendmm_write($h, $p, '', 11));
attempt('write at offset -1', fn() => zendmm_write($h, $p, 'x', -1));
attempt('write into a 0-byte block', fn() => zendmm_write($h, $z, 'x'));
attempt('read 11', fn() => zendmm_read($h, $p, 11));
attempt('read 2 at 9', fn() => zendmm_read($h, $p, 2, 9));
attempt('read -1', fn() => zendmm_read($h, $p, -1));
attempt('read at 11', fn() => zendmm_read($h, $p, null, 11));
attempt('read at -5', fn() => zendmm_read($h, $p, 1, -5));
attempt('read at PHP_INT_MAX', fn() => zendmm_read($h, $p, 1, PHP_INT_MAX));
attempt('read PHP_INT_MAX', fn() => zendmm_read($h, $p, PHP_INT_MAX, 1));
// the bounds follow the block through realloc
$p = zendmm_erealloc($h, $p, 20);
zendmm_write($h, $p, 'ABCDEFGHIJ', 10);
var_dump(bin2hex(zendmm_read($h, $p)));
$p = zendmm_erealloc($h, $p, 5);
var_dump(bin2hex(zendmm_read($h, $p)));
attempt('read 6 after shrinking', fn() => zendmm_read($h, $p, 6));
?>
--EXPECT--
string(10) "0123456789"
string(4) "0123"
string(4) "6789"
string(3) "789"
string(0) ""
string(20) "30313261006236373839"
string(0) ""
write past the end: ValueError: zendmm_write(): Argument #3 ($data) must be at most 10 bytes long to fit in the block at offset 0, 11 given
  check: [], data: 30313261006236373839
write at an offset past the end: ValueError: zendmm_write(): Argument #3 ($data) must be at most 1 bytes long to fit in the block at offset 9, 2 given
  check: [], data: 30313261006236373839
write at offset 11: ValueError: zendmm_write(): Argument #4 ($offset) must be between 0 and the size of the block (10)
  check: [], data: 30313261006236373839
write at offset -1: ValueError: zendmm_write(): Argument #4 ($offset) must be between 0 and the size of the block (10)
  check: [], data: 30313261006236373839
write into a 0-byte block: ValueError: zendmm_write(): Argument #3 ($data) must be at most 0 bytes long to fit in the block at offset 0, 1 given
  check: [], data: 30313261006236373839
read 11: ValueError: zendmm_read(): Argument #3 ($length) must be between 0 and 10 (the block's bytes after offset 0)
  check: [], data: 30313261006236373839
read 2 at 9: ValueError: zendmm_read(): Argument #3 ($length) must be between 0 and 1 (the block's bytes after offset 9)
  check: [], data: 30313261006236373839
read -1: ValueError: zendmm_read(): Argument #3 ($length) must be between 0 and 10 (the block's bytes after offset 0)
  check: [], data: 30313261006236373839
read at 11: ValueError: zendmm_read(): Argument #4 ($offset) must be between 0 and the size of the block (10)
  check: [], data: 30313261006236373839
read at -5: ValueError: zendmm_read(): Argument #4 ($offset) must be between 0 and the size of the block (10)
  check: [], data: 30313261006236373839
read at PHP_INT_MAX: ValueError: zendmm_read(): Argument #4 ($offset) must be between 0 and the size of the block (10)
  check: [], data: 30313261006236373839
read PHP_INT_MAX: ValueError: zendmm_read(): Argument #3 ($length) must be between 0 and 9 (the block's bytes after offset 1)
  check: [], data: 30313261006236373839
string(40) "303132610062363738394142434445464748494a"
string(10) "3031326100"
read 6 after shrinking: ValueError: zendmm_read(): Argument #3 ($length) must be between 0 and 5 (the block's bytes after offset 0)
  check: [], data: 3031326100

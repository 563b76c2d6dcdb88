--TEST--
Engine heap: under valgrind, memcheck sees a script's use of freed memory (client requests describe each block)
--SKIPIF--
<?php
if (getenv('USE_ZEND_ALLOC') === '0') die('skip runs valgrind itself: not inside run-tests.php -m');
if (!is_executable('/usr/bin/valgrind')) die('skip needs valgrind');
if (!is_file(ini_get('extension_dir') . '/ffi.so') && !extension_loaded('ffi')) die('skip needs the FFI extension');
ob_start(); phpinfo(INFO_MODULES);
if (!str_contains(ob_get_clean(), 'Valgrind client requests => compiled in')) die('skip built without valgrind/memcheck.h');
?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/engine.inc';

// FFI::new(..., false) memory comes from PHP's heap; read it after FFI::free()
// through a raw address, as a buggy script or extension would. (The first 40
// bytes of a freed block hold the heap's own links and stay readable.)
$script = <<<'PHP'
<?php
$ffi = FFI::cdef();
$a = $ffi->new("char[64]", false);
$a[50] = "z";
$addr = $ffi->cast("uintptr_t", FFI::addr($a))->cdata;
FFI::free($a);
$stale = $ffi->cast("char *", $addr);
echo "read after free: ", strlen($stale[50]), " byte\n";
PHP;
$file = tempnam(sys_get_temp_dir(), 'zendmm_uaf_');
file_put_contents($file, $script);
// FFI as a shared ffi.so (Debian's) is loaded by name; built in (a build's --with-ffi) it is there under -n too
$load_ffi = is_file(ini_get('extension_dir') . '/ffi.so') ? ['-d', 'extension=ffi'] : [];
foreach ([1, 0] as $engine) {
    $cmd = ['/usr/bin/valgrind', '-q', '--error-exitcode=99', PHP_BINARY, '-n', '-d', 'extension=' . engine_so(), '-d', 'pcre.jit=0',
        ...$load_ffi, '-d', 'ffi.enable=1', '-d', "zendmm_ext.engine=$engine", $file];
    $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, engine_env());
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    $status = proc_close($proc);
    echo "engine=$engine: $out";
    echo "  invalid reads: ", preg_match_all('~Invalid read of size 1~', $err), ", exit status $status\n";
}
unlink($file);
?>
--EXPECT--
engine=1: read after free: 1 byte
  invalid reads: 1, exit status 99
engine=0: read after free: 1 byte
  invalid reads: 0, exit status 0

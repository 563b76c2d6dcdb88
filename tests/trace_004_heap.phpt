--TEST--
zendmm_trace_start/stop: recording changes nothing the script sees and leaves PHP's heap as found
--EXTENSIONS--
zendmm_ext
--SKIPIF--
<?php
if (getenv('USE_ZEND_ALLOC') === '0') die('skip needs PHP\'s own allocator (USE_ZEND_ALLOC=0 is set)');
?>
--INI--
opcache.enable=0
opcache.enable_cli=0
--FILE--
<?php
function work(): string
{
    $rows = [];
    mt_srand(1);
    for ($i = 0; $i < 5000; $i++) {
        $rows[] = ['k' => mt_rand(), 's' => str_repeat(chr(65 + $i % 26), $i % 40)];
    }
    usort($rows, fn ($a, $b) => $a['k'] <=> $b['k']);
    return md5(serialize($rows));
}

$file = tempnam(sys_get_temp_dir(), 'zmmtrace');
register_shutdown_function(fn() => @unlink($file));   // the script ends in a fatal error
$plain = work();
$before = memory_get_usage();

zendmm_trace_start($file);
$traced = work();
/* memory_get_usage() still follows PHP's heap while recording */
$u0 = memory_get_usage();
$big = str_repeat('b', 1 << 20);
var_dump(memory_get_usage() - $u0 >= 1 << 20);
unset($big);
/* gc_mem_caches() still gives memory back while recording */
$small = [];
for ($i = 0; $i < 50000; $i++) {
    $small[] = str_repeat('s', 16) . $i;
}
unset($small);
var_dump(gc_mem_caches() > 0);
$c = zendmm_trace_stop();

var_dump($plain === $traced);
var_dump(abs(memory_get_usage() - $before) < 65536);
var_dump($c['allocs'] > 5000 && $c['frees'] > 5000);

/* the limit still holds while recording: a fallible allocation fails cleanly */
zendmm_trace_start($file);
ini_set('memory_limit', '32M');
$r = @str_repeat('x', 64 << 20);
echo "not reached\n";
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)

Fatal error: Allowed memory size of 33554432 bytes exhausted %s

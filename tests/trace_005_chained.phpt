--TEST--
zendmm_trace_start/stop: with USE_ZEND_ALLOC=0 the recorder chains to the handlers already installed
--EXTENSIONS--
zendmm_ext
--ENV--
USE_ZEND_ALLOC=0
--FILE--
<?php
require __DIR__ . '/trace_helpers.inc';
$file = tempnam(sys_get_temp_dir(), 'zmmtrace');
zendmm_trace_start($file);
$a = [];
for ($i = 0; $i < 1000; $i++) {
    $a[] = str_repeat('c', 100) . $i;
}
$s = implode('', $a);
unset($a);
$c = zendmm_trace_stop();
$t = zendmm_trace_parse($file);
var_dump($t['error'], $t['complete'], $c['allocs'] >= 1000, $c['frees'] >= 1000);
var_dump($t['calls'] === array_intersect_key($c, $t['calls']));
var_dump(strlen($s));
/* again, and then the script ends normally with the previous handlers back */
zendmm_trace_start($file);
$x = str_repeat('d', 1000 + (int)getenv('ZENDMM_NO_SUCH_VAR'));
$c = zendmm_trace_stop();
var_dump($c['allocs'] >= 1);
@unlink($file);
?>
--EXPECT--
NULL
bool(true)
bool(true)
bool(true)
bool(true)
int(102890)
bool(true)

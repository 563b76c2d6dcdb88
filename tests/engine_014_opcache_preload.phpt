--TEST--
Engine heap with opcache.preload as root: PHP 8.2 preloads in a child, so zendmm_ext.engine_trace records startup and the first real request; from 8.3 on (preload_user root) it preloads in this process, in a startup request of its own, and the trace ends with that one
--SKIPIF--
<?php
if (PHP_OS_FAMILY !== 'Linux') die('skip needs /proc');
if (getenv('USE_ZEND_ALLOC') === '0') die('skip in the valgrind pass: opcache\'s preload child exits without freeing what startup made, which memcheck reports as lost');
if (!is_file(ini_get('extension_dir') . '/opcache.so') && !extension_loaded('Zend OPcache')) die('skip opcache is neither installed (opcache.so) nor built in (as from PHP 8.5)');
if (fileowner('/proc/self') !== 0) die('skip as root only (where 8.2 preloads in a child)');
?>
--INI--
pcre.jit=0
--FILE--
<?php
require __DIR__ . '/engine.inc';
engine_rerun_if_refused(__FILE__);

$dir = sys_get_temp_dir() . '/zendmm_engine_preload_' . getmypid();
@mkdir($dir);
$trace = "$dir/engine.trace";
// sizes no other allocation of startup has: each string is 32 bytes more
// than its length (zend_string's header, rounded); the lengths are read at run
// time so that opcache's optimizer cannot fold the strings into literals
file_put_contents("$dir/preload.php", <<<'PHP'
<?php
$GLOBALS['preloaded'] = str_repeat('p', 77777 + 0 * (int)ini_get('precision'));
function preloaded_function(): string { return 'from the preload'; }
PHP);
$script = <<<'PHP'
<?php
$s = str_repeat('m', 55555 + 0 * (int)ini_get('precision'));
echo function_exists('preloaded_function') ? preloaded_function() : 'not preloaded', ", ", strlen($s), "\n";
PHP;
// a shared opcache.so is loaded by name; from PHP 8.5 opcache is built in, there under -n too
$load_opcache = is_file(ini_get('extension_dir') . '/opcache.so') ? ['zend_extension' => 'opcache'] : [];
[$out, $status] = engine_child(['zendmm_ext.engine' => 1, 'zendmm_ext.engine_trace' => $trace]
    + $load_opcache + ['opcache.enable_cli' => 1, 'opcache.preload' => "$dir/preload.php",
    'opcache.preload_user' => 'root'], null, $script);
echo $out, "exit status $status\n";

// one trace: the header once, END as its last byte, every ALLOC size read
$d = file_get_contents($trace);
echo "headers: ", substr_count($d, 'ZMMTRACE'), "\n";
$p = 16;
$prev = 0;
$sizes = [];
$end = null;
while ($p < strlen($d)) {
    $tag = ord($d[$p++]);
    $shift = ($tag & 0x10) ? 0 : ord($d[10]);
    switch ($tag & 15) {
        case 1:
            $prev += engine_trace_delta($d, $p, $shift);
            $sizes[] = engine_trace_varint($d, $p);
            break;
        case 2:
            $prev += engine_trace_delta($d, $p, $shift);
            break;
        case 3:
            $prev += engine_trace_delta($d, $p, $shift);
            $prev += engine_trace_delta($d, $p, $shift);
            $sizes[] = engine_trace_varint($d, $p);
            break;
        case 6:
            break;
        case 15:
            $end = $p;
            break 2;
        default:
            echo "unexpected record $tag at ", $p - 1, "\n";
            break 2;
    }
}
echo "END is the last byte: ", var_export($end === strlen($d), true), "\n";
$first = in_array(55555 + 32, $sizes, true);
$preload = in_array(77777 + 32, $sizes, true);
// 8.2 preloads in a child, which records nothing; 8.3+ preloads in this
// process, in a startup request of its own, which the trace then ends with
$want = PHP_VERSION_ID < 80300 ? 'the first request, not the preload' : 'the preload, not the first request';
$got = ($first && !$preload) ? 'the first request, not the preload'
    : ((!$first && $preload) ? 'the preload, not the first request' : sprintf('first %d, preload %d', $first, $preload));
echo "the trace holds what this version runs first: ", $got === $want ? 'yes' : "NO: $got", "\n";
@unlink($trace);
@unlink("$dir/preload.php");
@rmdir($dir);
?>
--EXPECT--
from the preload, 55555
exit status 0
headers: 1
END is the last byte: true
the trace holds what this version runs first: yes

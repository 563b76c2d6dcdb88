--TEST--
Engine heap: ini_set('memory_limit') moves its limit both ways; a limit below current usage is refused with PHP 8's warning
--INI--
pcre.jit=0
zendmm_ext.engine=1
display_startup_errors=0
error_log=/dev/null
memory_limit=32M
--FILE--
<?php
require __DIR__ . '/engine.inc';
engine_rerun_if_refused(__FILE__, ['memory_limit' => '32M']);

$h = zendmm_heap();
echo "from the INI: ", zendmm_stats($h)['limit'], "\n";

var_dump(ini_set('memory_limit', '64M'));
echo "up: ", zendmm_stats($h)['limit'], "\n";
$big = str_repeat('x', 40 << 20);     // over the old limit, under the new one
echo "40 MB string: ", strlen($big), "\n";

// below what is in use: refused, nothing changes
var_dump(ini_set('memory_limit', '16M'));
echo ini_get('memory_limit'), " ", zendmm_stats($h)['limit'], "\n";

unset($big);
var_dump(ini_set('memory_limit', '16M'));
echo "down: ", ini_get('memory_limit'), " ", zendmm_stats($h)['limit'], "\n";

// below the segments held (real usage), however little is allocated
var_dump(ini_set('memory_limit', '1K'));

var_dump(ini_set('memory_limit', '-1'));
echo "none: ", zendmm_stats($h)['limit'], "\n";
$big = str_repeat('x', 40 << 20);
echo "40 MB string: ", strlen($big), "\n";
?>
--EXPECTF--
from the INI: 33554432
string(3) "32M"
up: 67108864
40 MB string: 41943040

Warning: Failed to set memory limit to 16777216 bytes (Current memory usage is %d bytes) in %s on line %d
bool(false)
64M 67108864
string(3) "64M"
down: 16M 16777216

Warning: Failed to set memory limit to 1024 bytes (Current memory usage is %d bytes) in %s on line %d
bool(false)
string(3) "16M"
none: -1
40 MB string: 41943040

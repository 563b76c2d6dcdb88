--TEST--
zendmm_ext.cache_stat: a value that is not a boolean is refused at startup with a warning; the statistics stay on; phpinfo shows it
--INI--
zendmm_ext.cache_stat=sometimes
--FILE--
<?php
var_dump(ini_get('zendmm_ext.cache_stat'));
var_dump(count(zendmm_stats(zendmm_heap())['cache_stat']), count(zendmm_stats(zendmm_heap_create())['cache_stat']));
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
preg_match_all('/^(Default cache_stat|INI problems|zendmm_ext\.cache_stat) => .*$/m', $info, $m);
echo implode("\n", $m[0]), "\n";
?>
--EXPECTF--
%AWarning: PHP Startup: zendmm_ext: zendmm_ext.cache_stat="sometimes" refused: not a boolean (1, on, yes, true or 0, off, no, false) in Unknown on line 0
%Astring(1) "1"
int(65)
int(65)
Default cache_stat => 1
INI problems => zendmm_ext.cache_stat="sometimes" refused: not a boolean (1, on, yes, true or 0, off, no, false)
zendmm_ext.cache_stat => 1 => 1

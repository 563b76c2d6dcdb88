--TEST--
zendmm_ext.exact_fit: a value that is not a boolean is refused at startup with a warning; exact_fit stays off; phpinfo shows it
--INI--
zendmm_ext.exact_fit=maybe
--FILE--
<?php
var_dump(ini_get('zendmm_ext.exact_fit'));
var_dump(zendmm_stats(zendmm_heap())['exact_fit'], zendmm_stats(zendmm_heap_create())['exact_fit']);
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
preg_match_all('/^(Default exact_fit|INI problems|zendmm_ext\.exact_fit) => .*$/m', $info, $m);
echo implode("\n", $m[0]), "\n";
?>
--EXPECTF--
%AWarning: PHP Startup: zendmm_ext: zendmm_ext.exact_fit="maybe" refused: not a boolean (1, on, yes, true or 0, off, no, false) in Unknown on line 0
%Astring(1) "0"
bool(false)
bool(false)
Default exact_fit => 0
INI problems => zendmm_ext.exact_fit="maybe" refused: not a boolean (1, on, yes, true or 0, off, no, false)
zendmm_ext.exact_fit => 0 => 0

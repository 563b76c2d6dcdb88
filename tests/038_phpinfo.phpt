--TEST--
phpinfo() / php --ri zendmm_ext: version, schemes, defaults, problems, INI entries
--SKIPIF--
<?php
foreach (['ZEND_MM_MEM_TYPE', 'ZEND_MM_SEG_SIZE', 'ZEND_MM_COMPACT'] as $v) {
    if (getenv($v) !== false) die("skip $v is set");
}
?>
--FILE--
<?php
$ext = new ReflectionExtension('zendmm_ext');
ob_start();
$ext->info();
echo ob_get_clean();
var_dump($ext->getVersion() === ZENDMM_EXT_VERSION, $ext->getINIEntries());
?>
--EXPECTF--
zendmm_ext

zendmm_ext support => enabled
Version => %d.%d.%d
Heap core version => %d.%d.%d
Storage schemes => %s
Defaults come from => options > environment > INI > built-in (5.3)
Default storage => %s
Default segment size => 262144
Default compact size => 2097152
Default limit => -1 (none)
Default reserve size => 8192
Default cache size => 262144
Default use_zend_alloc => %d
Default exact_fit => 0
Default cache_stat => 1
Environment in use => %s
Environment problems => none
INI problems => none
Process heap => storage %s, segment size 262144, real_size 262144, size 8208
Engine heap (zendmm_ext.engine) => off
Engine trace (zendmm_ext.engine_trace) => off
Valgrind client requests => %s
Allocation sites of the engine heap (zendmm_ext.sites) => off

Directive => Local Value => Master Value
zendmm_ext.mem_type => %s => %s
zendmm_ext.segment_size => 256K => 256K
zendmm_ext.compact_size => 2M => 2M
zendmm_ext.limit => -1 => -1
zendmm_ext.exact_fit => 0 => 0
zendmm_ext.cache_stat => 1 => 1
zendmm_ext.sites => 0 => 0
zendmm_ext.sites_depth => 1 => 1
zendmm_ext.engine => 0 => 0
zendmm_ext.engine_trace => no value => no value
bool(true)
array(10) {
  ["zendmm_ext.mem_type"]=>
  string(%d) "%s"
  ["zendmm_ext.segment_size"]=>
  string(4) "256K"
  ["zendmm_ext.compact_size"]=>
  string(2) "2M"
  ["zendmm_ext.limit"]=>
  string(2) "-1"
  ["zendmm_ext.exact_fit"]=>
  string(1) "0"
  ["zendmm_ext.cache_stat"]=>
  string(1) "1"
  ["zendmm_ext.sites"]=>
  string(1) "0"
  ["zendmm_ext.sites_depth"]=>
  string(1) "1"
  ["zendmm_ext.engine"]=>
  string(1) "0"
  ["zendmm_ext.engine_trace"]=>
  string(0) ""
}

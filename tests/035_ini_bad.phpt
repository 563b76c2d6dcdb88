--TEST--
Bad INI values at startup: a warning each, the built-in default is used, phpinfo shows the problem
--INI--
pcre.jit=0
zendmm_ext.mem_type=zip
zendmm_ext.segment_size=3000
zendmm_ext.compact_size=-1
zendmm_ext.limit=lots
--SKIPIF--
<?php
foreach (['ZEND_MM_MEM_TYPE', 'ZEND_MM_SEG_SIZE', 'ZEND_MM_COMPACT'] as $v) {
    if (getenv($v) !== false) die("skip $v is set");
}
?>
--FILE--
<?php
foreach (['mem_type', 'segment_size', 'compact_size', 'limit'] as $k) {
    echo "zendmm_ext.$k = ", ini_get("zendmm_ext.$k"), "\n";
}
$s = zendmm_stats(zendmm_heap());
echo "process: segment_size ", $s['segment_size'], ", compact_size ", $s['compact_size'], ", limit ", $s['limit'], "\n";
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
preg_match('/INI problems => (.*)/', $info, $m);
echo str_replace('; ', "\n", $m[1]), "\n";
?>
--EXPECTF--
%AWarning: PHP Startup: zendmm_ext: zendmm_ext.mem_type="zip" refused: not a storage scheme of this build (%s) in Unknown on line 0
%AWarning: PHP Startup: zendmm_ext: zendmm_ext.segment_size="3000" refused: must be a power of two in Unknown on line 0
%AWarning: PHP Startup: zendmm_ext: zendmm_ext.compact_size="-1" refused: must be 0 (never compact) or more in Unknown on line 0
%AWarning: PHP Startup: zendmm_ext: zendmm_ext.limit="lots" refused: not a number (digits with an optional k, m or g) in Unknown on line 0
zendmm_ext.mem_type = %s
zendmm_ext.segment_size = 256K
zendmm_ext.compact_size = 2M
zendmm_ext.limit = -1
process: segment_size 262144, compact_size 2097152, limit -1
zendmm_ext.mem_type="zip" refused: not a storage scheme of this build (%s)
zendmm_ext.segment_size="3000" refused: must be a power of two
zendmm_ext.compact_size="-1" refused: must be 0 (never compact) or more
zendmm_ext.limit="lots" refused: not a number (digits with an optional k, m or g)

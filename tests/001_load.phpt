--TEST--
zendmm_ext: the extension, its functions, classes and constant
--FILE--
<?php
var_dump(extension_loaded('zendmm_ext'));
var_dump(ZENDMM_EXT_VERSION === phpversion('zendmm_ext'));
$functions = get_extension_funcs('zendmm_ext');
sort($functions);
echo implode("\n", $functions), "\n";

foreach (['ZendMM\Heap', 'ZendMM\Exception', 'ZendMM\MemoryLimitException', 'ZendMM\OutOfMemoryException'] as $class) {
    $rc = new ReflectionClass($class);
    printf("%s final=%d parent=%s\n", $class, $rc->isFinal(), $rc->getParentClass() ? $rc->getParentClass()->getName() : '-');
}
var_dump(is_subclass_of('ZendMM\Exception', 'RuntimeException'));
var_dump(is_subclass_of('ZendMM\MemoryLimitException', 'RuntimeException'));
echo new ReflectionFunction('zendmm_read'), "\n";
?>
--EXPECTF--
bool(true)
bool(true)
zendmm_block_info
zendmm_breakdown
zendmm_buckets
zendmm_check_heap
zendmm_compact
zendmm_ecalloc
zendmm_efree
zendmm_emalloc
zendmm_erealloc
zendmm_estrdup
zendmm_estrndup
zendmm_flush_cache
zendmm_heap
zendmm_heap_create
zendmm_heap_map
zendmm_memory_peak_usage
zendmm_memory_reset_peak
zendmm_memory_usage
zendmm_pinning
zendmm_read
zendmm_safe_emalloc
zendmm_segments
zendmm_set_limit
zendmm_set_storage
zendmm_shutdown
zendmm_sites
zendmm_sites_dump
zendmm_stats
zendmm_storage_schemes
zendmm_trace_html
zendmm_trace_start
zendmm_trace_stop
zendmm_write
ZendMM\Heap final=1 parent=-
ZendMM\Exception final=0 parent=RuntimeException
ZendMM\MemoryLimitException final=0 parent=ZendMM\Exception
ZendMM\OutOfMemoryException final=0 parent=ZendMM\Exception
bool(true)
bool(true)
Function [ <internal:zendmm_ext> function zendmm_read ] {

  - Parameters [4] {
    Parameter #0 [ <required> ZendMM\Heap $heap ]
    Parameter #1 [ <required> int $ptr ]
    Parameter #2 [ <optional> ?int $length = null ]
    Parameter #3 [ <optional> int $offset = 0 ]
  }
  - Return [ string ]
}

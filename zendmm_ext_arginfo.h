/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: 65b199825053fc41e40368d316dd13b729e5955a */

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_zendmm_heap_create, 0, 0, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_zendmm_heap, 0, 0, ZendMM\\Heap, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_emalloc, 0, 2, IS_LONG, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO(0, size, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_ecalloc, 0, 3, IS_LONG, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO(0, nmemb, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, size, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_erealloc, 0, 3, IS_LONG, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO(0, ptr, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, size, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_efree, 0, 2, IS_VOID, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO(0, ptr, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_safe_emalloc, 0, 4, IS_LONG, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO(0, nmemb, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, size, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, offset, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_estrdup, 0, 2, IS_LONG, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO(0, s, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_estrndup, 0, 3, IS_LONG, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO(0, s, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, length, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_write, 0, 3, IS_VOID, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO(0, ptr, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, offset, IS_LONG, 0, "0")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_read, 0, 2, IS_STRING, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO(0, ptr, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, length, IS_LONG, 1, "null")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, offset, IS_LONG, 0, "0")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_block_info, 0, 2, IS_ARRAY, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO(0, ptr, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_stats, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_memory_usage, 0, 1, IS_LONG, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, real, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

#define arginfo_zendmm_memory_peak_usage arginfo_zendmm_memory_usage

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_memory_reset_peak, 0, 1, IS_VOID, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
ZEND_END_ARG_INFO()

#define arginfo_zendmm_buckets arginfo_zendmm_stats

#define arginfo_zendmm_segments arginfo_zendmm_stats

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_storage_schemes, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_set_storage, 0, 2, IS_STRING, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO(0, scheme, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_set_limit, 0, 2, IS_LONG, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO(0, limit, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define arginfo_zendmm_check_heap arginfo_zendmm_stats

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_compact, 0, 1, IS_LONG, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
ZEND_END_ARG_INFO()

#define arginfo_zendmm_flush_cache arginfo_zendmm_memory_reset_peak

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_shutdown, 0, 1, IS_VOID, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, full, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_trace_start, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, file, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_zendmm_trace_stop arginfo_zendmm_storage_schemes

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_heap_map, 0, 1, IS_STRING, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, format, IS_STRING, 0, "\"text\"")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, width, IS_LONG, 1, "null")
ZEND_END_ARG_INFO()

#define arginfo_zendmm_breakdown arginfo_zendmm_stats

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_trace_html, 0, 2, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, trace, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, out, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, alignment, IS_LONG, 0, "8")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_sites, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, limit, IS_LONG, 0, "50")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_pinning, 0, 1, IS_ARRAY, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, max_use, IS_DOUBLE, 0, "0.25")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_zendmm_sites_dump, 0, 3, IS_VOID, 0)
	ZEND_ARG_OBJ_INFO(0, heap, ZendMM\\Heap, 0)
	ZEND_ARG_TYPE_INFO(0, format, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, path, IS_STRING, 0)
ZEND_END_ARG_INFO()


ZEND_FUNCTION(zendmm_heap_create);
ZEND_FUNCTION(zendmm_heap);
ZEND_FUNCTION(zendmm_emalloc);
ZEND_FUNCTION(zendmm_ecalloc);
ZEND_FUNCTION(zendmm_erealloc);
ZEND_FUNCTION(zendmm_efree);
ZEND_FUNCTION(zendmm_safe_emalloc);
ZEND_FUNCTION(zendmm_estrdup);
ZEND_FUNCTION(zendmm_estrndup);
ZEND_FUNCTION(zendmm_write);
ZEND_FUNCTION(zendmm_read);
ZEND_FUNCTION(zendmm_block_info);
ZEND_FUNCTION(zendmm_stats);
ZEND_FUNCTION(zendmm_memory_usage);
ZEND_FUNCTION(zendmm_memory_peak_usage);
ZEND_FUNCTION(zendmm_memory_reset_peak);
ZEND_FUNCTION(zendmm_buckets);
ZEND_FUNCTION(zendmm_segments);
ZEND_FUNCTION(zendmm_storage_schemes);
ZEND_FUNCTION(zendmm_set_storage);
ZEND_FUNCTION(zendmm_set_limit);
ZEND_FUNCTION(zendmm_check_heap);
ZEND_FUNCTION(zendmm_compact);
ZEND_FUNCTION(zendmm_flush_cache);
ZEND_FUNCTION(zendmm_shutdown);
ZEND_FUNCTION(zendmm_trace_start);
ZEND_FUNCTION(zendmm_trace_stop);
ZEND_FUNCTION(zendmm_heap_map);
ZEND_FUNCTION(zendmm_breakdown);
ZEND_FUNCTION(zendmm_trace_html);
ZEND_FUNCTION(zendmm_sites);
ZEND_FUNCTION(zendmm_pinning);
ZEND_FUNCTION(zendmm_sites_dump);


static const zend_function_entry ext_functions[] = {
	ZEND_FE(zendmm_heap_create, arginfo_zendmm_heap_create)
	ZEND_FE(zendmm_heap, arginfo_zendmm_heap)
	ZEND_FE(zendmm_emalloc, arginfo_zendmm_emalloc)
	ZEND_FE(zendmm_ecalloc, arginfo_zendmm_ecalloc)
	ZEND_FE(zendmm_erealloc, arginfo_zendmm_erealloc)
	ZEND_FE(zendmm_efree, arginfo_zendmm_efree)
	ZEND_FE(zendmm_safe_emalloc, arginfo_zendmm_safe_emalloc)
	ZEND_FE(zendmm_estrdup, arginfo_zendmm_estrdup)
	ZEND_FE(zendmm_estrndup, arginfo_zendmm_estrndup)
	ZEND_FE(zendmm_write, arginfo_zendmm_write)
	ZEND_FE(zendmm_read, arginfo_zendmm_read)
	ZEND_FE(zendmm_block_info, arginfo_zendmm_block_info)
	ZEND_FE(zendmm_stats, arginfo_zendmm_stats)
	ZEND_FE(zendmm_memory_usage, arginfo_zendmm_memory_usage)
	ZEND_FE(zendmm_memory_peak_usage, arginfo_zendmm_memory_peak_usage)
	ZEND_FE(zendmm_memory_reset_peak, arginfo_zendmm_memory_reset_peak)
	ZEND_FE(zendmm_buckets, arginfo_zendmm_buckets)
	ZEND_FE(zendmm_segments, arginfo_zendmm_segments)
	ZEND_FE(zendmm_storage_schemes, arginfo_zendmm_storage_schemes)
	ZEND_FE(zendmm_set_storage, arginfo_zendmm_set_storage)
	ZEND_FE(zendmm_set_limit, arginfo_zendmm_set_limit)
	ZEND_FE(zendmm_check_heap, arginfo_zendmm_check_heap)
	ZEND_FE(zendmm_compact, arginfo_zendmm_compact)
	ZEND_FE(zendmm_flush_cache, arginfo_zendmm_flush_cache)
	ZEND_FE(zendmm_shutdown, arginfo_zendmm_shutdown)
	ZEND_FE(zendmm_trace_start, arginfo_zendmm_trace_start)
	ZEND_FE(zendmm_trace_stop, arginfo_zendmm_trace_stop)
	ZEND_FE(zendmm_heap_map, arginfo_zendmm_heap_map)
	ZEND_FE(zendmm_breakdown, arginfo_zendmm_breakdown)
	ZEND_FE(zendmm_trace_html, arginfo_zendmm_trace_html)
	ZEND_FE(zendmm_sites, arginfo_zendmm_sites)
	ZEND_FE(zendmm_pinning, arginfo_zendmm_pinning)
	ZEND_FE(zendmm_sites_dump, arginfo_zendmm_sites_dump)
	ZEND_FE_END
};


static const zend_function_entry class_ZendMM_Heap_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_ZendMM_Exception_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_ZendMM_MemoryLimitException_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_ZendMM_OutOfMemoryException_methods[] = {
	ZEND_FE_END
};

static void register_zendmm_ext_symbols(int module_number)
{
	REGISTER_STRING_CONSTANT("ZENDMM_EXT_VERSION", PHP_ZENDMM_EXT_VERSION, CONST_PERSISTENT);
}

static zend_class_entry *register_class_ZendMM_Heap(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "ZendMM", "Heap", class_ZendMM_Heap_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}

static zend_class_entry *register_class_ZendMM_Exception(zend_class_entry *class_entry_RuntimeException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "ZendMM", "Exception", class_ZendMM_Exception_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);

	return class_entry;
}

static zend_class_entry *register_class_ZendMM_MemoryLimitException(zend_class_entry *class_entry_ZendMM_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "ZendMM", "MemoryLimitException", class_ZendMM_MemoryLimitException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_ZendMM_Exception);

	return class_entry;
}

static zend_class_entry *register_class_ZendMM_OutOfMemoryException(zend_class_entry *class_entry_ZendMM_Exception)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "ZendMM", "OutOfMemoryException", class_ZendMM_OutOfMemoryException_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_ZendMM_Exception);

	return class_entry;
}

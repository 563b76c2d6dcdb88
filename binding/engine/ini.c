/*
 * binding/engine/ini.c - the mode's INI entries (zendmm_ext.engine,
 * zendmm_ext.engine_trace, both read at startup only), and memory_limit as
 * the engine heap's limit: the on_modify of PHP's memory_limit entry is
 * wrapped while the mode is on, so php.ini, -d, ini_set() and the restore
 * at the end of a request all reach the engine heap: the calling thread's
 * (each thread has its copy of the INI entries, with the wrapped handler).
 */
#include "engine.h"

static ZEND_INI_MH(engine_on_memory_limit)
{
	size_t value, usage;
	zendmm_engine_state *e;

#ifdef ZTS
	/* a thread whose module globals constructor has not run has no state
	 * (not expected: TSRM copies a new thread's INI entries and runs their
	 * handlers after every globals constructor) */
	if (!TSRMLS_CACHE) {
		return engine_process.orig_memory_limit(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage);
	}
#endif
	e = ENGINE_SELF();
	if (!e->on) {
		return engine_process.orig_memory_limit(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage);
	}
	value = new_value ? (size_t)zend_ini_parse_uquantity_warn(new_value, entry->name) : (size_t)1 << 30;
	/* Between two requests (a SAPI's per-request settings before RINIT: php-fpm's
	 * PHP_VALUE, .user.ini) the heap still holds the last request's blocks until
	 * the reset at RINIT: the new request starts from that reset, so nothing is in
	 * use for it yet. */
	usage = e->reset_due ? 0 : zmm_memory_usage(e->heap, true);
	/* DEPARTURE: PHP 8 refuses a runtime limit below what is in use (5.3 did not); at
	 * the end of a request the restore always succeeds, as in PHP 8. */
	if (value < usage && stage != ZEND_INI_STAGE_DEACTIVATE && stage != ZEND_INI_STAGE_STARTUP) {
		zend_error(E_WARNING, "Failed to set memory limit to %zd bytes (Current memory usage is %zd bytes)",
			value, usage);
		return FAILURE;
	}
	zmm_heap_set_limit(e->heap, value == (size_t)-1 ? ZMM_NO_LIMIT : value);
	PG(memory_limit) = (zend_long)value;
	return SUCCESS;
}

static zend_ini_entry *engine_memory_limit_entry(void)
{
	return zend_hash_str_find_ptr(EG(ini_directives), "memory_limit", sizeof("memory_limit") - 1);
}

/* PHP has a memory_limit entry with a handler to wrap. */
bool engine_limit_hook_possible(void)
{
	zend_ini_entry *limit_entry = engine_memory_limit_entry();
	return limit_entry && limit_entry->on_modify;
}

/* memory_limit's handler becomes ours (engine_limit_hook_possible() first). */
void engine_limit_hook_install(void)
{
	zend_ini_entry *limit_entry = engine_memory_limit_entry();
	engine_process.orig_memory_limit = limit_entry->on_modify;
	limit_entry->on_modify = engine_on_memory_limit;
}

void engine_limit_hook_remove(void)
{
	zend_ini_entry *limit_entry = engine_memory_limit_entry();
	if (limit_entry && limit_entry->on_modify == engine_on_memory_limit) {
		limit_entry->on_modify = engine_process.orig_memory_limit;
	}
}

static ZEND_INI_MH(engine_on_switch)
{
	(void)entry; (void)mh_arg1; (void)mh_arg2; (void)mh_arg3;
	/* ZTS reruns the STARTUP handlers in every new thread: MINIT's run sets it */
	if (stage == ZEND_INI_STAGE_STARTUP && !zendmm_startup_done()) {
		engine_process.requested = new_value && zend_ini_parse_bool(new_value);
	}
	return SUCCESS;
}

static ZEND_INI_MH(engine_on_trace_path)
{
	(void)entry; (void)mh_arg1; (void)mh_arg2; (void)mh_arg3;
	if (stage == ZEND_INI_STAGE_STARTUP && !zendmm_startup_done()) {
		snprintf(engine_process.trace_path, sizeof(engine_process.trace_path), "%s", new_value ? ZSTR_VAL(new_value) : "");
	}
	return SUCCESS;
}

static const zend_ini_entry_def engine_ini[] = {
	ZEND_INI_ENTRY("zendmm_ext.engine", "0", ZEND_INI_SYSTEM, engine_on_switch)
	ZEND_INI_ENTRY("zendmm_ext.engine_trace", "", ZEND_INI_SYSTEM, engine_on_trace_path)
ZEND_INI_END()

void engine_ini_register(int type, int module_number)
{
	zend_register_ini_entries_ex(engine_ini, module_number, type);
}

/*
 * binding/engine/functions.c - PHP functions that read or act on the engine
 * heap instead of PHP's own (idle) one, and the zendmm_* functions that must
 * not touch PHP's own blocks.
 *
 * Their handlers are swapped in the function table at installation and put
 * back at MSHUTDOWN.
 */
#include "engine.h"
#include "engine_valgrind.h"

/* PHP's own function, for a thread that runs on PHP's heap (ZTS: its engine
 * heap could not be made) */
static void engine_call_orig(INTERNAL_FUNCTION_PARAMETERS);
#define ENGINE_OR_ORIG(e) do { \
		if (UNEXPECTED(!(e)->on)) { \
			engine_call_orig(INTERNAL_FUNCTION_PARAM_PASSTHRU); \
			return; \
		} \
	} while (0)

/* memory_get_usage() and memory_get_peak_usage(): bool $real_usage = false */
static void engine_usage(INTERNAL_FUNCTION_PARAMETERS, size_t (*figure)(const zmm_heap *, bool))
{
	bool real = false;
	zendmm_engine_state *e = ENGINE_SELF();
	ENGINE_OR_ORIG(e);
	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(real)
	ZEND_PARSE_PARAMETERS_END();
	engine_trace_flush(e);
	RETURN_LONG((zend_long)figure(e->heap, real));
}

static ZEND_NAMED_FUNCTION(engine_memory_get_usage)
{
	engine_usage(INTERNAL_FUNCTION_PARAM_PASSTHRU, zmm_memory_usage);
}

static ZEND_NAMED_FUNCTION(engine_memory_get_peak_usage)
{
	engine_usage(INTERNAL_FUNCTION_PARAM_PASSTHRU, zmm_memory_peak_usage);
}

static ZEND_NAMED_FUNCTION(engine_memory_reset_peak_usage)
{
	zendmm_engine_state *e = ENGINE_SELF();
	ENGINE_OR_ORIG(e);
	ZEND_PARSE_PARAMETERS_NONE();
	zmm_heap_reset_peak(e->heap);
}

#if !ZENDMM_MM_HOOKS_EX
/* DEPARTURE: gc_mem_caches(): 5.3 had no such function; the nearest is flushing the
 * small-block cache and compacting the storage. Returns the bytes handed back.
 * PHP >= 8.4 asks the heap's _gc handler itself (mm_hooks.c). */
static ZEND_NAMED_FUNCTION(engine_gc_mem_caches)
{
	zendmm_engine_state *e = ENGINE_SELF();
	ENGINE_OR_ORIG(e);
	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_LONG((zend_long)zmm_heap_compact(e->heap));
}
#endif

/* The zendmm_* functions that take a block address or remake the heap would
 * let a script free, resize or overwrite PHP's own blocks: refused on the
 * engine heap. The walks that build arrays while they read the heap run with
 * new allocations sent to PHP's heap, so the heap does not change under them
 * (the map too: its own buffers come from malloc, its result from PHP). */
typedef enum engine_wrap_kind {
	ENGINE_WRAP_REPLACE,   /* the handler is the whole function */
	ENGINE_WRAP_REFUSE,    /* refused when the first argument is the engine heap */
	ENGINE_WRAP_PAUSE      /* run with the engine heap not serving */
} engine_wrap_kind;

typedef struct engine_wrap {
	const char      *name;
	engine_wrap_kind kind;
	zif_handler      replacement;  /* ENGINE_WRAP_REPLACE */
	zend_function   *fn;
	zif_handler      orig;
} engine_wrap;

static ZEND_NAMED_FUNCTION(engine_wrapped);

static engine_wrap engine_wraps[] = {
	{"memory_get_usage",        ENGINE_WRAP_REPLACE, engine_memory_get_usage, NULL, NULL},
	{"memory_get_peak_usage",   ENGINE_WRAP_REPLACE, engine_memory_get_peak_usage, NULL, NULL},
	{"memory_reset_peak_usage", ENGINE_WRAP_REPLACE, engine_memory_reset_peak_usage, NULL, NULL},
#if !ZENDMM_MM_HOOKS_EX
	{"gc_mem_caches",           ENGINE_WRAP_REPLACE, engine_gc_mem_caches, NULL, NULL},
#endif
	{"zendmm_emalloc",          ENGINE_WRAP_REFUSE, NULL, NULL, NULL},
	{"zendmm_ecalloc",          ENGINE_WRAP_REFUSE, NULL, NULL, NULL},
	{"zendmm_erealloc",         ENGINE_WRAP_REFUSE, NULL, NULL, NULL},
	{"zendmm_efree",            ENGINE_WRAP_REFUSE, NULL, NULL, NULL},
	{"zendmm_safe_emalloc",     ENGINE_WRAP_REFUSE, NULL, NULL, NULL},
	{"zendmm_estrdup",          ENGINE_WRAP_REFUSE, NULL, NULL, NULL},
	{"zendmm_estrndup",         ENGINE_WRAP_REFUSE, NULL, NULL, NULL},
	{"zendmm_write",            ENGINE_WRAP_REFUSE, NULL, NULL, NULL},
	{"zendmm_read",             ENGINE_WRAP_REFUSE, NULL, NULL, NULL},
	{"zendmm_block_info",       ENGINE_WRAP_REFUSE, NULL, NULL, NULL},
	{"zendmm_set_limit",        ENGINE_WRAP_REFUSE, NULL, NULL, NULL},
	{"zendmm_shutdown",         ENGINE_WRAP_REFUSE, NULL, NULL, NULL},
	{"zendmm_buckets",          ENGINE_WRAP_PAUSE, NULL, NULL, NULL},
	{"zendmm_segments",         ENGINE_WRAP_PAUSE, NULL, NULL, NULL},
	{"zendmm_check_heap",       ENGINE_WRAP_PAUSE, NULL, NULL, NULL},
	{"zendmm_heap_map",         ENGINE_WRAP_PAUSE, NULL, NULL, NULL},
	{"zendmm_breakdown",        ENGINE_WRAP_PAUSE, NULL, NULL, NULL},
};
#define ENGINE_WRAP_COUNT (sizeof(engine_wraps) / sizeof(engine_wraps[0]))

/* By name: on ZTS each thread has its own copy of the function table (made
 * from the startup thread's after MINIT, so with the handlers swapped). */
static const engine_wrap *engine_wrap_of(const zend_function *fn)
{
	const zend_string *name = fn->common.function_name;
	for (size_t i = 0; i < ENGINE_WRAP_COUNT; i++) {
		if (engine_wraps[i].fn && zend_string_equals_cstr(name, engine_wraps[i].name, strlen(engine_wraps[i].name))) {
			return &engine_wraps[i];
		}
	}
	return NULL;
}

/* Is the first argument the zendmm_heap() object (the engine heap)? */
static bool engine_first_arg_is_engine(zend_execute_data *execute_data)
{
	zval *arg;
	if (ZEND_CALL_NUM_ARGS(execute_data) < 1 || !ZENDMM_G(process_object)) {
		return false;
	}
	arg = ZEND_CALL_ARG(execute_data, 1);
	ZVAL_DEREF(arg);
	return Z_TYPE_P(arg) == IS_OBJECT && Z_OBJ_P(arg) == ZENDMM_G(process_object);
}

static void engine_call_orig(INTERNAL_FUNCTION_PARAMETERS)
{
	const engine_wrap *w = engine_wrap_of(execute_data->func);
	if (!w || !w->orig) {
		zend_throw_error(NULL, "zendmm_ext: lost the handler of this function");
		RETURN_THROWS();
	}
	w->orig(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

static ZEND_NAMED_FUNCTION(engine_wrapped)
{
	const engine_wrap *w = engine_wrap_of(execute_data->func);
	zendmm_engine_state *e = ENGINE_SELF();
	bool was_serving;

	if (!w || !w->orig) {
		zend_throw_error(NULL, "zendmm_ext: lost the handler of this function");
		RETURN_THROWS();
	}
	if (!e->on || !engine_first_arg_is_engine(execute_data)) {
		w->orig(INTERNAL_FUNCTION_PARAM_PASSTHRU);
		return;
	}
	if (w->kind == ENGINE_WRAP_REFUSE) {
		zend_throw_exception_ex(zendmm_exception_ce, 0,
			"%s() cannot be used on the engine heap: it holds PHP's own blocks (zendmm_ext.engine=1)",
			w->name);
		RETURN_THROWS();
	}
	/* Under memcheck the walk reads the heap's bookkeeping in free memory,
	 * which memcheck knows as freed: not the script's doing, not reported. */
	was_serving = e->serving;
	engine_set_serving(e, false);
	if (engine_process.valgrind) {
		ZENDMM_VG_CORE_ENTER();
	}
	zend_try {
		w->orig(INTERNAL_FUNCTION_PARAM_PASSTHRU);
	} zend_catch {
		if (engine_process.valgrind) {
			ZENDMM_VG_CORE_LEAVE();
		}
		engine_set_serving(e, was_serving);
		zend_bailout();
	} zend_end_try();
	if (engine_process.valgrind) {
		ZENDMM_VG_CORE_LEAVE();
	}
	engine_set_serving(e, was_serving);
}

void engine_wrap_functions(void)
{
	for (size_t i = 0; i < ENGINE_WRAP_COUNT; i++) {
		engine_wrap *w = &engine_wraps[i];
		zend_function *fn = zend_hash_str_find_ptr(CG(function_table), w->name, strlen(w->name));
		if (!fn || fn->type != ZEND_INTERNAL_FUNCTION) {
			continue; /* memory_reset_peak_usage() is 8.2+ */
		}
		w->fn = fn;
		w->orig = fn->internal_function.handler;
		fn->internal_function.handler = w->kind == ENGINE_WRAP_REPLACE ? w->replacement : engine_wrapped;
	}
}

void engine_unwrap_functions(void)
{
	for (size_t i = 0; i < ENGINE_WRAP_COUNT; i++) {
		engine_wrap *w = &engine_wraps[i];
		if (w->fn && w->orig) {
			w->fn->internal_function.handler = w->orig;
		}
		w->fn = NULL;
		w->orig = NULL;
	}
}

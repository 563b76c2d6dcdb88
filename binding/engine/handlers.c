/*
 * binding/engine.c - PHP itself on the 5.3 heap (zendmm_ext.engine=1).
 *
 * With the INI switch on, MINIT makes one core heap (the engine heap) from
 * 5.3's defaults, the zendmm_ext INI settings and the 5.3 environment, and
 * installs custom handlers on PHP's heap, so every emalloc, efree and
 * erealloc of PHP is served by the core. What else it takes:
 *
 * Routing. New blocks come from the engine heap while it serves a request;
 * a block it did not make (allocated before installation, or between two
 * requests) is freed and resized by PHP's own allocator, with the handlers
 * off for that one call. zmm_heap_owns() tells the two apart without reading
 * the block.
 *
 * Lifecycle. No module hook runs after PHP's last efree of a request, so
 * 5.3's partial shutdown at the end of a request cannot happen there: at
 * post_deactivate new allocations go back to PHP's own heap (frees keep
 * routing by address), and the engine heap's partial shutdown runs at the
 * next RINIT. Memory of a request that died of a fatal error is reclaimed by
 * the same reset. The full shutdown comes after PHP has unloaded the modules:
 * PHP calls the custom free on its heap pointer itself. So the .so keeps
 * itself mapped (RTLD_NODELETE), and that call destroys the engine heap,
 * takes the handlers off and lets PHP shut its own heap down.
 *
 * What scripts see. memory_get_usage(), memory_get_peak_usage(),
 * memory_reset_peak_usage() and gc_mem_caches() read and act on the engine
 * heap (PHP's own heap sits idle), and memory_limit is the engine heap's
 * limit. Hitting it is PHP's fatal error with 5.3's figures, raised as PHP
 * raises it: output buffers discarded, shutdown functions run.
 *
 * Trace. zendmm_ext.engine_trace=FILE records every call the engine heap
 * serves, from its creation to the end of the first request, with the
 * trace writer of src/trace/: a replay on a fresh heap of the same
 * configuration reproduces its figures exactly (tests/engine_013).
 *
 * Refusals. Another custom allocator already installed (USE_ZEND_ALLOC=0,
 * PHP's tracked allocator, a debugger or profiler) or a thread-safe build:
 * the mode stays off with a startup warning; phpinfo says why.
 */
#include "binding.h"

#ifdef _WIN32
# include <windows.h>
#else
# include <dlfcn.h>
#endif

#include "php_ini.h"
#include "php_globals.h"
#include "main/php_output.h"
#include "ext/standard/info.h"

#include "engine_valgrind.h"
#include "trace.h"

/* DEPARTURE: 5.3 aligned blocks to 8 bytes on x86-64; PHP 8's code relies on
 * 16 (ext/hash's XXH3 state is touched with aligned SSE moves), so the heap
 * that serves PHP 8 uses the core's 16-byte alignment. */
#define ZENDMM_ENGINE_ALIGNMENT 16

static struct {
	bool          requested;   /* zendmm_ext.engine=1 */
	bool          on;          /* our handlers are installed */
	bool          serving;     /* new allocations come from the engine heap */
	bool          reset_due;   /* a request ended: reset at the next RINIT */
	bool          reporting;   /* a limit or out-of-memory error is being raised */
	bool          valgrind;    /* running under valgrind: describe blocks to memcheck */
	bool          plain;       /* neither valgrind nor the engine trace: the handlers' fast path */
	bool          fast_alloc;  /* serving && plain, one test on every emalloc */
	size_t        vg_header;   /* the engine heap's block header size, for memcheck */
	zmm_heap     *heap;
	const zmm_owns_memo *owns_memo; /* the heap's, for efree's inline test */
	zend_mm_heap *php_heap;
	char          refused[256];/* why the mode is off although it was asked for */
	zmm_trace_writer *trace;   /* zendmm_ext.engine_trace: every engine-heap call */
	char          trace_path[MAXPATHLEN];
	char          trace_state[MAXPATHLEN + 128]; /* for phpinfo */
	ZEND_INI_MH((*orig_memory_limit));
} engine;

zmm_heap *zendmm_engine_heap(void)
{
	return engine.on ? engine.heap : NULL;
}

/* ------------------------------------------------------------------------ */
/* PHP's own allocator, for the blocks the engine heap does not hold         */

/* The handlers installed now are put back after the call (they are the
 * recorder's when it chains to ours). zend_try: a bailout inside PHP's
 * allocator must not leave the handlers off. */
#define ZENDMM_ENGINE_FORWARD(call) do { \
		void *(*m_)(size_t); void (*f_)(void *); void *(*r_)(void *, size_t); \
		zend_mm_get_custom_handlers(engine.php_heap, &m_, &f_, &r_); \
		zend_mm_set_custom_handlers(engine.php_heap, NULL, NULL, NULL); \
		zend_try { \
			call; \
		} zend_catch { \
			zend_mm_set_custom_handlers(engine.php_heap, m_, f_, r_); \
			zend_bailout(); \
		} zend_end_try(); \
		zend_mm_set_custom_handlers(engine.php_heap, m_, f_, r_); \
	} while (0)

static void *engine_php_alloc(size_t size)
{
	void *p = NULL;
	ZENDMM_ENGINE_FORWARD(p = zend_mm_alloc(engine.php_heap, size));
	return p;
}

static void engine_php_free(void *ptr)
{
	ZENDMM_ENGINE_FORWARD(zend_mm_free(engine.php_heap, ptr));
}

static void *engine_php_realloc(void *ptr, size_t size)
{
	void *p = NULL;
	ZENDMM_ENGINE_FORWARD(p = zend_mm_realloc(engine.php_heap, ptr, size));
	return p;
}

/* ------------------------------------------------------------------------ */
/* failures: PHP's fatal error with the core's (5.3's) message               */

static ZEND_COLD ZEND_NORETURN void engine_fail(void)
{
	char message[256];
	size_t limit;
	const zendmm_error_state *st = &ZENDMM_G(process_error);

	snprintf(message, sizeof(message), "%s",
		st->kind != ZMM_OK && st->message[0] ? st->message : "Out of memory");
	if (engine.reporting) {
		/* failing again while the first failure is reported: 5.3 gave up here too */
		fprintf(stderr, "Fatal error: %s\n", message);
		fflush(stderr);
		exit(1);
	}
	/* As PHP 8 reports its own limit error: the limit is lifted while the
	 * error is raised, and output buffers are discarded (PHP's error handler
	 * does that only for its own heap's errors, so it is done here). */
	engine.reporting = true;
	limit = zmm_heap_set_limit(engine.heap, ZMM_NO_LIMIT);
	php_output_discard_all();
	zend_try {
		zend_error_noreturn(E_ERROR, "%s", message);
	} zend_catch {
	} zend_end_try();
	zmm_heap_set_limit(engine.heap, limit);
	engine.reporting = false;
	zend_bailout();
	exit(1); /* not reached: zend_bailout() does not return */
}

/* ------------------------------------------------------------------------ */
/* the handlers                                                              */

/* Under valgrind: the same calls, described to memcheck (engine_valgrind.h).
 * The heap keeps its own links in free memory: the first words of a free
 * block (at most ZENDMM_VG_LINK_BYTES: prev, next, and the trie's parent and
 * children) and the header of a block split off a free one. What memcheck
 * marks inaccessible loses the values written there, and the heap would then
 * read its links back as undefined; so those bytes stay accessible. A script
 * reading a freed block past them is reported. */
#define ZENDMM_VG_LINK_BYTES (5 * sizeof(void *))

/* After an allocation or a resize: the header and links of the block right
 * after p (a remainder split off, if any), clamped to p's segment. */
static ZEND_COLD void engine_vg_keep_next_links(void *p)
{
	zmm_block_view b;
	zmm_segment_view seg;
	uintptr_t next, end;

	if (!zmm_block_info(engine.heap, p, &b, &seg)) {
		return;
	}
	next = b.address + b.size;
	end = next + engine.vg_header + ZENDMM_VG_LINK_BYTES;
	if (end > seg.address + seg.size) {
		end = seg.address + seg.size;
	}
	if (end > next) {
		ZENDMM_VG_DEFINED((void *)next, end - next);
	}
}

static ZEND_COLD void *engine_malloc_vg(size_t size)
{
	void *p;
	ZENDMM_VG_CORE_ENTER();
	p = zmm_malloc(engine.heap, size);
	if (p) {
		engine_vg_keep_next_links(p);
	}
	ZENDMM_VG_CORE_LEAVE();
	if (p) {
		ZENDMM_VG_ALLOC(engine.heap, p, size);
	}
	return p;
}

static ZEND_COLD void engine_free_vg(void *ptr)
{
	size_t cap;
	ZENDMM_VG_CORE_ENTER();
	cap = zmm_usable_size(engine.heap, ptr);
	ZENDMM_VG_CORE_LEAVE();
	ZENDMM_VG_FREE(engine.heap, ptr);
	ZENDMM_VG_DEFINED(ptr, cap < ZENDMM_VG_LINK_BYTES ? cap : ZENDMM_VG_LINK_BYTES);
	ZENDMM_VG_CORE_ENTER();
	zmm_free(engine.heap, ptr);
	ZENDMM_VG_CORE_LEAVE();
}

static ZEND_COLD void *engine_realloc_vg(void *ptr, size_t size)
{
	void *p;
	size_t old;
	ZENDMM_VG_CORE_ENTER();
	old = zmm_usable_size(engine.heap, ptr);
	p = zmm_realloc(engine.heap, ptr, size);
	ZENDMM_VG_CORE_LEAVE();
	if (p) {
		/* the old block's bytes become inaccessible: a shrunk block's
		 * remainder lies in them, so its links are made readable after */
		ZENDMM_VG_FREE(engine.heap, ptr);
		if (p != ptr) {   /* the old block is free now: its links stay readable */
			ZENDMM_VG_DEFINED(ptr, old < ZENDMM_VG_LINK_BYTES ? old : ZENDMM_VG_LINK_BYTES);
		}
		ZENDMM_VG_ALLOC(engine.heap, p, size);
		ZENDMM_VG_DEFINED(p, old < size ? old : size); /* the contents moved with it */
		ZENDMM_VG_CORE_ENTER();
		engine_vg_keep_next_links(p);
		ZENDMM_VG_CORE_LEAVE();
	}
	return p;
}

/* The flags the handlers test, from the state they summarise. */
static void engine_update_flags(void)
{
	engine.plain = !engine.valgrind && !engine.trace;
	engine.fast_alloc = engine.serving && engine.plain;
}

static void engine_set_serving(bool serving)
{
	engine.serving = serving;
	engine_update_flags();
}

/* The engine trace ends: END written, file closed. */
static void engine_trace_close(void)
{
	char err[256] = "";
	zmm_trace_counts counts;
	if (!engine.trace) {
		return;
	}
	if (zmm_trace_writer_close(engine.trace, &counts, err, sizeof(err))) {
		snprintf(engine.trace_state, sizeof(engine.trace_state), "%s: %llu calls, complete",
			engine.trace_path, (unsigned long long)counts.records);
	} else {
		snprintf(engine.trace_state, sizeof(engine.trace_state), "%s: failed (%s)", engine.trace_path, err);
	}
	engine.trace = NULL;
	engine_update_flags();
}

/* emalloc with valgrind or the engine trace on (engine.plain false) */
static ZEND_COLD void *engine_malloc_slow(size_t size)
{
	void *p = engine.valgrind ? engine_malloc_vg(size) : zmm_malloc(engine.heap, size);
	if (!p) {
		engine_fail();
	}
	if (engine.trace) {
		zmm_trace_alloc(engine.trace, (uintptr_t)p, size);
	}
	return p;
}

/* emalloc off its fast path: not serving, or valgrind or the trace on */
static zend_never_inline void *engine_malloc_routed(size_t size)
{
	if (UNEXPECTED(!engine.serving)) {
		return engine_php_alloc(size);
	}
	return engine_malloc_slow(size);
}

/* Not declared noreturn, though it does not return: the handlers jump to it
 * (a tail call), which keeps their fast path free of a stack frame. */
static zend_never_inline ZEND_COLD void *engine_failed(void)
{
	engine_fail();
	return NULL;
}

static void *engine_malloc(size_t size)
{
	if (EXPECTED(engine.fast_alloc)) {
		void *p = zmm_malloc(engine.heap, size);
		if (EXPECTED(p != NULL)) {
			return p;
		}
		return engine_failed();
	}
	return engine_malloc_routed(size);
}

/* The full shutdown: PHP frees its heap pointer through us after the
 * modules are gone (see the top of this file). */
static ZEND_COLD void engine_full_shutdown(void)
{
	zend_mm_heap *php_heap = engine.php_heap;
	zend_mm_set_custom_handlers(php_heap, NULL, NULL, NULL);
	engine.on = false;
	engine_trace_close();   /* no request ran: the trace still ends cleanly */
	engine_set_serving(false);
	if (engine.valgrind) {
		ZENDMM_VG_POOL_DESTROY(engine.heap);
	}
	zmm_heap_destroy(engine.heap);
	engine.heap = NULL;
	engine.owns_memo = NULL;
	zend_mm_shutdown(php_heap, 1, 1);
}

static ZEND_COLD void engine_free_slow(void *ptr)
{
	if (engine.valgrind) {
		engine_free_vg(ptr);
	} else {
		zmm_free(engine.heap, ptr);
	}
	if (engine.trace) {
		zmm_trace_free(engine.trace, (uintptr_t)ptr);
	}
}

/* efree off its fast path: the memo missed, or valgrind or the trace is on */
static zend_never_inline void engine_free_routed(void *ptr)
{
	if (EXPECTED(zmm_heap_owns(engine.heap, ptr))) {
		if (EXPECTED(engine.plain)) {
			zmm_free(engine.heap, ptr);
		} else {
			engine_free_slow(ptr);
		}
	} else if (UNEXPECTED(ptr == (void *)engine.php_heap)) {
		engine_full_shutdown();
	} else if (ptr) {
		engine_php_free(ptr);
	}
}

static void engine_free(void *ptr)
{
	if (EXPECTED(engine.plain && zmm_owns_memo_hit(engine.owns_memo, ptr))) {
		zmm_free(engine.heap, ptr);
		return;
	}
	engine_free_routed(ptr);
}

static void *engine_realloc(void *ptr, size_t size)
{
	void *p;
	if (UNEXPECTED(!zmm_owns_memo_hit(engine.owns_memo, ptr) && !zmm_heap_owns(engine.heap, ptr))) {
		return ptr ? engine_php_realloc(ptr, size) : engine_malloc(size);
	}
	p = EXPECTED(!engine.valgrind) ? zmm_realloc(engine.heap, ptr, size) : engine_realloc_vg(ptr, size);
	if (UNEXPECTED(!p)) {
		engine_fail();
	}
	if (UNEXPECTED(engine.trace != NULL)) {
		zmm_trace_realloc(engine.trace, (uintptr_t)ptr, (uintptr_t)p, size);
	}
	return p;
}

/* ------------------------------------------------------------------------ */
/* PHP functions that read or act on the engine heap instead of PHP's        */

/* memory_get_usage() and memory_get_peak_usage(): bool $real_usage = false */
static void engine_usage(INTERNAL_FUNCTION_PARAMETERS, size_t (*figure)(const zmm_heap *, bool))
{
	bool real = false;
	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(real)
	ZEND_PARSE_PARAMETERS_END();
	/* the file's length right after this call marks the point of the figure */
	if (engine.trace) {
		zmm_trace_flush(engine.trace);
	}
	RETURN_LONG((zend_long)figure(engine.heap, real));
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
	(void)return_value;
	ZEND_PARSE_PARAMETERS_NONE();
	zmm_heap_reset_peak(engine.heap);
}

/* DEPARTURE: gc_mem_caches(): 5.3 had no such function; the nearest is flushing the
 * small-block cache and compacting the storage. Returns the bytes handed back. */
static ZEND_NAMED_FUNCTION(engine_gc_mem_caches)
{
	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_LONG((zend_long)zmm_heap_compact(engine.heap));
}

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
	{"gc_mem_caches",           ENGINE_WRAP_REPLACE, engine_gc_mem_caches, NULL, NULL},
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
};
#define ENGINE_WRAP_COUNT (sizeof(engine_wraps) / sizeof(engine_wraps[0]))

static const engine_wrap *engine_wrap_of(const zend_function *fn)
{
	for (size_t i = 0; i < ENGINE_WRAP_COUNT; i++) {
		if (engine_wraps[i].fn == fn) {
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

static ZEND_NAMED_FUNCTION(engine_wrapped)
{
	const engine_wrap *w = engine_wrap_of(execute_data->func);
	bool was_serving;

	if (!w || !w->orig) {
		zend_throw_error(NULL, "zendmm_ext: lost the handler of this function");
		RETURN_THROWS();
	}
	if (!engine.on || !engine_first_arg_is_engine(execute_data)) {
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
	was_serving = engine.serving;
	engine_set_serving(false);
	if (engine.valgrind) {
		ZENDMM_VG_CORE_ENTER();
	}
	zend_try {
		w->orig(INTERNAL_FUNCTION_PARAM_PASSTHRU);
	} zend_catch {
		if (engine.valgrind) {
			ZENDMM_VG_CORE_LEAVE();
		}
		engine_set_serving(was_serving);
		zend_bailout();
	} zend_end_try();
	if (engine.valgrind) {
		ZENDMM_VG_CORE_LEAVE();
	}
	engine_set_serving(was_serving);
}

static void engine_wrap_functions(void)
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

static void engine_unwrap_functions(void)
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

/* ------------------------------------------------------------------------ */
/* memory_limit is the engine heap's limit                                   */

static ZEND_INI_MH(engine_on_memory_limit)
{
	size_t value, usage;

	if (!engine.on) {
		return engine.orig_memory_limit(entry, new_value, mh_arg1, mh_arg2, mh_arg3, stage);
	}
	value = new_value ? (size_t)zend_ini_parse_uquantity_warn(new_value, entry->name) : (size_t)1 << 30;
	usage = zmm_memory_usage(engine.heap, true);
	/* DEPARTURE: PHP 8 refuses a runtime limit below what is in use (5.3 did not); at
	 * the end of a request the restore always succeeds, as in PHP 8. */
	if (value < usage && stage != ZEND_INI_STAGE_DEACTIVATE && stage != ZEND_INI_STAGE_STARTUP) {
		zend_error(E_WARNING, "Failed to set memory limit to %zd bytes (Current memory usage is %zd bytes)",
			value, usage);
		return FAILURE;
	}
	zmm_heap_set_limit(engine.heap, value == (size_t)-1 ? ZMM_NO_LIMIT : value);
	PG(memory_limit) = (zend_long)value;
	return SUCCESS;
}

static zend_ini_entry *engine_memory_limit_entry(void)
{
	return zend_hash_str_find_ptr(EG(ini_directives), "memory_limit", sizeof("memory_limit") - 1);
}

/* ------------------------------------------------------------------------ */
/* INI switch                                                                */

static ZEND_INI_MH(engine_on_switch)
{
	(void)entry; (void)mh_arg1; (void)mh_arg2; (void)mh_arg3;
	if (stage == ZEND_INI_STAGE_STARTUP) {
		engine.requested = new_value && zend_ini_parse_bool(new_value);
	}
	return SUCCESS;
}

static ZEND_INI_MH(engine_on_trace_path)
{
	(void)entry; (void)mh_arg1; (void)mh_arg2; (void)mh_arg3;
	if (stage == ZEND_INI_STAGE_STARTUP) {
		snprintf(engine.trace_path, sizeof(engine.trace_path), "%s", new_value ? ZSTR_VAL(new_value) : "");
	}
	return SUCCESS;
}

static const zend_ini_entry_def engine_ini[] = {
	ZEND_INI_ENTRY("zendmm_ext.engine", "0", ZEND_INI_SYSTEM, engine_on_switch)
	ZEND_INI_ENTRY("zendmm_ext.engine_trace", "", ZEND_INI_SYSTEM, engine_on_trace_path)
ZEND_INI_END()

/* ------------------------------------------------------------------------ */
/* installation                                                              */

static ZEND_COLD void engine_refuse(const char *why)
{
	snprintf(engine.refused, sizeof(engine.refused), "%s", why);
	php_error_docref(NULL, E_WARNING, "zendmm_ext.engine=1 refused: %s; PHP's own heap is used", why);
}

/* PHP frees its heap through our handler after unloading this module: keep
 * the code mapped for that call. */
static bool engine_pin_module(void)
{
#ifdef _WIN32
	HMODULE self;
	return GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
		(LPCSTR)(void *)engine_free, &self) != 0;
#else
	Dl_info info;
	if (!dladdr((void *)engine_free, &info) || !info.dli_fname) {
		return false;
	}
	return dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE) != NULL;
#endif
}

/* zendmm_ext.engine_trace: record the engine heap from its creation to the
 * end of the first request. A file that cannot be made costs the trace, not
 * the mode. */
static void engine_trace_open(void)
{
	char err[256] = "";
	if (!engine.trace_path[0]) {
		return;
	}
	engine.trace = zmm_trace_writer_open(engine.trace_path, err, sizeof(err));
	if (!engine.trace) {
		snprintf(engine.trace_state, sizeof(engine.trace_state), "%s: not recorded (%s)", engine.trace_path, err);
		php_error_docref(NULL, E_WARNING, "zendmm_ext.engine_trace: %s; the engine heap is not recorded", err);
		return;
	}
	snprintf(engine.trace_state, sizeof(engine.trace_state), "%s: recording", engine.trace_path);
}

static void engine_install(void)
{
	zmm_config cfg;
	char err[256] = "";
	zend_ini_entry *limit_entry;

#ifdef ZTS
	engine_refuse("this PHP is a thread-safe (ZTS) build, where one heap would serve every thread");
	return;
#endif
	engine.php_heap = zend_mm_get_heap();
	if (zend_mm_is_custom_heap(engine.php_heap)) {
		engine_refuse("PHP's heap already has custom handlers (USE_ZEND_ALLOC=0, a debugger or a memory profiler)");
		return;
	}
	limit_entry = engine_memory_limit_entry();
	if (!limit_entry || !limit_entry->on_modify) {
		engine_refuse("the memory_limit setting was not found");
		return;
	}
	zendmm_default_config(&cfg);
	cfg.track_blocks = false;   /* routing uses the segment registry, not the block index */
	cfg.alignment = ZENDMM_ENGINE_ALIGNMENT;
	cfg.limit = PG(memory_limit) < 0 ? ZMM_NO_LIMIT : (size_t)PG(memory_limit);
	cfg.error_ctx = &ZENDMM_G(process_error);
	engine.heap = zmm_heap_create(&cfg, err, sizeof(err));
	if (!engine.heap) {
		char why[384];
		snprintf(why, sizeof(why), "the engine heap could not be made (%s)", err[0] ? err : "unknown reason");
		engine_refuse(why);
		return;
	}
	engine.owns_memo = zmm_heap_owns_memo(engine.heap);
	if (!engine_pin_module()) {
		zmm_heap_destroy(engine.heap);
		engine.heap = NULL;
		engine_refuse("the extension could not keep itself loaded until PHP's heap is shut down");
		return;
	}
	engine.valgrind = ZENDMM_VG_RUNNING();
	if (engine.valgrind) {
		zmm_stats st;
		zmm_heap_stats(engine.heap, &st);
		engine.vg_header = st.header_size;
		ZENDMM_VG_POOL_CREATE(engine.heap);
	}
	engine_trace_open();
	engine_wrap_functions();
	engine.orig_memory_limit = limit_entry->on_modify;
	limit_entry->on_modify = engine_on_memory_limit;

	engine.on = true;
	engine_set_serving(true); /* what startup leaves is dropped at the first reset (zendmm_engine_rinit) */
	zend_mm_set_custom_handlers(engine.php_heap, engine_malloc, engine_free, engine_realloc);
}

void zendmm_engine_minit(int type, int module_number)
{
	engine.refused[0] = '\0';
	zend_register_ini_entries_ex(engine_ini, module_number, type);
	if (engine.requested) {
		engine_install();
	}
}

void zendmm_engine_mshutdown(void)
{
	zend_ini_entry *limit_entry;
	if (!engine.on) {
		return;
	}
	/* The handlers stay: PHP still frees engine blocks after this, and its
	 * final free of the heap pointer does the full shutdown. */
	engine_unwrap_functions();
	limit_entry = engine_memory_limit_entry();
	if (limit_entry && limit_entry->on_modify == engine_on_memory_limit) {
		limit_entry->on_modify = engine.orig_memory_limit;
	}
}

void zendmm_engine_rinit(void)
{
	if (!engine.on) {
		return;
	}
	/* DEPARTURE: 5.3's end of request, one step late: the previous request's blocks are
	 * all gone by now (PHP's deactivation freed what it still held). Before
	 * the first request nothing is reset: the blocks PHP made between its
	 * startup and this hook (request globals, the output layer) live here, so
	 * what startup left behind goes with the first request's reset. */
	if (engine.reset_due) {
		if (engine.valgrind) {   /* every block of the last request goes at once */
			ZENDMM_VG_POOL_DESTROY(engine.heap);
			ZENDMM_VG_POOL_CREATE(engine.heap);
		}
		zmm_heap_shutdown(engine.heap);
		engine.reset_due = false;
	}
	engine_set_serving(true);
}

void zendmm_engine_post_deactivate(void)
{
	engine_trace_close();   /* the first request is over */
	engine_set_serving(false);
	engine.reset_due = engine.on;
}

void zendmm_engine_minfo(void)
{
	const char *state;
	char buf[320];
	if (engine.on) {
		state = "on (PHP runs on the 5.3 heap)";
	} else if (engine.refused[0]) {
		snprintf(buf, sizeof(buf), "off: refused, %s", engine.refused);
		state = buf;
	} else {
		state = "off";
	}
	php_info_print_table_row(2, "Engine heap (zendmm_ext.engine)", state);
	if (engine.trace && zmm_trace_writer_error(engine.trace)[0]) {
		/* a write failed (a full disk): the trace is cut there, the mode runs on */
		snprintf(engine.trace_state, sizeof(engine.trace_state), "%s: failing (%s)",
			engine.trace_path, zmm_trace_writer_error(engine.trace));
	}
	php_info_print_table_row(2, "Engine trace (zendmm_ext.engine_trace)",
		engine.trace_state[0] ? engine.trace_state : engine.trace_path[0] ? "not recorded: the mode is off" : "off");
	php_info_print_table_row(2, "Valgrind client requests", !ZENDMM_VG_COMPILED ? "not compiled in"
		: engine.on && engine.valgrind ? "compiled in; the engine heap's blocks are described to memcheck" : "compiled in");
}

/*
 * binding/recorder.c - zendmm_trace_start() / zendmm_trace_stop(): record
 * PHP's own heap as a trace (src/trace/trace_write.c writes the file).
 */

#include "binding.h"
#include "trace.h"
#include "mm_hooks.h"

/* While recording, PHP's own heap calls these hooks (custom handlers, as
 * memory profilers install them). Each hook hands the call on and appends it
 * to the trace (src/trace/trace_write.c). With no other custom handler installed, the
 * hook turns the handlers off around the real call (the "toggle"), so PHP's
 * allocator runs exactly as without hooks, its gc-before-OOM retry included;
 * otherwise it calls the handlers that were there before, and their _gc and
 * _shutdown (PHP >= 8.4) stay on the heap as they were. */
typedef struct zendmm_trace_state {
	zmm_trace_writer *writer;           /* NULL when not recording */
	zend_mm_heap     *heap;
	bool              prev_custom;      /* another custom allocator was installed */
	bool              shut;             /* RSHUTDOWN has run: no new trace in this request */
	zendmm_mm_handlers prev;            /* the handlers installed before ours */
	char              path[MAXPATHLEN];
} zendmm_trace_state;

ZEND_TLS zendmm_trace_state zendmm_trace;
static zif_handler zendmm_orig_gc_mem_caches;

/* Handlers off around a forwarded call; put back exactly what was there.
 * zend_try: a bailout inside PHP's allocator (its memory-limit error) must not
 * leave the handlers off, or the rest of the request would go unrecorded. */
#define ZENDMM_TRACE_FORWARD(call) do { \
		zendmm_mm_handlers h_; \
		zendmm_mm_get_handlers(zendmm_trace.heap, &h_); \
		zendmm_mm_clear_handlers(zendmm_trace.heap); \
		zend_try { \
			call; \
		} zend_catch { \
			zendmm_mm_set_handlers(zendmm_trace.heap, &h_); \
			zend_bailout(); \
		} zend_end_try(); \
		zendmm_mm_set_handlers(zendmm_trace.heap, &h_); \
	} while (0)

static void *zendmm_trace_malloc(size_t size ZENDMM_MM_DC)
{
	void *p;
	ZENDMM_MM_UNUSED_DC();
	if (zendmm_trace.prev_custom) {
		p = zendmm_trace.prev.malloc_fn(size ZENDMM_MM_RELAY_CC);
	} else {
		ZENDMM_TRACE_FORWARD(p = zend_mm_alloc(zendmm_trace.heap, size));
	}
	if (EXPECTED(zendmm_trace.writer)) {
		zmm_trace_alloc(zendmm_trace.writer, (uintptr_t)p, size);
	}
	return p;
}

static void zendmm_trace_free(void *ptr ZENDMM_MM_DC)
{
	ZENDMM_MM_UNUSED_DC();
	if (zendmm_trace.prev_custom) {
		zendmm_trace.prev.free_fn(ptr ZENDMM_MM_RELAY_CC);
	} else {
		ZENDMM_TRACE_FORWARD(zend_mm_free(zendmm_trace.heap, ptr));
	}
	if (EXPECTED(zendmm_trace.writer)) {
		zmm_trace_free(zendmm_trace.writer, (uintptr_t)ptr);
	}
}

static void *zendmm_trace_realloc(void *ptr, size_t size ZENDMM_MM_DC)
{
	void *p;
	ZENDMM_MM_UNUSED_DC();
	if (zendmm_trace.prev_custom) {
		p = zendmm_trace.prev.realloc_fn(ptr, size ZENDMM_MM_RELAY_CC);
	} else {
		ZENDMM_TRACE_FORWARD(p = zend_mm_realloc(zendmm_trace.heap, ptr, size));
	}
	if (EXPECTED(zendmm_trace.writer)) {
		zmm_trace_realloc(zendmm_trace.writer, (uintptr_t)ptr, (uintptr_t)p, size);
	}
	return p;
}

/* gc_mem_caches() while recording: PHP's zend_mm_gc() does nothing on a heap
 * with custom handlers, so run it with ours off. Installed at MINIT. */
static ZEND_NAMED_FUNCTION(zendmm_trace_gc_mem_caches)
{
	if (zendmm_trace.writer && !zendmm_trace.prev_custom) {
		ZENDMM_TRACE_FORWARD(zendmm_orig_gc_mem_caches(INTERNAL_FUNCTION_PARAM_PASSTHRU));
	} else {
		zendmm_orig_gc_mem_caches(INTERNAL_FUNCTION_PARAM_PASSTHRU);
	}
}

void zendmm_recorder_minit(void)
{
	zend_function *fn = zend_hash_str_find_ptr(CG(function_table), "gc_mem_caches", sizeof("gc_mem_caches") - 1);
	if (fn && fn->type == ZEND_INTERNAL_FUNCTION) {
		zendmm_orig_gc_mem_caches = fn->internal_function.handler;
		fn->internal_function.handler = zendmm_trace_gc_mem_caches;
	}
}

void zendmm_recorder_mshutdown(void)
{
	zend_function *fn;
	if (zendmm_orig_gc_mem_caches
		&& (fn = zend_hash_str_find_ptr(CG(function_table), "gc_mem_caches", sizeof("gc_mem_caches") - 1))
		&& fn->internal_function.handler == zendmm_trace_gc_mem_caches) {
		fn->internal_function.handler = zendmm_orig_gc_mem_caches;
	}
}

/* Stop recording: the heap gets back the handlers it had (none, or the
 * previous ones). false when someone replaced ours in the meantime: theirs
 * stay, and our hooks go on forwarding without recording. */
static bool zendmm_trace_uninstall(void)
{
	zendmm_mm_handlers now;
	bool ours;

	zendmm_mm_get_handlers(zendmm_trace.heap, &now);
	ours = now.malloc_fn == zendmm_trace_malloc && now.free_fn == zendmm_trace_free
		&& now.realloc_fn == zendmm_trace_realloc;
	if (ours) {
		if (zendmm_trace.prev_custom) {
			zendmm_mm_set_handlers(zendmm_trace.heap, &zendmm_trace.prev);
		} else {
			zendmm_mm_clear_handlers(zendmm_trace.heap);
		}
	}
	return ours;
}

/* Stop and close; the counts and the first error go to the caller. */
static bool zendmm_trace_finish(zmm_trace_counts *counts, bool *ours, char *err, size_t errlen)
{
	zmm_trace_writer *w = zendmm_trace.writer;
	*ours = zendmm_trace_uninstall();
	zendmm_trace.writer = NULL;
	return zmm_trace_writer_close(w, counts, err, errlen);
}

void zendmm_recorder_rinit(void)
{
	zendmm_trace.shut = false;
}

/* The script ended while recording: uninstall before the engine shuts the
 * heap down (its fast shutdown needs a heap without custom handlers) and
 * close the file, which then ends with END as after zendmm_trace_stop(). */
void zendmm_recorder_rshutdown(void)
{
	if (zendmm_trace.writer) {
		zmm_trace_counts counts;
		bool ours;
		(void)zendmm_trace_finish(&counts, &ours, NULL, 0);
	}
	zendmm_trace.shut = true;
}

PHP_FUNCTION(zendmm_trace_start)
{
	zend_string *file;
	char resolved[MAXPATHLEN];
	char err[256] = "";
	zmm_trace_writer *w;
	zend_mm_heap *heap;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_PATH_STR(file)
	ZEND_PARSE_PARAMETERS_END();

	if (zendmm_trace.writer) {
		zend_throw_error(NULL, "A trace is already being recorded to \"%s\"; call zendmm_trace_stop() first",
			zendmm_trace.path);
		RETURN_THROWS();
	}
	if (zendmm_trace.shut) {
		zend_throw_error(NULL, "Cannot start a trace while the request is shutting down");
		RETURN_THROWS();
	}
	if (ZSTR_LEN(file) == 0) {
		zend_argument_value_error(1, "cannot be empty");
		RETURN_THROWS();
	}
	if (!expand_filepath(ZSTR_VAL(file), resolved)) {
		zend_argument_value_error(1, "is not a usable path");
		RETURN_THROWS();
	}
	if (php_check_open_basedir_ex(resolved, 0)) {
		zend_throw_exception_ex(zendmm_exception_ce, 0,
			"Cannot record a trace to \"%s\": the path is outside of open_basedir", ZSTR_VAL(file));
		RETURN_THROWS();
	}
	heap = zend_mm_get_heap();
	zendmm_trace.prev_custom = zend_mm_is_custom_heap(heap);
	memset(&zendmm_trace.prev, 0, sizeof(zendmm_trace.prev));
	if (zendmm_trace.prev_custom) {
		zendmm_mm_get_handlers(heap, &zendmm_trace.prev);
		if (!zendmm_trace.prev.malloc_fn || !zendmm_trace.prev.free_fn || !zendmm_trace.prev.realloc_fn) {
			zend_throw_exception(zendmm_exception_ce,
				"Cannot record a trace: PHP's heap has custom handlers this recorder cannot chain to", 0);
			RETURN_THROWS();
		}
	}
	w = zmm_trace_writer_open(resolved, err, sizeof(err));
	if (!w) {
		zend_throw_exception_ex(zendmm_exception_ce, 0, "Cannot record a trace to \"%s\": %s",
			ZSTR_VAL(file), err);
		RETURN_THROWS();
	}
	snprintf(zendmm_trace.path, sizeof(zendmm_trace.path), "%s", resolved);
	zendmm_trace.heap = heap;
	zendmm_trace.writer = w;
	{
		/* the previous set's _gc and _shutdown stay (PHP >= 8.4): the engine
		 * heap still ends its request while this records it */
		zendmm_mm_handlers ours = {zendmm_trace_malloc, zendmm_trace_free, zendmm_trace_realloc,
			zendmm_trace.prev.gc_fn, zendmm_trace.prev.shutdown_fn};
		zendmm_mm_set_handlers(heap, &ours);
	}
}

PHP_FUNCTION(zendmm_trace_stop)
{
	zmm_trace_counts c;
	char err[256] = "";
	bool ours = true, ok;

	ZEND_PARSE_PARAMETERS_NONE();

	if (!zendmm_trace.writer) {
		zend_throw_error(NULL, "No trace is being recorded; call zendmm_trace_start() first");
		RETURN_THROWS();
	}
	ok = zendmm_trace_finish(&c, &ours, err, sizeof(err));
	if (!ok) {
		zend_throw_exception_ex(zendmm_exception_ce, 0, "The trace \"%s\" is incomplete: %s",
			zendmm_trace.path, err);
		RETURN_THROWS();
	}
	if (!ours) {
		php_error_docref(NULL, E_WARNING,
			"Another extension replaced the allocator hooks while recording; the trace may miss operations");
	}
	array_init_size(return_value, 12);
	add_assoc_long(return_value, "allocs", (zend_long)c.allocs);
	add_assoc_long(return_value, "frees", (zend_long)c.frees);
	add_assoc_long(return_value, "reallocs", (zend_long)c.reallocs);
	add_assoc_long(return_value, "failed", (zend_long)c.failed);
	add_assoc_long(return_value, "free_null", (zend_long)c.free_null);
	add_assoc_long(return_value, "realloc_null", (zend_long)c.realloc_null);
	add_assoc_long(return_value, "bytes_allocated", (zend_long)c.bytes_allocated);
	add_assoc_long(return_value, "bytes_reallocated", (zend_long)c.bytes_reallocated);
	add_assoc_long(return_value, "records", (zend_long)c.records);
	add_assoc_long(return_value, "file_bytes", (zend_long)c.file_bytes);
	add_assoc_string(return_value, "file", zendmm_trace.path);
}

/*
 * binding/engine/mm_hooks.c - the handlers put on PHP's heap, and the two
 * PHP >= 8.4 added (zend_mm_set_custom_handlers_ex, binding/mm_hooks.h).
 *
 * _shutdown(full, silent) is what lets the engine heap end a request as 5.3's
 * did: PHP calls it from zend_mm_shutdown() at the end of the request (after
 * its last efree: php_request_shutdown's "free Willy" step) with full false,
 * and once at the end of PHP with full true. On 8.2 there is no such call,
 * and lifecycle.c resets the heap at the next RINIT instead.
 *
 * _gc is what zend_mm_gc() (gc_mem_caches()) calls on a custom heap.
 */
#include "engine.h"

#if ZENDMM_MM_HOOKS_EX
/* DEPARTURE: gc_mem_caches(): 5.3 had no such function; the nearest is flushing the
 * small-block cache and compacting the storage. Returns the bytes handed back. */
static size_t engine_mm_gc(void)
{
	return engine.on ? zmm_heap_compact(engine.heap) : 0;
}

static void engine_mm_shutdown(bool full, bool silent)
{
	(void)silent;   /* the core reports no leaks: nothing to silence */
	/* The full shutdown: zend_mm_shutdown(full) first frees the heap pointer
	 * through engine_free, which destroys the engine heap and takes these
	 * handlers off (engine_full_shutdown), then calls this with full true. If
	 * a PHP ever called this first, the heap pointer's free still follows and
	 * does it: destroying PHP's heap here would leave that free dangling. */
	if (!engine.on || full) {
		return;
	}
	/* The engine trace is open only until the first request ends, so this is
	 * the reset at the end of PHP's startup. The trace format has no reset:
	 * recorded, the trace would no longer replay to the heap's figures. So
	 * then what startup left goes with the first request's reset, as on 8.2. */
	if (engine.trace) {
		return;
	}
	engine_partial_shutdown();
}
#endif

void engine_handlers_install(void)
{
	zendmm_mm_handlers h = {engine_malloc, engine_free, engine_realloc, NULL, NULL};
#if ZENDMM_MM_HOOKS_EX
	h.gc_fn = engine_mm_gc;
	h.shutdown_fn = engine_mm_shutdown;
#endif
	zendmm_mm_set_handlers(engine.php_heap, &h);
}

void engine_handlers_remove(void)
{
	zendmm_mm_clear_handlers(engine.php_heap);
}

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
 *
 * Each thread's PHP heap gets its own set (handlers.c): the _shutdown PHP
 * calls at the end of a request on a thread resets that thread's engine heap.
 */
#include "engine.h"

#if ZENDMM_MM_HOOKS_EX
/* DEPARTURE: gc_mem_caches(): 5.3 had no such function; the nearest is flushing the
 * small-block cache and compacting the storage. Returns the bytes handed back. */
static size_t engine_mm_gc_in(zendmm_engine_state *e)
{
	return e->on ? zmm_heap_compact(e->heap) : 0;
}

static void engine_mm_shutdown_in(zendmm_engine_state *e, bool full, bool silent)
{
	(void)silent;   /* the core reports no leaks: nothing to silence */
	/* The full shutdown: zend_mm_shutdown(full) first frees the heap pointer
	 * through engine_free, which destroys the engine heap and takes these
	 * handlers off (engine_full_shutdown), then calls this with full true. If
	 * a PHP ever called this first, the heap pointer's free still follows and
	 * does it: destroying PHP's heap here would leave that free dangling. */
	if (!e->on || full) {
		return;
	}
	/* The engine trace is open only until the first request ends, so this is
	 * the reset at the end of PHP's startup. The trace format has no reset:
	 * recorded, the trace would no longer replay to the heap's figures. So
	 * then what startup left goes with the first request's reset, as on 8.2. */
	if (e->trace) {
		return;
	}
	engine_partial_shutdown(e);
}

/* the two sets, as handlers.c has them: the startup thread's bound to
 * engine_main, the other threads' through their module globals */
static size_t engine_mm_gc(void)
{
	return engine_mm_gc_in(&engine_main);
}

static void engine_mm_shutdown(bool full, bool silent)
{
	engine_mm_shutdown_in(&engine_main, full, silent);
}

# ifdef ZTS
static size_t engine_mm_gc_thread(void)
{
	return engine_mm_gc_in(ZENDMM_G(engine));
}

static void engine_mm_shutdown_thread(bool full, bool silent)
{
	engine_mm_shutdown_in(ZENDMM_G(engine), full, silent);
}
# endif
#endif

void engine_handlers_install(zendmm_engine_state *e)
{
	zendmm_mm_handlers h = {engine_malloc, engine_free, engine_realloc, NULL, NULL};
#if ZENDMM_MM_HOOKS_EX
	h.gc_fn = engine_mm_gc;
	h.shutdown_fn = engine_mm_shutdown;
#endif
#ifdef ZTS
	if (e != &engine_main) {
		h.malloc_fn = engine_malloc_thread;
		h.free_fn = engine_free_thread;
		h.realloc_fn = engine_realloc_thread;
# if ZENDMM_MM_HOOKS_EX
		h.gc_fn = engine_mm_gc_thread;
		h.shutdown_fn = engine_mm_shutdown_thread;
# endif
	}
#endif
	zendmm_mm_set_handlers(e->php_heap, &h);
}

void engine_handlers_remove(zendmm_engine_state *e)
{
	zendmm_mm_clear_handlers(e->php_heap);
}

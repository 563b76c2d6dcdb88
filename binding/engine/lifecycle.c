/*
 * binding/engine/lifecycle.c - the engine heap's life across requests, as
 * 5.3's was: a partial shutdown after every request, a full one when PHP ends.
 *
 * PHP >= 8.4 calls the partial shutdown itself, at the end of the request,
 * through the heap's _shutdown handler (mm_hooks.c). On 8.2 no module hook
 * runs after PHP's last efree of a request, so the partial shutdown runs at
 * the next RINIT (post_deactivate only stops serving new blocks). The full
 * shutdown is PHP's own free of its heap pointer, which comes through our
 * handler after the modules are unloaded (engine.h).
 */
#include "engine.h"
#include "engine_valgrind.h"

/* 5.3's end of request: every block of the engine heap goes at once. */
void engine_partial_shutdown(void)
{
	if (engine.valgrind) {
		ZENDMM_VG_POOL_DESTROY(engine.heap);
		ZENDMM_VG_POOL_CREATE(engine.heap);
	}
	zmm_heap_shutdown(engine.heap);
	engine_sites_reset();   /* every block went, and its site with it */
	engine.reset_due = false;
}

void zendmm_engine_rinit(void)
{
	if (!engine.on) {
		return;
	}
	/* DEPARTURE: (PHP 8.2) 5.3's end of request, one step late: the previous request's blocks are
	 * all gone by now (PHP's deactivation freed what it still held). Before
	 * the first request nothing is reset: the blocks PHP made between its
	 * startup and this hook (request globals, the output layer) live here, so
	 * what startup left behind goes with the first request's reset. On
	 * PHP >= 8.4 reset_due is never set: the reset ran at the request's end. */
	if (engine.reset_due) {
		engine_partial_shutdown();
	}
	engine_sites_request_started();
	engine_set_serving(true);
}

void zendmm_engine_post_deactivate(void)
{
	engine_trace_close();   /* the first request is over */
#if !ZENDMM_MM_HOOKS_EX
	engine_set_serving(false);
	engine.reset_due = engine.on;
#endif
}

/* The full shutdown: PHP frees its heap pointer through us after the
 * modules are gone. */
ZEND_COLD void engine_full_shutdown(void)
{
	zend_mm_heap *php_heap = engine.php_heap;
	engine_handlers_remove();
	engine.on = false;
	engine_trace_close();   /* no request ran: the trace still ends cleanly */
	engine_set_serving(false);
	if (engine.valgrind) {
		ZENDMM_VG_POOL_DESTROY(engine.heap);
	}
	zmm_heap_destroy(engine.heap);
	engine.heap = NULL;
	engine_sites_close();
	engine.owns_memo = NULL;
	zend_mm_shutdown(php_heap, 1, 1);
}

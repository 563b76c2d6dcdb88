/*
 * binding/engine/lifecycle.c - the engine heap's life across requests, as
 * 5.3's was: a partial shutdown after every request, a full one when PHP ends.
 *
 * PHP >= 8.4 calls the partial shutdown itself, at the end of the request,
 * through the heap's _shutdown handler (mm_hooks.c). On 8.2 no module hook
 * runs after PHP's last efree of a request, so the partial shutdown runs at
 * the next RINIT (post_deactivate only stops serving new blocks). The full
 * shutdown is PHP's own free of its heap pointer, which comes through our
 * handler after the modules are unloaded (engine.h). On ZTS that is the
 * startup thread's end; every other thread's engine heap ends with its module
 * globals (threads.c).
 */
#include "engine.h"
#include "engine_valgrind.h"

/* 5.3's end of request: every block of the engine heap goes at once. */
void engine_partial_shutdown(zendmm_engine_state *e)
{
	if (engine_process.valgrind) {
		ZENDMM_VG_POOL_DESTROY(e->heap);
		ZENDMM_VG_POOL_CREATE(e->heap);
	}
	zmm_heap_shutdown(e->heap);
	engine_sites_reset(e);   /* every block went, and its site with it */
	e->reset_due = false;
}

void zendmm_engine_rinit(void)
{
	zendmm_engine_state *e = ENGINE_SELF();
	if (!e->on) {
		return;
	}
	/* DEPARTURE: (PHP 8.2) 5.3's end of request, one step late: the previous request's blocks are
	 * all gone by now (PHP's deactivation freed what it still held). Before
	 * the first request nothing is reset: the blocks PHP made between its
	 * startup and this hook (request globals, the output layer) live here, so
	 * what startup left behind goes with the first request's reset. On
	 * PHP >= 8.4 reset_due is never set: the reset ran at the request's end. */
	if (e->reset_due) {
		engine_partial_shutdown(e);
	}
	engine_sites_request_started(e);
	engine_set_serving(e, true);
}

void zendmm_engine_post_deactivate(void)
{
	zendmm_engine_state *e = ENGINE_SELF();
	engine_trace_close(e);   /* the thread's first request is over */
#if !ZENDMM_MM_HOOKS_EX
	if (e->on) {
		engine_set_serving(e, false);
		e->reset_due = true;
	}
#endif
}

/* The full shutdown: PHP frees its heap pointer through us after the
 * modules are gone. */
ZEND_COLD void engine_full_shutdown(zendmm_engine_state *e)
{
	zend_mm_heap *php_heap = e->php_heap;
	engine_end(e);
	zend_mm_shutdown(php_heap, 1, 1);
}

/* A thread's engine heap ends: the handlers come off its PHP heap (which
 * PHP then shuts down itself), the heap and its site table are destroyed. */
void engine_end(zendmm_engine_state *e)
{
	engine_handlers_remove(e);
	e->on = false;
	engine_trace_close(e);   /* no request ran: the trace still ends cleanly */
	engine_set_serving(e, false);
	if (engine_process.valgrind) {
		ZENDMM_VG_POOL_DESTROY(e->heap);
	}
	zmm_heap_destroy(e->heap);
	e->heap = NULL;
	engine_sites_close(e);
	e->owns_memo = NULL;
}

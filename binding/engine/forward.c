/*
 * binding/engine/forward.c - PHP's own allocator, for the blocks the engine
 * heap does not hold (made before the handlers were installed, or between
 * two requests, when the engine heap is not serving).
 */
#include "engine.h"

/* The handlers installed now are put back after the call (they are the
 * recorder's when it chains to ours), all five (mm_hooks.h: on PHP >= 8.4
 * the three alone would drop _gc and _shutdown). zend_try: a bailout inside
 * PHP's allocator must not leave the handlers off. */
#define ZENDMM_ENGINE_FORWARD(e, call) do { \
		zendmm_mm_handlers h_; \
		zendmm_mm_get_handlers((e)->php_heap, &h_); \
		zendmm_mm_clear_handlers((e)->php_heap); \
		zend_try { \
			call; \
		} zend_catch { \
			zendmm_mm_set_handlers((e)->php_heap, &h_); \
			zend_bailout(); \
		} zend_end_try(); \
		zendmm_mm_set_handlers((e)->php_heap, &h_); \
	} while (0)

void *engine_php_alloc(zendmm_engine_state *e, size_t size)
{
	void *p = NULL;
	ZENDMM_ENGINE_FORWARD(e, p = zend_mm_alloc(e->php_heap, size));
	return p;
}

void engine_php_free(zendmm_engine_state *e, void *ptr)
{
	ZENDMM_ENGINE_FORWARD(e, zend_mm_free(e->php_heap, ptr));
}

void *engine_php_realloc(zendmm_engine_state *e, void *ptr, size_t size)
{
	void *p = NULL;
	ZENDMM_ENGINE_FORWARD(e, p = zend_mm_realloc(e->php_heap, ptr, size));
	return p;
}

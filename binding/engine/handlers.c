/*
 * binding/engine/handlers.c - the custom handlers PHP's emalloc, efree and
 * erealloc call in the mode, and the fatal error of a failed allocation.
 *
 * The fast paths test one flag (engine.fast_alloc on emalloc, engine.plain
 * with the owns-memo on efree) and call the core; everything else (not
 * serving, valgrind, the engine trace, a block PHP's own heap made, the
 * full shutdown) is a tail call to a cold function, so the fast paths need
 * no stack frame.
 */
#include "engine.h"

#include "main/php_output.h"

zendmm_engine_state engine;

/* ------------------------------------------------------------------------ */
/* failures: PHP's fatal error with the core's (5.3's) message               */

ZEND_COLD ZEND_NORETURN void engine_fail(void)
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

/* Not declared noreturn, though it does not return: the handlers jump to it
 * (a tail call), which keeps their fast path free of a stack frame. */
static zend_never_inline ZEND_COLD void *engine_failed(void)
{
	engine_fail();
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* the flags the handlers test                                               */

/* From the state they summarise. */
void engine_update_flags(void)
{
	engine.plain = !engine.valgrind && !engine.trace && !engine.sites;
	engine.fast_alloc = engine.serving && engine.plain;
}

void engine_set_serving(bool serving)
{
	engine.serving = serving;
	engine_update_flags();
}

/* ------------------------------------------------------------------------ */
/* emalloc                                                                   */

/* emalloc with valgrind, the engine trace or sites on (engine.plain false) */
static ZEND_COLD void *engine_malloc_slow(size_t size)
{
	void *p = engine.valgrind ? engine_malloc_vg(size) : zmm_malloc(engine.heap, size);
	if (!p) {
		engine_fail();
	}
	if (engine.trace) {
		zmm_trace_alloc(engine.trace, (uintptr_t)p, size);
	}
	if (engine.sites) {
		engine_sites_alloc(p, size);
	}
	return p;
}

/* emalloc off its fast path: not serving, or valgrind, the trace or sites on */
static zend_never_inline void *engine_malloc_routed(size_t size)
{
	if (UNEXPECTED(!engine.serving)) {
		return engine_php_alloc(size);
	}
	return engine_malloc_slow(size);
}

void *engine_malloc(size_t size ZENDMM_MM_DC)
{
	ZENDMM_MM_UNUSED_DC();
	if (EXPECTED(engine.fast_alloc)) {
		void *p = zmm_malloc(engine.heap, size);
		if (EXPECTED(p != NULL)) {
			return p;
		}
		return engine_failed();
	}
	return engine_malloc_routed(size);
}

/* ------------------------------------------------------------------------ */
/* efree                                                                     */

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
	if (engine.sites) {
		engine_sites_free(ptr);
	}
}

/* efree off its fast path: the memo missed, or valgrind, the trace or sites are on */
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

void engine_free(void *ptr ZENDMM_MM_DC)
{
	ZENDMM_MM_UNUSED_DC();
	if (EXPECTED(engine.plain && zmm_owns_memo_hit(engine.owns_memo, ptr))) {
		zmm_free(engine.heap, ptr);
		return;
	}
	engine_free_routed(ptr);
}

/* ------------------------------------------------------------------------ */
/* erealloc                                                                  */

/* what the trace and the site table learn of a realloc */
static ZEND_COLD void engine_realloc_noted(void *ptr, void *p, size_t size)
{
	if (engine.trace) {
		zmm_trace_realloc(engine.trace, (uintptr_t)ptr, (uintptr_t)p, size);
	}
	if (engine.sites) {
		engine_sites_realloc(ptr, p, size);
	}
}

void *engine_realloc(void *ptr, size_t size ZENDMM_MM_DC)
{
	ZENDMM_MM_UNUSED_DC();
	void *p;
	if (UNEXPECTED(!zmm_owns_memo_hit(engine.owns_memo, ptr) && !zmm_heap_owns(engine.heap, ptr))) {
		return ptr ? engine_php_realloc(ptr, size) : engine_malloc(size ZENDMM_MM_RELAY_CC);
	}
	p = EXPECTED(!engine.valgrind) ? zmm_realloc(engine.heap, ptr, size) : engine_realloc_vg(ptr, size);
	if (UNEXPECTED(!p)) {
		engine_fail();
	}
	if (UNEXPECTED(!engine.plain)) {
		engine_realloc_noted(ptr, p, size);
	}
	return p;
}

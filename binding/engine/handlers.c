/*
 * binding/engine/handlers.c - the custom handlers PHP's emalloc, efree and
 * erealloc call in the mode, and the fatal error of a failed allocation.
 *
 * The fast paths test one flag (e->fast_alloc on emalloc, e->plain with the
 * owns-memo on efree) and call the core; everything else (not serving,
 * valgrind, the engine trace, a block PHP's own heap made, the full
 * shutdown) is a tail call to a cold function, so the fast paths need no
 * stack frame.
 *
 * Two sets of the same handlers (engine.h): the startup thread's, bound to
 * engine_main, and on ZTS the other threads', which find their state in the
 * module globals through the TSRMLS cache. PHP's handlers take no heap
 * argument; each thread's PHP heap has the set that finds its own state.
 */
#include "engine.h"

#include "main/php_output.h"

zendmm_engine_state engine_main;
zendmm_engine_process engine_process;
#ifdef ZTS
zendmm_engine_state engine_none;   /* a thread without the mode: on is false */
#endif

/* ------------------------------------------------------------------------ */
/* failures: PHP's fatal error with the core's (5.3's) message               */

ZEND_COLD ZEND_NORETURN void engine_fail(zendmm_engine_state *e)
{
	char message[256];
	size_t limit;
	const zendmm_error_state *st = e->error;

	snprintf(message, sizeof(message), "%s",
		st && st->kind != ZMM_OK && st->message[0] ? st->message : "Out of memory");
	if (e->reporting) {
		/* failing again while the first failure is reported: 5.3 gave up here too */
		fprintf(stderr, "Fatal error: %s\n", message);
		fflush(stderr);
		exit(1);
	}
	/* As PHP 8 reports its own limit error: the limit is lifted while the
	 * error is raised, and output buffers are discarded (PHP's error handler
	 * does that only for its own heap's errors, so it is done here). */
	e->reporting = true;
	limit = zmm_heap_set_limit(e->heap, ZMM_NO_LIMIT);
	php_output_discard_all();
	zend_try {
		zend_error_noreturn(E_ERROR, "%s", message);
	} zend_catch {
	} zend_end_try();
	zmm_heap_set_limit(e->heap, limit);
	e->reporting = false;
	zend_bailout();
	exit(1); /* not reached: zend_bailout() does not return */
}

/* Not declared noreturn, though it does not return: the handlers jump to it
 * (a tail call), which keeps their fast path free of a stack frame. */
static zend_never_inline ZEND_COLD void *engine_failed(zendmm_engine_state *e)
{
	engine_fail(e);
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* the flags the handlers test                                               */

/* From the state they summarise. */
void engine_update_flags(zendmm_engine_state *e)
{
	e->plain = !engine_process.valgrind && !e->trace && !e->sites;
	e->fast_alloc = e->serving && e->plain;
}

void engine_set_serving(zendmm_engine_state *e, bool serving)
{
	e->serving = serving;
	engine_update_flags(e);
}

/* ------------------------------------------------------------------------ */
/* emalloc                                                                   */

/* emalloc with valgrind, the engine trace or sites on (e->plain false) */
static ZEND_COLD void *engine_malloc_slow(zendmm_engine_state *e, size_t size)
{
	void *p = engine_process.valgrind ? engine_malloc_vg(e, size) : zmm_malloc(e->heap, size);
	if (!p) {
		engine_fail(e);
	}
	if (e->trace) {
		zmm_trace_alloc(e->trace, (uintptr_t)p, size);
	}
	if (e->sites) {
		engine_sites_alloc(e, p, size);
	}
	return p;
}

/* emalloc off its fast path: not serving, or valgrind, the trace or sites on */
static zend_never_inline void *engine_malloc_routed(zendmm_engine_state *e, size_t size)
{
	if (UNEXPECTED(!e->serving)) {
		return engine_php_alloc(e, size);
	}
	return engine_malloc_slow(e, size);
}

static zend_always_inline void *engine_malloc_in(zendmm_engine_state *e, size_t size)
{
	if (EXPECTED(e->fast_alloc)) {
		void *p = zmm_malloc(e->heap, size);
		if (EXPECTED(p != NULL)) {
			return p;
		}
		return engine_failed(e);
	}
	return engine_malloc_routed(e, size);
}

/* ------------------------------------------------------------------------ */
/* efree                                                                     */

static ZEND_COLD void engine_free_slow(zendmm_engine_state *e, void *ptr)
{
	if (engine_process.valgrind) {
		engine_free_vg(e, ptr);
	} else {
		zmm_free(e->heap, ptr);
	}
	if (e->trace) {
		zmm_trace_free(e->trace, (uintptr_t)ptr);
	}
	if (e->sites) {
		engine_sites_free(e, ptr);
	}
}

/* efree off its fast path: the memo missed, or valgrind, the trace or sites are on */
static zend_never_inline void engine_free_routed(zendmm_engine_state *e, void *ptr)
{
	if (EXPECTED(zmm_heap_owns(e->heap, ptr))) {
		if (EXPECTED(e->plain)) {
			zmm_free(e->heap, ptr);
		} else {
			engine_free_slow(e, ptr);
		}
	} else if (UNEXPECTED(ptr == (void *)e->php_heap)) {
		engine_full_shutdown(e);
	} else if (ptr) {
		engine_php_free(e, ptr);
	}
}

static zend_always_inline void engine_free_in(zendmm_engine_state *e, void *ptr)
{
	if (EXPECTED(e->plain && zmm_owns_memo_hit(e->owns_memo, ptr))) {
		zmm_free(e->heap, ptr);
		return;
	}
	engine_free_routed(e, ptr);
}

/* ------------------------------------------------------------------------ */
/* erealloc                                                                  */

/* what the trace and the site table learn of a realloc */
static ZEND_COLD void engine_realloc_noted(zendmm_engine_state *e, void *ptr, void *p, size_t size)
{
	if (e->trace) {
		zmm_trace_realloc(e->trace, (uintptr_t)ptr, (uintptr_t)p, size);
	}
	if (e->sites) {
		engine_sites_realloc(e, ptr, p, size);
	}
}

static zend_always_inline void *engine_realloc_in(zendmm_engine_state *e, void *ptr, size_t size)
{
	void *p;
	if (UNEXPECTED(!zmm_owns_memo_hit(e->owns_memo, ptr) && !zmm_heap_owns(e->heap, ptr))) {
		return ptr ? engine_php_realloc(e, ptr, size) : engine_malloc_in(e, size);
	}
	p = EXPECTED(!engine_process.valgrind) ? zmm_realloc(e->heap, ptr, size) : engine_realloc_vg(e, ptr, size);
	if (UNEXPECTED(!p)) {
		engine_fail(e);
	}
	if (UNEXPECTED(!e->plain)) {
		engine_realloc_noted(e, ptr, p, size);
	}
	return p;
}

/* ------------------------------------------------------------------------ */
/* the sets                                                                  */

/* the startup thread's: bound to engine_main, which outlives the module
 * globals (PHP frees its heap through engine_free after they are gone) */
void *engine_malloc(size_t size ZENDMM_MM_DC)
{
	ZENDMM_MM_UNUSED_DC();
	return engine_malloc_in(&engine_main, size);
}

void engine_free(void *ptr ZENDMM_MM_DC)
{
	ZENDMM_MM_UNUSED_DC();
	engine_free_in(&engine_main, ptr);
}

void *engine_realloc(void *ptr, size_t size ZENDMM_MM_DC)
{
	ZENDMM_MM_UNUSED_DC();
	return engine_realloc_in(&engine_main, ptr, size);
}

#ifdef ZTS
/* every other thread's: its state from its module globals (a TSRMLS-cache
 * load, no lock); installed in its globals constructor, taken off in their
 * destructor (threads.c), so the globals are there on every call */
void *engine_malloc_thread(size_t size ZENDMM_MM_DC)
{
	ZENDMM_MM_UNUSED_DC();
	return engine_malloc_in(ZENDMM_G(engine), size);
}

void engine_free_thread(void *ptr ZENDMM_MM_DC)
{
	ZENDMM_MM_UNUSED_DC();
	engine_free_in(ZENDMM_G(engine), ptr);
}

void *engine_realloc_thread(void *ptr, size_t size ZENDMM_MM_DC)
{
	ZENDMM_MM_UNUSED_DC();
	return engine_realloc_in(ZENDMM_G(engine), ptr, size);
}
#endif

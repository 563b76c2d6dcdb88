/*
 * binding/engine/threads.c - ZTS: one engine heap per thread, as 5.3 made
 * one per thread.
 *
 * 5.3's start_memory_manager() registered its globals with TSRM, and every
 * thread's constructor made that thread's heap, its destructor destroyed it.
 * PHP 8 still does that for its own heap (zend_alloc's globals are TSRM's
 * first resource). A module's globals are a later resource, and TSRM builds
 * a new thread's resources in the order they were registered: when this
 * module's globals constructor runs for a thread, that thread's PHP heap
 * exists. So the constructor is where a thread's engine heap is made and put
 * on the thread's PHP heap, and the destructor is where it ends.
 *
 * The thread that starts PHP is the exception: its globals are made before
 * MINIT (when the mode is not decided yet), and its PHP heap is freed only
 * after its module globals are gone (TSRM's end). Its engine heap is
 * engine_main: made at MINIT, ended by PHP's free of its heap pointer
 * (lifecycle.c), with handlers that never read the module globals.
 *
 * Per thread: the engine heap and its segment registry and memo (inside the
 * core heap: zmm_heap_owns() needs no lock), the trace file (FILE.N, trace.c),
 * the site table, the memcheck pool (anchored at the thread's heap), the
 * flags the handlers test. Shared: engine_process, written at MINIT only.
 */
#include "engine.h"

#ifdef ZTS
/* threads after the first that asked for an engine heap (which numbers
 * them: trace files), the heaps made, those ended, and the threads whose heap
 * could not be made; atomic counters, off the allocation path */
static unsigned engine_threads_numbered;
static unsigned engine_threads_made;
static unsigned engine_threads_ended;
static unsigned engine_threads_failed;

# ifdef _MSC_VER
#  define ENGINE_COUNT_ADD(v) ((unsigned)InterlockedIncrement((volatile LONG *)&(v)))
#  define ENGINE_COUNT_GET(v) ((unsigned)InterlockedCompareExchange((volatile LONG *)&(v), 0, 0))
# else
#  define ENGINE_COUNT_ADD(v) __atomic_add_fetch(&(v), 1, __ATOMIC_RELAXED)
#  define ENGINE_COUNT_GET(v) __atomic_load_n(&(v), __ATOMIC_RELAXED)
# endif

unsigned engine_threads_made_count(void)
{
	return ENGINE_COUNT_GET(engine_threads_made);
}

unsigned engine_threads_ended_count(void)
{
	return ENGINE_COUNT_GET(engine_threads_ended);
}

unsigned engine_threads_failed_count(void)
{
	return ENGINE_COUNT_GET(engine_threads_failed);
}
#endif

/* The thread's module globals are made: its engine heap with them. */
void zendmm_engine_ginit(zend_zendmm_ext_globals *g)
{
#ifdef ZTS
	zendmm_engine_state *e;
	char err[256] = "";

	g->engine = NULL;
	if (!zendmm_startup_done()) {
		/* the thread that starts PHP: MINIT decides (install.c) */
		g->engine = &engine_main;
		return;
	}
	if (!engine_process.on) {
		return;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		ENGINE_COUNT_ADD(engine_threads_failed);
		return;   /* this thread runs on PHP's own heap (phpinfo says so) */
	}
	e->number = ENGINE_COUNT_ADD(engine_threads_numbered);
	if (engine_start(e, &g->process_error, err, sizeof(err))) {
		ENGINE_COUNT_ADD(engine_threads_made);
	} else {
		/* DEPARTURE: 5.3 had no such case (a thread without its heap could
		 * not start). This thread runs on PHP's own heap; the state stays,
		 * off, for phpinfo to say why. */
		snprintf(e->not_made, sizeof(e->not_made), "%s", err[0] ? err : "unknown reason");
		ENGINE_COUNT_ADD(engine_threads_failed);
	}
	g->engine = e;
#else
	(void)g;
#endif
}

/* The thread's module globals go (its end, or the module's): 5.3's full
 * shutdown of its engine heap. Its PHP heap is shut down by PHP after this,
 * as PHP's own (the handlers are off): no block of the engine heap is in use
 * once the thread's last request has ended. */
void zendmm_engine_gshutdown(zend_zendmm_ext_globals *g)
{
#ifdef ZTS
	zendmm_engine_state *e = g->engine;
	g->engine = NULL;
	if (!e || e == &engine_main) {
		return;
	}
	if (e->on) {
		engine_end(e);
		ENGINE_COUNT_ADD(engine_threads_ended);
	}
	free(e);
#else
	(void)g;
#endif
}

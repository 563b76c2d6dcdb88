/*
 * binding/engine/trace.c - zendmm_ext.engine_trace=FILE: every call the
 * engine heap serves, from its creation to the end of the first request,
 * written with the trace writer of src/trace/. A replay on a fresh heap of
 * the same configuration reproduces its figures exactly (tests/engine_013).
 *
 * Threads (ZTS): one file per engine heap, so per thread. The thread that
 * starts PHP writes FILE; the Nth thread after it writes FILE.N (N = 1, 2 ...
 * in the order the threads' heaps were made), each from its heap's creation
 * to the end of that thread's first request.
 */
#include "engine.h"

#ifndef _WIN32
# include <pthread.h>
#endif

#ifndef _WIN32
/* A process that forks after the trace was opened (php-fpm's master, opcache
 * preloading as root in a child) shares the file with its children: a child's
 * records would land in the middle of the parent's. Only the process that
 * opened the trace records; a child drops the writer unwritten (it buffers
 * in memory and its stream is unbuffered, so nothing reaches the file). The
 * child has only the thread that forked: the startup thread's trace, and the
 * forking thread's own, are the ones it could still write. */
static void engine_trace_drop(zendmm_engine_state *e)
{
	if (e->trace) {
		e->trace = NULL;
		engine_update_flags(e);
		snprintf(e->trace_state, sizeof(e->trace_state), "%s: recorded by the parent process only",
			e->trace_path);
	}
}

static void engine_trace_forked_child(void)
{
	engine_trace_drop(&engine_main);
#ifdef ZTS
	if (TSRMLS_CACHE && ZENDMM_G(engine)) {
		engine_trace_drop(ZENDMM_G(engine));
	}
#endif
}

static pthread_once_t engine_trace_fork_once = PTHREAD_ONCE_INIT;

static void engine_trace_fork_handler(void)
{
	(void)pthread_atfork(NULL, NULL, engine_trace_forked_child);
}
#endif

/* Record from the engine heap's creation on. A file that cannot be made
 * costs the trace, not the mode. */
void engine_trace_open(zendmm_engine_state *e)
{
	char err[256] = "";
	if (!engine_process.trace_path[0]) {
		return;
	}
	if (e->number == 0) {
		snprintf(e->trace_path, sizeof(e->trace_path), "%s", engine_process.trace_path);
	} else {
		snprintf(e->trace_path, sizeof(e->trace_path), "%s.%u", engine_process.trace_path, e->number);
	}
	e->trace = zmm_trace_writer_open(e->trace_path, err, sizeof(err));
	if (!e->trace) {
		snprintf(e->trace_state, sizeof(e->trace_state), "%s: not recorded (%s)", e->trace_path, err);
		php_error_docref(NULL, E_WARNING, "zendmm_ext.engine_trace: %s; the engine heap is not recorded", err);
		return;
	}
#ifndef _WIN32
	pthread_once(&engine_trace_fork_once, engine_trace_fork_handler);
#endif
	snprintf(e->trace_state, sizeof(e->trace_state), "%s: recording", e->trace_path);
}

/* The trace ends: END written, file closed. */
void engine_trace_close(zendmm_engine_state *e)
{
	char err[256] = "";
	zmm_trace_counts counts;
	if (!e->trace) {
		return;
	}
	if (zmm_trace_writer_close(e->trace, &counts, err, sizeof(err))) {
		snprintf(e->trace_state, sizeof(e->trace_state), "%s: %llu calls, complete",
			e->trace_path, (unsigned long long)counts.records);
	} else {
		snprintf(e->trace_state, sizeof(e->trace_state), "%s: failed (%s)", e->trace_path, err);
	}
	e->trace = NULL;
	engine_update_flags(e);
}

/* memory_get_usage() and its kin flush, so the file's length right after
 * them marks the point of the figure they return. */
void engine_trace_flush(zendmm_engine_state *e)
{
	if (e->trace) {
		zmm_trace_flush(e->trace);
	}
}

/* What phpinfo says of the calling thread's trace. */
const char *engine_trace_describe(zendmm_engine_state *e)
{
	if (e->trace && zmm_trace_writer_error(e->trace)[0]) {
		/* a write failed (a full disk): the trace is cut there, the mode runs on */
		snprintf(e->trace_state, sizeof(e->trace_state), "%s: failing (%s)",
			e->trace_path, zmm_trace_writer_error(e->trace));
	}
	if (e->trace_state[0]) {
		return e->trace_state;
	}
	return engine_process.trace_path[0] ? "not recorded: the mode is off" : "off";
}

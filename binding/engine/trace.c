/*
 * binding/engine/trace.c - zendmm_ext.engine_trace=FILE: every call the
 * engine heap serves, from its creation to the end of the first request,
 * written with the trace writer of src/trace/. A replay on a fresh heap of
 * the same configuration reproduces its figures exactly (tests/engine_013).
 */
#include "engine.h"

/* Record from the engine heap's creation on. A file that cannot be made
 * costs the trace, not the mode. */
void engine_trace_open(void)
{
	char err[256] = "";
	if (!engine.trace_path[0]) {
		return;
	}
	engine.trace = zmm_trace_writer_open(engine.trace_path, err, sizeof(err));
	if (!engine.trace) {
		snprintf(engine.trace_state, sizeof(engine.trace_state), "%s: not recorded (%s)", engine.trace_path, err);
		php_error_docref(NULL, E_WARNING, "zendmm_ext.engine_trace: %s; the engine heap is not recorded", err);
		return;
	}
	snprintf(engine.trace_state, sizeof(engine.trace_state), "%s: recording", engine.trace_path);
}

/* The trace ends: END written, file closed. */
void engine_trace_close(void)
{
	char err[256] = "";
	zmm_trace_counts counts;
	if (!engine.trace) {
		return;
	}
	if (zmm_trace_writer_close(engine.trace, &counts, err, sizeof(err))) {
		snprintf(engine.trace_state, sizeof(engine.trace_state), "%s: %llu calls, complete",
			engine.trace_path, (unsigned long long)counts.records);
	} else {
		snprintf(engine.trace_state, sizeof(engine.trace_state), "%s: failed (%s)", engine.trace_path, err);
	}
	engine.trace = NULL;
	engine_update_flags();
}

/* memory_get_usage() and its kin flush, so the file's length right after
 * them marks the point of the figure they return. */
void engine_trace_flush(void)
{
	if (engine.trace) {
		zmm_trace_flush(engine.trace);
	}
}

/* What phpinfo says of the trace. */
const char *engine_trace_describe(void)
{
	if (engine.trace && zmm_trace_writer_error(engine.trace)[0]) {
		/* a write failed (a full disk): the trace is cut there, the mode runs on */
		snprintf(engine.trace_state, sizeof(engine.trace_state), "%s: failing (%s)",
			engine.trace_path, zmm_trace_writer_error(engine.trace));
	}
	if (engine.trace_state[0]) {
		return engine.trace_state;
	}
	return engine.trace_path[0] ? "not recorded: the mode is off" : "off";
}

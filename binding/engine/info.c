/*
 * binding/engine/info.c - what phpinfo says of the mode.
 */
#include "engine.h"
#include "engine_valgrind.h"

#include "ext/standard/info.h"

void zendmm_engine_minfo(void)
{
	const char *state;
	char buf[400];
	zendmm_engine_state *e = ENGINE_SELF();
	if (e->on) {
		state = "on (PHP runs on the 5.3 heap)";
	} else if (engine_process.refused[0]) {
		snprintf(buf, sizeof(buf), "off: refused, %s", engine_process.refused);
		state = buf;
	} else if (engine_process.on) {
		snprintf(buf, sizeof(buf), "off in this thread: its engine heap could not be made%s%s%s",
			e->not_made[0] ? " (" : "", e->not_made, e->not_made[0] ? "); PHP's own heap is used" : "");
		state = buf;
	} else {
		state = "off";
	}
	php_info_print_table_row(2, "Engine heap (zendmm_ext.engine)", state);
#ifdef ZTS
	if (e->on) {
		snprintf(buf, sizeof(buf), "this thread's is number %u (0: the thread that started PHP); "
			"made for later threads: %u, ended with them: %u, could not be made: %u",
			e->number, engine_threads_made_count(), engine_threads_ended_count(), engine_threads_failed_count());
		php_info_print_table_row(2, "Engine heaps (one per thread)", buf);
	}
#endif
	php_info_print_table_row(2, "Engine trace (zendmm_ext.engine_trace)", engine_trace_describe(e));
	php_info_print_table_row(2, "Valgrind client requests", !ZENDMM_VG_COMPILED ? "not compiled in"
		: e->on && engine_process.valgrind ? "compiled in; the engine heap's blocks are described to memcheck" : "compiled in");
}

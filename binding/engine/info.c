/*
 * binding/engine/info.c - what phpinfo says of the mode.
 */
#include "engine.h"
#include "engine_valgrind.h"

#include "ext/standard/info.h"

void zendmm_engine_minfo(void)
{
	const char *state;
	char buf[320];
	if (engine.on) {
		state = "on (PHP runs on the 5.3 heap)";
	} else if (engine.refused[0]) {
		snprintf(buf, sizeof(buf), "off: refused, %s", engine.refused);
		state = buf;
	} else {
		state = "off";
	}
	php_info_print_table_row(2, "Engine heap (zendmm_ext.engine)", state);
	php_info_print_table_row(2, "Engine trace (zendmm_ext.engine_trace)", engine_trace_describe());
	php_info_print_table_row(2, "Valgrind client requests", !ZENDMM_VG_COMPILED ? "not compiled in"
		: engine.on && engine.valgrind ? "compiled in; the engine heap's blocks are described to memcheck" : "compiled in");
}

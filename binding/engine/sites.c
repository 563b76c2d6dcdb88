/*
 * binding/engine/sites.c - zendmm_ext.sites=1: the site of every block of
 * the engine heap, in a site table beside it (src/sites/, malloc memory, so
 * recording never allocates from the heap it records).
 *
 * The handlers' slow paths call these (engine.sites makes engine.plain
 * false, as the trace does), so with the setting off the fast paths are
 * what they were. A block made while no user code runs is charged to
 * "(startup)" before the first request's RINIT, to "(shutdown)" while PHP
 * shuts a request down, and to "(internal)" otherwise (compiling the main
 * script, request startup). The table is reset with the heap (5.3's partial
 * shutdown at the next RINIT) and destroyed with it.
 */
#include "engine.h"
#include "sites.h"

void engine_sites_open(void)
{
	if (!zendmm_sites_engine_requested()) {
		return;
	}
	engine.sites = zmm_sites_create();
	if (!engine.sites) {
		php_error_docref(NULL, E_WARNING, "zendmm_ext.sites: out of memory for the site table; no sites are recorded");
		return;
	}
	engine.sites_depth = zendmm_sites_default_depth();
	engine.sites_started = false;
	zendmm_engine_sites_set(engine.sites);
}

/* the first RINIT: from now on, code outside user frames is PHP's own */
void engine_sites_request_started(void)
{
	engine.sites_started = true;
}

void engine_sites_reset(void)
{
	zmm_sites_reset(engine.sites);
}

void engine_sites_close(void)
{
	zendmm_engine_sites_set(NULL);
	zmm_sites_destroy(engine.sites);
	engine.sites = NULL;
}

static const char *engine_sites_outside_user_code(void)
{
	if (!engine.sites_started) {
		return "(startup)";
	}
	return (EG(flags) & EG_FLAGS_IN_SHUTDOWN) ? "(shutdown)" : "(internal)";
}

void engine_sites_alloc(void *p, size_t size)
{
	zmm_site_id site = zendmm_sites_capture(engine.sites, engine.sites_depth, engine_sites_outside_user_code());
	zmm_sites_record(engine.sites, p, size, site);
}

void engine_sites_free(void *p)
{
	zmm_sites_forget(engine.sites, p);
}

void engine_sites_realloc(void *old_ptr, void *p, size_t size)
{
	zmm_sites_move(engine.sites, old_ptr, p, size);
}

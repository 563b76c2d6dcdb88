/*
 * binding/engine/sites.c - zendmm_ext.sites=1: the site of every block of
 * the engine heap, in a site table beside it (src/sites/, malloc memory, so
 * recording never allocates from the heap it records).
 *
 * The handlers' slow paths call these (e->sites makes e->plain
 * false, as the trace does), so with the setting off the fast paths are
 * what they were. A block made while no user code runs is charged to
 * "(startup)" before the first request's RINIT, to "(shutdown)" while PHP
 * shuts a request down, and to "(internal)" otherwise (compiling the main
 * script, request startup). The table is reset with the heap (5.3's partial
 * shutdown at the next RINIT) and destroyed with it. One table per engine
 * heap, so per thread on ZTS.
 */
#include "engine.h"
#include "sites.h"

/* the calling thread's table, while its engine heap serves PHP */
zmm_sites *zendmm_engine_sites(void)
{
	zendmm_engine_state *e = ENGINE_SELF();
	return e->on ? e->sites : NULL;
}

void engine_sites_open(zendmm_engine_state *e)
{
	if (!engine_process.sites) {
		return;
	}
	e->sites = zmm_sites_create();
	if (!e->sites) {
		php_error_docref(NULL, E_WARNING, "zendmm_ext.sites: out of memory for the site table; no sites are recorded");
		return;
	}
	e->sites_started = false;
}

/* the first RINIT: from now on, code outside user frames is PHP's own */
void engine_sites_request_started(zendmm_engine_state *e)
{
	e->sites_started = true;
}

void engine_sites_reset(zendmm_engine_state *e)
{
	zmm_sites_reset(e->sites);
}

void engine_sites_close(zendmm_engine_state *e)
{
	zmm_sites_destroy(e->sites);
	e->sites = NULL;
}

static const char *engine_sites_outside_user_code(zendmm_engine_state *e)
{
	if (!e->sites_started) {
		return "(startup)";
	}
	return (EG(flags) & EG_FLAGS_IN_SHUTDOWN) ? "(shutdown)" : "(internal)";
}

void engine_sites_alloc(zendmm_engine_state *e, void *p, size_t size)
{
	zmm_site_id site = zendmm_sites_capture(e->sites, engine_process.sites_depth,
		engine_sites_outside_user_code(e));
	zmm_sites_record(e->sites, p, size, site);
}

void engine_sites_free(zendmm_engine_state *e, void *p)
{
	zmm_sites_forget(e->sites, p);
}

void engine_sites_realloc(zendmm_engine_state *e, void *old_ptr, void *p, size_t size)
{
	zmm_sites_move(e->sites, old_ptr, p, size);
}

/*
 * binding/engine/install.c - whether the mode runs, and putting it in place.
 *
 * MINIT makes one core heap (the engine heap) from 5.3's defaults, the
 * zendmm_ext INI settings and the 5.3 environment, and installs the custom
 * handlers on PHP's heap; on ZTS that is the startup thread's, and every
 * later thread gets one made from the same configuration (threads.c).
 * Refused, with a startup warning and PHP's own heap in use (phpinfo says
 * why): another custom allocator already installed (USE_ZEND_ALLOC=0, PHP's
 * tracked allocator, a debugger or profiler).
 */
#include "engine.h"
#include "engine_valgrind.h"

#ifdef _WIN32
# include <windows.h>
#else
# include <dlfcn.h>
#endif

#include "php_globals.h"

/* the calling thread's engine heap, while it serves PHP */
zmm_heap *zendmm_engine_heap(void)
{
	zendmm_engine_state *e = ENGINE_SELF();
	return e->on ? e->heap : NULL;
}

static ZEND_COLD void engine_refuse(const char *why)
{
	snprintf(engine_process.refused, sizeof(engine_process.refused), "%s", why);
	php_error_docref(NULL, E_WARNING, "zendmm_ext.engine=1 refused: %s; PHP's own heap is used", why);
}

/* PHP frees its heap through our handler after unloading this module: keep
 * the code mapped for that call. */
static bool engine_pin_module(void)
{
#ifdef _WIN32
	HMODULE self;
	return GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
		(LPCSTR)(void *)engine_free, &self) != 0;
#else
	Dl_info info;
	if (!dladdr((void *)engine_free, &info) || !info.dli_fname) {
		return false;
	}
	return dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE) != NULL;
#endif
}

/* The engine heap's configuration: 5.3's default heap with the extension's
 * settings, as MINIT finds them; every thread's engine heap is made from it. */
static void engine_make_config(zmm_config *cfg)
{
	zendmm_default_config(cfg);
	cfg->track_blocks = false;   /* routing uses the segment registry, not the block index */
	cfg->alignment = ZENDMM_ENGINE_ALIGNMENT;
	cfg->limit = PG(memory_limit) < 0 ? ZMM_NO_LIMIT : (size_t)PG(memory_limit);
	cfg->error_ctx = NULL;
}

/* The calling thread's engine heap: made, and put on the thread's PHP heap. */
bool engine_start(zendmm_engine_state *e, zendmm_error_state *error, char *err, size_t err_len)
{
	zmm_config cfg = engine_process.config;

	e->php_heap = zend_mm_get_heap();
	if (zend_mm_is_custom_heap(e->php_heap)) {
		snprintf(err, err_len, "PHP's heap already has custom handlers (USE_ZEND_ALLOC=0, a debugger or a memory profiler)");
		return false;
	}
	e->error = error;
	cfg.error_ctx = error;
	e->heap = zmm_heap_create(&cfg, err, err_len);
	if (!e->heap) {
		return false;
	}
	e->owns_memo = zmm_heap_owns_memo(e->heap);
	if (engine_process.valgrind) {
		if (e->number == 0) {   /* the same configuration: the same header in every thread */
			zmm_stats st;
			zmm_heap_stats(e->heap, &st);
			engine_process.vg_header = st.header_size;
		}
		ZENDMM_VG_POOL_CREATE(e->heap);
	}
	engine_trace_open(e);
	engine_sites_open(e);
	e->on = true;
	engine_set_serving(e, true); /* what startup leaves is dropped at the first reset (zendmm_engine_rinit) */
	engine_handlers_install(e);
	return true;
}

/* MINIT: the mode for the process, and the startup thread's engine heap. */
static void engine_install(void)
{
	char err[256] = "";

	if (zend_mm_is_custom_heap(zend_mm_get_heap())) {
		engine_refuse("PHP's heap already has custom handlers (USE_ZEND_ALLOC=0, a debugger or a memory profiler)");
		return;
	}
	if (!engine_limit_hook_possible()) {
		engine_refuse("the memory_limit setting was not found");
		return;
	}
	if (!engine_pin_module()) {
		engine_refuse("the extension could not keep itself loaded until PHP's heap is shut down");
		return;
	}
	engine_make_config(&engine_process.config);
	engine_process.valgrind = ZENDMM_VG_RUNNING();
	engine_process.sites = zendmm_sites_engine_requested();
	engine_process.sites_depth = zendmm_sites_default_depth();
	engine_main.number = 0;
	if (!engine_start(&engine_main, &ZENDMM_G(process_error), err, sizeof(err))) {
		char why[384];
		snprintf(why, sizeof(why), "the engine heap could not be made (%s)", err[0] ? err : "unknown reason");
		engine_refuse(why);
		return;
	}
	engine_wrap_functions();
	engine_limit_hook_install();
	engine_process.on = true;
}

void zendmm_engine_minit(int type, int module_number)
{
	engine_process.refused[0] = '\0';
	engine_ini_register(type, module_number);
	if (engine_process.requested) {
		engine_install();
	}
}

void zendmm_engine_mshutdown(void)
{
	if (!engine_process.on) {
		return;
	}
	/* The handlers stay: PHP still frees engine blocks after this, and its
	 * final free of the heap pointer does the full shutdown. */
	engine_unwrap_functions();
	engine_limit_hook_remove();
}

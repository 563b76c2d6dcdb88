/*
 * binding/engine/install.c - whether the mode runs, and putting it in place.
 *
 * MINIT makes one core heap (the engine heap) from 5.3's defaults, the
 * zendmm_ext INI settings and the 5.3 environment, and installs the custom
 * handlers on PHP's heap. Refused, with a startup warning and PHP's own heap
 * in use (phpinfo says why): another custom allocator already installed
 * (USE_ZEND_ALLOC=0, PHP's tracked allocator, a debugger or profiler), or a
 * thread-safe build.
 */
#include "engine.h"
#include "engine_valgrind.h"

#ifdef _WIN32
# include <windows.h>
#else
# include <dlfcn.h>
#endif

#include "php_globals.h"

zmm_heap *zendmm_engine_heap(void)
{
	return engine.on ? engine.heap : NULL;
}

static ZEND_COLD void engine_refuse(const char *why)
{
	snprintf(engine.refused, sizeof(engine.refused), "%s", why);
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

/* The engine heap, made as 5.3's default heap with the extension's settings. */
static zmm_heap *engine_make_heap(char *err, size_t err_len)
{
	zmm_config cfg;
	zendmm_default_config(&cfg);
	cfg.track_blocks = false;   /* routing uses the segment registry, not the block index */
	cfg.alignment = ZENDMM_ENGINE_ALIGNMENT;
	cfg.limit = PG(memory_limit) < 0 ? ZMM_NO_LIMIT : (size_t)PG(memory_limit);
	cfg.error_ctx = &ZENDMM_G(process_error);
	return zmm_heap_create(&cfg, err, err_len);
}

static void engine_install(void)
{
	char err[256] = "";

#ifdef ZTS
	engine_refuse("this PHP is a thread-safe (ZTS) build, where one heap would serve every thread");
	return;
#endif
	engine.php_heap = zend_mm_get_heap();
	if (zend_mm_is_custom_heap(engine.php_heap)) {
		engine_refuse("PHP's heap already has custom handlers (USE_ZEND_ALLOC=0, a debugger or a memory profiler)");
		return;
	}
	if (!engine_limit_hook_possible()) {
		engine_refuse("the memory_limit setting was not found");
		return;
	}
	engine.heap = engine_make_heap(err, sizeof(err));
	if (!engine.heap) {
		char why[384];
		snprintf(why, sizeof(why), "the engine heap could not be made (%s)", err[0] ? err : "unknown reason");
		engine_refuse(why);
		return;
	}
	engine.owns_memo = zmm_heap_owns_memo(engine.heap);
	if (!engine_pin_module()) {
		zmm_heap_destroy(engine.heap);
		engine.heap = NULL;
		engine_refuse("the extension could not keep itself loaded until PHP's heap is shut down");
		return;
	}
	engine.valgrind = ZENDMM_VG_RUNNING();
	if (engine.valgrind) {
		zmm_stats st;
		zmm_heap_stats(engine.heap, &st);
		engine.vg_header = st.header_size;
		ZENDMM_VG_POOL_CREATE(engine.heap);
	}
	engine_trace_open();
	engine_sites_open();
	engine_wrap_functions();
	engine_limit_hook_install();

	engine.on = true;
	engine_set_serving(true); /* what startup leaves is dropped at the first reset (zendmm_engine_rinit) */
	engine_handlers_install();
}

void zendmm_engine_minit(int type, int module_number)
{
	engine.refused[0] = '\0';
	engine_ini_register(type, module_number);
	if (engine.requested) {
		engine_install();
	}
}

void zendmm_engine_mshutdown(void)
{
	if (!engine.on) {
		return;
	}
	/* The handlers stay: PHP still frees engine blocks after this, and its
	 * final free of the heap pointer does the full shutdown. */
	engine_unwrap_functions();
	engine_limit_hook_remove();
}

/*
 * binding/engine/engine.h - what the files of the engine heap share
 * (zendmm_ext.engine=1: PHP itself on the 5.3 heap).
 *
 * The mode, one concern a file:
 *   install.c    the decision to run (or refuse), making the heap, pinning
 *                the module, MINIT/MSHUTDOWN
 *   handlers.c   the custom handlers PHP's emalloc/efree/erealloc call, and
 *                the fatal error of a failed allocation
 *   forward.c    PHP's own allocator, for the blocks the engine heap did not make
 *   valgrind.c   the handlers' variants that describe blocks to memcheck
 *   trace.c      zendmm_ext.engine_trace: the engine heap recorded
 *   sites.c      zendmm_ext.sites: the site of every block, beside the heap
 *   functions.c  PHP functions that read or act on the engine heap instead of
 *                PHP's (memory_get_usage() ...), and the zendmm_* ones refused on it
 *   ini.c        the mode's INI entries, and memory_limit as the engine heap's limit
 *   lifecycle.c  the request lifecycle: 5.3's partial shutdown, the full one
 *   mm_hooks.c   putting the handlers on PHP's heap; PHP >= 8.4's _gc and
 *                _shutdown handlers (the partial shutdown at the request's end)
 *   info.c       phpinfo
 *
 * Routing. New blocks come from the engine heap while it serves a request;
 * a block it did not make (allocated before installation, or between two
 * requests) is freed and resized by PHP's own allocator, with the handlers
 * off for that one call. zmm_heap_owns() tells the two apart without reading
 * the block.
 *
 * Lifecycle. PHP >= 8.4 calls the heap's _shutdown handler when it shuts its
 * heap down at the end of each request, after its last efree: 5.3's partial
 * shutdown runs there, and the engine heap serves between requests as 5.3's
 * did (mm_hooks.c). On 8.2 no module hook runs after PHP's last efree of a
 * request, so the partial shutdown cannot happen at the request's end: at
 * post_deactivate new allocations go back to PHP's own heap (frees keep
 * routing by address), and the engine heap's partial shutdown runs at the
 * next RINIT. Memory of a request that died of a fatal error is reclaimed by
 * the same reset. The full shutdown comes after PHP has unloaded the modules:
 * PHP calls the custom free on its heap pointer itself. So the .so keeps
 * itself mapped (RTLD_NODELETE), and that call destroys the engine heap,
 * takes the handlers off and lets PHP shut its own heap down.
 *
 * State. Everything the mode knows is in one struct, `engine` (the handlers
 * read a few of its flags on every call: kept together, hidden visibility,
 * so the fast path is a PC-relative load).
 */
#ifndef ZENDMM_BINDING_ENGINE_H
#define ZENDMM_BINDING_ENGINE_H

#include "../binding.h"
#include "php_ini.h"
#include "trace.h"
#include "../mm_hooks.h"

/* DEPARTURE: 5.3 aligned blocks to 8 bytes on x86-64; PHP 8's code relies on
 * 16 (ext/hash's XXH3 state is touched with aligned SSE moves), so the heap
 * that serves PHP 8 uses the core's 16-byte alignment. */
#define ZENDMM_ENGINE_ALIGNMENT 16

typedef struct zendmm_engine_state {
	bool          requested;   /* zendmm_ext.engine=1 */
	bool          on;          /* our handlers are installed */
	bool          serving;     /* new allocations come from the engine heap */
	bool          reset_due;   /* a request ended: reset at the next RINIT */
	bool          reporting;   /* a limit or out-of-memory error is being raised */
	bool          valgrind;    /* running under valgrind: describe blocks to memcheck */
	bool          plain;       /* neither valgrind, the engine trace nor sites: the handlers' fast path */
	bool          fast_alloc;  /* serving && plain, one test on every emalloc */
	size_t        vg_header;   /* the engine heap's block header size, for memcheck */
	zmm_heap     *heap;
	const zmm_owns_memo *owns_memo; /* the heap's, for efree's inline test */
	zend_mm_heap *php_heap;
	char          refused[256];/* why the mode is off although it was asked for */
	zmm_trace_writer *trace;   /* zendmm_ext.engine_trace: every engine-heap call */
	char          trace_path[MAXPATHLEN];
	char          trace_state[MAXPATHLEN + 128]; /* for phpinfo */
	struct zmm_sites *sites;   /* zendmm_ext.sites: the site of every block (sites.c) */
	unsigned      sites_depth; /* zendmm_ext.sites_depth */
	bool          sites_started; /* the first RINIT ran: no user code is "(internal)", not "(startup)" */
	ZEND_INI_MH((*orig_memory_limit));
} zendmm_engine_state;

extern zendmm_engine_state engine;

/* handlers.c */
/* ZENDMM_MM_DC: the file and line PHP >= 8.4 passes on debug builds (mm_hooks.h) */
void *engine_malloc(size_t size ZENDMM_MM_DC);
void engine_free(void *ptr ZENDMM_MM_DC);
void *engine_realloc(void *ptr, size_t size ZENDMM_MM_DC);
ZEND_COLD ZEND_NORETURN void engine_fail(void);
void engine_update_flags(void);
void engine_set_serving(bool serving);

/* forward.c: PHP's own allocator, handlers off for the call */
void *engine_php_alloc(size_t size);
void engine_php_free(void *ptr);
void *engine_php_realloc(void *ptr, size_t size);

/* valgrind.c: the handlers' memcheck variants (engine.valgrind) */
ZEND_COLD void *engine_malloc_vg(size_t size);
ZEND_COLD void engine_free_vg(void *ptr);
ZEND_COLD void *engine_realloc_vg(void *ptr, size_t size);

/* trace.c */
void engine_trace_open(void);
void engine_trace_close(void);
void engine_trace_flush(void);
const char *engine_trace_describe(void);

/* sites.c: zendmm_ext.sites, called from the slow paths (engine.sites) */
void engine_sites_open(void);
void engine_sites_request_started(void);
void engine_sites_reset(void);
void engine_sites_close(void);
void engine_sites_alloc(void *p, size_t size);
void engine_sites_free(void *p);
void engine_sites_realloc(void *old_ptr, void *p, size_t size);

/* functions.c */
void engine_wrap_functions(void);
void engine_unwrap_functions(void);

/* ini.c */
void engine_ini_register(int type, int module_number);
bool engine_limit_hook_possible(void);
void engine_limit_hook_install(void);
void engine_limit_hook_remove(void);

/* lifecycle.c */
void engine_partial_shutdown(void);
ZEND_COLD void engine_full_shutdown(void);

/* mm_hooks.c: the handlers put on PHP's heap, with PHP >= 8.4's _gc and
 * _shutdown (which end each request in the handler itself) */
void engine_handlers_install(void);
void engine_handlers_remove(void);

#endif

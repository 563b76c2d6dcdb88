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
 *   threads.c    ZTS: a heap for every thread, made and destroyed with the
 *                thread's module globals
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
 * Threads (ZTS). As 5.3 made one heap per thread (its alloc_globals_ctor),
 * each thread's PHP heap gets a core heap of its own: the thread that starts
 * PHP gets it at MINIT, every later thread in the module's globals
 * constructor, which TSRM runs for the new thread after zend_alloc's own
 * (threads.c). Each thread has its state (zendmm_engine_state); what all
 * threads share is written at MINIT only and read-only after
 * (zendmm_engine_process). The handlers take no heap argument: the startup
 * thread's heap has the handlers bound to its state (engine_main), every
 * other thread's has the ones that find the state through the module
 * globals (ZENDMM_G(engine), read through the TSRMLS cache: no lock).
 *
 * State. Everything a thread's mode knows is in one struct (the handlers
 * read a few of its flags on every call: kept together; engine_main has
 * hidden visibility, so the startup thread's fast path is a PC-relative load).
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

/* one thread's engine heap (the startup thread's: engine_main) */
typedef struct zendmm_engine_state {
	bool          on;          /* our handlers are installed on this thread's PHP heap */
	bool          serving;     /* new allocations come from the engine heap */
	bool          reset_due;   /* a request ended: reset at the next RINIT */
	bool          reporting;   /* a limit or out-of-memory error is being raised */
	bool          plain;       /* neither valgrind, the engine trace nor sites: the handlers' fast path */
	bool          fast_alloc;  /* serving && plain, one test on every emalloc */
	zmm_heap     *heap;
	const zmm_owns_memo *owns_memo; /* the heap's, for efree's inline test */
	zend_mm_heap *php_heap;    /* this thread's PHP heap */
	zendmm_error_state *error; /* where the core reports (the thread's process_error) */
	unsigned      number;      /* 0: the startup thread; 1, 2 ...: the threads after it */
	zmm_trace_writer *trace;   /* zendmm_ext.engine_trace: every engine-heap call */
	char          trace_path[MAXPATHLEN]; /* this thread's file (trace.c) */
	char          trace_state[MAXPATHLEN + 128]; /* for phpinfo */
	struct zmm_sites *sites;   /* zendmm_ext.sites: the site of every block (sites.c) */
	bool          sites_started; /* the first RINIT ran: no user code is "(internal)", not "(startup)" */
	char          not_made[256]; /* ZTS: why this thread's engine heap could not be made (phpinfo) */
} zendmm_engine_state;

/* what every thread shares: written at MINIT (the startup thread, before
 * any other exists), read-only after */
typedef struct zendmm_engine_process {
	bool          requested;   /* zendmm_ext.engine=1 */
	bool          on;          /* the mode runs (the startup thread's heap was made) */
	bool          started;     /* MINIT ran: the INI handlers' reruns in new threads change nothing */
	bool          valgrind;    /* running under valgrind: describe blocks to memcheck */
	size_t        vg_header;   /* the engine heap's block header size, for memcheck */
	zmm_config    config;      /* every thread's engine heap is made from it */
	char          refused[256];/* why the mode is off although it was asked for */
	char          trace_path[MAXPATHLEN]; /* zendmm_ext.engine_trace */
	unsigned      sites_depth; /* zendmm_ext.sites_depth */
	bool          sites;       /* zendmm_ext.sites=1 */
	ZEND_INI_MH((*orig_memory_limit));
} zendmm_engine_process;

extern zendmm_engine_state engine_main;
extern zendmm_engine_process engine_process;

/* The calling thread's state: never NULL (a thread without the mode has a
 * state whose `on` is false). Not for the handlers of the startup thread,
 * which run after its module globals are gone (engine_main itself). */
#ifdef ZTS
extern zendmm_engine_state engine_none;
# define ENGINE_SELF() (ZENDMM_G(engine) ? ZENDMM_G(engine) : &engine_none)
#else
# define ENGINE_SELF() (&engine_main)
#endif

/* handlers.c: the startup thread's set (bound to engine_main) and, on ZTS,
 * the set of the other threads (the state from the module globals) */
/* ZENDMM_MM_DC: the file and line PHP >= 8.4 passes on debug builds (mm_hooks.h) */
void *engine_malloc(size_t size ZENDMM_MM_DC);
void engine_free(void *ptr ZENDMM_MM_DC);
void *engine_realloc(void *ptr, size_t size ZENDMM_MM_DC);
#ifdef ZTS
void *engine_malloc_thread(size_t size ZENDMM_MM_DC);
void engine_free_thread(void *ptr ZENDMM_MM_DC);
void *engine_realloc_thread(void *ptr, size_t size ZENDMM_MM_DC);
#endif
ZEND_COLD ZEND_NORETURN void engine_fail(zendmm_engine_state *e);
void engine_update_flags(zendmm_engine_state *e);
void engine_set_serving(zendmm_engine_state *e, bool serving);

/* forward.c: PHP's own allocator, handlers off for the call */
void *engine_php_alloc(zendmm_engine_state *e, size_t size);
void engine_php_free(zendmm_engine_state *e, void *ptr);
void *engine_php_realloc(zendmm_engine_state *e, void *ptr, size_t size);

/* valgrind.c: the handlers' memcheck variants (engine_process.valgrind) */
ZEND_COLD void *engine_malloc_vg(zendmm_engine_state *e, size_t size);
ZEND_COLD void engine_free_vg(zendmm_engine_state *e, void *ptr);
ZEND_COLD void *engine_realloc_vg(zendmm_engine_state *e, void *ptr, size_t size);

/* trace.c */
void engine_trace_open(zendmm_engine_state *e);
void engine_trace_close(zendmm_engine_state *e);
void engine_trace_flush(zendmm_engine_state *e);
const char *engine_trace_describe(zendmm_engine_state *e);

/* sites.c: zendmm_ext.sites, called from the slow paths (e->sites) */
void engine_sites_open(zendmm_engine_state *e);
void engine_sites_request_started(zendmm_engine_state *e);
void engine_sites_reset(zendmm_engine_state *e);
void engine_sites_close(zendmm_engine_state *e);
void engine_sites_alloc(zendmm_engine_state *e, void *p, size_t size);
void engine_sites_free(zendmm_engine_state *e, void *p);
void engine_sites_realloc(zendmm_engine_state *e, void *old_ptr, void *p, size_t size);

/* functions.c */
void engine_wrap_functions(void);
void engine_unwrap_functions(void);

/* ini.c */
void engine_ini_register(int type, int module_number);
bool engine_limit_hook_possible(void);
void engine_limit_hook_install(void);
void engine_limit_hook_remove(void);

/* install.c: a thread's engine heap made and put on its PHP heap (false: the
 * thread runs on PHP's own heap, why in err) */
bool engine_start(zendmm_engine_state *e, zendmm_error_state *error, char *err, size_t err_len);

/* threads.c */
#ifdef ZTS
unsigned engine_threads_made_count(void);   /* engine heaps made for threads after the first */
unsigned engine_threads_ended_count(void);  /* and ended with their threads */
unsigned engine_threads_failed_count(void); /* threads whose engine heap could not be made */
#endif

/* lifecycle.c */
void engine_partial_shutdown(zendmm_engine_state *e);
ZEND_COLD void engine_full_shutdown(zendmm_engine_state *e);
void engine_end(zendmm_engine_state *e);

/* mm_hooks.c: the handlers put on the thread's PHP heap, with PHP >= 8.4's
 * _gc and _shutdown (which end each request in the handler itself) */
void engine_handlers_install(zendmm_engine_state *e);
void engine_handlers_remove(zendmm_engine_state *e);

#endif

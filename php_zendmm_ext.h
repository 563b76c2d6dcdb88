/*
 * zendmm_ext - the PHP 5.3 Zend memory manager as a separate heap driven
 * from PHP scripts. This header is the PHP side of the binding only; the
 * heap itself is the core in src/ (src/core/zendmm.h).
 */
#ifndef PHP_ZENDMM_EXT_H
#define PHP_ZENDMM_EXT_H

#include "zendmm.h"

extern zend_module_entry zendmm_ext_module_entry;
#define phpext_zendmm_ext_ptr &zendmm_ext_module_entry

#define PHP_ZENDMM_EXT_VERSION "0.1.0"

#ifdef ZTS
# include "TSRM.h"
#endif

/* What the heap's error callback recorded during the last call. */
typedef struct zendmm_error_state {
	zmm_error_kind kind;
	char           message[256];
} zendmm_error_state;

ZEND_BEGIN_MODULE_GLOBALS(zendmm_ext)
	/* INI: defaults of new heaps (the environment wins over these) */
	char      *ini_mem_type;
	zend_long  ini_segment_size;
	zend_long  ini_compact_size;
	zend_long  ini_limit;          /* -1: no limit */
	bool       ini_exact_fit;      /* large blocks by true best fit */
	bool       ini_cache_stat;     /* count the cache statistics */
	/* the process-wide heap (zendmm_heap()) of this thread */
	zmm_heap          *process_heap;
	zmm_config         process_config;
	zendmm_error_state process_error;
	zend_object       *process_object; /* the wrapper handed out during this request */
	char               process_problem[256];  /* why this thread has no process heap */
	char               process_fallback[512]; /* why it uses the built-in defaults */
	/* zendmm_ext.engine=1: this thread's engine heap (binding/engine/threads.c) */
	struct zendmm_engine_state *engine;
ZEND_END_MODULE_GLOBALS(zendmm_ext)

ZEND_EXTERN_MODULE_GLOBALS(zendmm_ext)
#define ZENDMM_G(v) ZEND_MODULE_GLOBALS_ACCESSOR(zendmm_ext, v)

#if defined(ZTS) && defined(COMPILE_DL_ZENDMM_EXT)
ZEND_TSRMLS_CACHE_EXTERN()
#endif

#endif /* PHP_ZENDMM_EXT_H */

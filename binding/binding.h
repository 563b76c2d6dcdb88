/*
 * binding/binding.h - what the binding's files share, private to them.
 *
 * zendmm_ext.c is the module's front door (lifecycle, INI, environment,
 * phpinfo, class registration); each file of binding/ holds one group of
 * userland functions. Their PHP_FUNCTIONs are not static: the function table
 * in the generated arginfo (included by zendmm_ext.c alone, as it defines
 * static tables) declares and points at them. Nothing here is exported from
 * the shared object (-fvisibility=hidden; only get_module is).
 */
#ifndef ZENDMM_BINDING_H
#define ZENDMM_BINDING_H

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "php.h"
#include "zend_exceptions.h"

#include "php_zendmm_ext.h"

/* ------------------------------------------------------------------------ */
/* classes (registered in zendmm_ext.c's MINIT)                              */

extern zend_class_entry *zendmm_heap_ce;
extern zend_class_entry *zendmm_exception_ce;
extern zend_class_entry *zendmm_limit_exception_ce;
extern zend_class_entry *zendmm_oom_exception_ce;

typedef struct zendmm_heap_object {
	zmm_heap          *heap;       /* owned heap; always NULL in the process heap's wrapper */
	zmm_config         config;     /* what an owned heap was made from */
	zendmm_error_state error;      /* error state of an owned heap */
	char               problem[256]; /* why heap is NULL, if it is */
	bool               is_process; /* wraps the process-wide heap (never destroys it) */
	struct zmm_sites  *sites;      /* 'sites' => true: the site of each block (binding/sites.c) */
	unsigned           sites_depth;/* frames per call path */
	zend_object        std;
} zendmm_heap_object;

static zend_always_inline zendmm_heap_object *zendmm_heap_from_obj(zend_object *obj)
{
	return (zendmm_heap_object *)((char *)obj - offsetof(zendmm_heap_object, std));
}

#define Z_ZENDMM_HEAP_P(zv) zendmm_heap_from_obj(Z_OBJ_P(zv))

/* ------------------------------------------------------------------------ */
/* zendmm_ext.c: configuration (built-in defaults < INI < environment)       */

extern char zendmm_scheme_list[256];    /* "malloc, mmap_anon, mmap_zero": filled at MINIT */

void zendmm_append(char *buf, size_t len, const char *text);
/* MINIT has run: the INI handlers' STARTUP reruns in a new thread (ZTS)
 * leave the process-wide settings as MINIT's run set them */
bool zendmm_startup_done(void);
/* A new heap's configuration before its options: 5.3's defaults, then the
 * INI settings, then the environment. */
void zendmm_default_config(zmm_config *cfg);
/* 5.3's zend_set_memory_limit never let the limit fall below one segment. */
void zendmm_clamp_limit(zmm_config *cfg);

/* ------------------------------------------------------------------------ */
/* binding/engine/: PHP itself on the 5.3 heap (zendmm_ext.engine=1)         */

/* MINIT, after the environment was read, the process heap made and the
 * recorder's gc_mem_caches() wrapper installed: registers the INI switch
 * and, when it is on, installs the engine heap. */
void zendmm_engine_minit(int type, int module_number);
void zendmm_engine_mshutdown(void);
/* the module's globals constructor and destructor: on ZTS, each thread's
 * engine heap is made and destroyed with them (binding/engine/threads.c) */
void zendmm_engine_ginit(zend_zendmm_ext_globals *g);
void zendmm_engine_gshutdown(zend_zendmm_ext_globals *g);
/* first thing at RINIT: 5.3's partial shutdown of the previous request */
void zendmm_engine_rinit(void);
/* the module's post_deactivate: new allocations leave the engine heap */
void zendmm_engine_post_deactivate(void);
/* phpinfo rows (inside the module's table) */
void zendmm_engine_minfo(void);
/* The engine heap while it serves PHP, else NULL: zendmm_heap() stands for it. */
zmm_heap *zendmm_engine_heap(void);

/* ------------------------------------------------------------------------ */
/* binding/heaps.c: the heap object, errors, the process heap                */

void zendmm_error_cb(zmm_heap *heap, zmm_error_kind kind, const char *message, void *ctx);
/* Throw what the core reported; fallback is the text when it reported nothing. */
ZEND_COLD void zendmm_throw(const zendmm_error_state *state, const char *fallback);
ZEND_COLD void zendmm_bad_ptr(uint32_t arg_num);

/* Lifecycle of the heap object and the process heap, called by zendmm_ext.c. */
void zendmm_heaps_minit(void);
void zendmm_heaps_mshutdown(void);
void zendmm_heaps_rinit(void);
void zendmm_heaps_rshutdown(void);

static zend_always_inline void zendmm_error_reset(zendmm_error_state *state)
{
	state->kind = ZMM_OK;
}

/* The heap behind an object and where its errors go; NULL (with an
 * exception thrown) when it has none. Inline: every call of the userland
 * API goes through it. */
static zend_always_inline zmm_heap *zendmm_heap_get(zval *zv, zendmm_error_state **state)
{
	zendmm_heap_object *o = Z_ZENDMM_HEAP_P(zv);
	zmm_heap *heap;
	const char *problem;

	if (EXPECTED(!o->is_process)) {
		heap = o->heap;
		*state = &o->error;
		problem = o->problem;
	} else {
		heap = zendmm_engine_heap() ? zendmm_engine_heap() : ZENDMM_G(process_heap);
		*state = &ZENDMM_G(process_error);
		problem = ZENDMM_G(process_problem);
	}
	if (UNEXPECTED(!heap)) {
		zend_throw_exception_ex(zendmm_exception_ce, 0, "This heap is not available: %s", problem);
		return NULL;
	}
	zendmm_error_reset(*state);
	return heap;
}

#define ZENDMM_HEAP_FETCH(zv, heap, state) do { \
		(heap) = zendmm_heap_get((zv), &(state)); \
		if (UNEXPECTED(!(heap))) { \
			RETURN_THROWS(); \
		} \
	} while (0)

/* The usual call of emalloc/efree, checked by hand: exactly a heap object
 * and an int, and the heap is an owned one that exists. Then *n gets the
 * int, the heap's error state is reset, and the object is returned; NULL
 * for any other call, which the function hands to its general path (ZPP,
 * which coerces or throws the usual errors, and zendmm_heap_get). Both
 * functions are most of a userland pair's cost, and ZPP's general checks
 * and the process-heap case cost more there than the calls into the core. */
static zend_always_inline zendmm_heap_object *zendmm_fast_heap_long(zend_execute_data *execute_data, zend_long *n)
{
	zval *args = ZEND_CALL_ARG(execute_data, 1);
	zendmm_heap_object *o;

	if (UNEXPECTED(ZEND_NUM_ARGS() != 2 || Z_TYPE(args[0]) != IS_OBJECT
			|| Z_OBJCE(args[0]) != zendmm_heap_ce || Z_TYPE(args[1]) != IS_LONG)) {
		return NULL;
	}
	o = Z_ZENDMM_HEAP_P(&args[0]);
	if (UNEXPECTED(!o->heap)) {   /* also the process heap's wrapper (is_process) */
		return NULL;
	}
	zendmm_error_reset(&o->error);
	*n = Z_LVAL(args[1]);
	return o;
}

/* For the functions whose only argument is the heap: parse it and fetch the
 * heap; NULL once an exception is thrown. */
zmm_heap *zendmm_heap_only_arg(INTERNAL_FUNCTION_PARAMETERS);

/* zendmm_heap_create()'s options array applied to cfg (binding/heap_options.c);
 * false once a TypeError/ValueError is thrown. *sites_depth is the 'sites'
 * option's call-path depth, 0 when off. */
bool zendmm_apply_options(HashTable *options, zmm_config *cfg, unsigned *sites_depth);

#define ZENDMM_PTR(l) ((void *)(uintptr_t)(l))
#define ZENDMM_ADDR(p) ((zend_long)(uintptr_t)(p))

#define ZENDMM_CHECK_SIZE(arg_num, v) do { \
		if (UNEXPECTED((v) < 0)) { \
			zend_argument_value_error((arg_num), "must be greater than or equal to 0"); \
			RETURN_THROWS(); \
		} \
	} while (0)

static inline zend_long zendmm_limit_to_long(size_t limit)
{
	return limit == ZMM_NO_LIMIT ? -1 : (zend_long)limit;
}

/* ------------------------------------------------------------------------ */
/* binding/sites.c: allocation sites                                         */

struct zmm_sites;
/* MINIT, before the engine: registers zendmm_ext.sites and .sites_depth */
void zendmm_sites_minit(int type, int module_number);
bool zendmm_sites_engine_requested(void);    /* zendmm_ext.sites=1 */
unsigned zendmm_sites_default_depth(void);   /* zendmm_ext.sites_depth */
void zendmm_sites_minfo(void);               /* the phpinfo row */
/* The site of the running PHP code: the innermost frame of user code and
 * its callers, up to depth frames; no_user_code labels the site when no
 * user code runs ("(internal)", "(startup)"). */
uint32_t zendmm_sites_capture(struct zmm_sites *sites, unsigned depth, const char *no_user_code);
/* the block functions of a heap with sites (o->sites != NULL) */
void zendmm_sites_note_alloc(zendmm_heap_object *o, void *p);
void zendmm_sites_note_realloc(zendmm_heap_object *o, void *old_ptr, void *p);
void zendmm_sites_note_free(zendmm_heap_object *o, void *p);
/* The table of a heap argument: an owned heap's, the engine heap's for
 * zendmm_heap() in the mode; NULL when the heap records no sites. */
struct zmm_sites *zendmm_heap_sites(zval *zh);
/* the engine heap's table (zendmm_ext.sites=1), made and reset by the
 * engine: the calling thread's (binding/engine/sites.c) */
struct zmm_sites *zendmm_engine_sites(void);

/* ------------------------------------------------------------------------ */
/* binding/recorder.c: PHP's own heap recorded as a trace                    */

void zendmm_recorder_minit(void);
void zendmm_recorder_mshutdown(void);
void zendmm_recorder_rinit(void);
void zendmm_recorder_rshutdown(void);

#endif /* ZENDMM_BINDING_H */

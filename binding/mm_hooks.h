/*
 * binding/mm_hooks.h - PHP's custom heap handlers, as each PHP version has them.
 *
 * PHP 8.4 added two handlers to the three (zend_mm_set_custom_handlers_ex):
 * _gc, which zend_mm_gc() (gc_mem_caches()) calls on a custom heap, and
 * _shutdown(full, silent), which zend_mm_shutdown() calls at the end of every
 * request (full false) and at the end of PHP (full true). From 8.4 on the
 * three take ZEND_FILE_LINE_DC ZEND_FILE_LINE_ORIG_DC, which is four more
 * arguments on debug builds. Before 8.4 a debug build has a separate debug
 * set; the plain set, the one this project installs, takes no file and line.
 *
 * Whoever takes handlers off and puts them back (or chains to them) moves all
 * five through this struct, so a set installed before keeps its _gc and
 * _shutdown (zend_mm_set_custom_handlers() alone clears them on 8.4).
 */
#ifndef ZENDMM_BINDING_MM_HOOKS_H
#define ZENDMM_BINDING_MM_HOOKS_H

#include "zend_alloc.h"

#if PHP_VERSION_ID >= 80400
# define ZENDMM_MM_HOOKS_EX 1
/* the extra parameters of a handler, and passing one handler's on to another */
# define ZENDMM_MM_DC        ZEND_FILE_LINE_DC ZEND_FILE_LINE_ORIG_DC
# define ZENDMM_MM_RELAY_CC  ZEND_FILE_LINE_RELAY_CC ZEND_FILE_LINE_ORIG_RELAY_CC
# define ZENDMM_MM_CC        ZEND_FILE_LINE_CC ZEND_FILE_LINE_EMPTY_CC
/* a handler that does not pass its file and line on (-Wextra, debug builds) */
# if ZEND_DEBUG
#  define ZENDMM_MM_UNUSED_DC() ((void)__zend_filename, (void)__zend_lineno, \
	(void)__zend_orig_filename, (void)__zend_orig_lineno)
# else
#  define ZENDMM_MM_UNUSED_DC() ((void)0)
# endif
#else
# define ZENDMM_MM_HOOKS_EX 0
# define ZENDMM_MM_UNUSED_DC() ((void)0)
# define ZENDMM_MM_DC
# define ZENDMM_MM_RELAY_CC
# define ZENDMM_MM_CC
#endif

typedef struct zendmm_mm_handlers {
	void  *(*malloc_fn)(size_t ZENDMM_MM_DC);
	void   (*free_fn)(void * ZENDMM_MM_DC);
	void  *(*realloc_fn)(void *, size_t ZENDMM_MM_DC);
	size_t (*gc_fn)(void);                  /* PHP >= 8.4 only */
	void   (*shutdown_fn)(bool full, bool silent); /* PHP >= 8.4 only */
} zendmm_mm_handlers;

static inline void zendmm_mm_get_handlers(zend_mm_heap *heap, zendmm_mm_handlers *h)
{
#if ZENDMM_MM_HOOKS_EX
	zend_mm_get_custom_handlers_ex(heap, &h->malloc_fn, &h->free_fn, &h->realloc_fn,
		&h->gc_fn, &h->shutdown_fn);
#else
	zend_mm_get_custom_handlers(heap, &h->malloc_fn, &h->free_fn, &h->realloc_fn);
	h->gc_fn = NULL;
	h->shutdown_fn = NULL;
#endif
}

/* NULL malloc_fn takes every handler off */
static inline void zendmm_mm_set_handlers(zend_mm_heap *heap, const zendmm_mm_handlers *h)
{
#if ZENDMM_MM_HOOKS_EX
	zend_mm_set_custom_handlers_ex(heap, h->malloc_fn, h->free_fn, h->realloc_fn,
		h->gc_fn, h->shutdown_fn);
#else
	zend_mm_set_custom_handlers(heap, h->malloc_fn, h->free_fn, h->realloc_fn);
#endif
}

static inline void zendmm_mm_clear_handlers(zend_mm_heap *heap)
{
	static const zendmm_mm_handlers none = {NULL, NULL, NULL, NULL, NULL};
	zendmm_mm_set_handlers(heap, &none);
}

#endif

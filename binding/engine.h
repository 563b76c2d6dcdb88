/*
 * binding/engine.h - PHP itself on the 5.3 heap (zendmm_ext.engine=1).
 *
 * With the switch on, every emalloc/efree/erealloc of PHP is served by one
 * heap of the core (the engine heap) through PHP's custom-handler hooks. The
 * module calls these hooks from its own lifecycle functions.
 */
#ifndef ZENDMM_BINDING_ENGINE_H
#define ZENDMM_BINDING_ENGINE_H

#include "php.h"
#include "zendmm.h"

/* MINIT, after the environment was read and the process heap made: registers
 * the INI switch and, when it is on, installs the engine heap. */
void zendmm_engine_minit(int type, int module_number);
void zendmm_engine_mshutdown(void);
/* first thing at RINIT: 5.3's partial shutdown of the previous request */
void zendmm_engine_rinit(void);
/* the module's post_deactivate: new allocations leave the engine heap */
void zendmm_engine_post_deactivate(void);
/* phpinfo rows (inside the module's table) */
void zendmm_engine_minfo(void);

/* The engine heap while it serves PHP, else NULL. */
zmm_heap *zendmm_engine_heap(void);

/* Provided by the module (zendmm_ext.c): built-in defaults < INI < environment. */
void zendmm_default_config(zmm_config *cfg);

#endif

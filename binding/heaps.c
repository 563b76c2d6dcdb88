/*
 * binding/heaps.c - heaps: the ZendMM\Heap object, the errors the core
 * reports turned into exceptions, zendmm_heap_create() (its options array is
 * parsed in heap_options.c), the process-wide heap (zendmm_heap()) through
 * the request lifecycle, and the calls that change a whole heap (storage,
 * limit, compaction, cache flush, shutdown).
 */

#include "binding.h"
#include "sites.h"

/* ------------------------------------------------------------------------ */
/* errors                                                                    */

void zendmm_error_cb(zmm_heap *heap, zmm_error_kind kind, const char *message, void *ctx)
{
	zendmm_error_state *state = (zendmm_error_state *)ctx;
	(void)heap;
	if (!state) {
		return;
	}
	state->kind = kind;
	snprintf(state->message, sizeof(state->message), "%s", message ? message : "");
}

ZEND_COLD void zendmm_throw(const zendmm_error_state *state, const char *fallback)
{
	zend_class_entry *ce;
	const char *msg = (state->kind != ZMM_OK && state->message[0]) ? state->message : fallback;

	switch (state->kind) {
		case ZMM_ERR_LIMIT:
			ce = zendmm_limit_exception_ce;
			break;
		case ZMM_ERR_OOM:
		case ZMM_ERR_OVERFLOW:
		case ZMM_ERR_STORAGE:
		case ZMM_OK: /* a NULL without a report: treat it as out of memory */
			ce = zendmm_oom_exception_ce;
			break;
		default:
			ce = zendmm_exception_ce;
			break;
	}
	zend_throw_exception(ce, msg, (zend_long)state->kind);
}

ZEND_COLD void zendmm_bad_ptr(uint32_t arg_num)
{
	zend_argument_value_error(arg_num, "must be a live block of this heap");
}

/* ------------------------------------------------------------------------ */
/* the process-wide heap                                                     */

static void zendmm_process_heap_start(void)
{
	char err[256] = "";
	zmm_config cfg;

	ZENDMM_G(process_problem)[0] = '\0';
	ZENDMM_G(process_fallback)[0] = '\0';
	zendmm_default_config(&cfg);
	zendmm_clamp_limit(&cfg);
	cfg.error_ctx = &ZENDMM_G(process_error);

	ZENDMM_G(process_heap) = zmm_heap_create(&cfg, err, sizeof(err));
	if (!ZENDMM_G(process_heap)) {
		/* the INI/environment mix was refused: fall back to 5.3's defaults.
		 * The note is per thread: under ZTS any thread's first RINIT gets here. */
		snprintf(ZENDMM_G(process_fallback), sizeof(ZENDMM_G(process_fallback)),
			"the process heap could not be made from the INI settings and "
			"the environment (%s); it uses the built-in defaults", err[0] ? err : "unknown reason");
		php_error_docref(NULL, E_WARNING, "zendmm_ext: %s", ZENDMM_G(process_fallback));

		zmm_config_defaults(&cfg);
		cfg.track_blocks = true;
		cfg.on_error = zendmm_error_cb;
		cfg.error_ctx = &ZENDMM_G(process_error);
		err[0] = '\0';
		ZENDMM_G(process_heap) = zmm_heap_create(&cfg, err, sizeof(err));
		if (!ZENDMM_G(process_heap)) {
			snprintf(ZENDMM_G(process_problem), sizeof(ZENDMM_G(process_problem)), "%s",
				err[0] ? err : "the heap core could not create a heap");
			php_error_docref(NULL, E_WARNING, "zendmm_ext: no process heap: %s", ZENDMM_G(process_problem));
		}
	}
	ZENDMM_G(process_config) = cfg;
}

static void zendmm_process_heap_stop(void)
{
	if (ZENDMM_G(process_heap)) {
		zmm_heap_destroy(ZENDMM_G(process_heap));
		ZENDMM_G(process_heap) = NULL;
	}
}

/* ------------------------------------------------------------------------ */
/* the ZendMM\Heap object                                                    */

static zend_object_handlers zendmm_heap_handlers;

static zend_object *zendmm_heap_create_object(zend_class_entry *ce)
{
	zendmm_heap_object *o = zend_object_alloc(sizeof(zendmm_heap_object), ce);

	o->heap = NULL;
	o->is_process = false;
	o->sites = NULL;
	o->sites_depth = 0;
	o->error.kind = ZMM_OK;
	o->error.message[0] = '\0';
	strcpy(o->problem, "the heap was never created");
	zend_object_std_init(&o->std, ce);
	object_properties_init(&o->std, ce);
	o->std.handlers = &zendmm_heap_handlers;
	return &o->std;
}

static void zendmm_heap_free_obj(zend_object *object)
{
	zendmm_heap_object *o = zendmm_heap_from_obj(object);

	if (!o->is_process && o->heap) {
		zmm_heap_destroy(o->heap);
		o->heap = NULL;
	}
	zmm_sites_destroy(o->sites);
	o->sites = NULL;
	zend_object_std_dtor(object);
}

static zend_function *zendmm_heap_get_constructor(zend_object *object)
{
	(void)object;
	zend_throw_error(NULL, "Cannot directly construct ZendMM\\Heap, use zendmm_heap_create() instead");
	return NULL;
}

zmm_heap *zendmm_heap_only_arg(INTERNAL_FUNCTION_PARAMETERS)
{
	zval *zh;
	zendmm_error_state *state;

	(void)return_value;
	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
	ZEND_PARSE_PARAMETERS_END_EX(return NULL);

	return zendmm_heap_get(zh, &state);
}

PHP_FUNCTION(zendmm_heap_create)
{
	HashTable *options = NULL;
	zendmm_heap_object *o;
	zmm_config cfg;
	char err[256] = "";
	unsigned sites_depth = 0;

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	zendmm_default_config(&cfg);
	if (options && !zendmm_apply_options(options, &cfg, &sites_depth)) {
		RETURN_THROWS();
	}
	zendmm_clamp_limit(&cfg);
	if (!zmm_config_validate(&cfg, err, sizeof(err))) {
		/* name the option the core's message is about */
		const char *opt = strncmp(err, "segment size", 12) == 0 ? "segment_size"
			: strncmp(err, "reserve size", 12) == 0 ? "reserve_size" : NULL;
		if (opt) {
			zend_argument_value_error(1, "option \"%s\" is refused by the heap core: %s", opt, err);
		} else {
			zend_argument_value_error(1, "describes a heap the core refuses: %s", err[0] ? err : "invalid");
		}
		RETURN_THROWS();
	}

	object_init_ex(return_value, zendmm_heap_ce);
	o = Z_ZENDMM_HEAP_P(return_value);
	cfg.error_ctx = &o->error;
	o->config = cfg;
	o->heap = zmm_heap_create(&cfg, err, sizeof(err));
	if (!o->heap) {
		if (o->error.kind == ZMM_OK) {
			o->error.kind = ZMM_ERR_STORAGE;
			snprintf(o->error.message, sizeof(o->error.message), "%s",
				err[0] ? err : "Cannot create the heap");
		}
		zendmm_throw(&o->error, err);
		zval_ptr_dtor(return_value);
		ZVAL_UNDEF(return_value);
		RETURN_THROWS();
	}
	if (sites_depth) {
		o->sites = zmm_sites_create();
		if (!o->sites) {
			zend_throw_exception(zendmm_oom_exception_ce, "Out of memory: no site table", ZMM_ERR_OOM);
			zval_ptr_dtor(return_value);
			ZVAL_UNDEF(return_value);
			RETURN_THROWS();
		}
		o->sites_depth = sites_depth;
	}
	o->problem[0] = '\0';
}

/* zendmm_heap(): the process-wide heap (PHP's own under zendmm_ext.engine=1) */
PHP_FUNCTION(zendmm_heap)
{
	zend_object *obj;

	ZEND_PARSE_PARAMETERS_NONE();

	if (!ZENDMM_G(process_heap) && !zendmm_engine_heap()) {
		zend_throw_exception_ex(zendmm_exception_ce, 0, "The process heap is not available: %s",
			ZENDMM_G(process_problem));
		RETURN_THROWS();
	}
	if (!ZENDMM_G(process_object)) {
		obj = zendmm_heap_create_object(zendmm_heap_ce);
		zendmm_heap_from_obj(obj)->is_process = true;
		zendmm_heap_from_obj(obj)->problem[0] = '\0';
		ZENDMM_G(process_object) = obj;
	}
	obj = ZENDMM_G(process_object);
	GC_ADDREF(obj);
	RETURN_OBJ(obj);
}

/* ------------------------------------------------------------------------ */
/* whole-heap calls: storage, limit, compaction, cache, shutdown             */

PHP_FUNCTION(zendmm_storage_schemes)
{
	size_t count = 0, i;
	const zmm_storage_handlers *const *schemes;

	ZEND_PARSE_PARAMETERS_NONE();

	schemes = zmm_storage_schemes(&count);
	array_init_size(return_value, (uint32_t)count);
	for (i = 0; i < count; i++) {
		add_next_index_string(return_value, schemes[i]->name);
	}
}

PHP_FUNCTION(zendmm_set_storage)
{
	zval *zh;
	zend_string *scheme;
	zmm_heap *heap;
	zendmm_error_state *state;
	const zmm_storage_handlers *h, *old;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_STR(scheme)
	ZEND_PARSE_PARAMETERS_END();

	h = zmm_storage_find(ZSTR_VAL(scheme));
	if (!h || strlen(ZSTR_VAL(scheme)) != ZSTR_LEN(scheme)) {
		zend_argument_value_error(2, "must be a storage scheme of this build (%s)", zendmm_scheme_list);
		RETURN_THROWS();
	}
	ZENDMM_HEAP_FETCH(zh, heap, state);

	old = zmm_heap_storage(heap);
	if (!zmm_heap_set_storage(heap, h, NULL)) {
		char fallback[128];
		if (state->kind == ZMM_OK) {
			state->kind = ZMM_ERR_STORAGE;
			snprintf(state->message, sizeof(state->message), "Cannot initialize zend_mm storage [%s]", h->name);
		}
		snprintf(fallback, sizeof(fallback), "Cannot initialize zend_mm storage [%s]", h->name);
		zendmm_throw(state, fallback);
		RETURN_THROWS();
	}
	RETURN_STRING(old && old->name ? old->name : "");
}

PHP_FUNCTION(zendmm_set_limit)
{
	zval *zh;
	zend_long limit;
	zmm_heap *heap;
	zendmm_error_state *state;
	size_t old;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(limit)
	ZEND_PARSE_PARAMETERS_END();

	if (limit < -1) {
		zend_argument_value_error(2, "must be -1 (no limit) or greater than or equal to 0");
		RETURN_THROWS();
	}
	ZENDMM_HEAP_FETCH(zh, heap, state);
	(void)state;

	old = zmm_heap_set_limit(heap, limit == -1 ? ZMM_NO_LIMIT : (size_t)limit);
	RETURN_LONG(zendmm_limit_to_long(old));
}


PHP_FUNCTION(zendmm_compact)
{
	zmm_heap *heap;

	heap = zendmm_heap_only_arg(INTERNAL_FUNCTION_PARAM_PASSTHRU);
	if (!heap) {
		RETURN_THROWS();
	}
	RETURN_LONG((zend_long)zmm_heap_compact(heap));
}

PHP_FUNCTION(zendmm_flush_cache)
{
	zmm_heap *heap;

	heap = zendmm_heap_only_arg(INTERNAL_FUNCTION_PARAM_PASSTHRU);
	if (!heap) {
		RETURN_THROWS();
	}
	zmm_heap_flush_cache(heap);
}

/* Full shutdown: the heap goes back to storage entirely, then a new one is
 * made from the same configuration so the object stays usable. */
static zmm_heap *zendmm_recreate(zmm_heap *heap, zmm_config *cfg, char *problem, size_t problem_len)
{
	char err[256] = "";
	zmm_heap *fresh;

	zmm_heap_destroy(heap);
	fresh = zmm_heap_create(cfg, err, sizeof(err));
	if (!fresh) {
		snprintf(problem, problem_len, "the full shutdown could not make it again (%s)",
			err[0] ? err : "unknown reason");
	}
	return fresh;
}

PHP_FUNCTION(zendmm_shutdown)
{
	zval *zh;
	bool full = false;
	zmm_heap *heap;
	zendmm_error_state *state;
	zendmm_heap_object *o;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(full)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_HEAP_FETCH(zh, heap, state);

	o = Z_ZENDMM_HEAP_P(zh);
	zmm_sites_reset(o->sites);   /* every block goes, and its site with it */
	if (!full) {
		zmm_heap_shutdown(heap);
		return;
	}
	if (o->is_process) {
		ZENDMM_G(process_heap) = zendmm_recreate(heap, &ZENDMM_G(process_config),
			ZENDMM_G(process_problem), sizeof(ZENDMM_G(process_problem)));
		heap = ZENDMM_G(process_heap);
	} else {
		o->heap = zendmm_recreate(heap, &o->config, o->problem, sizeof(o->problem));
		heap = o->heap;
	}
	if (!heap) {
		state->kind = ZMM_ERR_STORAGE;
		snprintf(state->message, sizeof(state->message), "%s",
			o->is_process ? ZENDMM_G(process_problem) : o->problem);
		zendmm_throw(state, "Cannot create the heap again");
		RETURN_THROWS();
	}
}

/* ------------------------------------------------------------------------ */
/* lifecycle, called by zendmm_ext.c                                         */

/* After the classes are registered and the environment is read. */
void zendmm_heaps_minit(void)
{
	zendmm_heap_ce->create_object = zendmm_heap_create_object;
	memcpy(&zendmm_heap_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
	zendmm_heap_handlers.offset = offsetof(zendmm_heap_object, std);
	zendmm_heap_handlers.free_obj = zendmm_heap_free_obj;
	zendmm_heap_handlers.get_constructor = zendmm_heap_get_constructor;
	zendmm_heap_handlers.clone_obj = NULL;
	zendmm_heap_handlers.compare = zend_objects_not_comparable;

	/* 5.3's alloc_globals_ctor: the heap is made at startup from the environment */
	zendmm_process_heap_start();
}

void zendmm_heaps_mshutdown(void)
{
	/* 5.3's module shutdown: the full one */
	zendmm_process_heap_stop();
}

void zendmm_heaps_rinit(void)
{
	if (!ZENDMM_G(process_heap) && !ZENDMM_G(process_problem)[0]) {
		zendmm_process_heap_start(); /* a thread that did not run MINIT (ZTS) */
	}
}

void zendmm_heaps_rshutdown(void)
{
	if (ZENDMM_G(process_object)) {
		zend_object *obj = ZENDMM_G(process_object);
		ZENDMM_G(process_object) = NULL;
		OBJ_RELEASE(obj);
	}
	/* 5.3's end of request: a partial shutdown */
	if (ZENDMM_G(process_heap)) {
		zmm_heap_shutdown(ZENDMM_G(process_heap));
	}
}

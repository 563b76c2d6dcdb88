/*
 * zendmm_ext.c - the PHP binding of the zendmm heap core.
 *
 * This file holds no allocator logic: it parses parameters, validates them,
 * turns the core's error callback into exceptions, wraps heaps in
 * ZendMM\Heap objects, reads the INI settings and the environment, and
 * drives the process-wide heap through the request lifecycle. Everything
 * about memory is done by the core through the API of src/zendmm.h.
 */

#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "php.h"
#include "php_ini.h"
#include "ext/standard/info.h"
#include "ext/spl/spl_exceptions.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"

#include "php_zendmm_ext.h"
#include "trace.h"
#include "heapmap.h"
#include "zendmm_ext_arginfo.h"
#include "engine.h"

ZEND_DECLARE_MODULE_GLOBALS(zendmm_ext)

/* ------------------------------------------------------------------------ */
/* classes                                                                   */

static zend_class_entry *zendmm_heap_ce;
static zend_class_entry *zendmm_exception_ce;
static zend_class_entry *zendmm_limit_exception_ce;
static zend_class_entry *zendmm_oom_exception_ce;
static zend_object_handlers zendmm_heap_handlers;

typedef struct zendmm_heap_object {
	zmm_heap          *heap;       /* owned heap; unused for the process heap */
	zmm_config         config;     /* what an owned heap was made from */
	zendmm_error_state error;      /* error state of an owned heap */
	char               problem[256]; /* why heap is NULL, if it is */
	bool               is_process; /* wraps the process-wide heap (never destroys it) */
	zend_object        std;
} zendmm_heap_object;

static zend_always_inline zendmm_heap_object *zendmm_heap_from_obj(zend_object *obj)
{
	return (zendmm_heap_object *)((char *)obj - XtOffsetOf(zendmm_heap_object, std));
}

#define Z_ZENDMM_HEAP_P(zv) zendmm_heap_from_obj(Z_OBJ_P(zv))

/* ------------------------------------------------------------------------ */
/* process-wide state that is not per thread                                 */

/* Bits of zendmm_env_set: which environment variables were given and valid. */
#define ZENDMM_ENV_USE_ZEND_ALLOC (1u << 0)
#define ZENDMM_ENV_MEM_TYPE       (1u << 1)
#define ZENDMM_ENV_SEG_SIZE       (1u << 2)
#define ZENDMM_ENV_COMPACT        (1u << 3)

static const struct {
	const char *name;
	unsigned    bit;
} zendmm_env_vars[] = {
	{ "USE_ZEND_ALLOC",   ZENDMM_ENV_USE_ZEND_ALLOC },
	{ "ZEND_MM_MEM_TYPE", ZENDMM_ENV_MEM_TYPE },
	{ "ZEND_MM_SEG_SIZE", ZENDMM_ENV_SEG_SIZE },
	{ "ZEND_MM_COMPACT",  ZENDMM_ENV_COMPACT },
};

static zmm_config  zendmm_env_config;      /* the environment applied to 5.3's defaults */
static unsigned    zendmm_env_set;         /* ZENDMM_ENV_* bits */
static char        zendmm_env_problems[1024];
static char        zendmm_ini_problems[1024];
static char        zendmm_scheme_list[256]; /* "malloc, mmap_anon, mmap_zero" */
static const char *zendmm_env_only;        /* the one variable zendmm_getenv_one shows */

static void zendmm_append(char *buf, size_t len, const char *text)
{
	size_t used = strlen(buf);
	if (used && used + 2 < len) {
		strcpy(buf + used, "; ");
		used += 2;
	}
	if (used < len) {
		snprintf(buf + used, len - used, "%s", text);
	}
}

/* ------------------------------------------------------------------------ */
/* errors                                                                    */

static void zendmm_error_cb(zmm_heap *heap, zmm_error_kind kind, const char *message, void *ctx)
{
	zendmm_error_state *state = (zendmm_error_state *)ctx;
	(void)heap;
	if (!state) {
		return;
	}
	state->kind = kind;
	snprintf(state->message, sizeof(state->message), "%s", message ? message : "");
}

static zend_always_inline void zendmm_error_reset(zendmm_error_state *state)
{
	state->kind = ZMM_OK;
}

/* Throw what the core reported; fallback is the text when it reported nothing. */
static ZEND_COLD void zendmm_throw(const zendmm_error_state *state, const char *fallback)
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

static ZEND_COLD void zendmm_bad_ptr(uint32_t arg_num)
{
	zend_argument_value_error(arg_num, "must be a live block of this heap");
}

/* ------------------------------------------------------------------------ */
/* configuration: built-in defaults < INI < environment < options            */

void zendmm_default_config(zmm_config *cfg)
{
	zmm_config_defaults(cfg);

	if (ZENDMM_G(ini_mem_type) && ZENDMM_G(ini_mem_type)[0]) {
		const zmm_storage_handlers *h = zmm_storage_find(ZENDMM_G(ini_mem_type));
		if (h) {
			cfg->storage = h;
		}
	}
	if (ZENDMM_G(ini_segment_size) > 0) {
		cfg->segment_size = (size_t)ZENDMM_G(ini_segment_size);
	}
	if (ZENDMM_G(ini_compact_size) >= 0) {
		cfg->compact_size = (size_t)ZENDMM_G(ini_compact_size);
	}
	cfg->limit = ZENDMM_G(ini_limit) < 0 ? ZMM_NO_LIMIT : (size_t)ZENDMM_G(ini_limit);

	if (zendmm_env_set & ZENDMM_ENV_MEM_TYPE) {
		cfg->storage = zendmm_env_config.storage;
		cfg->storage_params = zendmm_env_config.storage_params;
	}
	if (zendmm_env_set & ZENDMM_ENV_SEG_SIZE) {
		cfg->segment_size = zendmm_env_config.segment_size;
	}
	if (zendmm_env_set & ZENDMM_ENV_COMPACT) {
		cfg->compact_size = zendmm_env_config.compact_size;
	}
	if (zendmm_env_set & ZENDMM_ENV_USE_ZEND_ALLOC) {
		cfg->use_zend_alloc = zendmm_env_config.use_zend_alloc;
	}

	cfg->track_blocks = true; /* pointer validation needs it */
	cfg->on_error = zendmm_error_cb;
	cfg->error_ctx = NULL;
}

/* 5.3's zend_set_memory_limit never let the limit fall below one segment. */
static void zendmm_clamp_limit(zmm_config *cfg)
{
	size_t seg = cfg->segment_size ? cfg->segment_size : (size_t)ZMM_SEG_SIZE;
	if (cfg->limit != ZMM_NO_LIMIT && cfg->limit < seg) {
		cfg->limit = seg;
	}
}

static const char *zendmm_getenv_one(const char *name)
{
	if (zendmm_env_only && strcmp(name, zendmm_env_only) == 0) {
		return getenv(name);
	}
	return NULL;
}

/* Read the four 5.3 variables, one at a time so that a bad one only drops
 * itself. A bad value is a warning, never the end of PHP. */
static void zendmm_read_env(void)
{
	size_t i;

	zmm_config_defaults(&zendmm_env_config);
	zendmm_env_set = 0;
	zendmm_env_problems[0] = '\0';

	for (i = 0; i < sizeof(zendmm_env_vars) / sizeof(zendmm_env_vars[0]); i++) {
		const char *name = zendmm_env_vars[i].name;
		const char *value = getenv(name);
		zmm_config tmp;
		char err[256] = "";

		if (!value) {
			continue;
		}
		tmp = zendmm_env_config;
		zendmm_env_only = name;
		if (zmm_config_from_env(&tmp, zendmm_getenv_one, err, sizeof(err))) {
			zendmm_env_config = tmp;
			zendmm_env_set |= zendmm_env_vars[i].bit;
		} else {
			char line[512];
			snprintf(line, sizeof(line), "%s=%s ignored: %s", name, value,
				err[0] ? err : "invalid value");
			zendmm_append(zendmm_env_problems, sizeof(zendmm_env_problems), line);
			php_error_docref(NULL, E_WARNING, "zendmm_ext: %s; using the default", line);
		}
	}
	zendmm_env_only = NULL;
}

/* ------------------------------------------------------------------------ */
/* INI                                                                       */

static void zendmm_ini_problem(zend_ini_entry *entry, zend_string *value, const char *why, int stage)
{
	char line[512];
	snprintf(line, sizeof(line), "%s=\"%s\" refused: %s", ZSTR_VAL(entry->name), ZSTR_VAL(value), why);
	if (stage == ZEND_INI_STAGE_STARTUP) {
		zendmm_append(zendmm_ini_problems, sizeof(zendmm_ini_problems), line);
	}
	php_error_docref(NULL, E_WARNING, "zendmm_ext: %s", line);
}

static bool zendmm_ini_parse(zend_ini_entry *entry, zend_string *value, int stage, long long *out)
{
	if (!zmm_parse_size(ZSTR_VAL(value), out)) {
		zendmm_ini_problem(entry, value, "not a number (digits with an optional k, m or g)", stage);
		return false;
	}
	return true;
}

static ZEND_INI_MH(OnUpdateZendmmMemType)
{
	(void)mh_arg3;
	if (ZSTR_LEN(new_value) && !zmm_storage_find(ZSTR_VAL(new_value))) {
		char why[320];
		snprintf(why, sizeof(why), "not a storage scheme of this build (%s)", zendmm_scheme_list);
		zendmm_ini_problem(entry, new_value, why, stage);
		return FAILURE;
	}
	*(char **)ZEND_INI_GET_ADDR() = ZSTR_VAL(new_value);
	return SUCCESS;
}

static ZEND_INI_MH(OnUpdateZendmmSegSize)
{
	long long v;
	zmm_config cfg;
	char err[256] = "";

	(void)mh_arg3;
	if (!zendmm_ini_parse(entry, new_value, stage, &v)) {
		return FAILURE;
	}
	if (v <= 0 || (v & (v - 1)) != 0) {
		zendmm_ini_problem(entry, new_value, "must be a power of two", stage);
		return FAILURE;
	}
	zmm_config_defaults(&cfg);
	cfg.segment_size = (size_t)v;
	if (!zmm_config_validate(&cfg, err, sizeof(err))) {
		zendmm_ini_problem(entry, new_value, err[0] ? err : "refused by the heap core", stage);
		return FAILURE;
	}
	*(zend_long *)ZEND_INI_GET_ADDR() = (zend_long)v;
	return SUCCESS;
}

static ZEND_INI_MH(OnUpdateZendmmCompactSize)
{
	long long v;

	(void)mh_arg3;
	if (!zendmm_ini_parse(entry, new_value, stage, &v)) {
		return FAILURE;
	}
	if (v < 0) {
		zendmm_ini_problem(entry, new_value, "must be 0 (never compact) or more", stage);
		return FAILURE;
	}
	*(zend_long *)ZEND_INI_GET_ADDR() = (zend_long)v;
	return SUCCESS;
}

static ZEND_INI_MH(OnUpdateZendmmLimit)
{
	long long v;

	(void)mh_arg3;
	if (!zendmm_ini_parse(entry, new_value, stage, &v)) {
		return FAILURE;
	}
	if (v < -1) {
		zendmm_ini_problem(entry, new_value, "must be -1 (no limit) or a size", stage);
		return FAILURE;
	}
	*(zend_long *)ZEND_INI_GET_ADDR() = (zend_long)v;
	return SUCCESS;
}

#ifdef PHP_WIN32
# define ZENDMM_INI_MEM_TYPE "win32"
#else
# define ZENDMM_INI_MEM_TYPE "malloc"
#endif

PHP_INI_BEGIN()
	STD_PHP_INI_ENTRY("zendmm_ext.mem_type", ZENDMM_INI_MEM_TYPE, PHP_INI_ALL,
		OnUpdateZendmmMemType, ini_mem_type, zend_zendmm_ext_globals, zendmm_ext_globals)
	STD_PHP_INI_ENTRY("zendmm_ext.segment_size", "256K", PHP_INI_ALL,
		OnUpdateZendmmSegSize, ini_segment_size, zend_zendmm_ext_globals, zendmm_ext_globals)
	STD_PHP_INI_ENTRY("zendmm_ext.compact_size", "2M", PHP_INI_ALL,
		OnUpdateZendmmCompactSize, ini_compact_size, zend_zendmm_ext_globals, zendmm_ext_globals)
	STD_PHP_INI_ENTRY("zendmm_ext.limit", "-1", PHP_INI_ALL,
		OnUpdateZendmmLimit, ini_limit, zend_zendmm_ext_globals, zendmm_ext_globals)
PHP_INI_END()

/* ------------------------------------------------------------------------ */
/* the process-wide heap                                                     */

static void zendmm_process_heap_start(void)
{
	char err[256] = "";
	zmm_config cfg;

	ZENDMM_G(process_problem)[0] = '\0';
	zendmm_default_config(&cfg);
	zendmm_clamp_limit(&cfg);
	cfg.error_ctx = &ZENDMM_G(process_error);

	ZENDMM_G(process_heap) = zmm_heap_create(&cfg, err, sizeof(err));
	if (!ZENDMM_G(process_heap)) {
		/* the INI/environment mix was refused: fall back to 5.3's defaults */
		char line[512];
		snprintf(line, sizeof(line), "the process heap could not be made from the INI settings and "
			"the environment (%s); it uses the built-in defaults", err[0] ? err : "unknown reason");
		zendmm_append(zendmm_env_problems, sizeof(zendmm_env_problems), line);
		php_error_docref(NULL, E_WARNING, "zendmm_ext: %s", line);

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

static zend_object *zendmm_heap_create_object(zend_class_entry *ce)
{
	zendmm_heap_object *o = zend_object_alloc(sizeof(zendmm_heap_object), ce);

	o->heap = NULL;
	o->is_process = false;
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
	zend_object_std_dtor(object);
}

static zend_function *zendmm_heap_get_constructor(zend_object *object)
{
	(void)object;
	zend_throw_error(NULL, "Cannot directly construct ZendMM\\Heap, use zendmm_heap_create() instead");
	return NULL;
}

/* The heap behind an object and where its errors go; NULL (with an
 * exception thrown) when it has none. */
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

/* For the functions whose only argument is the heap: parse it and fetch the
 * heap; NULL once an exception is thrown. */
static zmm_heap *zendmm_heap_only_arg(INTERNAL_FUNCTION_PARAMETERS)
{
	zval *zh;
	zendmm_error_state *state;

	(void)return_value;
	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
	ZEND_PARSE_PARAMETERS_END_EX(return NULL);

	return zendmm_heap_get(zh, &state);
}

#define ZENDMM_PTR(l) ((void *)(uintptr_t)(l))
#define ZENDMM_ADDR(p) ((zend_long)(uintptr_t)(p))

#define ZENDMM_CHECK_SIZE(arg_num, v) do { \
		if (UNEXPECTED((v) < 0)) { \
			zend_argument_value_error((arg_num), "must be greater than or equal to 0"); \
			RETURN_THROWS(); \
		} \
	} while (0)

/* ------------------------------------------------------------------------ */
/* zendmm_heap_create(array $options = [])                                   */

static bool zendmm_opt_type(const char *name, zval *v, int type)
{
	bool ok = (type == _IS_BOOL) ? (Z_TYPE_P(v) == IS_TRUE || Z_TYPE_P(v) == IS_FALSE) : Z_TYPE_P(v) == type;
	if (!ok) {
		zend_argument_type_error(1, "option \"%s\" must be of type %s, %s given", name,
			type == _IS_BOOL ? "bool" : type == IS_LONG ? "int" : "string", zend_zval_type_name(v));
	}
	return ok;
}

static bool zendmm_opt_size(const char *name, zval *v, size_t *out)
{
	if (!zendmm_opt_type(name, v, IS_LONG)) {
		return false;
	}
	if (Z_LVAL_P(v) < 0) {
		zend_argument_value_error(1, "option \"%s\" must be greater than or equal to 0", name);
		return false;
	}
	*out = (size_t)Z_LVAL_P(v);
	return true;
}

static bool zendmm_opt_bool(const char *name, zval *v, bool *out)
{
	if (!zendmm_opt_type(name, v, _IS_BOOL)) {
		return false;
	}
	*out = Z_TYPE_P(v) == IS_TRUE;
	return true;
}

/* Options that are a plain size (int >= 0) or a bool field of zmm_config. */
typedef struct zendmm_plain_option {
	const char *name;
	size_t      offset;
	bool        is_bool;
} zendmm_plain_option;

static const zendmm_plain_option zendmm_plain_options[] = {
	{"compact_size",   offsetof(zmm_config, compact_size),   false},
	{"reserve_size",   offsetof(zmm_config, reserve_size),   false},
	{"cache_size",     offsetof(zmm_config, cache_size),     false},
	{"cache",          offsetof(zmm_config, cache),          true},
	{"use_zend_alloc", offsetof(zmm_config, use_zend_alloc), true},
	{"cookies",        offsetof(zmm_config, cookies),        true},
	{"protection",     offsetof(zmm_config, protection),     true},
	{"fill_freed",     offsetof(zmm_config, fill_freed),     true},
};

static const zendmm_plain_option *zendmm_find_plain_option(const zend_string *key)
{
	for (size_t i = 0; i < sizeof zendmm_plain_options / sizeof zendmm_plain_options[0]; i++) {
		if (zend_string_equals_cstr(key, zendmm_plain_options[i].name, strlen(zendmm_plain_options[i].name))) {
			return &zendmm_plain_options[i];
		}
	}
	return NULL;
}

static bool zendmm_apply_options(HashTable *options, zmm_config *cfg)
{
	zend_string *key;
	zend_ulong idx;
	zval *v;
	const zendmm_plain_option *opt;

	ZEND_HASH_FOREACH_KEY_VAL(options, idx, key, v) {
		const char *name;

		ZVAL_DEREF(v);
		if (!key) {
			zend_argument_value_error(1, "contains an unknown option " ZEND_ULONG_FMT, idx);
			return false;
		}
		name = ZSTR_VAL(key);
		if (zend_string_equals_literal(key, "storage")) {
			const zmm_storage_handlers *h;
			if (!zendmm_opt_type(name, v, IS_STRING)) {
				return false;
			}
			h = zmm_storage_find(Z_STRVAL_P(v));
			if (!h || strlen(Z_STRVAL_P(v)) != Z_STRLEN_P(v)) {
				if (strlen(Z_STRVAL_P(v)) != Z_STRLEN_P(v)) {
					zend_argument_value_error(1, "option \"storage\" must be a storage scheme of this build (%s), "
						"a string with a NUL byte given", zendmm_scheme_list);
				} else {
					zend_argument_value_error(1, "option \"storage\" must be a storage scheme of this build (%s), "
						"\"%s\" given", zendmm_scheme_list, Z_STRVAL_P(v));
				}
				return false;
			}
			cfg->storage = h;
			cfg->storage_params = NULL;
		} else if (zend_string_equals_literal(key, "segment_size")) {
			size_t s;
			if (!zendmm_opt_type(name, v, IS_LONG)) {
				return false;
			}
			s = (size_t)Z_LVAL_P(v);
			if (Z_LVAL_P(v) <= 0 || (s & (s - 1)) != 0) {
				zend_argument_value_error(1, "option \"segment_size\" must be a power of two, " ZEND_LONG_FMT " given",
					Z_LVAL_P(v));
				return false;
			}
			cfg->segment_size = s;
		} else if (zend_string_equals_literal(key, "alignment")) {
			if (!zendmm_opt_type(name, v, IS_LONG)) {
				return false;
			}
			if (Z_LVAL_P(v) != 8 && Z_LVAL_P(v) != 16) {
				zend_argument_value_error(1, "option \"alignment\" must be 8 or 16, " ZEND_LONG_FMT " given", Z_LVAL_P(v));
				return false;
			}
			cfg->alignment = (size_t)Z_LVAL_P(v);
		} else if (zend_string_equals_literal(key, "limit")) {
			if (!zendmm_opt_type(name, v, IS_LONG)) {
				return false;
			}
			if (Z_LVAL_P(v) < -1) {
				zend_argument_value_error(1, "option \"limit\" must be -1 (no limit) or greater than or equal to 0");
				return false;
			}
			cfg->limit = Z_LVAL_P(v) == -1 ? ZMM_NO_LIMIT : (size_t)Z_LVAL_P(v);
		} else if ((opt = zendmm_find_plain_option(key)) != NULL) {
			bool ok = opt->is_bool
				? zendmm_opt_bool(name, v, (bool *)((char *)cfg + opt->offset))
				: zendmm_opt_size(name, v, (size_t *)((char *)cfg + opt->offset));
			if (!ok) {
				return false;
			}
		} else {
			zend_argument_value_error(1, "contains an unknown option \"%s\"", name);
			return false;
		}
	} ZEND_HASH_FOREACH_END();

	return true;
}

PHP_FUNCTION(zendmm_heap_create)
{
	HashTable *options = NULL;
	zendmm_heap_object *o;
	zmm_config cfg;
	char err[256] = "";

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	zendmm_default_config(&cfg);
	if (options && !zendmm_apply_options(options, &cfg)) {
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
	o->problem[0] = '\0';
}

/* zendmm_heap(): the process-wide heap */
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
/* allocation                                                                */

PHP_FUNCTION(zendmm_emalloc)
{
	zval *zh;
	zend_long size;
	zmm_heap *heap;
	zendmm_error_state *state;
	void *p;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(size)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_CHECK_SIZE(2, size);
	ZENDMM_HEAP_FETCH(zh, heap, state);

	p = zmm_malloc(heap, (size_t)size);
	if (UNEXPECTED(!p)) {
		zendmm_throw(state, "Out of memory");
		RETURN_THROWS();
	}
	RETURN_LONG(ZENDMM_ADDR(p));
}

PHP_FUNCTION(zendmm_ecalloc)
{
	zval *zh;
	zend_long nmemb, size;
	zmm_heap *heap;
	zendmm_error_state *state;
	void *p;

	ZEND_PARSE_PARAMETERS_START(3, 3)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(nmemb)
		Z_PARAM_LONG(size)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_CHECK_SIZE(2, nmemb);
	ZENDMM_CHECK_SIZE(3, size);
	ZENDMM_HEAP_FETCH(zh, heap, state);

	p = zmm_calloc(heap, (size_t)nmemb, (size_t)size);
	if (!p) {
		zendmm_throw(state, "Out of memory");
		RETURN_THROWS();
	}
	RETURN_LONG(ZENDMM_ADDR(p));
}

PHP_FUNCTION(zendmm_erealloc)
{
	zval *zh;
	zend_long ptr, size;
	zmm_heap *heap;
	zendmm_error_state *state;
	void *p;

	ZEND_PARSE_PARAMETERS_START(3, 3)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(ptr)
		Z_PARAM_LONG(size)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_CHECK_SIZE(3, size);
	ZENDMM_HEAP_FETCH(zh, heap, state);

	if (ptr == 0) {
		/* erealloc(NULL, n) is emalloc(n), as in C and in 5.3 */
		p = zmm_malloc(heap, (size_t)size);
	} else {
		if (!zmm_is_live(heap, ZENDMM_PTR(ptr))) {
			zendmm_bad_ptr(2);
			RETURN_THROWS();
		}
		p = zmm_realloc_checked(heap, ZENDMM_PTR(ptr), (size_t)size);
	}
	if (!p) {
		if (state->kind == ZMM_ERR_INVALID_PTR) {
			zendmm_bad_ptr(2);
		} else {
			zendmm_throw(state, "Out of memory");
		}
		RETURN_THROWS();
	}
	RETURN_LONG(ZENDMM_ADDR(p));
}

PHP_FUNCTION(zendmm_efree)
{
	zval *zh;
	zend_long ptr;
	zmm_heap *heap;
	zendmm_error_state *state;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(ptr)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_HEAP_FETCH(zh, heap, state);

	if (ptr == 0) {
		return; /* efree(NULL) is a no-op, as in C and in 5.3 */
	}
	if (UNEXPECTED(!zmm_free_checked(heap, ZENDMM_PTR(ptr)))) {
		if (state->kind == ZMM_OK || state->kind == ZMM_ERR_INVALID_PTR) {
			zendmm_bad_ptr(2);
		} else {
			zendmm_throw(state, "Cannot free the block");
		}
		RETURN_THROWS();
	}
}

PHP_FUNCTION(zendmm_safe_emalloc)
{
	zval *zh;
	zend_long nmemb, size, offset;
	zmm_heap *heap;
	zendmm_error_state *state;
	void *p;

	ZEND_PARSE_PARAMETERS_START(4, 4)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(nmemb)
		Z_PARAM_LONG(size)
		Z_PARAM_LONG(offset)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_CHECK_SIZE(2, nmemb);
	ZENDMM_CHECK_SIZE(3, size);
	ZENDMM_CHECK_SIZE(4, offset);
	ZENDMM_HEAP_FETCH(zh, heap, state);

	p = zmm_safe_malloc(heap, (size_t)nmemb, (size_t)size, (size_t)offset);
	if (!p) {
		zendmm_throw(state, "Out of memory");
		RETURN_THROWS();
	}
	RETURN_LONG(ZENDMM_ADDR(p));
}

PHP_FUNCTION(zendmm_estrdup)
{
	zval *zh;
	zend_string *s;
	zmm_heap *heap;
	zendmm_error_state *state;
	char *p;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_STR(s)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_HEAP_FETCH(zh, heap, state);

	/* As in C: the copy ends at the first NUL byte (zend_strings always have one). */
	p = zmm_strdup(heap, ZSTR_VAL(s));
	if (!p) {
		zendmm_throw(state, "Out of memory");
		RETURN_THROWS();
	}
	RETURN_LONG(ZENDMM_ADDR(p));
}

PHP_FUNCTION(zendmm_estrndup)
{
	zval *zh;
	zend_string *s;
	zend_long length;
	zmm_heap *heap;
	zendmm_error_state *state;
	char *p;

	ZEND_PARSE_PARAMETERS_START(3, 3)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_STR(s)
		Z_PARAM_LONG(length)
	ZEND_PARSE_PARAMETERS_END();

	if (length < 0 || (size_t)length > ZSTR_LEN(s)) {
		zend_argument_value_error(3, "must be between 0 and the length of argument #2 ($s) (%zu)", ZSTR_LEN(s));
		RETURN_THROWS();
	}
	ZENDMM_HEAP_FETCH(zh, heap, state);

	p = zmm_strndup(heap, ZSTR_VAL(s), (size_t)length);
	if (!p) {
		zendmm_throw(state, "Out of memory");
		RETURN_THROWS();
	}
	RETURN_LONG(ZENDMM_ADDR(p));
}

/* ------------------------------------------------------------------------ */
/* block contents                                                            */

/* zendmm_read()/zendmm_write(): ptr (argument 2) must be live and offset
 * (argument 4) inside it; *usable gets the block's size. Throws otherwise. */
static bool zendmm_block_span(zmm_heap *heap, zend_long ptr, zend_long offset, size_t *usable)
{
	if (!zmm_live_usable(heap, ZENDMM_PTR(ptr), usable)) {
		zendmm_bad_ptr(2);
		return false;
	}
	if (offset < 0 || (size_t)offset > *usable) {
		zend_argument_value_error(4, "must be between 0 and the size of the block (%zu)", *usable);
		return false;
	}
	return true;
}

PHP_FUNCTION(zendmm_write)
{
	zval *zh;
	zend_long ptr, offset = 0;
	zend_string *data;
	zmm_heap *heap;
	zendmm_error_state *state;
	size_t usable;

	ZEND_PARSE_PARAMETERS_START(3, 4)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(ptr)
		Z_PARAM_STR(data)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(offset)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_HEAP_FETCH(zh, heap, state);
	(void)state;

	if (!zendmm_block_span(heap, ptr, offset, &usable)) {
		RETURN_THROWS();
	}
	if (ZSTR_LEN(data) > usable - (size_t)offset) {
		zend_argument_value_error(3, "must be at most %zu bytes long to fit in the block at offset "
			ZEND_LONG_FMT ", %zu given", usable - (size_t)offset, offset, ZSTR_LEN(data));
		RETURN_THROWS();
	}
	memcpy((char *)ZENDMM_PTR(ptr) + offset, ZSTR_VAL(data), ZSTR_LEN(data));
}

PHP_FUNCTION(zendmm_read)
{
	zval *zh;
	zend_long ptr, length = 0, offset = 0;
	bool length_null = true;
	zmm_heap *heap;
	zendmm_error_state *state;
	size_t usable;

	ZEND_PARSE_PARAMETERS_START(2, 4)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(ptr)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG_OR_NULL(length, length_null)
		Z_PARAM_LONG(offset)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_HEAP_FETCH(zh, heap, state);
	(void)state;

	if (!zendmm_block_span(heap, ptr, offset, &usable)) {
		RETURN_THROWS();
	}
	if (length_null) {
		length = (zend_long)(usable - (size_t)offset);
	} else if (length < 0 || (size_t)length > usable - (size_t)offset) {
		zend_argument_value_error(3, "must be between 0 and %zu (the block's bytes after offset " ZEND_LONG_FMT ")",
			usable - (size_t)offset, offset);
		RETURN_THROWS();
	}
	RETURN_STRINGL((const char *)ZENDMM_PTR(ptr) + offset, (size_t)length);
}

/* ------------------------------------------------------------------------ */
/* inspection                                                                */

static void zendmm_block_to_zval(zval *out, const zmm_block_view *b)
{
	array_init_size(out, 5);
	add_assoc_long(out, "address", (zend_long)b->address);
	add_assoc_long(out, "ptr", (zend_long)b->ptr);
	add_assoc_long(out, "size", (zend_long)b->size);
	add_assoc_string(out, "state", (char *)zmm_block_state_name(b->state));
	add_assoc_long(out, "bucket", (zend_long)b->bucket);
}

PHP_FUNCTION(zendmm_block_info)
{
	zval *zh;
	zend_long ptr;
	zmm_heap *heap;
	zendmm_error_state *state;
	zmm_block_view block;
	zmm_segment_view seg;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(ptr)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_HEAP_FETCH(zh, heap, state);
	(void)state;

	memset(&block, 0, sizeof(block));
	memset(&seg, 0, sizeof(seg));
	if (!zmm_block_info(heap, ZENDMM_PTR(ptr), &block, &seg)) {   /* false when not live */
		zendmm_bad_ptr(2);
		RETURN_THROWS();
	}
	array_init_size(return_value, 10);
	add_assoc_long(return_value, "size", (zend_long)block.requested);
	add_assoc_long(return_value, "true_size", (zend_long)block.size);
	add_assoc_long(return_value, "bucket", (zend_long)block.bucket);
	add_assoc_long(return_value, "segment", (zend_long)seg.address);
	add_assoc_string(return_value, "state", (char *)zmm_block_state_name(block.state));
	add_assoc_long(return_value, "address", (zend_long)block.address);
	add_assoc_long(return_value, "ptr", (zend_long)block.ptr);
	add_assoc_long(return_value, "large_index", (zend_long)block.large_index);
	add_assoc_long(return_value, "block_size", (zend_long)zmm_block_size(heap, ZENDMM_PTR(ptr)));
	add_assoc_string(return_value, "storage", (char *)(seg.storage ? seg.storage : ""));
}

static zend_long zendmm_limit_to_long(size_t limit)
{
	return limit == ZMM_NO_LIMIT ? -1 : (zend_long)limit;
}

PHP_FUNCTION(zendmm_stats)
{
	zval cache_stat;
	zmm_heap *heap;
	zmm_stats s;
	int i;

	heap = zendmm_heap_only_arg(INTERNAL_FUNCTION_PARAM_PASSTHRU);
	if (!heap) {
		RETURN_THROWS();
	}

	memset(&s, 0, sizeof(s));
	zmm_heap_stats(heap, &s);

	array_init_size(return_value, 40);
	/* the scalar fields of 5.3's zend_mm_heap, in its order */
	add_assoc_long(return_value, "use_zend_alloc", (zend_long)s.use_zend_alloc);
	add_assoc_long(return_value, "free_bitmap", (zend_long)s.free_bitmap);
	add_assoc_long(return_value, "large_free_bitmap", (zend_long)s.large_free_bitmap);
	add_assoc_long(return_value, "block_size", (zend_long)s.block_size);
	add_assoc_long(return_value, "segment_size", (zend_long)s.block_size);
	add_assoc_long(return_value, "compact_size", (zend_long)s.compact_size);
	add_assoc_string(return_value, "storage", (char *)(s.storage ? s.storage : ""));
	add_assoc_string(return_value, "storage_data", s.storage_data);
	add_assoc_long(return_value, "real_size", (zend_long)s.real_size);
	add_assoc_long(return_value, "real_peak", (zend_long)s.real_peak);
	add_assoc_long(return_value, "limit", zendmm_limit_to_long(s.limit));
	add_assoc_long(return_value, "size", (zend_long)s.size);
	add_assoc_long(return_value, "peak", (zend_long)s.peak);
	add_assoc_long(return_value, "reserve_size", (zend_long)s.reserve_size);
	add_assoc_bool(return_value, "reserve", s.reserve_held);
	add_assoc_long(return_value, "overflow", (zend_long)s.overflow);
	add_assoc_long(return_value, "internal", (zend_long)s.internal);
	add_assoc_long(return_value, "cached", (zend_long)s.cached);
	add_assoc_long(return_value, "rest_count", (zend_long)s.rest_count);
	/* what the core adds */
	add_assoc_long(return_value, "segments", (zend_long)s.segments);
	add_assoc_long(return_value, "live_blocks", (zend_long)s.live_blocks);
	add_assoc_bool(return_value, "cache", s.cache_enabled);
	add_assoc_long(return_value, "cache_size", (zend_long)s.cache_size);
	add_assoc_bool(return_value, "cookies", s.cookies);
	add_assoc_bool(return_value, "protection", s.protection);
	add_assoc_bool(return_value, "fill_freed", s.fill_freed);
	add_assoc_bool(return_value, "track_blocks", s.track_blocks);
	add_assoc_long(return_value, "alignment", (zend_long)s.alignment);
	add_assoc_long(return_value, "header_size", (zend_long)s.header_size);
	add_assoc_long(return_value, "free_header_size", (zend_long)s.free_header_size);
	add_assoc_long(return_value, "min_block_size", (zend_long)s.min_block_size);
	add_assoc_long(return_value, "min_request", (zend_long)s.min_request);
	add_assoc_long(return_value, "max_small_size", (zend_long)s.max_small_size);

	array_init_size(&cache_stat, ZMM_NUM_BUCKETS + 1);
	for (i = 0; i <= ZMM_NUM_BUCKETS; i++) {
		zval entry;
		array_init_size(&entry, 4);
		add_assoc_long(&entry, "count", s.cache_stat[i].count);
		add_assoc_long(&entry, "max_count", s.cache_stat[i].max_count);
		add_assoc_long(&entry, "hit", s.cache_stat[i].hit);
		add_assoc_long(&entry, "miss", s.cache_stat[i].miss);
		add_next_index_zval(&cache_stat, &entry);
	}
	add_assoc_zval(return_value, "cache_stat", &cache_stat);
}

/* memory_get_usage() and memory_get_peak_usage() of a heap: same arguments */
static void zendmm_usage(INTERNAL_FUNCTION_PARAMETERS, size_t (*usage)(const zmm_heap *, bool))
{
	zval *zh;
	bool real = false;
	zmm_heap *heap;
	zendmm_error_state *state;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(real)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_HEAP_FETCH(zh, heap, state);
	(void)state;
	RETURN_LONG((zend_long)usage(heap, real));
}

PHP_FUNCTION(zendmm_memory_usage)
{
	zendmm_usage(INTERNAL_FUNCTION_PARAM_PASSTHRU, zmm_memory_usage);
}

PHP_FUNCTION(zendmm_memory_peak_usage)
{
	zendmm_usage(INTERNAL_FUNCTION_PARAM_PASSTHRU, zmm_memory_peak_usage);
}

PHP_FUNCTION(zendmm_memory_reset_peak)
{
	zmm_heap *heap;

	heap = zendmm_heap_only_arg(INTERNAL_FUNCTION_PARAM_PASSTHRU);
	if (!heap) {
		RETURN_THROWS();
	}
	zmm_heap_reset_peak(heap);
}

/* list callbacks: append each block to the zval list in ctx */
static void zendmm_list_cb(int index, const zmm_block_view *block, void *ctx)
{
	zval b;
	(void)index;
	zendmm_block_to_zval(&b, block);
	add_next_index_zval((zval *)ctx, &b);
}

/* The large trie arrives as a pre-order walk; collect it flat, then nest. */
typedef struct zendmm_trie_node {
	zmm_block_view block;
	int            depth;
	int            child_bit;
	zval           twins; /* list of twin addresses */
} zendmm_trie_node;

typedef struct zendmm_trie_walk {
	zendmm_trie_node *nodes;
	size_t            count, capacity;
} zendmm_trie_walk;

static void zendmm_trie_node_cb(int index, const zmm_trie_node_view *node, void *ctx)
{
	zendmm_trie_walk *w = (zendmm_trie_walk *)ctx;
	zendmm_trie_node *n;
	(void)index;

	if (w->count == w->capacity) {
		w->capacity = w->capacity ? w->capacity * 2 : 16;
		w->nodes = safe_erealloc(w->nodes, w->capacity, sizeof(*w->nodes), 0);
	}
	n = &w->nodes[w->count++];
	n->block = node->block;
	n->depth = node->depth;
	n->child_bit = node->child_bit;
	array_init(&n->twins);
}

static void zendmm_trie_twin_cb(int index, const zmm_block_view *block, void *ctx)
{
	zendmm_trie_walk *w = (zendmm_trie_walk *)ctx;
	(void)index;
	if (w->count) {
		add_next_index_long(&w->nodes[w->count - 1].twins, (zend_long)block->address);
	}
}

/* Build node i into out; returns the index after its subtree. */
static size_t zendmm_trie_build(zendmm_trie_walk *w, size_t i, zval *out)
{
	zendmm_trie_node *n = &w->nodes[i];
	zval child[2];
	size_t j = i + 1;
	int k;

	ZVAL_NULL(&child[0]);
	ZVAL_NULL(&child[1]);
	while (j < w->count && w->nodes[j].depth > n->depth) {
		if (w->nodes[j].depth == n->depth + 1 && (w->nodes[j].child_bit == 0 || w->nodes[j].child_bit == 1)) {
			int bit = w->nodes[j].child_bit;
			zval_ptr_dtor(&child[bit]);
			j = zendmm_trie_build(w, j, &child[bit]);
		} else {
			/* a walk the core did not describe as documented: skip it */
			zval_ptr_dtor(&w->nodes[j].twins);
			ZVAL_UNDEF(&w->nodes[j].twins);
			j++;
		}
	}
	array_init_size(out, 5);
	add_assoc_long(out, "address", (zend_long)n->block.address);
	add_assoc_long(out, "size", (zend_long)n->block.size);
	add_assoc_zval(out, "twins", &n->twins);
	ZVAL_UNDEF(&n->twins);
	for (k = 0; k < 2; k++) {
		add_assoc_zval(out, k ? "child1" : "child0", &child[k]);
	}
	return j;
}

PHP_FUNCTION(zendmm_buckets)
{
	zval free_buckets, large, rest, cache;
	zmm_heap *heap;
	zmm_stats s;
	int i;

	heap = zendmm_heap_only_arg(INTERNAL_FUNCTION_PARAM_PASSTHRU);
	if (!heap) {
		RETURN_THROWS();
	}

	memset(&s, 0, sizeof(s));
	zmm_heap_stats(heap, &s);

	array_init_size(&free_buckets, ZMM_NUM_BUCKETS);
	array_init_size(&large, ZMM_NUM_BUCKETS);
	array_init_size(&cache, ZMM_NUM_BUCKETS);
	array_init(&rest);
	for (i = 0; i < ZMM_NUM_BUCKETS; i++) {
		zval list, tree;
		zendmm_trie_walk w = { NULL, 0, 0 };

		array_init(&list);
		zmm_inspect_free_bucket(heap, i, zendmm_list_cb, &list);
		add_next_index_zval(&free_buckets, &list);

		array_init(&list);
		zmm_inspect_cache(heap, i, zendmm_list_cb, &list);
		add_next_index_zval(&cache, &list);

		zmm_inspect_large_tree(heap, i, zendmm_trie_node_cb, zendmm_trie_twin_cb, &w);
		ZVAL_NULL(&tree);
		if (w.count) {
			size_t j = zendmm_trie_build(&w, 0, &tree);
			for (; j < w.count; j++) { /* more than one root: not expected */
				zval_ptr_dtor(&w.nodes[j].twins);
			}
		}
		if (w.nodes) {
			efree(w.nodes);
		}
		add_next_index_zval(&large, &tree);
	}
	zmm_inspect_rest(heap, zendmm_list_cb, &rest);

	array_init_size(return_value, 6);
	add_assoc_long(return_value, "free_bitmap", (zend_long)s.free_bitmap);
	add_assoc_long(return_value, "large_free_bitmap", (zend_long)s.large_free_bitmap);
	add_assoc_zval(return_value, "free_buckets", &free_buckets);
	add_assoc_zval(return_value, "large_free_buckets", &large);
	add_assoc_zval(return_value, "rest_buckets", &rest);
	add_assoc_zval(return_value, "cache", &cache);
}

typedef struct zendmm_segments_walk {
	zval       *list;
	zend_array *blocks; /* blocks of the segment being walked */
} zendmm_segments_walk;

static void zendmm_segment_cb(const zmm_segment_view *seg, void *ctx)
{
	zendmm_segments_walk *w = (zendmm_segments_walk *)ctx;
	zval s, blocks;

	array_init_size(&s, 4);
	add_assoc_long(&s, "address", (zend_long)seg->address);
	add_assoc_long(&s, "size", (zend_long)seg->size);
	add_assoc_string(&s, "storage", (char *)(seg->storage ? seg->storage : ""));
	array_init_size(&blocks, seg->blocks < 1024 ? (uint32_t)seg->blocks : 1024);
	w->blocks = Z_ARR(blocks);
	add_assoc_zval(&s, "blocks", &blocks);
	add_next_index_zval(w->list, &s);
}

static void zendmm_segment_block_cb(const zmm_segment_view *seg, const zmm_block_view *block, void *ctx)
{
	zendmm_segments_walk *w = (zendmm_segments_walk *)ctx;
	zval b;
	(void)seg;
	if (!w->blocks) {
		return;
	}
	zendmm_block_to_zval(&b, block);
	zend_hash_next_index_insert(w->blocks, &b);
}

PHP_FUNCTION(zendmm_segments)
{
	zmm_heap *heap;
	zendmm_segments_walk w;

	heap = zendmm_heap_only_arg(INTERNAL_FUNCTION_PARAM_PASSTHRU);
	if (!heap) {
		RETURN_THROWS();
	}

	array_init(return_value);
	w.list = return_value;
	w.blocks = NULL;
	if (!zmm_inspect_segments(heap, zendmm_segment_cb, zendmm_segment_block_cb, &w)) {
		php_error_docref(NULL, E_WARNING, "The heap is damaged; the walk stopped at the damage "
			"(zendmm_check_heap() tells more)");
	}
}

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

static void zendmm_problem_cb(const char *problem, void *ctx)
{
	add_next_index_string((zval *)ctx, problem ? problem : "");
}

PHP_FUNCTION(zendmm_check_heap)
{
	zmm_heap *heap;

	heap = zendmm_heap_only_arg(INTERNAL_FUNCTION_PARAM_PASSTHRU);
	if (!heap) {
		RETURN_THROWS();
	}

	array_init(return_value);
	zmm_heap_check(heap, zendmm_problem_cb, return_value);
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

	if (!full) {
		zmm_heap_shutdown(heap);
		return;
	}
	o = Z_ZENDMM_HEAP_P(zh);
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
/* the allocation trace recorder: zendmm_trace_start() / zendmm_trace_stop() */

/* While recording, PHP's own heap calls these hooks (custom handlers, as
 * memory profilers install them). Each hook hands the call on and appends it
 * to the trace (src/trace_write.c). With no other custom handler installed, the
 * hook turns the handlers off around the real call (the "toggle"), so PHP's
 * allocator runs exactly as without hooks, its gc-before-OOM retry included;
 * otherwise it calls the handlers that were there before. */
typedef struct zendmm_trace_state {
	zmm_trace_writer *writer;           /* NULL when not recording */
	zend_mm_heap     *heap;
	bool              prev_custom;      /* another custom allocator was installed */
	bool              shut;             /* RSHUTDOWN has run: no new trace in this request */
	void           *(*prev_malloc)(size_t);
	void            (*prev_free)(void *);
	void           *(*prev_realloc)(void *, size_t);
	char              path[MAXPATHLEN];
} zendmm_trace_state;

ZEND_TLS zendmm_trace_state zendmm_trace;
static zif_handler zendmm_orig_gc_mem_caches;

/* Handlers off around a forwarded call; put back exactly what was there. */
#define ZENDMM_TRACE_FORWARD(call) do { \
		void *(*m_)(size_t); void (*f_)(void *); void *(*r_)(void *, size_t); \
		zend_mm_get_custom_handlers(zendmm_trace.heap, &m_, &f_, &r_); \
		zend_mm_set_custom_handlers(zendmm_trace.heap, NULL, NULL, NULL); \
		call; \
		zend_mm_set_custom_handlers(zendmm_trace.heap, m_, f_, r_); \
	} while (0)

static void *zendmm_trace_malloc(size_t size)
{
	void *p;
	if (zendmm_trace.prev_custom) {
		p = zendmm_trace.prev_malloc(size);
	} else {
		ZENDMM_TRACE_FORWARD(p = zend_mm_alloc(zendmm_trace.heap, size));
	}
	if (EXPECTED(zendmm_trace.writer)) {
		zmm_trace_alloc(zendmm_trace.writer, (uintptr_t)p, size);
	}
	return p;
}

static void zendmm_trace_free(void *ptr)
{
	if (zendmm_trace.prev_custom) {
		zendmm_trace.prev_free(ptr);
	} else {
		ZENDMM_TRACE_FORWARD(zend_mm_free(zendmm_trace.heap, ptr));
	}
	if (EXPECTED(zendmm_trace.writer)) {
		zmm_trace_free(zendmm_trace.writer, (uintptr_t)ptr);
	}
}

static void *zendmm_trace_realloc(void *ptr, size_t size)
{
	void *p;
	if (zendmm_trace.prev_custom) {
		p = zendmm_trace.prev_realloc(ptr, size);
	} else {
		ZENDMM_TRACE_FORWARD(p = zend_mm_realloc(zendmm_trace.heap, ptr, size));
	}
	if (EXPECTED(zendmm_trace.writer)) {
		zmm_trace_realloc(zendmm_trace.writer, (uintptr_t)ptr, (uintptr_t)p, size);
	}
	return p;
}

/* gc_mem_caches() while recording: PHP's zend_mm_gc() does nothing on a heap
 * with custom handlers, so run it with ours off. Installed at MINIT. */
static ZEND_NAMED_FUNCTION(zendmm_trace_gc_mem_caches)
{
	if (zendmm_trace.writer && !zendmm_trace.prev_custom) {
		ZENDMM_TRACE_FORWARD(zendmm_orig_gc_mem_caches(INTERNAL_FUNCTION_PARAM_PASSTHRU));
	} else {
		zendmm_orig_gc_mem_caches(INTERNAL_FUNCTION_PARAM_PASSTHRU);
	}
}

static void zendmm_trace_minit(void)
{
	zend_function *fn = zend_hash_str_find_ptr(CG(function_table), "gc_mem_caches", sizeof("gc_mem_caches") - 1);
	if (fn && fn->type == ZEND_INTERNAL_FUNCTION) {
		zendmm_orig_gc_mem_caches = fn->internal_function.handler;
		fn->internal_function.handler = zendmm_trace_gc_mem_caches;
	}
}

static void zendmm_trace_mshutdown(void)
{
	zend_function *fn;
	if (zendmm_orig_gc_mem_caches
		&& (fn = zend_hash_str_find_ptr(CG(function_table), "gc_mem_caches", sizeof("gc_mem_caches") - 1))
		&& fn->internal_function.handler == zendmm_trace_gc_mem_caches) {
		fn->internal_function.handler = zendmm_orig_gc_mem_caches;
	}
}

/* Stop recording: the heap gets back the handlers it had (none, or the
 * previous ones). false when someone replaced ours in the meantime: theirs
 * stay, and our hooks go on forwarding without recording. */
static bool zendmm_trace_uninstall(void)
{
	void *(*m)(size_t);
	void (*f)(void *);
	void *(*r)(void *, size_t);
	bool ours;

	zend_mm_get_custom_handlers(zendmm_trace.heap, &m, &f, &r);
	ours = m == zendmm_trace_malloc && f == zendmm_trace_free && r == zendmm_trace_realloc;
	if (ours) {
		if (zendmm_trace.prev_custom) {
			zend_mm_set_custom_handlers(zendmm_trace.heap,
				zendmm_trace.prev_malloc, zendmm_trace.prev_free, zendmm_trace.prev_realloc);
		} else {
			zend_mm_set_custom_handlers(zendmm_trace.heap, NULL, NULL, NULL);
		}
	}
	return ours;
}

/* Stop and close; the counts and the first error go to the caller. */
static bool zendmm_trace_finish(zmm_trace_counts *counts, bool *ours, char *err, size_t errlen)
{
	zmm_trace_writer *w = zendmm_trace.writer;
	*ours = zendmm_trace_uninstall();
	zendmm_trace.writer = NULL;
	return zmm_trace_writer_close(w, counts, err, errlen);
}

static void zendmm_trace_rinit(void)
{
	zendmm_trace.shut = false;
}

/* The script ended while recording: uninstall before the engine shuts the
 * heap down (its fast shutdown needs a heap without custom handlers) and
 * close the file, which then ends with END as after zendmm_trace_stop(). */
static void zendmm_trace_rshutdown(void)
{
	if (zendmm_trace.writer) {
		zmm_trace_counts counts;
		bool ours;
		(void)zendmm_trace_finish(&counts, &ours, NULL, 0);
	}
	zendmm_trace.shut = true;
}

PHP_FUNCTION(zendmm_trace_start)
{
	zend_string *file;
	char resolved[MAXPATHLEN];
	char err[256] = "";
	zmm_trace_writer *w;
	zend_mm_heap *heap;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_PATH_STR(file)
	ZEND_PARSE_PARAMETERS_END();

	if (zendmm_trace.writer) {
		zend_throw_error(NULL, "A trace is already being recorded to \"%s\"; call zendmm_trace_stop() first",
			zendmm_trace.path);
		RETURN_THROWS();
	}
	if (zendmm_trace.shut) {
		zend_throw_error(NULL, "Cannot start a trace while the request is shutting down");
		RETURN_THROWS();
	}
	if (ZSTR_LEN(file) == 0) {
		zend_argument_value_error(1, "cannot be empty");
		RETURN_THROWS();
	}
	if (!expand_filepath(ZSTR_VAL(file), resolved)) {
		zend_argument_value_error(1, "is not a usable path");
		RETURN_THROWS();
	}
	if (php_check_open_basedir_ex(resolved, 0)) {
		zend_throw_exception_ex(zendmm_exception_ce, 0,
			"Cannot record a trace to \"%s\": the path is outside of open_basedir", ZSTR_VAL(file));
		RETURN_THROWS();
	}
	heap = zend_mm_get_heap();
	zendmm_trace.prev_custom = zend_mm_is_custom_heap(heap);
	zendmm_trace.prev_malloc = NULL;
	zendmm_trace.prev_free = NULL;
	zendmm_trace.prev_realloc = NULL;
	if (zendmm_trace.prev_custom) {
		zend_mm_get_custom_handlers(heap,
			&zendmm_trace.prev_malloc, &zendmm_trace.prev_free, &zendmm_trace.prev_realloc);
		if (!zendmm_trace.prev_malloc || !zendmm_trace.prev_free || !zendmm_trace.prev_realloc) {
			zend_throw_exception(zendmm_exception_ce,
				"Cannot record a trace: PHP's heap has custom handlers this recorder cannot chain to", 0);
			RETURN_THROWS();
		}
	}
	w = zmm_trace_writer_open(resolved, err, sizeof(err));
	if (!w) {
		zend_throw_exception_ex(zendmm_exception_ce, 0, "Cannot record a trace to \"%s\": %s",
			ZSTR_VAL(file), err);
		RETURN_THROWS();
	}
	snprintf(zendmm_trace.path, sizeof(zendmm_trace.path), "%s", resolved);
	zendmm_trace.heap = heap;
	zendmm_trace.writer = w;
	zend_mm_set_custom_handlers(heap, zendmm_trace_malloc, zendmm_trace_free, zendmm_trace_realloc);
}

PHP_FUNCTION(zendmm_trace_stop)
{
	zmm_trace_counts c;
	char err[256] = "";
	bool ours = true, ok;

	ZEND_PARSE_PARAMETERS_NONE();

	if (!zendmm_trace.writer) {
		zend_throw_error(NULL, "No trace is being recorded; call zendmm_trace_start() first");
		RETURN_THROWS();
	}
	ok = zendmm_trace_finish(&c, &ours, err, sizeof(err));
	if (!ok) {
		zend_throw_exception_ex(zendmm_exception_ce, 0, "The trace \"%s\" is incomplete: %s",
			zendmm_trace.path, err);
		RETURN_THROWS();
	}
	if (!ours) {
		php_error_docref(NULL, E_WARNING,
			"Another extension replaced the allocator hooks while recording; the trace may miss operations");
	}
	array_init_size(return_value, 12);
	add_assoc_long(return_value, "allocs", (zend_long)c.allocs);
	add_assoc_long(return_value, "frees", (zend_long)c.frees);
	add_assoc_long(return_value, "reallocs", (zend_long)c.reallocs);
	add_assoc_long(return_value, "failed", (zend_long)c.failed);
	add_assoc_long(return_value, "free_null", (zend_long)c.free_null);
	add_assoc_long(return_value, "realloc_null", (zend_long)c.realloc_null);
	add_assoc_long(return_value, "bytes_allocated", (zend_long)c.bytes_allocated);
	add_assoc_long(return_value, "bytes_reallocated", (zend_long)c.bytes_reallocated);
	add_assoc_long(return_value, "records", (zend_long)c.records);
	add_assoc_long(return_value, "file_bytes", (zend_long)c.file_bytes);
	add_assoc_string(return_value, "file", zendmm_trace.path);
}

/* ------------------------------------------------------------------------ */
/* heap maps (src/heapmap.c)                                                 */

PHP_FUNCTION(zendmm_heap_map)
{
	zval *zh;
	zmm_heap *heap;
	zendmm_error_state *state;
	zend_string *format = NULL;
	zend_long width = 0;
	bool width_null = 1;
	zmm_map_format fmt = ZMM_MAP_TEXT;
	char *out = NULL;
	size_t len = 0;

	ZEND_PARSE_PARAMETERS_START(1, 3)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR(format)
		Z_PARAM_LONG_OR_NULL(width, width_null)
	ZEND_PARSE_PARAMETERS_END();

	if (format && (ZSTR_LEN(format) != strlen(ZSTR_VAL(format))
			|| !zmm_map_format_from_name(ZSTR_VAL(format), &fmt))) {
		zend_argument_value_error(2, "must be one of \"text\", \"svg\", \"json\"");
		RETURN_THROWS();
	}
	if (!width_null && fmt != ZMM_MAP_JSON) {
		zend_long lo = fmt == ZMM_MAP_TEXT ? ZMM_MAP_TEXT_MIN_WIDTH : ZMM_MAP_SVG_MIN_WIDTH;
		zend_long hi = fmt == ZMM_MAP_TEXT ? ZMM_MAP_TEXT_MAX_WIDTH : ZMM_MAP_SVG_MAX_WIDTH;
		if (width < lo || width > hi) {
			zend_argument_value_error(3, "must be between " ZEND_LONG_FMT " and " ZEND_LONG_FMT " for the \"%s\" format",
				lo, hi, zmm_map_format_name(fmt));
			RETURN_THROWS();
		}
	}

	ZENDMM_HEAP_FETCH(zh, heap, state);
	(void)state;

	if (!zmm_heap_map(heap, fmt, width_null || fmt == ZMM_MAP_JSON ? 0 : (size_t)width, &out, &len)) {
		zend_throw_exception_ex(zendmm_oom_exception_ce, 0, "Out of memory while drawing the %s map",
			zmm_map_format_name(fmt));
		RETURN_THROWS();
	}
	RETVAL_STRINGL(out, len);
	zmm_heap_map_free(out);
}

/* ------------------------------------------------------------------------ */
/* Room for the other parts of the extension: the functions of allocation   */
/* traces (zendmm_trace_*) and heap maps (zendmm_heap_map) go above this    */
/* line; their module hooks (a trace must stop at the end of a request) go */
/* into the functions below, next to the process heap's.                  */
/* ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------ */
/* module                                                                    */

static PHP_GINIT_FUNCTION(zendmm_ext)
{
#if defined(COMPILE_DL_ZENDMM_EXT) && defined(ZTS)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	memset(zendmm_ext_globals, 0, sizeof(*zendmm_ext_globals));
	zendmm_ext_globals->ini_segment_size = ZMM_SEG_SIZE;
	zendmm_ext_globals->ini_compact_size = ZMM_COMPACT_SIZE;
	zendmm_ext_globals->ini_limit = -1;
}

static PHP_GSHUTDOWN_FUNCTION(zendmm_ext)
{
	/* threads other than the first one (ZTS) end their heap here */
	if (zendmm_ext_globals->process_heap) {
		zmm_heap_destroy(zendmm_ext_globals->process_heap);
		zendmm_ext_globals->process_heap = NULL;
	}
}

PHP_MINIT_FUNCTION(zendmm_ext)
{
	size_t count = 0, i;
	const zmm_storage_handlers *const *schemes = zmm_storage_schemes(&count);

	(void)type;
	zendmm_scheme_list[0] = '\0';
	for (i = 0; i < count; i++) {
		size_t used = strlen(zendmm_scheme_list);
		snprintf(zendmm_scheme_list + used, sizeof(zendmm_scheme_list) - used, "%s%s",
			i ? ", " : "", schemes[i]->name);
	}
	zendmm_ini_problems[0] = '\0';

	REGISTER_INI_ENTRIES();

	zendmm_heap_ce = register_class_ZendMM_Heap();
	zendmm_heap_ce->create_object = zendmm_heap_create_object;
	memcpy(&zendmm_heap_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
	zendmm_heap_handlers.offset = XtOffsetOf(zendmm_heap_object, std);
	zendmm_heap_handlers.free_obj = zendmm_heap_free_obj;
	zendmm_heap_handlers.get_constructor = zendmm_heap_get_constructor;
	zendmm_heap_handlers.clone_obj = NULL;
	zendmm_heap_handlers.compare = zend_objects_not_comparable;

	zendmm_exception_ce = register_class_ZendMM_Exception(spl_ce_RuntimeException);
	zendmm_limit_exception_ce = register_class_ZendMM_MemoryLimitException(zendmm_exception_ce);
	zendmm_oom_exception_ce = register_class_ZendMM_OutOfMemoryException(zendmm_exception_ce);

	register_zendmm_ext_symbols(module_number);
	zendmm_trace_minit();

	/* 5.3's alloc_globals_ctor: the heap is made at startup from the environment */
	zendmm_read_env();
	zendmm_process_heap_start();
	zendmm_engine_minit(type, module_number); /* after the gc_mem_caches() wrapper of the recorder */

	return SUCCESS;
}

PHP_MSHUTDOWN_FUNCTION(zendmm_ext)
{
	(void)type;
	(void)module_number;
	zendmm_engine_mshutdown();
	zendmm_trace_mshutdown();
	/* 5.3's module shutdown: the full one */
	zendmm_process_heap_stop();
	UNREGISTER_INI_ENTRIES();
	return SUCCESS;
}

PHP_RINIT_FUNCTION(zendmm_ext)
{
	(void)type;
	(void)module_number;
#if defined(ZTS) && defined(COMPILE_DL_ZENDMM_EXT)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	zendmm_engine_rinit();
	if (!ZENDMM_G(process_heap) && !ZENDMM_G(process_problem)[0]) {
		zendmm_process_heap_start(); /* a thread that did not run MINIT (ZTS) */
	}
	zendmm_trace_rinit();
	return SUCCESS;
}

PHP_RSHUTDOWN_FUNCTION(zendmm_ext)
{
	(void)type;
	(void)module_number;
	zendmm_trace_rshutdown(); /* first: PHP's heap goes back to how it was found */
	if (ZENDMM_G(process_object)) {
		zend_object *obj = ZENDMM_G(process_object);
		ZENDMM_G(process_object) = NULL;
		OBJ_RELEASE(obj);
	}
	/* 5.3's end of request: a partial shutdown */
	if (ZENDMM_G(process_heap)) {
		zmm_heap_shutdown(ZENDMM_G(process_heap));
	}
	return SUCCESS;
}

static ZEND_MODULE_POST_ZEND_DEACTIVATE_D(zendmm_ext)
{
	zendmm_engine_post_deactivate();
	return SUCCESS;
}

static void zendmm_info_size(const char *label, size_t v)
{
	char buf[64];
	if (v == ZMM_NO_LIMIT) {
		snprintf(buf, sizeof(buf), "-1 (none)");
	} else {
		snprintf(buf, sizeof(buf), "%zu", v);
	}
	php_info_print_table_row(2, label, buf);
}

PHP_MINFO_FUNCTION(zendmm_ext)
{
	zmm_config cfg;
	char buf[256];
	size_t i;

	(void)zend_module;
	zendmm_default_config(&cfg);

	php_info_print_table_start();
	php_info_print_table_row(2, "zendmm_ext support", "enabled");
	php_info_print_table_row(2, "Version", PHP_ZENDMM_EXT_VERSION);
	php_info_print_table_row(2, "Heap core version", ZMM_VERSION);
	php_info_print_table_row(2, "Storage schemes", zendmm_scheme_list);
	php_info_print_table_row(2, "Defaults come from", "options > environment > INI > built-in (5.3)");
	php_info_print_table_row(2, "Default storage",
		cfg.storage ? cfg.storage->name : (zmm_storage_default() ? zmm_storage_default()->name : ""));
	zendmm_info_size("Default segment size", cfg.segment_size ? cfg.segment_size : (size_t)ZMM_SEG_SIZE);
	zendmm_info_size("Default compact size", cfg.compact_size);
	zendmm_info_size("Default limit", cfg.limit);
	zendmm_info_size("Default reserve size", cfg.reserve_size);
	zendmm_info_size("Default cache size", cfg.cache_size);
	php_info_print_table_row(2, "Default use_zend_alloc", cfg.use_zend_alloc ? "1" : "0");

	buf[0] = '\0';
	for (i = 0; i < sizeof(zendmm_env_vars) / sizeof(zendmm_env_vars[0]); i++) {
		if (zendmm_env_set & zendmm_env_vars[i].bit) {
			zendmm_append(buf, sizeof(buf), zendmm_env_vars[i].name);
		}
	}
	php_info_print_table_row(2, "Environment in use", buf[0] ? buf : "none");
	php_info_print_table_row(2, "Environment problems", zendmm_env_problems[0] ? zendmm_env_problems : "none");
	php_info_print_table_row(2, "INI problems", zendmm_ini_problems[0] ? zendmm_ini_problems : "none");

	if (ZENDMM_G(process_heap)) {
		zmm_stats s;
		memset(&s, 0, sizeof(s));
		zmm_heap_stats(ZENDMM_G(process_heap), &s);
		snprintf(buf, sizeof(buf), "storage %s, segment size %zu, real_size %zu, size %zu",
			s.storage ? s.storage : "", s.block_size, s.real_size, s.size);
		php_info_print_table_row(2, "Process heap", buf);
	} else {
		php_info_print_table_row(2, "Process heap", ZENDMM_G(process_problem));
	}
	zendmm_engine_minfo();
	php_info_print_table_end();

	DISPLAY_INI_ENTRIES();
}

zend_module_entry zendmm_ext_module_entry = {
	STANDARD_MODULE_HEADER,
	"zendmm_ext",
	ext_functions,
	PHP_MINIT(zendmm_ext),
	PHP_MSHUTDOWN(zendmm_ext),
	PHP_RINIT(zendmm_ext),
	PHP_RSHUTDOWN(zendmm_ext),
	PHP_MINFO(zendmm_ext),
	PHP_ZENDMM_EXT_VERSION,
	PHP_MODULE_GLOBALS(zendmm_ext),
	PHP_GINIT(zendmm_ext),
	PHP_GSHUTDOWN(zendmm_ext),
	ZEND_MODULE_POST_ZEND_DEACTIVATE_N(zendmm_ext),
	STANDARD_MODULE_PROPERTIES_EX
};

#ifdef COMPILE_DL_ZENDMM_EXT
# ifdef ZTS
ZEND_TSRMLS_CACHE_DEFINE()
# endif
ZEND_GET_MODULE(zendmm_ext)
#endif

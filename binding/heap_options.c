/*
 * binding/heap_options.c - the options array of zendmm_heap_create(): each
 * key checked for its type and range, with the PHP 8 style errors
 * (Argument #1 ($options) ...), and applied to a zmm_config.
 */

#include "binding.h"
#include "sites.h"

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
	{"exact_fit",      offsetof(zmm_config, exact_fit),      true},
	{"cache_stat",     offsetof(zmm_config, cache_stat),     true},
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

/* 'sites': true (the depth of zendmm_ext.sites_depth), false, or a depth */
static bool zendmm_opt_sites(zval *v, unsigned *depth)
{
	if (Z_TYPE_P(v) == IS_TRUE || Z_TYPE_P(v) == IS_FALSE) {
		*depth = Z_TYPE_P(v) == IS_TRUE ? zendmm_sites_default_depth() : 0;
		return true;
	}
	if (Z_TYPE_P(v) != IS_LONG) {
		zend_argument_type_error(1, "option \"sites\" must be of type bool|int, %s given", zend_zval_type_name(v));
		return false;
	}
	if (Z_LVAL_P(v) < 1 || Z_LVAL_P(v) > ZMM_SITES_MAX_DEPTH) {
		zend_argument_value_error(1, "option \"sites\" must be true, false or a depth between 1 and %d, "
			ZEND_LONG_FMT " given", ZMM_SITES_MAX_DEPTH, Z_LVAL_P(v));
		return false;
	}
	*depth = (unsigned)Z_LVAL_P(v);
	return true;
}

bool zendmm_apply_options(HashTable *options, zmm_config *cfg, unsigned *sites_depth)
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
		} else if (zend_string_equals_literal(key, "sites")) {
			if (!zendmm_opt_sites(v, sites_depth)) {
				return false;
			}
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

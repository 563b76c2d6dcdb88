/*
 * zendmm_ext.c - the front door of the PHP binding of the zendmm heap core.
 *
 * This file holds the module: its entry, the lifecycle (MINIT, MSHUTDOWN,
 * RINIT, RSHUTDOWN, globals), the INI settings and the environment that
 * give a new heap its defaults, phpinfo, and the registration of the
 * classes. The userland functions live in binding/, one file per group
 * (binding/binding.h says which); each group with module hooks exposes
 * zendmm_<group>_minit/mshutdown/rinit/rshutdown, called from here. No
 * allocator logic is here or in binding/: the core does all of it through
 * the API of src/core/zendmm.h.
 */

#include "binding/binding.h"
#include "php_ini.h"
#include "ext/standard/info.h"
#include "ext/spl/spl_exceptions.h"

/* The generated arginfo defines static tables (the function table, the
 * class registrations), so this is the only file that includes it; its
 * ZEND_FUNCTION declarations are the prototypes of binding/'s functions. */
#include "zendmm_ext_arginfo.h"

ZEND_DECLARE_MODULE_GLOBALS(zendmm_ext)

/* ------------------------------------------------------------------------ */
/* classes (registered at MINIT)                                             */

zend_class_entry *zendmm_heap_ce;
zend_class_entry *zendmm_exception_ce;
zend_class_entry *zendmm_limit_exception_ce;
zend_class_entry *zendmm_oom_exception_ce;

/* ------------------------------------------------------------------------ */
/* process-wide state that is not per thread                                 */

/* Written at MINIT only, before ZTS starts other threads; read-only after.
 * (What a thread finds later goes into its module globals.) */

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
static bool        zendmm_minit_done;      /* the write-once state above is complete */
char               zendmm_scheme_list[256];
static const char *zendmm_env_only;        /* the one variable zendmm_getenv_one shows */

bool zendmm_startup_done(void)
{
	return zendmm_minit_done;
}

void zendmm_append(char *buf, size_t len, const char *text)
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
	cfg->exact_fit = ZENDMM_G(ini_exact_fit);
	cfg->cache_stat = ZENDMM_G(ini_cache_stat);

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

void zendmm_clamp_limit(zmm_config *cfg)
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
	/* ZTS runs the handlers again at STARTUP stage in every new thread
	 * (zend_ini_refresh_caches): only MINIT's run fills the shared list. */
	if (stage == ZEND_INI_STAGE_STARTUP && !zendmm_minit_done) {
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

/* PHP's own bool spellings, in any case; anything else is refused (OnUpdateBool would read it as off) */
static bool zendmm_ini_word(const zend_string *v, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (zend_binary_strcasecmp(ZSTR_VAL(v), ZSTR_LEN(v), words[i], strlen(words[i])) == 0) {
			return true;
		}
	}
	return false;
}

static ZEND_INI_MH(OnUpdateZendmmBool)
{
	static const char *const on[] = {"1", "on", "yes", "true"};
	static const char *const off[] = {"", "0", "off", "no", "false"};

	(void)mh_arg3;
	if (zendmm_ini_word(new_value, on, sizeof(on) / sizeof(on[0]))) {
		*(bool *)ZEND_INI_GET_ADDR() = true;
	} else if (zendmm_ini_word(new_value, off, sizeof(off) / sizeof(off[0]))) {
		*(bool *)ZEND_INI_GET_ADDR() = false;
	} else {
		zendmm_ini_problem(entry, new_value, "not a boolean (1, on, yes, true or 0, off, no, false)", stage);
		return FAILURE;
	}
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
	STD_PHP_INI_ENTRY("zendmm_ext.exact_fit", "0", PHP_INI_ALL,
		OnUpdateZendmmBool, ini_exact_fit, zend_zendmm_ext_globals, zendmm_ext_globals)
	STD_PHP_INI_ENTRY("zendmm_ext.cache_stat", "1", PHP_INI_ALL,
		OnUpdateZendmmBool, ini_cache_stat, zend_zendmm_ext_globals, zendmm_ext_globals)
PHP_INI_END()

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
	zendmm_engine_ginit(zendmm_ext_globals);   /* last: a thread's engine heap (ZTS) */
}

static PHP_GSHUTDOWN_FUNCTION(zendmm_ext)
{
	zendmm_engine_gshutdown(zendmm_ext_globals);
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

	zendmm_scheme_list[0] = '\0';
	for (i = 0; i < count; i++) {
		size_t used = strlen(zendmm_scheme_list);
		snprintf(zendmm_scheme_list + used, sizeof(zendmm_scheme_list) - used, "%s%s",
			i ? ", " : "", schemes[i]->name);
	}
	zendmm_ini_problems[0] = '\0';

	REGISTER_INI_ENTRIES();

	zendmm_heap_ce = register_class_ZendMM_Heap();
	zendmm_exception_ce = register_class_ZendMM_Exception(spl_ce_RuntimeException);
	zendmm_limit_exception_ce = register_class_ZendMM_MemoryLimitException(zendmm_exception_ce);
	zendmm_oom_exception_ce = register_class_ZendMM_OutOfMemoryException(zendmm_exception_ce);
	register_zendmm_ext_symbols(module_number);

	zendmm_read_env();
	zendmm_heaps_minit();
	zendmm_recorder_minit();
	zendmm_sites_minit(type, module_number); /* before the engine: it reads zendmm_ext.sites */
	zendmm_engine_minit(type, module_number); /* last: it wraps the recorder's gc_mem_caches() */

	zendmm_minit_done = true;
	return SUCCESS;
}

PHP_MSHUTDOWN_FUNCTION(zendmm_ext)
{
	(void)type;
	(void)module_number;
	zendmm_engine_mshutdown();
	zendmm_recorder_mshutdown();
	zendmm_heaps_mshutdown();
	UNREGISTER_INI_ENTRIES();
	zendmm_minit_done = false;
	return SUCCESS;
}

PHP_RINIT_FUNCTION(zendmm_ext)
{
	(void)type;
	(void)module_number;
#if defined(ZTS) && defined(COMPILE_DL_ZENDMM_EXT)
	ZEND_TSRMLS_CACHE_UPDATE();
#endif
	zendmm_engine_rinit(); /* first: the previous request's partial shutdown */
	zendmm_heaps_rinit();
	zendmm_recorder_rinit();
	return SUCCESS;
}

PHP_RSHUTDOWN_FUNCTION(zendmm_ext)
{
	(void)type;
	(void)module_number;
	zendmm_recorder_rshutdown(); /* first: PHP's heap goes back to how it was found */
	zendmm_heaps_rshutdown();
	return SUCCESS;
}

/* the last module hook of a request: PHP still frees request memory after it */
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
	char problems[sizeof(zendmm_env_problems) + sizeof(ZENDMM_G(process_fallback))];
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
	php_info_print_table_row(2, "Default exact_fit", cfg.exact_fit ? "1" : "0");
	php_info_print_table_row(2, "Default cache_stat", cfg.cache_stat ? "1" : "0");

	buf[0] = '\0';
	for (i = 0; i < sizeof(zendmm_env_vars) / sizeof(zendmm_env_vars[0]); i++) {
		if (zendmm_env_set & zendmm_env_vars[i].bit) {
			zendmm_append(buf, sizeof(buf), zendmm_env_vars[i].name);
		}
	}
	php_info_print_table_row(2, "Environment in use", buf[0] ? buf : "none");
	snprintf(problems, sizeof(problems), "%s", zendmm_env_problems);
	if (ZENDMM_G(process_fallback)[0]) {
		zendmm_append(problems, sizeof(problems), ZENDMM_G(process_fallback));
	}
	php_info_print_table_row(2, "Environment problems", problems[0] ? problems : "none");
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
	zendmm_sites_minfo();
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

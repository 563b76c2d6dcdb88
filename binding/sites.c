/*
 * binding/sites.c - allocation sites: which PHP code made each block.
 *
 * The site table (src/sites/) lives beside a heap: a heap made with
 * zendmm_heap_create(['sites' => true]) gets one, and the block functions
 * (binding/blocks.c) record each block's site, the script's caller of
 * zendmm_emalloc() and its kin. zendmm_ext.sites=1 gives the engine heap one
 * (the engine's handlers record every block there). This file captures a
 * site from PHP's call stack, owns the two INI settings, and holds
 * zendmm_sites(), zendmm_pinning() and zendmm_sites_dump().
 */

#include "binding.h"

#include "php_ini.h"
#include "ext/standard/info.h"
#include "sites.h"

#ifdef HAVE_VALGRIND_MEMCHECK_H
# include <valgrind/memcheck.h>
/* the stale instruction word a running frame may hold is read on purpose */
# define SITES_VG_READABLE(addr, len) VALGRIND_MAKE_MEM_DEFINED((addr), (len))
#else
# define SITES_VG_READABLE(addr, len) ((void)0)
#endif

/* ------------------------------------------------------------------------ */
/* INI: zendmm_ext.sites, zendmm_ext.sites_depth (PHP_INI_SYSTEM)           */

static struct {
	bool     engine;   /* zendmm_ext.sites: the engine heap records sites */
	unsigned depth;    /* zendmm_ext.sites_depth: frames per call path */
} sites_ini = { false, 1 };

static ZEND_INI_MH(sites_on_switch)
{
	(void)entry; (void)mh_arg1; (void)mh_arg2; (void)mh_arg3;
	/* ZTS reruns the STARTUP handlers in every new thread: MINIT's run sets it */
	if (stage == ZEND_INI_STAGE_STARTUP && !zendmm_startup_done()) {
		sites_ini.engine = new_value && zend_ini_parse_bool(new_value);
	}
	return SUCCESS;
}

static ZEND_INI_MH(sites_on_depth)
{
	zend_long depth;
	(void)entry; (void)mh_arg1; (void)mh_arg2; (void)mh_arg3;
	if (stage != ZEND_INI_STAGE_STARTUP || zendmm_startup_done()) {
		return SUCCESS;
	}
	char *end = NULL;
	depth = new_value ? ZEND_STRTOL(ZSTR_VAL(new_value), &end, 10) : 1;
	if ((end && *end) || depth < 1 || depth > ZMM_SITES_MAX_DEPTH) {
		php_error_docref(NULL, E_WARNING, "zendmm_ext.sites_depth must be between 1 and %d, \"%s\" given; using 1",
			ZMM_SITES_MAX_DEPTH, new_value ? ZSTR_VAL(new_value) : "");
		return FAILURE;   /* PHP then applies the default, 1 */
	}
	sites_ini.depth = (unsigned)depth;
	return SUCCESS;
}

static const zend_ini_entry_def sites_ini_entries[] = {
	ZEND_INI_ENTRY("zendmm_ext.sites", "0", ZEND_INI_SYSTEM, sites_on_switch)
	ZEND_INI_ENTRY("zendmm_ext.sites_depth", "1", ZEND_INI_SYSTEM, sites_on_depth)
ZEND_INI_END()

void zendmm_sites_minit(int type, int module_number)
{
	zend_register_ini_entries_ex(sites_ini_entries, module_number, type);
}

bool zendmm_sites_engine_requested(void)
{
	return sites_ini.engine;
}

unsigned zendmm_sites_default_depth(void)
{
	return sites_ini.depth;
}

void zendmm_sites_minfo(void)
{
	char buf[128];
	if (!sites_ini.engine) {
		snprintf(buf, sizeof(buf), "off");
	} else if (!zendmm_engine_sites()) {
		snprintf(buf, sizeof(buf), "not recorded: the engine heap is off");
	} else {
		snprintf(buf, sizeof(buf), "on, call paths of up to %u frame%s", sites_ini.depth, sites_ini.depth == 1 ? "" : "s");
	}
	php_info_print_table_row(2, "Allocation sites of the engine heap (zendmm_ext.sites)", buf);
}

/* ------------------------------------------------------------------------ */
/* a site from PHP's call stack                                              */

/* "Class::method", "function", "{main}" (top-level code of any file) */
static const char *sites_function_name(const zend_function *func, char *buf, size_t len)
{
	if (!func->common.function_name) {
		return "{main}";
	}
	if (func->common.scope) {
		snprintf(buf, len, "%s::%s", ZSTR_VAL(func->common.scope->name), ZSTR_VAL(func->common.function_name));
		return buf;
	}
	return ZSTR_VAL(func->common.function_name);
}

#define SITES_NAME_LEN 160

/* The instruction a user frame runs, as far as PHP has saved it. PHP keeps
 * the running frame's instruction in a register and stores it in the frame
 * only before calls and before what may throw, so a frame that has not yet
 * stored one holds whatever the VM stack held there: the pointer is used
 * only when it lies inside the frame's own code, else the frame counts as
 * at its first line (NULL here). */
static const zend_op *sites_frame_opline(const zend_execute_data *ex)
{
	const zend_op_array *op_array = &ex->func->op_array;
	uintptr_t at, start = (uintptr_t)op_array->opcodes;

	/* under memcheck those bytes may be undefined: the check below is what
	 * makes reading them safe (a no-op outside valgrind) */
	SITES_VG_READABLE(&ex->opline, sizeof(ex->opline));
	at = (uintptr_t)ex->opline;

	if (at - start < (uintptr_t)op_array->last * sizeof(zend_op) && (at - start) % sizeof(zend_op) == 0) {
		return ex->opline;
	}
	return NULL;
}

zmm_site_id zendmm_sites_capture(zmm_sites *sites, unsigned depth, const char *no_user_code)
{
	zend_execute_data *ex = EG(current_execute_data);
	zend_execute_data *frames[ZMM_SITES_MAX_DEPTH];
	uintptr_t key[2 * ZMM_SITES_MAX_DEPTH];
	size_t n = 0;
	zmm_site_id site;

	key[0] = key[1] = 0;
	/* the innermost frame of user code, then its callers */
	while (ex && !(ex->func && ZEND_USER_CODE(ex->func->type))) {
		ex = ex->prev_execute_data;
	}
	if (!ex) {
		zmm_site_frame none = { no_user_code, "", 0 };
		return zmm_sites_intern(sites, &none, 1);
	}
	if (depth > ZMM_SITES_MAX_DEPTH) {
		depth = ZMM_SITES_MAX_DEPTH;
	}
	for (; ex && n < depth; ex = ex->prev_execute_data) {
		if (!ex->func) {
			continue;
		}
		key[2 * n] = (uintptr_t)ex->func;
		key[2 * n + 1] = ZEND_USER_CODE(ex->func->type) ? (uintptr_t)sites_frame_opline(ex) : 0;
		frames[n++] = ex;
	}
	/* the memo: the frames' functions and instructions name the path while
	 * the table lives (it is reset with the heap) */
	site = zmm_sites_memo_find(sites, key, 2 * n);
	if (EXPECTED(site != ZMM_SITE_NONE)) {
		return site;
	}
	{
		zmm_site_frame f[ZMM_SITES_MAX_DEPTH];
		char names[ZMM_SITES_MAX_DEPTH][SITES_NAME_LEN];
		for (size_t i = 0; i < n; i++) {
			const zend_function *func = frames[i]->func;
			f[i].function = sites_function_name(func, names[i], sizeof(names[i]));
			if (ZEND_USER_CODE(func->type)) {
				f[i].file = func->op_array.filename ? ZSTR_VAL(func->op_array.filename) : "";
				const zend_op *op = sites_frame_opline(frames[i]);
				f[i].line = op ? op->lineno : func->op_array.line_start;
			} else {
				f[i].file = "";
				f[i].line = 0;
			}
		}
		site = zmm_sites_intern(sites, f, n);
	}
	zmm_sites_memo_store(sites, key, 2 * n, site);
	return site;
}

/* ------------------------------------------------------------------------ */
/* script heaps: recording from the block functions                          */

void zendmm_sites_note_alloc(zendmm_heap_object *o, void *p)
{
	zmm_site_id site = zendmm_sites_capture(o->sites, o->sites_depth, "(internal)");
	zmm_sites_record(o->sites, p, zmm_usable_size(o->heap, p), site);
}

void zendmm_sites_note_realloc(zendmm_heap_object *o, void *old_ptr, void *p)
{
	zmm_sites_move(o->sites, old_ptr, p, zmm_usable_size(o->heap, p));
}

void zendmm_sites_note_free(zendmm_heap_object *o, void *p)
{
	zmm_sites_forget(o->sites, p);
}

/* ------------------------------------------------------------------------ */
/* the table behind a heap argument                                          */

zmm_sites *zendmm_heap_sites(zval *zh)
{
	zendmm_heap_object *o = Z_ZENDMM_HEAP_P(zh);
	if (o->is_process) {
		return zendmm_engine_heap() ? zendmm_engine_sites() : NULL;
	}
	return o->sites;
}

static ZEND_COLD void sites_not_recorded(void)
{
	zend_throw_exception(zendmm_exception_ce, "This heap records no sites: make it with "
		"zendmm_heap_create(['sites' => true]), or set zendmm_ext.sites=1 for the engine heap", 0);
}

/* ------------------------------------------------------------------------ */
/* arrays                                                                    */

static void sites_add_label(zval *arr, const char *key, const zmm_sites *sites, zmm_site_id site)
{
	char buf[512];
	size_t n = zmm_site_label(sites, site, buf, sizeof(buf));
	add_assoc_stringl(arr, key, buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}

static void sites_add_path(zval *arr, const zmm_sites *sites, zmm_site_id site)
{
	zval path, frame;
	zmm_site_frame f;
	size_t depth = zmm_site_depth(sites, site);

	array_init_size(&path, (uint32_t)depth);
	for (size_t i = 0; i < depth; i++) {
		zmm_site_frame_at(sites, site, i, &f);
		array_init_size(&frame, 3);
		add_assoc_string(&frame, "function", (char *)f.function);
		add_assoc_string(&frame, "file", (char *)f.file);
		add_assoc_long(&frame, "line", (zend_long)f.line);
		add_next_index_zval(&path, &frame);
	}
	add_assoc_zval(arr, "path", &path);
}

PHP_FUNCTION(zendmm_sites)
{
	zval *zh;
	zend_long limit = 50;
	zmm_heap *heap;
	zendmm_error_state *state;
	zmm_sites *sites;
	zmm_site_usage *u = NULL;
	size_t n = 0;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(limit)
	ZEND_PARSE_PARAMETERS_END();

	if (limit < 0) {
		zend_argument_value_error(2, "must be greater than or equal to 0");
		RETURN_THROWS();
	}
	ZENDMM_HEAP_FETCH(zh, heap, state);
	(void)state;
	if (!(sites = zendmm_heap_sites(zh))) {
		sites_not_recorded();
		RETURN_THROWS();
	}
	/* the walk and the sums first, into malloc memory: building the array
	 * may allocate from this very heap (the engine heap) */
	if (!zmm_sites_usage(sites, heap, &u, &n, NULL)) {
		free(u);
		zend_throw_exception(zendmm_exception_ce, "The heap could not be read to the end (damaged), or memory ran out", 0);
		RETURN_THROWS();
	}
	if (limit > 0 && (size_t)limit < n) {
		n = (size_t)limit;
	}
	array_init_size(return_value, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		zval entry;
		zmm_site_frame f = { ZMM_SITE_UNKNOWN_LABEL, "", 0 };
		zmm_site_frame_at(sites, u[i].site, 0, &f);
		array_init_size(&entry, 11);
		sites_add_label(&entry, "site", sites, u[i].site);
		add_assoc_string(&entry, "function", (char *)f.function);
		add_assoc_string(&entry, "file", (char *)f.file);
		add_assoc_long(&entry, "line", (zend_long)f.line);
		add_assoc_long(&entry, "blocks", (zend_long)u[i].blocks);
		add_assoc_long(&entry, "requested", (zend_long)u[i].requested);
		add_assoc_long(&entry, "bytes", (zend_long)u[i].bytes);
		add_assoc_long(&entry, "header", (zend_long)u[i].header);
		add_assoc_long(&entry, "rounding", (zend_long)u[i].rounding);
		add_assoc_long(&entry, "charged", (zend_long)(u[i].header + u[i].rounding));
		sites_add_path(&entry, sites, u[i].site);
		add_next_index_zval(return_value, &entry);
	}
	free(u);
}

PHP_FUNCTION(zendmm_pinning)
{
	zval *zh;
	double max_use = 0.25;
	zmm_heap *heap;
	zendmm_error_state *state;
	zmm_sites *sites;
	zmm_pinning pin;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_OPTIONAL
		Z_PARAM_DOUBLE(max_use)
	ZEND_PARSE_PARAMETERS_END();

	if (!(max_use >= 0.0 && max_use <= 1.0)) {   /* NaN too */
		zend_argument_value_error(2, "must be between 0 and 1");
		RETURN_THROWS();
	}
	ZENDMM_HEAP_FETCH(zh, heap, state);
	(void)state;
	sites = zendmm_heap_sites(zh);

	if (!zmm_sites_pinning(sites, heap, max_use, &pin)) {
		zmm_pinning_free(&pin);
		zend_throw_exception(zendmm_exception_ce, "The heap could not be read to the end (damaged), or memory ran out", 0);
		RETURN_THROWS();
	}
	array_init_size(return_value, (uint32_t)pin.nsegments);
	for (size_t i = 0; i < pin.nsegments; i++) {
		const zmm_pinned_segment *g = &pin.segments[i];
		zval seg, blocks, by_site;
		array_init_size(&seg, 9);
		add_assoc_long(&seg, "address", (zend_long)g->address);
		add_assoc_long(&seg, "size", (zend_long)g->size);
		add_assoc_long(&seg, "live_bytes", (zend_long)g->live_bytes);
		add_assoc_double(&seg, "use", g->size ? (double)g->live_bytes / (double)g->size : 0.0);
		add_assoc_long(&seg, "cached_bytes", (zend_long)g->cached_bytes);
		add_assoc_long(&seg, "free_bytes", (zend_long)g->free_bytes);
		add_assoc_long(&seg, "returns", (zend_long)g->size);
		array_init_size(&blocks, (uint32_t)g->count);
		array_init(&by_site);
		for (size_t k = g->first; k < g->first + g->count; k++) {
			const zmm_pinned_block *b = &pin.blocks[k];
			zval blk, *have;
			char label[512];
			array_init_size(&blk, 5);
			add_assoc_long(&blk, "ptr", (zend_long)b->ptr);
			add_assoc_long(&blk, "size", (zend_long)b->size);
			add_assoc_long(&blk, "requested", (zend_long)b->requested);
			if (b->reserve) {
				snprintf(label, sizeof(label), "(reserve)");
			} else if (sites) {
				zmm_site_label(sites, b->site, label, sizeof(label));
			} else {
				label[0] = '\0';
			}
			if (label[0]) {
				add_assoc_string(&blk, "site", label);
			} else {
				add_assoc_null(&blk, "site");
			}
			add_next_index_zval(&blocks, &blk);
			if (label[0]) {   /* bytes per site, in order of first appearance */
				have = zend_symtable_str_find(Z_ARRVAL(by_site), label, strlen(label));
				if (have) {
					ZVAL_LONG(have, Z_LVAL_P(have) + (zend_long)b->size);
				} else {
					add_assoc_long(&by_site, label, (zend_long)b->size);
				}
			}
		}
		add_assoc_zval(&seg, "blocks", &blocks);
		add_assoc_zval(&seg, "sites", &by_site);
		add_next_index_zval(return_value, &seg);
	}
	zmm_pinning_free(&pin);
}

PHP_FUNCTION(zendmm_sites_dump)
{
	zval *zh;
	zend_string *format;
	char *path;
	size_t path_len;
	zmm_heap *heap;
	zendmm_error_state *state;
	zmm_sites *sites;
	zmm_sites_format fmt;
	char *out = NULL;
	size_t len = 0;
	php_stream *stream;

	ZEND_PARSE_PARAMETERS_START(3, 3)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_STR(format)
		Z_PARAM_PATH(path, path_len)
	ZEND_PARSE_PARAMETERS_END();

	if (ZSTR_LEN(format) != strlen(ZSTR_VAL(format)) || !zmm_sites_format_from_name(ZSTR_VAL(format), &fmt)) {
		zend_argument_value_error(2, "must be one of \"callgrind\", \"pprof\", \"folded\"");
		RETURN_THROWS();
	}
	if (path_len == 0) {
		zend_argument_value_error(3, "must not be empty");
		RETURN_THROWS();
	}
	ZENDMM_HEAP_FETCH(zh, heap, state);
	(void)state;
	if (!(sites = zendmm_heap_sites(zh))) {
		sites_not_recorded();
		RETURN_THROWS();
	}
	if (!zmm_sites_dump(sites, heap, fmt, &out, &len)) {
		zend_throw_exception(zendmm_exception_ce, "The heap could not be read to the end (damaged), or memory ran out", 0);
		RETURN_THROWS();
	}
	/* the whole file is made before it is opened: a failure leaves nothing */
	errno = 0;
	stream = php_stream_open_wrapper(path, "wb", 0, NULL);
	if (!stream) {
		free(out);
		zend_throw_exception_ex(zendmm_exception_ce, 0, "Cannot write the %s dump to \"%s\": %s",
			zmm_sites_format_name(fmt), path, errno ? strerror(errno) : "cannot open the file");
		RETURN_THROWS();
	}
	if (php_stream_write(stream, out, len) != (ssize_t)len) {
		php_stream_close(stream);
		free(out);
		VCWD_UNLINK(path);
		zend_throw_exception_ex(zendmm_exception_ce, 0, "Cannot write the %s dump to \"%s\": the write failed",
			zmm_sites_format_name(fmt), path);
		RETURN_THROWS();
	}
	php_stream_close(stream);
	free(out);
}

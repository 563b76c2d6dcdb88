/*
 * binding/pictures.c - where the memory goes: zendmm_breakdown() (real_size
 * in its parts, zmm_heap_breakdown) and zendmm_trace_html() (the trace
 * player of src/heapmap/heapmap_player.c around a replay of src/trace/).
 * zendmm_heap_map($heap, "html"), the explorer, is zendmm_heap_map's
 * (binding/inspection.c).
 */

#include "binding.h"
#include "heapmap.h"
#include "trace.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

/* ------------------------------------------------------------------------ */
/* zendmm_breakdown()                                                        */

PHP_FUNCTION(zendmm_breakdown)
{
	zmm_heap *heap;
	zmm_breakdown b;

	heap = zendmm_heap_only_arg(INTERNAL_FUNCTION_PARAM_PASSTHRU);
	if (!heap) {
		RETURN_THROWS();
	}
	zmm_heap_breakdown(heap, &b);

	array_init_size(return_value, 14);
	add_assoc_long(return_value, "real_size", (zend_long)b.real_size);
	/* null: this heap does not record what was asked for (track_blocks off) */
	if (b.requested_known) {
		add_assoc_long(return_value, "payload", (zend_long)b.payload);
	} else {
		add_assoc_null(return_value, "payload");
	}
	add_assoc_long(return_value, "headers", (zend_long)b.headers);
	if (b.requested_known) {
		add_assoc_long(return_value, "rounding", (zend_long)b.rounding);
	} else {
		add_assoc_null(return_value, "rounding");
	}
	add_assoc_long(return_value, "payload_and_rounding", (zend_long)b.payload_and_rounding);
	add_assoc_long(return_value, "cached", (zend_long)b.cached);
	add_assoc_long(return_value, "free_small", (zend_long)b.free_small);
	add_assoc_long(return_value, "free_large", (zend_long)b.free_large);
	add_assoc_long(return_value, "rest", (zend_long)b.rest);
	add_assoc_long(return_value, "segment_overhead", (zend_long)b.segment_overhead);
	add_assoc_long(return_value, "reserve", (zend_long)b.reserve);
	add_assoc_long(return_value, "used_blocks", (zend_long)b.used_blocks);
	add_assoc_bool(return_value, "requested_known", b.requested_known);
	add_assoc_bool(return_value, "complete", b.complete);
	if (!b.complete) {
		php_error_docref(NULL, E_WARNING, "The heap is damaged; the walk stopped at the damage, so the parts "
			"do not add up to real_size (zendmm_check_heap() tells more)");
	}
}

/* ------------------------------------------------------------------------ */
/* zendmm_trace_html()                                                       */

typedef struct zendmm_player_replay {
	zmm_map_player *player;
	zmm_heap       *heap;
} zendmm_player_replay;

/* after each window of the replay: a frame, marking the window's last step */
static bool zendmm_player_window(void *ctx, size_t done, const zmm_trace_step *last, const void *before,
	const void *after)
{
	zendmm_player_replay *r = ctx;
	zmm_player_event ev = { ZMM_PLAYER_NONE, 0, 0 };

	if (last) {
		ev.op = last->op == ZMM_TRACE_ALLOC ? ZMM_PLAYER_ALLOC
			: last->op == ZMM_TRACE_FREE ? ZMM_PLAYER_FREE : ZMM_PLAYER_REALLOC;
		ev.ptr = (uintptr_t)(last->op == ZMM_TRACE_FREE ? before : after);
		ev.size = last->op == ZMM_TRACE_FREE ? 0 : (size_t)last->size;
	}
	return zmm_map_player_frame(r->player, r->heap, done, last ? &ev : NULL);
}

/* the file name of a path without ".trace", for the page's title (as bench/replay names it) */
static void zendmm_trace_name(const char *path, char *out, size_t len)
{
	const char *s = strrchr(path, '/');
	char *dot;
	snprintf(out, len, "%s", s ? s + 1 : path);
	dot = strstr(out, ".trace");
	if (dot) {
		*dot = '\0';
	}
}

/* A path argument: not empty, no NUL, inside open_basedir; resolved into out. */
static bool zendmm_path_arg(uint32_t arg, zend_string *path, char *out, const char *what)
{
	if (ZSTR_LEN(path) == 0) {
		zend_argument_value_error(arg, "cannot be empty");
		return false;
	}
	if (strlen(ZSTR_VAL(path)) != ZSTR_LEN(path) || !expand_filepath(ZSTR_VAL(path), out)) {
		zend_argument_value_error(arg, "is not a usable path");
		return false;
	}
	if (php_check_open_basedir_ex(out, 0)) {
		zend_throw_exception_ex(zendmm_exception_ce, 0, "Cannot %s \"%s\": the path is outside of open_basedir",
			what, ZSTR_VAL(path));
		return false;
	}
	return true;
}

/* Replay the program on a fresh heap into a page (malloc'd); NULL with an exception thrown. */
static char *zendmm_player_page(const zmm_trace_program *prog, const char *name, zend_long alignment, size_t *len)
{
	zmm_config cfg;
	char err[256] = "";
	zendmm_player_replay r;
	void **slots;
	char *page = NULL;
	bool ok;

	/* a heap as zendmm_heap_create() makes one, with the live-block index for the requested sizes */
	zendmm_default_config(&cfg);
	cfg.alignment = (size_t)alignment;
	cfg.track_blocks = true;
	cfg.use_zend_alloc = true;
	cfg.limit = ZMM_NO_LIMIT;
	cfg.on_error = NULL;
	cfg.error_ctx = NULL;
	r.heap = zmm_heap_create(&cfg, err, sizeof(err));
	if (!r.heap) {
		zend_throw_exception_ex(zendmm_exception_ce, 0, "Cannot make the heap to replay on: %s", err);
		return NULL;
	}
	slots = calloc(prog->nslots ? prog->nslots : 1, sizeof(void *));
	r.player = zmm_map_player_new(name, prog->nsteps);
	ok = slots && r.player;
	if (ok) {
		zmm_trace_replay_windows(prog, r.heap, slots, zmm_map_player_every(r.player), zendmm_player_window, &r);
		ok = zmm_map_player_finish(r.player, 0, &page, len);
		zmm_trace_release(prog, r.heap, slots);
	}
	zmm_map_player_free(r.player);
	free(slots);
	zmm_heap_destroy(r.heap);
	if (!ok) {
		zend_throw_exception(zendmm_oom_exception_ce, "Out of memory while drawing the trace player", 0);
		return NULL;
	}
	return page;
}

/* Write the page next to out, then move it into place: a failed write leaves nothing. */
static bool zendmm_write_page(const char *out, const char *shown, const char *page, size_t len)
{
	char tmp[MAXPATHLEN + 16];
	FILE *f;
	bool ok;

	/* a name of this call's own: the page's address and the time (VCWD_*: portable to Windows) */
	snprintf(tmp, sizeof(tmp), "%s.%lx%lx.tmp", out, (unsigned long)(uintptr_t)page, (unsigned long)time(NULL));
	f = fopen(tmp, "wb");
	if (!f) {
		zend_throw_exception_ex(zendmm_exception_ce, 0, "Cannot write the player to \"%s\": %s", shown,
			strerror(errno));
		return false;
	}
	ok = fwrite(page, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	if (!ok || VCWD_RENAME(tmp, out) != 0) {
		int e = errno;
		VCWD_UNLINK(tmp);
		zend_throw_exception_ex(zendmm_exception_ce, 0, "Cannot write the player to \"%s\": %s", shown,
			strerror(e));
		return false;
	}
	return true;
}

PHP_FUNCTION(zendmm_trace_html)
{
	zend_string *trace, *out;
	zend_long alignment = 8;
	char trace_path[MAXPATHLEN], out_path[MAXPATHLEN], name[128], err[256] = "";
	zmm_trace_program prog;
	char *page;
	size_t len = 0;

	ZEND_PARSE_PARAMETERS_START(2, 3)
		Z_PARAM_STR(trace)
		Z_PARAM_STR(out)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(alignment)
	ZEND_PARSE_PARAMETERS_END();

	if (!zendmm_path_arg(1, trace, trace_path, "read a trace from")
			|| !zendmm_path_arg(2, out, out_path, "write the player to")) {
		RETURN_THROWS();
	}
	if (alignment != 8 && alignment != 16) {
		zend_argument_value_error(3, "must be 8 or 16 (16 for a zendmm_ext.engine_trace), " ZEND_LONG_FMT " given",
			alignment);
		RETURN_THROWS();
	}
	if (!zmm_trace_program_load_file(&prog, trace_path, err, sizeof(err))) {
		zend_argument_value_error(1, "must be a readable zendmm trace: %s", err);
		RETURN_THROWS();
	}
	zendmm_trace_name(trace_path, name, sizeof(name));
	page = zendmm_player_page(&prog, name, alignment, &len);
	zmm_trace_program_free(&prog);
	if (!page) {
		RETURN_THROWS();
	}
	zendmm_write_page(out_path, ZSTR_VAL(out), page, len);
	free(page);
}

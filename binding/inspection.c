/*
 * binding/inspection.c - what a heap looks like, read without changing it:
 * zendmm_stats(), usage and peak, zendmm_buckets(), zendmm_segments(),
 * zendmm_check_heap() and the heap maps (src/heapmap/: text, SVG, JSON and
 * the HTML explorer; zendmm_breakdown() and the trace player are in pictures.c).
 */

#include "binding.h"
#include "heapmap.h"

/* ------------------------------------------------------------------------ */
/* stats and usage                                                           */

static void zendmm_block_to_zval(zval *out, const zmm_block_view *b)
{
	array_init_size(out, 5);
	add_assoc_long(out, "address", (zend_long)b->address);
	add_assoc_long(out, "ptr", (zend_long)b->ptr);
	add_assoc_long(out, "size", (zend_long)b->size);
	add_assoc_string(out, "state", (char *)zmm_block_state_name(b->state));
	add_assoc_long(out, "bucket", (zend_long)b->bucket);
}

/* zendmm_stats() and zendmm_buckets(): the heap argument and a snapshot of
 * its stats; NULL once an exception is thrown. */
static zmm_heap *zendmm_stats_arg(INTERNAL_FUNCTION_PARAMETERS, zmm_stats *s)
{
	zmm_heap *heap = zendmm_heap_only_arg(INTERNAL_FUNCTION_PARAM_PASSTHRU);

	if (heap) {
		memset(s, 0, sizeof(*s));
		zmm_heap_stats(heap, s);
	}
	return heap;
}

PHP_FUNCTION(zendmm_stats)
{
	zval cache_stat;
	zmm_heap *heap;
	zmm_stats s;
	int i;

	heap = zendmm_stats_arg(INTERNAL_FUNCTION_PARAM_PASSTHRU, &s);
	if (!heap) {
		RETURN_THROWS();
	}

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
	add_assoc_bool(return_value, "exact_fit", s.exact_fit);
	add_assoc_long(return_value, "header_size", (zend_long)s.header_size);
	add_assoc_long(return_value, "free_header_size", (zend_long)s.free_header_size);
	add_assoc_long(return_value, "min_block_size", (zend_long)s.min_block_size);
	add_assoc_long(return_value, "min_request", (zend_long)s.min_request);
	add_assoc_long(return_value, "max_small_size", (zend_long)s.max_small_size);

	if (!s.cache_stats) {   /* 'cache_stat' => false: nothing was counted */
		add_assoc_null(return_value, "cache_stat");
		return;
	}
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

/* ------------------------------------------------------------------------ */
/* free lists and segments                                                   */

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

	heap = zendmm_stats_arg(INTERNAL_FUNCTION_PARAM_PASSTHRU, &s);
	if (!heap) {
		RETURN_THROWS();
	}

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

/* ------------------------------------------------------------------------ */
/* integrity check                                                           */

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

/* ------------------------------------------------------------------------ */
/* heap maps (src/heapmap/)                                                  */

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
		zend_argument_value_error(2, "must be one of \"text\", \"svg\", \"json\", \"html\"");
		RETURN_THROWS();
	}
	if (!width_null && fmt != ZMM_MAP_JSON) {
		zend_long lo = fmt == ZMM_MAP_TEXT ? ZMM_MAP_TEXT_MIN_WIDTH : ZMM_MAP_SVG_MIN_WIDTH;
		zend_long hi = fmt == ZMM_MAP_TEXT ? ZMM_MAP_TEXT_MAX_WIDTH : ZMM_MAP_SVG_MAX_WIDTH;   /* html: as svg */
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

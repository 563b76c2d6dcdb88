/*
 * heapmap_json.c - the JSON map (see heapmap.h for its shape): the model's
 * stats and segments, plus the free buckets, large tries, rest list and cache
 * read straight from the heap, each with the keys and nesting of the PHP
 * functions zendmm_stats(), zendmm_segments() and zendmm_buckets(), so one
 * reader handles both. Integers are written as PHP's signed 64-bit integers.
 */
#include "portable.h"
#include "heapmap_model.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a JSON string literal */
static void json_str(zmm_strbuf *b, const char *s)
{
    zmm_sb_putc(b, '"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { zmm_sb_putc(b, '\\'); zmm_sb_putc(b, (char)c); }
        else if (c == '\n') zmm_sb_puts(b, "\\n");
        else if (c == '\t') zmm_sb_puts(b, "\\t");
        else if (c == '\r') zmm_sb_puts(b, "\\r");
        else if (c < 0x20) zmm_sb_printf(b, "\\u%04x", c);
        else zmm_sb_putc(b, (char)c);
    }
    zmm_sb_putc(b, '"');
}

/* an integer as PHP's zend_long sees it (what the zendmm_* arrays hold) */
static void json_int(zmm_strbuf *b, size_t v)
{
    zmm_sb_printf(b, "%lld", (long long)(int64_t)(uint64_t)v);
}

static void json_block(zmm_strbuf *b, const zmm_block_view *v)
{
    zmm_sb_puts(b, "{\"address\":");
    json_int(b, v->address);
    zmm_sb_puts(b, ",\"ptr\":");
    json_int(b, v->ptr);
    zmm_sb_puts(b, ",\"size\":");
    json_int(b, v->size);
    zmm_sb_puts(b, ",\"state\":");
    json_str(b, zmm_block_state_name(v->state));
    zmm_sb_printf(b, ",\"bucket\":%d}", v->bucket);
}

typedef struct json_list {
    zmm_strbuf  *b;
    size_t n;
} json_list;

static void json_list_cb(int index, const zmm_block_view *block, void *ctx)
{
    json_list *l = (json_list *)ctx;
    (void)index;
    if (l->n++) zmm_sb_putc(l->b, ',');
    json_block(l->b, block);
}

/* One JSON list per bucket ([[...],[...],...] without the outer brackets):
 * the free buckets and the cache lists have the same shape. */
static void json_bucket_lists(zmm_strbuf *b, const zmm_heap *heap,
                              void (*inspect)(const zmm_heap *, int, zmm_list_cb, void *))
{
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        json_list l = { b, 0 };
        zmm_sb_puts(b, i ? ",[" : "[");
        inspect(heap, i, json_list_cb, &l);
        zmm_sb_putc(b, ']');
    }
}

typedef struct trie_node {
    zmm_block_view block;
    int            depth, child_bit;
    size_t         twin_first, twin_count;
} trie_node;

typedef struct trie_walk {
    trie_node *nodes;
    size_t     count, cap;
    uintptr_t *twins;
    size_t     ntwins, twincap;
    bool       oom;
} trie_walk;

static void trie_node_cb(int index, const zmm_trie_node_view *node, void *ctx)
{
    trie_walk *w = (trie_walk *)ctx;
    (void)index;
    if (w->oom) return;
    if (w->count == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        trie_node *p = realloc(w->nodes, cap * sizeof *p);
        if (!p) { w->oom = true; return; }
        w->nodes = p;
        w->cap = cap;
    }
    trie_node *n = &w->nodes[w->count++];
    n->block = node->block;
    n->depth = node->depth;
    n->child_bit = node->child_bit;
    n->twin_first = w->ntwins;
    n->twin_count = 0;
}

static void trie_twin_cb(int index, const zmm_block_view *block, void *ctx)
{
    trie_walk *w = (trie_walk *)ctx;
    (void)index;
    if (w->oom || !w->count) return;
    if (w->ntwins == w->twincap) {
        size_t cap = w->twincap ? w->twincap * 2 : 16;
        uintptr_t *p = realloc(w->twins, cap * sizeof *p);
        if (!p) { w->oom = true; return; }
        w->twins = p;
        w->twincap = cap;
    }
    w->twins[w->ntwins++] = block->address;
    w->nodes[w->count - 1].twin_count++;
}

/* Write node i (as zendmm_buckets() nests it); returns the index after its subtree. */
static size_t json_trie(zmm_strbuf *b, const trie_walk *w, size_t i)
{
    const trie_node *n = &w->nodes[i];
    size_t child[2] = { SIZE_MAX, SIZE_MAX };
    size_t j = i + 1;
    while (j < w->count && w->nodes[j].depth > n->depth) {
        const trie_node *c = &w->nodes[j];
        if (c->depth == n->depth + 1 && (c->child_bit == 0 || c->child_bit == 1)) {
            child[c->child_bit] = j;
            /* skip its subtree */
            j++;
            while (j < w->count && w->nodes[j].depth > c->depth) j++;
        } else {
            j++;
        }
    }
    zmm_sb_puts(b, "{\"address\":");
    json_int(b, n->block.address);
    zmm_sb_puts(b, ",\"size\":");
    json_int(b, n->block.size);
    zmm_sb_puts(b, ",\"twins\":[");
    for (size_t t = 0; t < n->twin_count; t++) {
        if (t) zmm_sb_putc(b, ',');
        json_int(b, w->twins[n->twin_first + t]);
    }
    zmm_sb_putc(b, ']');
    for (int k = 0; k < 2; k++) {
        zmm_sb_puts(b, k ? ",\"child1\":" : ",\"child0\":");
        if (child[k] == SIZE_MAX) zmm_sb_puts(b, "null");
        else json_trie(b, w, child[k]);
    }
    zmm_sb_putc(b, '}');
    return j;
}

/* 5.3's cache_stat, or null when the heap does not count it (its cache_stat option) */
static void json_cache_stat(zmm_strbuf *b, const zmm_stats *s)
{
    if (!s->cache_stats) {
        zmm_sb_puts(b, ",\"cache_stat\":null");
        return;
    }
    zmm_sb_puts(b, ",\"cache_stat\":[");
    for (int i = 0; i <= ZMM_NUM_BUCKETS; i++) {
        const zmm_cache_stat *c = &s->cache_stat[i];
        zmm_sb_printf(b, "%s{\"count\":%d,\"max_count\":%d,\"hit\":%d,\"miss\":%d}", i ? "," : "", c->count,
                      c->max_count, c->hit, c->miss);
    }
    zmm_sb_puts(b, "]");
}

static void json_stats(zmm_strbuf *b, const zmm_stats *s)
{
#define JI(key, val) do { zmm_sb_puts(b, ",\"" key "\":"); json_int(b, (size_t)(val)); } while (0)
#define JB(key, val) zmm_sb_printf(b, ",\"" key "\":%s", (val) ? "true" : "false")
#define JS(key, val) do { zmm_sb_puts(b, ",\"" key "\":"); json_str(b, (val)); } while (0)
    zmm_sb_printf(b, "{\"use_zend_alloc\":%d", s->use_zend_alloc);
    JI("free_bitmap", s->free_bitmap);
    JI("large_free_bitmap", s->large_free_bitmap);
    JI("block_size", s->block_size);
    JI("segment_size", s->block_size);
    JI("compact_size", s->compact_size);
    JS("storage", s->storage ? s->storage : "");
    JS("storage_data", s->storage_data);
    JI("real_size", s->real_size);
    JI("real_peak", s->real_peak);
    if (s->limit == ZMM_NO_LIMIT) zmm_sb_puts(b, ",\"limit\":-1");
    else JI("limit", s->limit);
    JI("size", s->size);
    JI("peak", s->peak);
    JI("reserve_size", s->reserve_size);
    JB("reserve", s->reserve_held);
    zmm_sb_printf(b, ",\"overflow\":%d,\"internal\":%d", s->overflow, s->internal);
    JI("cached", s->cached);
    zmm_sb_printf(b, ",\"rest_count\":%d", s->rest_count);
    JI("segments", s->segments);
    JI("live_blocks", s->live_blocks);
    JB("cache", s->cache_enabled);
    JI("cache_size", s->cache_size);
    JB("cookies", s->cookies);
    JB("protection", s->protection);
    JB("fill_freed", s->fill_freed);
    JB("track_blocks", s->track_blocks);
    JI("alignment", s->alignment);
    JB("exact_fit", s->exact_fit);
    JI("header_size", s->header_size);
    JI("free_header_size", s->free_header_size);
    JI("min_block_size", s->min_block_size);
    JI("min_request", s->min_request);
    JI("max_small_size", s->max_small_size);
    json_cache_stat(b, s);
    zmm_sb_puts(b, "}");
#undef JI
#undef JB
#undef JS
}

void zmm_map_render_json(zmm_strbuf *b, const zmm_heap *heap, const map_model *m)
{
    zmm_sb_printf(b, "{\"map\":1,\"complete\":%s,\"stats\":", m->complete ? "true" : "false");
    json_stats(b, &m->stats);

    zmm_sb_puts(b, ",\"segments\":[");
    for (size_t i = 0; i < m->nsegs; i++) {
        const map_seg *s = &m->segs[i];
        zmm_sb_puts(b, i ? ",{\"address\":" : "{\"address\":");
        json_int(b, s->v.address);
        zmm_sb_puts(b, ",\"size\":");
        json_int(b, s->v.size);
        zmm_sb_puts(b, ",\"storage\":");
        json_str(b, s->v.storage ? s->v.storage : "");
        zmm_sb_puts(b, ",\"blocks\":[");
        for (size_t j = 0; j < s->count; j++) {
            if (j) zmm_sb_putc(b, ',');
            json_block(b, &m->blocks[s->first + j]);
        }
        zmm_sb_puts(b, "]}");
    }
    zmm_sb_puts(b, "]");

    zmm_sb_puts(b, ",\"buckets\":{\"free_bitmap\":");
    json_int(b, m->stats.free_bitmap);
    zmm_sb_puts(b, ",\"large_free_bitmap\":");
    json_int(b, m->stats.large_free_bitmap);
    zmm_sb_puts(b, ",\"free_buckets\":[");
    json_bucket_lists(b, heap, zmm_inspect_free_bucket);
    zmm_sb_puts(b, "],\"large_free_buckets\":[");
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        trie_walk w;
        memset(&w, 0, sizeof w);
        if (i) zmm_sb_putc(b, ',');
        zmm_inspect_large_tree(heap, i, trie_node_cb, trie_twin_cb, &w);
        if (w.oom) b->oom = true;
        if (w.count && !w.oom) json_trie(b, &w, 0);
        else zmm_sb_puts(b, "null");
        free(w.nodes);
        free(w.twins);
    }
    zmm_sb_puts(b, "],\"rest_buckets\":[");
    {
        json_list l = { b, 0 };
        zmm_inspect_rest(heap, json_list_cb, &l);
    }
    zmm_sb_puts(b, "],\"cache\":[");
    json_bucket_lists(b, heap, zmm_inspect_cache);
    zmm_sb_puts(b, "]}}\n");
}

/*
 * heapmap_model.c - the heap read once into the map model (heapmap_model.h):
 * the inspection callbacks that collect segments, blocks and per-state and
 * per-bucket counts, the state tables, and the stats lines text and SVG both
 * print. Every buffer comes from malloc, never from the heap being read, so
 * reading does not change what is read.
 */
#include "portable.h"
#include "heapmap_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the model ------------------------------------------------------------- */

static void model_seg_cb(const zmm_segment_view *seg, void *ctx)
{
    map_model *m = (map_model *)ctx;
    if (m->oom) return;
    if (m->nsegs == m->segcap) {
        size_t cap = m->segcap ? m->segcap * 2 : 16;
        map_seg *p = realloc(m->segs, cap * sizeof *p);
        if (!p) { m->oom = true; return; }
        m->segs = p;
        m->segcap = cap;
    }
    map_seg *s = &m->segs[m->nsegs++];
    s->v = *seg;
    s->first = m->nblocks;
    s->count = 0;
    if (m->nsegs > 1 && seg->storage && m->segs[0].v.storage && strcmp(seg->storage, m->segs[0].v.storage) != 0) {
        m->multi_storage = true;
    }
}

static void model_block_cb(const zmm_segment_view *seg, const zmm_block_view *block, void *ctx)
{
    map_model *m = (map_model *)ctx;
    (void)seg;
    if (m->oom || !m->nsegs) return;
    if (m->nblocks == m->blockcap) {
        size_t cap = m->blockcap ? m->blockcap * 2 : 256;
        zmm_block_view *p = realloc(m->blocks, cap * sizeof *p);
        if (!p) { m->oom = true; return; }
        m->blocks = p;
        m->blockcap = cap;
    }
    m->blocks[m->nblocks++] = *block;
    m->segs[m->nsegs - 1].count++;
    if ((unsigned)block->state < ZMM_MAP_NSTATES) {
        m->state_count[block->state]++;
        m->state_bytes[block->state] += block->size;
    }
}

static void count_list_cb(int index, const zmm_block_view *block, void *ctx)
{
    (void)index;
    (void)block;
    (*(size_t *)ctx)++;
}

static void count_trie_cb(int index, const zmm_trie_node_view *node, void *ctx)
{
    (void)index;
    (*(size_t *)ctx) += 1 + node->twins;
}

bool zmm_map_model_build(const zmm_heap *heap, map_model *m)
{
    memset(m, 0, sizeof *m);
    zmm_heap_stats(heap, &m->stats);
    m->complete = zmm_inspect_segments(heap, model_seg_cb, model_block_cb, m);
    zmm_heap_breakdown(heap, &m->breakdown);
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        zmm_inspect_free_bucket(heap, i, count_list_cb, &m->bucket_free[i]);
        zmm_inspect_large_tree(heap, i, count_trie_cb, NULL, &m->large_count[i]);
    }
    return !m->oom;
}

void zmm_map_model_free(map_model *m)
{
    free(m->segs);
    free(m->blocks);
}

/* ---- state tables ---------------------------------------------------------- */

const char zmm_map_state_chars[ZMM_MAP_NSTATES] = {
    [ZMM_STATE_USED] = '#',
    [ZMM_STATE_FREE] = '.',
    [ZMM_STATE_LARGE] = '-',
    [ZMM_STATE_REST] = '~',
    [ZMM_STATE_CACHED] = '+',
    [ZMM_STATE_GUARD] = '|',
    [ZMM_STATE_RESERVE] = 'R',
};

/* the order of the legend */
const zmm_block_state zmm_map_legend_order[ZMM_MAP_NSTATES] = {
    ZMM_STATE_USED, ZMM_STATE_CACHED, ZMM_STATE_FREE, ZMM_STATE_LARGE,
    ZMM_STATE_REST, ZMM_STATE_RESERVE, ZMM_STATE_GUARD,
};

/* the order ties are broken in (first wins) */
const zmm_block_state zmm_map_state_order[ZMM_MAP_NSTATES] = {
    ZMM_STATE_USED, ZMM_STATE_RESERVE, ZMM_STATE_CACHED, ZMM_STATE_REST,
    ZMM_STATE_LARGE, ZMM_STATE_FREE, ZMM_STATE_GUARD,
};

/* ---- where real_size goes ---------------------------------------------------- */

size_t zmm_map_breakdown_parts(const zmm_breakdown *b, map_part parts[ZMM_MAP_MAX_PARTS])
{
    size_t n = 0;
    if (b->requested_known) {
        parts[n++] = (map_part){ "payload", b->payload };
        parts[n++] = (map_part){ "headers", b->headers };
        parts[n++] = (map_part){ "rounding", b->rounding };
    } else {
        parts[n++] = (map_part){ "payload_and_rounding", b->payload_and_rounding };
        parts[n++] = (map_part){ "headers", b->headers };
    }
    parts[n++] = (map_part){ "cached", b->cached };
    parts[n++] = (map_part){ "free_small", b->free_small };
    parts[n++] = (map_part){ "free_large", b->free_large };
    parts[n++] = (map_part){ "rest", b->rest };
    parts[n++] = (map_part){ "segment_overhead", b->segment_overhead };
    parts[n++] = (map_part){ "reserve", b->reserve };
    return n;
}

/* ---- helpers shared by text and SVG ---------------------------------------- */

/* "256K", "1280K", "4M", "48" */
void zmm_map_fmt_size(char *buf, size_t len, size_t s)
{
    if (s >= 1024 * 1024 && s % (1024 * 1024) == 0) snprintf(buf, len, "%zuM", s / (1024 * 1024));
    else if (s >= 1024 && s % 1024 == 0) snprintf(buf, len, "%zuK", s / 1024);
    else snprintf(buf, len, "%zu", s);
}

static void fmt_limit(char *buf, size_t len, size_t limit)
{
    if (limit == ZMM_NO_LIMIT) snprintf(buf, len, "none");
    else snprintf(buf, len, "%zu", limit);
}

/* the two stats lines shared by text and SVG */
void zmm_map_stats_lines(const map_model *m, char *l1, char *l2, size_t len)
{
    const zmm_stats *s = &m->stats;
    char limit[32];
    fmt_limit(limit, sizeof limit, s->limit);
    snprintf(l1, len, "size %zu  peak %zu  real_size %zu  real_peak %zu  cached %zu",
             s->size, s->peak, s->real_size, s->real_peak, s->cached);
    snprintf(l2, len, "limit %s  segments %zu  blocks %zu  live %zu  storage %s",
             limit, s->segments, m->nblocks, s->live_blocks, s->storage ? s->storage : "?");
}

/*
 * inspect.c - read-only views of a heap for tools and tests: segments and
 * their blocks with a state each, the bucket lists, the cache, the rest list
 * and the large tries. Nothing here allocates from the heap it reads; the
 * only scratch memory (sets of cached and rest blocks) comes from malloc.
 */
#include "internal.h"

static const char *const state_names[] = {
    "used", "free", "large", "rest", "cached", "guard", "reserve",
};

const char *zmm_block_state_name(zmm_block_state state)
{
    return (unsigned)state < sizeof state_names / sizeof state_names[0] ? state_names[state] : "unknown";
}

/* upper bound on blocks: keeps every list walk finite on a damaged heap */
static size_t block_bound(const zmm_heap *h)
{
    return h->real_size / h->min_hdr + 2;
}

/* A list or tree link is followed only when the block it names lies wholly
 * inside one of the heap's segments, so a damaged link ends the walk
 * instead of sending it outside the heap. */
static bool inside_n(const zmm_heap *h, const char *b, size_t links)
{
    const zmm_seg_entry *e = zmm_segment_find(h, (uintptr_t)b);
    if (!e || ((uintptr_t)b & (h->align - 1))) return false;
    return (size_t)((const char *)e->seg + e->size - b) >= h->link_off + links * sizeof(char *);
}

/* list members need their two links; trie nodes parent and children too */
#define inside(h, b)      inside_n(h, b, 2)
#define inside_node(h, b) inside_n(h, b, 5)

static void fill_view(const zmm_heap *h, const char *b, zmm_block_state state, zmm_block_view *v)
{
    size_t s = BLK_SIZE(b);
    v->address = (uintptr_t)b;
    v->ptr = (uintptr_t)b + h->hdr;
    v->size = s;
    v->requested = 0;
    v->state = state;
    v->bucket = -1;
    v->large_index = -1;
    if (state == ZMM_STATE_GUARD) return;
    if (zmm_is_small(h, s) && s >= h->min_hdr) v->bucket = zmm_bucket(h, s);
    else if (s) v->large_index = zmm_hbit(s);
    if (state == ZMM_STATE_USED && h->track) {
        const size_t *req = zmm_live_get(&h->live, v->ptr);
        if (req) v->requested = *req;
    }
}

typedef struct scratch {
    zmm_live cached;   /* block addresses in the cache */
    zmm_live rest;     /* block addresses on the rest list */
} scratch;

static void set_add(zmm_live *set, const char *b)
{
    if (zmm_live_reserve(set)) zmm_live_put(set, (uintptr_t)b, 1);
}

static void scratch_build(const zmm_heap *h, scratch *s)
{
    zmm_live_init(&s->cached);
    zmm_live_init(&s->rest);
    size_t bound = block_bound(h);
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        size_t n = 0;
        for (const char *c = h->cache[i]; c && n < bound && inside(h, c); c = FB_PREV(h, c), n++) {
            set_add(&s->cached, c);
        }
    }
    const char *r = REST_SENTINEL(h);
    size_t n = 0;
    for (const char *p = FB_PREV(h, r); p != r && n < bound && inside(h, p); p = FB_PREV(h, p), n++) {
        set_add(&s->rest, p);
    }
}

static void scratch_free(scratch *s)
{
    zmm_live_free(&s->cached);
    zmm_live_free(&s->rest);
}

static zmm_block_state classify(const zmm_heap *h, const scratch *s, const char *b)
{
    if (BLK_IS_GUARD(b)) return ZMM_STATE_GUARD;
    if (!BLK_IS_FREE(b)) {
        if (h->reserve && b == (const char *)h->reserve - h->hdr) return ZMM_STATE_RESERVE;
        if (zmm_live_get(&s->cached, (uintptr_t)b)) return ZMM_STATE_CACHED;
        return ZMM_STATE_USED;
    }
    if (zmm_live_get(&s->rest, (uintptr_t)b)) return ZMM_STATE_REST;
    return zmm_is_small(h, BLK_SIZE(b)) ? ZMM_STATE_FREE : ZMM_STATE_LARGE;
}

/* Walk one segment's blocks; false at the first header that does not fit. */
static bool walk_segment(const zmm_heap *h, const scratch *s, const zmm_seg_entry *e, zmm_segment_view *sv,
                         zmm_block_cb on_block, void *ctx)
{
    const char *b = (const char *)e->seg + ZMM_SEG_HDR;
    const char *end = (const char *)e->seg + e->size;
    size_t n = 0;
    for (;;) {
        if (b + h->hdr > end || b < (const char *)e->seg) return false;
        n++;
        if (BLK_IS_GUARD(b)) {
            if (on_block) {
                zmm_block_view v;
                fill_view(h, b, ZMM_STATE_GUARD, &v);
                on_block(sv, &v, ctx);
            }
            break;
        }
        size_t size = BLK_SIZE(b);
        if (size < h->min_hdr || size > (size_t)(end - b) - h->hdr) return false;
        if (on_block) {
            zmm_block_view v;
            fill_view(h, b, classify(h, s, b), &v);
            on_block(sv, &v, ctx);
        }
        b += size;
    }
    sv->blocks = n;
    return b + h->hdr == end;
}

static void segment_view(const zmm_seg_entry *e, zmm_segment_view *sv)
{
    sv->address = (uintptr_t)e->seg;
    sv->size = e->size;
    sv->storage = e->storage->handlers->name;
    sv->blocks = 0;
}

bool zmm_inspect_segments(const zmm_heap *h, zmm_segment_cb on_segment, zmm_block_cb on_block, void *ctx)
{
    scratch s;
    scratch_build(h, &s);
    bool ok = true;
    size_t n = 0;
    for (const zmm_segment *seg = h->segments_list; seg && ok; seg = seg->next_segment) {
        const zmm_seg_entry *e = zmm_segment_find(h, (uintptr_t)seg);
        if (!e || e->seg != seg || ++n > h->seg_count) {
            ok = false;
            break;
        }
        zmm_segment_view sv;
        segment_view(e, &sv);
        /* count first so the segment callback sees the number of blocks */
        ok = walk_segment(h, &s, e, &sv, NULL, NULL);
        if (on_segment) on_segment(&sv, ctx);
        if (ok && on_block) ok = walk_segment(h, &s, e, &sv, on_block, ctx);
    }
    scratch_free(&s);
    return ok;
}

bool zmm_block_info(const zmm_heap *h, const void *ptr, zmm_block_view *block, zmm_segment_view *seg)
{
    if (!zmm_is_live(h, ptr)) return false;
    if (!h->use_zend_alloc) {
        size_t req = zmm_usable_size(h, ptr);
        block->address = block->ptr = (uintptr_t)ptr;
        block->size = block->requested = req;
        block->bucket = block->large_index = -1;
        block->state = ZMM_STATE_USED;
        if (seg) {
            seg->address = 0;
            seg->size = 0;
            seg->storage = "system";
            seg->blocks = 0;
        }
        return true;
    }
    const char *b = (const char *)ptr - h->hdr;
    const zmm_seg_entry *e = zmm_segment_find(h, (uintptr_t)b);
    if (!e) return false;
    fill_view(h, b, ZMM_STATE_USED, block);
    block->requested = zmm_usable_size(h, ptr);
    if (seg) segment_view(e, seg);   /* blocks stays 0: counting them would walk the segment */
    return true;
}

void zmm_inspect_free_bucket(const zmm_heap *h, int bucket, zmm_list_cb cb, void *ctx)
{
    if (bucket < 0 || bucket >= ZMM_NUM_BUCKETS) return;
    const char *s = SMALL_SENTINEL(h, bucket);
    size_t n = 0, bound = block_bound(h);
    for (const char *p = FB_PREV(h, s); p != s && n < bound && inside(h, p); p = FB_PREV(h, p), n++) {
        zmm_block_view v;
        fill_view(h, p, ZMM_STATE_FREE, &v);
        cb(bucket, &v, ctx);
    }
}

void zmm_inspect_cache(const zmm_heap *h, int bucket, zmm_list_cb cb, void *ctx)
{
    if (bucket < 0 || bucket >= ZMM_NUM_BUCKETS) return;
    size_t n = 0, bound = block_bound(h);
    for (const char *c = h->cache[bucket]; c && n < bound && inside(h, c); c = FB_PREV(h, c), n++) {
        zmm_block_view v;
        fill_view(h, c, ZMM_STATE_CACHED, &v);
        cb(bucket, &v, ctx);
    }
}

void zmm_inspect_rest(const zmm_heap *h, zmm_list_cb cb, void *ctx)
{
    const char *r = REST_SENTINEL(h);
    size_t n = 0, bound = block_bound(h);
    for (const char *p = FB_PREV(h, r); p != r && n < bound && inside(h, p); p = FB_PREV(h, p), n++) {
        zmm_block_view v;
        fill_view(h, p, ZMM_STATE_REST, &v);
        cb((int)n, &v, ctx);
    }
}

static void trie_walk(const zmm_heap *h, int index, const char *node, int depth, uint64_t path, int child_bit,
                      zmm_trie_cb node_cb, zmm_list_cb twin_cb, void *ctx, size_t *budget)
{
    if (!node || !*budget || !inside_node(h, node)) return;
    (*budget)--;
    zmm_trie_node_view v;
    fill_view(h, node, ZMM_STATE_LARGE, &v.block);
    v.depth = depth;
    v.path = path;
    v.child_bit = child_bit;
    v.child[0] = (uintptr_t)FB_CHILD(h, node, 0);
    v.child[1] = (uintptr_t)FB_CHILD(h, node, 1);
    v.twins = 0;
    for (const char *t = FB_NEXT(h, node); t != node && v.twins < *budget && inside(h, t); t = FB_NEXT(h, t)) {
        v.twins++;
    }
    if (node_cb) node_cb(index, &v, ctx);
    if (twin_cb) {
        size_t n = 0;
        for (const char *t = FB_NEXT(h, node); t != node && n < v.twins; t = FB_NEXT(h, t), n++) {
            zmm_block_view tv;
            fill_view(h, t, ZMM_STATE_LARGE, &tv);
            twin_cb(index, &tv, ctx);
        }
    }
    for (int i = 0; i < 2; i++) {
        trie_walk(h, index, FB_CHILD(h, node, i), depth + 1, path | ((uint64_t)i << depth), i,
                  node_cb, twin_cb, ctx, budget);
    }
}

void zmm_inspect_large_tree(const zmm_heap *h, int index, zmm_trie_cb node_cb, zmm_list_cb twin_cb, void *ctx)
{
    if (index < 0 || index >= ZMM_NUM_BUCKETS) return;
    size_t budget = block_bound(h);
    trie_walk(h, index, h->large_free_buckets[index], 0, 0, -1, node_cb, twin_cb, ctx, &budget);
}

/* ---- where real_size goes -------------------------------------------------- */

typedef struct breakdown_walk {
    zmm_breakdown *out;
    size_t         hdr;
    size_t         seg_left;   /* bytes of the current segment no block has claimed yet */
} breakdown_walk;

static void breakdown_segment(const zmm_segment_view *seg, void *ctx)
{
    breakdown_walk *w = ctx;
    w->out->segment_overhead += w->seg_left;   /* the previous segment's header and guard */
    w->seg_left = seg->size;
}

static void breakdown_block(const zmm_segment_view *seg, const zmm_block_view *v, void *ctx)
{
    breakdown_walk *w = ctx;
    zmm_breakdown *out = w->out;
    (void)seg;
    if (v->state == ZMM_STATE_GUARD) return;   /* left in seg_left: overhead */
    w->seg_left -= v->size;
    switch (v->state) {
    case ZMM_STATE_USED:
        out->used_blocks++;
        out->headers += w->hdr;
        out->payload_and_rounding += v->size - w->hdr;
        out->payload += v->requested;
        break;
    case ZMM_STATE_CACHED: out->cached += v->size; break;
    case ZMM_STATE_FREE: out->free_small += v->size; break;
    case ZMM_STATE_LARGE: out->free_large += v->size; break;
    case ZMM_STATE_REST: out->rest += v->size; break;
    case ZMM_STATE_RESERVE: out->reserve += v->size; break;
    case ZMM_STATE_GUARD: break;
    }
}

bool zmm_heap_breakdown(const zmm_heap *h, zmm_breakdown *out)
{
    memset(out, 0, sizeof *out);
    out->real_size = h->real_size;
    breakdown_walk w = { out, h->hdr, 0 };
    out->complete = zmm_inspect_segments(h, breakdown_segment, breakdown_block, &w);
    out->segment_overhead += w.seg_left;
    /* a segment the walk stopped in: what it did not reach is not overhead */
    if (!out->complete) out->segment_overhead = 0;
    out->requested_known = h->track;
    if (out->requested_known) {
        out->rounding = out->payload_and_rounding - out->payload;
    } else {
        out->payload = 0;
    }
    return out->complete;
}

size_t zmm_breakdown_sum(const zmm_breakdown *b)
{
    return b->payload_and_rounding + b->headers + b->cached + b->free_small + b->free_large + b->rest +
           b->segment_overhead + b->reserve;
}

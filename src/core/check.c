/*
 * check.c - the integrity check (5.3's zend_mm_check_heap, extended to every
 * structure). It first walks the segments from the registry, proving each
 * header lies inside its segment before reading the next one, and records
 * every block start. Lists, tries, the cache and the live index are then
 * followed only through addresses found in that record, so a damaged link
 * is reported, never dereferenced.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>

typedef struct checker {
    const zmm_heap *h;
    zmm_problem_cb cb;
    void *ctx;
    size_t problems;
    zmm_live blocks;    /* block address -> raw _size */
    zmm_live listed;    /* free blocks found on a list, cached blocks */
    size_t free_blocks, used_bytes, user_blocks, bound;
    bool oom;
} checker;

ZMM_PRINTF(2, 3)
static void problem(checker *c, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    c->problems++;
    if (c->cb) c->cb(buf, c->ctx);
}

static void remember(checker *c, zmm_live *set, const char *b, size_t value)
{
    if (!zmm_live_reserve(set)) {
        c->oom = true;
        return;
    }
    zmm_live_put(set, (uintptr_t)b, value);
}

/* ---- blocks ---- */
static void check_segment(checker *c, const zmm_seg_entry *e)
{
    const zmm_heap *h = c->h;
    const char *seg = (const char *)e->seg, *end = seg + e->size;
    const char *b = seg + ZMM_SEG_HDR;
    if ((uintptr_t)seg & (h->align - 1)) {
        problem(c, "segment %p: not aligned to %zu bytes", (void *)seg, h->align);
    }
    if (e->seg->size != e->size) {
        problem(c, "segment %p: header says %zu bytes, registry %zu", (void *)seg, e->seg->size, e->size);
    }
    if (BLK_PREV_RAW(b) != ZMM_GUARD) {
        problem(c, "segment %p: first block %p has prev tag %#zx, not the guard mark", (void *)seg, (void *)b,
                BLK_PREV_RAW(b));
    }
    bool prev_free = false;
    for (;;) {
        if ((size_t)(end - b) < h->hdr) {
            problem(c, "segment %p: blocks run past the end without a guard", (void *)seg);
            return;
        }
        size_t raw = BLK_SIZE_RAW(b), size = BLK_SIZE(b), type = BLK_TYPE(b);
        if (!zmm_cookie_ok(h, b)) problem(c, "block %p: cookie damaged", (void *)b);
        if (type == ZMM_GUARD) {
            if (size != h->hdr) problem(c, "guard %p: size %zu, expected %zu", (void *)b, size, h->hdr);
            if (b + h->hdr != end) {
                problem(c, "segment %p: guard %p is not at the end of the segment", (void *)seg, (void *)b);
            }
            return;
        }
        if (type == 2) {
            problem(c, "block %p: invalid type bits in size word %#zx", (void *)b, raw);
            return;
        }
        if (size < h->min_hdr || (size & (h->align - 1)) || size > (size_t)(end - b) - h->hdr) {
            problem(c, "block %p: size %zu does not fit segment %p (%zu bytes left)", (void *)b, size,
                    (void *)seg, (size_t)(end - b));
            return;
        }
        const char *next = b + size;
        if (BLK_PREV_RAW(next) != raw) {
            problem(c, "block %p: size word %#zx differs from the next block's prev tag %#zx", (void *)b, raw,
                    BLK_PREV_RAW(next));
        }
        remember(c, &c->blocks, b, raw);
        if (type == ZMM_FREE) {
            if (prev_free) problem(c, "block %p: free and next to another free block", (void *)b);
            c->free_blocks++;
            prev_free = true;
        } else {
            c->used_bytes += size;
            c->user_blocks++;
            prev_free = false;
        }
        b = next;
    }
}

static void check_segments(checker *c)
{
    const zmm_heap *h = c->h;
    size_t total = 0;
    for (size_t i = 0; i < h->seg_count; i++) {
        const zmm_seg_entry *e = &h->segs[i];
        total += e->size;
        if (i && (uintptr_t)h->segs[i - 1].seg + h->segs[i - 1].size > (uintptr_t)e->seg) {
            problem(c, "segments %p and %p overlap", (void *)h->segs[i - 1].seg, (void *)e->seg);
        }
        check_segment(c, e);
    }
    if (total != h->real_size) problem(c, "real_size is %zu, segments hold %zu", h->real_size, total);
    size_t n = 0;
    for (const zmm_segment *s = h->segments_list; s; s = s->next_segment) {
        const zmm_seg_entry *e = zmm_segment_find(h, (uintptr_t)s);
        if (!e || e->seg != s) {
            problem(c, "segments_list holds %p, which is not a segment of this heap", (void *)s);
            break;
        }
        if (++n > h->seg_count) {
            problem(c, "segments_list loops or is longer than the %zu segments", h->seg_count);
            break;
        }
    }
    if (n < h->seg_count) problem(c, "segments_list has %zu segments, the heap holds %zu", n, h->seg_count);
}

/* ---- lists ---- */
/* Is p a block start of this heap of the wanted kind? Reports otherwise. */
static bool known_block(checker *c, const char *p, bool want_free, const char *where)
{
    const size_t *raw = zmm_live_get(&c->blocks, (uintptr_t)p);
    if (!raw) {
        problem(c, "%s: %p is not a block of this heap", where, (void *)p);
        return false;
    }
    if (!(*raw & ZMM_USED) != want_free) {
        problem(c, "%s: block %p is %s", where, (void *)p, want_free ? "not free" : "free");
        return false;
    }
    return true;
}

static void mark_listed(checker *c, const char *p, const char *where)
{
    if (zmm_live_get(&c->listed, (uintptr_t)p)) {
        problem(c, "%s: block %p is on more than one list", where, (void *)p);
        return;
    }
    remember(c, &c->listed, p, 1);
}

/* Walk a sentinel ring backwards; each member must be known and linked both ways. */
static size_t check_ring(checker *c, const char *sentinel, const char *where, size_t want_size, size_t *large)
{
    const zmm_heap *h = c->h;
    size_t n = 0;
    const char *prev = sentinel;
    for (const char *p = FB_PREV(h, sentinel); p != sentinel; p = FB_PREV(h, p)) {
        if (++n > c->bound) {
            problem(c, "%s: the list does not return to its head", where);
            break;
        }
        if (!known_block(c, p, true, where)) break;
        if (FB_NEXT(h, p) != prev) problem(c, "%s: block %p has a broken next link", where, (void *)p);
        if (want_size && BLK_SIZE(p) != want_size) {
            problem(c, "%s: block %p has size %zu, expected %zu", where, (void *)p, BLK_SIZE(p), want_size);
        }
        if (large && !BLK_IS_GUARD(BLK_NEXT(p))) {
            problem(c, "%s: block %p is not the tail of its segment", where, (void *)p);
        }
        if (large && !zmm_is_small(h, BLK_SIZE(p))) {
            (*large)++;
            if (FB_PARENT(h, p) != ZMM_REST_MARK) problem(c, "%s: large block %p lacks the rest mark", where, (void *)p);
        }
        mark_listed(c, p, where);
        prev = p;
    }
    return n;
}

static void check_buckets(checker *c)
{
    const zmm_heap *h = c->h;
    char where[64];
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        snprintf(where, sizeof where, "free bucket %d", i);
        size_t n = check_ring(c, SMALL_SENTINEL(h, i), where, h->min_hdr + (size_t)i * ZMM_BUCKET_WIDTH, NULL);
        bool bit = (h->free_bitmap >> i) & 1;
        if (bit != (n > 0)) {
            problem(c, "free_bitmap bit %d is %d but the bucket holds %zu blocks", i, bit, n);
        }
    }
    size_t large = 0;
    check_ring(c, REST_SENTINEL(h), "rest list", 0, &large);
    if (large != (size_t)h->rest_count) {
        problem(c, "rest_count is %d but the rest list holds %zu large blocks", h->rest_count, large);
    }
}

static void check_trie_node(checker *c, int k, const char *node, char **slot, int depth, size_t *budget)
{
    const zmm_heap *h = c->h;
    char where[64];
    snprintf(where, sizeof where, "large trie %d", k);
    if (!*budget) {
        problem(c, "%s: more nodes than blocks (a loop?)", where);
        return;
    }
    (*budget)--;
    if (!known_block(c, node, true, where)) return;
    size_t size = BLK_SIZE(node);
    if (zmm_is_small(h, size) || zmm_hbit(size) != k) {
        problem(c, "%s: node %p of size %zu belongs elsewhere", where, (void *)node, size);
    }
    if (FB_PARENT(h, node) != slot) problem(c, "%s: node %p has a wrong parent link", where, (void *)node);
    mark_listed(c, node, where);
    /* the ring of equal-size twins */
    size_t n = 0;
    const char *prev = node;
    for (const char *t = FB_NEXT(h, node); t != node; t = FB_NEXT(h, t)) {
        if (++n > c->bound || !known_block(c, t, true, where)) {
            if (n > c->bound) problem(c, "%s: twin ring of %p does not close", where, (void *)node);
            break;
        }
        if (FB_PREV(h, t) != prev) problem(c, "%s: twin %p has a broken prev link", where, (void *)t);
        if (BLK_SIZE(t) != size) problem(c, "%s: twin %p has size %zu, node %zu", where, (void *)t, BLK_SIZE(t), size);
        if (FB_PARENT(h, t) != NULL) problem(c, "%s: twin %p has a parent link", where, (void *)t);
        mark_listed(c, t, where);
        prev = t;
    }
    for (int i = 0; i < 2; i++) {
        char *child = FB_CHILD(h, node, i);
        if (!child) continue;
        /* the child at depth d+1 must have bit (k - d - 1) of its size equal to i */
        const size_t *raw = zmm_live_get(&c->blocks, (uintptr_t)child);
        if (raw && k - depth - 1 >= 0 && (int)(((*raw & ~ZMM_TYPE_MASK) >> (k - depth - 1)) & 1) != i) {
            problem(c, "%s: child %p (size %zu) is on the wrong side of %p", where, (void *)child,
                    *raw & ~ZMM_TYPE_MASK, (void *)node);
        }
        check_trie_node(c, k, child, &FB_CHILD(h, node, i), depth + 1, budget);
    }
}

static void check_tries(checker *c)
{
    const zmm_heap *h = c->h;
    for (int k = 0; k < ZMM_NUM_BUCKETS; k++) {
        char *root = h->large_free_buckets[k];
        bool bit = (h->large_free_bitmap >> k) & 1;
        if (bit != (root != NULL)) problem(c, "large_free_bitmap bit %d is %d but the root is %p", k, bit, (void *)root);
        size_t budget = c->bound;
        if (root) check_trie_node(c, k, root, (char **)&h->large_free_buckets[k], 0, &budget);
    }
}

static void check_cache(checker *c)
{
    const zmm_heap *h = c->h;
    size_t bytes = 0;
    char where[64];
    for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
        snprintf(where, sizeof where, "cache %d", i);
        size_t n = 0, want = h->min_hdr + (size_t)i * ZMM_BUCKET_WIDTH;
        for (const char *p = h->cache[i]; p; p = FB_PREV(h, p)) {
            if (++n > c->bound) {
                problem(c, "%s: the list does not end", where);
                break;
            }
            if (!known_block(c, p, false, where)) break;
            if (BLK_SIZE(p) != want) problem(c, "%s: block %p has size %zu, expected %zu", where, (void *)p, BLK_SIZE(p), want);
            mark_listed(c, p, where);
            bytes += BLK_SIZE(p);
        }
        if (h->cache_stat && n != h->cache_count[i]) {
            problem(c, "%s: holds %zu blocks, cache_stat count is %zu", where, n, h->cache_count[i]);
        }
        if (h->cache_stat && h->cache_max[i] < h->cache_count[i]) {
            problem(c, "%s: cache_stat max_count %zu is below count %zu", where, h->cache_max[i], h->cache_count[i]);
        }
    }
    if (bytes != h->cached) problem(c, "cached is %zu, the cache holds %zu bytes", h->cached, bytes);
}

typedef struct live_ctx { checker *c; size_t n; } live_ctx;

static void check_live_entry(uintptr_t key, size_t value, void *ctx)
{
    live_ctx *lc = ctx;
    checker *c = lc->c;
    const zmm_heap *h = c->h;
    const char *b = (const char *)key - h->hdr;
    lc->n++;
    if (!known_block(c, b, false, "live index")) return;
    if (zmm_live_get(&c->listed, (uintptr_t)b)) problem(c, "live index: block %p is in the cache", (void *)b);
    if (value > BLK_SIZE(b) - h->hdr - h->end_magic) {
        problem(c, "live index: block %p holds %zu bytes but %zu were requested", (void *)b, BLK_SIZE(b) - h->hdr, value);
    } else if (h->protect && !zmm_protect_ok((zmm_heap *)h, (char *)b)) {
        problem(c, "block %p: canary damaged (overflow?)", (void *)b);
    }
}

size_t zmm_heap_check(const zmm_heap *h, zmm_problem_cb cb, void *ctx)
{
    checker c = {.h = h, .cb = cb, .ctx = ctx};
    if (!h->use_zend_alloc) return 0;   /* pass-through: the system allocator owns the blocks */
    zmm_live_init(&c.blocks);
    zmm_live_init(&c.listed);
    c.bound = h->real_size / h->min_hdr + 2;
    check_segments(&c);
    check_buckets(&c);
    check_tries(&c);
    size_t free_listed = c.listed.count;
    if (free_listed != c.free_blocks) {
        problem(&c, "%zu free blocks in the segments, %zu on the free lists", c.free_blocks, free_listed);
    }
    size_t listed_before_cache = c.listed.count;
    check_cache(&c);
    size_t cached_blocks = c.listed.count - listed_before_cache;
    if (c.used_bytes != h->size) problem(&c, "size is %zu, used blocks hold %zu bytes", h->size, c.used_bytes);
    if (h->peak < h->size) problem(&c, "peak %zu is below size %zu", h->peak, h->size);
    if (h->real_peak < h->real_size) problem(&c, "real_peak %zu is below real_size %zu", h->real_peak, h->real_size);
    if (h->reserve) known_block(&c, (const char *)h->reserve - h->hdr, false, "reserve");
    if (h->track) {
        live_ctx lc = {&c, 0};
        zmm_live_each(&h->live, check_live_entry, &lc);
        /* every used block is live, cached or the reserve: anything else is lost */
        size_t owned = h->live.count + cached_blocks + (h->reserve ? 1 : 0);
        if (c.user_blocks != owned) {
            problem(&c, "%zu used blocks, but only %zu are live, cached or the reserve", c.user_blocks, owned);
        }
    }
    if (c.oom) problem(&c, "the check ran out of memory: results are partial");
    zmm_live_free(&c.blocks);
    zmm_live_free(&c.listed);
    return c.problems;
}

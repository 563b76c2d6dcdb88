/* test_align.c - the per-heap alignment option: 8 (5.3 on x86-64) or 16.
 *
 * Exact layouts and true sizes at both alignments, every pointer aligned,
 * odd buckets unused at 16, the segment/guard layout, validation. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

static zmm_heap *heap_with(bool cookies, bool protection, size_t align, bool cache)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.cookies = cookies;
    cfg.protection = protection;
    cfg.alignment = align;
    cfg.cache = cache;
    return mkheap_cfg(&cfg, NULL);
}

/* one row per layout and alignment: the header sizes, then true size and
 * bucket of the requests 1, 16, 17, 100, 512, 520, 521 */
typedef struct row {
    bool cookies, protection;
    size_t align, hdr, minhdr, min_request, max_small;
    size_t ts[7];
    int bucket[7];
} row;

static const size_t requests[7] = {1, 16, 17, 100, 512, 520, 521};

static const row rows[] = {
    {false, false, 8, 16, 32, 16, 544, {32, 32, 40, 120, 528, 536, 544}, {0, 0, 1, 11, 62, 63, -1}},
    {true, false, 8, 24, 40, 16, 552, {40, 40, 48, 128, 536, 544, 552}, {0, 0, 1, 11, 62, 63, -1}},
    {false, true, 8, 32, 40, 4, 552, {40, 56, 56, 136, 552, 560, 560}, {0, 2, 2, 12, -1, -1, -1}},
    {true, true, 8, 80, 88, 4, 600, {88, 104, 104, 184, 600, 608, 608}, {0, 2, 2, 12, -1, -1, -1}},
    {false, false, 16, 16, 32, 16, 544, {32, 32, 48, 128, 528, 544, 544}, {0, 0, 2, 12, 62, -1, -1}},
    {true, false, 16, 32, 48, 16, 560, {48, 48, 64, 144, 544, 560, 560}, {0, 0, 2, 12, 62, -1, -1}},
    {false, true, 16, 32, 48, 12, 560, {48, 64, 64, 144, 560, 560, 560}, {0, 2, 2, 12, -1, -1, -1}},
    {true, true, 16, 80, 96, 12, 608, {96, 112, 112, 192, 608, 608, 608}, {0, 2, 2, 12, -1, -1, -1}},
};

static const char *name_of(const row *r, char *buf, size_t len)
{
    snprintf(buf, len, "align %zu %s", r->align,
             r->cookies && r->protection ? "cookies+protection"
             : r->protection             ? "protection"
             : r->cookies                ? "cookies"
                                         : "release");
    return buf;
}

static void test_exact_numbers(void)
{
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        const row *r = &rows[k];
        char name[64];
        name_of(r, name, sizeof name);
        zmm_heap *h = heap_with(r->cookies, r->protection, r->align, false);
        zmm_stats st = stats_of(h);
        is_sz(st.alignment, r->align, "%s: stats alignment", name);
        is_sz(st.header_size, r->hdr, "%s: header_size", name);
        is_sz(st.min_block_size, r->minhdr, "%s: min_block_size", name);
        is_sz(st.min_request, r->min_request, "%s: min_request", name);
        is_sz(st.max_small_size, r->max_small, "%s: max_small_size", name);
        for (int i = 0; i < 7; i++) {
            size_t ts = zmm_true_size(h, requests[i]);
            ok(ts == r->ts[i] && zmm_bucket_index(h, ts) == r->bucket[i],
               "%s: request %zu -> true size %zu, bucket %d (got %zu, %d)", name, requests[i], r->ts[i],
               r->bucket[i], ts, zmm_bucket_index(h, ts));
        }
        /* the sweep against the helpers' formula (§1.3 rounded to the alignment) */
        layout L = layout_for_align(r->cookies, r->protection, r->align);
        size_t bad = 0;
        for (size_t n = 0; n <= 5000; n++) {
            size_t ts = zmm_true_size(h, n);
            if (ts != exp_true(&L, n) || zmm_bucket_index(h, ts) != exp_bucket(&L, ts) || ts % r->align) bad++;
        }
        ok(bad == 0, "%s: every request 0..5000 has the expected true size and bucket (%zu wrong)", name, bad);
        zmm_heap_destroy(h);
    }
}

/* every bucket a 16-aligned heap can use is even, so odd buckets stay empty */
static void test_odd_buckets_unused(void)
{
    for (int mode = 0; mode < 4; mode++) {
        bool cookies = mode & 1, prot = mode & 2;
        zmm_heap *h = heap_with(cookies, prot, 16, true);
        size_t bad = 0;
        for (size_t n = 0; n <= 600; n++) {
            int b = zmm_bucket_index(h, zmm_true_size(h, n));
            if (b >= 0 && (b & 1)) bad++;
        }
        ok(bad == 0, "align 16 mode %d: no request maps to an odd bucket", mode);
        /* fill the free lists: alternate blocks stay live so freed ones do not coalesce */
        void *p[600];
        for (size_t n = 0; n < 600; n++) p[n] = zmm_malloc(h, n);
        for (size_t n = 0; n < 600; n += 2) zmm_free(h, p[n]);
        zmm_heap_flush_cache(h);
        zmm_stats st = stats_of(h);
        const size_t odd = (size_t)0xAAAAAAAAAAAAAAAAull;
        ok(st.free_bitmap != 0 && (st.free_bitmap & odd) == 0, "align 16 mode %d: free bitmap %#zx has only even bits",
           mode, st.free_bitmap);
        for (size_t n = 1; n < 600; n += 2) zmm_free(h, p[n]);
        st = stats_of(h);
        bad = 0;
        for (int i = 1; i < ZMM_NUM_BUCKETS; i += 2) {
            if (st.cache_stat[i].hit || st.cache_stat[i].miss || st.cache_stat[i].max_count) bad++;
        }
        ok(bad == 0, "align 16 mode %d: the cache statistics of odd buckets stay zero", mode);
        char what[64];
        snprintf(what, sizeof what, "align 16 mode %d after the bucket workload", mode);
        check_clean(h, what);
        zmm_heap_destroy(h);
    }
}

/* A mixed workload (malloc, realloc both ways, frees, large and segment-sized
 * blocks); every pointer handed out is a multiple of the alignment. */
static void test_pointer_sweep(size_t align, int mode, const char *storage)
{
    bool cookies = mode & 1, prot = mode & 2;
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.cookies = cookies;
    cfg.protection = prot;
    cfg.alignment = align;
    cfg.segment_size = 16384;
    cfg.storage = zmm_storage_find(storage);
    zmm_heap *h = mkheap_cfg(&cfg, NULL);
    enum { N = 300 };
    void *p[N] = {0};
    size_t misaligned = 0, off16 = 0, handed = 0, failed = 0;
    uint32_t x = 12345;
    for (int round = 0; round < 4000; round++) {
        x = x * 1103515245u + 12345u;
        int i = (int)((x >> 8) % N);
        size_t n;
        switch ((x >> 20) % 8) {
        case 0: n = (x >> 4) % 40000; break;     /* some need their own segment */
        case 1: n = (x >> 4) % 3000; break;
        default: n = (x >> 4) % 600; break;
        }
        void *q;
        if (p[i] && (x & 1)) q = zmm_realloc(h, p[i], n);
        else {
            zmm_free(h, p[i]);
            q = zmm_malloc(h, n);
        }
        if (!q) {
            failed++;
            continue;
        }
        p[i] = q;
        handed++;
        if ((uintptr_t)q % align) misaligned++;
        if ((uintptr_t)q % 16) off16++;
    }
    ok(failed == 0 && misaligned == 0, "align %zu mode %d %s: %zu pointers, none off a multiple of %zu", align, mode,
       storage, handed, align);
    if (align == 8 && mode == 0) ok(off16 > 0, "align 8 release: some pointers are only 8-aligned (%zu)", off16);
    /* segments: first block and guard at the alignment; the guard is HDR bytes */
    blocklist *bl = calloc(1, sizeof *bl);
    zmm_inspect_segments(h, NULL, collect_block_cb, bl);
    size_t bad = 0;
    size_t hdr = stats_of(h).header_size;
    for (size_t k = 0; k < bl->n && k < MAXV; k++) {
        const zmm_block_view *b = &bl->b[k];
        if (b->address % align || b->size % align) bad++;
        if (b->state == ZMM_STATE_GUARD && (b->size != hdr || b->address + hdr != bl->s[k].address + bl->s[k].size)) bad++;
    }
    ok(bl->n > 0 && bad == 0, "align %zu mode %d %s: %zu blocks, every header and size aligned, guards of %zu bytes at "
       "the segment ends", align, mode, storage, bl->n, hdr);
    free(bl);
    char what[64];
    snprintf(what, sizeof what, "align %zu mode %d %s", align, mode, storage);
    check_clean(h, what);
    for (int i = 0; i < N; i++) zmm_free(h, p[i]);
    check_clean(h, what);
    zmm_heap_destroy(h);
}

static void test_validation(void)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    is_sz(cfg.alignment, 8, "defaults: alignment 8 (5.3 on x86-64)");
    char err[256];
    static const size_t refused[] = {1, 4, 12, 24, 32, 64, 4096};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        cfg.alignment = refused[i];
        char want[80];
        snprintf(want, sizeof want, "alignment must be 8 or 16, got %zu", refused[i]);
        err[0] = '\0';
        ok(!zmm_config_validate(&cfg, err, sizeof err), "alignment %zu: refused by validate", refused[i]);
        is_str(err, want, "alignment %zu: message", refused[i]);
        err[0] = '\0';
        ok(zmm_heap_create(&cfg, err, sizeof err) == NULL, "alignment %zu: no heap", refused[i]);
        is_str(err, want, "alignment %zu: heap_create message", refused[i]);
    }
    /* 0 means the default, as segment_size 0 does */
    cfg.alignment = 0;
    zmm_heap *h = mkheap_cfg(&cfg, NULL);
    is_sz(stats_of(h).alignment, 8, "alignment 0 -> 8");
    zmm_heap_destroy(h);

    /* the smallest segment holds the segment header and a guard of this layout */
    zmm_config_defaults(&cfg);
    cfg.cookies = true;
    cfg.segment_size = 32;
    ok(!zmm_config_validate(&cfg, err, sizeof err), "cookies, align 8: 32-byte segments refused");
    is_str(err, "segment size is too small: 32 (minimum 40)", "cookies, align 8: minimum 16 + 24");
    cfg.alignment = 16;
    cfg.segment_size = 32;
    ok(!zmm_config_validate(&cfg, err, sizeof err), "cookies, align 16: 32-byte segments refused");
    is_str(err, "segment size is too small: 32 (minimum 48)", "cookies, align 16: minimum 16 + 32");

    /* the environment path checks the same minimum with the heap's alignment */
    zmm_config_defaults(&cfg);
    cfg.cookies = true;
    cfg.alignment = 16;
    ok(zmm_config_validate(&cfg, err, sizeof err), "cookies, align 16: defaults are valid");
}

static const char *env_seg32(const char *name) { return strcmp(name, "ZEND_MM_SEG_SIZE") == 0 ? "32" : NULL; }

static void test_env_minimum(void)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.cookies = true;
    cfg.alignment = 16;
    char err[256] = "";
    ok(!zmm_config_from_env(&cfg, env_seg32, err, sizeof err), "ZEND_MM_SEG_SIZE=32, cookies, align 16: refused");
    is_str(err, "ZEND_MM_SEG_SIZE is too small", "ZEND_MM_SEG_SIZE=32: 5.3's message");
}

/* A storage whose segments sit 8 bytes past a 16-byte boundary (from alloc
 * when skew_alloc is set, from realloc always); the byte before a segment
 * remembers how far it sits from the malloc'ed address. */
static bool skew_alloc = true;
static zmm_segment *skewed_place(char *p, size_t off)
{
    if (!p) return NULL;
    p[off - 1] = (char)off;
    return (zmm_segment *)(p + off);
}
static zmm_segment *skewed_alloc(zmm_storage *st, size_t size)
{
    (void)st;
    return skewed_place(malloc(size + 16), skew_alloc ? 8 : 16);
}
static void skewed_free(zmm_storage *st, zmm_segment *seg)
{
    (void)st;
    free((char *)seg - ((char *)seg)[-1]);
}
static zmm_segment *skewed_realloc(zmm_storage *st, zmm_segment *seg, size_t size)
{
    zmm_segment *n = skewed_place(malloc(size + 16), 8);
    if (!n) return NULL;
    memcpy(n, seg, seg->size < size ? seg->size : size);
    skewed_free(st, seg);
    return n;
}
static const zmm_storage_handlers skewed = {
    "skewed", zmm_storage_dummy_init, zmm_storage_dummy_dtor, zmm_storage_dummy_compact,
    skewed_alloc, skewed_realloc, skewed_free,
};

static void test_misaligned_storage(void)
{
    zmm_config cfg;
    zmm_config_defaults(&cfg);
    cfg.storage = &skewed;
    cfg.alignment = 8;
    zmm_heap *h = mkheap_cfg(&cfg, NULL);
    void *p = zmm_malloc(h, 100);
    ok(p && (uintptr_t)p % 16 == 8, "align 8: a skewed storage's segments are used (pointer 8 past 16)");
    check_clean(h, "align 8 skewed storage");
    zmm_heap_destroy(h);

    cfg.alignment = 16;
    char err[256] = "";
    ok(zmm_heap_create(&cfg, err, sizeof err) == NULL, "align 16: a skewed storage gives no heap");
    is_str(err, "Out of memory (allocated 0) (tried to allocate 8192 bytes)", "align 16 skewed: the reserve's message");
    cfg.reserve_size = 0;
    errlog el;
    h = mkheap_cfg(&cfg, &el);
    ok(zmm_malloc(h, 100) == NULL && el.count == 1 && el.kind == ZMM_ERR_OOM, "align 16 skewed: malloc fails as out of memory");
    is_str(el.msg, "Out of memory (allocated 0) (tried to allocate 100 bytes)", "align 16 skewed: message");
    is_sz(stats_of(h).segments, 0, "align 16 skewed: no segment kept");
    check_clean(h, "align 16 skewed storage");
    zmm_heap_destroy(h);

    /* a move the heap cannot undo: only the integrity check can tell */
    skew_alloc = false;
    h = mkheap_cfg(&cfg, NULL);
    void *big = zmm_malloc(h, 300000);                 /* a segment of its own */
    check_clean(h, "align 16, aligned segments");
    big = zmm_realloc(h, big, 600000);                 /* the storage moves it 8 bytes off */
    problems pr;
    memset(&pr, 0, sizeof pr);
    ok(big && zmm_heap_check(h, problems_cb, &pr) == 1, "align 16: a segment moved off the alignment is one problem");
    like(pr.first, "not aligned to 16 bytes", "align 16: the check names it");
    zmm_heap_destroy(h);
    skew_alloc = true;
}

int main(void)
{
    test_misaligned_storage();
    test_exact_numbers();
    test_odd_buckets_unused();
    for (int mode = 0; mode < 4; mode++) {
        test_pointer_sweep(8, mode, "malloc");
        test_pointer_sweep(16, mode, "malloc");
    }
    test_pointer_sweep(16, 0, "mmap_anon");
    test_pointer_sweep(16, 3, "mmap_zero");
    test_validation();
    test_env_minimum();
    return done_testing();
}

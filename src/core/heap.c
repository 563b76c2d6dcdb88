/*
 * heap.c - a heap's life: creation, storage switching, limit, compaction,
 * partial and full shutdown, and statistics. It sits on top of the
 * allocation paths (alloc.c: the reserve, the cache flush); nothing below
 * calls back into it.
 */
#ifdef _WIN32
# define _CRT_RAND_S   /* rand_s: the system's cryptographic generator */
#endif
#include "internal.h"

#include <limits.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Random words for cookies and canaries, never zero in any byte (5.3 drew
 * them from /dev/urandom, then rand() ^ pid). */
static void random_fill(void *out, size_t len)
{
    unsigned char *p = out;
    size_t got = 0;
#ifdef _WIN32
    for (unsigned int r; got < len && rand_s(&r) == 0; got++) p[got] = (unsigned char)r;
#else
    FILE *f = fopen("/dev/urandom", "rb");
    if (f) {
        got = fread(p, 1, len, f);
        fclose(f);
    }
#endif
    uint64_t x = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)out ^ UINT64_C(0x9E3779B97F4A7C15);
    for (size_t i = got; i < len; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        p[i] = (unsigned char)x;
    }
    for (size_t i = 0; i < len; i++) {
        if (!p[i]) p[i] = 0xA5;
    }
}

/* ---- lifecycle ---- */
static bool make_reserve(zmm_heap *h)
{
    if (!h->reserve_size) return true;
    h->reserve = zmm_alloc_int(h, h->reserve_size);
    if (h->reserve && h->protect) zmm_protect_set(h, (char *)h->reserve - h->hdr, h->reserve_size);
    return h->reserve != NULL;
}

static size_t clamp_limit(const zmm_heap *h, size_t limit)
{
    if (limit == ZMM_NO_LIMIT) return limit;
    return limit < h->block_size ? h->block_size : limit;
}

zmm_heap *zmm_heap_create(const zmm_config *cfg, char *err, size_t errlen)
{
    char dummy[8];
    if (!err) { err = dummy; errlen = sizeof dummy; }
    zmm_config defaults;
    if (!cfg) {
        zmm_config_defaults(&defaults);
        cfg = &defaults;
    }
    if (!zmm_config_validate(cfg, err, errlen)) return NULL;
    const zmm_storage_handlers *handlers = cfg->storage ? cfg->storage : zmm_storage_default();

    zmm_heap *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "Cannot allocate heap for zend_mm storage [%s]", handlers->name);
        return NULL;
    }
    zmm_layout_init(h, cfg->cookies, cfg->protection, zmm_config_alignment(cfg));
    h->block_size = cfg->segment_size ? cfg->segment_size : ZMM_SEG_SIZE;
    h->compact_size = cfg->compact_size;
    h->limit = clamp_limit(h, cfg->limit);
    h->reserve_size = cfg->reserve_size;
    h->cache_on = cfg->cache;
    h->cache_size = cfg->cache_size;
    h->use_zend_alloc = cfg->use_zend_alloc;
    h->fill = cfg->fill_freed;
    h->track = cfg->track_blocks || !cfg->use_zend_alloc;
    h->exact_fit = cfg->exact_fit;
    h->cache_stat = cfg->cache_stat;
    zmm_select_paths(h);
    h->sys_malloc = cfg->sys_malloc ? cfg->sys_malloc : malloc;
    h->sys_free = cfg->sys_free ? cfg->sys_free : free;
    h->sys_realloc = cfg->sys_realloc ? cfg->sys_realloc : realloc;
    h->on_error = cfg->on_error;
    h->error_ctx = cfg->error_ctx;
    random_fill(&h->cookie_key, sizeof h->cookie_key);
    random_fill(&h->start_magic, sizeof h->start_magic);
    random_fill(&h->end_magic_value, sizeof h->end_magic_value);
    zmm_live_init(&h->live);
    zmm_lists_init(h);

    zmm_storage *st = handlers->init(cfg->storage_params);
    if (!st) {
        snprintf(err, errlen, "Cannot initialize zend_mm storage [%s]", handlers->name);
        free(h);
        return NULL;
    }
    st->handlers = handlers;
    if (!zmm_storage_attach(h, st)) {
        handlers->dtor(st);
        snprintf(err, errlen, "Cannot allocate heap for zend_mm storage [%s]", handlers->name);
        free(h);
        return NULL;
    }
    if (!make_reserve(h)) {
        snprintf(err, errlen, "%s", h->errbuf);
        zmm_heap_destroy(h);
        return NULL;
    }
    h->overflow = 0;
    return h;
}

static void free_passthrough_block(uintptr_t key, size_t value, void *ctx)
{
    (void)value;
    ((zmm_heap *)ctx)->sys_free((void *)key);
}

static void drop_blocks(zmm_heap *h)
{
    /* pass-through blocks belong to the system allocator: only the index
     * knows them, so it frees them (5.3 leaked them) */
    if (!h->use_zend_alloc) zmm_live_each(&h->live, free_passthrough_block, h);
    zmm_live_clear(&h->live);
    h->reserve = NULL;
    zmm_segments_release_all(h);
}

void zmm_heap_destroy(zmm_heap *h)
{
    if (!h) return;
    drop_blocks(h);
    zmm_storages_destroy_all(h);
    zmm_live_free(&h->live);
    free(h->segs);
    free(h);
}

void zmm_heap_shutdown(zmm_heap *h)
{
    drop_blocks(h);
    zmm_storages_compact_and_prune(h, h->compact_size && h->real_peak > h->compact_size, NULL);
    zmm_lists_init(h);
    h->real_size = h->real_peak = h->size = h->peak = 0;
    make_reserve(h);
    h->overflow = 0;
}

void zmm_heap_set_error_handler(zmm_heap *h, zmm_error_fn fn, void *ctx)
{
    h->on_error = fn;
    h->error_ctx = ctx;
}

bool zmm_heap_set_storage(zmm_heap *h, const zmm_storage_handlers *handlers, void *params)
{
    zmm_storage *st = handlers->init(params);
    if (!st) {
        zmm_error(h, ZMM_ERR_STORAGE, "Cannot initialize zend_mm storage [%s]", handlers->name);
        return false;
    }
    st->handlers = handlers;
    if (!zmm_storage_attach(h, st)) {
        handlers->dtor(st);
        zmm_error(h, ZMM_ERR_OOM, "Out of memory (allocated %zu) (tried to allocate %zu bytes)",
                  h->real_size, sizeof(zmm_storage_ref));
        return false;
    }
    zmm_storages_compact_and_prune(h, false, NULL);   /* drops the old one if it holds nothing */
    return true;
}

const zmm_storage_handlers *zmm_heap_storage(const zmm_heap *h) { return h->storage->handlers; }

size_t zmm_heap_set_limit(zmm_heap *h, size_t limit)
{
    size_t old = h->limit;
    h->limit = clamp_limit(h, limit);
    return old;
}

size_t zmm_heap_compact(zmm_heap *h)
{
    size_t before = h->real_size, released = 0;
    zmm_heap_flush_cache(h);
    zmm_storages_compact_and_prune(h, true, &released);
    return before - h->real_size + released;
}

void zmm_heap_reset_peak(zmm_heap *h)
{
    h->peak = h->size;
    h->real_peak = h->real_size;
}

/* ---- statistics ---- */
/* a counter as the public int: a heap that ran long enough to pass INT_MAX says INT_MAX */
static int stat_int(size_t n) { return n > INT_MAX ? INT_MAX : (int)n; }

void zmm_heap_stats(const zmm_heap *h, zmm_stats *s)
{
    memset(s, 0, sizeof *s);
    s->size = h->size;
    s->peak = h->peak;
    s->real_size = h->real_size;
    s->real_peak = h->real_peak;
    s->limit = h->limit;
    s->block_size = h->block_size;
    s->compact_size = h->compact_size;
    s->reserve_size = h->reserve_size;
    s->cached = h->cached;
    s->cache_size = h->cache_size;
    s->segments = h->seg_count;
    s->live_blocks = h->live.count;
    s->free_bitmap = h->free_bitmap;
    s->large_free_bitmap = h->large_free_bitmap;
    s->use_zend_alloc = h->use_zend_alloc;
    s->overflow = h->overflow;
    s->internal = h->internal;
    s->rest_count = h->rest_count;
    s->reserve_held = h->reserve != NULL;
    s->cache_enabled = h->cache_on;
    s->cookies = h->cookies;
    s->protection = h->protect;
    s->fill_freed = h->fill;
    s->track_blocks = h->track;
    s->exact_fit = h->exact_fit;
    s->storage = h->storage->handlers->name;
    zmm_storage_describe(h->storage, s->storage_data, sizeof s->storage_data);
    s->alignment = h->align;
    s->header_size = h->hdr;
    s->free_header_size = h->link_off + 2 * sizeof(char *);
    s->min_block_size = h->min_hdr;
    s->min_request = h->min_size;
    s->max_small_size = h->max_small;
    s->cache_stats = h->cache_stat;
    if (h->cache_stat) {
        for (int i = 0; i < ZMM_NUM_BUCKETS; i++) {
            s->cache_stat[i].count = stat_int(h->cache_count[i]);
            s->cache_stat[i].max_count = stat_int(h->cache_max[i]);
            s->cache_stat[i].hit = stat_int(h->cache_hit[i]);
            s->cache_stat[i].miss = h->cache_on ? stat_int(h->cache_miss[i]) : 0;
        }
        s->cache_stat[ZMM_NUM_BUCKETS].hit = stat_int(h->lists_hit);
        s->cache_stat[ZMM_NUM_BUCKETS].miss = stat_int(h->lists_miss);
    }
}

size_t zmm_memory_usage(const zmm_heap *h, bool real)
{
    return real ? h->real_size : h->size - h->cached;
}

size_t zmm_memory_peak_usage(const zmm_heap *h, bool real)
{
    return real ? h->real_peak : h->peak;
}

/*
 * sites_report.c - what the sites hold (zmm_sites_usage) and which blocks
 * pin a nearly empty segment (zmm_sites_pinning), read from the heap through
 * zmm_inspect_segments: the sizes are the heap's own, the sites the table's.
 */
#include "portable.h"
#include "sites_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- usage ------------------------------------------------------------------- */

typedef struct usage_walk {
    const zmm_sites *sites;
    zmm_site_usage  *by_site;   /* index = site id (0: unknown) */
    size_t           header;
} usage_walk;

static void usage_block(const zmm_segment_view *seg, const zmm_block_view *b, void *ctx)
{
    usage_walk *w = ctx;
    zmm_site_id site = ZMM_SITE_NONE;
    size_t requested = 0;

    (void)seg;
    if (b->state != ZMM_STATE_USED) return;
    if (!zmm_sites_lookup(w->sites, (const void *)b->ptr, &site, &requested)) {
        site = ZMM_SITE_NONE;
        requested = b->requested;   /* tracked heaps know it */
    }
    if (requested > b->size) requested = b->size;  /* a stale entry must not underflow */
    zmm_site_usage *u = &w->by_site[site];
    u->blocks++;
    u->requested += requested;
    u->bytes += b->size;
    size_t hdr = w->header < b->size - requested ? w->header : b->size - requested;
    u->header += hdr;
    u->rounding += b->size - requested - hdr;
}

static int by_bytes_desc(const void *a, const void *b)
{
    const zmm_site_usage *x = a, *y = b;
    if (x->bytes != y->bytes) return x->bytes > y->bytes ? -1 : 1;
    if (x->blocks != y->blocks) return x->blocks > y->blocks ? -1 : 1;
    return x->site < y->site ? -1 : x->site > y->site;
}

bool zmm_sites_usage(const zmm_sites *sites, const zmm_heap *heap,
                     zmm_site_usage **out, size_t *count, zmm_site_usage *total)
{
    zmm_stats st;
    usage_walk w;
    size_t nsites = zmm_sites_count(sites), n = 0;

    *out = NULL;
    *count = 0;
    if (total) memset(total, 0, sizeof *total);
    zmm_heap_stats(heap, &st);
    w.sites = sites;
    w.header = st.header_size;
    w.by_site = calloc(nsites + 1, sizeof *w.by_site);
    if (!w.by_site) return false;
    bool ok = zmm_inspect_segments(heap, NULL, usage_block, &w);
    for (size_t id = 0; id <= nsites; id++) {
        zmm_site_usage *u = &w.by_site[id];
        if (!u->blocks) continue;
        u->site = (zmm_site_id)id;
        if (total) {
            total->blocks += u->blocks;
            total->requested += u->requested;
            total->bytes += u->bytes;
            total->header += u->header;
            total->rounding += u->rounding;
        }
        w.by_site[n++] = *u;
    }
    qsort(w.by_site, n, sizeof *w.by_site, by_bytes_desc);
    *out = w.by_site;
    *count = n;
    return ok;
}

/* ---- pinning ------------------------------------------------------------------- */

typedef struct pin_walk {
    const zmm_sites *sites;
    zmm_pinning     *p;
    double           max_use;
    uintptr_t        seg;        /* the segment being walked */
    size_t           seg_size, live, cached, free_bytes;
    size_t           first;      /* its first block in p->blocks */
    size_t           seg_cap, blk_cap;
    bool             oom;
} pin_walk;

/* grow an array of elem-sized items to hold one more; false when out of memory */
static bool reserve_one(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap) return true;
    size_t c = *cap ? *cap * 2 : 16;
    void *a = realloc(*arr, c * elem);
    if (!a) return false;
    *arr = a;
    *cap = c;
    return true;
}

static void close_segment(pin_walk *w)
{
    zmm_pinning *p = w->p;
    if (!w->seg) return;
    p->segments_seen++;
    if ((double)w->live <= w->max_use * (double)w->seg_size) {
        if (!reserve_one((void **)&p->segments, &w->seg_cap, p->nsegments, sizeof *p->segments)) {
            w->oom = true;
        } else {
            zmm_pinned_segment *s = &p->segments[p->nsegments++];
            s->address = w->seg;
            s->size = w->seg_size;
            s->live_bytes = w->live;
            s->cached_bytes = w->cached;
            s->free_bytes = w->free_bytes;
            s->first = w->first;
            s->count = p->nblocks - w->first;
            p->returnable += w->seg_size;
        }
    } else {
        p->nblocks = w->first;   /* not pinned: drop its blocks */
    }
    w->seg = 0;
}

static void pin_segment(const zmm_segment_view *seg, void *ctx)
{
    pin_walk *w = ctx;
    close_segment(w);
    w->seg = seg->address;
    w->seg_size = seg->size;
    w->live = w->cached = w->free_bytes = 0;
    w->first = w->p->nblocks;
}

static void pin_block(const zmm_segment_view *seg, const zmm_block_view *b, void *ctx)
{
    pin_walk *w = ctx;
    zmm_pinning *p = w->p;

    (void)seg;
    switch (b->state) {
        case ZMM_STATE_USED:
        case ZMM_STATE_RESERVE:
            break;
        case ZMM_STATE_CACHED:
            w->cached += b->size;
            return;
        case ZMM_STATE_GUARD:
            return;
        default:
            w->free_bytes += b->size;
            return;
    }
    w->live += b->size;
    /* only keep blocks while the segment can still qualify */
    if ((double)w->live > w->max_use * (double)w->seg_size) return;
    if (!reserve_one((void **)&p->blocks, &w->blk_cap, p->nblocks, sizeof *p->blocks)) {
        w->oom = true;
        return;
    }
    zmm_pinned_block *pb = &p->blocks[p->nblocks++];
    pb->ptr = b->ptr;
    pb->size = b->size;
    pb->reserve = b->state == ZMM_STATE_RESERVE;
    pb->site = ZMM_SITE_NONE;
    pb->requested = 0;
    if (!pb->reserve && !zmm_sites_lookup(w->sites, (const void *)b->ptr, &pb->site, &pb->requested)) {
        pb->requested = b->requested;
    }
}

bool zmm_sites_pinning(const zmm_sites *sites, const zmm_heap *heap, double max_use, zmm_pinning *out)
{
    pin_walk w;

    memset(out, 0, sizeof *out);
    memset(&w, 0, sizeof w);
    w.sites = sites;
    w.p = out;
    w.max_use = max_use;
    bool ok = zmm_inspect_segments(heap, pin_segment, pin_block, &w);
    close_segment(&w);
    return ok && !w.oom;
}

void zmm_pinning_free(zmm_pinning *p)
{
    free(p->segments);
    free(p->blocks);
    memset(p, 0, sizeof *p);
}

/*
 * trace_replay.c - the replay program of trace.h: loading a trace turns its
 * addresses into block numbers (an address -> number hash map, numbers
 * reused once their block is freed, so a replayer needs only nslots pointers)
 * and accounts for what the trace could not see (blocks allocated before
 * recording began, frees it missed); replaying runs the steps against a
 * zmm_heap. Loading lives in libc malloc memory, never in a zmm_heap.
 */
#include "portable.h"
#include "trace.h"
#include "trace_err.h"

#include <stdlib.h>
#include <string.h>

/* ---- the address map ------------------------------------------------------------ */

/* address -> block number: open addressing, linear probing, backward-shift delete */
typedef struct idmap_slot {
    uint64_t key;   /* 0: empty (no block lives at address 0) */
    uint32_t id;
} idmap_slot;

typedef struct idmap {
    idmap_slot *slots;
    size_t      mask, count;
} idmap;

static inline size_t idmap_hash(uint64_t k, size_t mask)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k & mask;
}

static bool idmap_grow(idmap *m)
{
    size_t ncap = m->slots ? (m->mask + 1) * 2 : 1024;
    idmap_slot *ns = (idmap_slot *)calloc(ncap, sizeof *ns);
    if (!ns) return false;
    for (size_t i = 0; m->slots && i <= m->mask; i++) {
        if (!m->slots[i].key) continue;
        size_t j = idmap_hash(m->slots[i].key, ncap - 1);
        while (ns[j].key) j = (j + 1) & (ncap - 1);
        ns[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = ns;
    m->mask = ncap - 1;
    return true;
}

static idmap_slot *idmap_find(const idmap *m, uint64_t key)
{
    if (!m->slots) return NULL;
    for (size_t i = idmap_hash(key, m->mask);; i = (i + 1) & m->mask) {
        if (m->slots[i].key == key) return &m->slots[i];
        if (!m->slots[i].key) return NULL;
    }
}

static bool idmap_put(idmap *m, uint64_t key, uint32_t id)
{
    if (!m->slots || (m->count + 1) * 4 > (m->mask + 1) * 3) {
        if (!idmap_grow(m)) return false;
    }
    size_t i = idmap_hash(key, m->mask);
    while (m->slots[i].key) i = (i + 1) & m->mask;
    m->slots[i].key = key;
    m->slots[i].id = id;
    m->count++;
    return true;
}

static void idmap_remove(idmap *m, idmap_slot *s)
{
    size_t i = (size_t)(s - m->slots), j = i;
    for (;;) {
        j = (j + 1) & m->mask;
        if (!m->slots[j].key) break;
        size_t h = idmap_hash(m->slots[j].key, m->mask);
        /* move j back to i unless its home lies cyclically in (i, j] */
        if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i].key = 0;
    m->count--;
}

/* ---- loading: records -> steps -------------------------------------------------- */

typedef struct loader {
    zmm_trace_program *p;
    idmap     map;
    uint64_t *size_of;      /* requested size per block number */
    size_t    cap_ids;
    uint32_t *free_ids;     /* numbers free for reuse (a stack) */
    size_t    nfree, cap_free;
    size_t    cap_steps;
    uint64_t  live_bytes, live_blocks;
} loader;

static bool emit(loader *L, uint32_t op, uint32_t id, uint64_t size)
{
    zmm_trace_program *p = L->p;
    if (p->nsteps == L->cap_steps) {
        size_t ncap = L->cap_steps ? L->cap_steps * 2 : 4096;
        zmm_trace_step *ns = (zmm_trace_step *)realloc(p->steps, ncap * sizeof *ns);
        if (!ns) return false;
        p->steps = ns;
        L->cap_steps = ncap;
    }
    zmm_trace_step *s = &p->steps[p->nsteps++];
    s->op = op;
    s->id = id;
    s->size = size;
    return true;
}

static void note_peak(loader *L)
{
    if (L->live_bytes > L->p->peak_live_bytes) L->p->peak_live_bytes = L->live_bytes;
    if (L->live_blocks > L->p->peak_live_blocks) L->p->peak_live_blocks = L->live_blocks;
}

static bool new_id(loader *L, uint32_t *id)
{
    if (L->nfree) {
        *id = L->free_ids[--L->nfree];
        return true;
    }
    zmm_trace_program *p = L->p;
    if (p->nslots >= UINT32_MAX) return false;
    if (p->nslots == L->cap_ids) {
        size_t ncap = L->cap_ids ? L->cap_ids * 2 : 4096;
        uint64_t *ns = (uint64_t *)realloc(L->size_of, ncap * sizeof *ns);
        if (!ns) return false;
        L->size_of = ns;
        L->cap_ids = ncap;
    }
    *id = (uint32_t)p->nslots++;
    return true;
}

static bool release_id(loader *L, uint32_t id)
{
    if (L->nfree == L->cap_free) {
        size_t ncap = L->cap_free ? L->cap_free * 2 : 4096;
        uint32_t *nf = (uint32_t *)realloc(L->free_ids, ncap * sizeof *nf);
        if (!nf) return false;
        L->free_ids = nf;
        L->cap_free = ncap;
    }
    L->free_ids[L->nfree++] = id;
    L->live_bytes -= L->size_of[id];
    L->live_blocks--;
    return true;
}

/* A block appears at addr: number it (freeing a stale block the trace never
 * saw freed first). */
static bool block_at(loader *L, uint64_t addr, uint64_t size)
{
    idmap_slot *s = idmap_find(&L->map, addr);
    uint32_t id;
    if (s) {
        L->p->reused++;
        uint32_t stale = s->id;
        idmap_remove(&L->map, s);
        if (!emit(L, ZMM_TRACE_FREE, stale, 0) || !release_id(L, stale)) return false;
    }
    if (!new_id(L, &id) || !idmap_put(&L->map, addr, id)) return false;
    L->size_of[id] = size;
    L->live_bytes += size;
    L->live_blocks++;
    L->p->total_requested += size;
    note_peak(L);
    return emit(L, ZMM_TRACE_ALLOC, id, size);
}

static bool load_event(loader *L, const zmm_trace_event *ev)
{
    zmm_trace_program *p = L->p;
    idmap_slot *s;
    switch (ev->op) {
        case ZMM_TRACE_ALLOC:
            p->allocs++;
            if (ev->flags & ZMM_TRACE_F_VIA_REALLOC) p->realloc_null++;
            return block_at(L, ev->ptr, ev->size);
        case ZMM_TRACE_FREE: {
            p->frees++;
            s = idmap_find(&L->map, ev->ptr);
            if (!s) {
                p->foreign_frees++;
                return true;
            }
            uint32_t id = s->id;
            idmap_remove(&L->map, s);
            return emit(L, ZMM_TRACE_FREE, id, 0) && release_id(L, id);
        }
        case ZMM_TRACE_REALLOC: {
            p->reallocs++;
            s = idmap_find(&L->map, ev->ptr);
            if (!s) {
                p->foreign_reallocs++;
                return block_at(L, ev->new_ptr, ev->size);
            }
            uint32_t id = s->id;
            if (ev->new_ptr != ev->ptr) {
                idmap_remove(&L->map, s);
                idmap_slot *t = idmap_find(&L->map, ev->new_ptr);
                if (t) {                     /* the new address was still live: a missed free */
                    p->reused++;
                    uint32_t stale = t->id;
                    idmap_remove(&L->map, t);
                    if (!emit(L, ZMM_TRACE_FREE, stale, 0) || !release_id(L, stale)) return false;
                }
                if (!idmap_put(&L->map, ev->new_ptr, id)) return false;
            }
            L->live_bytes = L->live_bytes - L->size_of[id] + ev->size;
            L->size_of[id] = ev->size;
            p->total_requested += ev->size;
            note_peak(L);
            return emit(L, ZMM_TRACE_REALLOC, id, ev->size);
        }
        case ZMM_TRACE_FAILED_ALLOC:
            if (ev->flags & ZMM_TRACE_F_VIA_REALLOC) p->realloc_null++;
            p->failed_allocs++;
            return true;
        case ZMM_TRACE_FAILED_REALLOC:
            p->failed_reallocs++;
            return true;
        case ZMM_TRACE_FREE_NULL:
            p->free_null++;
            return true;
        default:
            return true;
    }
}

bool zmm_trace_program_load(zmm_trace_program *p, const void *data, size_t len, char *err, size_t errlen)
{
    zmm_trace_reader r;
    zmm_trace_event ev;
    loader L;
    int rc;

    memset(p, 0, sizeof *p);
    if (!zmm_trace_reader_init(&r, data, len, err, errlen)) return false;
    memset(&L, 0, sizeof L);
    L.p = p;
    while ((rc = zmm_trace_next(&r, &ev)) > 0) {
        if (!load_event(&L, &ev)) {
            zmm_trace_set_err(err, errlen, "out of memory loading the trace");
            rc = -2;
            break;
        }
    }
    if (rc == -1) zmm_trace_set_err(err, errlen, "%s", r.error);
    p->complete = r.ended;
    p->truncated = r.truncated;
    p->end_live_bytes = L.live_bytes;
    p->end_live_blocks = L.live_blocks;
    free(L.map.slots);
    free(L.size_of);
    free(L.free_ids);
    if (rc < 0) {
        zmm_trace_program_free(p);
        return false;
    }
    return true;
}

bool zmm_trace_program_load_file(zmm_trace_program *p, const char *path, char *err, size_t errlen)
{
    size_t len = 0;
    unsigned char *data = zmm_trace_slurp(path, &len, err, errlen);
    memset(p, 0, sizeof *p);
    if (!data) return false;
    bool ok = zmm_trace_program_load(p, data, len, err, errlen);
    free(data);
    return ok;
}

void zmm_trace_program_free(zmm_trace_program *p)
{
    free(p->steps);
    p->steps = NULL;
    p->nsteps = 0;
    p->nslots = 0;
}

/* ---- replaying: steps -> heap --------------------------------------------------- */

size_t zmm_trace_replay(const zmm_trace_program *p, zmm_heap *heap, void **slots)
{
    const zmm_trace_step *s = p->steps, *end = p->steps + p->nsteps;
    size_t failed = 0;
    for (; s < end; s++) {
        void *q;
        switch (s->op) {
            case ZMM_TRACE_ALLOC:
                q = zmm_malloc(heap, (size_t)s->size);
                if (q) slots[s->id] = q;
                else failed++;
                break;
            case ZMM_TRACE_FREE:
                zmm_free(heap, slots[s->id]);
                slots[s->id] = NULL;
                break;
            default:
                q = zmm_realloc(heap, slots[s->id], (size_t)s->size);
                if (q) slots[s->id] = q;
                else failed++;
                break;
        }
    }
    return failed;
}

void zmm_trace_release(const zmm_trace_program *p, zmm_heap *heap, void **slots)
{
    for (size_t i = 0; i < p->nslots; i++) {
        if (slots[i]) {
            zmm_free(heap, slots[i]);
            slots[i] = NULL;
        }
    }
}

size_t zmm_trace_replay_windows(const zmm_trace_program *p, zmm_heap *heap, void **slots, size_t every,
                                zmm_trace_window_fn on_window, void *ctx)
{
    zmm_trace_program window = *p;
    size_t failed = 0;
    if (!every) every = 1;
    if (!on_window(ctx, 0, NULL, NULL, NULL)) return 0;
    for (size_t done = 0; done < p->nsteps;) {
        size_t n = p->nsteps - done < every ? p->nsteps - done : every;
        /* all but the window's last step, then that one on its own: its block before and after */
        window.steps = p->steps + done;
        window.nsteps = n - 1;
        failed += zmm_trace_replay(&window, heap, slots);
        const zmm_trace_step *last = p->steps + done + n - 1;
        const void *before = slots[last->id];
        window.steps = (zmm_trace_step *)last;
        window.nsteps = 1;
        failed += zmm_trace_replay(&window, heap, slots);
        done += n;
        if (!on_window(ctx, done, last, before, slots[last->id])) break;
    }
    return failed;
}

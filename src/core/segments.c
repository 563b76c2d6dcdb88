/*
 * segments.c - segments and the storages that make them.
 *
 * segments_list is 5.3's singly linked list (newest first). Beside it the heap
 * keeps a registry sorted by address (segment, size, storage): it tells which
 * storage must free a segment after a storage switch, and lets the check and
 * pointer validation prove an address is inside the heap in O(log n).
 * Both change only when a segment is made, resized or released.
 */
#include "internal.h"

#include <stdlib.h>

size_t zmm_segment_size_for(const zmm_heap *h, size_t ts)
{
    size_t overhead = ZMM_SEG_HDR + h->hdr;
    if (ts <= h->block_size - overhead) return h->block_size;
    if (ts > SIZE_MAX - overhead - (h->block_size - 1)) return 0;
    return (ts + overhead + h->block_size - 1) & ~(h->block_size - 1);
}

/* ---- storages ---- */
static zmm_storage_ref *storage_ref(zmm_heap *h, const zmm_storage *st)
{
    for (size_t i = 0; i < h->storage_count; i++) {
        if (h->storages[i].storage == st) return &h->storages[i];
    }
    return NULL;
}

bool zmm_storage_attach(zmm_heap *h, zmm_storage *st)
{
    if (h->storage_count == h->storage_cap) {
        size_t cap = h->storage_cap ? h->storage_cap * 2 : 4;
        zmm_storage_ref *n = realloc(h->storages, cap * sizeof *n);
        if (!n) return false;
        h->storages = n;
        h->storage_cap = cap;
    }
    h->storages[h->storage_count].storage = st;
    h->storages[h->storage_count].segments = 0;
    h->storage_count++;
    h->storage = st;
    return true;
}

/* A storage that is no longer current and holds no segment is destroyed. */
static void storage_prune(zmm_heap *h)
{
    size_t j = 0;
    for (size_t i = 0; i < h->storage_count; i++) {
        zmm_storage_ref r = h->storages[i];
        if (r.storage != h->storage && r.segments == 0) {
            r.storage->handlers->dtor(r.storage);
        } else {
            h->storages[j++] = r;
        }
    }
    h->storage_count = j;
}

void zmm_storages_compact_and_prune(zmm_heap *h, bool compact, size_t *released)
{
    if (compact) {
        for (size_t i = 0; i < h->storage_count; i++) {
            zmm_storage *st = h->storages[i].storage;
            size_t n = st->handlers->compact ? st->handlers->compact(st) : 0;
            if (released) *released += n;
        }
    }
    storage_prune(h);
}

void zmm_storages_destroy_all(zmm_heap *h)
{
    for (size_t i = 0; i < h->storage_count; i++) {
        zmm_storage *st = h->storages[i].storage;
        st->handlers->dtor(st);
    }
    free(h->storages);
    h->storages = NULL;
    h->storage_count = h->storage_cap = 0;
    h->storage = NULL;
}

/* ---- registry ---- */
/* index of the first entry whose segment starts above addr */
static size_t registry_upper(const zmm_heap *h, uintptr_t addr)
{
    size_t lo = 0, hi = h->seg_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)h->segs[mid].seg <= addr) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

const zmm_seg_entry *zmm_segment_find(const zmm_heap *h, uintptr_t addr)
{
    size_t i = registry_upper(h, addr);
    if (i == 0) return NULL;
    const zmm_seg_entry *e = &h->segs[i - 1];
    return addr - (uintptr_t)e->seg < e->size ? e : NULL;
}


const zmm_owns_memo *zmm_heap_owns_memo(const zmm_heap *h)
{
    return h->owns_memo;
}

static void owns_memo_clear(zmm_heap *h)
{
    memset(h->owns_memo, 0, sizeof h->owns_memo);
}

bool zmm_heap_owns(zmm_heap *h, const void *ptr)
{
    uintptr_t addr = (uintptr_t)ptr;
    /* the common case (PHP freeing an engine block): a couple of compares */
    if (zmm_owns_memo_hit(h->owns_memo, ptr)) return true;
    if (!h->seg_count) return false;
    const zmm_seg_entry *first = &h->segs[0], *last = &h->segs[h->seg_count - 1];
    /* most foreign addresses fall outside the whole span: O(1) */
    if (addr < (uintptr_t)first->seg || addr >= (uintptr_t)last->seg + last->size) return false;
    const zmm_seg_entry *e = zmm_segment_find(h, addr);
    if (!e) return false;
    size_t slot = (addr >> ZMM_OWNS_MEMO_WINDOW) & (ZMM_OWNS_MEMO_SLOTS - 1);
    h->owns_memo[slot].start = (uintptr_t)e->seg;
    h->owns_memo[slot].size = e->size;
    return true;
}

static bool registry_reserve(zmm_heap *h)
{
    if (h->seg_count < h->seg_cap) return true;
    size_t cap = h->seg_cap ? h->seg_cap * 2 : 16;
    zmm_seg_entry *n = realloc(h->segs, cap * sizeof *n);
    if (!n) return false;
    h->segs = n;
    h->seg_cap = cap;
    return true;
}

static void registry_add(zmm_heap *h, zmm_segment *seg, size_t size, zmm_storage *st)
{
    size_t i = registry_upper(h, (uintptr_t)seg);
    memmove(&h->segs[i + 1], &h->segs[i], (h->seg_count - i) * sizeof h->segs[0]);
    h->segs[i].seg = seg;
    h->segs[i].size = size;
    h->segs[i].storage = st;
    h->seg_count++;
}

static zmm_seg_entry registry_remove(zmm_heap *h, zmm_segment *seg)
{
    size_t i = registry_upper(h, (uintptr_t)seg) - 1;
    zmm_seg_entry e = h->segs[i];
    owns_memo_clear(h);
    memmove(&h->segs[i], &h->segs[i + 1], (h->seg_count - i - 1) * sizeof h->segs[0]);
    h->seg_count--;
    return e;
}

static void list_unlink(zmm_heap *h, zmm_segment *seg)
{
    zmm_segment **pp = &h->segments_list;
    while (*pp != seg) pp = &(*pp)->next_segment;
    *pp = seg->next_segment;
}

/* ---- segments ---- */
zmm_segment *zmm_segment_new(zmm_heap *h, size_t size)
{
    if (!registry_reserve(h)) return NULL;
    zmm_segment *seg = h->storage->handlers->alloc(h->storage, size);
    if (!seg) return NULL;
    if ((uintptr_t)seg & (h->align - 1)) {   /* a storage that would break the heap's alignment */
        h->storage->handlers->free(h->storage, seg);
        return NULL;
    }
    seg->size = size;
    seg->next_segment = h->segments_list;
    h->segments_list = seg;
    registry_add(h, seg, size, h->storage);
    storage_ref(h, h->storage)->segments++;
    h->real_size += size;
    if (h->real_size > h->real_peak) h->real_peak = h->real_size;
    return seg;
}

void zmm_segment_release(zmm_heap *h, zmm_segment *seg)
{
    list_unlink(h, seg);
    zmm_seg_entry e = registry_remove(h, seg);
    h->real_size -= e.size;
    e.storage->handlers->free(e.storage, seg);
    zmm_storage_ref *r = storage_ref(h, e.storage);
    if (--r->segments == 0 && e.storage != h->storage) storage_prune(h);
}

/* Resize through the storage that made the segment, keeping its place in
 * segments_list. NULL: the old segment is untouched. */
zmm_segment *zmm_segment_resize(zmm_heap *h, zmm_segment *seg, size_t size)
{
    const zmm_seg_entry *e = zmm_segment_find(h, (uintptr_t)seg);
    zmm_storage *st = e->storage;
    size_t old = e->size;
    zmm_segment **pp = &h->segments_list;
    while (*pp != seg) pp = &(*pp)->next_segment;
    zmm_segment *n = st->handlers->realloc(st, seg, size);
    if (!n) return NULL;
    n->size = size;          /* the header moved with the contents: next_segment is kept */
    *pp = n;
    registry_remove(h, seg); /* only the address is used: seg may be gone */
    registry_add(h, n, size, st);
    h->real_size += size - old;
    if (h->real_size > h->real_peak) h->real_peak = h->real_size;
    return n;
}

void zmm_segments_release_all(zmm_heap *h)
{
    for (size_t i = 0; i < h->seg_count; i++) {
        zmm_seg_entry *e = &h->segs[i];
        e->storage->handlers->free(e->storage, e->seg);
        storage_ref(h, e->storage)->segments--;
    }
    h->seg_count = 0;
    owns_memo_clear(h);
    h->segments_list = NULL;
    h->real_size = 0;
}

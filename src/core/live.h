/*
 * live.h - the live-block index: user pointer -> requested size.
 *
 * Open addressing with linear probing and backward-shift deletion (no
 * tombstones), so lookup, insert and remove are O(1) on average. It lives in
 * plain malloc'd memory, never in the heap it describes, so a forged pointer
 * is rejected without reading anything the heap did not write itself.
 *
 * Every tracked allocation and free goes through it (a userland pair is one
 * put and one remove), so the hot operations are inline and branch-light:
 * an empty index points at a shared table of empty slots instead of NULL,
 * key 0 (never stored) stops every probe at the first empty slot, and the
 * hash is two shifts and an xor that keep neighbouring blocks in
 * neighbouring slots.
 */
#ifndef ZENDMM_LIVE_H
#define ZENDMM_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct zmm_live_slot {
    uintptr_t key;    /* 0 = empty */
    size_t    value;
} zmm_live_slot;

typedef struct zmm_live {
    zmm_live_slot *slots;  /* never NULL: zmm_live_init points it at a shared empty table */
    size_t         mask;   /* capacity - 1 (capacity is a power of two) */
    size_t         count;
    size_t         limit;  /* count may grow to this before the table grows: capacity / 2, 0 when empty */
    unsigned       shift;  /* 4 + log2(capacity): where the hash's folded-in high part starts */
} zmm_live;

void    zmm_live_init(zmm_live *t);
void    zmm_live_free(zmm_live *t);
void    zmm_live_clear(zmm_live *t);
bool    zmm_live_grow(zmm_live *t);
/* The rare half of zmm_live_remove: slot i was emptied inside a probe run;
 * pull the run's later members back so every key stays reachable. */
void    zmm_live_close_gap(zmm_live *t, size_t i);

/* The key's 16-byte units (a block is at least 32 bytes, so two live blocks
 * never share one) with the units above the table's span folded in by an
 * xor: blocks that lie near each other in the heap, as a heap that carves
 * its segments hands them out, land in nearby slots, so a run of
 * allocations and frees walks the table instead of missing the cache on
 * every call; the fold spreads equal offsets of different spans over
 * different slots. (A multiplicative hash, before: every call a random
 * slot, about 2.4x the time per tracked call on the objects trace.) */
static inline size_t zmm_live_hash(const zmm_live *t, uintptr_t key)
{
    return (size_t)(((key >> 4) ^ (key >> t->shift)) & t->mask);
}

/* Make room for one more entry; false when memory for growing is missing.
 * After a true return, zmm_live_put of a new key cannot fail.
 * The load factor stays at or below 1/2. */
static inline bool zmm_live_reserve(zmm_live *t)
{
    if (t->count < t->limit) return true;
    return zmm_live_grow(t);
}

/* key must not be 0; zmm_live_reserve must have returned true. */
static inline void zmm_live_put(zmm_live *t, uintptr_t key, size_t value)
{
    size_t i = zmm_live_hash(t, key);
    for (uintptr_t k; (k = t->slots[i].key) != 0; i = (i + 1) & t->mask) {
        if (k == key) {
            t->slots[i].value = value;
            return;
        }
    }
    t->count++;
    t->slots[i].key = key;
    t->slots[i].value = value;
}

/* NULL when key is not in the index (key 0 never is). */
static inline const size_t *zmm_live_get(const zmm_live *t, uintptr_t key)
{
    size_t i = zmm_live_hash(t, key);
    for (uintptr_t k; (k = t->slots[i].key) != 0; i = (i + 1) & t->mask) {
        if (k == key) return &t->slots[i].value;
    }
    return NULL;
}

/* The slot of key, or SIZE_MAX when key is not in the index (key 0 never is). */
static inline size_t zmm_live_find(const zmm_live *t, uintptr_t key)
{
    const zmm_live_slot *slots = t->slots;
    size_t i = zmm_live_hash(t, key);
    uintptr_t k = slots[i].key;
    if (!key) return SIZE_MAX;  /* it would match an empty slot below */
    while (k != key) {          /* a hit on the first probe is the usual case */
        if (!k) return SIZE_MAX;
        i = (i + 1) & t->mask;
        k = slots[i].key;
    }
    return i;
}

/* Empty slot i (found by zmm_live_find) when it ends its probe run, the
 * usual case; false (nothing changed) when zmm_live_close_gap(t, i) must
 * empty it. Either way the entry counts as gone. */
static inline bool zmm_live_take_at(zmm_live *t, size_t i)
{
    t->count--;
    if (t->slots[(i + 1) & t->mask].key) return false;
    t->slots[i].key = 0;
    return true;
}

/* false when key is not in the index (key 0 never is). */
static inline bool zmm_live_remove(zmm_live *t, uintptr_t key)
{
    size_t i = zmm_live_find(t, key);
    if (i == SIZE_MAX) return false;
    if (!zmm_live_take_at(t, i)) zmm_live_close_gap(t, i);
    return true;
}

/* Visit every entry (order unspecified). */
void    zmm_live_each(const zmm_live *t, void (*fn)(uintptr_t key, size_t value, void *ctx), void *ctx);

#endif

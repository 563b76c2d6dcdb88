/*
 * live.h - the live-block index: user pointer -> requested size.
 *
 * Open addressing with linear probing and backward-shift deletion (no
 * tombstones), so lookup, insert and remove are O(1) on average. It lives in
 * plain malloc'd memory, never in the heap it describes, so a forged pointer
 * is rejected without reading anything the heap did not write itself.
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
    zmm_live_slot *slots;
    size_t         mask;   /* capacity - 1 (capacity is a power of two) */
    size_t         count;
} zmm_live;

void    zmm_live_init(zmm_live *t);
void    zmm_live_free(zmm_live *t);
void    zmm_live_clear(zmm_live *t);
bool    zmm_live_grow(zmm_live *t);
bool    zmm_live_remove(zmm_live *t, uintptr_t key);

/* Fibonacci hashing: the top bits of the product mix every key bit */
static inline size_t zmm_live_hash(uintptr_t key, size_t mask)
{
    uint64_t x = (uint64_t)key * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(x >> 32 ^ x >> 48) & mask;
}

/* Make room for one more entry; false when memory for growing is missing.
 * After a true return, zmm_live_put of a new key cannot fail.
 * The load factor stays at or below 1/2. */
static inline bool zmm_live_reserve(zmm_live *t)
{
    if (t->slots && (t->count + 1) * 2 <= t->mask + 1) return true;
    return zmm_live_grow(t);
}

static inline void zmm_live_put(zmm_live *t, uintptr_t key, size_t value)
{
    size_t i = zmm_live_hash(key, t->mask);
    while (t->slots[i].key && t->slots[i].key != key) i = (i + 1) & t->mask;
    if (!t->slots[i].key) t->count++;
    t->slots[i].key = key;
    t->slots[i].value = value;
}

static inline const size_t *zmm_live_get(const zmm_live *t, uintptr_t key)
{
    if (!t->slots || !key) return NULL;
    size_t i = zmm_live_hash(key, t->mask);
    while (t->slots[i].key) {
        if (t->slots[i].key == key) return &t->slots[i].value;
        i = (i + 1) & t->mask;
    }
    return NULL;
}
/* Visit every entry (order unspecified). */
void    zmm_live_each(const zmm_live *t, void (*fn)(uintptr_t key, size_t value, void *ctx), void *ctx);

#endif

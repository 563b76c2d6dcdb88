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
/* Make room for one more entry; false when memory for growing is missing.
 * After a true return, zmm_live_put of a new key cannot fail. */
bool    zmm_live_reserve(zmm_live *t);
void    zmm_live_put(zmm_live *t, uintptr_t key, size_t value);
bool    zmm_live_remove(zmm_live *t, uintptr_t key);
const size_t *zmm_live_get(const zmm_live *t, uintptr_t key);
/* Visit every entry (order unspecified). */
void    zmm_live_each(const zmm_live *t, void (*fn)(uintptr_t key, size_t value, void *ctx), void *ctx);

#endif

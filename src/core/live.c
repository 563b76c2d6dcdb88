/* live.c - the live-block index (see live.h). */
#include "live.h"

#include <stdlib.h>

#define LIVE_MIN_CAP 64

/* What an empty index points at, so lookups need no NULL test: two empty
 * slots (mask 1: a hash of 0 or 1). Never written: limit 0 makes
 * the first put grow a real table, and clear skips an empty index. */
static zmm_live_slot live_no_slots[2];

void zmm_live_init(zmm_live *t)
{
    t->slots = live_no_slots;
    t->mask = 1;
    t->count = 0;
    t->limit = 0;
    t->shift = 5;
}

void zmm_live_free(zmm_live *t)
{
    if (t->slots != live_no_slots) free(t->slots);
    zmm_live_init(t);
}

void zmm_live_clear(zmm_live *t)
{
    if (t->slots == live_no_slots) return;
    for (size_t i = 0; i <= t->mask; i++) t->slots[i].key = 0;
    t->count = 0;
}

static bool live_grow(zmm_live *t, size_t cap)
{
    zmm_live_slot *slots = calloc(cap, sizeof *slots);
    if (!slots) return false;
    zmm_live_slot *old = t->slots;
    size_t old_cap = old != live_no_slots ? t->mask + 1 : 0;
    unsigned log2_cap = 0;
    while (((size_t)1 << log2_cap) < cap) log2_cap++;
    t->slots = slots;
    t->mask = cap - 1;
    t->limit = cap / 2;
    t->shift = 4 + log2_cap;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].key) {
            size_t j = zmm_live_hash(t, old[i].key);
            while (slots[j].key) j = (j + 1) & t->mask;
            slots[j] = old[i];
        }
    }
    if (old != live_no_slots) free(old);
    return true;
}

bool zmm_live_grow(zmm_live *t)
{
    if (t->count < t->limit) return true;
    return live_grow(t, t->slots != live_no_slots ? (t->mask + 1) * 2 : LIVE_MIN_CAP);
}

void zmm_live_close_gap(zmm_live *t, size_t i)
{
    size_t hole = i;
    for (size_t j = (i + 1) & t->mask; t->slots[j].key; j = (j + 1) & t->mask) {
        size_t home = zmm_live_hash(t, t->slots[j].key);
        /* move j into the hole when its home is not in (hole, j] cyclically */
        if (((j - home) & t->mask) >= ((j - hole) & t->mask)) {
            t->slots[hole] = t->slots[j];
            hole = j;
        }
    }
    t->slots[hole].key = 0;
}

void zmm_live_each(const zmm_live *t, void (*fn)(uintptr_t, size_t, void *), void *ctx)
{
    if (t->slots == live_no_slots) return;
    for (size_t i = 0; i <= t->mask; i++) {
        if (t->slots[i].key) fn(t->slots[i].key, t->slots[i].value, ctx);
    }
}

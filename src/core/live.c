/* live.c - the live-block index (see live.h). */
#include "live.h"

#include <stdlib.h>

#define LIVE_MIN_CAP 64

void zmm_live_init(zmm_live *t)
{
    t->slots = NULL;
    t->mask = 0;
    t->count = 0;
}

void zmm_live_free(zmm_live *t)
{
    free(t->slots);
    zmm_live_init(t);
}

void zmm_live_clear(zmm_live *t)
{
    if (t->slots) {
        for (size_t i = 0; i <= t->mask; i++) t->slots[i].key = 0;
    }
    t->count = 0;
}

static bool live_grow(zmm_live *t, size_t cap)
{
    zmm_live_slot *slots = calloc(cap, sizeof *slots);
    if (!slots) return false;
    zmm_live_slot *old = t->slots;
    size_t old_cap = old ? t->mask + 1 : 0;
    t->slots = slots;
    t->mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].key) {
            size_t j = zmm_live_hash(old[i].key, t->mask);
            while (slots[j].key) j = (j + 1) & t->mask;
            slots[j] = old[i];
        }
    }
    free(old);
    return true;
}

bool zmm_live_grow(zmm_live *t)
{
    size_t cap = t->slots ? t->mask + 1 : 0;
    if (t->slots && (t->count + 1) * 2 <= cap) return true;
    return live_grow(t, cap ? cap * 2 : LIVE_MIN_CAP);
}

bool zmm_live_remove(zmm_live *t, uintptr_t key)
{
    if (!t->slots || !key) return false;
    size_t i = zmm_live_hash(key, t->mask);
    while (t->slots[i].key != key) {
        if (!t->slots[i].key) return false;
        i = (i + 1) & t->mask;
    }
    /* backward-shift: pull later members of the probe run into the hole */
    size_t hole = i;
    for (size_t j = (i + 1) & t->mask; t->slots[j].key; j = (j + 1) & t->mask) {
        size_t home = zmm_live_hash(t->slots[j].key, t->mask);
        /* move j into the hole when its home is not in (hole, j] cyclically */
        if (((j - home) & t->mask) >= ((j - hole) & t->mask)) {
            t->slots[hole] = t->slots[j];
            hole = j;
        }
    }
    t->slots[hole].key = 0;
    t->count--;
    return true;
}

void zmm_live_each(const zmm_live *t, void (*fn)(uintptr_t, size_t, void *), void *ctx)
{
    if (!t->slots) return;
    for (size_t i = 0; i <= t->mask; i++) {
        if (t->slots[i].key) fn(t->slots[i].key, t->slots[i].value, ctx);
    }
}

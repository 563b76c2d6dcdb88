/*
 * storage.c - the table of storage schemes and the helpers they share.
 * Each scheme lives in its own file (storage_malloc.c, storage_mmap.c,
 * storage_win32.c) behind the zmm_storage_handlers interface.
 */
#include "zendmm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const zmm_storage_handlers zmm_storage_malloc;
#ifdef _WIN32
extern const zmm_storage_handlers zmm_storage_win32;
#else
extern const zmm_storage_handlers zmm_storage_mmap_anon;
extern const zmm_storage_handlers zmm_storage_mmap_zero;
#endif

/* 5.3's order: win32 first where it exists, so it is the default there. */
static const zmm_storage_handlers *const schemes[] = {
#ifdef _WIN32
    &zmm_storage_win32,
#endif
    &zmm_storage_malloc,
#ifndef _WIN32
    &zmm_storage_mmap_anon,
    &zmm_storage_mmap_zero,
#endif
};

const zmm_storage_handlers *const *zmm_storage_schemes(size_t *count)
{
    if (count) *count = sizeof schemes / sizeof schemes[0];
    return schemes;
}

const zmm_storage_handlers *zmm_storage_find(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        if (strcmp(schemes[i]->name, name) == 0) return schemes[i];
    }
    return NULL;
}

const zmm_storage_handlers *zmm_storage_default(void) { return schemes[0]; }

zmm_storage *zmm_storage_dummy_init(void *params)
{
    (void)params;
    return calloc(1, sizeof(zmm_storage));
}

void zmm_storage_dummy_dtor(zmm_storage *storage) { free(storage); }

size_t zmm_storage_dummy_compact(zmm_storage *storage)
{
    (void)storage;
    return 0;
}

void zmm_storage_describe(const zmm_storage *storage, char *buf, size_t len)
{
    if (!len) return;
    buf[0] = '\0';
    if (!storage) return;
    const char *name = storage->handlers ? storage->handlers->name : "";
    if (strcmp(name, "mmap_zero") == 0) {
        snprintf(buf, len, "fd=%d", (int)(intptr_t)storage->data);
    } else if (strcmp(name, "win32") == 0) {
        snprintf(buf, len, "heap=%p", storage->data);
    }
}

/*
 * storage_mmap.c - the "mmap_anon" and "mmap_zero" schemes.
 *
 * DEPARTURE: 5.2.17/5.3.29 opened /dev/zero only "if fd != -1", so mmap_zero
 * never initialised; here init opens it when it is not open yet, and each
 * storage owns its descriptor (kept in storage->data) instead of a static one.
 */
#ifndef _WIN32
#ifndef _GNU_SOURCE
# define _GNU_SOURCE   /* mremap */
#endif
#include "zendmm.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_ANON
# define MAP_ANON MAP_ANONYMOUS
#endif

static zmm_segment *mmap_anon_alloc(zmm_storage *storage, size_t size)
{
    (void)storage;
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANON, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static zmm_storage *mmap_zero_init(void *params)
{
    (void)params;
    zmm_storage *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    int fd = open("/dev/zero", O_RDWR | O_CLOEXEC);
    if (fd == -1) {
        free(st);
        return NULL;
    }
    st->data = (void *)(intptr_t)fd;
    return st;
}

static void mmap_zero_dtor(zmm_storage *storage)
{
    close((int)(intptr_t)storage->data);
    free(storage);
}

static zmm_segment *mmap_zero_alloc(zmm_storage *storage, size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, (int)(intptr_t)storage->data, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void mmap_free(zmm_storage *storage, zmm_segment *seg)
{
    (void)storage;
    munmap(seg, seg->size);
}

/* Shared by both schemes: mremap when the system has it, else map-copy-unmap. */
static zmm_segment *mmap_realloc(zmm_storage *storage, zmm_segment *seg, size_t size)
{
#ifdef MREMAP_MAYMOVE
    void *p = mremap(seg, seg->size, size, MREMAP_MAYMOVE);
    if (p != MAP_FAILED) return p;
#endif
    zmm_segment *n = storage->handlers->alloc(storage, size);
    if (!n) return NULL;
    memcpy(n, seg, seg->size < size ? seg->size : size);
    munmap(seg, seg->size);
    return n;
}

const zmm_storage_handlers zmm_storage_mmap_anon = {
    "mmap_anon", zmm_storage_dummy_init, zmm_storage_dummy_dtor, zmm_storage_dummy_compact,
    mmap_anon_alloc, mmap_realloc, mmap_free,
};

const zmm_storage_handlers zmm_storage_mmap_zero = {
    "mmap_zero", mmap_zero_init, mmap_zero_dtor, zmm_storage_dummy_compact,
    mmap_zero_alloc, mmap_realloc, mmap_free,
};
#else
typedef int zmm_storage_mmap_unused; /* ISO C wants a non-empty unit */
#endif

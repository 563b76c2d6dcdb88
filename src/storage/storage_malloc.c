/* storage_malloc.c - the "malloc" scheme: segments from the C library. */
#include "zendmm.h"

#include <stdlib.h>

static zmm_segment *malloc_alloc(zmm_storage *storage, size_t size)
{
    (void)storage;
    return malloc(size);
}

static zmm_segment *malloc_realloc(zmm_storage *storage, zmm_segment *seg, size_t size)
{
    (void)storage;
    return realloc(seg, size);
}

static void malloc_free(zmm_storage *storage, zmm_segment *seg)
{
    (void)storage;
    free(seg);
}

const zmm_storage_handlers zmm_storage_malloc = {
    "malloc", zmm_storage_dummy_init, zmm_storage_dummy_dtor, zmm_storage_dummy_compact,
    malloc_alloc, malloc_realloc, malloc_free,
};

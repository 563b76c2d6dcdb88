/*
 * storage_win32.c - the "win32" scheme: a private heap per storage.
 *
 * DEPARTURE: 5.3's compact destroyed and re-created the private heap, which
 * is only safe when no segment is left; compaction may run on a live heap
 * here, so it uses HeapCompact, which keeps every block.
 */
#ifdef _WIN32
#include "zendmm.h"

#include <stdlib.h>
#include <windows.h>

static zmm_storage *win32_init(void *params)
{
    (void)params;
    HANDLE heap = HeapCreate(HEAP_NO_SERIALIZE, 0, 0);
    if (!heap) return NULL;
    zmm_storage *st = calloc(1, sizeof *st);
    if (!st) {
        HeapDestroy(heap);
        return NULL;
    }
    st->data = heap;
    return st;
}

static void win32_dtor(zmm_storage *storage)
{
    HeapDestroy((HANDLE)storage->data);
    free(storage);
}

static size_t win32_compact(zmm_storage *storage)
{
    /* HeapCompact returns the largest committed free block, not bytes released;
     * report 0 (unknown) as Windows promises nothing more. */
    HeapCompact((HANDLE)storage->data, HEAP_NO_SERIALIZE);
    return 0;
}

static zmm_segment *win32_alloc(zmm_storage *storage, size_t size)
{
    return HeapAlloc((HANDLE)storage->data, HEAP_NO_SERIALIZE, size);
}

static zmm_segment *win32_realloc(zmm_storage *storage, zmm_segment *seg, size_t size)
{
    return HeapReAlloc((HANDLE)storage->data, HEAP_NO_SERIALIZE, seg, size);
}

static void win32_free(zmm_storage *storage, zmm_segment *seg)
{
    HeapFree((HANDLE)storage->data, HEAP_NO_SERIALIZE, seg);
}

const zmm_storage_handlers zmm_storage_win32 = {
    "win32", win32_init, win32_dtor, win32_compact, win32_alloc, win32_realloc, win32_free,
};
#else
typedef int zmm_storage_win32_unused; /* ISO C wants a non-empty unit */
#endif

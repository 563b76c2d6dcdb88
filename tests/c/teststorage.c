/* teststorage.c - see teststorage.h. */
#include "teststorage.h"

#include <stdlib.h>
#include <string.h>

test_storage_ctl test_storage_default_ctl;

void test_storage_ctl_reset(test_storage_ctl *ctl)
{
    memset(ctl, 0, sizeof *ctl);
}

static test_storage_ctl *ctl_of(zmm_storage *st)
{
    return st->data ? (test_storage_ctl *)st->data : &test_storage_default_ctl;
}

static zmm_storage *ts_init(void *params)
{
    test_storage_ctl *ctl = params ? (test_storage_ctl *)params : &test_storage_default_ctl;
    if (ctl->fail_init) return NULL;
    zmm_storage *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    st->data = ctl;
    ctl->inits++;
    return st;
}

static void ts_dtor(zmm_storage *st)
{
    ctl_of(st)->dtors++;
    free(st);
}

static size_t ts_compact(zmm_storage *st)
{
    test_storage_ctl *ctl = ctl_of(st);
    ctl->compacts++;
    return ctl->compact_return;
}

static int should_fail(test_storage_ctl *ctl, size_t size)
{
    if (!ctl->fail_alloc) return 0;
    if (ctl->fail_min_size && size < ctl->fail_min_size) return 0;
    if (ctl->fail_alloc_after > 0) {
        ctl->fail_alloc_after--;
        return 0;
    }
    return 1;
}

static void note_request(test_storage_ctl *ctl, size_t size)
{
    if (size > ctl->max_request) ctl->max_request = size;
    if (!ctl->min_request || size < ctl->min_request) ctl->min_request = size;
    ctl->last_request = size;
}

static zmm_segment *ts_alloc(zmm_storage *st, size_t size)
{
    test_storage_ctl *ctl = ctl_of(st);
    note_request(ctl, size);
    if (should_fail(ctl, size)) {
        ctl->failed_allocs++;
        return NULL;
    }
    zmm_segment *seg = malloc(size);
    if (!seg) {
        ctl->failed_allocs++;
        return NULL;
    }
    seg->size = size;
    ctl->allocs++;
    ctl->live_segments++;
    ctl->live_bytes += size;
    return seg;
}

static zmm_segment *ts_realloc(zmm_storage *st, zmm_segment *seg, size_t size)
{
    test_storage_ctl *ctl = ctl_of(st);
    note_request(ctl, size);
    if (ctl->fail_realloc && (!ctl->fail_min_size || size >= ctl->fail_min_size)) {
        ctl->failed_reallocs++;
        return NULL;
    }
    size_t old = seg->size;
    zmm_segment *n = realloc(seg, size);
    if (!n) {
        ctl->failed_reallocs++;
        return NULL;
    }
    n->size = size;
    ctl->reallocs++;
    ctl->live_bytes += size - old;
    return n;
}

static void ts_free(zmm_storage *st, zmm_segment *seg)
{
    test_storage_ctl *ctl = ctl_of(st);
    ctl->frees++;
    ctl->live_segments--;
    ctl->live_bytes -= seg->size;
    free(seg);
}

const zmm_storage_handlers test_storage_handlers = {
    "faulty", ts_init, ts_dtor, ts_compact, ts_alloc, ts_realloc, ts_free,
};

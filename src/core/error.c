/*
 * error.c - how the heap reports a failure: 5.3's message goes to the
 * heap's on_error callback, and a limit or out-of-memory failure first gives
 * the reserve back (zend_mm_safe_error), so whoever reports it has room.
 * DEPARTURE: 5.3 then ended the request (a fatal error, or exit(1) for a
 * panic); here the caller gets NULL/false and the heap stays usable.
 *
 * The allocator calls this and this calls the allocator's free (for the
 * reserve): the one back-edge of the core's files, INTERNALS.md says why.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>

void zmm_error(zmm_heap *h, zmm_error_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->errbuf, sizeof h->errbuf, fmt, ap);
    va_end(ap);
    if (kind == ZMM_ERR_LIMIT || kind == ZMM_ERR_OOM) {
        /* as zend_mm_safe_error: give the reserve back first so whoever
         * reports the error has room, and remember that we overflowed */
        if (h->reserve) {
            void *r = h->reserve;
            h->reserve = NULL;
            zmm_free_int(h, r);
        }
        h->overflow = h->overflow ? 2 : 1;
    }
    if (h->on_error) h->on_error(h, kind, h->errbuf, h->error_ctx);
}

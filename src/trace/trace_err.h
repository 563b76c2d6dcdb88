/*
 * trace_err.h - the error-message helper of the trace files (writer, reader,
 * replay program): every public trace function that can fail reports through
 * an optional caller-supplied buffer, and this fills it. Static inline so the
 * extension's .so gains no global symbol for it.
 */
#ifndef ZENDMM_TRACE_ERR_H
#define ZENDMM_TRACE_ERR_H

#include "portable.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Format into err[errlen]; nothing when err is NULL or errlen 0. */
static inline ZMM_PRINTF(3, 4) void zmm_trace_set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || !errlen) return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

#endif /* ZENDMM_TRACE_ERR_H */

/*
 * sites_dump.c - the live blocks by site as files other tools read: folded
 * stacks (flamegraph.pl), callgrind (KCachegrind, callgrind_annotate) and,
 * in sites_pprof.c, pprof's profile.proto.
 *
 * Every format weighs a site by the bytes the heap holds for it (true sizes,
 * header and rounding included), and callgrind and pprof also give the
 * blocks and the bytes requested. A call path's outer frames are the
 * callers: in callgrind each caller gets a call to the frame inside it,
 * with the path's cost as inclusive cost at the calling line.
 */
#include "portable.h"
#include "sites_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const format_names[] = { "callgrind", "pprof", "folded" };

bool zmm_sites_format_from_name(const char *name, zmm_sites_format *fmt)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *fmt = (zmm_sites_format)i;
            return true;
        }
    }
    return false;
}

const char *zmm_sites_format_name(zmm_sites_format fmt)
{
    return (size_t)fmt < sizeof format_names / sizeof format_names[0] ? format_names[fmt] : "?";
}

/* a frame of a site, or the "(unknown)" frame of ZMM_SITE_NONE */
static zmm_site_frame frame_of(const zmm_sites *s, zmm_site_id site, size_t i)
{
    zmm_site_frame f = { ZMM_SITE_UNKNOWN_LABEL, "", 0 };
    if (site != ZMM_SITE_NONE) zmm_site_frame_at(s, site, i, &f);
    return f;
}

static size_t depth_of(const zmm_sites *s, zmm_site_id site)
{
    size_t d = zmm_site_depth(s, site);
    return d ? d : 1;
}

/* text without the characters that would end a field of the format */
static void put_clean(zmm_strbuf *out, const char *text, const char *bad)
{
    for (const char *p = text; *p; p++) {
        zmm_sb_putc(out, strchr(bad, *p) || *p == '\n' || *p == '\r' ? '_' : *p);
    }
}

/* ---- folded ----------------------------------------------------------------------- */

void zmm_sites_write_folded(const zmm_sites *s, const zmm_site_usage *u, size_t n, zmm_strbuf *out)
{
    for (size_t k = 0; k < n; k++) {
        size_t depth = depth_of(s, u[k].site);
        for (size_t i = depth; i-- > 0;) {            /* outermost first */
            zmm_site_frame f = frame_of(s, u[k].site, i);
            put_clean(out, f.function, ";");
            if (f.file[0]) {
                zmm_sb_puts(out, " (");
                put_clean(out, f.file, ";");
                zmm_sb_printf(out, ":%u)", (unsigned)f.line);
            }
            if (i) zmm_sb_putc(out, ';');
        }
        zmm_sb_printf(out, " %zu\n", u[k].bytes);
    }
}

/* ---- callgrind ----------------------------------------------------------------------- */

/* callgrind's name compression: "(id) name" the first time, "(id)" after.
 * Ids are the table's string ids (the unknown frame uses 0 for its name). */
static void put_name(zmm_strbuf *out, const char *key, uint32_t id, const char *name, unsigned char *seen)
{
    zmm_sb_printf(out, "%s(%u)", key, (unsigned)id + 1);
    if (!seen[id]) {
        seen[id] = 1;
        zmm_sb_putc(out, ' ');
        put_clean(out, name[0] ? name : "(none)", "");
    }
    zmm_sb_putc(out, '\n');
}

typedef struct cg_ids { uint32_t fn, fl; } cg_ids;

static cg_ids ids_of(const zmm_sites *s, zmm_site_id site, size_t i)
{
    cg_ids c = { 0, 0 };
    if (site != ZMM_SITE_NONE) {
        const zmm_site_frame_rec *f = &s->frames[s->sites[site].first + i];
        c.fn = f->function;
        c.fl = f->file;
    }
    return c;
}

void zmm_sites_write_callgrind(const zmm_sites *s, const zmm_site_usage *u, size_t n, zmm_strbuf *out)
{
    size_t bytes = 0, blocks = 0, requested = 0;
    size_t nstr = s ? s->nstr : 0;
    unsigned char *seen_fn = calloc(nstr + 1, 1), *seen_fl = calloc(nstr + 1, 1);

    if (!seen_fn || !seen_fl) {
        out->oom = true;
        free(seen_fn);
        free(seen_fl);
        return;
    }
    for (size_t k = 0; k < n; k++) {
        bytes += u[k].bytes;
        blocks += u[k].blocks;
        requested += u[k].requested;
    }
    zmm_sb_puts(out, "# callgrind format\nversion: 1\ncreator: zendmm_ext sites\n"
                     "positions: line\nevents: Bytes Blocks Requested\n");
    zmm_sb_printf(out, "summary: %zu %zu %zu\n", bytes, blocks, requested);
    for (size_t k = 0; k < n; k++) {
        size_t depth = depth_of(s, u[k].site);
        for (size_t i = 0; i < depth; i++) {
            zmm_site_frame f = frame_of(s, u[k].site, i);
            cg_ids id = ids_of(s, u[k].site, i);
            zmm_sb_putc(out, '\n');
            put_name(out, "fl=", id.fl, f.file, seen_fl);
            put_name(out, "fn=", id.fn, f.function, seen_fn);
            if (i > 0) {   /* the frame inside this one is called from this line */
                zmm_site_frame callee = frame_of(s, u[k].site, i - 1);
                cg_ids cid = ids_of(s, u[k].site, i - 1);
                put_name(out, "cfl=", cid.fl, callee.file, seen_fl);
                put_name(out, "cfn=", cid.fn, callee.function, seen_fn);
                zmm_sb_printf(out, "calls=%zu %u\n", u[k].blocks, (unsigned)callee.line);
            }
            zmm_sb_printf(out, "%u %zu %zu %zu\n", (unsigned)f.line, u[k].bytes, u[k].blocks, u[k].requested);
        }
    }
    zmm_sb_printf(out, "\ntotals: %zu %zu %zu\n", bytes, blocks, requested);
    free(seen_fn);
    free(seen_fl);
}

/* ---- the entry point ---------------------------------------------------------------- */

bool zmm_sites_dump(const zmm_sites *s, const zmm_heap *heap, zmm_sites_format fmt, char **out, size_t *len)
{
    zmm_site_usage *u;
    size_t n;
    zmm_strbuf b = { 0 };
    bool ok;

    *out = NULL;
    *len = 0;
    if (!zmm_sites_usage(s, heap, &u, &n, NULL)) {
        free(u);
        return false;
    }
    switch (fmt) {
        case ZMM_SITES_FOLDED:    zmm_sites_write_folded(s, u, n, &b); ok = true; break;
        case ZMM_SITES_CALLGRIND: zmm_sites_write_callgrind(s, u, n, &b); ok = true; break;
        case ZMM_SITES_PPROF:     ok = zmm_sites_write_pprof(s, u, n, &b); break;
        default:                  ok = false; break;
    }
    free(u);
    if (!ok || b.oom) {
        free(b.p);
        return false;
    }
    if (!b.p) zmm_sb_puts(&b, "");   /* an empty heap: still a valid (empty) file */
    if (b.oom) {
        free(b.p);
        return false;
    }
    *out = b.p;
    *len = b.len;
    return true;
}

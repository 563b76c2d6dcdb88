/*
 * sites_pprof.c - the live blocks by site as pprof's profile.proto, gzip'd
 * (what `go tool pprof` and the pprof tools read).
 *
 * Profile fields written (numbers of profile.proto): sample_type 1,
 * sample 2, location 4, function 5, string_table 6, period_type 11,
 * period 12, default_sample_type 14. Sample types: inuse_objects/count,
 * inuse_space/bytes (true sizes), requested_space/bytes; the default is
 * inuse_space. A location is one (function, line); a function one (name,
 * file). A sample's locations are leaf first, as pprof wants.
 *
 * No zlib: the gzip member holds the protobuf in deflate's stored blocks
 * (RFC 1951 BTYPE 00) with the CRC-32 of RFC 1952, which every gzip reader
 * accepts; the files are larger than compressed ones, and the core needs no
 * library.
 */
#include "portable.h"
#include "sites_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- protobuf ----------------------------------------------------------------------- */

static void pb_varint(zmm_strbuf *b, uint64_t v)
{
    char tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    zmm_sb_putn(b, tmp, n);
}

static void pb_key(zmm_strbuf *b, unsigned field, unsigned wire)
{
    pb_varint(b, ((uint64_t)field << 3) | wire);
}

static void pb_uint(zmm_strbuf *b, unsigned field, uint64_t v)
{
    pb_key(b, field, 0);
    pb_varint(b, v);
}

static void pb_bytes(zmm_strbuf *b, unsigned field, const char *p, size_t n)
{
    pb_key(b, field, 2);
    pb_varint(b, n);
    zmm_sb_putn(b, p, n);
}

/* a nested message built in msg, then emptied for the next one */
static void pb_message(zmm_strbuf *b, unsigned field, zmm_strbuf *msg)
{
    if (msg->oom) b->oom = true;
    pb_bytes(b, field, msg->p ? msg->p : "", msg->len);
    msg->len = 0;
}

/* ---- the profile's tables -------------------------------------------------------------- */

/* pprof's string_table index of a table string id: index 0 is "", then the
 * table's strings in id order, then the sample type names */
static uint64_t str_index(uint32_t id) { return id; }

typedef struct pp_function { uint32_t name, file; } pp_function;
typedef struct pp_location { uint64_t function; uint32_t line; } pp_location;

typedef struct pp_tables {
    pp_function *fn;  size_t nfn, fn_cap;
    pp_location *loc; size_t nloc, loc_cap;
} pp_tables;

/* linear search is fine for the sizes a report has; ids from 1 */
static uint64_t find_or_add_fn(pp_tables *t, uint32_t name, uint32_t file)
{
    for (size_t i = 0; i < t->nfn; i++) {
        if (t->fn[i].name == name && t->fn[i].file == file) return i + 1;
    }
    if (t->nfn == t->fn_cap) {
        size_t cap = t->fn_cap ? t->fn_cap * 2 : 64;
        pp_function *a = realloc(t->fn, cap * sizeof *a);
        if (!a) return 0;
        t->fn = a;
        t->fn_cap = cap;
    }
    t->fn[t->nfn].name = name;
    t->fn[t->nfn].file = file;
    return ++t->nfn;
}

static uint64_t find_or_add_loc(pp_tables *t, uint64_t function, uint32_t line)
{
    for (size_t i = 0; i < t->nloc; i++) {
        if (t->loc[i].function == function && t->loc[i].line == line) return i + 1;
    }
    if (t->nloc == t->loc_cap) {
        size_t cap = t->loc_cap ? t->loc_cap * 2 : 64;
        pp_location *a = realloc(t->loc, cap * sizeof *a);
        if (!a) return 0;
        t->loc = a;
        t->loc_cap = cap;
    }
    t->loc[t->nloc].function = function;
    t->loc[t->nloc].line = line;
    return ++t->nloc;
}

/* ---- gzip with stored blocks ------------------------------------------------------------- */

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

static void put_le32(zmm_strbuf *b, uint32_t v)
{
    char t[4] = { (char)(v & 0xff), (char)((v >> 8) & 0xff), (char)((v >> 16) & 0xff), (char)(v >> 24) };
    zmm_sb_putn(b, t, 4);
}

static void gzip_stored(const char *data, size_t n, zmm_strbuf *out)
{
    /* magic, deflate, no flags, no mtime, no extra flags, OS unknown */
    static const char header[10] = { 0x1f, (char)0x8b, 8, 0, 0, 0, 0, 0, 0, (char)0xff };
    size_t off = 0;

    zmm_sb_putn(out, header, sizeof header);
    do {
        size_t chunk = n - off > 65535 ? 65535 : n - off;
        char h[5];
        h[0] = off + chunk == n ? 1 : 0;              /* BFINAL, BTYPE 00 */
        h[1] = (char)(chunk & 0xff);
        h[2] = (char)(chunk >> 8);
        h[3] = (char)(~chunk & 0xff);
        h[4] = (char)((~chunk >> 8) & 0xff);
        zmm_sb_putn(out, h, 5);
        zmm_sb_putn(out, data + off, chunk);
        off += chunk;
    } while (off < n);
    put_le32(out, crc32_of((const unsigned char *)data, n));
    put_le32(out, (uint32_t)n);                       /* ISIZE: length mod 2^32 */
}

/* ---- the profile ---------------------------------------------------------------------------- */

bool zmm_sites_write_pprof(const zmm_sites *s, const zmm_site_usage *u, size_t n, zmm_strbuf *out)
{
    static const char *const extra[] = {
        "(unknown)", "inuse_objects", "count", "inuse_space", "bytes", "requested_space", "space"
    };
    enum { X_UNKNOWN, X_OBJECTS, X_COUNT, X_SPACE, X_BYTES, X_REQUESTED, X_SPACE_T, X_N };
    uint32_t nstr = s ? s->nstr : 0;
    uint64_t xs[X_N];
    pp_tables t = { 0 };
    zmm_strbuf pb = { 0 }, msg = { 0 }, sub = { 0 };
    bool ok = true;

    for (int i = 0; i < X_N; i++) xs[i] = (uint64_t)nstr + 1 + (uint64_t)i;

    /* sample_type: count of blocks, bytes held, bytes requested */
    static const int types[3][2] = { { X_OBJECTS, X_COUNT }, { X_SPACE, X_BYTES }, { X_REQUESTED, X_BYTES } };
    for (int i = 0; i < 3; i++) {
        pb_uint(&msg, 1, xs[types[i][0]]);
        pb_uint(&msg, 2, xs[types[i][1]]);
        pb_message(&pb, 1, &msg);
    }

    /* samples, collecting functions and locations as they come */
    for (size_t k = 0; k < n && ok; k++) {
        size_t depth = zmm_site_depth(s, u[k].site);
        zmm_strbuf ids = { 0 };
        if (depth == 0) {   /* the unknown site: one location of function "(unknown)" */
            uint64_t fn = find_or_add_fn(&t, (uint32_t)xs[X_UNKNOWN], 0);
            uint64_t loc = fn ? find_or_add_loc(&t, fn, 0) : 0;
            if (!loc) ok = false;
            pb_varint(&ids, loc);
        }
        for (size_t i = 0; i < depth && ok; i++) {   /* leaf first */
            const zmm_site_frame_rec *f = &s->frames[s->sites[u[k].site].first + i];
            uint64_t fn = find_or_add_fn(&t, f->function, f->file);
            uint64_t loc = fn ? find_or_add_loc(&t, fn, f->line) : 0;
            if (!loc) ok = false;
            pb_varint(&ids, loc);
        }
        pb_bytes(&msg, 1, ids.p ? ids.p : "", ids.len);     /* location_id, packed */
        if (ids.oom) ok = false;
        free(ids.p);
        pb_varint(&sub, u[k].blocks);
        pb_varint(&sub, u[k].bytes);
        pb_varint(&sub, u[k].requested);
        pb_bytes(&msg, 2, sub.p, sub.len);                  /* value, packed */
        sub.len = 0;
        pb_message(&pb, 2, &msg);
    }

    /* locations: id 1.., one line each */
    for (size_t i = 0; i < t.nloc; i++) {
        pb_uint(&msg, 1, i + 1);
        pb_uint(&sub, 1, t.loc[i].function);
        if (t.loc[i].line) pb_uint(&sub, 2, t.loc[i].line);
        pb_message(&msg, 4, &sub);
        pb_message(&pb, 4, &msg);
    }
    /* functions: name, system_name, filename */
    for (size_t i = 0; i < t.nfn; i++) {
        pb_uint(&msg, 1, i + 1);
        pb_uint(&msg, 2, str_index(t.fn[i].name));
        pb_uint(&msg, 3, str_index(t.fn[i].name));
        if (t.fn[i].file) pb_uint(&msg, 4, str_index(t.fn[i].file));
        pb_message(&pb, 5, &msg);
    }
    /* string_table: "", the table's strings by id, the extra names */
    pb_bytes(&pb, 6, "", 0);
    for (uint32_t id = 1; id <= nstr; id++) {
        const char *str = zmm_sites_string(s, id);
        pb_bytes(&pb, 6, str, strlen(str));
    }
    for (int i = 0; i < X_N; i++) pb_bytes(&pb, 6, extra[i], strlen(extra[i]));
    /* period_type space/bytes, period 1 (every block, no sampling) */
    pb_uint(&msg, 1, xs[X_SPACE_T]);
    pb_uint(&msg, 2, xs[X_BYTES]);
    pb_message(&pb, 11, &msg);
    pb_uint(&pb, 12, 1);
    pb_uint(&pb, 14, xs[X_SPACE]);

    if (pb.oom || msg.oom || sub.oom) ok = false;
    if (ok) gzip_stored(pb.p ? pb.p : "", pb.len, out);
    free(pb.p);
    free(msg.p);
    free(sub.p);
    free(t.fn);
    free(t.loc);
    return ok;
}

/*
 * sites_table.c - the site table of sites.h: interned strings, interned call
 * paths (sites), the memo, and the blocks (user pointer -> site, request).
 *
 * Three open-addressing tables with linear probing, each doubling at 1/2
 * load, in malloc memory. Blocks are deleted by backward shift, so a lookup
 * never meets a tombstone; strings and sites are only ever added (until a
 * reset).
 */
#include "portable.h"
#include "sites.h"
#include "sites_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- hashing --------------------------------------------------------------- */

static uint32_t hash_bytes(uint32_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) h = (h ^ s[i]) * 16777619u;   /* FNV-1a */
    return h;
}

static size_t hash_ptr(uintptr_t p)
{
    uint64_t x = (uint64_t)p >> 3;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 20);
}

/* ---- strings ------------------------------------------------------------------ */

/* id of s (1-based), added when new; 0 when memory runs out */
static uint32_t intern_string(zmm_sites *s, const char *str)
{
    size_t len = strlen(str);
    uint32_t h = hash_bytes(2166136261u, str, len);

    if ((s->nstr + 1) * 2 > s->str_cap) {
        size_t cap = s->str_cap ? s->str_cap * 2 : 256;
        uint32_t *slots = calloc(cap, sizeof *slots);
        char **strs = realloc(s->strs, (cap / 2 + 1) * sizeof *strs);
        uint32_t *hashes = realloc(s->str_hash, (cap / 2 + 1) * sizeof *hashes);
        if (!slots || !strs || !hashes) {
            free(slots);
            if (strs) s->strs = strs;
            if (hashes) s->str_hash = hashes;
            return 0;
        }
        s->strs = strs;
        s->str_hash = hashes;
        for (uint32_t id = 1; id <= s->nstr; id++) {
            size_t i = s->str_hash[id] & (cap - 1);
            while (slots[i]) i = (i + 1) & (cap - 1);
            slots[i] = id;
        }
        free(s->str_slots);
        s->str_slots = slots;
        s->str_cap = cap;
    }
    size_t i = h & (s->str_cap - 1);
    for (uint32_t id; (id = s->str_slots[i]) != 0; i = (i + 1) & (s->str_cap - 1)) {
        if (s->str_hash[id] == h && strcmp(s->strs[id], str) == 0) return id;
    }
    char *copy = malloc(len + 1);
    if (!copy) return 0;
    memcpy(copy, str, len + 1);
    uint32_t id = ++s->nstr;
    s->strs[id] = copy;
    s->str_hash[id] = h;
    s->str_slots[i] = id;
    return id;
}

const char *zmm_sites_string(const zmm_sites *s, uint32_t id)
{
    return id && id <= s->nstr ? s->strs[id] : "";
}

/* ---- sites ----------------------------------------------------------------------- */

static uint32_t hash_path(const zmm_site_frame_rec *f, size_t depth)
{
    return hash_bytes(2166136261u ^ (uint32_t)depth, f, depth * sizeof *f);
}

static bool same_path(const zmm_sites *s, zmm_site_id id, const zmm_site_frame_rec *f, size_t depth)
{
    const zmm_site_rec *r = &s->sites[id];
    return r->depth == depth && memcmp(&s->frames[r->first], f, depth * sizeof *f) == 0;
}

static bool grow_sites(zmm_sites *s)
{
    size_t cap = s->site_cap ? s->site_cap * 2 : 256;
    uint32_t *slots = calloc(cap, sizeof *slots);
    zmm_site_rec *recs = realloc(s->sites, (cap / 2 + 1) * sizeof *recs);
    if (recs) s->sites = recs;
    if (!slots || !recs) {
        free(slots);
        return false;
    }
    for (uint32_t id = 1; id <= s->nsites; id++) {
        size_t i = s->sites[id].hash & (cap - 1);
        while (slots[i]) i = (i + 1) & (cap - 1);
        slots[i] = id;
    }
    free(s->site_slots);
    s->site_slots = slots;
    s->site_cap = cap;
    return true;
}

zmm_site_id zmm_sites_intern(zmm_sites *s, const zmm_site_frame *frames, size_t depth)
{
    zmm_site_frame_rec f[ZMM_SITES_MAX_DEPTH];

    if (!s || !frames || depth == 0) return ZMM_SITE_NONE;
    if (depth > ZMM_SITES_MAX_DEPTH) depth = ZMM_SITES_MAX_DEPTH;
    for (size_t i = 0; i < depth; i++) {
        f[i].function = intern_string(s, frames[i].function ? frames[i].function : "");
        f[i].file = intern_string(s, frames[i].file ? frames[i].file : "");
        f[i].line = frames[i].line;
        if (!f[i].function || !f[i].file) return ZMM_SITE_NONE;
    }
    if ((s->nsites + 1) * 2 > s->site_cap && !grow_sites(s)) return ZMM_SITE_NONE;

    uint32_t h = hash_path(f, depth);
    size_t i = h & (s->site_cap - 1);
    for (uint32_t id; (id = s->site_slots[i]) != 0; i = (i + 1) & (s->site_cap - 1)) {
        if (s->sites[id].hash == h && same_path(s, id, f, depth)) return id;
    }
    if (s->nframes + depth > s->frame_cap) {
        size_t cap = s->frame_cap ? s->frame_cap : 256;
        while (cap < s->nframes + depth) cap *= 2;
        zmm_site_frame_rec *fr = realloc(s->frames, cap * sizeof *fr);
        if (!fr) return ZMM_SITE_NONE;
        s->frames = fr;
        s->frame_cap = cap;
    }
    memcpy(&s->frames[s->nframes], f, depth * sizeof *f);
    zmm_site_id id = ++s->nsites;
    s->sites[id].hash = h;
    s->sites[id].first = (uint32_t)s->nframes;
    s->sites[id].depth = (uint32_t)depth;
    s->nframes += depth;
    s->site_slots[i] = id;
    return id;
}

size_t zmm_sites_count(const zmm_sites *s)
{
    return s ? s->nsites : 0;
}

size_t zmm_site_depth(const zmm_sites *s, zmm_site_id site)
{
    return s && site && site <= s->nsites ? s->sites[site].depth : 0;
}

bool zmm_site_frame_at(const zmm_sites *s, zmm_site_id site, size_t i, zmm_site_frame *out)
{
    if (i >= zmm_site_depth(s, site)) return false;
    const zmm_site_frame_rec *f = &s->frames[s->sites[site].first + i];
    out->function = zmm_sites_string(s, f->function);
    out->file = zmm_sites_string(s, f->file);
    out->line = f->line;
    return true;
}

size_t zmm_site_label(const zmm_sites *s, zmm_site_id site, char *buf, size_t len)
{
    zmm_site_frame f;
    int n;

    if (!zmm_site_frame_at(s, site, 0, &f)) {
        n = snprintf(buf, len, "%s", ZMM_SITE_UNKNOWN_LABEL);
    } else if (f.file[0]) {
        n = snprintf(buf, len, "%s (%s:%u)", f.function, f.file, (unsigned)f.line);
    } else {
        n = snprintf(buf, len, "%s", f.function);
    }
    return n < 0 ? 0 : (size_t)n;
}

/* ---- the memo ---------------------------------------------------------------------- */

static size_t memo_slot(const uintptr_t *key, size_t n)
{
    uint64_t h = 0x84222325cbf29ce4ull ^ n;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint64_t)key[i]) * 0x100000001b3ull;
    return (size_t)(h ^ (h >> 29)) & (ZMM_SITES_MEMO_SLOTS - 1);
}

static bool same_key(const zmm_sites_memo_entry *e, const uintptr_t *key, size_t n)
{
    if (e->n != n) return false;
    for (size_t i = 0; i < n; i++) if (e->key[i] != key[i]) return false;
    return true;
}

zmm_site_id zmm_sites_memo_find(const zmm_sites *s, const uintptr_t *key, size_t n)
{
    if (!s->memo || n == 0 || n > ZMM_SITES_MEMO_WORDS) return ZMM_SITE_NONE;
    /* allocations come in runs from one place: the entry last found first */
    if (s->memo_last && same_key(s->memo_last, key, n)) return s->memo_last->site;
    const zmm_sites_memo_entry *e = &s->memo[memo_slot(key, n)];
    if (!same_key(e, key, n)) return ZMM_SITE_NONE;
    ((zmm_sites *)s)->memo_last = e;   /* a cache, not the table's state */
    return e->site;
}

void zmm_sites_memo_store(zmm_sites *s, const uintptr_t *key, size_t n, zmm_site_id site)
{
    if (n == 0 || n > ZMM_SITES_MEMO_WORDS || site == ZMM_SITE_NONE) return;
    if (!s->memo && !(s->memo = calloc(ZMM_SITES_MEMO_SLOTS, sizeof *s->memo))) return;
    zmm_sites_memo_entry *e = &s->memo[memo_slot(key, n)];
    memcpy(e->key, key, n * sizeof *key);
    e->n = (uint32_t)n;
    e->site = site;
    s->memo_last = e;
}

/* ---- blocks ------------------------------------------------------------------------- */

static bool grow_blocks(zmm_sites *s)
{
    size_t cap = s->blk_cap ? s->blk_cap * 2 : 1024;
    zmm_sites_block *b = calloc(cap, sizeof *b);
    if (!b) return false;
    for (size_t j = 0; j < s->blk_cap; j++) {
        if (!s->blk[j].ptr) continue;
        size_t i = hash_ptr(s->blk[j].ptr) & (cap - 1);
        while (b[i].ptr) i = (i + 1) & (cap - 1);
        b[i] = s->blk[j];
    }
    free(s->blk);
    s->blk = b;
    s->blk_cap = cap;
    return true;
}

static zmm_sites_block *find_block(const zmm_sites *s, uintptr_t p)
{
    if (!s || !s->blk_cap || !p) return NULL;
    for (size_t i = hash_ptr(p) & (s->blk_cap - 1); s->blk[i].ptr; i = (i + 1) & (s->blk_cap - 1)) {
        if (s->blk[i].ptr == p) return &s->blk[i];
    }
    return NULL;
}

bool zmm_sites_record(zmm_sites *s, const void *ptr, size_t requested, zmm_site_id site)
{
    uintptr_t p = (uintptr_t)ptr;

    if (!s || !p) return false;
    if ((s->nblk + 1) * 2 > s->blk_cap && !grow_blocks(s)) return false;
    /* one probe run: the pointer's entry if it has one, else the free slot ending the run */
    size_t i = hash_ptr(p) & (s->blk_cap - 1);
    while (s->blk[i].ptr && s->blk[i].ptr != p) i = (i + 1) & (s->blk_cap - 1);
    if (!s->blk[i].ptr) {
        s->blk[i].ptr = p;
        s->nblk++;
    }
    s->blk[i].requested = requested;
    s->blk[i].site = site;
    return true;
}

void zmm_sites_forget(zmm_sites *s, const void *ptr)
{
    zmm_sites_block *b = find_block(s, (uintptr_t)ptr);
    if (!b) return;
    /* backward shift: pull later entries of the run into the hole when
     * their home slot does not lie (cyclically) between the hole and them */
    size_t mask = s->blk_cap - 1, hole = (size_t)(b - s->blk), j = hole;
    for (;;) {
        j = (j + 1) & mask;
        if (!s->blk[j].ptr) break;
        size_t home = hash_ptr(s->blk[j].ptr) & mask;
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            s->blk[hole] = s->blk[j];
            hole = j;
        }
    }
    s->blk[hole].ptr = 0;
    s->nblk--;
}

bool zmm_sites_move(zmm_sites *s, const void *old_ptr, const void *new_ptr, size_t requested)
{
    zmm_site_id site = ZMM_SITE_NONE;
    zmm_sites_block *b = find_block(s, (uintptr_t)old_ptr);

    if (b) {
        site = b->site;
        if (old_ptr == new_ptr) {
            b->requested = requested;
            return true;
        }
        zmm_sites_forget(s, old_ptr);
    }
    return zmm_sites_record(s, new_ptr, requested, site);
}

bool zmm_sites_lookup(const zmm_sites *s, const void *ptr, zmm_site_id *site, size_t *requested)
{
    const zmm_sites_block *b = find_block(s, (uintptr_t)ptr);
    if (!b) return false;
    if (site) *site = b->site;
    if (requested) *requested = b->requested;
    return true;
}

size_t zmm_sites_blocks(const zmm_sites *s)
{
    return s ? s->nblk : 0;
}

size_t zmm_sites_block_label(const zmm_sites *s, const void *ptr, char *buf, size_t len)
{
    zmm_site_id site;
    if (!zmm_sites_lookup(s, ptr, &site, NULL)) {
        if (len) buf[0] = '\0';
        return 0;
    }
    return zmm_site_label(s, site, buf, len);
}

/* ---- life ------------------------------------------------------------------------- */

zmm_sites *zmm_sites_create(void)
{
    return calloc(1, sizeof(zmm_sites));
}

static void release_all(zmm_sites *s)
{
    for (uint32_t id = 1; id <= s->nstr; id++) free(s->strs[id]);
    free(s->strs);
    free(s->str_hash);
    free(s->str_slots);
    free(s->sites);
    free(s->site_slots);
    free(s->frames);
    free(s->memo);
    free(s->blk);
}

void zmm_sites_reset(zmm_sites *s)
{
    if (!s) return;
    release_all(s);
    memset(s, 0, sizeof *s);
}

void zmm_sites_destroy(zmm_sites *s)
{
    if (!s) return;
    release_all(s);
    free(s);
}

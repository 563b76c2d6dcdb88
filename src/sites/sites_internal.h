/*
 * sites_internal.h - the site table's insides, shared by the .c files of src/sites only.
 */
#ifndef ZENDMM_SITES_INTERNAL_H
#define ZENDMM_SITES_INTERNAL_H

#include "sites.h"
#include "strbuf.h"

/* a frame with its strings interned (ids into strs) */
typedef struct zmm_site_frame_rec {
    uint32_t function, file, line;
} zmm_site_frame_rec;

typedef struct zmm_site_rec {
    uint32_t hash, first, depth;   /* frames[first .. first+depth-1], innermost first */
} zmm_site_rec;

typedef struct zmm_sites_block {
    uintptr_t   ptr;               /* 0: empty slot */
    size_t      requested;
    zmm_site_id site;
} zmm_sites_block;

#define ZMM_SITES_MEMO_SLOTS 1024
typedef struct zmm_sites_memo_entry {
    uintptr_t   key[ZMM_SITES_MEMO_WORDS];
    uint32_t    n;
    zmm_site_id site;
} zmm_sites_memo_entry;

struct zmm_sites {
    /* strings: ids 1..nstr; str_slots (str_cap, a power of two) hold ids */
    char     **strs;
    uint32_t  *str_hash;
    uint32_t  *str_slots;
    size_t     str_cap;
    uint32_t   nstr;
    /* sites: ids 1..nsites */
    zmm_site_rec       *sites;
    uint32_t           *site_slots;
    size_t              site_cap;
    uint32_t            nsites;
    zmm_site_frame_rec *frames;
    size_t              nframes, frame_cap;
    zmm_sites_memo_entry *memo;    /* made at the first store */
    const zmm_sites_memo_entry *memo_last;  /* the entry last found or stored */
    /* blocks */
    zmm_sites_block *blk;
    size_t           blk_cap, nblk;
};

/* the string of an id ("" for 0) */
const char *zmm_sites_string(const zmm_sites *s, uint32_t id);

/* the writers of sites_dump.c and sites_pprof.c, given the usage */
void zmm_sites_write_folded(const zmm_sites *s, const zmm_site_usage *u, size_t n, zmm_strbuf *out);
void zmm_sites_write_callgrind(const zmm_sites *s, const zmm_site_usage *u, size_t n, zmm_strbuf *out);
bool zmm_sites_write_pprof(const zmm_sites *s, const zmm_site_usage *u, size_t n, zmm_strbuf *out);

#endif

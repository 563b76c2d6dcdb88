/*
 * heapmap_text.c - the text map (see heapmap.h for what it shows): one line
 * per segment scaled to the line width, each column the state holding most
 * of its bytes, then a legend wrapped to the width, the stats and the two
 * bitmaps, as bits when the line is wide enough and as hex otherwise.
 */
#include "portable.h"
#include "heapmap_model.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t ndigits(size_t v)
{
    size_t n = 1;
    while (v >= 10) { v /= 10; n++; }
    return n;
}

/* start of column c of ncols over len bytes */
static size_t col_start(size_t c, size_t ncols, size_t len)
{
    if (len <= SIZE_MAX / (ncols + 1)) return c * len / ncols;
    return (size_t)((double)c * (double)len / (double)ncols);
}

/* One segment's bar: ncols columns for its blocks and one for the guard. */
static void text_bar(zmm_strbuf *b, const map_model *m, const map_seg *s, size_t ncols,
                     size_t (*counts)[ZMM_MAP_NSTATES])
{
    const zmm_block_view *blk = m->blocks + s->first;
    size_t n = s->count;
    const zmm_block_view *guard = NULL;
    if (n && blk[n - 1].state == ZMM_STATE_GUARD) {
        guard = &blk[n - 1];
        n--;
    }
    if (!n) {
        zmm_sb_repeat(b, ' ', ncols);
        zmm_sb_putc(b, guard ? zmm_map_state_chars[ZMM_STATE_GUARD] : ' ');
        return;
    }
    uintptr_t base = blk[0].address;
    size_t total = (size_t)(blk[n - 1].address + blk[n - 1].size - base);
    memset(counts, 0, ncols * sizeof *counts);
    size_t c = 0;
    for (size_t i = 0; i < n; i++) {
        size_t a = (size_t)(blk[i].address - base), e = a + blk[i].size;
        unsigned st = (unsigned)blk[i].state < ZMM_MAP_NSTATES ? (unsigned)blk[i].state : ZMM_STATE_USED;
        size_t last = c;
        for (size_t cc = c; cc < ncols; cc++) {
            size_t s0 = col_start(cc, ncols, total), s1 = col_start(cc + 1, ncols, total);
            if (s0 >= e) break;
            last = cc;
            if (s1 == s0) {               /* a column narrower than a byte */
                if (s0 >= a) counts[cc][st]++;
                continue;
            }
            size_t lo = a > s0 ? a : s0, hi = e < s1 ? e : s1;
            if (hi > lo) counts[cc][st] += hi - lo;
        }
        c = last;
    }
    for (size_t cc = 0; cc < ncols; cc++) {
        int best = -1;
        size_t most = 0;
        for (int k = 0; k < ZMM_MAP_NSTATES; k++) {
            zmm_block_state st = zmm_map_state_order[k];
            if (counts[cc][st] > most) { most = counts[cc][st]; best = (int)st; }
        }
        zmm_sb_putc(b, best < 0 ? ' ' : zmm_map_state_chars[best]);
    }
    zmm_sb_putc(b, guard ? zmm_map_state_chars[ZMM_STATE_GUARD] : ' ');
}

/* append words to lines no longer than width */
typedef struct wrapper {
    zmm_strbuf  *b;
    size_t width, col;
} wrapper;

static void wrap_word(wrapper *w, const char *word, size_t indent)
{
    size_t n = strlen(word);
    if (w->col > indent && w->col + 2 + n > w->width) {
        zmm_sb_putc(w->b, '\n');
        zmm_sb_repeat(w->b, ' ', indent);
        w->col = indent;
    } else if (w->col > indent) {
        zmm_sb_puts(w->b, "  ");
        w->col += 2;
    }
    zmm_sb_puts(w->b, word);
    w->col += n;
}

/* "real_size 20480: payload 1000  headers 112 ..." wrapped to the width */
static void breakdown_line(zmm_strbuf *b, const map_model *m, size_t width)
{
    map_part parts[ZMM_MAP_MAX_PARTS];
    size_t n = zmm_map_breakdown_parts(&m->breakdown, parts);
    char word[64];
    snprintf(word, sizeof word, "real_size %zu:", m->breakdown.real_size);
    wrapper w = { b, width, 0 };
    wrap_word(&w, word, 0);
    for (size_t i = 0; i < n; i++) {
        snprintf(word, sizeof word, "%s %zu", parts[i].key, parts[i].bytes);
        wrap_word(&w, word, 2);
    }
    zmm_sb_putc(b, '\n');
}

static void bits_line(zmm_strbuf *b, const char *label, size_t bits, bool as_bits)
{
    zmm_sb_printf(b, "%-13s", label);
    if (as_bits) {
        for (int i = 0; i < ZMM_NUM_BUCKETS; i++) zmm_sb_putc(b, (bits >> i) & 1 ? '1' : '.');
    } else {
        zmm_sb_printf(b, "0x%0*llx", ZMM_NUM_BUCKETS / 4, (unsigned long long)bits);
    }
    zmm_sb_putc(b, '\n');
}

void zmm_map_render_text(zmm_strbuf *b, const map_model *m, size_t width)
{
    if (!width) width = ZMM_MAP_TEXT_WIDTH;
    if (width < ZMM_MAP_TEXT_MIN_WIDTH) width = ZMM_MAP_TEXT_MIN_WIDTH;
    if (width > ZMM_MAP_TEXT_MAX_WIDTH) width = ZMM_MAP_TEXT_MAX_WIDTH;

    zmm_sb_printf(b, "heap map: %zu %s, %zu %s (newest segment first)\n", m->nsegs,
                  zmm_map_plural(m->nsegs, "segment", "segments"), m->nblocks,
                  zmm_map_plural(m->nblocks, "block", "blocks"));

    /* prefix: index, size, storage (only when the segments differ in storage) */
    size_t iw = ndigits(m->nsegs ? m->nsegs - 1 : 0), sw = 1, stw = 0;
    char sz[32];
    for (size_t i = 0; i < m->nsegs; i++) {
        zmm_map_fmt_size(sz, sizeof sz, m->segs[i].v.size);
        if (strlen(sz) > sw) sw = strlen(sz);
        if (m->multi_storage && m->segs[i].v.storage && strlen(m->segs[i].v.storage) > stw) {
            stw = strlen(m->segs[i].v.storage);
        }
    }
    size_t prefix = iw + 1 + sw + 1 + (stw ? stw + 1 : 0);
    size_t ncols = width > prefix + 2 ? width - prefix - 1 : 1;
    size_t (*counts)[ZMM_MAP_NSTATES] = m->nsegs ? calloc(ncols, sizeof *counts) : NULL;
    if (m->nsegs && !counts) { b->oom = true; return; }
    for (size_t i = 0; i < m->nsegs; i++) {
        const map_seg *s = &m->segs[i];
        zmm_map_fmt_size(sz, sizeof sz, s->v.size);
        zmm_sb_printf(b, "%*zu %*s ", (int)iw, i, (int)sw, sz);
        if (stw) zmm_sb_printf(b, "%-*s ", (int)stw, s->v.storage ? s->v.storage : "");
        text_bar(b, m, s, ncols, counts);
        zmm_sb_putc(b, '\n');
    }
    free(counts);
    if (!m->nsegs) zmm_sb_puts(b, "(no segments)\n");
    if (!m->stats.use_zend_alloc) zmm_sb_puts(b, ZMM_MAP_PASS_THROUGH_NOTE "\n");
    if (!m->complete) zmm_sb_puts(b, "(the walk stopped at a damaged block: zendmm_check_heap() tells more)\n");

    /* the legend: each state's character, name and number of blocks */
    wrapper w = { b, width, 0 };
    for (int k = 0; k < ZMM_MAP_NSTATES; k++) {
        zmm_block_state st = zmm_map_legend_order[k];
        char word[48];
        snprintf(word, sizeof word, "%c %s %zu", zmm_map_state_chars[st], zmm_block_state_name(st), m->state_count[st]);
        wrap_word(&w, word, 0);
    }
    zmm_sb_putc(b, '\n');
    breakdown_line(b, m, width);

    char l1[256], l2[256];
    zmm_map_stats_lines(m, l1, l2, sizeof l1);
    zmm_sb_printf(b, "%s\n%s\n", l1, l2);
    bool as_bits = width >= 13 + (size_t)ZMM_NUM_BUCKETS;
    if (as_bits) {
        zmm_sb_repeat(b, ' ', 13);
        char ruler[ZMM_NUM_BUCKETS + 8];
        memset(ruler, ' ', sizeof ruler);
        for (int i = 0; i < ZMM_NUM_BUCKETS; i += 8) {
            char num[8];
            int n = snprintf(num, sizeof num, "%d", i);
            memcpy(ruler + i, num, (size_t)n);
        }
        size_t rl = ZMM_NUM_BUCKETS;
        while (rl && ruler[rl - 1] == ' ') rl--;
        zmm_sb_putn(b, ruler, rl);
        zmm_sb_putc(b, '\n');
    }
    bits_line(b, "free_bitmap", m->stats.free_bitmap, as_bits);
    bits_line(b, "large_bitmap", m->stats.large_free_bitmap, as_bits);
}

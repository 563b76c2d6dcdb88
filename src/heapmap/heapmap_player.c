/*
 * heapmap_player.c - the trace player (heapmap.h, zmm_map_player_*): the
 * explorer's page around a sequence of frames, one after every `every`-th
 * step of a replay. A frame holds the counters, where real_size goes and
 * the segments: whole (a keyframe, every PLAYER_KEY_EVERY frames) or as what
 * changed since the frame before (segments given back, segments taken,
 * per segment the run of blocks between the unchanged head and tail). The
 * page's script rebuilds any frame from its keyframe, so every frame is the
 * heap exactly as it was after its step.
 */
#include "portable.h"
#include "heapmap_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLAYER_MAX_FRAMES 5000   /* the interval grows by tens until the frames fit */
#define PLAYER_MAX_EVERY  1000   /* ... but stays a divisor of 1000: every 1000th step is a frame */
#define PLAYER_KEY_EVERY  1000   /* a keyframe every this many frames (the page replays at most this many deltas to show one) */

/* a segment as the last frame left it: its blocks as (size, state, requested) */
typedef struct player_seg {
    uintptr_t addr;
    size_t    size, n;
    size_t   *b;
} player_seg;

struct zmm_map_player {
    char       *name;
    size_t      nsteps, every, frames;
    zmm_strbuf  out;            /* the frames so far */
    player_seg *segs;
    size_t      nsegs;
    map_model   widest;         /* the model with the most segments: the page's layout */
    bool        have_widest, requested_known, oom;
};

size_t zmm_map_player_interval(size_t nsteps)
{
    size_t every = 1;
    while (every < PLAYER_MAX_EVERY && (nsteps + every - 1) / every > PLAYER_MAX_FRAMES) every *= 10;
    return every;
}

zmm_map_player *zmm_map_player_new(const char *name, size_t nsteps)
{
    zmm_map_player *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->name = malloc(strlen(name ? name : "") + 1);
    if (!p->name) { free(p); return NULL; }
    strcpy(p->name, name ? name : "");
    p->nsteps = nsteps;
    p->every = zmm_map_player_interval(nsteps);
    return p;
}

size_t zmm_map_player_every(const zmm_map_player *p)
{
    return p->every;
}

static void segs_free(player_seg *s, size_t n)
{
    for (size_t i = 0; i < n; i++) free(s[i].b);
    free(s);
}

void zmm_map_player_free(zmm_map_player *p)
{
    if (!p) return;
    free(p->name);
    free(p->out.p);
    segs_free(p->segs, p->nsegs);
    if (p->have_widest) zmm_map_model_free(&p->widest);
    free(p);
}

/* ---- a frame ------------------------------------------------------------------------ */

/* the model's segments as player_segs */
static player_seg *segs_of(const map_model *m)
{
    player_seg *s = calloc(m->nsegs ? m->nsegs : 1, sizeof *s);
    if (!s) return NULL;
    for (size_t i = 0; i < m->nsegs; i++) {
        const map_seg *ms = &m->segs[i];
        s[i].addr = ms->v.address;
        s[i].size = ms->v.size;
        s[i].n = ms->count;
        s[i].b = malloc((ms->count ? ms->count : 1) * 3 * sizeof(size_t));
        if (!s[i].b) { segs_free(s, i); return NULL; }
        for (size_t j = 0; j < ms->count; j++) {
            const zmm_block_view *v = &m->blocks[ms->first + j];
            s[i].b[3 * j] = v->size;
            s[i].b[3 * j + 1] = (size_t)v->state;
            s[i].b[3 * j + 2] = v->requested;
        }
    }
    return s;
}

static bool same_block(const size_t *a, size_t i, const size_t *b, size_t j)
{
    return a[3 * i] == b[3 * j] && a[3 * i + 1] == b[3 * j + 1] && a[3 * i + 2] == b[3 * j + 2];
}

static void put_blocks(zmm_strbuf *b, const size_t *t, size_t from, size_t to, size_t header_size, bool track)
{
    for (size_t j = from; j < to; j++) {
        zmm_block_view v = { 0, 0, t[3 * j], t[3 * j + 2], -1, -1, (zmm_block_state)t[3 * j + 1] };
        if (j > from) zmm_sb_putc(b, ',');
        zmm_map_page_block(b, &v, header_size, track);
    }
}

/* the old segment of the same address and size, or -1 */
static long find_old(const zmm_map_player *p, const player_seg *s)
{
    for (size_t i = 0; i < p->nsegs; i++) {
        if (p->segs[i].addr == s->addr && p->segs[i].size == s->size) return (long)i;
    }
    return -1;
}

/* A delta rebuilds the new order only when the segments both frames hold keep
 * their order (new ones are inserted where they stand): else a keyframe. */
static bool order_kept(const zmm_map_player *p, const player_seg *now, size_t n)
{
    long last = -1;
    for (size_t i = 0; i < n; i++) {
        long o = find_old(p, &now[i]);
        if (o < 0) continue;
        if (o < last) return false;
        last = o;
    }
    return true;
}

/* The runs of blocks that differ, found by address: both lists tile the same
 * segment, so walking them side by side, a run starts where the blocks at one
 * offset differ and ends where both reach one offset again and agree there.
 * Each run is ["~", segment, index in the new list, old blocks replaced, new
 * blocks]: applied in order, earlier runs have already made the list new up
 * to the index. */
static void put_segment_change(zmm_strbuf *b, const player_seg *old, const player_seg *now, const map_model *m,
                               bool *first)
{
    size_t i = 0, j = 0, oi = 0, oj = 0;
    while (i < old->n || j < now->n) {
        if (i < old->n && j < now->n && oi == oj && same_block(old->b, i, now->b, j)) {
            oi += old->b[3 * i++];
            oj += now->b[3 * j++];
            continue;
        }
        size_t si = i, sj = j;
        do {
            bool take_old = i < old->n && (j == now->n || oi + old->b[3 * i] <= oj + now->b[3 * j]);
            if (take_old) oi += old->b[3 * i++];
            else oj += now->b[3 * j++];
        } while ((i < old->n || j < now->n) &&
                 !(oi == oj && i < old->n && j < now->n && same_block(old->b, i, now->b, j)));
        zmm_sb_printf(b, "%s[\"~\",%llu,%zu,%zu,[", *first ? "" : ",", (unsigned long long)now->addr, sj, i - si);
        put_blocks(b, now->b, sj, j, m->stats.header_size, m->stats.track_blocks);
        zmm_sb_puts(b, "]]");
        *first = false;
    }
}

static void put_delta(zmm_strbuf *b, const zmm_map_player *p, const map_model *m, const player_seg *now)
{
    bool first = true;
    zmm_sb_puts(b, ",\"d\":[");
    for (size_t i = 0; i < p->nsegs; i++) {
        bool kept = false;
        for (size_t j = 0; j < m->nsegs && !kept; j++) kept = now[j].addr == p->segs[i].addr && now[j].size == p->segs[i].size;
        if (!kept) {
            zmm_sb_printf(b, "%s[\"-\",%llu]", first ? "" : ",", (unsigned long long)p->segs[i].addr);
            first = false;
        }
    }
    for (size_t j = 0; j < m->nsegs; j++) {
        long o = find_old(p, &now[j]);
        if (o < 0) {
            zmm_sb_printf(b, "%s[\"+\",%zu,", first ? "" : ",", j);
            zmm_map_page_segment(b, m, j);
            zmm_sb_putc(b, ']');
            first = false;
        } else {
            put_segment_change(b, &p->segs[o], &now[j], m, &first);
        }
    }
    zmm_sb_putc(b, ']');
}

static const char *event_name(zmm_player_op op)
{
    switch (op) {
    case ZMM_PLAYER_ALLOC: return "alloc";
    case ZMM_PLAYER_FREE: return "free";
    case ZMM_PLAYER_REALLOC: return "realloc";
    case ZMM_PLAYER_NONE: break;
    }
    return NULL;
}

static void put_counters(zmm_strbuf *b, size_t step, const map_model *m, const zmm_player_event *ev)
{
    const zmm_stats *s = &m->stats;
    map_part parts[ZMM_MAP_MAX_PARTS];
    size_t n = zmm_map_breakdown_parts(&m->breakdown, parts);
    zmm_sb_printf(b, "{\"step\":%zu,\"t\":[%zu,%zu,%zu,%zu,%zu],\"k\":[%zu,%zu],\"bd\":[", step, s->size,
                  s->real_size, s->peak, s->cached, s->real_peak, s->segments, s->live_blocks);
    for (size_t i = 0; i < n; i++) zmm_sb_printf(b, i ? ",%zu" : "%zu", parts[i].bytes);
    zmm_sb_puts(b, "],\"ev\":");
    const char *op = ev ? event_name(ev->op) : NULL;
    if (op) zmm_sb_printf(b, "[\"%s\",%llu,%zu]", op, (unsigned long long)ev->ptr, ev->size);
    else zmm_sb_puts(b, "null");
}

bool zmm_map_player_frame(zmm_map_player *p, const zmm_heap *heap, size_t step, const zmm_player_event *ev)
{
    if (p->oom) return false;
    map_model m;
    player_seg *now = NULL;
    if (!zmm_map_model_build(heap, &m) || !(now = segs_of(&m))) {
        zmm_map_model_free(&m);
        p->oom = true;
        return false;
    }
    zmm_strbuf *b = &p->out;
    if (p->frames) zmm_sb_puts(b, ",\n");
    put_counters(b, step, &m, ev);
    if (p->frames % PLAYER_KEY_EVERY == 0 || !order_kept(p, now, m.nsegs)) {
        zmm_sb_puts(b, ",\"key\":");
        zmm_map_page_segments(b, &m);
    } else {
        put_delta(b, p, &m, now);
    }
    zmm_sb_putc(b, '}');
    p->frames++;
    p->requested_known = m.breakdown.requested_known;
    segs_free(p->segs, p->nsegs);
    p->segs = now;
    p->nsegs = m.nsegs;
    if (!p->have_widest || m.nsegs > p->widest.nsegs) {
        if (p->have_widest) zmm_map_model_free(&p->widest);
        p->widest = m;
        p->have_widest = true;
    } else {
        zmm_map_model_free(&m);
    }
    if (b->oom) p->oom = true;
    return !p->oom;
}

/* ---- the page --------------------------------------------------------------------------- */

bool zmm_map_player_finish(zmm_map_player *p, size_t width, char **out, size_t *len)
{
    *out = NULL;
    if (len) *len = 0;
    if (p->oom || !p->have_widest) return false;
    zmm_strbuf b = { 0 };
    char title[300];
    snprintf(title, sizeof title, "zendmm trace player: %s", p->name);
    zmm_map_page_open(&b, "player", title, &p->widest, width);
    zmm_sb_puts(&b, ",\n\"trace\":{\"name\":");
    zmm_map_page_str(&b, p->name);
    zmm_sb_printf(&b, ",\"steps\":%zu,\"every\":%zu},\n\"part_keys\":[", p->nsteps, p->every);
    map_part parts[ZMM_MAP_MAX_PARTS];
    size_t n = zmm_map_breakdown_parts(&p->widest.breakdown, parts);
    for (size_t i = 0; i < n; i++) {
        if (i) zmm_sb_putc(&b, ',');
        zmm_map_page_str(&b, parts[i].key);
    }
    zmm_sb_puts(&b, "],\n\"frames\":[\n");
    zmm_sb_putn(&b, p->out.p ? p->out.p : "", p->out.len);
    zmm_sb_puts(&b, "]");
    zmm_map_page_close(&b);
    if (b.oom || !b.p) { free(b.p); return false; }
    *out = b.p;
    if (len) *len = b.len;
    return true;
}

/*
 * layout.c - header sizes and the size -> bucket arithmetic of a heap.
 *
 * The offsets reproduce the 64-bit 5.3 builds (fact sheet §1.3):
 *   release            HDR 16  links at 16  MINHDR 32  MAX_SMALL 544
 *   cookies only       HDR 24  links at 24  MINHDR 40  (cookie word at 16)
 *   protection only    HDR 32  links at 16  MINHDR 40  (size at 16, start magic at 24)
 *   cookies+protection HDR 80  links at 32  MINHDR 88  (the ZEND_DEBUG=1 layout:
 *                      cookie 16, magic 24, debug info 32..79 with size at 64
 *                      and start magic at 72; file/line words stay zero)
 * At alignment 16 (5.3's ZEND_MM_ALIGNMENT build choice, per heap here) the
 * same sums round up to 16: release HDR 16 MINHDR 32 (unchanged), cookies
 * only HDR 32 MINHDR 48, protection only HDR 32 MINHDR 48, cookies+protection
 * HDR 80 MINHDR 96. Segment header (16) and guard (HDR) keep every block,
 * and so every user pointer, 16-aligned on 16-aligned segments.
 * DEPARTURE: a 5.3 build with 16-byte alignment also made its buckets 16
 * bytes wide (MAX_SMALL 1056); here buckets stay 8 bytes apart at both
 * alignments, so the small/large boundary and the bucket count are the
 * same and the odd buckets of a 16-aligned heap stay empty.
 */
#include "internal.h"

void zmm_layout_init(zmm_heap *h, bool cookies, bool protection, size_t alignment)
{
    size_t a = alignment;
    size_t info = cookies ? 24 : 16;
    size_t hdr;
    h->cookie_off = cookies ? 16 : -1;
    h->magic_off = -1;
    h->req_off = -1;
    h->start_magic_off = -1;
    h->link_off = info;
    if (cookies && protection) {
        h->magic_off = 24;
        h->link_off = 32;
        h->req_off = 64;
        h->start_magic_off = 72;
        hdr = ZMM_ALIGN_TO(72 + 4, a);
    } else if (protection) {
        h->req_off = (int)info;
        h->start_magic_off = (int)info + 8;
        hdr = ZMM_ALIGN_TO(info + 8 + 4, a);
    } else {
        hdr = ZMM_ALIGN_TO(info, a);
    }
    h->align = a;
    h->hdr = hdr;
    h->end_magic = protection ? 4 : 0;
    size_t free_hdr = ZMM_ALIGN_TO(h->link_off + 2 * sizeof(char *), a);
    size_t min_alloc = ZMM_ALIGN_TO(hdr + h->end_magic, a);
    h->min_hdr = min_alloc > free_hdr ? min_alloc : free_hdr;
    h->min_size = h->min_hdr > hdr + h->end_magic ? h->min_hdr - (hdr + h->end_magic) : 0;
    h->max_small = ((size_t)ZMM_NUM_BUCKETS * ZMM_BUCKET_WIDTH) + h->min_hdr;
    h->cookies = cookies;
    h->protect = protection;
}

size_t zmm_true_size(const zmm_heap *heap, size_t request) { return zmm_ts(heap, request); }

int zmm_bucket_index(const zmm_heap *heap, size_t true_size)
{
    if (true_size < heap->min_hdr || !zmm_is_small(heap, true_size)) return -1;
    return zmm_bucket(heap, true_size);
}

int zmm_high_bit(size_t x) { return zmm_hbit(x); }
int zmm_low_bit(size_t x) { return zmm_lbit(x); }

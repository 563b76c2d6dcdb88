/*
 * protect.c - the protection option's canaries: each used block records its
 * requested size and carries a start magic after the header and an end magic
 * after the requested bytes (5.3's ZEND_MM_HEAP_PROTECTION), checked on free,
 * realloc and by zmm_heap_check.
 */
#include "internal.h"

#include <string.h>

void zmm_protect_set(zmm_heap *h, char *b, size_t requested)
{
    *(size_t *)(b + h->req_off) = requested;
    *(uint32_t *)(b + h->start_magic_off) = h->start_magic;
    memcpy(b + h->hdr + requested, &h->end_magic_value, 4);
}

bool zmm_protect_ok(zmm_heap *h, char *b)
{
    size_t req = *(size_t *)(b + h->req_off);
    if (req > BLK_SIZE(b) - h->hdr - 4) return false;
    if (*(uint32_t *)(b + h->start_magic_off) != h->start_magic) return false;
    return memcmp(b + h->hdr + req, &h->end_magic_value, 4) == 0;
}

size_t zmm_user_bytes(const zmm_heap *h, const char *b)
{
    return h->protect ? *(const size_t *)(b + h->req_off) : BLK_SIZE(b) - h->hdr;
}

/*
 * binding/engine/valgrind.c - the handlers under memcheck: the same calls,
 * each block described as a chunk of a memcheck pool (engine_valgrind.h).
 *
 * The heap keeps its own links in free memory: the first words of a free
 * block (at most ZENDMM_VG_LINK_BYTES: prev, next, and the trie's parent and
 * children) and the header of a block split off a free one. What memcheck
 * marks inaccessible loses the values written there, and the heap would then
 * read its links back as undefined; so those bytes stay accessible. A script
 * reading a freed block past them is reported.
 */
#include "engine.h"
#include "engine_valgrind.h"

#define ZENDMM_VG_LINK_BYTES (5 * sizeof(void *))

/* After an allocation or a resize: the header and links of the block right
 * after p (a remainder split off, if any), clamped to p's segment. */
static ZEND_COLD void engine_vg_keep_next_links(zendmm_engine_state *e, void *p)
{
	zmm_block_view b;
	zmm_segment_view seg;
	uintptr_t next, end;

	if (!zmm_block_info(e->heap, p, &b, &seg)) {
		return;
	}
	next = b.address + b.size;
	end = next + engine_process.vg_header + ZENDMM_VG_LINK_BYTES;
	if (end > seg.address + seg.size) {
		end = seg.address + seg.size;
	}
	if (end > next) {
		ZENDMM_VG_DEFINED((void *)next, end - next);
	}
}

ZEND_COLD void *engine_malloc_vg(zendmm_engine_state *e, size_t size)
{
	void *p;
	ZENDMM_VG_CORE_ENTER();
	p = zmm_malloc(e->heap, size);
	if (p) {
		engine_vg_keep_next_links(e, p);
	}
	ZENDMM_VG_CORE_LEAVE();
	if (p) {
		ZENDMM_VG_ALLOC(e->heap, p, size);
	}
	return p;
}

ZEND_COLD void engine_free_vg(zendmm_engine_state *e, void *ptr)
{
	size_t cap;
	ZENDMM_VG_CORE_ENTER();
	cap = zmm_usable_size(e->heap, ptr);
	ZENDMM_VG_CORE_LEAVE();
	ZENDMM_VG_FREE(e->heap, ptr);
	ZENDMM_VG_DEFINED(ptr, cap < ZENDMM_VG_LINK_BYTES ? cap : ZENDMM_VG_LINK_BYTES);
	ZENDMM_VG_CORE_ENTER();
	zmm_free(e->heap, ptr);
	ZENDMM_VG_CORE_LEAVE();
}

ZEND_COLD void *engine_realloc_vg(zendmm_engine_state *e, void *ptr, size_t size)
{
	void *p;
	size_t old;
	ZENDMM_VG_CORE_ENTER();
	old = zmm_usable_size(e->heap, ptr);
	p = zmm_realloc(e->heap, ptr, size);
	ZENDMM_VG_CORE_LEAVE();
	if (p) {
		/* the old block's bytes become inaccessible: a shrunk block's
		 * remainder lies in them, so its links are made readable after */
		ZENDMM_VG_FREE(e->heap, ptr);
		if (p != ptr) {   /* the old block is free now: its links stay readable */
			ZENDMM_VG_DEFINED(ptr, old < ZENDMM_VG_LINK_BYTES ? old : ZENDMM_VG_LINK_BYTES);
		}
		ZENDMM_VG_ALLOC(e->heap, p, size);
		ZENDMM_VG_DEFINED(p, old < size ? old : size); /* the contents moved with it */
		ZENDMM_VG_CORE_ENTER();
		engine_vg_keep_next_links(e, p);
		ZENDMM_VG_CORE_LEAVE();
	}
	return p;
}

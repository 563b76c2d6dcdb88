/*
 * binding/blocks.c - the functions on one block of a heap: the 5.3
 * allocation calls (zendmm_emalloc() ... zendmm_estrndup()), its contents
 * (zendmm_read(), zendmm_write()) and zendmm_block_info().
 */

#include "binding.h"

/* ------------------------------------------------------------------------ */
/* allocation                                                                */

/* Return the block a call made, or throw what the core reported. */
static zend_always_inline void zendmm_return_block(zval *return_value, void *p, const zendmm_error_state *state)
{
	if (EXPECTED(p)) {
		RETVAL_LONG(ZENDMM_ADDR(p));
	} else {
		zendmm_throw(state, "Out of memory");
	}
}

/* A heap with sites records the block a call made (binding/sites.c). */
static zend_always_inline void *zendmm_noted(zendmm_heap_object *o, void *p)
{
	if (UNEXPECTED(o->sites != NULL) && p) {
		zendmm_sites_note_alloc(o, p);
	}
	return p;
}

#define ZENDMM_OBJ(zh) Z_ZENDMM_HEAP_P(zh)

/* Every emalloc call the fast path in zif_zendmm_emalloc leaves. */
static ZEND_COLD zend_never_inline ZEND_NAMED_FUNCTION(zendmm_emalloc_general)
{
	zval *zh;
	zend_long size;
	zmm_heap *heap;
	zendmm_error_state *state;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(size)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_CHECK_SIZE(2, size);
	ZENDMM_HEAP_FETCH(zh, heap, state);

	zendmm_return_block(return_value, zendmm_noted(ZENDMM_OBJ(zh), zmm_malloc(heap, (size_t)size)), state);
}

PHP_FUNCTION(zendmm_emalloc)
{
	zend_long size;
	zendmm_heap_object *o = zendmm_fast_heap_long(execute_data, &size);

	if (EXPECTED(o && size >= 0)) {
		zendmm_return_block(return_value, zendmm_noted(o, zmm_malloc(o->heap, (size_t)size)), &o->error);
		return;
	}
	zendmm_emalloc_general(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

PHP_FUNCTION(zendmm_ecalloc)
{
	zval *zh;
	zend_long nmemb, size;
	zmm_heap *heap;
	zendmm_error_state *state;

	ZEND_PARSE_PARAMETERS_START(3, 3)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(nmemb)
		Z_PARAM_LONG(size)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_CHECK_SIZE(2, nmemb);
	ZENDMM_CHECK_SIZE(3, size);
	ZENDMM_HEAP_FETCH(zh, heap, state);

	zendmm_return_block(return_value, zendmm_noted(ZENDMM_OBJ(zh), zmm_calloc(heap, (size_t)nmemb, (size_t)size)), state);
}

PHP_FUNCTION(zendmm_erealloc)
{
	zval *zh;
	zend_long ptr, size;
	zmm_heap *heap;
	zendmm_error_state *state;
	void *p;

	ZEND_PARSE_PARAMETERS_START(3, 3)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(ptr)
		Z_PARAM_LONG(size)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_CHECK_SIZE(3, size);
	ZENDMM_HEAP_FETCH(zh, heap, state);

	if (ptr == 0) {
		/* erealloc(NULL, n) is emalloc(n), as in C and in 5.3 */
		p = zendmm_noted(ZENDMM_OBJ(zh), zmm_malloc(heap, (size_t)size));
	} else {
		if (!zmm_is_live(heap, ZENDMM_PTR(ptr))) {
			zendmm_bad_ptr(2);
			RETURN_THROWS();
		}
		p = zmm_realloc_checked(heap, ZENDMM_PTR(ptr), (size_t)size);
		if (p && ZENDMM_OBJ(zh)->sites) {   /* the block keeps its site */
			zendmm_sites_note_realloc(ZENDMM_OBJ(zh), ZENDMM_PTR(ptr), p);
		}
	}
	if (!p) {
		if (state->kind == ZMM_ERR_INVALID_PTR) {
			zendmm_bad_ptr(2);
		} else {
			zendmm_throw(state, "Out of memory");
		}
		RETURN_THROWS();
	}
	RETURN_LONG(ZENDMM_ADDR(p));
}

/* The block could not be freed: not a live block of this heap (argument 2),
 * or what the core reported. */
static ZEND_COLD void zendmm_free_failed(const zendmm_error_state *state)
{
	if (state->kind == ZMM_OK || state->kind == ZMM_ERR_INVALID_PTR) {
		zendmm_bad_ptr(2);
	} else {
		zendmm_throw(state, "Cannot free the block");
	}
}

/* Every efree call the fast path in zif_zendmm_efree leaves. */
static ZEND_COLD zend_never_inline ZEND_NAMED_FUNCTION(zendmm_efree_general)
{
	zval *zh;
	zend_long ptr;
	zmm_heap *heap;
	zendmm_error_state *state;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(ptr)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_HEAP_FETCH(zh, heap, state);

	if (ptr == 0) {
		return; /* efree(NULL) is a no-op, as in C and in 5.3 */
	}
	if (UNEXPECTED(!zmm_free_checked(heap, ZENDMM_PTR(ptr)))) {
		zendmm_free_failed(state);
		RETURN_THROWS();
	}
	if (ZENDMM_OBJ(zh)->sites) {
		zendmm_sites_note_free(ZENDMM_OBJ(zh), ZENDMM_PTR(ptr));
	}
}

PHP_FUNCTION(zendmm_efree)
{
	zend_long ptr;
	zendmm_heap_object *o = zendmm_fast_heap_long(execute_data, &ptr);

	if (EXPECTED(o)) {
		if (UNEXPECTED(ptr != 0 && !zmm_free_checked(o->heap, ZENDMM_PTR(ptr)))) {
			zendmm_free_failed(&o->error);
		} else if (UNEXPECTED(o->sites != NULL)) {
			zendmm_sites_note_free(o, ZENDMM_PTR(ptr));
		}
		return;
	}
	zendmm_efree_general(INTERNAL_FUNCTION_PARAM_PASSTHRU);
}

PHP_FUNCTION(zendmm_safe_emalloc)
{
	zval *zh;
	zend_long nmemb, size, offset;
	zmm_heap *heap;
	zendmm_error_state *state;

	ZEND_PARSE_PARAMETERS_START(4, 4)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(nmemb)
		Z_PARAM_LONG(size)
		Z_PARAM_LONG(offset)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_CHECK_SIZE(2, nmemb);
	ZENDMM_CHECK_SIZE(3, size);
	ZENDMM_CHECK_SIZE(4, offset);
	ZENDMM_HEAP_FETCH(zh, heap, state);

	zendmm_return_block(return_value,
		zendmm_noted(ZENDMM_OBJ(zh), zmm_safe_malloc(heap, (size_t)nmemb, (size_t)size, (size_t)offset)), state);
}

PHP_FUNCTION(zendmm_estrdup)
{
	zval *zh;
	zend_string *s;
	zmm_heap *heap;
	zendmm_error_state *state;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_STR(s)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_HEAP_FETCH(zh, heap, state);

	/* As in C: the copy ends at the first NUL byte (zend_strings always have one). */
	zendmm_return_block(return_value, zendmm_noted(ZENDMM_OBJ(zh), zmm_strdup(heap, ZSTR_VAL(s))), state);
}

PHP_FUNCTION(zendmm_estrndup)
{
	zval *zh;
	zend_string *s;
	zend_long length;
	zmm_heap *heap;
	zendmm_error_state *state;

	ZEND_PARSE_PARAMETERS_START(3, 3)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_STR(s)
		Z_PARAM_LONG(length)
	ZEND_PARSE_PARAMETERS_END();

	if (length < 0 || (size_t)length > ZSTR_LEN(s)) {
		zend_argument_value_error(3, "must be between 0 and the length of argument #2 ($s) (%zu)", ZSTR_LEN(s));
		RETURN_THROWS();
	}
	ZENDMM_HEAP_FETCH(zh, heap, state);

	zendmm_return_block(return_value, zendmm_noted(ZENDMM_OBJ(zh), zmm_strndup(heap, ZSTR_VAL(s), (size_t)length)), state);
}

/* ------------------------------------------------------------------------ */
/* block contents                                                            */

/* zendmm_read()/zendmm_write(): ptr (argument 2) must be live and offset
 * (argument 4) inside it; *usable gets the block's size. Throws otherwise. */
static bool zendmm_block_span(zmm_heap *heap, zend_long ptr, zend_long offset, size_t *usable)
{
	if (!zmm_live_usable(heap, ZENDMM_PTR(ptr), usable)) {
		zendmm_bad_ptr(2);
		return false;
	}
	if (offset < 0 || (size_t)offset > *usable) {
		zend_argument_value_error(4, "must be between 0 and the size of the block (%zu)", *usable);
		return false;
	}
	return true;
}

PHP_FUNCTION(zendmm_write)
{
	zval *zh;
	zend_long ptr, offset = 0;
	zend_string *data;
	zmm_heap *heap;
	zendmm_error_state *state;
	size_t usable;

	ZEND_PARSE_PARAMETERS_START(3, 4)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(ptr)
		Z_PARAM_STR(data)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(offset)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_HEAP_FETCH(zh, heap, state);
	(void)state;

	if (!zendmm_block_span(heap, ptr, offset, &usable)) {
		RETURN_THROWS();
	}
	if (ZSTR_LEN(data) > usable - (size_t)offset) {
		zend_argument_value_error(3, "must be at most %zu bytes long to fit in the block at offset "
			ZEND_LONG_FMT ", %zu given", usable - (size_t)offset, offset, ZSTR_LEN(data));
		RETURN_THROWS();
	}
	memcpy((char *)ZENDMM_PTR(ptr) + offset, ZSTR_VAL(data), ZSTR_LEN(data));
}

PHP_FUNCTION(zendmm_read)
{
	zval *zh;
	zend_long ptr, length = 0, offset = 0;
	bool length_null = true;
	zmm_heap *heap;
	zendmm_error_state *state;
	size_t usable;

	ZEND_PARSE_PARAMETERS_START(2, 4)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(ptr)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG_OR_NULL(length, length_null)
		Z_PARAM_LONG(offset)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_HEAP_FETCH(zh, heap, state);
	(void)state;

	if (!zendmm_block_span(heap, ptr, offset, &usable)) {
		RETURN_THROWS();
	}
	if (length_null) {
		length = (zend_long)(usable - (size_t)offset);
	} else if (length < 0 || (size_t)length > usable - (size_t)offset) {
		zend_argument_value_error(3, "must be between 0 and %zu (the block's bytes after offset " ZEND_LONG_FMT ")",
			usable - (size_t)offset, offset);
		RETURN_THROWS();
	}
	RETURN_STRINGL((const char *)ZENDMM_PTR(ptr) + offset, (size_t)length);
}

/* ------------------------------------------------------------------------ */
/* what the core knows about one block                                        */

PHP_FUNCTION(zendmm_block_info)
{
	zval *zh;
	zend_long ptr;
	zmm_heap *heap;
	zendmm_error_state *state;
	zmm_block_view block;
	zmm_segment_view seg;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_OBJECT_OF_CLASS(zh, zendmm_heap_ce)
		Z_PARAM_LONG(ptr)
	ZEND_PARSE_PARAMETERS_END();

	ZENDMM_HEAP_FETCH(zh, heap, state);
	(void)state;

	memset(&block, 0, sizeof(block));
	memset(&seg, 0, sizeof(seg));
	if (!zmm_block_info(heap, ZENDMM_PTR(ptr), &block, &seg)) {   /* false when not live */
		zendmm_bad_ptr(2);
		RETURN_THROWS();
	}
	array_init_size(return_value, 10);
	add_assoc_long(return_value, "size", (zend_long)block.requested);
	add_assoc_long(return_value, "true_size", (zend_long)block.size);
	add_assoc_long(return_value, "bucket", (zend_long)block.bucket);
	add_assoc_long(return_value, "segment", (zend_long)seg.address);
	add_assoc_string(return_value, "state", (char *)zmm_block_state_name(block.state));
	add_assoc_long(return_value, "address", (zend_long)block.address);
	add_assoc_long(return_value, "ptr", (zend_long)block.ptr);
	add_assoc_long(return_value, "large_index", (zend_long)block.large_index);
	add_assoc_long(return_value, "block_size", (zend_long)zmm_block_size(heap, ZENDMM_PTR(ptr)));
	add_assoc_string(return_value, "storage", (char *)(seg.storage ? seg.storage : ""));
}

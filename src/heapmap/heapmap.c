/*
 * heapmap.c - the public functions of heapmap.h: format names, the text
 * map's state characters, and zmm_heap_map(), which reads the heap once into
 * the model (heapmap_model.c) and hands it to one of the renderers
 * (heapmap_text.c, heapmap_svg.c, heapmap_json.c). Every buffer comes from
 * malloc, never from the heap being drawn, so drawing does not change what is
 * drawn.
 */
#include "portable.h"
#include "heapmap_model.h"

#include <stdlib.h>
#include <string.h>

char zmm_map_state_char(zmm_block_state state)
{
    return (unsigned)state < ZMM_MAP_NSTATES ? zmm_map_state_chars[state] : '?';
}

bool zmm_map_format_from_name(const char *name, zmm_map_format *fmt)
{
    static const char *const names[] = { "text", "svg", "json", "html" };
    if (!name) return false;
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, names[i]) == 0) {
            if (fmt) *fmt = (zmm_map_format)i;
            return true;
        }
    }
    return false;
}

const char *zmm_map_format_name(zmm_map_format fmt)
{
    switch (fmt) {
    case ZMM_MAP_TEXT: return "text";
    case ZMM_MAP_SVG: return "svg";
    case ZMM_MAP_JSON: return "json";
    case ZMM_MAP_HTML: return "html";
    }
    return "unknown";
}

/* ---- entry point ----------------------------------------------------------- */

bool zmm_heap_map(const zmm_heap *heap, zmm_map_format fmt, size_t width, char **out, size_t *len)
{
    if (out) *out = NULL;
    if (len) *len = 0;
    if (!heap || !out) return false;
    if (fmt != ZMM_MAP_TEXT && fmt != ZMM_MAP_SVG && fmt != ZMM_MAP_JSON && fmt != ZMM_MAP_HTML) return false;

    map_model m;
    zmm_strbuf b = { 0 };
    bool ok = zmm_map_model_build(heap, &m);
    if (ok) {
        switch (fmt) {
        case ZMM_MAP_TEXT: zmm_map_render_text(&b, &m, width); break;
        case ZMM_MAP_SVG: zmm_map_render_svg(&b, &m, width); break;
        case ZMM_MAP_JSON: zmm_map_render_json(&b, heap, &m); break;
        case ZMM_MAP_HTML: zmm_map_render_html(&b, heap, &m, width); break;
        }
        ok = !b.oom && b.p;
    }
    zmm_map_model_free(&m);
    if (!ok) {
        free(b.p);
        return false;
    }
    *out = b.p;
    if (len) *len = b.len;
    return true;
}

void zmm_heap_map_free(char *out)
{
    free(out);
}

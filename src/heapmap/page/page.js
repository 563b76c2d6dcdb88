/* page.js - the script of the explorer and the player (src/heapmap/heapmap_html.c,
 * heapmap_player.c). It reads the data the C side wrote into #zmm-data and draws
 * with the SVG map's layout (data.layout), so the page and the SVG are one
 * picture. Nothing is fetched. window.zmmPage is the page's handle for tests. */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('zmm-data').textContent);
  var L = D.layout, H = D.heap, NAMES = D.states;
  var GUARD = NAMES.indexOf('guard');
  var SVGNS = 'http://www.w3.org/2000/svg';
  var MARGIN = 16, ZOOM_ROW = 40, ZOOM_PX_PER_BLOCK = 8, ZOOM_MAX_WIDTH = 60000, RUN_INSET = 0.15;
  var app = document.getElementById('app');

  function el(tag, attrs, parent, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function sv(tag, attrs, parent, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function fmtSize(n) {
    if (n >= 1048576 && n % 1048576 === 0) return (n / 1048576) + 'M';
    if (n >= 1024 && n % 1024 === 0) return (n / 1024) + 'K';
    return String(n);
  }
  function hex(n) { return '0x' + n.toString(16); }
  function highBit(n) { var k = -1; while (n >= 1) { n = Math.floor(n / 2); k++; } return k; }
  function slotOf(b) {
    if (b.state === GUARD) return 'guard';
    if (b.size >= H.min_block_size && b.size < H.max_small_size) {
      return 'bucket ' + (Math.floor(b.size / 8) - Math.floor(H.min_block_size / 8));
    }
    return 'trie slot ' + highBit(b.size);
  }

  /* ---- a state: segments of blocks, decoded from the data ------------------ */
  /* A block is written as size | state, and, for a used block of a heap that
   * records requested sizes, then its rounding (size - header - requested). */
  var USED = NAMES.indexOf('used');
  function unpack(list) {
    var out = [];
    for (var j = 0; j < list.length; j++) {
      var v = list[j], size = v - v % 8, st = v % 8, req = 0;
      if (st === USED && H.track) req = size - H.header_size - list[++j];
      out.push([size, st, req]);
    }
    return out;
  }
  /* the data's segment with its blocks unpacked (bl), once */
  function segOf(s) {
    if (!s.bl) s.bl = unpack(s.b);
    return s;
  }
  function decode(segs, sites) {
    var blocks = [], out = [];
    segs.forEach(function (s, si) {
      var seg = { i: si, addr: s.addr, size: s.size, storage: s.storage, blocks: [] }, off = s.first;
      segOf(s).bl.forEach(function (t, j) {
        var b = { i: blocks.length, seg: si, off: off, addr: s.addr + off, size: t[0], state: t[1], req: t[2],
                  site: s.site ? s.site[j] : -1 };
        off += b.size;
        blocks.push(b);
        seg.blocks.push(b);
      });
      out.push(seg);
    });
    return { segs: out, blocks: blocks, sites: sites || [] };
  }

  /* ---- rows: the SVG map's algorithm (heapmap_svg.c segment_blocks) -------- */
  function segLabel(i, s, long) {
    var t = '#' + i + ' ' + fmtSize(s.size) + ' ' + s.storage;
    return long ? t + ' ' + s.blocks.length + (s.blocks.length === 1 ? ' block' : ' blocks') : t;
  }
  function drawBlocks(g, s, x0, bw, y, h, minw, view) {
    var scale = s.size ? bw / s.size : 0, run = null;
    function rect(b, x, w) {
      var r = sv('rect', { 'class': 'blk ' + NAMES[b.state], x: x.toFixed(2), y: y, width: w.toFixed(3), height: h,
                           'data-b': b.i }, g);
      view.pos[b.i] = [x, w, y, h];
      return r;
    }
    function flush() {
      if (!run) return;
      if (run.n === 1) {
        rect(run.last, run.x, run.w);
      } else {
        var best = 0, most = -1, order = ['used', 'reserve', 'cached', 'rest', 'large', 'free', 'guard'];
        order.forEach(function (nm) { var k = NAMES.indexOf(nm); if (run.bytes[k] > most) { most = run.bytes[k]; best = k; } });
        sv('rect', { 'class': 'agg ' + NAMES[best], x: run.x.toFixed(2), y: (y + h * RUN_INSET).toFixed(2),
                     width: run.w.toFixed(3), height: (h * (1 - 2 * RUN_INSET)).toFixed(2), 'data-first': run.first,
                     'data-n': run.n, 'data-seg': s.i }, g);
        view.runs++;
      }
      run = null;
    }
    s.blocks.forEach(function (b) {
      var x = x0 + b.off * scale, w = b.size * scale;
      if (b.state === GUARD) {
        flush();
        var gw = w < 2 ? 2 : w;
        rect(b, x0 + bw - gw, gw);
      } else if (w >= minw) {
        flush();
        rect(b, x, w >= 3 ? w - 0.6 : w);
      } else {
        if (!run) run = { n: 0, x: x, w: 0, first: b.i, bytes: [0, 0, 0, 0, 0, 0, 0] };
        run.n++;
        run.last = b;
        run.bytes[b.state] += b.size;
        run.w = x + w - run.x;
        view.pos[b.i] = [x, Math.max(w, 1), y, h];
        if (run.w >= minw) flush();
      }
    });
    flush();
  }
  /* rows of segments into an <svg>; returns the view (block positions for marks) */
  function drawRows(svg, segs, first, width, rowh, gap, labelw, longLabels) {
    var x0 = MARGIN + labelw, bw = width - x0 - MARGIN;
    var view = { pos: {}, runs: 0, x0: x0, bw: bw, rows: [] };
    svg.setAttribute('width', width);
    svg.setAttribute('height', segs.length * (rowh + gap) + 4);
    segs.forEach(function (s, k) {
      var y = k * (rowh + gap) + 2, i = first + k;
      var g = sv('g', { 'class': 'segment', 'data-seg': s.i }, svg);
      var lab = sv('text', { x: MARGIN, y: (y + rowh / 2 + L.font_size * 0.35).toFixed(1), 'class': 'seglabel',
                             'data-seg': s.i, style: 'font-size:' + L.font_size + 'px' }, g, segLabel(i, s, longLabels));
      view.rows[s.i] = { label: lab, y: y };
      sv('rect', { 'class': 'seg', x: x0, y: y, width: bw, height: rowh, 'data-seg': s.i }, g);
      drawBlocks(sv('g', { 'class': 'blocks' }, g), s, x0, bw, y, rowh, L.min_block_width, view);
    });
    return view;
  }

  /* ---- the page's parts ---------------------------------------------------- */
  var tip = el('div', { id: 'tip' }, document.body);
  var model = null, selection = null, views = [], zoomSeg = -1, marks = null;
  var head = el('div', {}, app);
  el('h1', {}, head, D.title);
  var subtitle = el('div', { 'class': 'sub', id: 'subtitle' }, head);
  var playerBox = el('div', { 'class': 'panel', id: 'player' }, app);
  var statsBox = el('div', { 'class': 'panel mono', id: 'stats' }, app);
  var bdBox = el('div', { 'class': 'panel', id: 'breakdown' }, app);
  var legendBox = el('div', { 'class': 'panel legend', id: 'legend' }, app);
  var mapBox = el('div', { 'class': 'panel', id: 'map' }, app);
  var zoomBox = el('div', { 'class': 'panel', id: 'zoom' }, app);
  var listBox = el('div', { 'class': 'panel', id: 'lists' }, app);
  var marksBox = el('div', { 'class': 'panel', id: 'marks' }, app);

  function drawLegend() {
    legendBox.textContent = '';
    var counts = NAMES.map(function () { return 0; });
    model.blocks.forEach(function (b) { counts[b.state]++; });
    ['used', 'cached', 'free', 'large', 'rest', 'reserve', 'guard'].forEach(function (nm) {
      var it = el('span', { 'class': 'item' }, legendBox);
      el('span', { 'class': 'swatch ' + nm }, it);
      it.appendChild(document.createTextNode(nm + ' ' + counts[NAMES.indexOf(nm)]));
    });
    var note = el('div', { 'class': 'sub', id: 'runs-note' }, legendBox);
    var runs = views.length ? views[0].runs : 0;
    note.textContent = runs ? 'Shorter bars: ' + runs + ' runs of blocks narrower than a pixel, each drawn in the colour ' +
      'of the state holding most of its bytes. Click a row\'s label or a run to zoom into its segment.'
      : 'One rect per block. Hover a block for its offset, sizes, state and bucket; click a row\'s label to zoom.';
  }
  function drawStats(st) {
    statsBox.textContent = 'size ' + st.size + '  peak ' + st.peak + '  real_size ' + st.real_size + '  real_peak ' +
      st.real_peak + '  cached ' + st.cached + '  segments ' + st.segments + '  live ' + st.live_blocks;
  }
  function drawBreakdown(bd) {
    bdBox.textContent = '';
    el('h2', {}, bdBox, 'Where real_size goes');
    var W = L.width - 2 * MARGIN, svg = sv('svg', { width: W, height: 26, id: 'bd-bar' }, bdBox), x = 0, sum = 0;
    bd.parts.forEach(function (p) {
      var w = bd.real_size ? p[1] / bd.real_size * W : 0;
      if (w > 0) sv('rect', { 'class': p[0], x: x.toFixed(2), y: 2, width: w.toFixed(2), height: 22, 'data-part': p[0] }, svg)
        .appendChild(sv('title', {}, null, p[0] + ' ' + p[1]));
      x += w;
      sum += p[1];
    });
    var leg = el('div', { 'class': 'legend' }, bdBox);
    bd.parts.forEach(function (p) {
      var it = el('span', { 'class': 'item part', 'data-part': p[0] }, leg);
      el('span', { 'class': 'swatch ' + p[0] }, it);
      var pc = bd.real_size ? (100 * p[1] / bd.real_size).toFixed(1) : '0.0';
      it.appendChild(document.createTextNode(p[0] + ' ' + p[1] + ' (' + pc + '%)'));
    });
    el('div', { 'class': 'sub', id: 'bd-sum' }, bdBox, 'real_size ' + bd.real_size + ' = ' + sum +
      (bd.requested_known ? '' : ' (this heap does not record requested sizes: payload and rounding are one part)') +
      (bd.complete ? '' : ' (the walk stopped at a damaged block)'));
  }
  function drawMap() {
    mapBox.textContent = '';
    el('h2', {}, mapBox, 'Segments (newest first)');
    var svg = sv('svg', { id: 'map-svg' }, mapBox);
    if (!model.segs.length) el('div', { 'class': 'sub' }, mapBox, '(no segments)');
    views = [drawRows(svg, model.segs, 0, L.width, L.row_height, L.row_gap, L.label_width, L.font_size >= 10)];
    views[0].svg = svg;
    if (zoomSeg >= model.segs.length) zoomSeg = -1;
    drawZoom();
  }
  function drawZoom() {
    zoomBox.textContent = '';
    views.length = 1;
    if (zoomSeg < 0) return;
    var s = model.segs[zoomSeg];
    var h = el('h2', {}, zoomBox, 'Segment #' + zoomSeg + ' at ' + hex(s.addr) + ': ' + s.size + ' bytes, ' +
      s.blocks.length + ' blocks ');
    el('button', { id: 'zoom-close' }, h, 'close').onclick = function () { zoomSeg = -1; drawZoom(); mark(); };
    var width = Math.min(ZOOM_MAX_WIDTH, Math.max(L.width, s.blocks.length * ZOOM_PX_PER_BLOCK));
    var box = el('div', { 'class': 'scroll' }, zoomBox);
    var svg = sv('svg', { id: 'zoom-svg' }, box);
    var v = drawRows(svg, [s], zoomSeg, width, ZOOM_ROW, 8, L.label_width, true);
    v.svg = svg;
    views.push(v);
  }

  /* ---- hover and clicks ------------------------------------------------------ */
  function blockText(b) {
    var s = model.segs[b.seg], lines = [];
    lines.push('block #' + b.i + ' in segment #' + b.seg + ' (' + s.storage + ')');
    lines.push('offset +' + b.off + '  address ' + hex(b.addr));
    lines.push('size ' + (b.state === NAMES.indexOf('used') ? (H.track ? b.req + ' requested' : 'not recorded (untracked heap)') : '-'));
    lines.push('true size ' + b.size);
    lines.push('state ' + NAMES[b.state]);
    lines.push(slotOf(b));
    if (b.site >= 0 && model.sites[b.site] !== undefined) lines.push('site ' + model.sites[b.site]);
    if (selection && selection.pos[b.i] !== undefined) lines.push(selection.name + ': #' + selection.pos[b.i] + ' in list order');
    return lines.join('\n');
  }
  function runText(r) {
    var n = +r.getAttribute('data-n'), f = +r.getAttribute('data-first'), bytes = 0;
    for (var i = f; i < f + n; i++) bytes += model.blocks[i].size;
    return n + ' blocks narrower than a pixel, ' + bytes + ' bytes from offset +' + model.blocks[f].off +
      '\nclick to zoom into the segment';
  }
  function onMove(ev) {
    var t = ev.target, text = null;
    if (t.hasAttribute && t.hasAttribute('data-b')) text = blockText(model.blocks[+t.getAttribute('data-b')]);
    else if (t.hasAttribute && t.hasAttribute('data-n')) text = runText(t);
    else if (t.hasAttribute && t.hasAttribute('data-bit')) text = t.getAttribute('data-tip');
    if (text === null) { tip.style.display = 'none'; return; }
    tip.textContent = text;
    tip.style.display = 'block';
    tip.style.left = (ev.clientX + 14) + 'px';
    tip.style.top = (ev.clientY + 14) + 'px';
  }
  function onClick(ev) {
    var t = ev.target;
    if (!t.getAttribute) return;
    if (t.hasAttribute('data-bit')) { select(t.getAttribute('data-bit')); return; }
    var seg = t.getAttribute('data-seg');
    if (seg !== null && (t.hasAttribute('data-n') || t.classList.contains('seglabel') || t.classList.contains('seg'))) {
      zoomSeg = +seg;
      drawZoom();
      mark();
      zoomBox.scrollIntoView();
    }
  }
  document.addEventListener('mousemove', onMove);
  document.addEventListener('click', onClick);

  /* ---- the lists: bitmaps, cache, rest -------------------------------------- */
  function listBlocks(name) {
    var ls = model.lists, p = name.split(':');
    if (!ls) return [];
    if (p[0] === 'bucket') return ls.bucket[+p[1]];
    if (p[0] === 'trie') return ls.trie[+p[1]];
    if (p[0] === 'cache') return [].concat.apply([], ls.cache);
    if (p[0] === 'rest') return ls.rest;
    return [];
  }
  function listTitle(name) {
    var p = name.split(':');
    if (p[0] === 'bucket') return 'bucket ' + p[1] + ' (true size ' + (H.min_block_size + 8 * p[1]) + ')';
    if (p[0] === 'trie') return 'trie slot ' + p[1] + ' (sizes 2^' + p[1] + ' to 2^' + (+p[1] + 1) + '-1)';
    return p[0] === 'cache' ? 'the cache (bucket by bucket, most recent first)' : 'the rest list (newest first)';
  }
  function select(name) {
    if (selection && selection.name === name) { selection = null; drawLists(); mark(); return; }
    var idx = listBlocks(name), pos = {};
    idx.forEach(function (bi, k) { pos[bi] = k + 1; });
    var byAddr = idx.slice().sort(function (a, b) { return model.blocks[a].addr - model.blocks[b].addr; });
    var apos = {};
    byAddr.forEach(function (bi, k) { apos[bi] = k + 1; });
    selection = { name: name, idx: idx, pos: pos, apos: apos };
    drawLists();
    mark();
  }
  function bitmapRow(parent, title, bits, kind, counts) {
    el('div', { 'class': 'mono' }, parent, title + ' 0x' + bits);
    var cell = Math.min(16, (L.width - 2 * MARGIN) / 64);
    var svg = sv('svg', { width: 64 * cell + 2, height: cell + 16, 'class': title }, parent);
    var lo = parseInt(bits.slice(8), 16), hi = parseInt(bits.slice(0, 8), 16);
    for (var i = 0; i < 64; i++) {
      var on = i < 32 ? (lo >>> i) & 1 : (hi >>> (i - 32)) & 1, name = kind + ':' + i;
      var n = counts ? counts[i].length : 0;
      sv('rect', { 'class': 'bit ' + (on ? 'on' : 'off') + (selection && selection.name === name ? ' sel' : ''),
                   x: 1 + i * cell, y: 1, width: cell, height: cell, 'data-bit': name,
                   'data-tip': listTitle(name) + ': ' + n + (n === 1 ? ' block' : ' blocks') + '\nclick to highlight' }, svg);
      if (i % 8 === 0) sv('text', { x: 2 + i * cell, y: cell + 14, style: 'font-size:10px' }, svg, String(i));
    }
  }
  function drawLists() {
    listBox.textContent = '';
    if (!model.lists) return;
    el('h2', {}, listBox, 'Free lists, the cache and the rest list (click to highlight)');
    bitmapRow(listBox, 'free_bitmap', model.stats.free_bitmap, 'bucket', model.lists.bucket);
    bitmapRow(listBox, 'large_free_bitmap', model.stats.large_free_bitmap, 'trie', model.lists.trie);
    var bar = el('div', { 'class': 'panel' }, listBox);
    [['cache', 'the cache'], ['rest', 'the rest list']].forEach(function (x) {
      var bt = el('button', { id: 'btn-' + x[0], 'class': selection && selection.name === x[0] ? 'sel' : '' }, bar,
        x[1] + ' (' + listBlocks(x[0]).length + ')');
      bt.onclick = function () { select(x[0]); };
    });
    if (!selection) return;
    el('div', { id: 'sel-title' }, listBox, listTitle(selection.name) + ': ' + selection.idx.length +
      (selection.idx.length === 1 ? ' block' : ' blocks'));
    var tb = el('table', { 'class': 'list', id: 'sel-table' }, listBox), tr = el('tr', {}, tb);
    ['list order', 'address order', 'segment', 'offset', 'true size', 'state'].forEach(function (h) { el('th', {}, tr, h); });
    selection.idx.forEach(function (bi) {
      var b = model.blocks[bi], r = el('tr', {}, tb);
      [selection.pos[bi], selection.apos[bi], '#' + b.seg, '+' + b.off, b.size, NAMES[b.state]].forEach(function (c) {
        el('td', {}, r, String(c));
      });
    });
  }

  /* ---- marks: the selected list, and the player's changes --------------------- */
  function markBlock(v, bi, cls, label) {
    var p = v.pos[bi];
    if (!p) return;
    var w = Math.max(p[1], 3);
    sv('rect', { 'class': cls, x: (p[0] - (w - p[1]) / 2).toFixed(2), y: p[2], width: w.toFixed(2), height: p[3],
                 'data-mark': bi }, v.layer);
    if (label !== undefined) sv('text', { 'class': 'hln', x: p[0].toFixed(1), y: p[2] - 1 }, v.layer, String(label));
  }
  function mark() {
    views.forEach(function (v) {
      if (v.layer) v.layer.remove();
      v.layer = sv('g', { 'class': 'marks' }, v.svg);
      if (marks) {
        marks.changed.forEach(function (bi) { markBlock(v, bi, 'changed'); });
        if (marks.event) markBlock(v, marks.event.block, marks.event.cls);
      }
      if (selection) {
        var label = selection.idx.length <= 300 || v !== views[0];
        selection.idx.forEach(function (bi) { markBlock(v, bi, 'hl', label ? selection.pos[bi] : undefined); });
      }
    });
  }

  function show(state, lists) {
    model = decode(state.segs, state.sites);
    model.stats = state.stats;
    model.lists = lists || null;
    if (selection && model.lists) { var n = selection.name; selection = null; select(n); }
    drawStats(state.stats);
    drawBreakdown(state.breakdown);
    drawMap();
    drawLegend();
    drawLists();
    mark();
  }

  var page = { data: D, kind: D.kind };
  window.zmmPage = page;
  page.model = function () { return model; };
  page.select = select;
  page.zoom = function (i) { zoomSeg = i; drawZoom(); mark(); };
  /* what is drawn: each block's rect counts 1, each run its blocks */
  page.drawnBlocks = function () {
    var n = 0, svg = document.getElementById('map-svg');
    svg.querySelectorAll('rect.blk').forEach(function () { n++; });
    svg.querySelectorAll('rect.agg').forEach(function (r) { n += +r.getAttribute('data-n'); });
    return n;
  };

  if (D.kind === 'map') {
    subtitle.textContent = model === null ? '' : '';
    show(D.state, D.state.lists);
    subtitle.textContent = model.segs.length + ' segments, ' + model.blocks.length + ' blocks' +
      (H.pass_through ? ' (a pass-through heap: its blocks come from the system allocator and are not drawn)' : '') +
      (D.state.complete ? '' : ' (the walk stopped at a damaged block: zendmm_check_heap() tells more)');
    return;
  }

  /* ---- the player ---------------------------------------------------------------- */
  var F = D.frames, T = D.trace, cur = -1, segsNow = null, timer = null;
  var TL_H = 150, TL_SERIES = ['size', 'real_size', 'peak', 'cached'];
  function clone(segs) {
    return segs.map(function (s) {
      segOf(s);
      return { addr: s.addr, size: s.size, first: s.first, storage: s.storage, bl: s.bl.slice() };
    });
  }
  /* a frame's segments: its keyframe, then each delta up to it; what changed */
  function apply(segs, d, changed) {
    d.forEach(function (op) {
      if (op[0] === '-') {
        var i = segs.findIndex(function (s) { return s.addr === op[1]; });
        if (i >= 0) { changed.gone.push(segs[i]); segs.splice(i, 1); }
      } else if (op[0] === '+') {
        segs.splice(op[1], 0, clone([op[2]])[0]);
        changed.taken.push(op[2].addr);
      } else {
        var s = segs.find(function (x) { return x.addr === op[1]; });
        if (!s) return;
        var nb = unpack(op[4]);
        Array.prototype.splice.apply(s.bl, [op[2], op[3]].concat(nb));
        changed.ranges.push([op[1], op[2], nb.length]);
      }
    });
  }
  function segsAt(f) {
    var k = f;
    while (!F[k].key) k--;
    var segs = clone(F[k].key), changed = { gone: [], taken: [], ranges: [] };
    for (var i = k + 1; i <= f; i++) {
      if (i === f) changed = { gone: [], taken: [], ranges: [] };
      apply(segs, F[i].d, changed);
    }
    if (k === f && f > 0) changed = null;   /* a keyframe: changes from the frame before are not kept */
    return { segs: segs, changed: changed };
  }
  function breakdownOf(fr) {
    return { real_size: fr.t[1], complete: true, requested_known: H.track,
             parts: D.part_keys.map(function (k, i) { return [k, fr.bd[i]]; }) };
  }
  function statsOf(fr) {
    return { size: fr.t[0], real_size: fr.t[1], peak: fr.t[2], cached: fr.t[3], real_peak: fr.t[4],
             segments: fr.k[0], live_blocks: fr.k[1] };
  }
  function seek(f) {
    f = Math.max(0, Math.min(F.length - 1, f));
    var at, fr = F[f];
    if (f === cur + 1 && segsNow && !fr.key) {
      /* one step on: the delta on the frame shown, not the keyframe's chain */
      at = { segs: clone(segsNow), changed: { gone: [], taken: [], ranges: [] } };
      apply(at.segs, fr.d, at.changed);
    } else {
      at = segsAt(f);
    }
    if (at.changed === null && f > 0) { var prev = segsAt(f - 1); at.changed = diffSegs(prev.segs, at.segs); }
    cur = f;
    segsNow = at.segs;
    show({ segs: at.segs, stats: statsOf(fr), breakdown: breakdownOf(fr), sites: [] }, null);
    marks = { changed: [], event: null };
    var byAddr = {};
    model.segs.forEach(function (s) { byAddr[s.addr] = s; });
    (at.changed ? at.changed.ranges : []).forEach(function (r) {
      var s = byAddr[r[0]];
      if (s) for (var j = r[1]; j < r[1] + r[2] && j < s.blocks.length; j++) marks.changed.push(s.blocks[j].i);
    });
    (at.changed ? at.changed.taken : []).forEach(function (a) {
      var s = byAddr[a];
      if (s) { views[0].rows[s.i].label.classList.add('taken'); }
    });
    if (fr.ev) {
      var hit = model.blocks.find(function (b) { return fr.ev[1] >= b.addr && fr.ev[1] < b.addr + b.size; });
      if (hit) marks.event = { block: hit.i, cls: fr.ev[0] === 'free' ? 'freed' : 'placed' };
    }
    mark();
    drawMarks(fr, at.changed);
    slider.value = f;
    stepLabel.textContent = 'step ' + fr.step + ' of ' + T.steps;
    cursor.setAttribute('x1', tlX(f));
    cursor.setAttribute('x2', tlX(f));
  }
  function diffSegs(a, b) {
    var ch = { gone: [], taken: [], ranges: [] }, old = {};
    a.forEach(function (s) { old[s.addr] = s; });
    b.forEach(function (s) {
      var o = old[s.addr];
      if (!o || o.size !== s.size) { ch.taken.push(s.addr); ch.ranges.push([s.addr, 0, s.bl.length]); return; }
      delete old[s.addr];
      /* by address, as the C side's deltas: blocks at the same offset that differ */
      var off = {}, x = 0;
      o.bl.forEach(function (t) { off[x] = t; x += t[0]; });
      x = 0;
      s.bl.forEach(function (t, j) {
        var u = off[x];
        if (!u || u[0] !== t[0] || u[1] !== t[1] || u[2] !== t[2]) ch.ranges.push([s.addr, j, 1]);
        x += t[0];
      });
    });
    for (var k in old) ch.gone.push(old[k]);
    return ch;
  }
  function drawMarks(fr, ch) {
    marksBox.textContent = '';
    var lines = [];
    if (fr.ev) {
      lines.push('last step: ' + (fr.ev[0] === 'free' ? 'free of the block at ' + hex(fr.ev[1]) + ' (outlined red)'
        : fr.ev[0] + ' of ' + fr.ev[2] + ' bytes, placed at ' + hex(fr.ev[1]) + ' (outlined green)'));
    }
    if (ch) {
      ch.taken.forEach(function (a) { lines.push('segment taken at ' + hex(a) + ' (its label in green)'); });
      ch.gone.forEach(function (s) { lines.push('segment given back: ' + hex(s.addr) + ', ' + s.size + ' bytes'); });
      if (ch.ranges.length) lines.push('blocks changed since the frame before: outlined orange');
    }
    lines.forEach(function (t) { el('div', { 'class': 'mark' }, marksBox, t); });
  }

  /* controls and the timeline */
  subtitle.textContent = 'trace ' + T.name + ': ' + T.steps + ' steps; the heap is kept after every ' +
    (T.every === 1 ? 'step' : T.every + 'th step') + ' (' + F.length + ' frames, exact at each)';
  var bar = el('div', { 'class': 'panel' }, playerBox);
  var buttons = [['first', '|<', function () { stop(); seek(0); }], ['prev', '<', function () { stop(); seek(cur - 1); }],
                 ['play', 'play', function () { if (timer) stop(); else play(); }],
                 ['next', '>', function () { stop(); seek(cur + 1); }], ['last', '>|', function () { stop(); seek(F.length - 1); }]];
  buttons.forEach(function (b) { el('button', { id: 'btn-' + b[0] }, bar, b[1]).onclick = b[2]; });
  var slider = el('input', { type: 'range', min: 0, max: F.length - 1, value: 0, id: 'slider' }, bar);
  slider.oninput = function () { stop(); seek(+slider.value); };
  var stepLabel = el('span', { id: 'step-label', 'class': 'mono' }, bar);
  function play() { timer = setInterval(function () { if (cur >= F.length - 1) stop(); else seek(cur + 1); }, 120); }
  function stop() { if (timer) clearInterval(timer); timer = null; }
  var tlW = L.width - 2 * MARGIN;
  function tlX(f) { return (F.length > 1 ? f / (F.length - 1) * (tlW - 2) : 0) + 1; }
  var tl = sv('svg', { width: tlW, height: TL_H + 18, 'class': 'tl', id: 'timeline' }, playerBox);
  sv('rect', { 'class': 'area', x: 0, y: 0, width: tlW, height: TL_H }, tl);
  var top = 1;
  F.forEach(function (fr) { top = Math.max(top, fr.t[1], fr.t[2], fr.t[4]); });
  TL_SERIES.forEach(function (nm, si) {
    var col = si === 3 ? 3 : si, pts = F.map(function (fr, f) {
      return tlX(f).toFixed(1) + ',' + (TL_H - 2 - fr.t[col] / top * (TL_H - 6)).toFixed(1);
    });
    sv('polyline', { 'class': nm, points: pts.join(' ') }, tl);
  });
  var tll = el('div', { 'class': 'legend' }, playerBox);
  TL_SERIES.forEach(function (nm) {
    var it = el('span', { 'class': 'item mono' }, tll);
    el('span', { 'class': 'line ' + nm }, it);
    it.appendChild(document.createTextNode(nm));
  });
  var cursor = sv('line', { 'class': 'cursor', x1: 1, x2: 1, y1: 0, y2: TL_H }, tl);
  sv('text', { x: 2, y: TL_H + 14, style: 'font-size:10px' }, tl, 'step 0');
  sv('text', { x: tlW - 2, y: TL_H + 14, style: 'font-size:10px', 'text-anchor': 'end' }, tl, 'step ' + T.steps);
  tl.addEventListener('click', function (ev) {
    var r = tl.getBoundingClientRect();
    stop();
    seek(Math.round((ev.clientX - r.left - 1) / (tlW - 2) * (F.length - 1)));
  });
  page.seek = seek;
  page.frame = function () { return cur; };
  page.frameAt = function (step) { return F.findIndex(function (fr) { return fr.step === step; }); };
  seek(0);
})();

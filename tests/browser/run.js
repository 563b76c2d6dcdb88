#!/usr/bin/env node
/*
 * run.js - the heap map explorer and the trace player in a real browser.
 *
 *   node run.js PAGES_DIR REPLAY SHOTS_DIR
 *
 * PAGES_DIR holds the pages and expected.json written by make-pages.php (and
 * engine.html/engine.json/engine-player.html by engine-page.php); REPLAY is
 * bench/build/replay (its --checkpoints output is what the player's frames
 * must show, and its --html page must equal zendmm_trace_html's). Each test
 * opens a page in Debian's chromium (headless, --no-sandbox; CHROMIUM
 * overrides the path), fails on any console error or page error, and writes a
 * screenshot to SHOTS_DIR. Prints one TAP line per test and ends with
 * "browser: N passed, N failed".
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const puppeteer = require('puppeteer-core');

const [pagesDir, replay, shotsDir] = process.argv.slice(2);
if (!pagesDir || !replay || !shotsDir) {
  console.error('usage: node run.js PAGES_DIR REPLAY SHOTS_DIR');
  process.exit(2);
}
fs.mkdirSync(shotsDir, { recursive: true });
const expected = JSON.parse(fs.readFileSync(path.join(pagesDir, 'expected.json'), 'utf8'));
const engine = JSON.parse(fs.readFileSync(path.join(pagesDir, 'engine.json'), 'utf8'));

let passed = 0, failed = 0, n = 0;
function report(ok, name, why) {
  n++;
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'not ok'} ${n} - ${name}${ok || !why ? '' : '\n#   ' + String(why).split('\n').join('\n#   ')}`);
}
function check(cond, what) { if (!cond) throw new Error(what); }
function eq(got, want, what) {
  const g = JSON.stringify(got), w = JSON.stringify(want);
  if (g !== w) throw new Error(`${what}: got ${g}, want ${w}`);
}

/* checkpoints of replay --checkpoints 1000: step -> [size, real_size, peak, real_peak, cached] */
function checkpoints(trace) {
  const out = execFileSync(replay, ['--checkpoints', '1000', trace], { encoding: 'utf8' });
  const m = new Map();
  out.split('\n').filter((l) => l && l[0] !== '#').forEach((l) => {
    const f = l.split('\t').map(Number);
    m.set(f[0], f.slice(1));
  });
  return m;
}

async function main() {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--allow-file-access-from-files'],
  });
  /* open a page, run body(page), screenshot it; any console error fails the test */
  async function test(name, file, shot, body) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
    page.on('pageerror', (e) => errors.push('page error: ' + e.message));
    page.on('requestfailed', (r) => errors.push('request failed: ' + r.url()));
    page.on('request', (r) => { if (!r.url().startsWith('file:')) errors.push('fetched ' + r.url()); });
    try {
      await page.goto('file://' + path.resolve(pagesDir, file), { waitUntil: 'load', timeout: 120000 });
      await page.waitForFunction(() => window.zmmPage && window.zmmPage.model(), { timeout: 60000 });
      await body(page);
      check(!errors.length, errors.join('; '));
      report(true, name);
    } catch (e) {
      report(false, name, e.message + (errors.length ? '; ' + errors.join('; ') : ''));
    }
    if (shot) {
      try { await page.screenshot({ path: path.join(shotsDir, shot), fullPage: true }); } catch (e) { /* the test already says */ }
    }
    await page.close();
  }
  const hoverText = async (page, sel) => {
    await page.hover(sel);
    return page.$eval('#tip', (t) => (t.style.display === 'block' ? t.textContent : ''));
  };

  const K = expected.known;
  await test('explorer: the known heap loads, no console error, one rect per block (18)', 'known.html', 'explorer-known.png',
    async (page) => {
      eq(await page.evaluate(() => zmmPage.drawnBlocks()), K.blocks, 'blocks drawn');
      eq(await page.$$eval('#map-svg rect.blk', (r) => r.length), 18, 'block rects');
      eq(await page.$$eval('#map-svg rect.agg', (r) => r.length), 0, 'runs');
      for (const [st, cnt] of Object.entries(K.states)) {
        eq(await page.$$eval(`#map-svg rect.blk.${st}`, (r) => r.length), cnt, `rects of state ${st}`);
      }
      eq(await page.$$eval('#map-svg g.segment', (g) => g.length), K.segments, 'rows');
    });

  await test('explorer: hover shows offset, size, true size, state and trie slot', 'known.html', null, async (page) => {
    const i = await page.evaluate((a) => zmmPage.model().blocks.find((b) => b.addr === a).i, K.big_address);
    const t = await hoverText(page, `#map-svg rect[data-b="${i}"]`);
    for (const want of ['offset +16', 'size 3000 requested', 'true size 3016', 'state used', 'trie slot 11']) {
      check(t.includes(want), `tooltip "${t}" lacks "${want}"`);
    }
    const j = await page.evaluate(() => zmmPage.model().blocks.find((b) => b.size === 120 && b.state === 1).i);
    const t2 = await hoverText(page, `#map-svg rect[data-b="${j}"]`);
    check(t2.includes('bucket 11') && t2.includes('state free'), `free block tooltip "${t2}"`);
  });

  await test('explorer: clicking bucket 11 numbers its blocks in list order beside address order', 'known.html',
    'explorer-bucket11.png', async (page) => {
      await page.click('rect.bit[data-bit="bucket:11"]');
      const want = K.bucket_lists[11];
      eq(await page.$$eval('#map-svg rect.hl', (r) => r.length), want.length, 'highlighted blocks');
      const rows = await page.$$eval('#sel-table tr', (trs) => trs.slice(1).map((tr) =>
        [...tr.children].map((td) => td.textContent)));
      const addrs = await page.evaluate((n) => zmmPage.model().blocks.filter((b) => n.includes(b.addr)), want);
      const listOrder = want.map((a) => addrs.find((b) => b.addr === a));
      eq(rows.map((r) => +r[0]), want.map((_, k) => k + 1), 'list order column');
      const sorted = want.slice().sort((x, y) => x - y);
      eq(rows.map((r) => +r[1]), want.map((a) => sorted.indexOf(a) + 1), 'address order column');
      eq(rows.map((r) => r[3]), listOrder.map((b) => '+' + b.off), 'offsets in list order');
      eq(await page.$$eval('#map-svg text.hln', (t) => t.map((x) => +x.textContent)), [1, 2, 3], 'numbers drawn');
    });

  await test('explorer: the cache, the rest list and a trie slot highlight their blocks', 'known.html', null,
    async (page) => {
      await page.click('#btn-cache');
      eq(await page.$$eval('#map-svg rect.hl', (r) => r.length), K.cache_lists.flat().length, 'cached blocks');
      await page.click('#btn-rest');
      eq(await page.$$eval('#map-svg rect.hl', (r) => r.length), K.rest.length, 'rest blocks');
      await page.click('rect.bit[data-bit="trie:11"]');
      const n = await page.$$eval('#sel-table tr', (t) => t.length - 1);
      eq(n, 1, 'trie slot 11 holds the 2864-byte tail');
      eq(await page.$eval('#sel-table tr:nth-child(2) td:nth-child(5)', (td) => td.textContent), '2864', 'its size');
      await page.click('rect.bit[data-bit="trie:11"]');
      eq(await page.$$eval('#map-svg rect.hl', (r) => r.length), 0, 'a second click clears');
    });

  await test('explorer: where real_size goes, as zendmm_breakdown() says, adding up', 'known.html', null, async (page) => {
    const parts = await page.$$eval('#breakdown .part', (p) => p.map((x) => x.textContent));
    const bd = K.breakdown;
    for (const k of ['payload', 'headers', 'rounding', 'cached', 'free_small', 'free_large', 'rest',
      'segment_overhead', 'reserve']) {
      check(parts.some((t) => t.startsWith(`${k} ${bd[k]} `)), `part ${k} ${bd[k]} not in ${JSON.stringify(parts)}`);
    }
    eq(await page.$eval('#bd-sum', (e) => e.textContent), `real_size ${bd.real_size} = ${bd.real_size}`, 'the sum line');
  });

  const B = expected.big;
  await test(`explorer: ${B.blocks} blocks load, merged into runs, every block counted`, 'big.html', 'explorer-big.png',
    async (page) => {
      eq(await page.evaluate(() => zmmPage.drawnBlocks()), B.blocks, 'blocks drawn (rects + runs)');
      check(await page.evaluate(() => document.querySelectorAll('#map-svg rect.agg').length) > 0, 'no runs at all');
      const el = await page.evaluate(() => document.querySelectorAll('#map-svg rect').length);
      check(el < B.blocks / 2, `${el} rects for ${B.blocks} blocks: not aggregated`);
    });

  await test('explorer: clicking a segment\'s label zooms into it, each block its own rect', 'big.html',
    'explorer-zoom.png', async (page) => {
      await page.click('#map-svg text.seglabel[data-seg="1"]');
      await page.waitForSelector('#zoom-svg');
      const n = await page.evaluate(() => {
        let k = 0;
        document.querySelectorAll('#zoom-svg rect.blk').forEach(() => k++);
        document.querySelectorAll('#zoom-svg rect.agg').forEach((r) => { k += +r.getAttribute('data-n'); });
        return k;
      });
      eq(n, B.seg_blocks[1], 'blocks of segment #1 in the zoom');
      eq(await page.$$eval('#zoom-svg rect.agg', (r) => r.length), 0, 'no runs in the zoom');
      const t = await hoverText(page, '#zoom-svg rect.blk.free');
      check(t.includes('state free') && t.includes('segment #1'), `zoom tooltip "${t}"`);
    });

  await test('explorer of the engine heap (zendmm_ext.engine=1): blocks, and payload with rounding as one part',
    'engine.html', 'explorer-engine.png', async (page) => {
      eq(await page.evaluate(() => zmmPage.drawnBlocks()), engine.blocks, 'blocks drawn');
      const parts = await page.$$eval('#breakdown .part', (p) => p.map((x) => x.textContent));
      check(parts.some((t) => t.startsWith(`payload_and_rounding ${engine.breakdown.payload_and_rounding} `)),
        `no payload_and_rounding part in ${JSON.stringify(parts)}`);
      check((await page.$eval('#bd-sum', (e) => e.textContent)).includes('does not record requested sizes'), 'note');
    });

  const cps = checkpoints(expected.player.trace);
  await test(`player: every 1000th step is exact (replay --checkpoints: ${cps.size} checkpoints)`, 'player.html',
    'player.png', async (page) => {
      const got = await page.evaluate((steps) => steps.map((s) => {
        const f = zmmPage.frameAt(s);
        if (f < 0) return null;
        zmmPage.seek(f);
        const m = zmmPage.model(), fr = zmmPage.data.frames[f];
        let seg = 0, used = 0;
        m.segs.forEach((x) => { seg += x.size; });
        m.blocks.forEach((b) => { if ([0, 4, 6].includes(b.state)) used += b.size; });
        return { t: [fr.t[0], fr.t[1], fr.t[2], fr.t[4], fr.t[3]], seg, used, drawn: zmmPage.drawnBlocks(), blocks: m.blocks.length };
      }), [...cps.keys()]);
      [...cps.entries()].forEach(([step, want], k) => {
        const g = got[k];
        check(g, `no frame at step ${step}`);
        eq(g.t, want, `counters at step ${step}`);
        eq(g.seg, want[1], `segments drawn add up to real_size at step ${step}`);
        eq(g.used, want[0], `used + cached + reserve blocks drawn add up to size at step ${step}`);
        eq(g.drawn, g.blocks, `every block drawn at step ${step}`);
      });
    });

  await test('player: bench/build/replay --html writes the page zendmm_trace_html() writes', 'player.html', null,
    async () => {
      const mine = path.join(shotsDir, 'replay-player.html');
      execFileSync(replay, ['--html', mine, expected.player.trace], { stdio: 'ignore' });
      /* the same frames; the segments' addresses are each process's own */
      const data = (f) => {
        const s = fs.readFileSync(f, 'utf8'), a = s.indexOf('id="zmm-data">') + 14;
        return JSON.parse(s.slice(a, s.indexOf('</script>', a)));
      };
      const a = data(mine), b = data(path.join(pagesDir, 'player.html'));
      eq(a.trace, b.trace, 'trace');
      eq(a.frames.length, b.frames.length, 'frames');
      const strip = (fr) => ({ step: fr.step, t: fr.t, k: fr.k, bd: fr.bd, key: fr.key ? fr.key.map((s) => s.b) : null,
        d: fr.d ? fr.d.map((op) => op[0] === '~' ? [op[0], op[2], op[3], op[4]] : op[0] === '+' ? [op[0], op[1], op[2].b] : op[0]) : null });
      a.frames.forEach((fr, f) => eq(strip(fr), strip(b.frames[f]), `frame ${f}`));
    });

  await test('player: the slider and the step buttons move through the frames', 'player.html', null, async (page) => {
    const last = await page.evaluate(() => zmmPage.data.frames.length - 1);
    await page.$eval('#slider', (s, v) => { s.value = v; s.dispatchEvent(new Event('input')); }, 3);
    eq(await page.evaluate(() => zmmPage.frame()), 3, 'slider to frame 3');
    const step3 = await page.evaluate(() => zmmPage.data.frames[3].step);
    check((await page.$eval('#step-label', (e) => e.textContent)).startsWith(`step ${step3} of`), 'step label');
    await page.click('#btn-next');
    eq(await page.evaluate(() => zmmPage.frame()), 4, 'next');
    await page.click('#btn-prev');
    await page.click('#btn-prev');
    eq(await page.evaluate(() => zmmPage.frame()), 2, 'prev twice');
    await page.click('#btn-last');
    eq(await page.evaluate(() => zmmPage.frame()), last, 'last');
    eq(await page.$eval('#slider', (s) => +s.value), last, 'slider follows the buttons');
    await page.click('#btn-first');
    eq(await page.evaluate(() => zmmPage.frame()), 0, 'first');
  });

  await test('player: a click on the timeline seeks there', 'player.html', null, async (page) => {
    const box = await (await page.$('#timeline')).boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + 40);
    const f = await page.evaluate(() => zmmPage.frame()), nf = await page.evaluate(() => zmmPage.data.frames.length);
    check(Math.abs(f - (nf - 1) / 2) <= 2, `frame ${f} of ${nf} after a click in the middle`);
  });

  await test('player of a short trace: every step a frame, the block placed or freed marked', 'short.html',
    'player-short.png', async (page) => {
      const info = await page.evaluate(() => ({ every: zmmPage.data.trace.every, steps: zmmPage.data.trace.steps,
        frames: zmmPage.data.frames.length }));
      eq(info.every, 1, 'every step kept');
      eq(info.frames, info.steps + 1, 'a frame per step and one before');
      const ops = await page.evaluate(() => {
        const out = {};
        zmmPage.data.frames.forEach((fr, f) => {
          if (!fr.ev || out[fr.ev[0]] !== undefined) return;
          zmmPage.seek(f);
          out[fr.ev[0]] = [document.querySelectorAll('#map-svg rect.placed').length,
            document.querySelectorAll('#map-svg rect.freed').length];
        });
        return out;
      });
      eq(ops.alloc, [1, 0], 'an alloc marks its block placed');
      eq(ops.free, [0, 1], 'a free marks its block freed');
      const taken = await page.evaluate(() => {
        const f = zmmPage.data.frames.findIndex((fr, k) => k > 0 && fr.k[0] > zmmPage.data.frames[k - 1].k[0]);
        if (f < 0) return -1;
        zmmPage.seek(f);
        return document.querySelectorAll('#map-svg text.seglabel.taken').length;
      });
      eq(taken, 1, 'a segment taken is marked');
    });

  await test('player of an engine trace (zendmm_ext.engine_trace, alignment 16): its frames replay', 'engine-player.html',
    'player-engine.png', async (page) => {
      const r = await page.evaluate(() => {
        const F = zmmPage.data.frames, bad = [];
        [0, Math.floor(F.length / 2), F.length - 1].forEach((f) => {
          zmmPage.seek(f);
          let seg = 0;
          zmmPage.model().segs.forEach((s) => { seg += s.size; });
          if (seg !== F[f].t[1]) bad.push(f);
        });
        return { bad, frames: F.length, align: zmmPage.data.heap.alignment };
      });
      eq(r.bad, [], 'frames whose segments do not add up to real_size');
      eq(r.align, 16, 'replayed 16-aligned');
      check(r.frames > 2, 'frames');
    });

  await browser.close();
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log(`not ok ${n + 1} - the browser run: ${e.message}`);
  console.log(`browser: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});

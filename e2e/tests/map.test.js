// The consensus map without colour, on a phone and as text: its leans stay apart under simulated
// protanopia and deuteranopia and each has a mark of its own; its squares and their words keep
// their contrast; its tables give every figure it draws, the regional breakdown included; a row
// is named by what it shows; on a 360 px phone it stacks instead of scrolling sideways, and in
// Arabic it keeps its coordinates and its column heads fit.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AXE_SOURCE, call, DEMO_PASSWORD, signIn, useServerAndBrowser } from './harness.js';

const shots = process.env.ACCORD_SHOTS;

// The demo reviewers' feedback is seeded, so that the map has figures.
const env = useServerAndBrowser(before, after, { demoFeedback: true });

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };
// From all support to all oppose, as the legend lists them.
const LEANS = ['cell-for2', 'cell-for1', 'cell-mixed', 'cell-against1', 'cell-against2'];

async function chairOn(path, options = {}) {
  const storageState = env.sessions.get('chair');
  const context = await env.browser.newContext({ viewport: DESKTOP, storageState, ...options });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  if (!storageState) {
    await signIn(page, env.server, 'chair@example.org');
    env.sessions.set('chair', await context.storageState());
  }
  await page.goto(`${env.server.url}${path}`);
  return { context, page };
}

let prepared;
/** The sample document, with stances added so that the map draws every lean somewhere. */
function sample() {
  prepared ??= prepare();
  return prepared;
}

async function prepare() {
  const id = await env.server.sampleId();
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  const numbered = doc.paragraphs.filter((p) => p.kind !== 'heading').map((p) => p.id);
  // Two newcomers of the "other" stakeholder group (no demo reviewer's), whose stances alone
  // make that group's squares: on the last paragraph one for, one against (divided); then
  // can live with and against (mostly oppose); for alone (all support); can live with alone
  // (mostly support); against alone (all oppose). Joined with one sign-in each (the server
  // allows ten a minute).
  const { cookie: chair } = await call(env.server, '/api/v1/auth/login', 'POST', { login: 'chair@example.org', password: DEMO_PASSWORD });
  const join = async (who) => {
    const login = `map-${who}@example.org`;
    const invitation = await call(env.server, '/api/v1/groups/bpf-outcomes/invitations', 'POST', { role: 'participant' }, chair);
    await call(env.server, '/api/v1/auth/register', 'POST', {
      login, password: DEMO_PASSWORD, display_name: `Map ${who}`, stakeholder_group: 'other', region: 'eastern-european',
    });
    const link = await env.server.confirmationLink(login);
    const { cookie } = await call(env.server, '/api/v1/auth/confirm', 'POST', { token: link.split('/').pop().split('?')[0] });
    await call(env.server, `/api/v1/invitations/${invitation.json.url.split('/').pop()}/accept`, 'POST', {}, cookie);
    return cookie;
  };
  const [a, b] = [await join('a'), await join('b')];
  const say = (cookie, back, stance) => call(env.server, `/api/v1/documents/${id}/paragraphs/${numbered.at(-back)}/stance`, 'PUT',
    stance === 'oppose' ? { stance, reason: 'Not as worded.' } : { stance }, cookie);
  await say(a, 1, 'support');
  await say(b, 1, 'oppose');
  await say(a, 2, 'can-live-with');
  await say(b, 2, 'oppose');
  await say(a, 3, 'support');
  await say(a, 4, 'can-live-with');
  await say(b, 5, 'oppose');
  return { id, doc };
}

// Colour arithmetic: sRGB, relative luminance (WCAG), the Machado, Oliveira & Fernandes (2009)
// simulation matrices at full severity (applied to linear RGB), and CIELAB for ΔE.
const rgb = (css) => css.match(/[\d.]+/g).slice(0, 3).map((v) => Number(v) / 255);
const linear = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const luminance = (c) => {
  const [r, g, b] = c.map(linear);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
const MACHADO = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
};
const simulated = (c, m) => {
  const l = c.map(linear);
  return m.map((row) => Math.min(1, Math.max(0, row[0] * l[0] + row[1] * l[1] + row[2] * l[2])));
};
const lab = ([r, g, b]) => {
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
};
const deltaE = (a, b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** The legend's squares: per lean its fill, its mark and the mark's colour, read from the page. */
function legendSquares(page) {
  return page.locator('.map-legend svg.swatch').evaluateAll((all) =>
    Object.fromEntries(all.map((svg) => {
      const lean = [...svg.classList].find((c) => c.startsWith('cell-'));
      const rect = svg.querySelector('rect');
      const mark = svg.querySelector('.mark');
      return [lean, {
        fill: getComputedStyle(rect).fill,
        stroke: getComputedStyle(rect).stroke,
        mark: mark.getAttribute('d'),
        markColour: getComputedStyle(mark).stroke,
        words: svg.parentElement.parentElement.textContent.trim(),
      }];
    })));
}

/** A filter simulating a colour blindness over the whole page (feColorMatrix works in linear RGB). */
async function simulate(page, kind) {
  const m = kind ? MACHADO[kind] : null;
  await page.evaluate((m) => {
    if (!m) {
      document.documentElement.style.filter = '';
      return;
    }
    const values = m.map((row) => `${row.join(' ')} 0 0`).join(' ') + ' 0 0 0 1 0';
    const svg = `<svg xmlns="http://www.w3.org/2000/svg"><filter id="f"><feColorMatrix type="matrix" values="${values}"/></filter></svg>`;
    document.documentElement.style.filter = `url("data:image/svg+xml,${encodeURIComponent(svg)}#f")`;
  }, m);
}

test('the map reads without colour: leans stay apart under protanopia and deuteranopia, each has its mark, and squares keep their contrast', async () => {
  const { id } = await sample();
  const { context, page } = await chairOn(`/documents/${id}/consensus`);
  const map = page.getByRole('group', { name: /^Consensus map/ });
  await map.waitFor();
  const legend = await legendSquares(page);
  assert.deepEqual(Object.keys(legend).sort(), [...LEANS, 'cell-none'].sort());

  // Each lean has a mark of its own (and "no stances" an empty, outlined square).
  const marks = LEANS.map((l) => legend[l].mark);
  assert.ok(marks.every((d) => d && d.length > 4), 'every lean has a mark');
  assert.equal(new Set(marks).size, LEANS.length, 'the marks differ');
  assert.equal(legend['cell-none'].mark, '');
  assert.notEqual(new Set(LEANS.map((l) => legend[l].words)).size, 1);

  // Neighbouring leans stay apart to a colour-blind eye, and all support is far from all oppose.
  for (const [kind, m] of Object.entries({ none: null, ...MACHADO })) {
    const seen = LEANS.map((l) => lab(m ? simulated(rgb(legend[l].fill), m) : rgb(legend[l].fill).map(linear)));
    for (let i = 0; i + 1 < LEANS.length; i += 1) {
      const d = deltaE(seen[i], seen[i + 1]);
      assert.ok(d >= 15, `${kind}: ${LEANS[i]} and ${LEANS[i + 1]} differ by ΔE ${d.toFixed(1)}`);
    }
    const ends = deltaE(seen[0], seen.at(-1));
    assert.ok(ends >= 40, `${kind}: all support and all oppose differ by ΔE ${ends.toFixed(1)}`);
  }

  // Squares against the map's background at least 3:1 (WCAG 1.4.11), the empty one by its
  // outline; their marks 3:1 and their numbers 4.5:1 on them.
  const background = rgb(await page.locator('.map-scroll').evaluate((e) => getComputedStyle(e).backgroundColor));
  for (const l of LEANS) {
    assert.ok(contrast(rgb(legend[l].fill), background) >= 3, `${l} against the background`);
    assert.ok(contrast(rgb(legend[l].markColour), rgb(legend[l].fill)) >= 3, `${l}'s mark on it`);
  }
  assert.ok(contrast(rgb(legend['cell-none'].stroke), background) >= 3, 'the empty square’s outline');

  // The map's squares are the legend's: same fill and mark, and a number readable on them.
  const squares = await map.locator('g.cell').evaluateAll((all) => all.map((g) => ({
    lean: [...g.classList].find((c) => c.startsWith('cell-')),
    fill: getComputedStyle(g.querySelector('rect')).fill,
    mark: g.querySelector('.mark')?.getAttribute('d') ?? '',
  })));
  assert.deepEqual(new Set(squares.map((s) => s.lean)), new Set([...LEANS, 'cell-none']), 'every lean is on the map');
  for (const s of squares) {
    assert.equal(s.fill, legend[s.lean].fill);
    assert.equal(s.mark, legend[s.lean].mark);
  }
  const numbers = await map.locator('g.count text').evaluateAll((all) => all.map((t) => ({
    lean: [...t.parentElement.classList].find((c) => c.startsWith('cell-')),
    fill: getComputedStyle(t).fill,
  })));
  assert.equal(numbers.length, squares.filter((s) => s.lean !== 'cell-none').length);
  for (const n of numbers) {
    const ratio = contrast(rgb(n.fill), rgb(legend[n.lean].fill));
    assert.ok(ratio >= 4.5, `the number on ${n.lean}: ${ratio.toFixed(2)}`);
  }

  // The bar's three colours, too, differ to a colour-blind eye.
  const bar = await page.locator('.map-legend svg.bar-swatch rect').evaluateAll((all) => all.map((r) => getComputedStyle(r).fill));
  assert.equal(bar.length, 3);
  for (const m of Object.values(MACHADO)) {
    const seen = bar.map((c) => lab(simulated(rgb(c), m)));
    assert.ok(deltaE(seen[0], seen[1]) >= 20 && deltaE(seen[1], seen[2]) >= 20 && deltaE(seen[0], seen[2]) >= 20);
  }

  if (shots) {
    await page.screenshot({ path: `${shots}/map-desktop.png`, fullPage: true });
    await simulate(page, 'deuteranopia');
    await page.screenshot({ path: `${shots}/map-deuteranopia.png`, fullPage: true });
    await simulate(page, 'protanopia');
    await page.screenshot({ path: `${shots}/map-protanopia.png`, fullPage: true });
    await simulate(page, null);
  }
  await context.close();
});

test("the map's tables give every figure it draws, the regional breakdown included", async () => {
  const { id, doc } = await sample();
  const { context, page } = await chairOn(`/documents/${id}/consensus`);
  const map = page.getByRole('group', { name: /^Consensus map/ });
  await map.waitFor();
  await page.getByText('The same figures in tables').click();
  const paragraphs = page.getByRole('table', { name: /^Stances, comments and standing of each paragraph/ });
  const groups = page.getByRole('table', { name: /^Stances on each paragraph by stakeholder group/ });
  const regions = page.getByRole('table', { name: /^Stances on each paragraph by region/ });
  for (const table of [paragraphs, groups, regions]) await table.waitFor();
  assert.equal(await regions.locator('thead th[scope="col"]').count(), 6, 'the paragraph and five regions');
  assert.equal(await groups.locator('thead th[scope="col"]').count(), 8, 'the paragraph and seven groups');
  for (const head of ['African States', 'Western European and Other States']) {
    await regions.getByRole('columnheader', { name: head }).waitFor();
  }

  // Each row of the map against the tables' rows: the same numbers, leans and marks.
  // A row's squares are in its link, their numbers drawn over them, in the same order.
  const drawn = await map.locator('g.map-line').evaluateAll((rows) => rows.map((line) => {
    const counts = [...line.querySelectorAll('g.count text')].map((t) => t.textContent);
    return {
      number: line.querySelector('.num').textContent,
      bar: line.querySelector('.bar-figures').textContent,
      squares: [...line.querySelectorAll('g.cell')].map((g) => {
        const lean = [...g.classList].find((c) => c.startsWith('cell-'));
        return { lean, count: lean === 'cell-none' ? '' : counts.shift() };
      }),
    };
  }));
  const read = (table) => table.locator('tbody tr').evaluateAll((rows) => rows.map((tr) => ({
    number: tr.querySelector('th[scope="row"]').textContent,
    cells: [...tr.querySelectorAll('td')].map((td) => ({
      lean: [...td.querySelector('svg.swatch').classList].find((c) => c.startsWith('cell-')),
      shown: td.querySelector('[aria-hidden="true"]:not(svg)').textContent,
      said: td.querySelector('.visually-hidden').textContent,
    })),
  })));
  const [byGroup, byRegion] = [await read(groups), await read(regions)];
  const figures = await paragraphs.locator('tbody tr').evaluateAll((rows) =>
    rows.map((tr) => [...tr.querySelectorAll('th, td')].slice(0, 4).map((c) => c.textContent)));
  assert.equal(drawn.length, byRegion.length);
  drawn.forEach((row, i) => {
    const both = [...byGroup[i].cells, ...byRegion[i].cells];
    assert.equal(byRegion[i].number, row.number);
    assert.equal(row.squares.length, both.length);
    row.squares.forEach((square, j) => {
      assert.equal(both[j].lean, square.lean, `paragraph ${row.number}, square ${j}`);
      assert.equal(both[j].shown.split(' ')[0], square.count || '–');
    });
    if (row.bar.includes('·')) assert.equal(figures[i].slice(1).join(' · '), row.bar);
  });

  // Against the figures themselves: the last paragraph's regions, as the server counts them.
  const feedback = await (await fetch(`${env.server.url}/api/v1/documents/${id}/feedback`, {
    headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
  })).json();
  const last = doc.paragraphs.filter((p) => p.kind !== 'heading').at(-1);
  const counted = feedback.paragraphs.find((f) => f.paragraph === last.id);
  const row = byRegion.find((r) => r.number === last.number);
  const order = ['african', 'asia-pacific', 'eastern-european', 'latin-american-caribbean', 'western-european-other'];
  order.forEach((region, j) => {
    const t = counted.by_region.find((r) => r.region === region)?.tally ?? { support: 0, can_live_with: 0, oppose: 0 };
    const total = t.support + t.can_live_with + t.oppose;
    assert.equal(row.cells[j].shown, total ? `${total} (${t.support} · ${t.can_live_with} · ${t.oppose})` : '–');
    if (total) assert.match(row.cells[j].said, new RegExp(`${t.support} support · ${t.can_live_with} can live with · ${t.oppose} oppose`));
  });
  // The words say the lean: the "other" group on the last paragraph is divided, one for and
  // one against.
  const other = byGroup.find((r) => r.number === last.number).cells[6];
  assert.equal(other.shown, '2 (1 · 0 · 1)');
  assert.equal(other.said, 'divided: 1 support · 0 can live with · 1 opposes');
  await context.close();
});

test('a map row is named by what it shows, then its figures, and axe finds nothing serious on the map', async () => {
  const { id } = await sample();
  for (const [viewport, lang] of [[DESKTOP, 'en'], [PHONE, 'en'], [DESKTOP, 'ar'], [PHONE, 'ar']]) {
    const { context, page } = await chairOn(`/documents/${id}/consensus?lang=${lang}`, { viewport });
    await page.locator('svg.map').first().waitFor({ state: 'attached' });
    await page.waitForLoadState('networkidle');
    const row = page.locator('a.map-row:visible').first();
    const label = await row.getAttribute('aria-label');
    const shown = await row.locator('.num, .excerpt').allTextContents();
    assert.ok(label.includes(`${shown[0]}: ${shown[1]}`), `"${label}" contains "${shown.join(': ')}"`);
    await page.locator('details.map-table summary').click();
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'rule', values: ['label-content-name-mismatch', 'color-contrast', 'scrollable-region-focusable', 'th-has-data-cells', 'td-headers-attr', 'svg-img-alt', 'aria-hidden-focus', 'link-name'] },
      resultTypes: ['violations'],
    }).then((r) => r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.html.slice(0, 120)).join(' | ')}`)));
    assert.deepEqual(violations, [], `${lang} at ${viewport.width}`);
    await context.close();
  }
});

test('on a 360 px phone the map stacks instead of scrolling sideways, and in Arabic its heads fit', async () => {
  const { id } = await sample();
  for (const [lang, javaScriptEnabled] of [['en', true], ['ar', true], ['en', false]]) {
    const { context, page } = await chairOn(`/documents/${id}/consensus?lang=${lang}`, { viewport: PHONE, javaScriptEnabled });
    const stacked = page.locator('svg.map-stacked');
    await stacked.waitFor();
    assert.equal(await page.locator('svg.map-wide').isVisible(), false, 'the wide map is put away');
    await page.locator('details.map-table summary').click();
    const widths = await page.evaluate(() => {
      const box = document.querySelector('.map-scroll');
      return { page: [document.documentElement.scrollWidth, document.documentElement.clientWidth], box: [box.scrollWidth, box.clientWidth] };
    });
    assert.ok(widths.page[0] <= widths.page[1], `the page does not scroll sideways (${widths.page})`);
    assert.ok(widths.box[0] <= widths.box[1], `nor does the map in its box (${widths.box})`);
    // Every paragraph keeps all its squares: seven groups and five regions.
    const perRow = await stacked.locator('a.map-row').evaluateAll((rows) => rows.map((a) => a.querySelectorAll('g.cell').length));
    assert.ok(perRow.length > 3 && perRow.every((n) => n === 12), `${perRow}`);
    // The picture keeps its coordinates in Arabic; the heads stay apart and inside it.
    assert.equal(await stacked.evaluate((s) => getComputedStyle(s).direction), 'ltr');
    const heads = await stacked.locator('text.col-head').evaluateAll((all) => {
      const svg = all[0].ownerSVGElement.getBoundingClientRect();
      return all.map((t) => {
        const r = t.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, inside: r.left >= svg.left - 0.5 && r.right <= svg.right + 0.5 };
      });
    });
    heads.forEach((h, i) => {
      assert.ok(h.inside, `${lang}: head ${i} inside the map`);
      const next = heads[i + 1];
      if (next && Math.abs(next.top - h.top) < 4) assert.ok(next.left >= h.right - 0.5, `${lang}: heads ${i} and ${i + 1} do not overlap`);
    });
    if (shots && javaScriptEnabled) await page.screenshot({ path: `${shots}/map-360${lang === 'ar' ? '-ar' : ''}.png`, fullPage: true });
    await context.close();
  }
  // The wide Arabic map: its column heads fit their squares too.
  const { context, page } = await chairOn(`/documents/${id}/consensus?lang=ar`);
  const wide = page.locator('svg.map-wide');
  await wide.waitFor();
  const heads = await wide.locator('text.col-head[text-anchor="middle"]').evaluateAll((all) =>
    all.map((t) => t.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right, top: r.top })));
  heads.forEach((h, i) => {
    const next = heads[i + 1];
    if (next && Math.abs(next.top - h.top) < 4) assert.ok(next.left >= h.right - 0.5, `wide Arabic heads ${i} and ${i + 1} do not overlap`);
  });
  if (shots) await page.screenshot({ path: `${shots}/map-ar.png`, fullPage: true });
  await context.close();
});

// Accessibility (WCAG 2.1 AA): axe-core finds no serious or critical violation on any page in
// any role, on a phone and in Arabic too; the main journeys work with the keyboard alone, with
// a visible focus; what others do arrives in a polite live region.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { audit, call, DEMO_PASSWORD, eventually, signIn, useServerAndBrowser } from './harness.js';

const shots = process.env.ACCORD_SHOTS;

// The demo reviewers' feedback is seeded, so that badges, threads and the map have figures.
const env = useServerAndBrowser(before, after, { demoFeedback: true });

const ROLES = {
  reader: null,
  participant: 'participant@example.org',
  drafter: 'drafter@example.org',
  chair: 'chair@example.org',
  admin: 'admin@example.org',
};

/** A page for `role` (signed in once per account, the session reused), `options` for the context. */
async function open(role, options = {}) {
  const login = ROLES[role];
  const storageState = login ? env.sessions.get(login) : undefined;
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, storageState, ...options });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error (${role}):`, e.message));
  if (login && !storageState) {
    await signIn(page, env.server, login);
    env.sessions.set(login, await context.storageState());
  }
  return { context, page };
}

/** Goes to `path` and waits until the page has hydrated (and, on a document, is live). */
async function visit(page, path, role) {
  await page.goto(`${env.server.url}${path}`);
  await page.waitForLoadState('networkidle');
  // Someone signed in gets the app, which connects; a reader may get the page alone.
  if (role !== 'reader' && /^\/documents\/[^/]+(\?|$)/.test(path)) {
    await page.locator('.status.live').waitFor();
    if (role === 'drafter') await page.locator('textarea.para-input').first().waitFor();
  }
}

let sample;
async function ids() {
  if (sample) return sample;
  const id = await env.server.sampleId();
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  const numbered = (n) => doc.paragraphs.find((p) => p.number === String(n)).id;
  sample = { id, p2: numbered(2), p5: numbered(5) };
  return sample;
}

/** Every page a person in `role` can reach, as paths. */
async function pages(role) {
  const { id, p2 } = await ids();
  const list = [
    '/',
    `/documents/${id}`,
    `/documents/${id}?p=${p2}#${p2}`,
    `/documents/${id}/consensus`,
    `/documents/${id}/amendments`,
    `/documents/${id}/versions`,
    `/documents/${id}/sessions`,
    '/search?q=forum',
    '/outputs',
    '/groups/bpf-outcomes',
    '/new',
    '/login',
    '/register',
    '/no-such-page',
  ];
  if (role !== 'reader') list.push('/notifications', '/profile');
  // The report is the chair's until the document closes; the admin chairs no group.
  if (role === 'chair') list.push(`/documents/${id}/bursts`, `/api/v1/documents/${id}/report?format=html`);
  return list;
}

for (const role of Object.keys(ROLES)) {
  test(`axe-core finds nothing serious on any page as ${role === 'reader' ? 'a signed-out reader' : `the ${role}`}`, async () => {
    const { context, page } = await open(role);
    const found = [];
    for (const path of await pages(role)) {
      await visit(page, path, role);
      found.push(...(await audit(page, `${role} ${path}`)));
    }
    await context.close();
    if (found.length) assert.fail(`axe-core found serious violations:\n${found.join('\n')}`);
  });
}

test('axe-core finds nothing serious on the document page on a phone and in Arabic', async () => {
  const { id, p2 } = await ids();
  const found = [];
  for (const role of ['reader', 'participant', 'drafter', 'chair']) {
    const { context, page } = await open(role, { viewport: { width: 360, height: 740 } });
    await visit(page, `/documents/${id}`, role);
    found.push(...(await audit(page, `${role} phone /documents/${id}`)));
    await visit(page, `/documents/${id}?p=${p2}#${p2}`, role);
    found.push(...(await audit(page, `${role} phone thread`)));
    if (shots && role === 'participant') {
      await page.locator('#thread-title').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${shots}/access-phone-thread.png` });
    }
    await visit(page, `/documents/${id}?lang=ar`, role);
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    found.push(...(await audit(page, `${role} phone Arabic /documents/${id}`)));
    if (shots && role === 'drafter') await page.screenshot({ path: `${shots}/access-phone-ar-drafter.png` });
    await visit(page, `/documents/${id}?lang=en`, role);
    if (shots && role === 'reader') await page.screenshot({ path: `${shots}/access-phone-reader.png` });
    await context.close();
  }
  const { context, page } = await open('participant');
  await visit(page, `/documents/${id}?lang=ar`, 'participant');
  found.push(...(await audit(page, `participant desktop Arabic /documents/${id}`)));
  await visit(page, `/documents/${id}/consensus?lang=ar`, 'participant');
  found.push(...(await audit(page, `participant desktop Arabic consensus`)));
  await visit(page, `/documents/${id}?lang=en`, 'participant');
  if (shots) await page.screenshot({ path: `${shots}/access-desktop-document.png`, fullPage: true });
  await context.close();
  if (found.length) assert.fail(`axe-core found serious violations:\n${found.join('\n')}`);
});

// ---- The keyboard alone ----

/** Relative luminance of an sRGB colour (WCAG 2.1). */
const luminance = ({ r, g, b }) => {
  const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
const contrast = (a, b) => (Math.max(luminance(a), luminance(b)) + 0.05) / (Math.min(luminance(a), luminance(b)) + 0.05);

/**
 * The focused element: its tag, id, name as a person reads it, and its focus indicator (the
 * outline, else a box shadow) with the colour behind it: the first opaque background outward
 * from the element (an outline drawn outside it stands on its parent's).
 */
async function focused(page) {
  const f = await page.evaluate(() => {
    const el = document.activeElement;
    const rgb = (c) => {
      const m = c && c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const cs = getComputedStyle(el);
    let ring = null;
    if (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1) ring = rgb(cs.outlineColor);
    else if (cs.boxShadow && cs.boxShadow !== 'none') ring = rgb(cs.boxShadow);
    let node = parseFloat(cs.outlineOffset) > 0 ? el.parentElement : el;
    let behind = { r: 255, g: 255, b: 255, a: 1 };
    for (; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c && c.a > 0.5) {
        behind = c;
        break;
      }
    }
    const label = el.labels?.[0]?.textContent ?? '';
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.getAttribute('type') ?? '',
      name: (el.getAttribute('aria-label') || label || el.textContent || '').trim().replace(/\s+/g, ' '),
      html: el.outerHTML.slice(0, 140),
      ring,
      behind,
    };
  });
  f.ratio = f.ring ? contrast(f.ring, f.behind) : 0;
  return f;
}

/** Asserts that the focused element shows a focus indicator with 3:1 against what is behind it. */
function assertVisible(f) {
  assert.ok(f.ratio >= 3, `no visible focus on ${f.html} (indicator ${JSON.stringify(f.ring)} on ${JSON.stringify(f.behind)}: ${f.ratio.toFixed(2)}:1)`);
}

/** Presses Tab until the focused element satisfies `wanted`, checking every stop's focus ring; returns the stops. */
async function tabTo(page, wanted, what, limit = 80) {
  for (let n = 1; n <= limit; n += 1) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.tag !== 'body') assertVisible(f);
    if (wanted(f)) return n;
  }
  throw new Error(`${limit} Tabs did not reach ${what} (last: ${(await focused(page)).html})`);
}

const threadHeading = (page, n) => page.getByRole('heading', { name: `Feedback on paragraph ${n}` });

test('on a phone the text comes first and uses the width, and who is here folds away below it', async () => {
  const { id } = await ids();
  for (const role of ['reader', 'drafter']) {
    const { context, page } = await open(role, { viewport: { width: 360, height: 740 } });
    await visit(page, `/documents/${id}`, role);
    const layout = await page.evaluate(() => {
      const box = (s) => document.querySelector(s).getBoundingClientRect();
      return {
        sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        text: box('.document'),
        side: box('.doc-side'),
        bar: getComputedStyle(document.querySelector('.topbar')).position,
      };
    });
    assert.equal(layout.sideways, 0, `${role}: the page scrolls sideways`);
    assert.ok(layout.text.bottom <= layout.side.top, `${role}: the panel comes after the text`);
    assert.ok(layout.text.width >= 320, `${role}: the text is ${layout.text.width} px wide`);
    assert.equal(layout.bar, 'static', `${role}: the top bar should scroll away`);
    const fold = page.locator('details.presence');
    await eventually(() => fold.evaluate((d) => !d.open), 10000, 'the fold to close');
    assert.equal(await page.locator('.peers').isVisible(), false);
    if (role === 'drafter') {
      // Its summary gives the count; opening it by keyboard shows who is here.
      assert.equal(await fold.locator('summary .badge').textContent(), '1');
      await fold.locator('summary').focus();
      await page.keyboard.press('Enter');
      await page.locator('.peers .peer-name', { hasText: 'Diego' }).waitFor();
      if (shots) await page.screenshot({ path: `${shots}/phone-here-now.png` });
    }
    await context.close();
  }
  // On a wide screen it is open.
  const { context, page } = await open('drafter');
  await visit(page, `/documents/${id}`, 'drafter');
  await page.locator('.peers .peer-name').first().waitFor();
  await context.close();
});

test('by keyboard alone a participant skips to the text, opens a thread and closes it, states a stance and comments', async () => {
  const { id, p5 } = await ids();
  const { context, page } = await open('participant');
  await visit(page, `/documents/${id}`, 'participant');

  // The skip link is the first stop, and leads into the page's main content.
  await page.keyboard.press('Tab');
  const first = await focused(page);
  assert.equal(first.name, 'Skip to the content');
  assertVisible(first);
  if (shots) await page.screenshot({ path: `${shots}/access-skip-link.png` });
  await page.keyboard.press('Enter');
  await eventually(async () => (await focused(page)).id === 'main', 5000, 'the focus on <main>');

  // Paragraph 5's thread, from its badge.
  const stops = await tabTo(page, (f) => f.id === `fb-${p5}`, "paragraph 5's badge");
  assert.ok(stops <= 16, `${stops} Tabs from the skip link to paragraph 5's badge`);
  await page.keyboard.press('Enter');
  await threadHeading(page, 5).waitFor();
  await eventually(async () => (await focused(page)).id === 'thread-title', 5000, 'the focus on the thread');

  // Escape closes it, and the focus is back on the badge.
  await page.keyboard.press('Escape');
  await eventually(async () => (await threadHeading(page, 5).count()) === 0, 5000, 'the thread to close');
  assert.equal((await focused(page)).id, `fb-${p5}`);

  // Open again; a stance and a comment, by keyboard.
  await page.keyboard.press('Enter');
  await threadHeading(page, 5).waitFor();
  await eventually(async () => (await focused(page)).id === 'thread-title', 5000, 'the focus on the thread');
  await tabTo(page, (f) => f.type === 'radio', 'the stances');
  await page.keyboard.press('Space');
  assert.ok(await page.getByRole('radio', { name: 'Support' }).isChecked());
  await tabTo(page, (f) => f.name === 'Save my stance', 'the stance button');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Change my stance' }).waitFor();
  // The thread is drawn anew; the focus stays in it.
  await eventually(async () => (await focused(page)).tag !== 'body', 5000, 'the focus kept in the thread');
  await tabTo(page, (f) => f.id === 'new-comment', 'the comment box');
  await page.keyboard.type('Typed without a mouse.');
  await tabTo(page, (f) => f.name === 'Post comment', 'the comment button');
  await page.keyboard.press('Enter');
  await page.getByRole('article', { name: 'Comment by Priya Participant' }).filter({ hasText: 'Typed without a mouse.' }).waitFor();
  assert.notEqual((await focused(page)).tag, 'body', 'the focus is kept after posting');
  await context.close();
});

test('by keyboard alone a chair responds to a comment, and a drafter types in the text', async () => {
  const { id, p2 } = await ids();
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  const p3 = doc.paragraphs.find((p) => p.number === '3').id;
  const chair = await open('chair');
  await visit(chair.page, `/documents/${id}`, 'chair');
  await tabTo(chair.page, (f) => f.id === `fb-${p3}`, "paragraph 3's badge");
  await chair.page.keyboard.press('Enter');
  await threadHeading(chair.page, 3).waitFor();
  await tabTo(chair.page, (f) => f.tag === 'summary' && f.name === 'Respond', 'a Respond button');
  await chair.page.keyboard.press('Enter');
  await tabTo(chair.page, (f) => f.tag === 'select' && f.name === 'Disposition', 'the disposition');
  await chair.page.keyboard.press('ArrowDown');
  const disposition = await chair.page.evaluate(() => document.activeElement.selectedOptions[0].textContent);
  await tabTo(chair.page, (f) => f.tag === 'textarea', 'the reason');
  await chair.page.keyboard.type('Answered from the keyboard.');
  await tabTo(chair.page, (f) => f.name === 'Record response', 'the response button');
  await chair.page.keyboard.press('Enter');
  await chair.page.getByText(`${disposition} — Answered from the keyboard.`).waitFor();
  await chair.context.close();

  const drafter = await open('drafter');
  await visit(drafter.page, `/documents/${id}`, 'drafter');
  await drafter.page.keyboard.press('Tab');
  await drafter.page.keyboard.press('Enter');
  const box = drafter.page.getByRole('textbox', { name: 'Paragraph 2', exact: true });
  await tabTo(drafter.page, (f) => f.tag === 'textarea' && f.name === 'Paragraph 2', 'paragraph 2 in the editor');
  if (shots) await drafter.page.screenshot({ path: `${shots}/access-editor-focus.png` });
  await drafter.page.keyboard.press('Control+Home');
  await drafter.page.keyboard.type('Keyed: ');
  assert.match(await box.inputValue(), /^Keyed: /);
  await eventually(
    async () => (await env.server.api(`/api/v1/documents/${id}`)).paragraphs.find((p) => p.id === p2).text.startsWith('Keyed: '),
    10000,
    'the server to have the typed words',
  );
  await drafter.context.close();
});

// ---- Live regions ----

test("a polite live region says who joined, where they edit, and that others' comments arrived", async () => {
  const { id, p2 } = await ids();
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  const p4 = doc.paragraphs.find((p) => p.number === '4').id;
  const { context, page } = await open('participant');
  await visit(page, `/documents/${id}`, 'participant');
  const region = page.locator('#announcements');
  assert.equal(await region.getAttribute('role'), 'status');
  const says = (pattern, what) => eventually(async () => pattern.test(await region.textContent()), 10000, what);

  const drafter = await open('drafter');
  await visit(drafter.page, `/documents/${id}`, 'drafter');
  await says(/^Diego Drafter joined$/, 'the region to say the drafter joined');
  await drafter.page.getByRole('textbox', { name: 'Paragraph 3', exact: true }).focus();
  await says(/^Diego Drafter is editing paragraph 3$/, 'the region to say where the drafter edits');
  await drafter.context.close();
  await says(/^Diego Drafter left$/, 'the region to say the drafter left');

  const chair = (await call(env.server, '/api/v1/auth/login', 'POST', { login: 'chair@example.org', password: DEMO_PASSWORD })).cookie;
  await call(env.server, `/api/v1/documents/${id}/paragraphs/${p4}/comments`, 'POST', { body: 'Announced, thread closed.' }, chair);
  await says(/^New comment on paragraph 4$/, 'the region to announce a comment on paragraph 4');

  // With the paragraph's thread open, the author is named.
  await page.goto(`${env.server.url}/documents/${id}?p=${p2}#${p2}`);
  await threadHeading(page, 2).waitFor();
  await page.locator('.status.live').waitFor();
  await call(env.server, `/api/v1/documents/${id}/paragraphs/${p2}/comments`, 'POST', { body: 'Announced, thread open.' }, chair);
  await says(/^New comment on paragraph 2 by Amina Chair$/, 'the region to name the author');
  await context.close();
});

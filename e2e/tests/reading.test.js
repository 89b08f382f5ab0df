// Readers: the document is complete in server-rendered HTML, with and without JavaScript.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, openEditor, signIn, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);

/** The demo participant, signed in in a browser of their own, comments on a paragraph. */
async function participantComments(id, paragraph, body) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server, 'participant@example.org');
  const posted = await page.request.post(`${env.server.url}/api/v1/documents/${id}/paragraphs/${paragraph}/comments`, {
    headers: { 'content-type': 'application/json', origin: env.server.url },
    data: { body },
  });
  assert.equal(posted.status(), 201);
  await context.close();
}

test('a reader without JavaScript finds the sample and reads it, numbered, with anchors', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(env.server.url);
  await page.getByRole('link', { name: /Draft recommendations on written outputs/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Draft recommendations on written outputs of the Forum' }).waitFor();
  await page.getByRole('heading', { name: 'III. How draft text is developed' }).waitFor();

  const sub = page.getByRole('group', { name: 'Paragraph 8(a)' });
  assert.match(await sub.innerText(), /A response may accept the comment/);
  // Each paragraph links to itself, and the link works without JavaScript.
  const anchor = sub.getByRole('link', { name: '8(a)', exact: true });
  const href = await anchor.getAttribute('href');
  assert.match(href, /^#p[a-z0-9]+$/);
  await anchor.click();
  assert.ok(page.url().endsWith(href));
  assert.equal(await page.getByRole('textbox').count(), 0, 'nothing to edit without JavaScript');
  await context.close();
});

test('the Markdown download is the text as it stands', async () => {
  const id = await env.server.sampleId();
  const r = await fetch(`${env.server.url}/api/v1/documents/${id}/markdown`);
  assert.equal(r.status, 200);
  const md = await r.text();
  assert.match(md, /^# Draft recommendations on written outputs of the Forum\n/);
  assert.match(md, /\n8\. Every comment received/);
  assert.match(md, /\n {3}\(b\) Comments that propose specific wording/);
});

test('search from the top bar finds paragraphs and comments, with and without JavaScript, on a phone too', async () => {
  const id = await env.server.sampleId();
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  const p3 = doc.paragraphs.find((p) => p.number === '3');
  // A participant comments, in French, on paragraph 3.
  await participantComments(id, p3.id, 'La PARTICIPATION des États est essentielle.');

  for (const javaScriptEnabled of [false, true]) {
    const context = await env.browser.newContext({ javaScriptEnabled, viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(env.server.url);
    const box = page.getByRole('search').getByRole('searchbox', { name: 'Search documents and comments' });
    await box.fill('participation des états');
    await box.press('Enter');
    await page.waitForURL(/\/search\?q=/);
    const comments = page.getByRole('heading', { name: 'Comments' }).locator('xpath=following-sibling::ul[1]');
    const hit = comments.getByRole('listitem').filter({ hasText: 'Priya Participant on paragraph 3' });
    await hit.locator('mark').filter({ hasText: 'PARTICIPATION des États' }).waitFor();
    // Nothing on the page is wider than the phone.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no sideways scrolling');
    if (process.env.ACCORD_SHOTS) await page.screenshot({ path: `${process.env.ACCORD_SHOTS}/search-${javaScriptEnabled ? 'js' : 'nojs'}.png`, fullPage: true });
    // The hit opens the paragraph's thread.
    await hit.getByRole('link').click();
    await page.waitForURL(new RegExp(`/documents/${id}\\?p=${p3.id}`));
    await page.getByText('La PARTICIPATION des États est essentielle.').waitFor();

    // A word of the text itself, and a refusal in words for a one-letter search.
    await page.goto(`${env.server.url}/search?q=${encodeURIComponent(p3.text.split(' ').slice(1, 3).join(' '))}`);
    await page.getByRole('heading', { name: 'Paragraphs' }).waitFor();
    await page.goto(`${env.server.url}/search?q=a`);
    await page.getByRole('alert').filter({ hasText: 'search for between 2 and 100 characters' }).waitFor();
    await context.close();
  }
});

test('a reader who is not signed in is sent no app, under 150 KB, and the page keeps up with comments and edits', async () => {
  const id = await env.server.sampleId();
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  const [p1, p3] = [doc.paragraphs.find((p) => p.number === '1'), doc.paragraphs.find((p) => p.number === '3')];
  const context = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  const urls = [];
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
  });
  cdp.on('Network.requestWillBeSent', (e) => urls.push(e.request.url));
  await page.goto(`${env.server.url}/documents/${id}`);
  await page.locator(`#${p1.id} .para-text`).waitFor();
  await page.waitForLoadState('networkidle');
  assert.ok(!urls.some((u) => u.endsWith('.wasm')), `no app: ${urls.join(' ')}`);
  assert.ok(bytes < 150 * 1024, `a first visit transfers ${bytes} bytes`);
  await page.getByRole('status').filter({ hasText: 'Live: this page follows the changes' }).waitFor();

  // A participant comments on paragraph 3: its count goes up on the reader's screen.
  const count = page.locator(`#${p3.id} .fb-count`);
  const before = Number((await count.innerText()).match(/\d+/)[0]);
  await participantComments(id, p3.id, 'Seen by a reader, live.');
  await eventually(async () => Number((await count.innerText()).match(/\d+/)[0]) === before + 1, 30000, 'the new count');

  // A drafter types into paragraph 1: the reader sees the words.
  const drafter = await openEditor(env.browser, env.server, id);
  const box = drafter.getByRole('textbox', { name: 'Paragraph 1', exact: true });
  await box.click();
  await box.press('Control+End');
  await box.pressSequentially(' Read live.');
  await eventually(async () => (await page.locator(`#${p1.id} .para-text`).innerText()).endsWith('Read live.'), 30000, 'the new words');
  await drafter.context().close();
  await context.close();
});

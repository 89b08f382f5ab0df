// Readers: the document is complete in server-rendered HTML, with and without JavaScript.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);

test('a reader without JavaScript finds the sample and reads it, numbered, with anchors', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(env.server.url);
  await page.getByRole('link', { name: /Draft recommendations on written outputs/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Draft recommendations on written outputs of the Forum' }).waitFor();
  await page.getByRole('heading', { name: 'III. How draft text is developed' }).waitFor();

  const sub = page.getByRole('region', { name: 'Paragraph 8(a)' });
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

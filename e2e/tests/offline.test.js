// A document opened once loads again without a network: a reader reads it, a drafter types into
// it, and the words reach the server when the connection comes back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, openEditor, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);

/** Waits until the page is under the service worker's care. */
async function underServiceWorker(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await eventually(() => page.evaluate(() => navigator.serviceWorker.controller !== null), 10000, 'a controlling service worker');
}

test('a reader reads a document opened before, offline', async () => {
  const id = await env.server.sampleId();
  const context = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(`${env.server.url}/documents/${id}`);
  await underServiceWorker(page);
  // Once more online, so that the page went through the worker and was kept.
  await page.reload();
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Draft recommendations on written outputs of the Forum' }).waitFor();
  assert.match(await page.locator('.paragraphs').innerText(), /A response may accept the comment/);
  // A page never opened is not pretended.
  await assert.rejects(page.goto(`${env.server.url}/documents/${id}/versions`));
  await context.close();
});

/** The sample opened in a drafter's editor, and opened again so that the worker kept it. */
async function keptEditor(id) {
  const page = await openEditor(env.browser, env.server, id);
  await underServiceWorker(page);
  await page.reload();
  const p2 = page.getByRole('textbox', { name: 'Paragraph 2', exact: true });
  await p2.waitFor();
  return { page, p2 };
}

test('a drafter\'s page loads offline, keeps what is typed, and sends it when back online', async () => {
  const id = await env.server.sampleId();
  const { page, p2 } = await keptEditor(id);
  const context = page.context();
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('status').filter({ hasText: /^Offline/ }).waitFor();
  await p2.waitFor();
  await p2.click();
  await p2.press('Control+End');
  await p2.pressSequentially(' Typed without a network.');
  await page.waitForTimeout(500);
  await context.setOffline(false);
  await eventually(async () => {
    const doc = await env.server.api(`/api/v1/documents/${id}`);
    return doc.paragraphs.find((p) => p.number === '2').text.endsWith(' Typed without a network.');
  }, 60000, 'the offline words on the server');
  await context.close();
});

test('signing out forgets the pages kept for offline reading', async () => {
  const id = await env.server.sampleId();
  const { page } = await keptEditor(id);
  const kept = () => page.evaluate(async () => (await (await caches.open('accord-pages-1')).keys()).length);
  assert.equal(await kept(), 1);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await eventually(async () => (await kept()) === 0, 10000, 'the kept page forgotten');
  const context = page.context();
  await context.setOffline(true);
  await assert.rejects(page.goto(`${env.server.url}/documents/${id}`));
  await context.close();
});

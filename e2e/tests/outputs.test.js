// Published outputs in the browser: an admin names the series; a chair closes the sample draft
// and publishes it from its page; the index, the number's permanent page, its citation and the
// Atom feed (read by Python's own XML parser) show it; a second text that obsoletes it shows
// the link both ways. Then the index without JavaScript, and on a phone.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { call, DEMO_PASSWORD, moveTo, signedIn, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);

/** The feed's entries as an independent Atom reader (Python's xml.etree) sees them. */
function readFeed(xml) {
  const python = process.env.ACCORD_READER_PYTHON || `${process.env.HOME}/.cache/accord/tools/py/bin/python`;
  const script = `
import json, sys, xml.etree.ElementTree as ET
A = '{http://www.w3.org/2005/Atom}'
feed = ET.fromstring(sys.stdin.read())
print(json.dumps({
  'title': feed.findtext(A + 'title'),
  'entries': [{
    'title': e.findtext(A + 'title'),
    'link': e.find(A + 'link').get('href'),
    'summary': e.findtext(A + 'summary'),
    'published': e.findtext(A + 'published'),
  } for e in feed.findall(A + 'entry')],
}))`;
  return JSON.parse(execFileSync(python, ['-c', script], { input: xml, encoding: 'utf8' }));
}

test('a chair publishes a closed text into the series; a later text obsoletes it', async () => {
  const { server } = env;
  const admin = await call(server, '/api/v1/auth/login', 'POST', { login: 'admin@example.org', password: DEMO_PASSWORD });
  await call(server, '/api/v1/series', 'PUT', {
    name: 'IGF Outputs',
    prefix: 'IGF-O',
    statuses: ['Recommendation', 'Best Practice', 'Informational', 'Historic'],
  }, admin.cookie);
  const id = await server.sampleId();
  const sample = await server.api(`/api/v1/documents/${id}`);

  // The chair closes the draft and publishes it from its page.
  const { page: chair } = await signedIn(env, 'chair@example.org');
  await chair.goto(`${server.url}/documents/${id}`);
  await moveTo(chair, 'closed');
  await chair.getByRole('link', { name: 'Publish in the series' }).click();
  await chair.getByRole('heading', { name: /^Publish “/ }).waitFor();
  await chair.getByText("The group's threshold rule asked nothing.").waitFor();
  await chair.getByLabel('Status').selectOption('Recommendation');
  await chair.getByRole('button', { name: 'Publish' }).click();
  await chair.waitForURL(/\/outputs\/1$/);
  await chair.locator('.front-matter').getByText('IGF-O 1').waitFor();
  await chair.getByRole('heading', { name: sample.title }).waitFor();
  const citation = await chair.locator('.citation').innerText();
  assert.match(citation, /IGF Outputs IGF-O 1 \(Recommendation\)/);
  assert.ok(citation.includes(`${server.url}/outputs/1`), citation);
  const bibtex = await (await fetch(`${server.url}/api/v1/outputs/1/citation?format=bibtex`)).text();
  assert.ok(bibtex.startsWith('@techreport{igf-o-1,'), bibtex);

  // The document says what it became.
  await chair.goto(`${server.url}/documents/${id}`);
  await chair.getByRole('link', { name: 'Published as IGF-O 1' }).waitFor();

  // A second text, closed, obsoletes the first.
  const chairApi = await call(server, '/api/v1/auth/login', 'POST', { login: 'chair@example.org', password: DEMO_PASSWORD });
  const second = await call(server, '/api/v1/documents', 'POST', {
    markdown: '# Draft recommendations, revised\n\n1. Every stakeholder group takes part.\n',
  }, chairApi.cookie);
  await call(server, `/api/v1/documents/${second.json.id}/phase`, 'POST', { phase: 'closed', reason: 'Agreed.' }, chairApi.cookie);
  await chair.goto(`${server.url}/documents/${second.json.id}/publish`);
  await chair.getByLabel('Status').selectOption('Best Practice');
  await chair.getByLabel('Obsoletes').fill('1');
  await chair.getByRole('button', { name: 'Publish' }).click();
  await chair.waitForURL(/\/outputs\/2$/);
  await chair.locator('.front-matter').getByRole('link', { name: 'IGF-O 1' }).waitFor();
  await chair.goto(`${server.url}/outputs/1`);
  await chair.getByRole('note').filter({ hasText: 'Obsoleted by' }).getByRole('link', { name: 'IGF-O 2' }).waitFor();

  // The index, newest first, and its feed.
  await chair.goto(`${server.url}/outputs`);
  const rows = chair.locator('table.outputs tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.nth(0).innerText(), /IGF-O 2[\s\S]*Best Practice[\s\S]*Obsoletes IGF-O 1/);
  assert.match(await rows.nth(1).innerText(), /IGF-O 1[\s\S]*Obsoleted by IGF-O 2/);
  const feed = readFeed(await (await fetch(`${server.url}/outputs.atom`)).text());
  assert.equal(feed.title, 'IGF Outputs');
  assert.deepEqual(feed.entries.map((e) => e.link), [`${server.url}/outputs/2`, `${server.url}/outputs/1`]);
  assert.ok(feed.entries[0].title.startsWith('IGF-O 2: '), feed.entries[0].title);
  assert.match(feed.entries[0].summary, /Obsoletes: IGF-O 1/);

  // Without JavaScript: the search is a plain form.
  const plain = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const reader = await plain.newPage();
  await reader.goto(`${server.url}/outputs`);
  await reader.getByLabel('Words of the title, group or number').fill('revised');
  await reader.getByRole('button', { name: 'Show' }).click();
  await reader.waitForURL(/q=revised/);
  assert.equal(await reader.locator('table.outputs tbody tr').count(), 1);
  await reader.goto(`${server.url}/outputs/1`);
  await reader.getByRole('link', { name: 'Plain text (RFC style)' }).waitFor();
  const text = await (await fetch(`${server.url}/api/v1/outputs/1/export?format=text`)).text();
  assert.match(text.split('\n')[0], /^IGF Outputs\s+IGF-O 1$/);
  const shots = process.env.ACCORD_SHOTS;
  if (shots) {
    await reader.screenshot({ path: join(shots, 'output-phone.png'), fullPage: true });
    await chair.screenshot({ path: join(shots, 'outputs-index.png'), fullPage: true });
    await chair.goto(`${server.url}/outputs/2`);
    await chair.screenshot({ path: join(shots, 'output-desktop.png'), fullPage: true });
  }
  await plain.close();
});

// Published outputs in the browser: an admin names the series; a chair sets the group's
// threshold rule, closes the sample draft and publishes it from its page with a reason (the rule
// is not met); the index, the number's permanent page, its citation and the
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
  // The admin names the series on the home page.
  const { page: admin } = await signedIn(env, 'admin@example.org');
  await admin.goto(server.url);
  await admin.getByLabel('Name of the series').fill('IGF Outputs');
  await admin.getByLabel('Prefix before each number').fill('IGF-O');
  await admin.getByLabel('Statuses, one per line').fill('Recommendation\nBest Practice\nInformational\nHistoric');
  await admin.getByRole('button', { name: 'Save the series' }).click();
  await admin.waitForURL(/\/outputs$/);
  await admin.getByRole('heading', { name: 'IGF Outputs' }).waitFor();
  const id = await server.sampleId();
  const sample = await server.api(`/api/v1/documents/${id}`);

  // The chair sets the group's threshold rule on its page: at least two participants.
  const { page: chair } = await signedIn(env, 'chair@example.org');
  await chair.goto(`${server.url}/groups/bpf-outcomes`);
  await chair.getByLabel('Participants, at least (0: not asked)').fill('2');
  await chair.getByRole('button', { name: 'Save the rule' }).click();
  await chair.getByText(/^Set by Amina Chair/).waitFor();

  // The chair closes the draft and publishes it from its page: nobody took part, so the rule
  // is not met and publishing needs the chair's reason, which the number's page shows.
  await chair.goto(`${server.url}/documents/${id}`);
  await moveTo(chair, 'closed');
  await chair.getByRole('link', { name: 'Publish in the series' }).click();
  await chair.getByRole('heading', { name: /^Publish “/ }).waitFor();
  const participants = chair.locator('table.conditions tr').filter({ hasText: 'Participants' });
  assert.match(await participants.innerText(), /Participants\s+2\s+0\s+✗ No/);
  await chair.getByRole('status').filter({ hasText: 'A condition is not met' }).waitFor();
  await chair.getByLabel('Status').selectOption('Recommendation');
  await chair.getByRole('button', { name: 'Publish' }).click();
  // The reason is asked for (the browser's own check, and the server's without it).
  assert.equal(new URL(chair.url()).pathname, `/documents/${id}/publish`);
  await chair.getByLabel('Reason to publish although a condition is not met').fill('Adopted by the plenary in the main session.');
  await chair.getByRole('button', { name: 'Publish' }).click();
  await chair.waitForURL(/\/outputs\/1$/);
  await chair.locator('.front-matter').getByText('IGF-O 1').waitFor();
  await chair.getByRole('heading', { name: sample.title }).waitFor();
  const citation = await chair.locator('.citation').innerText();
  assert.match(citation, /IGF Outputs IGF-O 1 \(Recommendation\)/);
  assert.ok(citation.includes(`${server.url}/outputs/1`), citation);
  await chair.getByText(/Adopted by the plenary in the main session\./).waitFor();
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
  await chair.getByLabel('Reason to publish although a condition is not met').fill('A correction of IGF-O 1.');
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
    await reader.goto(`${server.url}/outputs/1?lang=ar`);
    await reader.screenshot({ path: join(shots, 'output-phone-ar.png') });
    await chair.setViewportSize({ width: 360, height: 740 });
    await chair.goto(`${server.url}/groups/bpf-outcomes`);
    await chair.locator('.threshold').screenshot({ path: join(shots, 'threshold-phone.png') });
  }
  await plain.close();
});

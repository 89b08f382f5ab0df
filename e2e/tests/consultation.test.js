// A whole consultation in the browser, as its people would run it: a drafter writes, the chair
// opens the consultation, a participant comments and proposes an amendment, the chair answers
// the comment and accepts the amendment, cuts the final version and closes the document; the
// participant endorses it; the final text and the consultation report are downloaded as DOCX
// and read back by python-docx, and the report read in the browser.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { eventually, moveTo, openEditor, readExport, signIn, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);
const shots = process.env.ACCORD_SHOTS;

async function person(login) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error (${login}):`, e.message));
  await signIn(page, env.server, login);
  return page;
}

async function download(page, link) {
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = join(mkdtempSync(join(tmpdir(), 'accord-download-')), file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

test('draft, consult, amend, decide, cut the final text, close, endorse, and publish DOCX that Word readers read', async () => {
  const id = await env.server.sampleId();
  const doc = `${env.server.url}/documents/${id}`;

  // Drafting: a drafter adds a sentence to paragraph 2.
  const drafter = await openEditor(env.browser, env.server, id);
  const p2 = drafter.getByRole('textbox', { name: 'Paragraph 2', exact: true });
  await p2.click();
  await p2.press('Control+End');
  await p2.pressSequentially(' Drafted together.');

  // The chair opens the consultation.
  const chair = await person('chair@example.org');
  await chair.goto(doc);
  await chair.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  const year = new Date().getUTCFullYear() + 1;
  await moveTo(chair, 'consultation', `${year}-03-01T12:00`);
  await chair.locator('.phase-name').filter({ hasText: /consultation/i }).waitFor();

  // A participant comments on paragraph 3 and proposes to amend it.
  const priya = await person('participant@example.org');
  await priya.goto(doc);
  await priya.getByRole('link', { name: /^Discuss paragraph 3:/ }).click();
  await priya.getByRole('heading', { name: 'Feedback on paragraph 3' }).waitFor();
  await priya.getByLabel('Your comment').fill('Say who keeps the record of the consultation.');
  await priya.getByRole('button', { name: 'Post comment' }).click();
  await priya.getByRole('paragraph').filter({ hasText: 'Say who keeps the record' }).waitFor();
  await priya.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await priya.getByText('Propose an amendment').click();
  const copy = priya.getByLabel('Paragraph 3 as you propose it');
  const before = await copy.inputValue();
  await copy.fill(`${before} The secretariat keeps the record.`);
  await priya.getByLabel('Rationale').fill('Name who keeps the record.');
  await priya.getByRole('button', { name: 'Propose amendment' }).click();
  await priya.getByRole('article', { name: /^Amendment \d+ by Priya Participant/ }).waitFor();

  // The chair answers the comment and accepts the amendment, with reasons.
  await chair.goto(`${doc}?p=${(await env.server.api(`/api/v1/documents/${id}`)).paragraphs.find((p) => p.number === '3').id}`);
  const comment = chair.getByRole('article', { name: 'Comment by Priya Participant' });
  await comment.getByText('Respond').click();
  await comment.getByLabel('Disposition').selectOption('accepted');
  await comment.getByLabel('Reason (shown to everyone)').fill('See the amendment adopted.');
  await comment.getByRole('button', { name: 'Record response' }).click();
  await comment.getByText(/^Accepted — See the amendment adopted/).waitFor();
  const amendment = chair.getByRole('article', { name: /^Amendment \d+ by Priya Participant/ });
  await amendment.getByText('Decide', { exact: true }).click();
  await amendment.getByLabel('Accept: merge it into the text').check();
  await amendment.getByLabel(/^Reason \(shown/).fill('Agreed by the drafting group.');
  await amendment.getByRole('button', { name: 'Record decision' }).click();
  await amendment.getByText(/^Accepted — Agreed by the drafting group/).waitFor();
  await amendment.locator('.adopted').filter({ hasText: 'Adopted wording' }).filter({ hasText: 'The secretariat keeps the record.' }).waitFor();
  await eventually(
    async () => (await p2.inputValue()).endsWith(' Drafted together.'),
    10000,
    "the drafter's sentence to stay",
  );

  // The chair cuts the final version and closes the document.
  await chair.goto(`${doc}/versions`);
  await chair.getByText('Cut a version of the text as it is now').click();
  await chair.getByLabel('Name').fill('final');
  await chair.getByLabel('What changed since the last version').fill('The amendment on the record adopted.');
  await chair.getByRole('button', { name: 'Cut version' }).click();
  await chair.getByRole('link', { name: 'final', exact: true }).waitFor();
  await chair.goto(doc);
  await chair.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await moveTo(chair, 'closed');
  await chair.locator('.phase-name').filter({ hasText: 'Closed' }).waitFor();

  // The participant endorses the closed text on behalf of an organisation.
  await priya.goto(doc);
  const outcome = priya.getByRole('region', { name: 'Outcome' });
  await outcome.getByLabel(/^On behalf of/).fill('Internet Society');
  await outcome.getByRole('button', { name: 'Endorse the final text' }).click();
  await outcome.getByText('Priya Participant, on behalf of Internet Society').first().waitFor();
  await outcome.getByRole('button', { name: 'Withdraw my endorsement' }).waitFor();
  if (shots) await priya.screenshot({ path: `${shots}/outcome.png`, fullPage: false });
  // Reopening is offered to the chair with what it does to the endorsement.
  await chair.reload();
  await chair.getByText('Change the phase').click();
  await chair.getByRole('note').filter({ hasText: 'Reopening lets the endorsement of the closed text lapse' }).waitFor();

  // The final text as DOCX, downloaded from the outcome box and read by python-docx.
  const final = outcome.locator('.final-downloads');
  await final.getByText('Download the final text (final)').waitFor();
  const docx = readExport('docx', await download(priya, final.getByRole('link', { name: 'Word' })));
  const cut = await env.server.api(`/api/v1/documents/${id}/versions/final`);
  assert.equal(docx.find((b) => b.style === 'Title').text, cut.title);
  const p3 = cut.paragraphs.find((p) => p.number === '3');
  assert.ok(p3.text.endsWith('The secretariat keeps the record.'));
  assert.ok(docx.some((b) => b.text === `3\t${p3.text}`), 'paragraph 3 as amended, numbered');
  assert.ok(docx.some((b) => b.text?.startsWith('2\t') && b.text.endsWith(' Drafted together.')));
  assert.deepEqual(
    docx.filter((b) => b.style === 'Heading 2').map((b) => b.text),
    [...cut.paragraphs.filter((p) => p.kind === 'heading').map((p) => p.text), 'Endorsed by'],
  );
  assert.deepEqual(docx.filter((b) => b.list).map((b) => b.text), ['Priya Participant, on behalf of Internet Society']);

  // The consultation report: DOCX read by python-docx, HTML read in the browser.
  await priya.goto(doc);
  const report = readExport('docx', await download(priya, outcome.getByRole('link', { name: 'Word' }).first()));
  const items = report.filter((b) => b.list).map((b) => b.text);
  assert.ok(
    items.some((t) => t.includes('“Say who keeps the record of the consultation.”') && t.includes('— Accepted by') && t.endsWith('See the amendment adopted.')),
    items.join('\n'),
  );
  assert.ok(
    items.some((t) => t.includes('“Name who keeps the record.”') && t.includes('— Accepted by') && t.endsWith('Agreed by the drafting group.')),
    items.join('\n'),
  );
  const record = report.find((b) => b.table?.[0]?.[0] === 'No.' && b.table[0][1] === 'When').table;
  const actions = record.slice(1).map((r) => r[3]);
  assert.equal(actions.length, 5, actions.join('\n'));
  assert.match(actions[0], /^Moved the document from drafting to public consultation/);
  assert.deepEqual(actions.slice(3), ['Cut version final', 'Closed the document']);
  await outcome.getByRole('link', { name: 'consultation report' }).click();
  await priya.getByRole('heading', { name: 'Paragraph by paragraph' }).waitFor();
  await priya.getByRole('heading', { name: 'Paragraph 3' }).waitFor();
  if (shots) await priya.screenshot({ path: `${shots}/report.png`, fullPage: false });

  // And the paragraph's history: new in the final version, the amendment that shaped it.
  await priya.goto(`${doc}/versions?p=${p3.id}`);
  await priya.getByRole('heading', { name: 'History of paragraph 3' }).waitFor();
  await priya.getByText(/Amendment \d+/).first().waitFor();
  if (shots) await priya.screenshot({ path: `${shots}/history.png`, fullPage: false });
  for (const p of [drafter, chair, priya]) await p.context().close();
});

// Paragraph feedback in the browser: participants comment and state stances, everyone sees it
// without reloading, the chair's consensus map follows live, and the same paths work with
// JavaScript turned off. Words selected while their thread is closed offer a comment on them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addParticipant, eventually, signedIn as signedInOnce, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);

const signedIn = (login, options) => signedInOnce(env, login, options);

/** Opens the thread of paragraph `number` from the document page, as a reader would. */
async function openThread(page, id, number) {
  await page.goto(`${env.server.url}/documents/${id}`);
  await page.getByRole('link', { name: new RegExp(`^Discuss paragraph ${number}:`) }).click();
  await page.getByRole('heading', { name: `Feedback on paragraph ${number}` }).waitFor();
}

test('two participants comment and state stances, and the chair sees it live on the map', async () => {
  const id = await env.server.sampleId();
  await addParticipant(env.server, 'kofi@example.org', 'Kofi Mensah', 'civil-society', 'african');
  const chair = await signedIn('chair@example.org');
  await chair.page.goto(`${env.server.url}/documents/${id}/consensus`);
  const row = chair.page.getByRole('link', { name: /^Paragraph 2: / });
  await row.waitFor();
  assert.match(await row.getAttribute('aria-label'), /no stances yet/);
  // Let the map's socket connect before anything happens.
  await chair.page.waitForTimeout(500);

  const priya = await signedIn('participant@example.org');
  const kofi = await signedIn('kofi@example.org');
  await openThread(priya.page, id, 2);
  await openThread(kofi.page, id, 2);
  await kofi.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();

  await priya.page.getByRole('radio', { name: 'Support' }).check();
  await priya.page.getByRole('button', { name: 'Save my stance' }).click();
  await priya.page.getByRole('button', { name: 'Change my stance' }).waitFor();
  await priya.page.getByLabel('Your comment').fill('Please cite the Tunis Agenda, see https://example.org/tunis.');
  await priya.page.getByRole('button', { name: 'Post comment' }).click();

  // Kofi sees Priya's comment arrive without reloading, with its link made clickable.
  await kofi.page.getByRole('article', { name: 'Comment by Priya Participant' }).waitFor();
  assert.equal(
    await kofi.page.getByRole('link', { name: 'https://example.org/tunis' }).getAttribute('href'),
    'https://example.org/tunis',
  );
  await kofi.page.getByRole('radio', { name: 'Oppose' }).check();
  await kofi.page.getByRole('button', { name: 'Save my stance' }).click();
  await kofi.page.getByRole('alert').filter({ hasText: 'an objection needs a reason' }).waitFor();
  await kofi.page.getByLabel(/^Reason \(needed to oppose/).fill('Name who publishes the record.');
  await kofi.page.getByRole('button', { name: 'Save my stance' }).click();
  await kofi.page.getByRole('button', { name: 'Change my stance' }).waitFor();

  // The chair's map and Priya's gutter follow, live.
  await eventually(
    async () => /1 support · 0 can live with · 1 opposes/.test(await row.getAttribute('aria-label')),
    10000,
    'the map row to show both stances',
  );
  assert.match(await row.getAttribute('aria-label'), /1 objection not yet answered/);
  await eventually(
    async () => /1 comment, 1 support/.test(
      await priya.page.getByRole('link', { name: /^Discuss paragraph 2:/ }).getAttribute('aria-label'),
    ),
    10000,
    "Priya's gutter to count Kofi's objection",
  );

  // The chair answers the objection from the thread; the flag goes.
  await row.click();
  await chair.page.getByRole('heading', { name: 'Feedback on paragraph 2' }).waitFor();
  const objection = chair.page.getByRole('listitem', { name: 'Objection by Kofi Mensah' });
  await objection.getByText('Respond').click();
  await objection.getByLabel('Disposition').selectOption('partly-accepted');
  await objection.getByLabel(/^Reason/).fill('Added: the secretariat publishes it.');
  await objection.getByRole('button', { name: 'Record response' }).click();
  await objection.getByText(/^Partly accepted — Added: the secretariat/).waitFor();
  await kofi.page.getByText('Added: the secretariat publishes it.').waitFor();
  for (const c of [chair, priya, kofi]) await c.context.close();
});

test('a comment on selected words highlights them and follows the drafter', async () => {
  const id = await env.server.sampleId();
  const priya = await signedIn('participant@example.org');
  await openThread(priya.page, id, 5);
  await priya.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  const text = priya.page.locator('section[aria-label="Paragraph 5"] .para-text');
  // Select the paragraph's first word "An", as a mouse would.
  await text.evaluate((p) => {
    const node = document.createTreeWalker(p, NodeFilter.SHOW_TEXT).nextNode();
    const range = document.createRange();
    range.setStart(node, 0);
    range.setEnd(node, 9);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    p.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
  });
  await priya.page.getByText('On the words').waitFor();
  await priya.page.getByLabel('Your comment on the selected words').fill('Which output?');
  await priya.page.getByRole('button', { name: 'Post comment' }).click();
  await priya.page.getByRole('article', { name: 'Comment by Priya Participant' }).waitFor();
  await text.locator('mark').filter({ hasText: 'An output' }).waitFor();

  // A drafter types in front of the words; the highlight moves with them.
  const { context: drafterCtx, page: drafter } = await signedIn('drafter@example.org');
  await drafter.goto(`${env.server.url}/documents/${id}`);
  const p5 = drafter.getByRole('textbox', { name: 'Paragraph 5', exact: true });
  await p5.click();
  await p5.press('Control+Home');
  await p5.pressSequentially('Finally, ');
  await eventually(async () => (await text.textContent()).startsWith('Finally, An output'), 10000, 'the edit');
  assert.equal(await text.locator('mark').textContent(), 'An output');
  await drafterCtx.close();
  await priya.context.close();
});

test('without JavaScript a participant states a stance and comments with plain forms', async () => {
  const id = await env.server.sampleId();
  const { context, page } = await signedIn('participant@example.org', { javaScriptEnabled: false });
  await openThread(page, id, 6);
  await page.getByRole('radio', { name: 'Oppose' }).check();
  await page.getByRole('button', { name: 'Save my stance' }).click();
  // Refused in words, on the page the form came from.
  await page.getByRole('alert').filter({ hasText: 'an objection needs a reason' }).waitFor();
  await page.getByRole('radio', { name: 'Can live with' }).check();
  await page.getByRole('button', { name: 'Save my stance' }).click();
  await page.getByRole('button', { name: 'Change my stance' }).waitFor();
  assert.ok(await page.getByRole('radio', { name: 'Can live with' }).isChecked());
  await page.getByLabel('Your comment').fill('Posted from a slow phone.');
  await page.getByRole('button', { name: 'Post comment' }).click();
  await page.getByRole('paragraph').filter({ hasText: 'Posted from a slow phone.' }).waitFor();
  await page.getByRole('paragraph').filter({ hasText: '0 support · 1 can live with · 0 oppose' }).waitFor();
  // The map reads without JavaScript too.
  await page.goto(`${env.server.url}/documents/${id}/consensus`);
  const row = page.getByRole('link', { name: /^Paragraph 6: / });
  assert.match(await row.getAttribute('aria-label'), /0 support · 1 can live with · 0 oppose; 1 comment$/);
  await context.close();
});

test('a reader sees the figures but is asked to sign in to comment', async () => {
  const id = await env.server.sampleId();
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await openThread(page, id, 6);
  await page.getByText(/^To comment and state a stance,/).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Post comment' }).count(), 0);
  await page.getByRole('paragraph').filter({ hasText: 'Posted from a slow phone.' }).waitFor();
  await context.close();
});

test('a participant proposes an amendment, a drafter keeps typing, the chair accepts: both stay, everywhere', async () => {
  const id = await env.server.sampleId();
  const priya = await signedIn('participant@example.org');
  await openThread(priya.page, id, 1);
  await priya.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await priya.page.getByText('Propose an amendment').click();
  const copy = priya.page.getByLabel('Paragraph 1 as you propose it');
  const text = await copy.inputValue();
  assert.match(text, /^The mandate of the Forum/);
  await copy.fill(text.replace('The mandate', 'The founding mandate'));
  await priya.page.getByLabel('Rationale').fill('Say which mandate.');
  await priya.page.getByRole('button', { name: 'Propose amendment' }).click();
  const amendment = priya.page.getByRole('article', { name: /^Amendment \d+ by Priya Participant/ });
  await amendment.locator('ins').filter({ hasText: 'founding' }).waitFor();

  // A drafter keeps typing at the end of the same paragraph.
  const { context: drafterCtx, page: drafter } = await signedIn('drafter@example.org');
  await drafter.goto(`${env.server.url}/documents/${id}`);
  const p1 = drafter.getByRole('textbox', { name: 'Paragraph 1', exact: true });
  await p1.click();
  await p1.press('Control+End');
  await p1.pressSequentially(' Typed meanwhile.');

  const chair = await signedIn('chair@example.org');
  await openThread(chair.page, id, 1);
  const theirs = chair.page.getByRole('article', { name: /^Amendment \d+ by Priya Participant/ });
  await theirs.getByText('Applies cleanly to the current text.').waitFor();
  await theirs.getByText('Decide', { exact: true }).click();
  await theirs.getByLabel('Accept: merge it into the text').check();
  await theirs.getByLabel(/^Reason \(shown/).fill('Agreed in the session.');
  await theirs.getByRole('button', { name: 'Record decision' }).click();
  await theirs.getByText(/^Accepted — Agreed in the session/).waitFor();

  const both = (t) => t.startsWith('The founding mandate of the Forum') && t.endsWith(' Typed meanwhile.');
  await eventually(async () => both(await p1.inputValue()), 10000, "the drafter's editor to have both");
  const read = priya.page.locator('section[aria-label="Paragraph 1"] .para-text');
  await eventually(async () => both(await read.textContent()), 10000, "the participant's page to have both");
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  assert.ok(both(doc.paragraphs.find((p) => p.number === '1').text));
  for (const c of [priya.context, drafterCtx, chair.context]) await c.close();
});

test('a chair resolves an amendment whose words were changed since, with modified wording, from the list of amendments', async () => {
  const id = await env.server.sampleId();
  const priya = await signedIn('participant@example.org');
  await openThread(priya.page, id, 3);
  await priya.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  // Consecutive paragraphs (3, a heading, 4) and a new one: 3 reworded, a paragraph after 4.
  await priya.page.getByText('Propose an amendment').click();
  await priya.page.getByText('Include the next paragraph').click();
  await priya.page.getByLabel('Heading as you propose it').waitFor();
  await priya.page.getByText('Include the next paragraph').click();
  const copy = priya.page.getByLabel('Paragraph 3 as you propose it');
  const text = await copy.inputValue();
  assert.match(text, /already draft texts/);
  await copy.fill(text.replace('already draft', 'already write'));
  await priya.page.getByText('Insert a new paragraph after paragraph 4').click();
  await priya.page.getByLabel('New paragraph after paragraph 4').fill('Outputs should say who took part.');
  await priya.page.getByLabel('Rationale').fill('Plainer, and a missing point.');
  await priya.page.getByRole('button', { name: 'Propose amendment' }).click();
  const mine = priya.page.getByRole('article', { name: /^Amendment \d+ by Priya Participant/ }).last();
  await mine.locator('ins').filter({ hasText: 'write' }).waitFor();
  await mine.getByText('New paragraph after paragraph 4').waitFor();
  await mine.getByText('Your stance', { exact: true }).click();
  await mine.getByRole('radio', { name: 'Support' }).check();
  await mine.getByRole('button', { name: 'Save stance' }).click();
  await mine.locator('.support-line > span.small').filter({ hasText: '1 support · 0 can live with · 0 oppose' }).waitFor();

  // A drafter rewrites the same words.
  const { context: drafterCtx, page: drafter } = await signedIn('drafter@example.org');
  await drafter.goto(`${env.server.url}/documents/${id}`);
  const p3 = drafter.getByRole('textbox', { name: 'Paragraph 3', exact: true });
  const current = (await p3.inputValue()).replace('already draft', 'already prepare');
  await p3.fill(current);

  const chair = await signedIn('chair@example.org');
  await chair.page.goto(`${env.server.url}/documents/${id}/amendments?status=open`);
  const card = chair.page.getByRole('article', { name: /^Amendment \d+ by Priya Participant/ });
  await eventually(async () => (await card.getByText('The words it changes were changed since it was proposed:').count()) === 1,
    10000, 'the conflict to show');
  await card.locator('dd').filter({ hasText: 'prepare' }).waitFor();
  assert.ok(await card.getByRole('radio', { name: 'Accept with modification' }).isChecked());
  // The wording box is there while accepting with modification is chosen, and only then.
  await card.getByRole('radio', { name: 'Accept: merge it into the text' }).check();
  await card.getByLabel('Paragraph 3', { exact: true }).waitFor({ state: 'hidden' });
  await card.getByRole('radio', { name: 'Accept with modification' }).check();
  await card.getByLabel('Paragraph 3', { exact: true }).waitFor();
  const resolved = current.replace('already prepare', 'already prepare and write');
  await card.getByLabel('Paragraph 3', { exact: true }).fill(resolved);
  await card.getByLabel(/^Reason \(shown/).fill('Both verbs describe the practice.');
  await card.getByRole('button', { name: 'Record decision' }).click();
  await card.getByText(/^Accepted with modification — Both verbs/).waitFor();
  // The decided card shows the wording adopted, and what the chair changed in the proposal.
  const adopted = card.locator('.adopted').filter({ hasText: 'Adopted wording — as the chair modified it' });
  await adopted.waitFor();
  assert.equal(await adopted.locator('p.amended-text').first().innerText(), resolved);
  // Priya proposed "write"; the chair kept the drafter's "prepare" too.
  await adopted.locator('ins').filter({ hasText: 'prepare and' }).waitFor();

  // Every replica has the chair's wording and the new paragraph.
  await eventually(async () => (await p3.inputValue()) === resolved, 10000, "the drafter's editor to have the wording");
  const p5 = drafter.getByRole('textbox', { name: 'Paragraph 5', exact: true });
  await eventually(async () => (await p5.inputValue()) === 'Outputs should say who took part.', 10000, 'the new paragraph');
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  assert.equal(doc.paragraphs.find((p) => p.number === '3').text, resolved);
  // The proposer's open thread hears of the decision without a reload.
  await mine.locator('.badge').filter({ hasText: 'Accepted with modification' }).waitFor();

  // The list filters by status.
  await chair.page.getByLabel('Status').selectOption('accepted-with-modification');
  await chair.page.getByRole('button', { name: 'Show' }).click();
  await chair.page.getByText(/^1 shown: 1 accepted with modification$/).waitFor();
  for (const c of [priya.context, drafterCtx, chair.context]) await c.close();
});

test('words selected while their thread is closed offer a comment on them where they are', async () => {
  const id = await env.server.sampleId();
  const priya = await signedIn('participant@example.org');
  await priya.page.goto(`${env.server.url}/documents/${id}`);
  await priya.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  const section = priya.page.locator('section[aria-label="Paragraph 7"]');
  await section.locator('.para-text').evaluate((p) => {
    const node = document.createTreeWalker(p, NodeFilter.SHOW_TEXT).nextNode();
    const range = document.createRange();
    range.setStart(node, 0);
    range.setEnd(node, Math.min(12, node.length));
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    p.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
  });
  await section.getByRole('link', { name: 'Comment on these words' }).click();
  await priya.page.getByRole('heading', { name: 'Feedback on paragraph 7' }).waitFor();
  await priya.page.getByText('On the words').waitFor();
  const box = priya.page.getByLabel('Your comment on the selected words');
  await eventually(async () => box.evaluate((b) => document.activeElement === b), 5000, 'the box focused');
  await priya.page.keyboard.type('Which words exactly?');
  await priya.page.getByRole('button', { name: 'Post comment' }).click();
  await priya.page.getByRole('article', { name: 'Comment by Priya Participant' }).filter({ hasText: 'Which words exactly?' }).waitFor();
  await section.locator('mark').first().waitFor();
  // With the thread open, the offer is the form itself.
  assert.equal(await section.getByRole('link', { name: 'Comment on these words' }).count(), 0);
  await priya.context.close();
});

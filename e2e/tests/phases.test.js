// Phases and versions in the browser: a chair opens the consultation with a deadline from the document
// page; someone outside the group then comments; the chair cuts a version, compares it with a
// drafter's later typing and reads its printable export; once the chair closes the document
// the drafter's open editor turns into the read view and the thread takes no more feedback.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEMO_PASSWORD, eventually, moveTo, openEditor, signIn, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);

test('a chair opens the consultation to everyone, cuts a version the text then moves away from, and closes the document', async () => {
  const id = await env.server.sampleId();
  // The chair works from Tokyo: the deadline is picked and shown on their clock, zone named.
  const chairCtx = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Tokyo', locale: 'en-GB' });
  const chair = await chairCtx.newPage();
  await signIn(chair, env.server, 'chair@example.org');
  await chair.goto(`${env.server.url}/documents/${id}`);
  await chair.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  const banner = chair.getByRole('region', { name: 'Where the consultation stands' });
  await banner.locator('.phase-name').filter({ hasText: 'Drafting' }).waitFor();
  const year = new Date().getUTCFullYear() + 1;
  await chair.getByText('Change the phase').click();
  await chair.getByLabel('Deadline (your time, Asia/Tokyo', { exact: false }).waitFor();
  await chair.getByText('Change the phase').click();
  await moveTo(chair, 'consultation', `${year}-03-01T12:00`);
  await banner.locator('time').filter({ hasText: /^1 Mar \d{4},? 12:00 GMT\+9$/ }).waitFor();
  const { schedule } = await env.server.api(`/api/v1/documents/${id}`);
  assert.equal(schedule.deadline, Date.UTC(year, 2, 1, 3, 0) / 1000, 'noon in Tokyo is 03:00 UTC');
  // The home page shows every document's phase and deadline.
  await chair.goto(env.server.url);
  await chair.locator('.card-phase').filter({ hasText: /Public consultation · until 1 Mar \d{4},? 12:00 GMT\+9/ }).waitFor();
  await chair.goto(`${env.server.url}/documents/${id}`);
  await banner.getByText('Anyone with an account comments, states stances and proposes amendments.').waitFor();

  // Someone from outside the group registers and comments.
  const outCtx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const out = await outCtx.newPage();
  await out.goto(`${env.server.url}/register`);
  await out.getByLabel('Login (email)').fill('olu@example.org');
  await out.getByLabel('Password (at least 10 characters)').fill(DEMO_PASSWORD);
  await out.getByLabel('Display name').fill('Olu Outsider');
  await out.getByLabel('Stakeholder group').selectOption('private-sector');
  await out.getByLabel('Region', { exact: true }).selectOption('african');
  await out.getByRole('button', { name: 'Create account' }).click();
  await out.getByRole('heading', { name: 'Check your mail' }).waitFor();
  await out.goto(`${env.server.url}${await env.server.confirmationLink('olu@example.org')}`);
  await out.getByRole('button', { name: 'Confirm and sign in' }).click();
  await out.getByRole('button', { name: 'Sign out' }).waitFor();
  await out.goto(`${env.server.url}/documents/${id}?p=${(await env.server.api(`/api/v1/documents/${id}`)).paragraphs[2].id}`);
  await out.getByLabel('Your comment').fill('Seen from the private sector.');
  await out.getByRole('button', { name: 'Post comment' }).click();
  await out.getByRole('paragraph').filter({ hasText: 'Seen from the private sector.' }).waitFor();

  // The chair cuts a version; a drafter's later rewording shows in the comparison with it.
  await chair.goto(`${env.server.url}/documents/${id}/versions`);
  await chair.getByText('Cut a version of the text as it is now').click();
  assert.equal(await chair.getByLabel('Name').inputValue(), 'draft-00');
  await chair.getByLabel('What changed since the last version').fill('As opened for consultation.');
  await chair.getByRole('button', { name: 'Cut version' }).click();
  await chair.getByRole('link', { name: 'draft-00' }).waitFor();
  const drafter = await openEditor(env.browser, env.server, id);
  const p4 = drafter.getByRole('textbox', { name: 'Paragraph 4', exact: true });
  await p4.click();
  await p4.press('Control+End');
  await p4.pressSequentially(' Reworded in consultation.');
  await chair.waitForTimeout(1000);
  await chair.getByRole('button', { name: 'Compare' }).click();
  await chair.getByText('1 of 21 paragraphs changed, new, deleted or moved').waitFor();
  await chair.locator('.cmp-changed ins').filter({ hasText: 'Reworded in consultation.' }).waitFor();
  // The printable HTML export of draft-00, read back by the browser itself.
  const exported = await (await fetch(`${env.server.url}/api/v1/documents/${id}/export?format=html&version=draft-00`)).text();
  const reader = await chairCtx.newPage();
  await reader.setContent(exported);
  assert.equal(await reader.locator('h1').textContent(), 'Draft recommendations on written outputs of the Forum');
  const cut = await env.server.api(`/api/v1/documents/${id}/versions/draft-00`);
  assert.equal(await reader.locator('main .p').count(), cut.paragraphs.filter((p) => p.kind !== 'heading').length);
  assert.equal(await reader.locator('main h2').count(), cut.paragraphs.filter((p) => p.kind === 'heading').length);
  assert.doesNotMatch(await reader.locator('main').textContent(), /Reworded in consultation/);
  await reader.close();
  await chair.goto(`${env.server.url}/documents/${id}`);
  await chair.getByRole('status').filter({ hasText: 'Live' }).waitFor();

  // The chair closes the document: the drafter's editor gives way to the read view.
  await moveTo(chair, 'closed');
  await banner.getByText('The consultation is over; the text no longer changes.').waitFor();
  // Live, without a reload: the editor hears of the phase and stops offering to type.
  await eventually(
    async () => (await drafter.getByRole('textbox', { name: 'Paragraph 1', exact: true }).count()) === 0,
    10000,
    "the drafter's editor to close",
  );
  await drafter.locator('.para-text').first().waitFor();
  await out.reload();
  await out.getByRole('paragraph').filter({ hasText: 'Seen from the private sector.' }).waitFor();
  assert.equal(await out.getByRole('button', { name: 'Post comment' }).count(), 0);
  const record = await env.server.api(`/api/v1/documents/${id}/record`);
  assert.deepEqual(record.map((e) => e.summary.split(' until ')[0]), [
    'Moved the document from drafting to public consultation',
    'Cut version draft-00',
    'Closed the document',
  ]);
  for (const c of [chairCtx, outCtx, drafter.context()]) await c.close();
});

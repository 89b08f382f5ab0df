// Accounts and roles in the browser: who may edit is the server's decision, and the page shows
// each person only what they may do.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { signIn, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);

test('a participant reads the draft live but gets no editor', async () => {
  const id = await env.server.sampleId();
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server, 'participant@example.org');
  await page.goto(`${env.server.url}/documents/${id}`);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  await page.getByText('You are a participant of this group').waitFor();
  // Give the editor every chance to appear; it must not.
  await page.waitForTimeout(500);
  assert.equal(await page.getByRole('textbox', { name: /^Paragraph/ }).count(), 0);
  await context.close();
});

test('a visitor is invited to sign in, signs in as a drafter, and edits', async () => {
  const id = await env.server.sampleId();
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.url}/documents/${id}`);
  await page.getByText('You are reading.').waitFor();
  await page.getByRole('link', { name: 'sign in', exact: true }).click();
  await page.getByLabel('Login (email)').fill('drafter@example.org');
  await page.getByLabel('Password').fill('accord-demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Back on the document, now as a drafter.
  const p1 = page.getByRole('textbox', { name: 'Paragraph 1', exact: true });
  await p1.waitFor();
  await p1.click();
  await p1.press('Control+End');
  await p1.pressSequentially(' Signed edit.');
  await page.waitForTimeout(300);
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  assert.ok(doc.paragraphs.find((p) => p.number === '1').text.endsWith(' Signed edit.'));
  await context.close();
});

test('a wrong password is refused in words', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.url}/login`);
  await page.getByLabel('Login (email)').fill('drafter@example.org');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'wrong login or password' }).waitFor();
  await context.close();
});

test('a chair invites a newcomer as a drafter, who registers, joins and edits', async () => {
  const id = await env.server.sampleId();
  const chairCtx = await env.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const chair = await chairCtx.newPage();
  await signIn(chair, env.server, 'chair@example.org');
  await chair.getByRole('link', { name: 'Best Practice Forum on Forum Outcomes', exact: true }).click();
  await chair.getByRole('heading', { name: 'Members' }).waitFor();
  await chair.getByLabel('Role', { exact: true }).selectOption('drafter');
  await chair.getByRole('button', { name: 'Create invitation link' }).click();
  // The link is whole (it goes into a mail or a chat as it is), and one click copies it.
  const whole = await chair.getByLabel('Invitation link').inputValue();
  assert.match(whole, /^https?:\/\/[^/]+\/invitations\/[0-9a-f]{64}$/);
  await chair.getByRole('button', { name: 'Copy link' }).click();
  await chair.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await chair.evaluate(() => navigator.clipboard.readText()), whole);
  const link = new URL(whole).pathname;

  const newCtx = await env.browser.newContext();
  const newcomer = await newCtx.newPage();
  // The invitation survives registering: the mailed link confirms the address and comes back.
  await newcomer.goto(`${env.server.url}${link}`);
  // The page says what the link offers before anything is asked.
  await newcomer.getByText('This link makes you a member of Best Practice Forum on Forum Outcomes as a drafter.').waitFor();
  await newcomer.getByRole('link', { name: 'Create an account' }).click();
  await newcomer.getByLabel('Login (email)').fill('nadia@example.org');
  await newcomer.getByLabel('Password (at least 10 characters)').fill('a long enough password');
  await newcomer.getByLabel('Display name').fill('Nadia Newcomer');
  await newcomer.getByLabel('Stakeholder group').selectOption('civil-society');
  await newcomer.getByLabel('Region', { exact: true }).selectOption('african');
  await newcomer.getByRole('button', { name: 'Create account' }).click();
  await newcomer.getByRole('heading', { name: 'Check your mail' }).waitFor();
  const confirmation = await env.server.confirmationLink('nadia@example.org');
  assert.ok(confirmation.endsWith(`?next=${link}`), confirmation);
  await newcomer.goto(`${env.server.url}${confirmation}`);
  await newcomer.getByRole('button', { name: 'Confirm and sign in' }).click();
  await newcomer.getByRole('heading', { name: 'You are invited' }).waitFor();
  await newcomer.getByRole('button', { name: 'Join the group' }).click();
  await newcomer.getByRole('heading', { name: 'Best Practice Forum on Forum Outcomes' }).waitFor();

  await newcomer.goto(`${env.server.url}/documents/${id}`);
  const p2 = newcomer.getByRole('textbox', { name: 'Paragraph 2', exact: true });
  await p2.waitFor();
  await p2.click();
  await p2.press('Control+End');
  await p2.pressSequentially(' Added by Nadia.');
  await newcomer.waitForTimeout(300);
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  assert.ok(doc.paragraphs.find((p) => p.number === '2').text.endsWith(' Added by Nadia.'));

  // The chair sees the newcomer among the members, as a drafter, and a change of role shows
  // in the table at once.
  await chair.reload();
  const row = chair.getByRole('row', { name: /Nadia Newcomer/ });
  await row.getByRole('cell', { name: 'drafter', exact: true }).waitFor();
  await row.getByLabel('New role for Nadia Newcomer').selectOption('participant');
  await row.getByRole('button', { name: 'Apply' }).click();
  await chair.getByRole('row', { name: /Nadia Newcomer/ }).getByRole('cell', { name: 'participant', exact: true }).waitFor();
  if (process.env.ACCORD_SHOTS) await chair.screenshot({ path: `${process.env.ACCORD_SHOTS}/group.png`, fullPage: true });
  // A used link says so.
  await newcomer.goto(`${env.server.url}${link}`);
  await newcomer.getByRole('alert').filter({ hasText: 'this invitation was already used' }).waitFor();
  await chairCtx.close();
  await newCtx.close();
});

test('a participant edits their profile', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server, 'participant@example.org');
  await page.getByRole('link', { name: 'Priya Participant' }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  await page.getByLabel('Affiliation').fill('Ministry of Digital Affairs');
  await page.getByLabel('Region').selectOption('african');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  await page.reload();
  assert.equal(await page.getByLabel('Affiliation').inputValue(), 'Ministry of Digital Affairs');
  assert.equal(await page.getByLabel('Region').inputValue(), 'african');
  await context.close();
});

test('a person signed in on two browsers signs the other one out from their profile', async () => {
  const homeCtx = await env.browser.newContext();
  const home = await homeCtx.newPage();
  await signIn(home, env.server, 'participant@example.org');
  const awayCtx = await env.browser.newContext();
  const away = await awayCtx.newPage();
  await signIn(away, env.server, 'participant@example.org');
  await home.goto(`${env.server.url}/profile`);
  const sessions = home.getByRole('region', { name: 'Where you are signed in' });
  await sessions.getByText('(this browser)').waitFor();
  const buttons = sessions.getByRole('button', { name: 'Sign out there' });
  assert.ok((await buttons.count()) >= 1);
  const before = await buttons.count();
  await buttons.first().click();
  await home.waitForFunction(
    (n) => document.querySelectorAll('#sessions button').length === n - 1,
    before,
  );
  // The other browser is signed out: its profile asks it to sign in.
  await away.goto(`${env.server.url}/profile`);
  await away.getByText('Sign in to see your profile.').waitFor();
  await homeCtx.close();
  await awayCtx.close();
});

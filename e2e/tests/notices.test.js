// Notifications as a participant meets them: they comment, a chair answers, and they are told
// three ways: the bell in the top bar counts it (and the notifications page lists it), their
// Atom feed has it, and a mail in the mail folder says it with an unsubscribe link, which stops
// the next mail but not the bell. A reply to their comment and an objection where the chair
// chairs are told too; the page works without JavaScript. Writing @ in a comment offers the
// document's people to mention, from the keyboard, and the one picked is told.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, signedIn as signedInOnce, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);
const signedIn = (login, options) => signedInOnce(env, login, options);

async function paragraph(id, n) {
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  return doc.paragraphs.find((p) => p.number === String(n)).id;
}

test('a participant is told of the answer to their comment by the bell, the feed and mail', async () => {
  const id = await env.server.sampleId();
  const thread = `${env.server.url}/documents/${id}?p=${await paragraph(id, 3)}`;
  const priya = await signedIn('participant@example.org');
  await priya.page.goto(thread);
  await priya.page.getByLabel('Your comment').fill('Who keeps the record of the consultation?');
  await priya.page.getByRole('button', { name: 'Post comment' }).click();
  await priya.page.getByRole('paragraph').filter({ hasText: 'Who keeps the record' }).waitFor();
  // Nothing yet: the bell shows no count.
  await priya.page.getByRole('link', { name: 'Notifications, none unread' }).waitFor();

  const amina = await signedIn('chair@example.org');
  await amina.page.goto(thread);
  const comment = amina.page.getByRole('article', { name: 'Comment by Priya Participant' }).filter({ hasText: 'Who keeps the record' });
  await comment.getByText('Respond').click();
  await comment.getByLabel('Disposition').selectOption('answered');
  await comment.getByLabel('Reason (shown to everyone)').fill('The secretariat keeps it.');
  await comment.getByRole('button', { name: 'Record response' }).click();
  await comment.getByText(/The secretariat keeps it/).waitFor();

  // The bell counts it on the participant's next page.
  await priya.page.goto(env.server.url);
  const bell = priya.page.getByRole('link', { name: 'Notifications, 1 unread' });
  await bell.waitFor();
  if (process.env.ACCORD_SHOTS) await priya.page.screenshot({ path: `${process.env.ACCORD_SHOTS}/bell.png` });
  await bell.click();
  const told = priya.page.getByRole('link', { name: /^Amina Chair responded to your feedback on paragraph 3 of/ });
  await told.waitFor();
  if (process.env.ACCORD_SHOTS) await priya.page.screenshot({ path: `${process.env.ACCORD_SHOTS}/notifications.png`, fullPage: true });

  // The feed has it, as Atom.
  const feed = await priya.page.getByRole('link', { name: 'feed of your notifications' }).getAttribute('href');
  const atom = await fetch(`${env.server.url}${feed}`);
  assert.equal(atom.status, 200);
  assert.match(atom.headers.get('content-type'), /application\/atom\+xml/);
  const xml = await atom.text();
  assert.match(xml, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  assert.match(xml, /Amina Chair responded to your feedback on paragraph 3/);
  assert.equal((await fetch(`${env.server.url}/feeds/${'0'.repeat(32)}.atom`)).status, 404);

  // And a mail, with a link to the thread and one that stops the mail.
  const mail = await eventually(() => env.server.mailsTo('participant@example.org').find((m) => m.includes('responded to your feedback')), 10000, 'the notice mailed');
  assert.match(mail, /\/documents\/[a-z0-9]+\?p=/);
  const unsubscribe = mail.match(/https?:\/\/[^/\s]+(\/unsubscribe\?key=[0-9a-f]+)/)[1];

  // Marking all read empties the count.
  await priya.page.getByRole('button', { name: 'Mark all as read' }).click();
  await priya.page.getByRole('link', { name: 'Notifications, none unread' }).waitFor();

  // The unsubscribe link stops mail (it asks first: a scanner opening it changes nothing).
  const before = env.server.mailsTo('participant@example.org').length;
  const stranger = await env.browser.newContext({ javaScriptEnabled: false });
  const page = await stranger.newPage();
  await page.goto(`${env.server.url}${unsubscribe}`);
  await page.getByRole('button', { name: 'Stop the mail' }).click();
  await page.getByRole('status').filter({ hasText: 'no more notification mail' }).waitFor();
  await stranger.close();

  // A reply is told too, under the bell, but no longer mailed.
  const diego = await signedIn('drafter@example.org');
  await diego.page.goto(thread);
  const theirs = diego.page.getByRole('article', { name: 'Comment by Priya Participant' }).filter({ hasText: 'Who keeps the record' });
  await theirs.locator('summary').filter({ hasText: 'Reply' }).click();
  await theirs.getByLabel('Your reply').fill('The secretariat, as the chair says.');
  await theirs.getByRole('button', { name: 'Reply' }).click();
  await diego.page.getByRole('article', { name: 'Comment by Diego Drafter' }).filter({ hasText: 'The secretariat, as the chair says.' }).waitFor();
  await priya.page.goto(`${env.server.url}/notifications`);
  await priya.page.getByRole('link', { name: /^Diego Drafter replied to your comment on paragraph 3/ }).waitFor();
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(env.server.mailsTo('participant@example.org').length, before, 'no mail once stopped');
  // The choice shows on the page, and mail can be turned on again there.
  assert.equal(await priya.page.getByLabel('Also mail me each notification').isChecked(), false);

  for (const p of [priya, amina, diego]) await p.context.close();
});

test('without JavaScript the page lists notifications and marks them read; chairs hear of objections', async () => {
  const id = await env.server.sampleId();
  const priya = await signedIn('participant@example.org');
  await priya.page.goto(`${env.server.url}/documents/${id}?p=${await paragraph(id, 6)}`);
  await priya.page.getByRole('radio', { name: 'Oppose' }).check();
  await priya.page.getByLabel(/^Reason/).fill('Name who decides when drafts are open.');
  await priya.page.getByRole('button', { name: /my stance$/ }).click();
  await priya.page.getByText('Change my stance').waitFor();
  await priya.context.close();

  const amina = await signedIn('chair@example.org', { javaScriptEnabled: false });
  await amina.page.goto(env.server.url);
  await amina.page.getByRole('link', { name: /^Notifications, \d+ unread$/ }).click();
  await amina.page.getByRole('link', { name: /^Priya Participant objected to paragraph 6 of/ }).waitFor();
  await amina.page.getByRole('button', { name: 'Mark all as read' }).click();
  await amina.page.getByRole('link', { name: 'Notifications, none unread' }).waitFor();
  await amina.page.getByText('All read.').waitFor();
  await amina.context.close();
});

test('@ in a comment offers the document’s people by keyboard, and the one picked is told', async () => {
  const id = await env.server.sampleId();
  const priya = await signedIn('participant@example.org');
  await priya.page.goto(`${env.server.url}/documents/${id}?p=${await paragraph(id, 4)}`);
  const box = priya.page.getByLabel('Your comment');
  await box.click();
  await box.pressSequentially('Please check the dates, @Ami');
  const people = priya.page.getByRole('listbox', { name: 'People to mention' });
  await people.getByRole('option', { name: 'Amina Chair' }).waitFor();
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  if (process.env.ACCORD_SHOTS) await priya.page.screenshot({ path: `${process.env.ACCORD_SHOTS}/mention.png` });
  await box.press('Enter');
  await box.pressSequentially('thank you.');
  assert.equal(await box.inputValue(), 'Please check the dates, @Amina Chair thank you.');
  assert.ok(await people.isHidden());
  await priya.page.getByRole('button', { name: 'Post comment' }).click();
  await priya.page.getByRole('paragraph').filter({ hasText: 'Please check the dates' }).waitFor();
  await priya.context.close();

  const amina = await signedIn('chair@example.org');
  await amina.page.goto(`${env.server.url}/notifications`);
  await amina.page.getByRole('link', { name: /^Priya Participant mentioned you on paragraph 4 of/ }).waitFor();
  await amina.context.close();
});

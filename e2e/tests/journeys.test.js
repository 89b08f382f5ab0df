// The journeys people stumbled on, walked as they did: what a phase allows is all the page
// offers, a signed-in outsider is not told to sign in, a posted comment leaves its box, the
// record and the downloads name things as people do, and an amendment is proposed without
// JavaScript.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, DEMO_PASSWORD, signedIn as signedInOnce, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);
const shots = process.env.ACCORD_SHOTS;

const signedIn = (login, options) => signedInOnce(env, login, options);

async function api(login) {
  return (await call(env.server, '/api/v1/auth/login', 'POST', { login, password: DEMO_PASSWORD })).cookie;
}

async function paragraph(id, n) {
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  return doc.paragraphs.find((p) => p.number === String(n)).id;
}

test('leaving a live document for its consensus map and back throws nothing in the page', async () => {
  const id = await env.server.sampleId();
  const { context, page } = await signedIn('drafter@example.org');
  const thrown = [];
  page.on('pageerror', (e) => thrown.push(e.message));
  await page.goto(`${env.server.url}/documents/${id}`);
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  for (let round = 0; round < 2; round += 1) {
    await page.getByRole('link', { name: 'Consensus map' }).click();
    await page.getByRole('heading', { name: 'Consensus map' }).waitFor();
    await page.waitForTimeout(300);
    await page.getByRole('link', { name: /Back to the text/ }).click();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  }
  assert.deepEqual(thrown, []);
  await context.close();
});

test('a posted comment leaves its box, and a signed-in outsider is not asked to sign in', async () => {
  const id = await env.server.sampleId();
  const priya = await signedIn('participant@example.org');
  await priya.page.goto(`${env.server.url}/documents/${id}?p=${await paragraph(id, 2)}`);
  await priya.page.getByRole('heading', { name: 'Feedback on paragraph 2' }).waitFor();
  await priya.page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  const box = priya.page.getByLabel('Your comment', { exact: true });
  await box.fill('Say who keeps the record.');
  await priya.page.getByRole('button', { name: 'Post comment' }).click();
  await priya.page.getByRole('article', { name: 'Comment by Priya Participant' }).waitFor();
  assert.equal(await priya.page.getByLabel('Your comment', { exact: true }).inputValue(), '');
  await priya.context.close();

  // Someone with an account but outside the group, while the group drafts.
  await call(env.server, '/api/v1/auth/register', 'POST', {
    login: 'omar@example.org', password: DEMO_PASSWORD, display_name: 'Omar Outside',
    stakeholder_group: 'academia', region: 'asia-pacific',
  });
  const link = await env.server.confirmationLink('omar@example.org');
  const omar = { context: await env.browser.newContext({ viewport: { width: 1280, height: 900 } }) };
  omar.page = await omar.context.newPage();
  await omar.page.goto(`${env.server.url}${link}`);
  await omar.page.getByRole('button', { name: 'Confirm and sign in' }).click();
  await omar.page.getByRole('button', { name: 'Sign out' }).waitFor();
  await omar.page.goto(`${env.server.url}/documents/${id}?p=${await paragraph(id, 2)}`);
  await omar.page.getByText("In this phase only the group's members comment and state stances").waitFor();
  assert.equal(await omar.page.getByRole('link', { name: 'sign in', exact: true }).count(), 0);
  await omar.context.close();
});

test('in last call the page offers only an objection, and no comment or rewording', async () => {
  const id = await env.server.sampleId();
  const chair = await api('chair@example.org');
  const p3 = await paragraph(id, 3);
  const participant = await api('participant@example.org');
  await call(env.server, `/api/v1/documents/${id}/paragraphs/${p3}/comments`, 'POST', { body: 'An early thought.' }, participant);
  const deadline = Math.floor(Date.now() / 1000) + 7 * 86400;
  await call(env.server, `/api/v1/documents/${id}/phase`, 'POST', { phase: 'consultation', deadline, reason: 'Open.' }, chair);
  await call(env.server, `/api/v1/documents/${id}/phase`, 'POST', { phase: 'last-call', deadline, reason: 'Last call.' }, chair);

  const priya = await signedIn('participant@example.org', { viewport: { width: 360, height: 740 } });
  await priya.page.goto(`${env.server.url}/documents/${id}?p=${p3}`);
  await priya.page.getByRole('heading', { name: 'Feedback on paragraph 3' }).waitFor();
  await priya.page.getByText('In last call only objections are taken').waitFor();
  assert.equal(await priya.page.getByRole('radio', { name: 'Support' }).count(), 0);
  assert.equal(await priya.page.getByRole('radio', { name: 'Can live with' }).count(), 0);
  assert.ok(await priya.page.getByRole('radio', { name: 'Oppose' }).isChecked());
  assert.equal(await priya.page.getByRole('button', { name: 'Post comment' }).count(), 0);
  const mine = priya.page.getByRole('article', { name: 'Comment by Priya Participant' });
  await mine.waitFor();
  assert.equal(await mine.getByText('Edit', { exact: true }).count(), 0);
  if (shots) await priya.page.screenshot({ path: `${shots}/last-call-phone.png`, fullPage: false });
  // On the phone the consensus map stacks into the phone's width: the page never scrolls sideways.
  await priya.page.goto(`${env.server.url}/documents/${id}/consensus`);
  const map = priya.page.locator('.map-scroll');
  await map.getByRole('group', { name: /^Consensus map/ }).waitFor();
  const widths = await priya.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.equal(widths[0], widths[1], 'the page does not scroll sideways');
  assert.ok(await map.evaluate((m) => m.scrollWidth >= m.clientWidth && getComputedStyle(m).overflowX === 'auto'));
  await priya.page.goto(`${env.server.url}/documents/${id}?p=${p3}`);
  await priya.page.getByLabel(/^Reason \(needed to oppose/).fill('It names no one to keep the record.');
  await priya.page.getByRole('button', { name: 'Save my stance' }).click();
  await priya.page.getByRole('button', { name: 'Change my stance' }).waitFor();
  await priya.context.close();

  // The chair answers it; the record names the paragraph by its number.
  const thread = await env.server.api(`/api/v1/documents/${id}/paragraphs/${p3}/feedback`);
  const objection = thread.objections[0].id;
  await call(env.server, `/api/v1/documents/${id}/objections/${objection}/response`, 'POST', { disposition: 'accepted', reason: 'Named in 8(a).' }, chair);
  const record = await env.server.api(`/api/v1/documents/${id}/record`);
  assert.match(record.at(-1).summary, /on paragraph 3:/);
  assert.doesNotMatch(record.at(-1).summary, new RegExp(p3));

  // Downloads are named by the title.
  const report = await fetch(`${env.server.url}/api/v1/documents/${id}/report?format=docx`, { headers: { cookie: chair } });
  assert.match(report.headers.get('content-disposition'), /filename="draft-recommendations-on-written-outputs-of-the-forum-report\.docx"/);
});

test('an amendment is proposed without JavaScript, and a refusal shows beside the open form', async () => {
  // A fresh draft, in drafting, where the group's participants amend.
  const id = await env.server.sampleId();
  const chair = await api('chair@example.org');
  await call(env.server, `/api/v1/documents/${id}/phase`, 'POST', { phase: 'drafting', reason: 'Back to drafting.' }, chair).catch(() => {});
  const p4 = await paragraph(id, 4);
  const plain = await signedIn('participant@example.org', { javaScriptEnabled: false });
  await plain.page.goto(`${env.server.url}/documents/${id}?p=${p4}`);
  await plain.page.getByRole('heading', { name: 'Feedback on paragraph 4' }).waitFor();
  // Unchanged wording is refused, in view, beside the open form.
  await plain.page.getByText('Propose an amendment').click();
  await plain.page.getByLabel('Rationale').fill('Nothing yet.');
  await plain.page.getByRole('button', { name: 'Propose amendment' }).click();
  const refusal = plain.page.locator('#propose').getByRole('alert');
  await refusal.waitFor();
  assert.ok(
    await refusal.evaluate((e) => {
      const r = e.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }),
    'the refusal is in view without scrolling',
  );
  assert.ok(await plain.page.locator('#propose').evaluate((d) => d.open), 'the form is open');
  if (shots) await plain.page.screenshot({ path: `${shots}/amend-refused-nojs.png`, fullPage: false });
  // New wording is proposed.
  await plain.page.getByLabel('Paragraph 4 as you propose it').fill('A written output should be considered where an issue has broad support.');
  await plain.page.getByLabel('Rationale').fill('Shorter and clearer.');
  await plain.page.getByRole('button', { name: 'Propose amendment' }).click();
  await plain.page.waitForLoadState();
  const amendments = await env.server.api(`/api/v1/documents/${id}/amendments`);
  assert.ok(amendments.some((a) => a.rationale === 'Shorter and clearer.'), JSON.stringify(amendments.map((a) => a.rationale)));
  await plain.context.close();
});

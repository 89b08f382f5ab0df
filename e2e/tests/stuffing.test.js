// Vote stuffing, walked as the people involved meet it: a newcomer whose address is not yet
// confirmed is told their stance is not counted and can have the link mailed again; a chair
// finds the accounts registered together on the consensus map and sets their stances aside,
// with JavaScript and without it, and the figures follow.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, DEMO_PASSWORD, signIn, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);
const shots = process.env.ACCORD_SHOTS;

/** Registers `login` through the API; confirms its address with the mailed link unless told not to. */
async function newcomer(login, name, { confirm = true } = {}) {
  await call(env.server, '/api/v1/auth/register', 'POST', {
    login,
    password: DEMO_PASSWORD,
    display_name: name,
    stakeholder_group: 'private-sector',
    region: 'african',
  });
  if (!confirm) {
    return (await call(env.server, '/api/v1/auth/login', 'POST', { login, password: DEMO_PASSWORD })).cookie;
  }
  const link = await env.server.confirmationLink(login);
  const token = link.split('/').pop().split('?')[0];
  return (await call(env.server, '/api/v1/auth/confirm', 'POST', { token })).cookie;
}

async function support(id, paragraph) {
  const feedback = await env.server.api(`/api/v1/documents/${id}/feedback`);
  return feedback.paragraphs.find((p) => p.paragraph === paragraph).tally.support;
}

test('a chair sets aside the stances of accounts registered together, and the figures follow', async () => {
  const id = await env.server.sampleId();
  const chairApi = await call(env.server, '/api/v1/auth/login', 'POST', {
    login: 'chair@example.org',
    password: DEMO_PASSWORD,
  });
  await call(env.server, `/api/v1/documents/${id}/phase`, 'POST', { phase: 'consultation', reason: 'Open to all.' }, chairApi.cookie);
  const paragraph = (await env.server.api(`/api/v1/documents/${id}`)).paragraphs[1].id;
  const before = await support(id, paragraph);
  const names = ['Sam Sock', 'Sol Sock', 'Sid Sock'];
  for (const [i, name] of names.entries()) {
    const cookie = await newcomer(`sock${i}@example.org`, name);
    await call(env.server, `/api/v1/documents/${id}/paragraphs/${paragraph}/stance`, 'PUT', { stance: 'support' }, cookie);
  }
  assert.equal(await support(id, paragraph), before + 3);

  // A fourth, whose address is not confirmed: the page says the stance does not count yet.
  const late = await newcomer('late@example.org', 'Lee Late', { confirm: false });
  await call(env.server, `/api/v1/documents/${id}/paragraphs/${paragraph}/stance`, 'PUT', { stance: 'support' }, late);
  assert.equal(await support(id, paragraph), before + 3);
  const lateCtx = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
  const latePage = await lateCtx.newPage();
  await signIn(latePage, env.server, 'late@example.org');
  const notice = latePage.getByRole('complementary', { name: 'Your e-mail address' });
  await notice.getByText('your stances are kept but not counted').waitFor();
  if (shots) await latePage.screenshot({ path: `${shots}/unconfirmed-phone.png` });
  await notice.getByRole('button', { name: 'Mail me the link again' }).click();
  await notice.getByRole('status').filter({ hasText: 'We mailed you a new link.' }).waitFor();
  await lateCtx.close();

  // The chair finds them from the consensus map.
  const chairCtx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const chair = await chairCtx.newPage();
  await signIn(chair, env.server, 'chair@example.org');
  await chair.goto(`${env.server.url}/documents/${id}/consensus`);
  await chair.getByRole('link', { name: 'Accounts registered together' }).click();
  const burst = chair.getByRole('region', { name: /^Address A: 4 accounts/ });
  await burst.waitFor();
  await burst.getByRole('row', { name: /Lee Late/ }).getByText('not yet').waitFor();
  await burst.getByLabel('Sam Sock').check();
  await burst.getByLabel('Sol Sock').check();
  await burst.getByLabel('Reason (for the decision record)').fill('Made minutes apart from one address.');
  await burst.getByRole('button', { name: 'Apply' }).click();
  await chair.getByRole('row', { name: /Sol Sock/ }).getByText('set aside').waitFor();
  assert.equal(await chair.getByRole('cell', { name: 'set aside', exact: true }).count(), 2);
  assert.equal(await support(id, paragraph), before + 1);
  if (shots) await chair.screenshot({ path: `${shots}/bursts.png`, fullPage: true });
  const record = await env.server.api(`/api/v1/documents/${id}/record`);
  assert.equal(record.at(-1).kind, 'stances-set-aside');
  assert.equal(record.at(-1).reason, 'Made minutes apart from one address.');
  await chairCtx.close();

  // Without JavaScript, on a phone: Sol's stance counts again.
  const plainCtx = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const plain = await plainCtx.newPage();
  await plain.goto(`${env.server.url}/login?next=/documents/${id}/bursts`);
  await plain.getByLabel('Login (email)').fill('chair@example.org');
  await plain.getByLabel('Password').fill(DEMO_PASSWORD);
  await plain.getByRole('button', { name: 'Sign in' }).click();
  const plainBurst = plain.getByRole('region', { name: /^Address A/ });
  await plainBurst.waitFor();
  await plainBurst.getByLabel('Sol Sock').check();
  await plainBurst.getByLabel('Count them again').check();
  await plainBurst.getByLabel('Reason (for the decision record)').fill('Sol attended in person.');
  await plainBurst.getByRole('button', { name: 'Apply' }).click();
  await plain.getByRole('row', { name: /Sol Sock/ }).getByText('counted', { exact: true }).waitFor();
  assert.equal(await support(id, paragraph), before + 2);
  if (shots) await plain.screenshot({ path: `${shots}/bursts-phone.png`, fullPage: true });
  // A reason left out is refused in words beside the form, and nothing changes.
  await plain.getByRole('region', { name: /^Address A/ }).getByLabel('Sam Sock').check();
  await plain.evaluate(() => document.querySelectorAll('textarea').forEach((t) => t.removeAttribute('required')));
  await plain.getByRole('region', { name: /^Address A/ }).getByRole('button', { name: 'Apply' }).click();
  await plain.getByRole('alert').filter({ hasText: /reason/i }).waitFor();
  assert.equal(await support(id, paragraph), before + 2);
  await plainCtx.close();
});

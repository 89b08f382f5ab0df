// Vote stuffing, walked as the people involved meet it: a newcomer who has not opened the
// mailed link is told to when signing in, and is mailed it again; a chair
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
  if (!confirm) return null;
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

  // A fourth, who has not opened the link: signing in is refused as a wrong password is,
  // with a word for someone who just registered, and the link is mailed again.
  await newcomer('late@example.org', 'Lee Late', { confirm: false });
  const lateCtx = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
  const latePage = await lateCtx.newPage();
  await latePage.goto(`${env.server.url}/login`);
  await latePage.getByLabel('Login (email)').fill('late@example.org');
  await latePage.getByLabel('Password').fill(DEMO_PASSWORD);
  await latePage.getByRole('button', { name: 'Sign in' }).click();
  await latePage.getByRole('alert').filter({ hasText: 'open the link we mailed you first' }).waitFor();
  if (shots) await latePage.screenshot({ path: `${shots}/unconfirmed-phone.png` });
  const again = await env.server.confirmationLink('late@example.org', 2);
  await latePage.goto(`${env.server.url}${again}`);
  await latePage.getByRole('button', { name: 'Confirm and sign in' }).click();
  await latePage.getByRole('button', { name: 'Sign out' }).waitFor();
  const session = (await lateCtx.cookies()).find((c) => c.name === 'accord_session');
  await call(env.server, `/api/v1/documents/${id}/paragraphs/${paragraph}/stance`, 'PUT', { stance: 'support' }, `accord_session=${session.value}`);
  assert.equal(await support(id, paragraph), before + 4);
  await lateCtx.close();

  // The chair finds them from the consensus map.
  const chairCtx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const chair = await chairCtx.newPage();
  await signIn(chair, env.server, 'chair@example.org');
  await chair.goto(`${env.server.url}/documents/${id}/consensus`);
  await chair.getByRole('link', { name: 'Accounts registered together' }).click();
  const burst = chair.getByRole('region', { name: /^Address A: 4 accounts/ });
  await burst.waitFor();
  await burst.getByRole('row', { name: /Lee Late/ }).waitFor();
  await burst.getByLabel('Sam Sock').check();
  await burst.getByLabel('Sol Sock').check();
  await burst.getByLabel('Reason (for the decision record)').fill('Made minutes apart from one address.');
  await burst.getByRole('button', { name: 'Apply' }).click();
  await chair.getByRole('row', { name: /Sol Sock/ }).getByText('set aside').waitFor();
  assert.equal(await chair.getByRole('cell', { name: 'set aside', exact: true }).count(), 2);
  assert.equal(await support(id, paragraph), before + 2);
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
  assert.equal(await support(id, paragraph), before + 3);
  if (shots) await plain.screenshot({ path: `${shots}/bursts-phone.png`, fullPage: true });
  // A reason left out is refused in words beside the form, and nothing changes.
  await plain.getByRole('region', { name: /^Address A/ }).getByLabel('Sam Sock').check();
  await plain.evaluate(() => document.querySelectorAll('textarea').forEach((t) => t.removeAttribute('required')));
  await plain.getByRole('region', { name: /^Address A/ }).getByRole('button', { name: 'Apply' }).click();
  await plain.getByRole('alert').filter({ hasText: /reason/i }).waitFor();
  assert.equal(await support(id, paragraph), before + 3);
  await plainCtx.close();
});

// A live session in the browser, start to end: a chair schedules it with a rapporteur and a
// poll, runs it from their laptop while the room's projector (nobody signed in) follows; a
// remote participant and someone in the room on a phone answer the poll before and after and
// take stances; the rapporteur records a show of hands and someone without a device in the
// queue; two items, a check on each, a point of consensus, and the session report read back
// by python-docx.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addParticipant, audit, eventually, readExport, signedIn, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);

const QUESTION = 'Should section III recommend a review every two years?';

test('a facilitated session in the room and online, from the agenda to the session report', async () => {
  const id = await env.server.sampleId();
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  const first = doc.paragraphs.find((p) => p.number);
  await addParticipant(env.server, 'rosa@example.org', 'Rosa Room', 'civil-society', 'african');

  // The chair schedules the session from the document.
  const { page: chair } = await signedIn(env, 'chair@example.org');
  await chair.goto(`${env.server.url}/documents/${id}`);
  await chair.getByRole('link', { name: 'Live sessions' }).click();
  await chair.getByRole('heading', { name: 'Schedule a live session' }).waitFor();
  await chair.getByLabel('Title').fill('Main session');
  await chair.getByLabel('Paragraphs on the agenda').fill(`${first.number}\n${QUESTION}`);
  await chair.getByLabel('Rapporteur').selectOption({ label: 'Diego Drafter' });
  await chair.getByLabel('Poll questions').fill('The text is ready to be published.');
  await chair.getByRole('button', { name: 'Schedule' }).click();
  await chair.getByRole('heading', { name: 'Main session' }).waitFor();
  const live = new URL(chair.url()).pathname.split('/').pop();
  await chair.getByRole('status').filter({ hasText: 'Following the session' }).waitFor();

  // The room's screen, nobody signed in.
  const projectorCtx = await env.browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const projector = await projectorCtx.newPage();
  await projector.goto(`${env.server.url}/live/${live}/projector`);
  await projector.getByText('The session has not begun').waitFor();

  // The remote participant, and Rosa on her phone in the room.
  const { page: remote } = await signedIn(env, 'participant@example.org');
  const { page: rosa } = await signedIn(env, 'rosa@example.org', { viewport: { width: 360, height: 740 } });
  for (const p of [remote, rosa]) await p.goto(`${env.server.url}/live/${live}`);

  // The poll before the session.
  await chair.getByRole('button', { name: 'Open the poll (before)' }).click();
  for (const [p, value] of [[remote, '3'], [rosa, '4']]) {
    await p.getByText('Before the session').waitFor();
    await p.getByRole('radio', { name: value, exact: true }).check();
    await p.getByRole('button', { name: 'Send my answers' }).click();
    await p.getByText(`Your answer: ${value}`).waitFor();
  }
  await chair.getByRole('button', { name: 'Close the poll' }).click();

  // The first item on every screen, and a check on it with two minutes on the clock.
  await chair.getByRole('button', { name: 'Put on every screen' }).first().click();
  await chair.getByLabel('Countdown').selectOption({ label: '2:00' });
  await chair.getByRole('button', { name: 'Open a check on this item' }).click();
  await projector.locator('.live-text').filter({ hasText: first.text.slice(0, 40) }).waitFor();
  for (const p of [projector, rosa]) {
    await p.getByRole('timer').filter({ hasText: /Time left [12]:[0-5]\d/ }).waitFor();
  }
  // Nothing serious for axe-core on the three screens while a check is open.
  const found = [];
  for (const [p, where] of [[chair, 'facilitator'], [rosa, 'phone'], [projector, 'projector']]) {
    found.push(...(await audit(p, `session ${where}`)));
  }
  await remote.getByRole('group', { name: 'Where do you stand on this item?' }).waitFor();
  await remote.getByRole('status').filter({ hasText: 'Following the session' }).waitFor();
  await remote.getByRole('radio', { name: 'Oppose' }).check();
  await remote.getByLabel('Why do you object?', { exact: false }).fill('Too vague on who reviews.');

  // The rapporteur starts recording a show of hands.
  const { page: rapporteur } = await signedIn(env, 'drafter@example.org');
  await rapporteur.goto(`${env.server.url}/live/${live}`);
  await rapporteur.getByRole('heading', { name: 'Record for the room' }).waitFor();
  await rapporteur.getByRole('status').filter({ hasText: 'Following the session' }).waitFor();
  await rapporteur.locator('#h-group').selectOption('government');
  await rapporteur.locator('#h-support').fill('3');

  // Rosa's stance reaches every screen meanwhile; what the others are filling in stays.
  await rosa.getByRole('radio', { name: 'Support' }).check();
  await rosa.getByLabel('I am in the room').first().check();
  await rosa.getByRole('button', { name: 'Give my stance' }).click();
  await rosa.getByText('Your stance: Support').waitFor();
  await remote.locator('.stance-figure.support strong').filter({ hasText: /^1$/ }).waitFor();
  await rapporteur.locator('.stance-figure.support strong').filter({ hasText: /^1$/ }).waitFor();
  assert.equal(await remote.getByLabel('Why do you object?', { exact: false }).inputValue(), 'Too vague on who reviews.');
  assert.ok(await remote.getByRole('radio', { name: 'Oppose' }).isChecked());
  assert.equal(await rapporteur.locator('#h-support').inputValue(), '3');
  assert.equal(await rapporteur.locator('#h-group').inputValue(), 'government');

  await remote.getByRole('button', { name: 'Give my stance' }).click();
  await remote.getByText('Your stance: Oppose').waitFor();
  // The projector shows the objection's reason as it arrives.
  await projector.getByText('Too vague on who reviews.').waitFor();

  // The rapporteur records the hands and someone without a device.
  await rapporteur.getByRole('button', { name: 'Record the hands' }).click();
  await projector.locator('.stance-figure.support strong').filter({ hasText: /^4$/ }).waitFor();
  // Recorded, the form is empty again: a second click records nothing twice.
  await eventually(async () => (await rapporteur.locator('#h-support').inputValue()) === '', 10000, 'the hands form emptied');
  await rapporteur.getByLabel('Name').fill('Amadou Diallo');
  await rapporteur.locator('#p-group').selectOption('government');
  await rapporteur.getByRole('button', { name: 'Add to the queue' }).click();
  await rosa.getByRole('button', { name: 'Raise my hand' }).click();
  await chair.getByText('Amadou Diallo (Government', { exact: false }).waitFor();
  await chair.getByText('Rosa Room (Civil society', { exact: false }).waitFor();
  await chair.getByRole('button', { name: 'Give the floor' }).first().click();
  await projector.locator('.projector-speaking').waitFor();
  await rapporteur.getByLabel('What was said').fill('The review should include the regions.');
  await rapporteur.getByRole('button', { name: 'Note the comment' }).click();
  await chair.getByRole('button', { name: 'Close the check' }).click();

  // The question, a check on it.
  await chair.getByRole('button', { name: 'Put on every screen' }).first().click();
  await projector.locator('.live-text').filter({ hasText: QUESTION }).waitFor();
  await chair.getByLabel('Countdown').selectOption({ label: '0:15' });
  await chair.getByRole('button', { name: 'Open a check on this item' }).click();
  await remote.getByRole('radio', { name: 'Support' }).check();
  await remote.getByRole('button', { name: 'Give my stance' }).click();
  await remote.getByText('Your stance: Support').waitFor();
  // The time runs out on the room's screen; the facilitator closes the check.
  await projector.getByText('Time is up: the facilitator closes the check').waitFor({ timeout: 30000 });
  await chair.getByRole('button', { name: 'Close the check' }).click();

  // The poll after the session.
  await chair.getByRole('button', { name: 'Open the poll (after)' }).click();
  for (const [p, value] of [[remote, '5'], [rosa, '6']]) {
    await p.getByText('After the session').waitFor();
    if (process.env.ACCORD_SHOTS) await p.screenshot({ path: join(process.env.ACCORD_SHOTS, `after-${value}.png`), fullPage: true });
    await p.getByRole('radio', { name: value, exact: true }).check();
    await p.getByRole('button', { name: 'Send my answers' }).click();
    await p.getByText(`Your answer: ${value}`).waitFor();
  }
  await chair.getByRole('button', { name: 'Close the poll' }).click();
  await chair.getByText('Everyone: 3.5 → 5.5 (answered both times: 2)').waitFor();

  // A point of consensus on the first item.
  await chair.getByLabel('Item', { exact: true }).selectOption({ index: 0 });
  await chair.getByLabel('Reason, citing the checks').fill('Support from two groups; the objection is answered by the review clause.');
  await chair.getByRole('button', { name: 'Mark as a point of consensus' }).click();
  await chair.getByText('Support from two groups; the objection is answered by the review clause.').first().waitFor();
  await eventually(async () => (await chair.getByLabel('Reason, citing the checks').inputValue()) === '', 10000, 'the point form emptied');

  // The session report, as a reader's tools see it.
  const cookies = await chair.context().cookies();
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const r = await fetch(`${env.server.url}/api/v1/live/${live}/report?format=docx`, { headers: { cookie } });
  assert.equal(r.status, 200);
  const file = join(tmpdir(), `session-report-${live}.docx`);
  writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  const blocks = readExport('docx', file);
  const text = blocks.filter((b) => b.text).map((b) => b.text);
  assert.ok(text.includes('Main session: session report'), text.join('\n'));
  const tables = blocks.filter((b) => b.table).map((b) => b.table);
  const split = tables.find((t) => t[0][0] === 'Source');
  assert.deepEqual(split.slice(1), [
    ['online', '1', '0', '1'],
    ['in the room', '1', '0', '0'],
    ['recorded by the rapporteur', '3', '0', '0'],
  ]);
  const attendance = tables.find((t) => t[0][1] === 'People');
  assert.ok(attendance.some((row) => row[0] === 'Civil society' && row[1] === '1'), JSON.stringify(attendance));
  assert.ok(text.some((t) => t.startsWith('Amadou Diallo (Government, recorded by the rapporteur)')), text.join('\n'));
  assert.ok(text.includes('Too vague on who reviews.'));
  assert.ok(text.some((t) => t.startsWith('Item 1: Support from two groups')), text.join('\n'));
  const poll = tables.find((t) => t[0][3] === 'Answered both times');
  assert.deepEqual(poll[1], ['Everyone', '3.5', '5.5', '2']);

  // Screenshots of what each saw, for people to look at.
  const shots = process.env.ACCORD_SHOTS;
  if (shots) {
    await projector.screenshot({ path: join(shots, 'session-projector.png') });
    await chair.screenshot({ path: join(shots, 'session-chair.png'), fullPage: true });
    await rosa.screenshot({ path: join(shots, 'session-phone.png'), fullPage: true });
  }

  // In Arabic, right to left: the projector and Rosa's phone.
  for (const [p, path, where] of [[projector, `/live/${live}/projector`, 'projector'], [rosa, `/live/${live}`, 'phone']]) {
    await p.goto(`${env.server.url}${path}?lang=ar`);
    assert.equal(await p.locator('html').getAttribute('dir'), 'rtl');
    found.push(...(await audit(p, `session ${where} in Arabic`)));
    if (shots) await p.screenshot({ path: join(shots, `session-${where}-ar.png`), fullPage: true });
  }
  if (found.length) assert.fail(`axe-core found serious violations:\n${found.join('\n')}`);
});

// Drafters: live co-editing in two browsers, paragraph structure from the keyboard, a caret that
// follows its words through another drafter's restructuring, and nothing lost across a server
// crash.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually, openEditor, signIn, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);

const paragraph = (page, n) => page.getByRole('textbox', { name: `Paragraph ${n}`, exact: true });

/** Creates a document from Markdown as the page's signed-in drafter; returns its id and paragraph ids. */
async function newDocument(page, markdown) {
  const response = await page.request.post(`${env.server.url}/api/v1/documents`, {
    headers: { 'content-type': 'application/json', origin: env.server.url },
    data: { markdown },
  });
  assert.equal(response.status(), 201);
  const { id } = await response.json();
  const ids = (await env.server.api(`/api/v1/documents/${id}`)).paragraphs.map((p) => p.id);
  return { id, ids };
}

test('two drafters typing into the same paragraph at once converge, and see each other', async () => {
  const id = await env.server.sampleId();
  const ana = await openEditor(env.browser, env.server, id);
  const ben = await openEditor(env.browser, env.server, id, 'chair@example.org');

  const a = paragraph(ana, 4);
  const b = paragraph(ben, 4);
  const original = await a.inputValue();
  // Ana types at the start, Ben at the end, at the same time.
  await a.click();
  await a.press('Control+Home');
  await b.click();
  await b.press('Control+End');
  await Promise.all([
    a.pressSequentially('Ana writes here. ', { delay: 25 }),
    b.pressSequentially(' Ben adds this.', { delay: 25 }),
  ]);
  const expected = `Ana writes here. ${original} Ben adds this.`;
  await eventually(async () => (await a.inputValue()) === expected, 10000, 'Ana to see both');
  await eventually(async () => (await b.inputValue()) === expected, 10000, 'Ben to see both');

  // The caret did not jump: Ana keeps typing where she was.
  await a.pressSequentially('Still here. ');
  await eventually(async () => (await b.inputValue()).startsWith('Ana writes here. Still here. '), 10000, 'Ben to see Ana continue');

  // Who is here: each sees the other by their account's name with what they do in the group,
  // and where they are; nobody can call themselves anything else (there is no name field).
  const benHere = ana.getByRole('list', { name: 'People here now' }).getByRole('listitem').filter({ hasText: 'Amina Chair' });
  await benHere.locator('.role-badge').filter({ hasText: 'chair' }).waitFor();
  const anaHere = ben.getByRole('list', { name: 'People here now' }).getByRole('listitem').filter({ hasText: 'Diego Drafter' });
  await anaHere.locator('.role-badge').filter({ hasText: 'drafter' }).waitFor();
  await ben.getByRole('group', { name: 'Paragraph 4', exact: true }).getByText('Diego Drafter').waitFor();
  assert.equal(await ana.getByLabel('Your name').count(), 0);
  if (process.env.ACCORD_SHOTS) await ben.screenshot({ path: `${process.env.ACCORD_SHOTS}/here-now.png` });

  const stored = await env.server.api(`/api/v1/documents/${id}`);
  assert.equal(stored.paragraphs.find((p) => p.number === '4').text, await a.inputValue());
  await ana.context().close();
  await ben.context().close();
});

test('Enter splits a paragraph, Backspace at its start merges it back, and the tools restructure', async () => {
  const sample = await env.server.sampleId();
  const page = await openEditor(env.browser, env.server, sample);
  // Create a small document as this signed-in drafter, through the page's own session.
  const created = await newDocument(page, '# Keys\n\n1. First half. Second half.\n\n2. Other.\n');
  await page.goto(`${env.server.url}/documents/${created.id}`);
  await paragraph(page, 1).waitFor();
  const first = paragraph(page, 1);
  await first.click();
  await first.press('Control+Home');
  for (let i = 0; i < 'First half.'.length; i++) await first.press('ArrowRight');
  await first.press('Enter');
  await eventually(async () => (await paragraph(page, 2).inputValue()) === ' Second half.', 5000, 'the split');
  assert.equal(await paragraph(page, 1).inputValue(), 'First half.');
  assert.equal(await paragraph(page, 3).inputValue(), 'Other.');

  // The caret is at the start of the new paragraph: Backspace merges it back.
  await page.keyboard.press('Backspace');
  await eventually(async () => (await paragraph(page, 1).inputValue()) === 'First half. Second half.', 5000, 'the merge');
  assert.equal(await paragraph(page, 2).inputValue(), 'Other.');

  // Make paragraph 2 a heading, then move it up.
  const region = page.getByRole('group', { name: 'Paragraph 2', exact: true });
  await paragraph(page, 2).click();
  await region.getByRole('combobox', { name: 'Kind of paragraph' }).selectOption('heading');
  const heading = page.getByRole('textbox', { name: 'Heading 1', exact: true });
  await heading.waitFor();
  await heading.click();
  await page.getByRole('group', { name: 'Heading 1', exact: true }).getByRole('button', { name: 'Move up' }).click();
  await eventually(async () => {
    const doc = await env.server.api(`/api/v1/documents/${created.id}`);
    return doc.paragraphs.map((p) => `${p.kind}:${p.text}`).join('|') === 'heading:Other.|numbered:First half. Second half.';
  }, 5000, 'the server to have the new structure');

  // Delete the heading.
  await heading.click();
  await page.getByRole('group', { name: 'Heading 1', exact: true }).getByRole('button', { name: 'Delete paragraph' }).click();
  await eventually(async () => (await env.server.api(`/api/v1/documents/${created.id}`)).paragraphs.length === 1, 5000, 'the deletion');
  await page.context().close();
});

test('a server crash loses nothing acknowledged, and edits typed while it is down merge in', async () => {
  const id = await env.server.sampleId();
  const page = await openEditor(env.browser, env.server, id);
  const p = paragraph(page, 1);
  await p.click();
  await p.press('Control+End');
  await p.pressSequentially(' Before the crash.');
  await eventually(async () => {
    const doc = await env.server.api(`/api/v1/documents/${id}`);
    return doc.paragraphs.find((x) => x.number === '1').text.endsWith(' Before the crash.');
  }, 5000, 'the server to store the edit');

  await env.server.kill();
  await page.getByRole('status').filter({ hasText: /Offline/ }).waitFor();
  await p.pressSequentially(' Typed offline.');

  await env.server.start();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 20000 });
  await eventually(async () => {
    const doc = await env.server.api(`/api/v1/documents/${id}`);
    return doc.paragraphs.find((x) => x.number === '1').text.endsWith(' Before the crash. Typed offline.');
  }, 15000, 'the offline edit to reach the restarted server');

  // A fresh reader sees both.
  const reader = await env.browser.newContext({ javaScriptEnabled: false });
  const r = await reader.newPage();
  await r.goto(`${env.server.url}/documents/${id}`);
  assert.match(await r.getByRole('group', { name: 'Paragraph 1', exact: true }).innerText(), /Before the crash\. Typed offline\./);
  await reader.close();
  await page.context().close();
});

test('a new document imported from Markdown opens numbered and editable', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await signIn(page, env.server, 'drafter@example.org');
  await page.goto(env.server.url);
  await page.getByRole('link', { name: 'New document' }).first().click();
  await page.getByLabel('Title').fill('Charter of the coalition');
  await page.getByLabel('Markdown to import (optional)').fill('## Purpose\n\n1. We meet.\n\n   (a) Online.\n\n2. We write.');
  await page.getByRole('button', { name: 'Create document' }).click();
  await page.getByRole('textbox', { name: 'Paragraph 1(a)', exact: true }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Paragraph 2', exact: true }).inputValue(), 'We write.');
  assert.equal(await page.getByRole('textbox', { name: 'Title' }).inputValue(), 'Charter of the coalition');
  await context.close();
});

test('your caret follows your words when another drafter splits, moves, re-kinds or merges your paragraph', async () => {
  const sample = await env.server.sampleId();
  const ana = await openEditor(env.browser, env.server, sample);
  const created = await newDocument(ana, '# Carets\n\n1. Alpha beta gamma.\n\n2. Second.\n\n3. Third.\n');
  const { ids } = created;
  const [first, second] = ids;
  await ana.goto(`${env.server.url}/documents/${created.id}`);
  await ana.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  const ben = await openEditor(env.browser, env.server, created.id, 'chair@example.org');
  const box = (page, id) => page.locator(`#ta-${id}`);
  const texts = async (page) => page.locator('textarea[id^="ta-"]').evaluateAll((all) => all.map((t) => t.value));

  // Ana's caret is after "Alpha beta"; Ben splits the paragraph after "Alpha ".
  await box(ana, first).click();
  await box(ana, first).press('Control+Home');
  for (let i = 0; i < 'Alpha beta'.length; i++) await box(ana, first).press('ArrowRight');
  await box(ben, first).click();
  await box(ben, first).press('Control+Home');
  for (let i = 0; i < 'Alpha '.length; i++) await box(ben, first).press('ArrowRight');
  await box(ben, first).press('Enter');
  await eventually(async () => (await texts(ana)).includes('beta gamma.'), 5000, 'Ana to see the split');
  // Her next keystrokes land after "beta", in the new paragraph.
  await ana.keyboard.type('X');
  await eventually(async () => (await texts(ana)).includes('betaX gamma.'), 5000, 'X after beta');
  const moved = await eventually(async () => (await env.server.api(`/api/v1/documents/${created.id}`)).paragraphs.find((p) => p.text.startsWith('beta'))?.id, 5000, 'the split stored');

  // Ben moves Ana's paragraph down: she keeps her place and her keystrokes.
  await box(ben, moved).click();
  await ben.getByRole('group').filter({ has: box(ben, moved) }).getByRole('button', { name: 'Move down' }).click();
  await eventually(async () => (await texts(ana)).indexOf('betaX gamma.') > (await texts(ana)).indexOf('Second.'), 5000, 'Ana to see the move');
  await ana.keyboard.type('Y');
  await eventually(async () => (await texts(ana)).includes('betaXY gamma.'), 5000, 'Y after X');

  // Ben makes it a heading: same.
  await box(ben, moved).click();
  await ben.getByRole('group').filter({ has: box(ben, moved) }).getByRole('combobox', { name: 'Kind of paragraph' }).selectOption('heading');
  await eventually(async () => /^Heading \d+$/.test(await box(ana, moved).getAttribute('aria-label')), 5000, 'Ana to see the heading');
  await ana.keyboard.type('Z');
  await eventually(async () => (await texts(ana)).includes('betaXYZ gamma.'), 5000, 'Z after Y');

  // Ben merges it into the paragraph before it ("Second."), once he has her words: they, and
  // her caret, go there.
  await eventually(async () => (await texts(ben)).includes('betaXYZ gamma.'), 5000, 'Ben to see Z');
  await box(ben, moved).click();
  await box(ben, moved).press('Control+Home');
  await box(ben, moved).press('Backspace');
  await eventually(async () => (await texts(ana)).includes('Second.betaXYZ gamma.'), 5000, 'Ana to see the merge');
  await ana.keyboard.type('W');
  await eventually(async () => (await texts(ana)).includes('Second.betaXYZW gamma.'), 5000, 'W after Z');

  // Her own kind change from the toolbar keeps her caret too.
  await ana.getByRole('group').filter({ has: box(ana, second) }).getByRole('combobox', { name: 'Kind of paragraph' }).selectOption('plain');
  await ana.keyboard.type('V');
  await eventually(async () => (await texts(ana)).includes('Second.betaXYZWV gamma.'), 5000, 'V after W');
  await eventually(async () => {
    const stored = await env.server.api(`/api/v1/documents/${created.id}`);
    return stored.paragraphs.some((p) => p.text === 'Second.betaXYZWV gamma.');
  }, 5000, 'the server to agree');
  await ana.context().close();
  await ben.context().close();
});

test('undo and redo take back my own edits, structure included, and never what another drafter typed', async () => {
  const sample = await env.server.sampleId();
  const ana = await openEditor(env.browser, env.server, sample);
  const created = await newDocument(ana, '# Undo\n\n1. One two.\n\n2. Second.\n\n3. Third.\n');
  const [first, second, third] = created.ids;
  await ana.goto(`${env.server.url}/documents/${created.id}`);
  await ana.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  const ben = await openEditor(env.browser, env.server, created.id, 'chair@example.org');
  const box = (page, id) => page.locator(`#ta-${id}`);
  const texts = async (page) => page.locator('textarea[id^="ta-"]').evaluateAll((all) => all.map((t) => t.value));
  const stored = async () => (await env.server.api(`/api/v1/documents/${created.id}`)).paragraphs.map((p) => `${p.kind}:${p.text}`).join('|');

  // Ana splits "One two." after "One"; Ben types into the second half.
  await box(ana, first).click();
  await box(ana, first).press('Control+Home');
  for (let i = 0; i < 'One'.length; i++) await box(ana, first).press('ArrowRight');
  await box(ana, first).press('Enter');
  await eventually(async () => (await texts(ben)).includes(' two.'), 5000, 'Ben to see the split');
  const half = await eventually(async () => (await env.server.api(`/api/v1/documents/${created.id}`)).paragraphs.find((p) => p.text === ' two.')?.id, 5000, 'the split stored');
  await box(ben, half).click();
  await box(ben, half).press('End');
  await box(ben, half).pressSequentially(' Ben', { delay: 20 });
  await eventually(async () => (await texts(ana)).includes(' two. Ben'), 5000, 'Ana to see Ben');

  // Ctrl+Z undoes Ana's split, keeping Ben's words: one paragraph again.
  await box(ana, half).click();
  await ana.keyboard.press('Control+z');
  await eventually(async () => (await stored()) === 'numbered:One two. Ben|numbered:Second.|numbered:Third.', 5000, 'the split undone');
  await ana.getByRole('status').filter({ hasText: 'Undone.' }).waitFor();
  // Ctrl+Shift+Z splits it again, into the same paragraph (its id, and what hangs on it, kept).
  await ana.keyboard.press('Control+Shift+z');
  await eventually(async () => (await stored()) === 'numbered:One|numbered: two. Ben|numbered:Second.|numbered:Third.', 5000, 'the split redone');
  assert.ok((await env.server.api(`/api/v1/documents/${created.id}`)).paragraphs.some((p) => p.id === half));

  // Ana types a word at the end of "Second."; Ben types at its start; her undo takes only hers.
  await box(ana, second).click();
  await box(ana, second).press('End');
  await box(ana, second).pressSequentially(' Mine', { delay: 20 });
  await box(ben, second).click();
  await box(ben, second).press('Control+Home');
  await box(ben, second).pressSequentially('His ', { delay: 20 });
  await eventually(async () => (await texts(ana)).includes('His Second. Mine'), 5000, 'both words');
  await box(ana, second).click();
  await ana.keyboard.press('Control+z');
  await eventually(async () => (await texts(ana)).includes('His Second.'), 5000, 'only Ana’s word undone');

  // Kind, move and delete, from the toolbar, undo from the Undo button.
  const undoButton = ana.getByRole('toolbar', { name: 'Undo and redo' }).getByRole('button', { name: 'Undo' });
  await box(ana, third).click();
  await ana.getByRole('group').filter({ has: box(ana, third) }).getByRole('combobox', { name: 'Kind of paragraph' }).selectOption('plain');
  await eventually(async () => (await stored()).endsWith('plain:Third.'), 5000, 'the kind');
  await undoButton.click();
  await eventually(async () => (await stored()).endsWith('numbered:Third.'), 5000, 'the kind undone');
  await box(ana, third).click();
  await ana.getByRole('group').filter({ has: box(ana, third) }).getByRole('button', { name: 'Move up' }).click();
  await eventually(async () => (await stored()).endsWith('numbered:Third.|numbered:His Second.'), 5000, 'the move');
  await undoButton.click();
  await eventually(async () => (await stored()).endsWith('numbered:His Second.|numbered:Third.'), 5000, 'the move undone');
  await box(ana, third).click();
  await ana.getByRole('group').filter({ has: box(ana, third) }).getByRole('button', { name: 'Delete paragraph' }).click();
  // Deleting is said, with the way back.
  await ana.getByRole('status').filter({ hasText: 'deleted. Undo brings it back.' }).waitFor();
  await eventually(async () => !(await stored()).includes('Third.'), 5000, 'the deletion');
  if (process.env.ACCORD_SHOTS) await ana.screenshot({ path: `${process.env.ACCORD_SHOTS}/undo.png` });
  await undoButton.click();
  await eventually(async () => (await stored()).endsWith('numbered:Third.'), 5000, 'the deletion undone');
  assert.equal(await ana.getByRole('toolbar', { name: 'Undo and redo' }).getByRole('button', { name: 'Redo' }).isEnabled(), true);
  await ana.context().close();
  await ben.context().close();
});

test('each drafter sees the others’ carets and selections in their own colour, the same after reconnecting', async () => {
  const id = await env.server.sampleId();
  const ana = await openEditor(env.browser, env.server, id);
  const ben = await openEditor(env.browser, env.server, id, 'chair@example.org');
  const a = paragraph(ana, 2);
  const b = paragraph(ben, 2);
  // Ben selects the first word of paragraph 2.
  await b.click();
  await b.press('Control+Home');
  await b.press('Shift+Control+ArrowRight');
  const word = await b.evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  assert.ok(word.trim().length > 0);
  const region = ana.getByRole('group', { name: 'Paragraph 2', exact: true });
  const caret = region.locator('.peer-caret[data-name="Amina Chair"]');
  await caret.waitFor({ state: 'attached' });
  assert.equal((await region.locator('.peer-sel').textContent()).trim(), word.trim());
  // The overlay is hidden from screen readers (the chip and Here now say who is where).
  assert.equal(await region.locator('.carets').getAttribute('aria-hidden'), 'true');
  const hue = await caret.evaluate((e) => e.style.getPropertyValue('--hue'));
  if (process.env.ACCORD_SHOTS) await ana.screenshot({ path: `${process.env.ACCORD_SHOTS}/carets.png` });

  // Ben's colour is his: after he reloads (a new connection), it is the same.
  await ben.reload();
  const again = paragraph(ben, 2);
  await again.click();
  await again.press('End');
  await eventually(async () => (await region.locator('.peer-caret[data-name="Amina Chair"]').count()) === 1, 5000, 'Ben back');
  assert.equal(await region.locator('.peer-caret[data-name="Amina Chair"]').evaluate((e) => e.style.getPropertyValue('--hue')), hue);
  await ana.context().close();
  await ben.context().close();
});

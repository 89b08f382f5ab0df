// User mistakes on the page forms, with JavaScript and without: each is refused with a 4xx and
// its reason beside the form that caused it, never a 500, and the form comes back holding what
// was typed (without JavaScript, only for the one who typed it); and what a page offers is what the
// person may do (no New document for one who drafts in no group, no Co-sponsor for one who
// co-sponsors already or proposed the amendment, whose card offers to withdraw it instead).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { call, DEMO_PASSWORD, signedIn as signedInOnce, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);
const signedIn = (login, options) => signedInOnce(env, login, options);

/** Notes in `failures` every answer of 500 or more `page` receives, to assert there is none. */
function watch(page, failures = []) {
  page.on('response', (r) => {
    if (r.status() >= 500) failures.push(`${r.status()} ${r.url()}`);
  });
  return failures;
}

async function paragraph(id, n) {
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  return doc.paragraphs.find((p) => p.number === String(n)).id;
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  test(`an objection without a reason is refused beside the form, ${mode}`, async () => {
    const id = await env.server.sampleId();
    const { context, page } = await signedIn('participant@example.org', { javaScriptEnabled });
    const failures = watch(page);
    await page.goto(`${env.server.url}/documents/${id}?p=${await paragraph(id, 5)}`);
    await page.getByRole('heading', { name: 'Feedback on paragraph 5' }).waitFor();
    await page.getByRole('radio', { name: 'Oppose' }).check();
    await page.getByRole('button', { name: /my stance$/ }).click();
    await page.locator('.stance-form').getByRole('alert').filter({ hasText: 'an objection needs a reason' }).waitFor();
    assert.deepEqual(failures, []);
    await context.close();
  });

  test(`a refused amendment comes back with what was typed, ${mode}`, async () => {
    const id = await env.server.sampleId();
    const { context, page } = await signedIn('drafter@example.org', { javaScriptEnabled });
    const failures = watch(page);
    await page.goto(`${env.server.url}/documents/${id}?p=${await paragraph(id, 4)}`);
    await page.getByText('Propose an amendment').click();
    const rationale = `Nothing changed yet, but this reasoning took a while (${mode}).`;
    await page.getByLabel('Rationale').fill(rationale);
    await page.getByRole('button', { name: 'Propose amendment' }).click();
    await page.locator('#amend-error').filter({ hasText: 'the amendment changes nothing' }).waitFor();
    assert.equal(await page.getByLabel('Rationale').inputValue(), rationale);
    assert.ok(await page.getByLabel('Rationale').isVisible(), 'the form is open beside its error');
    if (!javaScriptEnabled) {
      // The kept words are the poster's only: the same address without that session sees none.
      const stranger = await env.browser.newContext({ javaScriptEnabled });
      const other = await stranger.newPage();
      await other.goto(page.url());
      const why = other.locator('#amend-why');
      assert.ok((await why.count()) === 0 || (await why.inputValue()) === '', 'nothing kept for a stranger');
      await stranger.close();
    }
    assert.deepEqual(failures, []);
    await context.close();
  });

  test(`a person who drafts in no group is told so before filling in a form, ${mode}`, async () => {
    const { context, page } = await signedIn('participant@example.org', { javaScriptEnabled });
    const failures = watch(page);
    await page.goto(env.server.url);
    await page.getByRole('heading', { name: 'Documents' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'New document' }).count(), 0);
    await page.goto(`${env.server.url}/new`);
    await page.getByText('you draft in no group yet').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create document' }).count(), 0);
    if (javaScriptEnabled) {
      // The form's endpoint, posted to anyway, refuses with a 4xx that says why.
      const answer = await page.evaluate(async () => {
        const r = await fetch('/_fn/create_document', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ title: 'Mine', markdown: '', group: '' }),
        });
        return { status: r.status, text: await r.text() };
      });
      assert.ok(answer.status >= 400 && answer.status < 500, JSON.stringify(answer));
      assert.match(answer.text, /group/);
    }
    assert.deepEqual(failures, []);
    await context.close();
  });

  test(`co-sponsoring an amendment twice is refused beside it, ${mode}`, async () => {
    const id = await env.server.sampleId();
    const drafter = (await call(env.server, '/api/v1/auth/login', 'POST', { login: 'drafter@example.org', password: DEMO_PASSWORD })).cookie;
    const doc = await env.server.api(`/api/v1/documents/${id}`);
    const p6 = doc.paragraphs.find((p) => p.number === '6').id;
    const made = await call(env.server, `/api/v1/documents/${id}/amendments`, 'POST', {
      base: doc.heads,
      edits: [{ kind: 'replace', paragraph: p6, text: `Drafts are developed in the open (${mode}).` }],
      rationale: `Shorter (${mode}).`,
    }, drafter);
    const { context, page } = await signedIn('participant@example.org', { javaScriptEnabled });
    const failures = watch(page);
    const second = await context.newPage();
    watch(second, failures);
    for (const p of [page, second]) {
      await p.goto(`${env.server.url}/documents/${id}/amendments`);
    }
    const card = (p) => p.getByRole('article', { name: `Amendment ${made.json.id} by Diego Drafter` });
    await card(page).getByRole('button', { name: 'Co-sponsor' }).click();
    await card(page).getByText('Co-sponsored by Priya Participant').waitFor();
    // Once co-sponsored, the card says so and offers it no more.
    await card(page).getByText('You co-sponsor this.').waitFor();
    assert.equal(await card(page).getByRole('button', { name: 'Co-sponsor' }).count(), 0);
    // A page opened before that still offers it, and is told.
    await card(second).getByRole('button', { name: 'Co-sponsor' }).click();
    await second.getByRole('alert').filter({ hasText: 'you co-sponsor amendment' }).waitFor();
    assert.deepEqual(failures, []);
    await context.close();

    // The proposer is offered no co-sponsoring, and withdraws the amendment from the page.
    const proposer = await signedIn('drafter@example.org', { javaScriptEnabled });
    watch(proposer.page, failures);
    await proposer.page.goto(`${env.server.url}/documents/${id}/amendments`);
    const own = card(proposer.page);
    await own.getByText('You proposed this.').waitFor();
    assert.equal(await own.getByRole('button', { name: 'Co-sponsor' }).count(), 0);
    await own.getByText('Withdraw…').click();
    await own.getByRole('button', { name: `Withdraw amendment ${made.json.id}` }).click();
    await card(proposer.page).locator('.badge').filter({ hasText: 'Withdrawn' }).waitFor();
    const listed = await env.server.api(`/api/v1/documents/${id}/amendments`);
    assert.equal(listed.find((a) => a.id === made.json.id).status, 'withdrawn');
    assert.deepEqual(failures, []);
    await proposer.context.close();
  });
}

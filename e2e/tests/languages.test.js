// Languages: the page in the reader's language from the browser's settings, a `?lang=` link or
// the menu in the top bar; the choice kept across pages and sign-in; Arabic right to left.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { DEMO_PASSWORD, eventually, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);
const catalogue = (lang, ns) => JSON.parse(readFileSync(new URL(`../../app/i18n/locales/${lang}/${ns}.json`, import.meta.url)));
const words = (lang) => catalogue(lang, 'common');
const NAMESPACES = readdirSync(new URL('../../app/i18n/locales/en/', import.meta.url)).map((f) => f.replace(/\.json$/, ''));

test('a French browser gets the pages in French, with and without JavaScript', async () => {
  const fr = words('fr');
  for (const javaScriptEnabled of [false, true]) {
    const context = await env.browser.newContext({ locale: 'fr-FR', javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(env.server.url);
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.equal(await page.locator('html').getAttribute('dir'), 'ltr');
    await page.getByRole('heading', { level: 1, name: fr.hero_title }).waitFor();
    await page.getByRole('navigation', { name: fr.nav_main }).getByRole('link', { name: fr.sign_in }).waitFor();
    await page.getByRole('searchbox', { name: fr.search_label }).waitFor();
    await context.close();
  }
});

test('Arabic from a ?lang= link is right to left, mirrored, and kept for the next pages', async () => {
  const ar = words('ar');
  for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 740 }]) {
    const context = await env.browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${env.server.url}/?lang=ar`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    await page.getByRole('heading', { level: 1, name: ar.hero_title }).waitFor();
    // Mirrored: the name of the site stands at the right, the menu at the left.
    const brand = await page.locator('.brand').boundingBox();
    const nav = await page.getByRole('navigation', { name: ar.nav_main }).boundingBox();
    if (viewport.width > 600) assert.ok(brand.x > nav.x, 'the brand is to the right of the menu');
    else assert.ok(brand.x + brand.width > viewport.width / 2, 'the brand starts at the right');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
    if (process.env.ACCORD_SHOTS) await page.screenshot({ path: `${process.env.ACCORD_SHOTS}/home-ar-${viewport.width}.png`, fullPage: true });
    // The next page, without the link, is still in Arabic (the cookie keeps it).
    await page.goto(`${env.server.url}/search?q=forum`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
    await context.close();
  }
});

test('the language menu works without JavaScript, and the choice survives signing in', async () => {
  const zh = words('zh');
  const en = words('en');
  for (const javaScriptEnabled of [false, true]) {
    const context = await env.browser.newContext({ locale: 'en-GB', javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(env.server.url);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.locator('.languages summary').click();
    const chinese = page.locator('.languages').getByRole('link', { name: zh.language_name });
    assert.equal(await chinese.getAttribute('lang'), 'zh');
    await chinese.click();
    await page.waitForURL(/lang=zh/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh');
    await page.getByRole('heading', { level: 1, name: zh.hero_title }).waitFor();
    if (javaScriptEnabled) {
      const account = catalogue('zh', 'account');
      await page.goto(`${env.server.url}/login`);
      await page.getByLabel(account.login_email_label).fill('participant@example.org');
      await page.getByLabel(account.login_password_label).fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: account.login_submit }).click();
      await page.getByRole('button', { name: zh.sign_out }).waitFor();
      await page.goto(env.server.url);
      assert.equal(await page.locator('html').getAttribute('lang'), 'zh');
      await page.getByRole('button', { name: zh.sign_out }).waitFor();
      // And back to English from the same menu.
      await page.locator('.languages summary').click();
      await page.locator('.languages').getByRole('link', { name: en.language_name }).click();
      await page.waitForURL(/lang=en/);
      await page.getByRole('heading', { level: 1, name: en.hero_title }).waitFor();
    }
    await context.close();
  }
});

/**
 * The English phrases of the whole catalogue (two words or more, placeholders as wildcards)
 * that `lang` says otherwise and the demo's own texts (`userText`) do not contain: none of them
 * may show on a page in `lang`.
 */
function englishLeft(lang, userText) {
  const phrases = [];
  for (const ns of NAMESPACES) {
    const en = catalogue('en', ns);
    const theirs = catalogue(lang, ns);
    for (const [key, value] of Object.entries(en)) {
      // Words of its own, placeholders aside: two at least, or a match would say little.
      const own = value.replace(/\{\{[^}]*\}\}/g, ' ').split(/\s+/).filter((w) => /\p{L}{2}/u.test(w));
      if (own.length < 2 || theirs[key] === value) continue;
      const pattern = value
        .split(/\{\{[^}]*\}\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.{0,80}?');
      const found = new RegExp(pattern);
      // A phrase people wrote too (a group called "Best Practice Forum …") proves nothing.
      if (found.test(userText)) continue;
      phrases.push({ key: `${ns}.${key}`, pattern: found });
    }
  }
  return phrases;
}

/** The page's own words: its text without what people wrote (isolated with dir=auto or bdi). */
async function interfaceText(page) {
  return page.evaluate(() => {
    const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('[dir="auto"], bdi, script, style, noscript, .excerpt, .doc-group, svg text.excerpt')) continue;
      if (el.closest('[hidden]')) continue;
      out.push(n.textContent);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      if (el.closest('[dir="auto"]')) continue;
      for (const a of ['aria-label', 'title', 'placeholder']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
    return out.join('\n');
  });
}

test('every page speaks the reader\'s language: no phrase of the English catalogue is left', async () => {
  const id = await env.server.sampleId();
  const doc = await env.server.api(`/api/v1/documents/${id}`);
  const pages = ['/', `/documents/${id}`, `/documents/${id}/consensus`, `/documents/${id}/amendments`,
    `/documents/${id}/versions`, `/documents/${id}/versions?p=${doc.paragraphs[2].id}`,
    `/documents/${id}/versions?from=draft-00&to=current`, '/search?q=forum', '/notifications', '/profile', '/new'];
  const problems = [];
  const groups = await env.server.api('/api/v1/groups');
  const userText = [doc.title, doc.group, ...doc.paragraphs.map((p) => p.text), ...groups.map((g) => g.name)].join('\n');
  for (const lang of ['fr', 'ar', 'zh', 'ru', 'es']) {
    const phrases = englishLeft(lang, userText);
    const chair = await env.browser.newContext({ locale: lang, viewport: { width: 1280, height: 900 } });
    const page = await chair.newPage();
    const account = catalogue(lang, 'account');
    await page.goto(`${env.server.url}/login`);
    await page.getByLabel(account.login_email_label).fill('chair@example.org');
    await page.getByLabel(account.login_password_label).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: account.login_submit }).click();
    await page.getByRole('button', { name: words(lang).sign_out }).waitFor();
    const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.json()));
    for (const path of [...pages, `/groups/${me.memberships[0].group}`]) {
      const r = await page.goto(`${env.server.url}${path}`);
      assert.ok(r.status() < 500, `${path}: ${r.status()}`);
      await page.waitForLoadState('networkidle');
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      const text = await interfaceText(page);
      const left = phrases.filter((p) => p.pattern.test(text)).map((p) => p.key);
      if (left.length) problems.push(`${lang} ${path} still says in English: ${left.join(', ')}`);
      if (process.env.ACCORD_SHOTS && ['ar', 'zh'].includes(lang)) {
        const name = path.replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '') || 'home';
        await page.screenshot({ path: `${process.env.ACCORD_SHOTS}/${lang}-${name}.png`, fullPage: true });
      }
    }
    await chair.close();
    // Signed out: the sign-in and registration pages.
    const visitor = await env.browser.newContext({ locale: lang });
    const signedOut = await visitor.newPage();
    for (const path of ['/login', '/register']) {
      await signedOut.goto(`${env.server.url}${path}`);
      const text = await interfaceText(signedOut);
      const left = phrases.filter((p) => p.pattern.test(text)).map((p) => p.key);
      if (left.length) problems.push(`${lang} ${path} still says in English: ${left.join(', ')}`);
    }
    await visitor.close();
  }
  assert.deepEqual(problems, []);
});

test('a language chosen in the profile is kept, and a chair marks the text Arabic', async () => {
  const es = catalogue('es', 'account');
  const context = await env.browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(`${env.server.url}/login`);
  await page.getByLabel('Login (email)').fill('drafter@example.org');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.goto(`${env.server.url}/profile`);
  await page.getByLabel('Language').selectOption('es');
  await page.getByRole('button', { name: 'Save' }).click();
  // The page turns Spanish at once, and stays so.
  await page.getByRole('button', { name: es.profile_save }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  await page.reload();
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  assert.equal(await page.getByLabel(words('es').language).inputValue(), 'es');
  await context.close();

  // Signing in on another browser brings Spanish along.
  const other = await env.browser.newContext({ locale: 'en-GB' });
  const again = await other.newPage();
  await again.goto(`${env.server.url}/login`);
  await again.getByLabel('Login (email)').fill('drafter@example.org');
  await again.getByLabel('Password').fill(DEMO_PASSWORD);
  await again.getByRole('button', { name: 'Sign in' }).click();
  await again.getByRole('button', { name: words('es').sign_out }).waitFor();
  assert.equal(await again.locator('html').getAttribute('lang'), 'es');
  await other.close();

  // A chair says the text is Arabic, without JavaScript; its HTML export opens right to left.
  const id = await env.server.sampleId();
  const versions = catalogue('en', 'versions');
  const chair = await env.browser.newContext({ javaScriptEnabled: false });
  const page2 = await chair.newPage();
  await page2.goto(`${env.server.url}/login`);
  await page2.getByLabel('Login (email)').fill('chair@example.org');
  await page2.getByLabel('Password').fill(DEMO_PASSWORD);
  await page2.getByRole('button', { name: 'Sign in' }).click();
  await page2.getByRole('button', { name: 'Sign out' }).waitFor();
  await page2.goto(`${env.server.url}/documents/${id}/versions`);
  await page2.getByText(versions.language_title).click();
  await page2.getByLabel(versions.language_label).selectOption('ar');
  await page2.getByRole('button', { name: versions.language_submit }).click();
  await page2.waitForURL(/\/versions/);
  assert.equal(await page2.getByLabel(versions.language_label).inputValue(), 'ar');
  const cookies = await chair.cookies();
  const r = await fetch(`${env.server.url}/api/v1/documents/${id}/export?format=html`, {
    headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') },
  });
  assert.equal(r.status, 200);
  assert.match(await r.text(), /<html lang="ar" dir="rtl">/);
  // The text on its page says its language too (a screen reader reads it in Arabic), while the
  // page around it stays in the reader's.
  await page2.goto(`${env.server.url}/documents/${id}`);
  assert.equal(await page2.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page2.locator('#doc-title').getAttribute('lang'), 'ar');
  assert.equal(await page2.locator('.para-text').first().getAttribute('lang'), 'ar');
  await chair.close();
});

test('an Arabic drafter writes Arabic with English in it: right to left, kept exactly, on a phone too', async () => {
  const ar = catalogue('ar', 'document');
  const account = catalogue('ar', 'account');
  for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 740 }]) {
    const context = await env.browser.newContext({ locale: 'ar', viewport });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    await page.goto(`${env.server.url}/login`);
    // The chair drafts too (the drafter chose Spanish in the test before).
    await page.getByLabel(account.login_email_label).fill('chair@example.org');
    await page.getByLabel(account.login_password_label).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: account.login_submit }).click();
    await page.getByRole('button', { name: words('ar').sign_out }).waitFor();
    const response = await page.request.post(`${env.server.url}/api/v1/documents`, {
      headers: { 'content-type': 'application/json', origin: env.server.url },
      data: { markdown: '# توصيات المنتدى\n\n1. تُعقد المشاورات في Geneva كل عام.\n\n2. Meetings are held online too.\n' },
    });
    assert.equal(response.status(), 201);
    const { id } = await response.json();
    await page.goto(`${env.server.url}/documents/${id}`);
    await page.getByRole('status').filter({ hasText: ar.status_live }).waitFor();
    const label = (n) => ar.label_paragraph.replace('{{ number }}', String(n));
    const first = page.getByRole('textbox', { name: label(1), exact: true });
    const second = page.getByRole('textbox', { name: label(2), exact: true });
    const direction = (l) => l.evaluate((el) => getComputedStyle(el).direction);
    assert.equal(await direction(first), 'rtl', 'an Arabic paragraph reads right to left');
    assert.equal(await direction(second), 'ltr', 'an English one left to right, in the Arabic page');
    await first.click();
    await first.press('Control+End');
    await first.pressSequentially(' ومشاركة عن بُعد عبر Zoom.', { delay: 20 });
    const typed = 'تُعقد المشاورات في Geneva كل عام. ومشاركة عن بُعد عبر Zoom.';
    await eventually(async () => {
      const doc = await env.server.api(`/api/v1/documents/${id}`);
      return doc.paragraphs.find((p) => p.number === '1').text === typed;
    }, 10000, 'the Arabic words stored exactly');
    if (process.env.ACCORD_SHOTS) await page.screenshot({ path: `${process.env.ACCORD_SHOTS}/editor-ar-${viewport.width}.png`, fullPage: true });
    await page.reload();
    await page.getByRole('status').filter({ hasText: ar.status_live }).waitFor();
    assert.equal(await page.getByRole('textbox', { name: label(1), exact: true }).inputValue(), typed);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
    await context.close();
  }
});

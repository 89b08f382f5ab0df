// Languages: the page in the reader's language from the browser's settings, a `?lang=` link or
// the menu in the top bar; the choice kept across pages and sign-in; Arabic right to left.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { DEMO_PASSWORD, useServerAndBrowser } from './harness.js';

const env = useServerAndBrowser(before, after);
const words = (lang) => JSON.parse(readFileSync(new URL(`../../app/i18n/locales/${lang}/common.json`, import.meta.url)));

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
      // The sign-in page is not in the catalogue yet: signing in goes by its English labels.
      await page.goto(`${env.server.url}/login`);
      await page.getByLabel('Login (email)').fill('participant@example.org');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
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

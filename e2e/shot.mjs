import { chromium } from 'playwright-core';
const args = ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args });
const base = 'http://127.0.0.1:3999';
async function signIn(page) {
  await page.goto(`${base}/login`);
  await page.fill('input[name=login]', 'participant@example.org');
  await page.fill('input[type=password]', 'accord-demo-password');
  await page.click('button[type=submit]');
  await page.waitForLoadState('networkidle');
}
const other = await browser.newContext();
await signIn(await other.newPage());
for (const [name, viewport] of [['desktop', { width: 1280, height: 1100 }], ['phone', { width: 360, height: 1400 }]]) {
  const ctx = await browser.newContext({ viewport });
  const page = await ctx.newPage();
  await signIn(page);
  await page.goto(`${base}/profile`);
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `/tmp/profile-${name}.png`, fullPage: true });
  await ctx.close();
}
await browser.close();

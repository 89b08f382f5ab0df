// Loads document pages in Chromium as a reader would and reports, as JSON on stdout, how long
// until the text is shown, until the editor is live, and how long the main thread was blocked.
// Used by `accord-bench feedback`: node e2e/bench/page-load.mjs URL [URL ...]
import { chromium } from 'playwright-core';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const results = [];
for (const url of process.argv.slice(2)) {
  const runs = [];
  for (let i = 0; i < 4; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    const t0 = Date.now();
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const shown = Date.now() - t0;
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 60000 });
    const live = Date.now() - t0;
    await page.waitForTimeout(300);
    const tasks = await page.evaluate(() => window.__longTasks);
    runs.push({
      shown,
      live,
      longest: Math.max(0, ...tasks),
      // Total blocking time: what each long task took beyond 50 ms.
      blocking: tasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
    });
    await context.close();
  }
  // The first run warms caches; report the median of the others.
  const median = (k) => runs.slice(1).map((r) => r[k]).sort((a, b) => a - b)[1];
  results.push({ url, shown: median('shown'), live: median('live'), longest: median('longest'), blocking: median('blocking') });
}
await browser.close();
console.log(JSON.stringify(results));

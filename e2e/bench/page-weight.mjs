// What the document page costs a reader (not signed in) and a drafter, on a slow phone link
// (400 ms latency, 400 kbit/s each way, CPU slowed 4x, a 360x740 screen) and unthrottled:
// bytes transferred by kind, first paint, text readable, live, editor editable; then what a
// repeat visit transfers. Prints JSON on stdout. Used by `accord-bench weight`:
// node e2e/bench/page-weight.mjs BASE_URL DOC_ID DRAFTER_LOGIN PASSWORD
import { chromium } from 'playwright-core';

const [base, doc, login, password] = process.argv.slice(2);
const PROFILES = {
  slow: { latency: 400, kbit: 400, cpu: 4, viewport: { width: 360, height: 740 } },
  fast: { latency: 0, kbit: 0, cpu: 1, viewport: { width: 1280, height: 900 } },
};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

function kindOf(url, type) {
  if (url.endsWith('.wasm')) return 'wasm';
  if (type === 'Document') return 'html';
  if (type === 'Stylesheet') return 'css';
  if (type === 'Script') return 'js';
  if (type === 'Fetch' || type === 'XHR') return 'api';
  return 'other';
}

/** Loads the page once in `page`; returns bytes by kind and the moments (ms after navigation). */
async function visit(page, cdp, role) {
  const bytes = {};
  const kinds = new Map();
  let socketOpen = null;
  const onResponse = (e) => kinds.set(e.requestId, kindOf(e.response.url, e.type));
  const onFinished = (e) => {
    const k = kinds.get(e.requestId) ?? 'other';
    bytes[k] = (bytes[k] ?? 0) + e.encodedDataLength;
  };
  const onSocket = () => {
    socketOpen ??= Date.now();
  };
  const onFrame = (e) => {
    bytes.socket = (bytes.socket ?? 0) + (e.response.payloadData?.length ?? 0);
  };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  cdp.on('Network.webSocketHandshakeResponseReceived', onSocket);
  cdp.on('Network.webSocketFrameReceived', onFrame);
  const t0 = Date.now();
  await page.goto(`${base}/documents/${doc}`, { waitUntil: 'commit' });
  await page.locator('.paragraphs').first().waitFor({ state: 'visible', timeout: 120000 });
  const readable = Date.now() - t0;
  let live = null;
  let editable = null;
  if (role === 'drafter') {
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 180000 });
    live = Date.now() - t0;
    const p1 = page.getByRole('textbox', { name: 'Paragraph 1', exact: true });
    await p1.waitFor({ timeout: 60000 });
    editable = Date.now() - t0;
  } else {
    const deadline = Date.now() + 60000;
    while (socketOpen === null && Date.now() < deadline) await page.waitForTimeout(50);
    live = socketOpen === null ? null : socketOpen - t0;
  }
  await page.waitForTimeout(1500);
  const paint = await page.evaluate(() =>
    performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
  cdp.off('Network.responseReceived', onResponse);
  cdp.off('Network.loadingFinished', onFinished);
  cdp.off('Network.webSocketHandshakeResponseReceived', onSocket);
  cdp.off('Network.webSocketFrameReceived', onFrame);
  const total = Object.entries(bytes)
    .filter(([k]) => k !== 'socket')
    .reduce((sum, [, n]) => sum + n, 0);
  return { bytes, total, paint: paint && Math.round(paint), readable, live, editable };
}

const results = [];
for (const [profile, p] of Object.entries(PROFILES)) {
  for (const role of ['reader', 'drafter']) {
    // Without the service worker, whose fetches this page's network log does not see: the
    // repeat visit is then what the browser's own cache saves.
    const context = await browser.newContext({ viewport: p.viewport, serviceWorkers: 'block' });
    if (role === 'drafter') {
      const r = await context.request.post(`${base}/api/v1/auth/login`, {
        headers: { 'content-type': 'application/json', origin: base },
        data: { login, password },
      });
      if (!r.ok()) throw new Error(`sign-in failed: ${r.status()}`);
    }
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    if (p.kbit) {
      const rate = (p.kbit * 1000) / 8;
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false, latency: p.latency, downloadThroughput: rate, uploadThroughput: rate,
      });
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: p.cpu });
    const first = await visit(page, cdp, role);
    const again = await visit(page, cdp, role);
    results.push({ profile, role, first, repeat: again });
    await context.close();
  }
}
await browser.close();
console.log(JSON.stringify(results));

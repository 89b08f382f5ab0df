// Starts the real Accord server binary on a free loopback port with its own data folder, and
// Debian's Chromium through playwright-core. Every test file gets fresh ones.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const BIN = process.env.ACCORD_BIN ?? join(root, 'target', 'release', 'accord');
const SITE = process.env.ACCORD_SITE ?? join(root, 'target', 'site');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

async function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

export class AccordServer {
  /** `demoFeedback`: seed the demo reviewers' stances and comments (off: counts start at zero). */
  constructor(dataDir, port, { demoFeedback = false } = {}) {
    this.dataDir = dataDir ?? mkdtempSync(join(tmpdir(), 'accord-e2e-'));
    this.port = port;
    this.demoFeedback = demoFeedback;
    this.proc = null;
    this.log = '';
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.port ??= await freePort();
    this.proc = spawn(BIN, [], {
      env: {
        ...process.env,
        ACCORD_DATA: this.dataDir,
        ACCORD_ADDR: `127.0.0.1:${this.port}`,
        LEPTOS_SITE_ROOT: SITE,
        LEPTOS_SITE_PKG_DIR: 'pkg',
        LEPTOS_OUTPUT_NAME: 'accord',
        LEPTOS_ENV: 'PROD',
        RUST_LOG: 'warn',
        ACCORD_DEMO: '1',
        ACCORD_DEMO_FEEDBACK: this.demoFeedback ? '1' : '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stdout.on('data', (d) => (this.log += d));
    this.proc.stderr.on('data', (d) => (this.log += d));
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline) {
      try {
        const r = await fetch(`${this.url}/api/v1/documents`);
        if (r.ok) return this;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start:\n${this.log}`);
  }

  /** Stops the server the hard way, as a crash would. */
  async kill() {
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGKILL');
    await exited;
  }

  async api(path, init) {
    const r = await fetch(`${this.url}${path}`, init);
    return r.json();
  }

  /**
   * The mail written to `login`, oldest first, each as text with quoted-printable line breaks
   * joined (read from the mail folder, where an installation without SMTP writes its mail).
   */
  mailsTo(login) {
    const folder = join(this.dataDir, 'mail');
    let files = [];
    try {
      files = readdirSync(folder).map((f) => join(folder, f));
    } catch {
      return [];
    }
    return files
      .map((f) => ({ at: statSync(f).mtimeMs, text: readFileSync(f, 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=') }))
      .filter((m) => m.text.includes(`To: ${login}`))
      .sort((a, b) => a.at - b.at)
      .map((m) => m.text);
  }

  /** The path of the last confirmation link mailed to `login`, once `atLeast` such mails reached it. */
  async confirmationLink(login, atLeast = 1) {
    return eventually(() => {
      const mails = this.mailsTo(login).filter((m) => m.includes('/confirm/'));
      if (mails.length < atLeast) return null;
      const link = mails.at(-1)?.match(/https?:\/\/[^/\s]+(\/confirm\/[0-9a-f]+(\?next=[^\s]+)?)/);
      return link ? decodeURIComponent(link[1]) : null;
    }, 10000, `a confirmation link mailed to ${login}`);
  }

  async sampleId() {
    const docs = await this.api('/api/v1/documents');
    return docs.find((d) => d.title.startsWith('Draft recommendations')).id;
  }
}

/**
 * A fresh server and browser for one test file, torn down after it; returns an object whose
 * `server` and `browser` are set once `before` has run.
 */
export function useServerAndBrowser(before, after, options = {}) {
  // `sessions`: signed-in browser states a test file keeps by login, to sign in once.
  const env = { server: null, browser: null, sessions: new Map() };
  before(async () => {
    env.server = await new AccordServer(undefined, undefined, options).start();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.kill();
    // ACCORD_E2E_LOG=1 prints what the server logged (warnings and errors), to chase a 500.
    if (process.env.ACCORD_E2E_LOG && env.server?.log) console.error(env.server.log);
  });
  return env;
}

/** axe-core's source, to inject with `page.evaluate` (the pages' CSP refuses a script tag). */
export const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const FAILING = new Set(['serious', 'critical']);

/** Runs axe-core on the page; returns its violations as lines, those that fail the test first. */
export async function audit(page, where) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }).then((r) => r.violations),
    AXE_TAGS,
  );
  const lines = (v) =>
    v.nodes.slice(0, 4).map((n) => `    ${n.target.join(' ')}: ${n.html.replace(/\s+/g, ' ').slice(0, 160)}`);
  const said = (v) => [`${where}: ${v.id} (${v.impact}, ${v.nodes.length} nodes) ${v.help}`, ...lines(v)].join('\n');
  const failing = violations.filter((v) => FAILING.has(v.impact)).map(said);
  // ACCORD_AXE_ALL=1 prints the moderate and minor findings as well (they do not fail).
  if (process.env.ACCORD_AXE_ALL) for (const v of violations.filter((v) => !FAILING.has(v.impact))) console.log(said(v));
  return failing;
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** The demo accounts' password (seeded on first start; for local use only). */
export const DEMO_PASSWORD = 'accord-demo-password';

/**
 * A page in a new browser context signed in as `login`. Each account signs in once per test
 * file (through the form) and later contexts reuse its session: the server allows ten
 * sign-ins a minute from one address.
 */
export async function signedIn(env, login, options = {}) {
  env.sessions ??= new Map();
  const storageState = env.sessions.get(login);
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, storageState, ...options });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`console error (${login}):`, m.text().slice(0, 500));
  });
  if (!storageState) {
    await signIn(page, env.server, login);
    env.sessions.set(login, await context.storageState());
  }
  return { context, page };
}

/** Signs in through the login form, as a person would. */
export async function signIn(page, server, login) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Login (email)').fill(login);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/**
 * Opens a document in a new browser context, signed in as `login` (a drafter by default), and
 * waits until its editor is live.
 */
export async function openEditor(browser, server, docId, login = 'drafter@example.org') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error('console error:', m.text());
  });
  await signIn(page, server, login);
  await page.goto(`${server.url}/documents/${docId}`);
  await page.getByRole('textbox', { name: 'Paragraph 1', exact: true }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  return page;
}

/** A chair moves the open document to `phase` with the banner's form (a deadline as UTC). */
export async function moveTo(page, phase, deadline) {
  await page.getByText('Change the phase').click();
  await page.getByLabel('Move to').selectOption(phase);
  if (deadline) await page.getByLabel(/^Deadline/).fill(deadline);
  await page.getByLabel(/^Reason \(for the decision record/).fill(`Moving to ${phase}.`);
  await page.getByRole('button', { name: 'Move the document' }).click();
}

/** Polls `fn` until it returns a truthy value or `ms` pass. */
export async function eventually(fn, ms = 10000, what = 'condition') {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/** Sends a JSON request as the browser's pages would (same origin), with a session cookie. */
export async function call(server, path, method, body, cookie) {
  const headers = { 'content-type': 'application/json', origin: server.url };
  if (cookie) headers.cookie = cookie;
  const r = await fetch(`${server.url}${path}`, { method, headers, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  const cookieOut = r.headers.get('set-cookie')?.split(';')[0];
  return { json: await r.json().catch(() => null), cookie: cookieOut };
}

/**
 * Makes a new participant of the demo group the way it happens in life: the chair creates an
 * invitation, the newcomer registers and accepts it. Returns their login.
 */
export async function addParticipant(server, login, name, stakeholderGroup, region) {
  const chair = await call(server, '/api/v1/auth/login', 'POST', {
    login: 'chair@example.org',
    password: DEMO_PASSWORD,
  });
  const invitation = await call(
    server,
    '/api/v1/groups/bpf-outcomes/invitations',
    'POST',
    { role: 'participant' },
    chair.cookie,
  );
  await call(server, '/api/v1/auth/register', 'POST', {
    login,
    password: DEMO_PASSWORD,
    display_name: name,
    stakeholder_group: stakeholderGroup,
    region,
  });
  const link = await server.confirmationLink(login);
  const newcomer = await call(server, '/api/v1/auth/confirm', 'POST', { token: link.split('/').pop().split('?')[0] });
  const token = invitation.json.url.split('/').pop();
  await call(server, `/api/v1/invitations/${token}/accept`, 'POST', {}, newcomer.cookie);
  return login;
}

/**
 * What an independent reader (python-docx, Python's HTML parser: `e2e/read-export.py`) finds in
 * an exported file: one entry per paragraph ({ style, text, list }) or table ({ table }).
 */
export function readExport(kind, file) {
  const python = process.env.ACCORD_READER_PYTHON || `${process.env.HOME}/.cache/accord/tools/py/bin/python`;
  const script = join(root, 'e2e', 'read-export.py');
  return JSON.parse(execFileSync(python, [script, kind, file], { encoding: 'utf8' }));
}

// Keeps a page the server rendered current for someone who reads without the app (not signed
// in): it watches the document's sync socket, which sends such a connection no text, only news
// ("edited", "feedback", "phase"), and when something changed it fetches the page again and
// patches what differs into the one on screen. A few hundred bytes instead of the app.
const FIRST_WAIT = 1000; // lets a burst of news settle into one fetch
const BETWEEN = 10000; // at most one fetch per ten seconds, whatever the drafters do
const NEWS = new Set(['edited', 'feedback', 'phase']);

// A page opened once can be read again offline (public/sw.js).
navigator.serviceWorker?.register('/sw.js').catch(() => {});

// On a phone the side panel follows the text, and who is here folds away (the app does the same).
if (matchMedia('(max-width: 900px)').matches) {
  for (const fold of document.querySelectorAll('details.presence')) fold.open = false;
}

const shown = location.pathname.match(/^\/documents\/([a-z0-9]+)(?:\/consensus)?\/?$/);
if (shown) watch(shown[1]);
const live = location.pathname.match(/^\/live\/([a-z0-9]+)(?:\/projector)?\/?$/);
if (live) follow(live[1]);

// A live session's page (the projector, mostly) follows the session's event stream, and fetches
// the page again at most once a second while anything changes.
function follow(id) {
  let busy = false;
  let again = false;
  const refresh = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const r = await fetch(location.href, { headers: { accept: 'text/html' } });
      if (r.ok) {
        const fresh = parse(await r.text());
        patch(document.querySelector('main'), fresh.querySelector('main'));
      }
    } catch {
      // Offline for a moment: the next change tries again.
    }
    setTimeout(() => {
      busy = false;
      if (again) {
        again = false;
        refresh();
      }
    }, 1000);
  };
  // The browser reconnects by itself when the stream drops.
  new EventSource(`/api/v1/live/${id}/events`).addEventListener('session', refresh);
  // The timers: "m:ss" since the moment each names; a check's countdown: "m:ss" left, then
  // the words saying the time is up.
  const clock = (s) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  setInterval(() => {
    const now = Math.floor(Date.now() / 1000);
    for (const t of document.querySelectorAll('[data-since]')) {
      t.textContent = clock(Math.max(0, now - Number(t.dataset.since)));
    }
    for (const c of document.querySelectorAll('[data-until]')) {
      const left = Number(c.dataset.until) - now;
      const shown = c.querySelector('.clock');
      if (shown) shown.textContent = clock(Math.max(0, left));
      c.classList.toggle('up', left <= 0);
      c.querySelector('.left')?.toggleAttribute('hidden', left <= 0);
      c.querySelector('.over')?.toggleAttribute('hidden', left > 0);
    }
  }, 1000);
}

function watch(id) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  let timer = null;
  let last = 0;
  let stale = false;
  let retry = 1000;

  const connect = () => {
    const ws = new WebSocket(`${scheme}://${location.host}/api/v1/documents/${id}/sync?watch=true`);
    ws.onopen = () => {
      retry = 1000;
      // The panel's status, in the page's language (the server wrote the words).
      const status = document.querySelector('[data-watching]');
      if (status) {
        status.className = 'status live';
        status.querySelector('.status-words').textContent = status.dataset.watching;
      }
    };
    ws.onmessage = (e) => {
      if (typeof e.data !== 'string') return;
      try {
        if (NEWS.has(JSON.parse(e.data).type)) soon();
      } catch {
        // Not news.
      }
    };
    ws.onclose = () => {
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 60000);
    };
  };

  const soon = () => {
    // A hidden tab spends nothing: it catches up when it is looked at again.
    if (document.hidden) {
      stale = true;
      return;
    }
    if (timer !== null) return;
    timer = setTimeout(refresh, Math.max(FIRST_WAIT, last + BETWEEN - Date.now()));
  };

  const refresh = async () => {
    last = Date.now();
    try {
      const r = await fetch(location.href, { headers: { accept: 'text/html' } });
      if (!r.ok) return;
      const fresh = parse(await r.text());
      patch(document.querySelector('main'), fresh.querySelector('main'));
    } catch {
      // Offline for a moment: the next news tries again.
    } finally {
      timer = null;
    }
  };

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && stale) {
      stale = false;
      soon();
    }
  });
  connect();
}

// A fetched page as this one holds it. A parser runs no script, so it reads what a
// `<noscript>` holds as elements (a refresh, say) where the page shows it as inert text: kept as
// text, a refresh meant for pages without JavaScript never reaches this one.
function parse(html) {
  const page = new DOMParser().parseFromString(html, 'text/html');
  for (const n of page.querySelectorAll('noscript')) n.textContent = n.innerHTML;
  return page;
}

// Makes `old` look like `now`, touching only what differs, so that unchanged paragraphs keep
// their selection and the reader's place. Children with an id are matched by id.
function patch(old, now) {
  if (!old || !now || old.isEqualNode(now)) return;
  // The status is this script's to say, not the fetched page's.
  if (old.nodeType === Node.ELEMENT_NODE && old.hasAttribute('data-watching')) return;
  if (old.nodeType !== now.nodeType || old.nodeName !== now.nodeName) {
    old.replaceWith(document.importNode(now, true));
    return;
  }
  if (old.nodeType !== Node.ELEMENT_NODE) {
    old.data = now.data;
    return;
  }
  // Whether a fold is open is the reader's choice, not the fetched page's.
  const mine = (name) => name === 'open' && old.nodeName === 'DETAILS';
  for (const { name } of [...old.attributes]) {
    if (!now.hasAttribute(name) && !mine(name)) old.removeAttribute(name);
  }
  for (const { name, value } of now.attributes) {
    if (old.getAttribute(name) !== value && !mine(name)) old.setAttribute(name, value);
  }
  const wanted = [...now.childNodes];
  for (let i = 0; i < wanted.length; i++) {
    const want = wanted[i];
    let have = old.childNodes[i];
    if (want.id && (!have || have.id !== want.id)) {
      const byId = [...old.children].find((c) => c.id === want.id);
      if (byId) {
        old.insertBefore(byId, have ?? null);
        have = byId;
      }
    }
    if (have) patch(have, want);
    else old.appendChild(document.importNode(want, true));
  }
  while (old.childNodes.length > wanted.length) old.lastChild.remove();
}

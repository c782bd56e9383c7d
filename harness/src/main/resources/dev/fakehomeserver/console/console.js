// fake-homeserver console: what every page shares. Plain JavaScript, no framework, nothing fetched from
// elsewhere. Pages read and act only through the control API (/_fakehs/v1/...), with the credential this tab
// keeps in sessionStorage (the control token typed in the login form, or a session traded for a one-time
// link's code). The credential never goes into the page, a URL or a log.
'use strict';

const FHS = (() => {
  const V1 = '/_fakehs/v1';
  const KEY = 'fakehs.console.credential';
  const INJECTED = '[injected by hs.faults()]';
  let onLogin = null;

  // ---- DOM: built with createElement and textContent only, so nothing the fake saw can become markup -------
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  // Live pages re-render on every change: what the reader opened (details with a data-key) stays open.
  function replace(target, ...children) {
    const node = typeof target === 'string' ? document.getElementById(target) : target;
    const open = new Set([...node.querySelectorAll('details[open][data-key]')].map(d => d.dataset.key));
    node.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
    for (const d of node.querySelectorAll('details[data-key]')) if (open.has(d.dataset.key)) d.open = true;
  }

  // ---- the control API -----------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.errcode ? body.errcode + ': ' : '') + ((body && body.error) || 'HTTP ' + status));
      this.status = status;
      this.errcode = body && body.errcode;
    }
  }

  async function api(method, path, body) {
    const headers = {};
    const credential = sessionStorage.getItem(KEY);
    if (credential) headers['Authorization'] = 'Bearer ' + credential;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(V1 + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer',
    });
    let json = null;
    try { json = await res.json(); } catch (e) { /* an empty or non-JSON answer */ }
    if (res.status === 401) {
      sessionStorage.removeItem(KEY);
      showLogin(credential ? 'Log in again: the fake no longer accepts this tab\'s credential.' : '');
    }
    if (!res.ok) throw new ApiError(res.status, json);
    return json;
  }

  const enc = encodeURIComponent;

  // ---- logging in ----------------------------------------------------------------------------------------
  async function login() {
    const m = /^#code=([A-Za-z0-9_-]+)/.exec(location.hash);
    if (m) {
      // Out of the address bar and the history first: the code is single use, but nobody needs to see it.
      history.replaceState(null, '', location.pathname + location.search);
      try {
        const r = await api('POST', '/console/login', { code: m[1] });
        sessionStorage.setItem(KEY, r.session);
      } catch (e) {
        showLogin(e.message);
        return false;
      }
    }
    try {
      const s = await api('GET', '/console/session');
      document.getElementById('server').textContent = s.server_name;
      hideLogin();
      return true;
    } catch (e) {
      if (e.status !== 401) showLogin('The control API did not answer: ' + e.message);
      return false;
    }
  }

  function showLogin(message) {
    let dlg = document.getElementById('login');
    if (!dlg) {
      const input = el('input', { type: 'password', id: 'login-token', autocomplete: 'off', required: true,
        placeholder: 'control token', 'aria-label': 'control token' });
      dlg = el('div', { id: 'login', class: 'login' },
        el('form', { id: 'login-form', onsubmit: async ev => {
          ev.preventDefault();
          sessionStorage.setItem(KEY, input.value.trim());
          input.value = '';
          if (await login()) onLogin();
        } },
          el('h2', {}, 'fake-homeserver console'),
          el('p', { id: 'login-message', class: 'login-message' }),
          el('p', {}, 'Open the one-time console link the fake printed (banner, hs.consoleUrl(), or a failed ' +
            'test\'s message), or give the control token (the banner\'s Authorization: Bearer ... line).'),
          input, el('button', { type: 'submit', class: 'primary' }, 'Log in')));
      document.body.append(dlg);
    }
    document.getElementById('login-message').textContent = message || '';
    document.body.classList.add('logged-out');
    document.getElementById('login-token').focus();
  }

  function hideLogin() {
    const dlg = document.getElementById('login');
    if (dlg) dlg.remove();
    document.body.classList.remove('logged-out');
  }

  // ---- live: refresh after every change of the model, never on a clock --------------------------------------
  // GET changes?since=V answers as soon as the server's change signal moves past V. A burst of changes is
  // coalesced: one refresh at a time, and at most one more queued behind it.
  function live(refresh) {
    let version = null;
    let running = false;
    let again = false;
    const status = document.getElementById('live');
    async function run() {
      if (running) { again = true; return; }
      running = true;
      try {
        await Promise.all([refresh(), navBadges()]);
        status.textContent = 'live';
        status.className = 'live on';
      } catch (e) {
        status.textContent = e.status === 401 ? 'logged out' : 'error: ' + e.message;
        status.className = 'live off';
      } finally {
        running = false;
        if (again) { again = false; run(); }
      }
    }
    async function wait() {
      while (true) {
        try {
          const url = version === null ? '/changes' : '/changes?since=' + version;
          const r = await api('GET', url);
          if (r.version !== version) { version = r.version; run(); }
        } catch (e) {
          status.textContent = e.status === 401 ? 'logged out' : 'disconnected';
          status.className = 'live off';
          if (e.status === 401) return;
          // The server went away (a kept-open fake's time ran out, or it restarted): try again in a while.
          await new Promise(r => setTimeout(r, 3000));
        }
      }
    }
    refreshNow = run;
    run();
    wait();
  }

  // After the page's own action: not every action moves the change signal (fault switches do not).
  let refreshNow = () => {};
  function refresh() { refreshNow(); }

  // Down appservices and failed pushes are counted in the navigation on every page, in red.
  async function navBadges() {
    const [list, txns] = await Promise.all([api('GET', '/appservices'), api('GET', '/transactions')]);
    const statuses = await Promise.all(list.appservices.map(a => api('GET', '/appservices/' + enc(a.id) + '/status')));
    const down = statuses.filter(s => s.down || s.faults.marked_down).length;
    const failed = txns.transactions.filter(t => !t.succeeded).length;
    badge('nav-appservices', down ? down + ' down' : '');
    badge('nav-transactions', failed ? failed + ' failed' : '');
  }

  function badge(id, text) {
    const a = document.getElementById(id);
    if (!a) return;
    let b = a.querySelector('.badge');
    if (!text) { if (b) b.remove(); return; }
    if (!b) { b = el('span', { class: 'badge' }); a.append(' ', b); }
    b.textContent = text;
  }

  // ---- formatting -----------------------------------------------------------------------------------------
  function time(iso) {
    if (!iso) return '';
    const d = typeof iso === 'number' ? new Date(iso) : new Date(iso);
    return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }

  function relative(iso) {
    if (!iso) return '';
    const s = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
    return s >= 0 ? 'in ' + s + ' s' : s + ' s ago';
  }

  function pretty(text) {
    if (text === null || text === undefined || text === '') return '';
    if (typeof text !== 'string') return JSON.stringify(text, null, 2);
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; }
  }

  /** A refused request the appservice caused, as hs.violations() counts them (injected faults are not). */
  function isViolation(r) {
    return r.status >= 400 && !(r.error && r.error.endsWith(INJECTED));
  }

  // ---- events: one line saying what an event did ---------------------------------------------------------
  function membershipLine(ev) {
    const to = ev.content.membership;
    const from = ev.prev_content && ev.prev_content.membership;
    const who = ev.state_key === ev.sender ? ev.sender : ev.sender + ' → ' + ev.state_key;
    const verbs = { join: from === 'join' ? 'changed profile' : 'joined', invite: 'invited', leave:
      ev.state_key === ev.sender ? 'left' : 'kicked', ban: 'banned', knock: 'knocked' };
    return who + ' ' + (verbs[to] || to) + (ev.content.reason ? ' (' + ev.content.reason + ')' : '');
  }

  /** [kind, text]: kind is message, edit, redaction, redacted, state or other (a CSS class of the row). */
  function summary(ev) {
    const c = ev.content || {};
    const rel = c['m.relates_to'] || {};
    if (ev.redacted_because || (ev.unsigned && ev.unsigned.redacted_because)) {
      return ['redacted', 'redacted by ' + (ev.redacted_because || ev.unsigned.redacted_because).sender];
    }
    if (ev.type === 'm.room.redaction') {
      return ['redaction', 'redacts ' + (ev.redacts || c.redacts) + (c.reason ? ' (' + c.reason + ')' : '')];
    }
    if (rel.rel_type === 'm.replace') {
      const n = c['m.new_content'] || c;
      return ['edit', 'edit of ' + rel.event_id + ': ' + (n.body || '')];
    }
    if (ev.type === 'm.room.member' && ev.state_key !== undefined) return ['state', membershipLine(ev)];
    if (ev.state_key !== undefined) {
      const before = ev.prev_content ? JSON.stringify(ev.prev_content) + ' → ' : '';
      return ['state', (ev.state_key ? '[' + ev.state_key + '] ' : '') + before + JSON.stringify(c)];
    }
    if (ev.type === 'm.room.message') {
      return ['message', (c.msgtype && c.msgtype !== 'm.text' ? c.msgtype + ': ' : '') + (c.body || '')];
    }
    return ['other', JSON.stringify(c)];
  }

  /** The timeline as a table, newest last; a row opens to the event's JSON. Messages show their body, other
   *  events their type first. */
  function timelineTable(events) {
    return el('table', { class: 'grid timeline' },
      el('thead', {}, el('tr', {}, el('th', { class: 'c-time' }, 'time'), el('th', { class: 'c-user' }, 'sender'),
        el('th', {}, 'event'))),
      el('tbody', {}, events.map(ev => {
        const [kind, text] = summary(ev);
        return el('tr', { class: 'ev ' + kind, 'data-event-id': ev.event_id },
          el('td', { class: 'c-time', title: new Date(ev.origin_server_ts).toISOString() }, time(ev.origin_server_ts)),
          el('td', { class: 'c-user', title: ev.sender }, ev.sender),
          el('td', {}, el('details', { 'data-key': ev.event_id }, el('summary', { title: ev.type },
            kind === 'message' ? null : el('span', { class: 'type' }, ev.type),
            kind === 'edit' || kind === 'redacted' ? el('span', { class: 'tag ' + kind }, kind) : null, ' ', text),
            el('pre', {}, JSON.stringify(ev, null, 2)))));
      })));
  }

  const PAGES = [['rooms', './', 'Rooms'], ['appservices', 'appservices.html', 'Appservices'],
    ['transactions', 'transactions.html', 'Transactions'], ['journal', 'journal.html', 'Journal'],
    ['send', 'send.html', 'Send as']];

  function header() {
    const here = document.body.dataset.page;
    document.body.prepend(el('header', {},
      el('span', { class: 'brand' }, 'fake-homeserver ', el('span', { id: 'server', class: 'server' })),
      el('nav', {}, PAGES.map(([page, href, title]) =>
        el('a', { href, 'data-page': page, id: 'nav-' + page, class: page === here ? 'current' : null }, title))),
      el('span', { id: 'live', class: 'live' }, 'connecting'),
      el('button', { id: 'logout', type: 'button', class: 'quiet' }, 'Log out')));
  }

  async function start(page) {
    header();
    document.getElementById('logout').addEventListener('click', async () => {
      try { await api('POST', '/console/logout', {}); } catch (e) { /* already gone */ }
      sessionStorage.removeItem(KEY);
      showLogin('Logged out.');
    });
    onLogin = () => live(page);
    if (await login()) onLogin();
  }

  return { el, replace, api, enc, live, refresh, time, relative, pretty, isViolation, summary, timelineTable, start, ApiError };
})();

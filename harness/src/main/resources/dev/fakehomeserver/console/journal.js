// Journal: every client-server request the fake answered, newest first: who called (the appservice, or the
// user), as whom (the masqueraded user_id), the status and errcode, and both bodies (secrets are masked by the
// journal itself). Refused requests that count as violations are red. Filters by user and by path.
'use strict';
(() => {
  const { el, replace, api, time, pretty, isViolation } = FHS;
  const main = document.getElementById('main');
  const filters = el('form', { class: 'filters', onsubmit: e => e.preventDefault() },
    el('label', {}, 'user ', el('input', { id: 'f-user', type: 'search', placeholder: '@weather_bob:test', list: 'users' })),
    el('datalist', { id: 'users' }),
    el('label', {}, 'path ', el('input', { id: 'f-path', type: 'search', placeholder: '/send/' })),
    el('label', {}, el('input', { id: 'f-violations', type: 'checkbox' }), ' violations only'));
  main.append(filters, el('section', { id: 'requests', class: 'panel' }));
  const LIMIT = 500;

  function row(r) {
    const violation = isViolation(r);
    const caller = r.appservice_id || r.user_id || 'anonymous';
    const as = r.appservice_id && r.user_id ? r.user_id : '';
    return el('tr', { class: violation ? 'violation' : r.status >= 400 ? 'injected' : 'answered', 'data-seq': r.seq },
      el('td', { class: 'num' }, String(r.seq)), el('td', { class: 'c-time' }, time(r.time)),
      el('td', { title: caller }, caller), el('td', { title: as }, as),
      el('td', { class: 'mono', title: r.method + ' ' + short(r.path) }, r.method + ' ' + short(r.path) + (r.query ? '?' + r.query : '')),
      el('td', { class: 'num status' }, String(r.status)),
      el('td', {}, r.errcode || ''),
      el('td', { class: 'body' }, el('details', { 'data-key': 'r' + r.seq },
        el('summary', {}, r.error || oneLine(r.request_body)),
        el('h4', {}, 'request'), el('pre', {}, pretty(r.request_body) || '(empty)'),
        el('h4', {}, 'answered ' + r.status), el('pre', {}, pretty(r.response_body) || '(empty)'))));
  }

  // A body comes as embedded JSON, or as text when it was not JSON (request_body_format says which).
  function oneLine(body) {
    if (body === null || body === undefined) return '';
    return (typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 80);
  }

  function short(path) {
    let p = path.replace(/^\/_matrix\/client\/(v3|r0|v1|unstable)/, '');
    try { p = decodeURIComponent(p); } catch (e) { /* shown as sent */ }
    return p;
  }

  // The whole journal each time (bounded by the fake): a reset empties it, and the page must show that too.
  async function refresh() {
    const j = await api('GET', '/journal');
    const users = [...new Set(j.requests.map(r => r.user_id).filter(Boolean))].sort();
    replace('users', users.map(u => el('option', { value: u })));
    const user = document.getElementById('f-user').value.trim();
    const path = document.getElementById('f-path').value.trim();
    const onlyViolations = document.getElementById('f-violations').checked;
    const shown = j.requests.filter(r => (!user || r.user_id === user || r.appservice_id === user)
      && (!path || decodeURIComponent(r.path).includes(path)) && (!onlyViolations || isViolation(r))).reverse();
    const violations = j.requests.filter(isViolation).length;
    replace('requests',
      el('h2', {}, 'Requests ', el('span', { class: 'count' }, shown.length > LIMIT ? 'newest ' + LIMIT + ' of ' + shown.length
        : String(shown.length)), violations ? el('span', { class: 'badge' }, violations + (violations === 1 ? ' violation' : ' violations')) : null,
        j.dropped ? el('span', { class: 'sub' }, ' (' + j.dropped + ' older dropped)') : null),
      shown.length === 0 ? el('p', { class: 'empty' }, 'No request matches.') : el('table', { class: 'grid journal' },
        el('thead', {}, el('tr', {}, ['#', 'time', 'caller', 'as user', 'request', 'status', 'errcode', 'error / bodies'].map(h => el('th', {}, h)))),
        el('tbody', {}, shown.slice(0, LIMIT).map(row))));
  }

  filters.addEventListener('input', () => refresh());
  FHS.start(refresh);
})();

// Transactions: everything the fake sent to appservices (pushes, one row per attempt; user and alias queries;
// pings; third-party lookups) with the appservice's answer. Failed attempts come first, in red, so the failing
// push is the first thing on the page; below, every record, newest first.
'use strict';
(() => {
  const { el, replace, api, time, pretty } = FHS;
  const main = document.getElementById('main');
  const filters = el('form', { class: 'filters', onsubmit: e => e.preventDefault() },
    el('label', {}, 'appservice ', el('select', { id: 'f-appservice' }, el('option', { value: '' }, 'all'))),
    el('label', {}, 'kind ', el('select', { id: 'f-kind' }, ['', 'transaction', 'user_query', 'alias_query', 'ping',
      'thirdparty'].map(k => el('option', { value: k }, k || 'all')))));
  main.append(filters, el('section', { id: 'failed' }), el('section', { id: 'all', class: 'panel' }));

  function what(t) {
    if (t.kind === 'transaction') return 'txn ' + t.txn_id + ' · attempt ' + t.attempt + ' · ' + t.event_ids.length
      + (t.event_ids.length === 1 ? ' event' : ' events');
    return t.method + ' ' + t.path + (t.query ? '?' + t.query : '');
  }

  function answer(t) {
    if (t.status === 0) return 'no answer';
    return String(t.status);
  }

  function table(rows, id, delivered) {
    return el('table', { class: 'grid txns', id },
      el('thead', {}, el('tr', {}, ['#', 'sent', 'appservice', 'kind', 'what', 'answer', 'ms', 'error / body'].map(h => el('th', {}, h)))),
      el('tbody', {}, rows.map(t => el('tr', { class: t.succeeded ? 'succeeded' : later(t, delivered) ? 'failed recovered' : 'failed', 'data-seq': t.seq, 'data-kind': t.kind },
        el('td', { class: 'num' }, String(t.seq)), el('td', { class: 'c-time' }, time(t.sent_at)),
        el('td', {}, t.appservice_id), el('td', {}, t.kind), el('td', { class: 'mono' }, what(t), !t.succeeded && later(t, delivered)
          ? el('span', { class: 'tag' }, 'delivered later') : null),
        el('td', { class: 'num status' }, answer(t)), el('td', { class: 'num' }, String(t.latency_ms)),
        el('td', { class: 'body' }, el('details', { 'data-key': id + '|' + t.seq },
          el('summary', {}, t.error || short(t.response_body) || (t.succeeded ? 'ok' : '')),
          el('h4', {}, 'sent'), el('pre', {}, pretty(t.request_body)),
          el('h4', {}, 'answered ' + answer(t)), el('pre', {}, pretty(t.response_body) || '(empty)'),
          t.event_ids.length ? el('p', { class: 'mono sub' }, t.event_ids.join(' ')) : null))))));
  }

  function later(t, delivered) {
    return t.kind === 'transaction' && delivered.has(t.appservice_id + '|' + t.txn_id);
  }

  // A body comes as embedded JSON, or as text when it was not JSON (response_body_format says which).
  function short(body) {
    if (body === null || body === undefined || body === '') return '';
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return text.length > 120 ? text.slice(0, 120) + '…' : text;
  }

  // The whole journal each time (bounded by the fake): a reset empties it, and a page must show that too.
  async function refresh() {
    const r = await api('GET', '/transactions');
    const records = r.transactions;
    const dropped = r.dropped;
    const sel = document.getElementById('f-appservice');
    const ids = [...new Set(records.map(t => t.appservice_id))].sort();
    if (ids.join() !== [...sel.options].slice(1).map(o => o.value).join()) {
      const keep = sel.value;
      replace(sel, el('option', { value: '' }, 'all'), ids.map(i => el('option', { value: i }, i)));
      sel.value = keep;
    }
    const as = sel.value;
    const kind = document.getElementById('f-kind').value;
    const shown = records.filter(t => (!as || t.appservice_id === as) && (!kind || t.kind === kind)).reverse();
    // A failed attempt that a later attempt delivered stays listed, marked as delivered since.
    const delivered = new Set(records.filter(t => t.kind === 'transaction' && t.succeeded).map(t => t.appservice_id + '|' + t.txn_id));
    const failed = shown.filter(t => !t.succeeded);
    replace('failed', failed.length === 0 ? null : el('div', { class: 'panel failed-panel' },
      el('h2', {}, 'Failed ', el('span', { class: 'count' }, String(failed.length))),
      table(failed, 'failed-table', delivered)));
    replace('all', el('h2', {}, 'All ', el('span', { class: 'count' }, String(shown.length)),
      dropped ? el('span', { class: 'sub' }, ' (' + dropped + ' older dropped)') : null),
      shown.length ? table(shown.slice(0, 500), 'all-table', delivered) : el('p', { class: 'empty' }, 'Nothing sent to an appservice yet.'));
  }

  filters.addEventListener('change', () => refresh());
  FHS.start(refresh);
})();

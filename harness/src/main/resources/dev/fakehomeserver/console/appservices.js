// Appservices: each registration with its namespaces, where it is pushed to, and its push state (up or down,
// queued, in flight, next retry, backoff), with buttons that mark it down or up and retry now. A down
// appservice is a red card at the top.
'use strict';
(() => {
  const { el, replace, api, enc, relative } = FHS;
  const main = document.getElementById('main');
  main.append(el('div', { id: 'notice', class: 'notice', role: 'status' }), el('div', { id: 'appservices', class: 'cards' }));

  async function act(id, what) {
    const base = '/appservices/' + enc(id);
    try {
      if (what === 'down') await api('POST', base + '/faults', { down: true });
      if (what === 'up') {
        // Letting requests through retries nothing by itself (docs/standalone.md): retry the oldest now.
        await api('POST', base + '/faults', { down: false });
        await api('POST', base + '/retry', {});
      }
      if (what === 'retry') await api('POST', base + '/retry', {});
      replace('notice');
    } catch (e) {
      replace('notice', el('p', { class: 'error' }, id + ': ' + e.message));
    }
    FHS.refresh();
  }

  function namespaces(ns) {
    const rows = [];
    for (const kind of ['users', 'aliases', 'rooms']) {
      for (const n of ns[kind]) rows.push(el('tr', {}, el('td', {}, kind), el('td', { class: 'mono' }, n.regex),
        el('td', {}, n.exclusive ? 'exclusive' : 'shared')));
    }
    return rows.length ? el('table', { class: 'grid ns' }, el('tbody', {}, rows)) : el('p', { class: 'sub' }, 'no namespaces');
  }

  function stateLine(s) {
    if (s.faults.marked_down) return ['down', 'DOWN', 'marked down (faults): every request to it fails until marked up'];
    if (s.down) return ['down', 'DOWN', 'a push failed; next retry ' + (s.next_retry ? relative(s.next_retry) : 'not scheduled')
      + ', backoff ' + s.backoff_seconds + ' s'];
    if (s.in_flight) return ['busy', 'UP', 'a transaction is in flight'];
    return ['up', 'UP', s.queued_transactions ? 'transactions queued' : 'idle'];
  }

  function card(a, s) {
    const [cls, word, why] = stateLine(s);
    return el('section', { class: 'card ' + cls, 'data-appservice': a.id },
      el('div', { class: 'card-head' },
        el('span', { class: 'pill ' + cls, 'data-state': word.toLowerCase() }, word),
        el('h2', {}, a.id),
        el('span', { class: 'mono sub' }, a.url || 'no url (url: null): nothing is pushed'),
        el('span', { class: 'actions' },
          el('button', { type: 'button', class: 'danger', 'data-action': 'down', disabled: s.faults.marked_down,
            title: 'every request to it fails, as if it were unreachable', onclick: () => act(a.id, 'down') }, 'Mark down'),
          el('button', { type: 'button', 'data-action': 'up', disabled: !s.faults.marked_down && !s.down,
            title: 'let requests through and retry the oldest waiting transaction', onclick: () => act(a.id, 'up') }, 'Mark up'),
          el('button', { type: 'button', 'data-action': 'retry', disabled: !s.down,
            title: 'send the oldest waiting transaction now instead of at its retry time', onclick: () => act(a.id, 'retry') }, 'Retry now'))),
      el('p', { class: 'why ' + cls }, why),
      el('dl', { class: 'facts' },
        fact('queued transactions', s.queued_transactions), fact('queued events', s.queued_events),
        fact('queued ephemeral', s.queued_ephemeral), fact('in flight', s.in_flight ? 'yes' : 'no'),
        fact('next retry', s.next_retry ? FHS.time(s.next_retry) + ' (' + relative(s.next_retry) + ')' : '—'),
        fact('backoff', s.backoff_seconds ? s.backoff_seconds + ' s' : '—'),
        fact('injected failures left', s.faults.pending_transaction_failures),
        fact('sender', a.sender_user_id), fact('registration', registrationSource(a.source))),
      el('details', { 'data-key': 'ns|' + a.id, open: true }, el('summary', {}, 'namespaces'), namespaces(a.namespaces)));
  }

  // Registration.source() names a file or resource, or says how a registration without one was given.
  function registrationSource(source) {
    if (source === '<code>') return 'built in code (Registration.builder)';
    if (source === '<string>') return 'YAML given as text';
    return source;
  }

  function fact(name, value) {
    return el('div', {}, el('dt', {}, name), el('dd', {}, String(value === null || value === undefined ? '—' : value)));
  }

  async function refresh() {
    const list = (await api('GET', '/appservices')).appservices;
    const statuses = await Promise.all(list.map(a => api('GET', '/appservices/' + enc(a.id) + '/status')));
    const cards = list.map((a, i) => ({ a, s: statuses[i] }))
      .sort((x, y) => (y.s.down || y.s.faults.marked_down) - (x.s.down || x.s.faults.marked_down));
    replace('appservices', cards.length ? cards.map(c => card(c.a, c.s))
      : el('p', { class: 'empty' }, 'No registrations loaded.'));
  }

  FHS.start(refresh);
})();

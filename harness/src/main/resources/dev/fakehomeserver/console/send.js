// Send as: injects a message, or any event, as any local or remote user into a room, through the control API's
// POST rooms/{roomId}/events: the same append path as the DSL and the client API, so the room's auth rules
// apply and appservices are pushed it. The room's last events below show it land.
'use strict';
(() => {
  const { el, replace, api, enc } = FHS;
  const main = document.getElementById('main');
  const room = el('select', { id: 'send-room', required: true });
  const sender = el('input', { id: 'send-sender', required: true, list: 'send-users', placeholder: '@alice:test', autocomplete: 'off' });
  const mode = el('select', { id: 'send-mode' }, el('option', { value: 'message' }, 'a message'),
    el('option', { value: 'event' }, 'any event'));
  const msgtype = el('select', { id: 'send-msgtype' }, ['m.text', 'm.notice', 'm.emote'].map(t => el('option', { value: t }, t)));
  const body = el('input', { id: 'send-body', placeholder: '!weather Paris', autocomplete: 'off' });
  const type = el('input', { id: 'send-type', value: 'm.room.message', autocomplete: 'off' });
  const stateKey = el('input', { id: 'send-state-key', placeholder: 'empty: not a state event; "" is written as ""', autocomplete: 'off' });
  const content = el('textarea', { id: 'send-content', rows: 6 }, '{\n  "msgtype": "m.text",\n  "body": "hello"\n}');
  const result = el('div', { id: 'send-result', role: 'status' });
  const form = el('form', { id: 'send-form', class: 'panel send-form', onsubmit: send },
    el('h2', {}, 'Send as'),
    el('div', { class: 'row' }, el('label', { for: 'send-room' }, 'room'), room),
    el('div', { class: 'row' }, el('label', { for: 'send-sender' }, 'as user'), sender, el('datalist', { id: 'send-users' })),
    el('div', { class: 'row' }, el('label', { for: 'send-mode' }, 'send'), mode),
    el('div', { class: 'row only-message' }, el('label', { for: 'send-msgtype' }, 'msgtype'), msgtype),
    el('div', { class: 'row only-message' }, el('label', { for: 'send-body' }, 'body'), body),
    el('div', { class: 'row only-event' }, el('label', { for: 'send-type' }, 'type'), type),
    el('div', { class: 'row only-event' }, el('label', { for: 'send-state-key' }, 'state key'), stateKey),
    el('div', { class: 'row only-event' }, el('label', { for: 'send-content' }, 'content (JSON)'), content),
    el('div', { class: 'row' }, el('span'), el('button', { type: 'submit', id: 'send-submit', class: 'primary' }, 'Send')),
    result);
  main.append(form, el('section', { id: 'send-timeline', class: 'panel grow' }));
  mode.addEventListener('change', showMode);
  room.addEventListener('change', () => { history.replaceState(null, '', '#room=' + enc(room.value)); refresh(); });
  showMode();

  function showMode() {
    form.classList.toggle('mode-event', mode.value === 'event');
  }

  async function send(ev) {
    ev.preventDefault();
    let payload;
    try {
      payload = mode.value === 'message'
        ? { sender: sender.value.trim(), type: 'm.room.message', content: { msgtype: msgtype.value, body: body.value } }
        : { sender: sender.value.trim(), type: type.value.trim(), content: JSON.parse(content.value) };
      if (mode.value === 'event' && stateKey.value !== '') payload.state_key = stateKey.value === '""' ? '' : stateKey.value;
    } catch (e) {
      replace(result, el('p', { class: 'error' }, 'content is not JSON: ' + e.message));
      return;
    }
    try {
      const r = await api('POST', '/rooms/' + enc(room.value) + '/events', payload);
      replace(result, el('p', { class: 'ok' }, 'sent ', el('span', { class: 'mono', id: 'sent-event-id' }, r.event_id)));
      if (mode.value === 'message') body.value = '';
    } catch (e) {
      replace(result, el('p', { class: 'error' }, 'refused: ' + e.message));
    }
  }

  async function refresh() {
    const [rooms, users] = await Promise.all([api('GET', '/rooms'), api('GET', '/users')]);
    const wanted = room.value || (/^#room=(.+)$/.exec(location.hash) || [])[1];
    const want = wanted ? decodeURIComponent(wanted) : '';
    const options = rooms.rooms.map(r => el('option', { value: r.room_id },
      (r.name || r.canonical_alias || '(no name)') + '  ' + r.room_id));
    replace(room, options);
    if (want && rooms.rooms.some(r => r.room_id === want)) room.value = want;
    const current = rooms.rooms.find(r => r.room_id === room.value);
    const names = new Set([...(current ? current.joined : []), ...users.users.map(u => u.user_id)]);
    replace('send-users', [...names].map(u => el('option', { value: u })));
    if (!current) { replace('send-timeline', el('p', { class: 'empty' }, 'No rooms yet.')); return; }
    if (!sender.value && current.joined.length) sender.value = current.joined[0];
    const tl = await api('GET', '/rooms/' + enc(current.room_id) + '/timeline?limit=15');
    replace('send-timeline', el('h3', {}, 'Last events in ', current.name || current.room_id),
      el('div', { id: 'timeline' }, FHS.timelineTable(tl.events)));
  }

  FHS.start(refresh);
})();

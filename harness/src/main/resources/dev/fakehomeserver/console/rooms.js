// Rooms: every room (name, alias, members) on the left; the chosen one's timeline, members with their power
// levels, and current state. The chosen room is in the fragment (#room=!id:test), so a link can point at it.
'use strict';
(() => {
  const { el, replace, api, enc } = FHS;
  const main = document.getElementById('main');
  main.append(el('section', { id: 'room-list', class: 'panel list' }), el('section', { id: 'room', class: 'room' }));

  function selected() {
    const m = /^#room=(.+)$/.exec(location.hash);
    return m ? decodeURIComponent(m[1]) : null;
  }

  function roomList(rooms, current) {
    return [el('h2', {}, 'Rooms ', el('span', { class: 'count' }, String(rooms.length))),
      rooms.length === 0 ? el('p', { class: 'empty' }, 'No rooms yet.') : null,
      el('ul', { class: 'rooms' }, rooms.map(r => el('li', { class: r.room_id === current ? 'current' : null },
        el('a', { href: '#room=' + enc(r.room_id), class: 'room-link', 'data-room-id': r.room_id },
          el('span', { class: 'room-name' }, r.name || r.canonical_alias || '(no name)'),
          el('span', { class: 'members' }, r.joined.length + (r.joined.length === 1 ? ' member' : ' members')),
          el('span', { class: 'sub' }, r.canonical_alias || ''),
          el('span', { class: 'sub mono' }, r.room_id)))))];
  }

  function members(room, state) {
    const pl = (state.find(e => e.type === 'm.room.power_levels') || { content: {} }).content;
    const users = pl.users || {};
    const dflt = pl.users_default || 0;
    const rows = state.filter(e => e.type === 'm.room.member').map(e => ({
      user: e.state_key, membership: e.content.membership, name: e.content.displayname,
      level: users[e.state_key] !== undefined ? users[e.state_key] : dflt,
    })).sort((a, b) => b.level - a.level || a.user.localeCompare(b.user));
    return el('table', { class: 'grid members' },
      el('thead', {}, el('tr', {}, el('th', {}, 'member'), el('th', {}, 'membership'), el('th', { class: 'num' }, 'power'))),
      el('tbody', {}, rows.map(r => el('tr', { class: 'm-' + r.membership },
        el('td', {}, r.user, r.name ? el('span', { class: 'sub' }, ' ' + r.name) : null),
        el('td', {}, r.membership),
        el('td', { class: 'num' }, String(r.level), r.level >= 100 ? el('span', { class: 'tag' }, 'admin')
          : r.level >= 50 ? el('span', { class: 'tag' }, 'mod') : null)))));
  }

  function stateTable(state) {
    const rows = state.filter(e => e.type !== 'm.room.member')
      .sort((a, b) => a.type.localeCompare(b.type) || a.state_key.localeCompare(b.state_key));
    return el('table', { class: 'grid state' },
      el('thead', {}, el('tr', {}, el('th', {}, 'type'), el('th', {}, 'state key'), el('th', {}, 'content'))),
      el('tbody', {}, rows.map(e => el('tr', {},
        el('td', { class: 'mono' }, e.type), el('td', { class: 'mono' }, e.state_key),
        el('td', {}, el('details', { 'data-key': e.type + '|' + e.state_key },
          el('summary', {}, JSON.stringify(e.content)), el('pre', {}, JSON.stringify(e, null, 2))))))));
  }

  async function refresh() {
    const rooms = (await api('GET', '/rooms')).rooms;
    let current = selected();
    if (!current && rooms.length) current = rooms[0].room_id;
    replace('room-list', roomList(rooms, current));
    if (!current) { replace('room', el('p', { class: 'empty' }, 'Create a room (hs.user(..).createRoom(..), or POST /_fakehs/v1/rooms) and it appears here.')); return; }
    let room, timeline, state;
    try {
      [room, timeline, state] = await Promise.all([api('GET', '/rooms/' + enc(current)),
        api('GET', '/rooms/' + enc(current) + '/timeline?limit=300'), api('GET', '/rooms/' + enc(current) + '/state')]);
    } catch (e) {
      replace('room', el('p', { class: 'error' }, current + ': ' + e.message));
      return;
    }
    const shown = timeline.events.length;
    replace('room',
      el('div', { class: 'room-head' },
        el('h2', { id: 'room-title' }, room.name || room.canonical_alias || room.room_id),
        el('span', { class: 'mono sub' }, room.room_id),
        room.aliases.length ? el('span', { class: 'sub' }, ' aliases: ' + room.aliases.join(', ')) : null,
        room.topic ? el('p', { class: 'topic' }, room.topic) : null,
        el('a', { class: 'button', href: 'send.html#room=' + enc(room.room_id) }, 'Send as… in this room')),
      el('div', { class: 'room-body' },
        el('section', { class: 'panel grow' },
          el('h3', {}, 'Timeline ', el('span', { class: 'count' }, room.event_count > shown
            ? 'last ' + shown + ' of ' + room.event_count : String(shown))),
          el('div', { id: 'timeline', class: 'scroll' }, FHS.timelineTable(timeline.events))),
        el('section', { class: 'panel side' },
          el('h3', {}, 'Members ', el('span', { class: 'count' }, room.joined.length + ' joined')),
          members(room, state.events),
          el('h3', {}, 'Current state'),
          stateTable(state.events))));
    const t = document.getElementById('timeline');
    t.scrollTop = t.scrollHeight;
  }

  window.addEventListener('hashchange', () => refresh());
  FHS.start(refresh);
})();

// Accounts, teams and settings, for admins.
import { h, append, clear, fetchJSON, id } from './dom.js';
import { send } from './account.js';
import { needUser, problem } from './trainer.js';

export function adminView(root) {
  const holder = h('div', { class: 'admin', 'aria-busy': 'true' }, h('h1', null, 'Admin'));
  append(root, holder);
  needUser(holder, (user) => {
    if (user.role !== 'admin') {
      problem(holder, 'Admin', new Error('Only admins manage accounts.'));
      return;
    }
    show(holder, user);
  });
  return {};
}

const teamsText = (teams) => (teams || []).join(', ');
const teamsOf = (text) => text.split(',').map((t) => t.trim()).filter(Boolean);

async function show(holder, me) {
  let users;
  let settings;
  try {
    [users, settings] = await Promise.all([fetchJSON('/api/users'), fetchJSON('/api/settings')]);
  } catch (err) {
    problem(holder, 'Admin', err);
    return;
  }
  clear(holder).removeAttribute('aria-busy');
  const tbody = h('tbody');
  const refill = () => {
    clear(tbody);
    append(tbody, users.map((u) => userRow(u, me, (nu) => {
      users = users.map((x) => (x.name === nu.name ? nu : x));
      refill();
    })));
  };
  refill();
  append(holder,
    h('h1', null, 'Admin'),
    newUserCard((u) => {
      users = [...users, u].sort((a, b) => (a.name < b.name ? -1 : 1));
      refill();
    }),
    h('section', { class: 'card' }, h('h2', null, 'Accounts'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'users-table' },
        h('thead', null, h('tr', null, ['Name', 'Role', 'Teams', 'Status', ''].map((c) => h('th', { scope: 'col' }, c)))),
        tbody))),
    settingsCard(settings));
}

function newUserCard(added) {
  const nameId = id('nu');
  const roleId = id('nr');
  const teamsId = id('nt');
  const name = h('input', { id: nameId, name: 'name', required: true, maxlength: 64 });
  const role = h('select', { id: roleId, name: 'role' }, ['trainee', 'trainer', 'admin'].map((r) => h('option', { value: r }, r)));
  const teams = h('input', { id: teamsId, name: 'teams', placeholder: 'north, south' });
  const err = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const out = h('div', { class: 'invites' });
  const form = h('form', { class: 'new-user' },
    h('div', { class: 'field' }, h('label', { for: nameId }, 'Name'), name),
    h('div', { class: 'field' }, h('label', { for: roleId }, 'Role'), role),
    h('div', { class: 'field grow' }, h('label', { for: teamsId }, 'Teams (comma-separated)'), teams),
    h('button', { type: 'submit', class: 'btn primary' }, 'Add account'), err);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    try {
      const res = await send('POST', '/api/users', { name: name.value.trim(), role: role.value, teams: teamsOf(teams.value) });
      append(out, inviteLink(res.user.name, res.invite_url));
      added(res.user);
      name.value = '';
      teams.value = '';
    } catch (ex) {
      err.textContent = ex.message;
      err.hidden = false;
    }
  });
  return h('section', { class: 'card' }, h('h2', null, 'Add an account'),
    h('p', { class: 'muted' }, 'The new user gets a one-time link, valid for a week, to set their own password. Send it to them.'),
    form, out);
}

function inviteLink(name, url) {
  const fid = id('inv');
  const input = h('input', { id: fid, class: 'invite-url', readonly: true, value: url, 'data-user': name });
  return h('div', { class: 'field invite' }, h('label', { for: fid }, `Invite link for ${name}`), input,
    h('button', { type: 'button', class: 'btn', onclick: () => { input.select(); navigator.clipboard?.writeText(url).catch(() => {}); } }, 'Copy'));
}

function userRow(u, me, changed) {
  const teams = h('input', { value: teamsText(u.teams), 'aria-label': `Teams of ${u.name}`, disabled: u.role === 'admin' });
  const role = h('select', { 'aria-label': `Role of ${u.name}`, disabled: u.name === me.name },
    ['trainee', 'trainer', 'admin'].map((r) => {
      const o = h('option', { value: r }, r);
      o.selected = r === u.role;
      return o;
    }));
  const err = h('span', { class: 'form-error', role: 'alert', hidden: true });
  const invite = h('div');
  const patch = async (body) => {
    err.hidden = true;
    try {
      changed(await send('PATCH', `/api/users/${encodeURIComponent(u.name)}`, body));
    } catch (ex) {
      err.textContent = ex.message;
      err.hidden = false;
    }
  };
  return h('tr', { 'data-user': u.name },
    h('td', null, u.name),
    h('td', null, role),
    h('td', null, teams),
    h('td', null, u.disabled ? 'disabled' : u.invited ? 'invited' : 'active'),
    h('td', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn', onclick: () => patch({ role: role.value, teams: role.value === 'admin' ? [] : teamsOf(teams.value) }) }, 'Save'),
      u.name !== me.name && h('button', { type: 'button', class: 'btn', onclick: () => patch({ disabled: !u.disabled }) }, u.disabled ? 'Enable' : 'Disable'),
      h('button', {
        type: 'button',
        class: 'btn ghost',
        onclick: async () => {
          try {
            const res = await send('POST', `/api/users/${encodeURIComponent(u.name)}/invite`);
            clear(invite);
            append(invite, inviteLink(u.name, res.invite_url));
          } catch (ex) {
            err.textContent = ex.message;
            err.hidden = false;
          }
        },
      }, 'New password link'),
      err, invite));
}

function settingsCard(settings) {
  const fid = id('anon');
  const box = h('input', { type: 'checkbox', id: fid, class: 'anonymous-practice' });
  box.checked = !!settings.anonymous_practice;
  const status = h('span', { class: 'muted', role: 'status' });
  box.addEventListener('change', async () => {
    try {
      await send('PUT', '/api/settings', { anonymous_practice: box.checked });
      status.textContent = 'Saved.';
    } catch (ex) {
      status.textContent = ex.message;
      box.checked = !box.checked;
    }
  });
  return h('section', { class: 'card' }, h('h2', null, 'Settings'),
    h('p', null, box, ' ', h('label', { for: fid }, 'Anyone may practise without an account (their calls are kept without a name, and only admins see them)'), ' ', status));
}

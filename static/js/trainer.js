// The trainer's side of the app: its routes and the account menu.
//   #/login                    sign in
//   #/accept/<token>           set a password from an invite (or create the first admin)
//   #/calls                    the calls the user may see: filters, CSV, compare
//   #/review/<call-id>         one call's review (…/turn/<n> scrolls to a turn)
//   #/compare/<id>,<id>,…      attempts side by side
//   #/history/<name>           one trainee's attempts and trend
//   #/cohort/<scenario-id>     what the calls of one scenario did on its state graph
//   #/admin                    accounts, teams and settings
//   #/scenarios, #/edit/…      scenarios managed in the page (editor.js)
import { h, append, clear } from './dom.js';
import { me, signOut } from './account.js';
import { loginView, acceptView } from './login.js';
import { callsView } from './trainer-calls.js';
import { reviewView } from './trainer-review.js';
import { compareView } from './trainer-compare.js';
import { historyView } from './trainer-history.js';
import { adminView } from './trainer-admin.js';
import { cohortView } from './trainer-cohort.js';
import { scenariosView, editorView } from './editor.js';

// trainerRoute returns {key, start} for the trainer's routes, or null.
export function trainerRoute(parts, root) {
  const [page, arg] = parts;
  switch (page) {
    case 'login': return { key: 'login', start: () => loginView(root) };
    case 'accept': return arg ? { key: `accept/${arg}`, start: () => acceptView(root, arg) } : null;
    case 'calls': return { key: 'calls', start: () => callsView(root) };
    case 'review': return arg ? { key: `review/${arg}`, start: () => reviewView(root, arg) } : null;
    case 'compare': return arg ? { key: `compare/${arg}`, start: () => compareView(root, arg.split(',')) } : null;
    case 'history': return arg ? { key: `history/${arg}`, start: () => historyView(root, arg) } : null;
    case 'cohort': return arg ? { key: `cohort/${arg}`, start: () => cohortView(root, arg) } : null;
    case 'admin': return { key: 'admin', start: () => adminView(root) };
    case 'scenarios': return { key: 'scenarios', start: () => scenariosView(root) };
    case 'edit': return { key: `edit/${arg || ''}/${parts[2] || ''}`, start: () => editorView(root, arg || '', parts[2] || '') };
    default: return null;
  }
}

// renderNav fills the top bar with the signed-in user's links.
export async function renderNav() {
  const nav = document.getElementById('nav');
  if (!nav) return;
  const m = await me();
  clear(nav);
  const u = m.user;
  if (!u) {
    append(nav, h('a', { class: 'btn ghost', href: '#/login' }, 'Sign in'));
    return;
  }
  append(nav,
    h('a', { class: 'btn ghost', href: '#/' }, 'Practise'),
    h('a', { class: 'btn ghost', href: '#/calls' }, u.role === 'trainee' ? 'My calls' : 'Calls'),
    u.role === 'trainee' && h('a', { class: 'btn ghost', href: `#/history/${encodeURIComponent(u.name)}` }, 'My progress'),
    u.role !== 'trainee' && h('a', { class: 'btn ghost', href: '#/scenarios' }, 'Scenarios'),
    u.role !== 'trainee' && h('a', { class: 'btn ghost', href: '/assess-review.html' }, 'Assessments'),
    u.role === 'admin' && h('a', { class: 'btn ghost', href: '#/admin' }, 'Admin'),
    h('span', { class: 'who-am-i', 'data-role': u.role }, `${u.name} · ${u.role}`),
    h('button', {
      type: 'button',
      class: 'btn sign-out',
      onclick: async () => {
        await signOut();
        location.hash = '#/login';
        renderNav();
      },
    }, 'Sign out'));
}

// needUser runs show(user) once signed in, or shows a sign-in prompt.
export async function needUser(holder, show) {
  const m = await me();
  if (!m.user) {
    clear(holder);
    append(holder, h('h1', null, 'Sign in first'),
      h('p', null, h('a', { class: 'btn primary', href: '#/login' }, 'Sign in')));
    return;
  }
  show(m.user);
}

// problem replaces holder's content with an error notice.
export function problem(holder, title, err) {
  clear(holder).removeAttribute('aria-busy');
  append(holder, h('h1', null, title),
    h('div', { class: 'notice error', role: 'alert' }, h('p', null, err.message)));
}

// when formats a time for people.
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function duration(seconds) {
  if (!seconds) return '';
  const m = Math.floor(seconds / 60);
  return m ? `${m} min ${seconds % 60} s` : `${seconds} s`;
}

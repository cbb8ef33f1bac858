// The calls a user may see (GET /api/calls): filters, sort, pages, CSV
// export, and a selection to compare.
import { h, append, clear, fetchJSON, outcomeText, profileText, id } from './dom.js';
import { needUser, problem, when, duration } from './trainer.js';

const PER_PAGE = 25;

export function callsView(root) {
  const holder = h('div', { class: 'calls-page', 'aria-busy': 'true' }, h('h1', null, 'Calls'));
  append(root, holder);
  needUser(holder, (user) => show(holder, user));
  return {};
}

async function show(holder, user) {
  const state = { page: 1, filters: {}, selected: new Map() }; // selected: id → scenario
  let scenarios = [];
  let teams = [];
  try {
    scenarios = await fetchJSON('/api/scenarios');
    if (user.role !== 'trainee') teams = await fetchJSON('/api/teams');
  } catch (err) {
    problem(holder, 'Calls', err);
    return;
  }
  clear(holder).removeAttribute('aria-busy');
  const title = user.role === 'trainee' ? 'My calls' : 'Calls';
  const controls = {};
  const select = (name, label, options) => {
    const el = h('select', { name }, h('option', { value: '' }, 'Any'), options.map(([v, t]) => h('option', { value: v }, t)));
    controls[name] = el;
    return labelled(label, el);
  };
  const input = (name, label, type = 'text') => {
    const el = h('input', { type, name });
    controls[name] = el;
    return labelled(label, el);
  };
  const form = h('form', { class: 'card filters', 'aria-label': 'Filter the calls' },
    user.role !== 'trainee' && input('trainee', 'Trainee'),
    user.role !== 'trainee' && select('team', 'Team', teams.map((t) => [t.name, t.name])),
    select('scenario', 'Scenario', scenarios.map((s) => [s.id, s.title || s.id])),
    select('mode', 'Mode', [['training', 'Training'], ['assessment', 'Assessment']]),
    select('outcome', 'Outcome', [['won', 'Won'], ['lost', 'Lost'], ['open', 'Open'], ['unfinished', 'Unfinished']]),
    select('profile', 'Profile', Object.entries(profileText)),
    input('from', 'From', 'date'),
    input('to', 'To', 'date'),
    labelled('Sort', controls.sort = h('select', { name: 'sort' },
      [['-started', 'Newest first'], ['started', 'Oldest first'], ['-score', 'Best score'], ['score', 'Lowest score'],
        ['trainee', 'Trainee'], ['scenario', 'Scenario'], ['-duration', 'Longest']].map(([v, t]) => h('option', { value: v }, t)))),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'btn primary' }, 'Apply')));
  const csv = h('a', { class: 'btn export-csv', download: 'calls.csv', href: '/api/calls?format=csv' }, 'Export CSV');
  // The lines trainees corrected, labelled for the classifier's next training round.
  const corrections = h('a', { class: 'btn export-corrections', download: 'corrections.txt', href: '/api/corrections' }, 'Export corrections');
  // The sentences the classifier was unsure of, to be labelled.
  const unsure = h('a', { class: 'btn export-unsure', download: 'unsure.txt', href: '/api/corrections?unsure=1',
    title: 'sentences the simulator was not sure how to read, for labelling' }, 'Export unsure lines');
  const compare = h('button', { type: 'button', class: 'btn compare-selected', disabled: true }, 'Compare selected');
  const cohort = h('a', { class: 'btn cohort-link', hidden: true }, 'Cohort view');
  const note = h('p', { class: 'muted compare-note' }, 'Tick two or more attempts of one scenario to compare them.');
  const table = h('div', { class: 'table-wrap' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  append(holder,
    h('div', { class: 'page-head' }, h('h1', null, title),
      h('div', { class: 'actions' }, csv, user.role !== 'trainee' && corrections, user.role !== 'trainee' && unsure, compare, user.role !== 'trainee' && cohort)),
    form, note, table, pager);

  const params = () => {
    const p = new URLSearchParams();
    for (const [k, el] of Object.entries(controls)) if (el.value) p.set(k, el.value);
    return p;
  };
  compare.addEventListener('click', () => {
    location.hash = `#/compare/${[...state.selected.keys()].map(encodeURIComponent).join(',')}`;
  });
  const updateCompare = () => {
    const scs = new Set(state.selected.values());
    compare.disabled = state.selected.size < 2 || state.selected.size > 6 || scs.size !== 1;
    note.textContent = scs.size > 1 ? 'Attempts compared are of one scenario.' : 'Tick two or more attempts of one scenario to compare them.';
  };
  const load = async () => {
    const p = params();
    csv.setAttribute('href', `/api/calls?${p.toString()}${p.toString() ? '&' : ''}format=csv`);
    const only = controls.scenario.value ? `scenario=${encodeURIComponent(controls.scenario.value)}` : '';
    corrections.setAttribute('href', only ? `/api/corrections?${only}` : '/api/corrections');
    unsure.setAttribute('href', `/api/corrections?unsure=1${only ? '&' + only : ''}`);
    if (controls.scenario.value) {
      cohort.hidden = false;
      cohort.setAttribute('href', `#/cohort/${encodeURIComponent(controls.scenario.value)}`);
    } else cohort.hidden = true;
    p.set('page', String(state.page));
    p.set('per_page', String(PER_PAGE));
    table.setAttribute('aria-busy', 'true');
    let data;
    try {
      data = await fetchJSON(`/api/calls?${p.toString()}`);
    } catch (err) {
      clear(table).removeAttribute('aria-busy');
      append(table, h('div', { class: 'notice error', role: 'alert' }, h('p', null, err.message)));
      return;
    }
    clear(table).removeAttribute('aria-busy');
    renderTable(table, data.calls, user, state, updateCompare);
    renderPager(pager, data, state, load);
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    state.page = 1;
    load();
  });
  load();
}

function labelled(label, el) {
  const fid = id('flt');
  el.setAttribute('id', fid);
  return h('div', { class: 'field' }, h('label', { for: fid }, label), el);
}

function renderTable(holder, calls, user, state, onSelect) {
  if (!calls.length) {
    append(holder, h('p', { class: 'empty' }, 'No calls match.'));
    return;
  }
  append(holder, h('table', { class: 'calls-table' },
    h('thead', null, h('tr', null,
      ['Compare', 'Started', user.role !== 'trainee' && 'Trainee', 'Scenario', 'Mode', 'Turns', 'Length', 'Outcome', 'Profile', 'Customer focus', 'Self-focus', 'Score', '']
        .filter((x) => x !== false).map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', null, calls.map((c) => {
      const box = h('input', { type: 'checkbox', class: 'pick', 'aria-label': `Compare the call of ${when(c.started)}` });
      box.checked = state.selected.has(c.id);
      box.addEventListener('change', () => {
        if (box.checked) state.selected.set(c.id, c.scenario);
        else state.selected.delete(c.id);
        onSelect();
      });
      return h('tr', { 'data-call': c.id, 'data-scenario': c.scenario },
        h('td', null, box),
        h('td', null, when(c.started)),
        user.role !== 'trainee' && h('td', null, c.trainee
          ? h('a', { href: `#/history/${encodeURIComponent(c.trainee)}` }, c.trainee)
          : h('span', { class: 'muted' }, 'anonymous')),
        h('td', null, c.title || c.scenario),
        h('td', null, h('span', { class: `pill mode-${c.mode}` }, c.mode)),
        h('td', { class: 'num' }, String(c.turns),
          c.corrections > 0 && h('span', { class: 'muted small corrections-count', title: 'lines the trainee corrected' }, ` (${c.corrections} corrected)`)),
        h('td', null, duration(c.duration_seconds)),
        h('td', null, h('span', { class: `outcome-chip outcome-${c.outcome}` }, outcomeText[c.outcome] || c.outcome)),
        h('td', null, c.profile ? profileText[c.profile] || c.profile : ''),
        h('td', { class: 'num' }, c.customer_focus ?? ''),
        h('td', { class: 'num' }, c.self_focus ?? ''),
        h('td', { class: 'num' }, c.score ?? ''),
        h('td', null, h('a', { class: 'btn review', href: `#/review/${encodeURIComponent(c.id)}` }, 'Review')));
    }))));
}

function renderPager(pager, data, state, load) {
  clear(pager);
  const pages = Math.max(1, Math.ceil(data.total / data.per_page));
  const go = (p) => () => {
    state.page = p;
    load();
  };
  append(pager,
    h('button', { type: 'button', class: 'btn', disabled: state.page <= 1, onclick: go(state.page - 1) }, 'Previous'),
    h('span', { class: 'muted' }, `Page ${state.page} of ${pages} · ${data.total} call${data.total === 1 ? '' : 's'}`),
    h('button', { type: 'button', class: 'btn', disabled: state.page >= pages, onclick: go(state.page + 1) }, 'Next'));
}

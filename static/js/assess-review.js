// The reviewer's assessment page: create an assessment (the links are
// shown once), list them, and review one: every candidate on the same
// criteria, blind ("Candidate 3") until revealed, the integrity signals
// beside the turns they followed, a scorecard per candidate, and export.
import { h, clear } from './dom.js';

const app = document.getElementById('app');
let me = ''; // the signed-in reviewer's name, for their own scorecard

async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    credentials: 'same-origin',
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
  return data;
}

function show(...nodes) {
  clear(app).append(...nodes);
}

async function list() {
  let all;
  try {
    all = await api('GET', '/api/assessments');
  } catch (e) {
    return show(h('p', { class: 'error' }, e.message, ' ', h('a', { href: '/#/login' }, 'Sign in')));
  }
  // Every scenario the reviewer may assess on, drafts (private scenarios) included.
  const authored = await api('GET', '/api/authoring').catch(() => ({ scenarios: [] }));
  const choices = h('datalist', { id: 'scenario-ids' }, authored.scenarios.map((sc) =>
    h('option', { value: sc.id }, `${sc.title}${sc.serving ? '' : ' (draft: private)'}`)));
  const scenario = h('input', { id: 'scenario', required: true, placeholder: 'scenario id', list: 'scenario-ids', autocomplete: 'off' });
  const limit = h('input', { id: 'limit', value: '20m', required: true });
  const count = h('input', { id: 'count', type: 'number', min: 1, max: 200, value: 2 });
  const instructions = h('textarea', { id: 'instructions', rows: 3, maxlength: 8000, placeholder: 'Empty: the standard instructions (the call, the time limit, one attempt, a few questions after).' });
  const questions = h('textarea', { id: 'questions', rows: 4, placeholder: 'One question a line. Empty: the standard debrief (what they learned of the customer\'s needs, what they would do differently, how they balanced the customer\'s interest and their own, what next).' });
  const expires = h('input', { id: 'expires', placeholder: 'e.g. 72h; empty: never' });
  const links = h('ol', { id: 'links', class: 'links' });
  const err = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    class: 'new-assessment',
    onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        const qs = questions.value.split('\n').map((q) => q.trim()).filter(Boolean);
        const out = await api('POST', '/api/assessments', {
          scenario: scenario.value.trim(),
          time_limit: limit.value.trim(),
          candidates: Number(count.value),
          instructions: instructions.value.trim() || undefined,
          questions: qs.length ? qs : undefined,
          expires_in: expires.value.trim() || undefined,
        });
        clear(links).append(...out.links.map((l) => h('li', {}, h('code', {}, location.origin + l))));
        err.textContent = 'Copy these links now: they are not shown again.';
      } catch (e) {
        err.textContent = e.message;
      }
    },
  }, h('label', { for: 'scenario' }, 'Scenario'), scenario, choices, h('label', { for: 'limit' }, 'Time limit'), limit,
  h('label', { for: 'count' }, 'Candidates'), count,
  h('label', { for: 'instructions' }, 'Instructions for the candidates'), instructions,
  h('label', { for: 'questions' }, 'Debrief questions'), questions,
  h('label', { for: 'expires' }, 'Links expire after'), expires,
  h('button', { class: 'btn primary', type: 'submit' }, 'Create'), err, links);
  show(h('section', { class: 'panel' }, h('h1', {}, 'New assessment'), form),
    h('section', { class: 'panel' }, h('h1', {}, 'Assessments'),
      all.length
        ? h('ul', {}, all.map((a) => h('li', {}, h('a', { href: `#${a.id}` }, `${a.scenario} · ${limitText(a.time_limit)} · ${a.created.slice(0, 10)} by ${a.created_by}`))))
        : h('p', { class: 'empty' }, 'None yet.')));
}

// limitText writes a time limit (nanoseconds, as the API gives it) for people.
function limitText(ns) {
  const s = ns / 1e9;
  return s % 60 === 0 ? `${s / 60} min` : s < 60 ? `${s} s` : `${Math.round(s / 6) / 10} min`;
}

async function review(id, reveal) {
  let rev;
  try {
    rev = await api('GET', `/api/assessments/${encodeURIComponent(id)}${reveal ? '?reveal=1' : ''}`);
  } catch (e) {
    return show(h('p', { class: 'error' }, e.message));
  }
  const q = reveal ? '&reveal=1' : '';
  const head = h('section', { class: 'panel' },
    h('p', {}, h('a', { href: '#' }, '← All assessments')),
    h('h1', {}, `Assessment on ${rev.assessment.scenario}`),
    h('p', {}, rev.blind ? 'Blind: names are hidden so that candidates are judged on the call.' : 'Names shown.', ' ',
      h('button', { class: 'btn secondary', type: 'button', id: 'reveal', onclick: () => review(id, !reveal) }, reveal ? 'Hide names' : 'Reveal names')),
    h('p', { class: 'note' }, 'Revealing the names, here or in an export, is recorded with your name and the time, and shown to every reviewer of this assessment.'),
    revealList(rev.reveals),
    h('p', {}, h('a', { href: `/api/assessments/${id}/export?format=csv${q}` }, 'Export CSV'), ' · ',
      h('a', { href: `/api/assessments/${id}/export?format=json${q}` }, 'Export JSON')),
    h('p', { class: 'note' }, rev.signal_note));
  const table = compareTable(rev);
  // A saved scorecard redraws the table, with the new mean ratings. It
  // reads the review blind and keeps the names already shown: redrawing is
  // not another reveal.
  const redraw = async () => {
    const fresh = await api('GET', `/api/assessments/${encodeURIComponent(id)}`).catch(() => null);
    if (!fresh) return;
    if (reveal) {
      for (const c of fresh.candidates) {
        const shown = rev.candidates.find((o) => o.id === c.id);
        if (shown) Object.assign(c, { name: shown.name, email: shown.email });
      }
    }
    document.getElementById('compare').replaceWith(compareTable(fresh));
  };
  show(head, h('section', { class: 'panel' }, h('h2', {}, 'Side by side'), h('div', { class: 'table-scroll' }, table)), ...rev.candidates.map((c) => candidate(rev, c, id, reveal, redraw)));
}

// REVEALS_SHOWN is how many of the latest reveals the page lists before
// a button shows them all.
const REVEALS_SHOWN = 5;

// revealList lists the reveals, oldest first: the latest REVEALS_SHOWN,
// and a button for all of them when there are more. null for none.
function revealList(reveals) {
  if (!reveals.length) return null;
  const items = reveals.map((r) => h('li', {}, revealText(r)));
  const list = h('ul', { class: 'reveals', id: 'reveals' }, items.slice(-REVEALS_SHOWN));
  if (items.length <= REVEALS_SHOWN) return list;
  const all = h('button', {
    class: 'btn secondary', type: 'button', id: 'all-reveals',
    onclick: () => { list.replaceChildren(...items); all.remove(); },
  }, `Show all ${items.length} reveals`);
  return h('div', {}, list, all);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// revealText says who was shown the names, and when (in the reader's time
// zone): "Names revealed by alice on 1 Dec 2026 20:05", with the export
// when it was one.
function revealText(r) {
  const d = new Date(r.at);
  const pad = (n) => String(n).padStart(2, '0');
  const when = `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const how = r.via === 'csv' ? ' in the CSV export' : r.via === 'json' ? ' in the JSON export' : '';
  return `Names revealed by ${r.user} on ${when}${how}`;
}

// compareTable puts the candidates side by side on the same criteria: the
// call, the signals, and the reviewers' mean rating of each indicator.
function compareTable(rev) {
  return h('table', { class: 'compare compare-table', id: 'compare' },
    h('thead', {}, h('tr', {}, ['Candidate', 'Status', 'Ending', 'Outcome', 'Score', 'Profile', 'Pastes', 'Focus lost', 'Turns', ...rev.indicators]
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rev.candidates.map((c) => h('tr', {},
      h('th', { scope: 'row' }, c.name ? `${c.label} (${c.name})` : c.label), h('td', {}, c.status), h('td', {}, c.ending || ''),
      h('td', {}, c.outcome || ''), h('td', {}, c.call ? String(c.score) : ''), h('td', {}, c.profile || ''),
      h('td', {}, String(c.signals.filter((s) => s.kind === 'paste').length)),
      h('td', {}, String(c.signals.filter((s) => s.kind === 'blur').length)),
      h('td', {}, c.call ? String(c.turns?.length || 0) : ''),
      rev.indicators.map((_, i) => h('td', {}, meanRating(c.scorecards, i)))))));
}

// meanRating is the reviewers' mean rating of indicator i, to one decimal
// ('' when none rated it), as the CSV has it.
function meanRating(cards, i) {
  const rated = cards.map((s) => s.ratings[i]).filter((r) => r > 0);
  if (!rated.length) return '';
  return String(Math.round((rated.reduce((a, b) => a + b, 0) * 10) / rated.length) / 10);
}

// signalText says what the candidate's page noticed, for people.
function signalText(s) {
  switch (s.kind) {
    case 'paste': return `pasted ${s.length} characters`;
    case 'blur': return 'left the page (another tab or window)';
    case 'focus': return 'came back to the page';
    default: return s.kind;
  }
}

function candidate(rev, c, id, reveal, saved) {
  const turns = h('ol', { class: 'call-lines' });
  const nTurns = c.turns?.length || 0;
  for (let n = 0; n <= nTurns; n++) {
    const t = n > 0 ? c.turns[n - 1] : null;
    if (t) turns.append(h('li', { class: 'said' }, h('strong', {}, 'Candidate: '), t.said), h('li', { class: 'reply' }, h('strong', {}, 'Customer: '), t.reply));
    for (const s of c.signals.filter((s) => s.turn === n)) {
      turns.append(h('li', { class: 'signal' }, `Signal: ${signalText(s)} at ${s.at.slice(11, 19)}`));
    }
  }
  if (c.call && !turns.firstChild) turns.append(h('li', { class: 'empty' }, c.ending ? 'The candidate said nothing.' : 'Nothing said yet.'));
  const mine = c.scorecards.find((s) => s.reviewer === me);
  const rows = rev.indicators.map((name, i) => {
    const r = h('select', { id: `r-${c.id}-${i}`, 'aria-label': `${name}: rating` },
      ['', 1, 2, 3, 4, 5].map((v) => h('option', { value: v, selected: mine && mine.ratings[i] === v }, v === '' ? 'not rated' : String(v))));
    const note = h('input', { id: `n-${c.id}-${i}`, 'aria-label': `${name}: note`, value: mine?.notes[i] || '' });
    return h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, r), h('td', {}, note));
  });
  const status = h('p', { role: 'status' });
  const form = h('form', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      const ratings = rev.indicators.map((_, i) => Number(document.getElementById(`r-${c.id}-${i}`).value || 0));
      const notes = rev.indicators.map((_, i) => document.getElementById(`n-${c.id}-${i}`).value);
      try {
        await api('PUT', `/api/assessments/${id}/candidates/${c.id}/scorecard`, { ratings, notes });
        status.textContent = 'Saved.';
        saved();
      } catch (e) {
        status.textContent = e.message;
      }
    },
  }, h('table', { class: 'scorecard' }, rows), h('button', { class: 'btn', type: 'submit' }, 'Save scorecard'), status);
  return h('section', { class: 'panel', id: `c-${c.id}` },
    h('h2', {}, reveal && c.name ? `${c.label}: ${c.name}` : c.label),
    h('h3', {}, 'The call'), c.call ? turns : h('p', { class: 'empty' }, 'Not started.'),
    c.call ? h('p', {}, h('a', { class: 'transcript-json', href: `/api/calls/${c.call}/transcript`, download: '' }, 'Download the call (JSON, for roleplay grade)')) : null,
    c.answers?.length ? [h('h3', {}, 'Debrief'), h('dl', {}, rev.assessment.questions.map((q, i) => [h('dt', {}, q), h('dd', {}, c.answers[i] || '(no answer)')]))] : null,
    h('h3', {}, 'Scorecard'), form);
}

async function route() {
  if (!me) me = (await api('GET', '/api/me').catch(() => ({}))).user?.name || '';
  const id = location.hash.slice(1);
  if (id) review(id, false);
  else list();
}

window.addEventListener('hashchange', route);
route();

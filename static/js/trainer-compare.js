// Attempts of one scenario side by side (GET /api/compare): scores and
// their parts, SPIN counts, facts found, and the transcripts aligned by turn.
import { h, append, clear, fetchJSON, outcomeText, profileText } from './dom.js';
import { needUser, problem, when } from './trainer.js';

export function compareView(root, ids) {
  const holder = h('div', { class: 'compare', 'aria-busy': 'true' }, h('h1', null, 'Compare attempts'));
  append(root, holder);
  needUser(holder, async () => {
    let data;
    try {
      data = await fetchJSON(`/api/compare?calls=${ids.map(encodeURIComponent).join(',')}`);
    } catch (err) {
      problem(holder, 'Compare attempts', err);
      return;
    }
    clear(holder).removeAttribute('aria-busy');
    render(holder, data);
  });
  return {};
}

function render(holder, data) {
  const calls = data.calls;
  const head = h('tr', null, h('th', { scope: 'col' }, ''), calls.map((a, i) => h('th', { scope: 'col', 'data-call': a.call.id },
    h('a', { href: `#/review/${encodeURIComponent(a.call.id)}` }, `Attempt ${i + 1}`),
    h('div', { class: 'muted' }, `${a.call.trainee || 'anonymous'} · ${when(a.call.started)}`))));
  const row = (label, f, cls) => h('tr', { class: cls }, h('th', { scope: 'row' }, label), calls.map((a) => h('td', { class: 'num' }, a.report ? f(a.report) : '—')));
  const parts = (axis) => {
    const names = [];
    for (const a of calls) for (const p of (a.report && a.report[axis]) || []) if (!names.includes(p.name)) names.push(p.name);
    return names.map((n) => row(`\u2003${n}`, (r) => {
      const p = (r[axis] || []).find((x) => x.name === n);
      return p ? `${p.points}/${p.max}` : '—';
    }, 'part'));
  };
  const spin = (k) => (r) => String((r.spin || {})[k] ?? 0);
  const found = (r) => `${(r.discovery || {}).found ?? 0}/${(r.discovery || {}).total ?? 0} · ${(r.qualification || {}).found ?? 0}/${(r.qualification || {}).total ?? 0}`;
  append(holder,
    h('h1', null, `Compare attempts: ${calls[0]?.call.title || data.scenario}`),
    h('section', { class: 'card' }, h('h2', null, 'Scores'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'compare-table' },
        h('thead', null, head),
        h('tbody', null,
          row('Outcome', (r) => outcomeText[r.outcome] || r.outcome),
          row('Profile', (r) => profileText[r.profile] || r.profile),
          row('Score', (r) => String(r.score), 'total'),
          row('Customer focus', (r) => String(r.customer_focus), 'axis'), parts('customer_focus_parts'),
          row('Self-focus', (r) => String(r.self_focus), 'axis'), parts('self_focus_parts'),
          row('Situation questions', spin('situation')),
          row('Problem questions', spin('problem')),
          row('Implication questions', spin('implication')),
          row('Need-payoff questions', spin('need_payoff')),
          row('Facts found (discovery · qualification)', found))))),
    factsCard(calls),
    transcriptsCard(calls));
}

function factsCard(calls) {
  const facts = new Map(); // id → label
  for (const a of calls) {
    const r = a.report || {};
    for (const f of [...((r.discovery || {}).facts || []), ...((r.qualification || {}).facts || [])]) facts.set(f.id, `${f.label} (${f.kind})`);
  }
  const turnOf = (a, fid) => {
    const r = a.report || {};
    const f = [...((r.discovery || {}).facts || []), ...((r.qualification || {}).facts || [])].find((x) => x.id === fid);
    return f && f.turn ? `turn ${f.turn}` : '—';
  };
  return h('section', { class: 'card' }, h('h2', null, 'Facts found'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'compare-table facts' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Fact'), calls.map((_, i) => h('th', { scope: 'col' }, `Attempt ${i + 1}`)))),
      h('tbody', null, [...facts].map(([fid, label]) => h('tr', null, h('th', { scope: 'row' }, label),
        calls.map((a) => h('td', null, turnOf(a, fid)))))))));
}

function transcriptsCard(calls) {
  const turns = Math.max(0, ...calls.map((a) => a.turns.length));
  const rows = [];
  for (let n = 1; n <= turns; n += 1) {
    rows.push(h('tr', { class: 'aligned-turn', 'data-turn': String(n) }, h('th', { scope: 'row' }, `Turn ${n}`),
      calls.map((a) => {
        const t = a.turns[n - 1];
        const acts = a.report && a.report.transcript && a.report.transcript[n - 1] ? a.report.transcript[n - 1].acts || [] : (t ? t.acts || [] : []);
        return h('td', null, t ? [
          h('p', { class: 'said' }, t.said),
          acts.length > 0 && h('p', { class: 'chips-line muted' }, acts.map((d) => d.act.replaceAll('_', ' ')).join(' · ')),
          h('p', { class: 'reply muted' }, t.reply)] : h('span', { class: 'muted' }, '—'));
      })));
  }
  return h('section', { class: 'card' }, h('h2', null, 'Transcripts, turn by turn'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'compare-table transcripts' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, ''), calls.map((_, i) => h('th', { scope: 'col' }, `Attempt ${i + 1}`)))),
      h('tbody', null, rows))));
}

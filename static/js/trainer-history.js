// One trainee's attempts over time, with a trend chart of customer focus,
// self-focus and score (inline SVG, drawn here; no library), overall or
// for one scenario.
import { h, s, append, clear, fetchJSON, outcomeText, profileText, id } from './dom.js';
import { needUser, problem, when } from './trainer.js';

const SERIES = [
  { key: 'customer_focus', label: 'Customer focus', cls: 'series-cf' },
  { key: 'self_focus', label: 'Self-focus', cls: 'series-sf' },
  { key: 'score', label: 'Score', cls: 'series-score' },
];

export function historyView(root, name) {
  const holder = h('div', { class: 'history', 'aria-busy': 'true' }, h('h1', null, `Progress of ${name}`));
  append(root, holder);
  needUser(holder, async () => {
    let data;
    try {
      data = await fetchJSON(`/api/calls?trainee=${encodeURIComponent(name)}&sort=started&per_page=500`);
    } catch (err) {
      problem(holder, `Progress of ${name}`, err);
      return;
    }
    clear(holder).removeAttribute('aria-busy');
    render(holder, name, data.calls);
  });
  return {};
}

function render(holder, name, calls) {
  const graded = calls.filter((c) => c.score != null);
  const scenarios = [...new Map(graded.map((c) => [c.scenario, c.title || c.scenario]))];
  const pick = h('select', { id: id('hs') }, h('option', { value: '' }, 'All scenarios'), scenarios.map(([v, t]) => h('option', { value: v }, t)));
  const chartBox = h('div', { class: 'trend' });
  const draw = () => {
    clear(chartBox);
    const shown = graded.filter((c) => !pick.value || c.scenario === pick.value);
    append(chartBox, shown.length ? chart(shown) : h('p', { class: 'empty' }, 'No graded attempts yet.'));
  };
  pick.addEventListener('change', draw);
  append(holder,
    h('h1', null, `Progress of ${name}`),
    h('section', { class: 'card' },
      h('div', { class: 'page-head' }, h('h2', null, 'Trend'),
        h('div', { class: 'field' }, h('label', { for: pick.id }, 'Scenario'), pick)),
      chartBox),
    h('section', { class: 'card' }, h('h2', null, `Every attempt (${calls.length})`),
      h('ol', { class: 'attempts' }, [...calls].reverse().map((c) => h('li', null,
        h('a', { href: `#/review/${encodeURIComponent(c.id)}` }, when(c.started)),
        ` · ${c.title || c.scenario} · ${c.mode} · ${outcomeText[c.outcome] || c.outcome}`,
        c.score != null && ` · ${profileText[c.profile] || c.profile} · score ${c.score}`)))));
  draw();
}

// chart draws the three series over the attempts, in the order played.
function chart(calls) {
  const W = 640; const H = 260; const L = 40; const R = 16; const T = 16; const B = 40;
  const pw = W - L - R; const ph = H - T - B;
  const x = (i) => L + (calls.length === 1 ? pw / 2 : (i / (calls.length - 1)) * pw);
  const y = (v) => T + ph - (Math.max(0, Math.min(100, v)) / 100) * ph;
  const grid = [0, 25, 50, 75, 100].map((v) => [
    s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid-line' }),
    s('text', { x: L - 6, y: y(v) + 4, class: 'axis-label', 'text-anchor': 'end' }, String(v))]);
  const ticks = calls.map((c, i) => (calls.length <= 12 || i % Math.ceil(calls.length / 12) === 0)
    && s('text', { x: x(i), y: H - B + 16, class: 'axis-label', 'text-anchor': 'middle' }, new Date(c.started).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })));
  const lines = SERIES.map((se) => {
    const pts = calls.map((c, i) => `${x(i).toFixed(1)},${y(c[se.key]).toFixed(1)}`).join(' ');
    return s('g', { class: `series ${se.cls}` },
      s('polyline', { points: pts, fill: 'none' }),
      calls.map((c, i) => s('circle', { cx: x(i), cy: y(c[se.key]), r: 3.5 },
        s('title', null, `${se.label} ${c[se.key]} · ${when(c.started)} · ${c.title || c.scenario}`))));
  });
  const desc = SERIES.map((se) => `${se.label}: ${calls.map((c) => c[se.key]).join(', ')}`).join('. ');
  return h('figure', { class: 'trend-figure' },
    s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'trend-chart', role: 'img', 'aria-label': `Trend over ${calls.length} attempts. ${desc}` },
      grid, ticks, lines),
    h('figcaption', { class: 'legend' }, SERIES.map((se) => h('span', { class: `key ${se.cls}` }, se.label))));
}

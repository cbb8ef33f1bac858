// What the calls of one scenario did on its state graph (GET
// /api/scenarios/<id>/cohort): states reached and lost in, facts rarely
// uncovered, drawn with Mermaid (vendored in static/vendor/mermaid).
import { h, append, clear, fetchJSON } from './dom.js';
import { needUser, problem } from './trainer.js';
import { drawGraph as draw } from './graph.js';

export function cohortView(root, scenarioId) {
  const holder = h('div', { class: 'cohort', 'aria-busy': 'true' }, h('h1', null, 'Cohort'));
  append(root, holder);
  needUser(holder, async () => {
    let co;
    try {
      co = await fetchJSON(`/api/scenarios/${encodeURIComponent(scenarioId)}/cohort`);
    } catch (err) {
      problem(holder, 'Cohort', err);
      return;
    }
    clear(holder).removeAttribute('aria-busy');
    render(holder, co);
  });
  return {};
}

function render(holder, co) {
  const graph = h('div', { class: 'cohort-graph', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Drawing the state graph…'));
  const total = co.calls || 0;
  const pct = (n) => (total ? `${Math.round((n / total) * 100)}%` : '—');
  append(holder,
    h('h1', null, `Cohort: ${co.scenario}`),
    h('p', { class: 'muted' }, `${total} graded call${total === 1 ? '' : 's'} you may see. Darker states were reached by more calls; dashed moves were never made.`),
    h('section', { class: 'card' }, h('h2', null, 'State graph'), graph),
    h('div', { class: 'grid two' },
      h('section', { class: 'card' }, h('h2', null, 'States'),
        h('table', { class: 'cohort-states' },
          h('thead', null, h('tr', null, ['State', 'Reached', 'Ended here', 'Lost here'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, co.states.map((st) => h('tr', { 'data-state': st.name },
            h('th', { scope: 'row' }, st.name, st.end && h('span', { class: 'muted' }, ` (${st.end})`)),
            h('td', { class: 'num' }, `${st.reached} (${pct(st.reached)})`),
            h('td', { class: 'num' }, String(st.ended)),
            h('td', { class: 'num' }, String(st.lost))))))),
      h('section', { class: 'card' }, h('h2', null, 'Facts, rarest first'),
        h('table', { class: 'cohort-facts' },
          h('thead', null, h('tr', null, ['Fact', 'Kind', 'Uncovered by'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', null, co.facts.map((f) => h('tr', { 'data-fact': f.id },
            h('th', { scope: 'row' }, f.label), h('td', null, f.kind), h('td', { class: 'num' }, `${f.found} (${pct(f.found)})`))))))));
  drawGraph(graph, co.graph);
}

async function drawGraph(box, source) {
  try {
    await draw(box, source, 'The persona\u2019s state graph, shaded by how many calls reached each state');
  } catch (err) {
    clear(box).removeAttribute('aria-busy');
    append(box, h('div', { class: 'notice' }, h('p', null, `${err.message} The tables below hold the same numbers.`),
      h('pre', { class: 'graph-source' }, source)));
  }
}

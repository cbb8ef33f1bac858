// The scenario picker: one card per persona, and the practice mode.
import { h, append, clear, fetchJSON, id } from './dom.js';
import { getMode, setMode } from './mode.js';

const difficultyOrder = { beginner: 0, intermediate: 1, advanced: 2 };

export function pickerView(root) {
  const list = h('div', { class: 'cards', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading scenarios…'));
  append(root,
    h('section', { class: 'hero' },
      h('h1', null, 'Practise a sales call'),
      h('p', { class: 'lede' },
        'Pick a customer, read the brief, and run the call. Ask before you pitch: the customer opens up to good questions and closes the door on a product monologue.'),
      modeToggle()),
    h('h2', { class: 'section-title' }, 'Customers'),
    list);
  load(list);
  return {};
}

function modeToggle() {
  const name = id('mode');
  const help = h('p', { class: 'mode-help', id: id('mode-help') });
  const explain = (mode) => {
    help.textContent = mode === 'assessment'
      ? 'Assessment: no meters or hints during the call, as in a real conversation. You get the full report at the end.'
      : 'Training: live trust and patience meters, a discovery checklist and the acts the simulator heard in each of your lines.';
  };
  const option = (value, label) => {
    const input = h('input', { type: 'radio', name, value, id: `${name}-${value}` });
    input.checked = getMode() === value;
    input.addEventListener('change', () => {
      if (input.checked) {
        setMode(value);
        explain(value);
      }
    });
    return h('label', { class: 'seg', for: `${name}-${value}` }, input, h('span', null, label));
  };
  explain(getMode());
  return h('fieldset', { class: 'mode', 'aria-describedby': help.id },
    h('legend', null, 'Mode'),
    h('div', { class: 'segmented' }, option('training', 'Training'), option('assessment', 'Assessment')),
    help);
}

async function load(list) {
  let scenarios;
  try {
    const data = await fetchJSON('/api/scenarios');
    scenarios = Array.isArray(data) ? data : (data && (data.scenarios || data.items)) || [];
  } catch (err) {
    clear(list).removeAttribute('aria-busy');
    append(list, h('div', { class: 'notice error', role: 'alert' },
      h('p', null, `Could not load the scenarios. ${err.message}`),
      h('button', { type: 'button', class: 'btn', onclick: () => { clear(list); load(list); } }, 'Try again')));
    return;
  }
  clear(list).removeAttribute('aria-busy');
  if (scenarios.length === 0) {
    append(list, h('p', { class: 'empty' }, 'No scenarios are installed yet.'));
    return;
  }
  scenarios = [...scenarios].sort((a, b) =>
    (difficultyOrder[a.difficulty] ?? 9) - (difficultyOrder[b.difficulty] ?? 9));
  for (const sc of scenarios) append(list, card(sc));
}

function card(sc) {
  const c = sc.customer || {};
  const titleId = id('sc');
  const who = [c.role, c.company].filter(Boolean).join(' · ');
  const skills = Array.isArray(sc.skills) ? sc.skills : [];
  const brief = String(sc.brief || '').trim();
  return h('article', { class: 'card scenario', 'aria-labelledby': titleId, 'data-scenario': sc.id },
    h('div', { class: 'card-top' },
      h('div', { class: 'avatar', 'aria-hidden': 'true' }, initials(c.name)),
      h('div', { class: 'who' },
        h('h3', { id: titleId }, c.name || sc.title || sc.id),
        who && h('p', { class: 'muted' }, who)),
      sc.difficulty && h('span', { class: `pill diff-${sc.difficulty}` }, sc.difficulty),
      sc.draft && h('span', { class: 'pill draft', title: 'Only trainers and admins see a draft' }, 'Draft')),
    sc.title && sc.title !== c.name && h('p', { class: 'scenario-title' }, sc.title),
    brief && h('div', { class: 'brief' },
      h('h4', null, 'What you know'),
      brief.split(/\n\s*\n/).map((p) => h('p', null, p.replace(/\s*\n\s*/g, ' ')))),
    skills.length > 0 && h('div', { class: 'skills' },
      h('h4', null, 'Skills tested'),
      h('ul', { class: 'tags' }, skills.map((k) => h('li', null, k)))),
    h('div', { class: 'card-actions' },
      h('a', { class: 'btn primary', href: `#/call/${encodeURIComponent(sc.id)}`, 'aria-label': `Start call with ${c.name || sc.id}` }, 'Start call')));
}

export function initials(name) {
  const parts = String(name || '?').trim().split(/\s+/).filter(Boolean);
  return parts.slice(0, 2).map((p) => p[0].toUpperCase()).join('') || '?';
}

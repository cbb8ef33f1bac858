// The single-page app: a hash router over three views.
//   #/                         scenario picker
//   #/call/<scenario-id>       live call (…/<version>: a draft, for trainers)
//   #/report/<call-id>         report (…/turn/<n> scrolls to a turn)
import { pickerView } from './picker.js';
import { callView } from './call.js';
import { reportView } from './report.js';
import { clear } from './dom.js';
import { trainerRoute, renderNav } from './trainer.js'; // accounts and review: #/login, #/calls, #/review/…

const root = document.getElementById('app');
let current = null; // {key, cleanup, focusTurn}

function parse(hash) {
  const path = hash.replace(/^#\/?/, '');
  return path.split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
}

function route() {
  const parts = parse(location.hash);
  let key = 'picker';
  let start = () => pickerView(root);
  if (parts[0] === 'call' && parts[1]) {
    key = `call/${parts[1]}/${parts[2] || ''}`;
    start = () => callView(root, parts[1], parts[2]);
  } else if (parts[0] === 'report' && parts[1]) {
    key = `report/${parts[1]}`;
    start = () => reportView(root, parts[1]);
  } else {
    const tr = trainerRoute(parts, root);
    if (tr) ({ key, start } = tr);
  }
  renderNav();
  const turn = (parts[0] === 'report' || parts[0] === 'review') && parts[2] === 'turn' ? Number(parts[3]) : 0;

  // A link to a turn of the report already shown only scrolls.
  if (current && current.key === key && (key.startsWith('report/') || key.startsWith('review/'))) {
    current.view.focusTurn?.(turn);
    return;
  }
  if (current) current.view.cleanup?.();
  clear(root);
  window.scrollTo(0, 0);
  const view = start() || {};
  current = { key, view };
  if (turn) view.focusTurn?.(turn);
  const heading = root.querySelector('h1');
  if (heading && document.activeElement !== document.querySelector('textarea')) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

document.getElementById('skip').addEventListener('click', (e) => {
  e.preventDefault(); // the hash belongs to the router
  root.focus();
});
window.addEventListener('hashchange', route);
route();

// Scenarios managed in the page, by trainers and admins:
//   #/scenarios              every scenario, its versions, and the problems of the scenario files
//   #/edit                   write a new persona
//   #/edit/<id>              edit one: its current version (…/<hash>: that version)
// The editor is a textarea with line numbers; every problem the checker
// finds is listed at its line and column, marked in the margin, and a
// click puts the cursor there. A valid upload is a new version, a draft
// that its author can play at once, and the same lines can be said again
// to it to see what changed.
import { h, append, clear, fetchJSON, outcomeText, profileText } from './dom.js';
import { send } from './account.js';
import { needUser, problem, when } from './trainer.js';
import { drawGraph } from './graph.js';

const CHECK_DELAY_MS = 700; // typing pause before the source is checked again

// A new persona starts from the smallest one that loads.
const TEMPLATE = `# A persona: who the customer is, what they know, when they say it.
# Everything left out (meters, the state machine, generic replies) comes
# from the built-in defaults; see the trainers' guide, scenarios/README.md.
id = "my-persona"
title = "A first call"
difficulty = "beginner"
brief = "What the trainee knows before the call."

[customer]
name = "Dana Whitfield"
role = "Operations Director"
company = "Northline Freight"
opening = "Hi, Dana here. What's this about?"

[product]
name = "FleetSight"
company = "Telematix"
list_price = 24000

[[fact]]
id = "fleet"
kind = "situation"
label = "140 trucks, three depots"
reply = "We run 140 trucks out of three depots."
question = "How many trucks do you run today?"

[[fact]]
id = "late"
kind = "pain"
label = "Late deliveries"
reply = "Deliveries run late, about one in eight."
keywords = ["late", "delivery", "deliveries"]
question = "What's the hardest part of keeping deliveries on time?"
`;

function staffOnly(holder, user, title) {
  if (user.role === 'trainer' || user.role === 'admin') return false;
  clear(holder).removeAttribute('aria-busy');
  append(holder, h('h1', null, title),
    h('div', { class: 'notice error', role: 'alert' }, h('p', null, 'Only trainers and admins manage scenarios.')));
  return true;
}

// ---- the list

export function scenariosView(root) {
  const holder = h('div', { class: 'authoring', 'aria-busy': 'true' }, h('h1', null, 'Scenarios'));
  append(root, holder);
  needUser(holder, async (user) => {
    if (staffOnly(holder, user, 'Scenarios')) return;
    let data;
    try {
      data = await fetchJSON('/api/authoring');
    } catch (err) {
      problem(holder, 'Scenarios', err);
      return;
    }
    clear(holder).removeAttribute('aria-busy');
    const said = h('p', { class: 'list-status', role: 'status', 'aria-live': 'polite' });
    append(holder,
      h('div', { class: 'page-head' }, h('h1', null, 'Scenarios'),
        h('div', { class: 'actions' }, h('a', { class: 'btn primary new-scenario', href: '#/edit' }, 'New scenario'))),
      said,
      data.problems.length > 0 && h('section', { class: 'card file-problems', role: 'alert' },
        h('h2', null, 'Problems in the scenario files'),
        h('p', { class: 'muted' }, 'These files no longer load as saved: the last version that did keeps serving until they are fixed.'),
        h('ul', { class: 'problems' }, data.problems.map((p) => h('li', { class: `problem ${p.severity}` },
          h('code', null, `${p.file}:${p.line}:${p.col}`), ' ', p.message)))),
      h('div', { class: 'table-wrap' }, h('table', { class: 'scenarios-table' },
        h('thead', null, h('tr', null, ['Scenario', 'Trainees get', 'Versions', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, data.scenarios.map((sc) => h('tr', { 'data-scenario': sc.id },
          h('th', { scope: 'row' }, sc.title || sc.id, h('div', { class: 'muted small' }, sc.id)),
          h('td', null, servedText(sc)),
          h('td', { class: 'num' }, String(sc.uploads.length)),
          h('td', { class: 'row-actions' },
            h('a', { class: 'btn edit', href: `#/edit/${encodeURIComponent(sc.id)}` }, 'Edit'),
            h('a', { class: 'btn ghost', href: `#/cohort/${encodeURIComponent(sc.id)}` }, 'Cohort'),
            sc.uploads.length > 0 && removeControl(sc, said))))))));
  });
  return {};
}

// removeControl is the Remove button of an uploaded scenario. It asks
// first in the row itself, saying what goes and what stays, rather than
// with confirm(), which blocks the page and cannot say it as plainly; the
// server may refuse (an assessment uses it), and then its reason is shown.
function removeControl(sc, said) {
  const box = h('div', { class: 'remove-box' });
  const name = sc.title || sc.id;
  const versions = `${sc.uploads.length} uploaded version${sc.uploads.length === 1 ? '' : 's'}`;
  const ask = () => {
    const yes = h('button', { type: 'button', class: 'btn small danger confirm-remove' }, 'Remove');
    const no = h('button', { type: 'button', class: 'btn small cancel-remove' }, 'Cancel');
    const err = h('p', { class: 'form-error remove-error', role: 'alert' });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      no.disabled = true;
      try {
        await send('DELETE', `/api/scenarios/${encodeURIComponent(sc.id)}`);
      } catch (e) {
        err.textContent = e.message;
        no.disabled = false;
        return;
      }
      said.textContent = sc.file
        ? `Removed the ${versions} of ${name}: trainees get the file ${sc.file} again.`
        : `Removed ${name}. The calls played on it keep their reports.`;
      const row = box.closest('tr');
      if (!sc.file) {
        row.remove();
        return;
      }
      // The file's scenario stays, now without uploads.
      row.cells[1].textContent = `The file ${sc.file}`;
      row.cells[2].textContent = '0';
      box.remove();
    });
    no.addEventListener('click', () => idle().focus());
    append(clear(box),
      h('p', { class: 'small' }, sc.file
        ? `Remove the ${versions} of ${name}? Trainees get the file ${sc.file} again.`
        : `Remove ${name} and its ${versions}? Trainees and trainers no longer see it; the calls played on it keep their reports.`),
      h('div', { class: 'row-actions' }, yes, no), err);
    yes.focus();
  };
  const idle = () => {
    const btn = h('button', { type: 'button', class: 'btn danger remove', onclick: ask }, sc.file ? 'Remove uploads' : 'Remove');
    append(clear(box), btn);
    return btn;
  };
  idle();
  return box;
}

function servedText(sc) {
  if (!sc.serving) return h('span', { class: 'pill draft' }, 'Draft: not published');
  if (sc.published) {
    const u = sc.uploads.find((x) => x.version === sc.published);
    return `Version ${u ? u.n : '?'}, uploaded by ${u ? u.by : '?'}`;
  }
  return sc.file ? `The file ${sc.file}` : 'The bundled file';
}

// ---- the editor

export function editorView(root, scenarioId, version) {
  const holder = h('div', { class: 'editor-page', 'aria-busy': 'true' }, h('h1', null, 'Edit scenario'));
  append(root, holder);
  const st = { disposed: false };
  needUser(holder, (user) => {
    if (staffOnly(holder, user, 'Edit scenario')) return;
    edit(holder, st, scenarioId, version);
  });
  return { cleanup: () => { st.disposed = true; clearTimeout(st.timer); } };
}

async function edit(holder, st, scenarioId, version) {
  let loaded = null;
  if (scenarioId) {
    const q = version ? `?version=${encodeURIComponent(version)}` : '';
    try {
      loaded = await fetchJSON(`/api/scenarios/${encodeURIComponent(scenarioId)}/source${q}`);
    } catch (err) {
      problem(holder, 'Edit scenario', err);
      return;
    }
  }
  if (st.disposed) return;
  clear(holder).removeAttribute('aria-busy');
  st.id = loaded ? loaded.id : '';
  st.version = loaded ? loaded.version : ''; // the version the source in the editor was loaded from or uploaded as
  st.checkedSource = null;

  // ---- the code editor: a textarea, its line numbers beside it
  const gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
  const code = h('textarea', {
    class: 'code', id: 'scenario-source', spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off', wrap: 'off',
    'aria-label': 'The persona as TOML', 'aria-describedby': 'editor-status',
  });
  code.value = loaded ? loaded.source : TEMPLATE;
  const name = h('input', { type: 'text', name: 'file', id: 'scenario-file', value: loaded ? loaded.file : 'my-persona.toml' });
  const picker = h('input', { type: 'file', accept: '.toml,text/plain', id: 'scenario-upload-file' });
  const status = h('p', { class: 'editor-status', id: 'editor-status', role: 'status', 'aria-live': 'polite' });
  const problems = h('ol', { class: 'problems', 'aria-label': 'Problems found' });
  const checkBtn = h('button', { type: 'button', class: 'btn check-btn' }, 'Check');
  const uploadBtn = h('button', { type: 'button', class: 'btn primary upload-btn' }, 'Upload as a new version');
  const after = h('div', { class: 'after-upload' });
  const graph = h('div', { class: 'editor-graph' }, h('p', { class: 'muted' }, 'The state graph appears once the persona loads.'));
  const versions = h('div', { class: 'versions-box' });
  const replay = h('div', { class: 'replay-box' });
  const heading = h('h1', null, loaded ? `Edit ${loaded.title || loaded.id}` : 'New scenario');

  append(holder,
    h('div', { class: 'page-head' }, heading,
      h('div', { class: 'actions' }, h('a', { class: 'btn ghost', href: '#/scenarios' }, 'All scenarios'))),
    h('div', { class: 'editor-grid' },
      h('section', { class: 'card editor-main', 'aria-label': 'Source' },
        h('div', { class: 'editor-files' },
          h('div', { class: 'field grow' }, h('label', { for: name.id }, 'File name'), name),
          h('div', { class: 'field' }, h('label', { for: picker.id }, 'Open a .toml file'), picker)),
        h('div', { class: 'code-editor' }, gutter, code),
        h('div', { class: 'editor-actions' }, checkBtn, uploadBtn),
        status, problems, after),
      h('div', { class: 'editor-side' },
        h('section', { class: 'card graph-card' },
          h('div', { class: 'card-head' }, h('h2', null, 'State graph'),
            h('div', { class: 'zoom', role: 'group', 'aria-label': 'Zoom the graph' },
              h('button', { type: 'button', class: 'btn small', onclick: () => zoom(1 / 1.25), 'aria-label': 'Smaller' }, '\u2212'),
              h('button', { type: 'button', class: 'btn small', onclick: () => zoom(1.25), 'aria-label': 'Larger' }, '+'))),
          graph),
        h('section', { class: 'card' }, h('h2', null, 'Versions'), versions))),
    h('section', { class: 'card replay-card' }, h('h2', null, 'Replay a call on this version'), replay));

  // Line numbers follow the text and its scrolling.
  let lineCount = 0;
  const numberLines = () => {
    const n = code.value.split('\n').length;
    if (n === lineCount) return;
    lineCount = n;
    const marks = new Map([...gutter.children].map((el) => [el.dataset.line, el.className]));
    clear(gutter);
    for (let i = 1; i <= n; i += 1) {
      append(gutter, h('div', { class: marks.get(String(i)) || 'ln', 'data-line': i }, String(i)));
    }
  };
  code.addEventListener('scroll', () => { gutter.scrollTop = code.scrollTop; });
  code.addEventListener('input', () => {
    numberLines();
    clearTimeout(st.timer);
    st.timer = setTimeout(check, CHECK_DELAY_MS);
  });
  numberLines();

  picker.addEventListener('change', async () => {
    const f = picker.files && picker.files[0];
    if (!f) return;
    code.value = await f.text();
    name.value = f.name;
    lineCount = 0;
    numberLines();
    check();
  });

  // jump puts the cursor at line:col and scrolls it into view.
  const jump = (line, col) => {
    const lines = code.value.split('\n');
    let at = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i += 1) at += lines[i].length + 1;
    at += Math.max(0, Math.min(col - 1, (lines[line - 1] || '').length));
    code.focus();
    code.setSelectionRange(at, at);
    const lh = parseFloat(getComputedStyle(code).lineHeight) || 20;
    code.scrollTop = Math.max(0, (line - 3) * lh);
    gutter.scrollTop = code.scrollTop;
  };

  const showProblems = (list) => {
    clear(problems);
    for (const el of gutter.children) {
      el.className = 'ln';
      el.removeAttribute('title');
    }
    for (const p of list) {
      const where = p.line ? `${p.line}:${p.col}` : p.file;
      append(problems, h('li', { class: `problem ${p.severity}`, 'data-line': p.line, 'data-col': p.col },
        h('button', { type: 'button', class: 'goto', onclick: () => jump(p.line, p.col), 'aria-label': `Go to line ${p.line}, column ${p.col}` }, where),
        h('span', { class: 'severity' }, p.severity === 'warning' ? 'Warning' : 'Error'),
        h('span', { class: 'message' }, p.message)));
      const ln = gutter.children[p.line - 1];
      if (ln && !ln.classList.contains('error')) {
        ln.className = `ln ${p.severity}`;
        ln.title = p.message;
      }
    }
  };

  // The graph is drawn at a size people can read, and scrolls; the zoom
  // buttons change that size.
  st.scale = 0;
  const zoom = (by) => {
    const svg = graph.querySelector('svg');
    const vb = svg && svg.viewBox && svg.viewBox.baseVal;
    if (!vb || !vb.width) return;
    if (!st.scale) st.scale = Math.max(0.5, Math.min(1, graph.clientWidth / vb.width));
    st.scale = Math.max(0.2, Math.min(3, st.scale * by));
    svg.style.maxWidth = 'none';
    svg.setAttribute('width', String(Math.round(vb.width * st.scale)));
    svg.setAttribute('height', String(Math.round(vb.height * st.scale)));
  };
  const showGraph = async (source) => {
    if (!source) return;
    graph.setAttribute('aria-busy', 'true');
    try {
      await drawGraph(graph, source, 'The persona\u2019s states and the moves between them');
      zoom(1);
    } catch (err) {
      clear(graph).removeAttribute('aria-busy');
      append(graph, h('div', { class: 'notice' }, h('p', null, err.message), h('pre', { class: 'graph-source' }, source)));
    }
  };

  const summarize = (res) => {
    const errors = res.problems.filter((p) => p.severity === 'error').length;
    const warnings = res.problems.length - errors;
    if (!res.ok) return `${errors} problem${errors === 1 ? '' : 's'}: the persona does not load. Click a line number to go there.`;
    return warnings ? `The persona loads, with ${warnings} warning${warnings === 1 ? '' : 's'}.` : 'The persona loads, with no problems.';
  };

  async function check() {
    const source = code.value;
    if (source === st.checkedSource) return;
    let res;
    try {
      res = await send('POST', '/api/authoring/check', { name: name.value, source });
    } catch (err) {
      status.textContent = err.message;
      return;
    }
    if (st.disposed || source !== code.value) return;
    st.checkedSource = source;
    status.textContent = summarize(res);
    showProblems(res.problems);
    if (res.ok) showGraph(res.graph);
  }
  checkBtn.addEventListener('click', () => { st.checkedSource = null; check(); });

  uploadBtn.addEventListener('click', async () => {
    clearTimeout(st.timer);
    uploadBtn.disabled = true;
    clear(after);
    try {
      const res = await send('POST', '/api/scenarios', { name: name.value, source: code.value });
      st.id = res.id;
      st.version = res.version;
      st.checkedSource = code.value;
      status.textContent = `Uploaded as version ${res.n} of ${res.id}: a draft until you publish it. ${summarize(res)}`;
      showProblems(res.problems);
      showGraph(res.graph);
      heading.textContent = `Edit ${res.title || res.id}`;
      history.replaceState(null, '', `#/edit/${encodeURIComponent(res.id)}/${res.version}`);
      append(after, h('div', { class: 'notice ok' },
        h('p', null, `Version ${res.n} is stored. Play it now, then come back to replay the same lines on your next edit.`),
        h('div', { class: 'editor-actions' },
          h('a', { class: 'btn primary play-draft', href: `#/call/${encodeURIComponent(res.id)}/${res.version}` }, 'Play this version'),
          h('button', { type: 'button', class: 'btn publish-btn', onclick: () => publish(res.version) }, 'Publish to trainees'))));
      loadSide();
    } catch (err) {
      // A source with problems is refused with every one of them.
      const list = err.body && Array.isArray(err.body.problems) ? err.body.problems : [];
      status.textContent = list.length ? `Not uploaded: ${summarize({ ok: false, problems: list })}` : `Not uploaded: ${err.message}`;
      if (list.length) {
        st.checkedSource = code.value;
        showProblems(list);
      }
    } finally {
      uploadBtn.disabled = false;
    }
  });

  async function publish(hash) {
    try {
      await send('PUT', `/api/scenarios/${encodeURIComponent(st.id)}/published`, { version: hash });
      status.textContent = hash ? 'Published: trainees get this version from now on. Calls in progress stay on theirs.' : 'Unpublished: trainees no longer get an uploaded version.';
      loadSide();
    } catch (err) {
      status.textContent = err.message;
    }
  }

  // ---- versions and replay, once the scenario has an id on the server
  async function loadSide() {
    if (!st.id) {
      append(clear(versions), h('p', { class: 'muted' }, 'Upload the persona to keep its versions.'));
      append(clear(replay), h('p', { class: 'muted' }, 'Upload and play a version first.'));
      return;
    }
    let all;
    let calls;
    try {
      all = await fetchJSON('/api/authoring');
      calls = await fetchJSON(`/api/calls?scenario=${encodeURIComponent(st.id)}&per_page=20`);
    } catch (err) {
      append(clear(versions), h('p', { class: 'form-error' }, err.message));
      return;
    }
    if (st.disposed) return;
    const sc = all.scenarios.find((x) => x.id === st.id);
    renderVersions(sc);
    renderReplay(calls.calls || []);
  }

  function renderVersions(sc) {
    clear(versions);
    if (!sc) return;
    append(versions,
      h('p', { class: 'muted small' }, sc.serving
        ? (sc.published ? 'Trainees get the published version.' : `Trainees get ${sc.file ? `the file ${sc.file}` : 'the bundled file'}.`)
        : 'A draft: trainees do not see it until a version is published.'),
      sc.uploads.length === 0 && h('p', { class: 'muted' }, 'No version uploaded from the page yet.'),
      h('ol', { class: 'versions', reversed: true }, [...sc.uploads].reverse().map((u) => h('li', { 'data-version': u.version, 'data-n': u.n },
        h('div', null, h('strong', null, `Version ${u.n}`), ` · ${u.by} · ${when(u.at)}`,
          u.version === sc.published && h('span', { class: 'pill published' }, 'Published'),
          u.version === st.version && h('span', { class: 'pill' }, 'In the editor')),
        h('div', { class: 'row-actions' },
          h('a', { class: 'btn small', href: `#/edit/${encodeURIComponent(sc.id)}/${u.version}` }, 'Open'),
          h('a', { class: 'btn small', href: `#/call/${encodeURIComponent(sc.id)}/${u.version}` }, 'Play'),
          u.version === sc.published
            ? h('button', { type: 'button', class: 'btn small unpublish', onclick: () => publish('') }, 'Unpublish')
            : h('button', { type: 'button', class: 'btn small publish', onclick: () => publish(u.version) }, 'Publish'))))));
  }

  function renderReplay(calls) {
    clear(replay);
    if (calls.length === 0) {
      append(replay, h('p', { class: 'muted' }, 'No call on this scenario yet: play a version, then come back.'));
      return;
    }
    const pick = h('select', { id: 'replay-call', name: 'call' }, calls.map((c) => h('option', { value: c.id },
      `${when(c.started)} · ${c.trainee || 'anonymous'} · ${c.turns} turn${c.turns === 1 ? '' : 's'}${c.version === st.version ? ' · this version' : ''}`)));
    const out = h('div', { class: 'replay-out', 'aria-live': 'polite' });
    const go = h('button', { type: 'button', class: 'btn primary replay-btn' }, 'Replay on the version in the editor');
    go.addEventListener('click', async () => {
      clear(out);
      if (!st.version) {
        append(out, h('p', { class: 'form-error' }, 'Upload the edited persona first: a replay runs on a stored version.'));
        return;
      }
      go.disabled = true;
      try {
        const res = await send('POST', `/api/scenarios/${encodeURIComponent(st.id)}/replay`, { call: pick.value, version: st.version });
        renderDiff(out, res);
      } catch (err) {
        append(out, h('p', { class: 'form-error' }, err.message));
      } finally {
        go.disabled = false;
      }
    });
    append(replay,
      h('p', { class: 'muted small' }, 'The call\u2019s lines are said again to the version in the editor, to the last turn: what each turn and the grade would be now.'),
      h('div', { class: 'field' }, h('label', { for: pick.id }, 'Call'), pick),
      go, out);
  }

  loadSide();
  check();
}

const changeNames = { reply: 'reply', acts: 'acts', state: 'state', meters: 'meters', revealed: 'facts', ended: 'end' };

function sideCell(s) {
  if (!s) return h('td', { class: 'muted' }, 'The call had ended.');
  return h('td', null,
    h('p', { class: 'reply' }, s.reply),
    h('p', { class: 'muted small' }, `${s.from} \u2192 ${s.to}`, s.acts.length > 0 && ` · ${s.acts.join(', ').replaceAll('_', ' ')}`,
      s.revealed.length > 0 && ` · revealed ${s.revealed.join(', ')}`, s.ended && ` · ended (${outcomeText[s.outcome] || s.outcome})`));
}

function renderDiff(out, res) {
  const g = res.grade;
  const row = (label, key, fmt = String) => h('tr', { class: g.changed.includes(key) ? 'changed' : null, 'data-key': key },
    h('th', { scope: 'row' }, label), h('td', { class: 'num' }, fmt(g.before[key])), h('td', { class: 'num' }, fmt(g.after[key])));
  append(out,
    h('p', { class: 'replay-summary' }, res.changed === 0
      ? 'Nothing changed: every turn is answered as before.'
      : `${res.changed} of ${res.turns.length} turn${res.turns.length === 1 ? '' : 's'} changed.`),
    h('table', { class: 'replay-grade' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Grade'), h('th', { scope: 'col' }, 'Before'), h('th', { scope: 'col' }, 'Now'))),
      h('tbody', null,
        row('Outcome', 'outcome', (v) => outcomeText[v] || v),
        row('Profile', 'profile', (v) => profileText[v] || v),
        row('Score', 'score'), row('Customer focus', 'customer_focus'), row('Self-focus', 'self_focus'),
        row('Passed', 'passed', (v) => (v ? 'yes' : 'no')))),
    h('div', { class: 'table-wrap' }, h('table', { class: 'replay-diff' },
      h('thead', null, h('tr', null, ['Turn', 'Before', 'Now', 'Changed'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, res.turns.map((t) => h('tr', { class: t.changed.length ? 'replay-turn changed' : 'replay-turn', 'data-turn': t.n },
        h('th', { scope: 'row' }, String(t.n), h('p', { class: 'said small' }, t.said)),
        sideCell(t.before), sideCell(t.after),
        h('td', null, t.changed.length ? t.changed.map((c) => h('span', { class: 'pill change' }, changeNames[c] || c)) : '\u2014')))))));
}

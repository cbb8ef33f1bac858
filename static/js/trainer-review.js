// One call's review (GET /api/calls/<id>/review): the report and annotated
// transcript as the trainee saw them, the trainers' comments beside each
// turn, and trainers' scores kept beside the automatic grade.
import { h, append, clear, fetchJSON, id, actName } from './dom.js';
import { renderReport } from './report.js';
import { send } from './account.js';
import { needUser, problem, when } from './trainer.js';

export function reviewView(root, callId) {
  const holder = h('div', { class: 'review', 'aria-busy': 'true' }, h('h1', null, 'Review'), h('p', { class: 'muted' }, 'Loading the call…'));
  append(root, holder);
  let ready = false;
  let want = 0;
  const focusTurn = (n) => {
    want = n;
    if (!ready || !n) return;
    const el = document.getElementById(`turn-${n}`);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
  };
  needUser(holder, async () => {
    let data;
    try {
      data = await fetchJSON(`/api/calls/${encodeURIComponent(callId)}/review`);
    } catch (err) {
      problem(holder, 'Call not available', err);
      return;
    }
    clear(holder).removeAttribute('aria-busy');
    render(holder, callId, data);
    ready = true;
    focusTurn(want);
  });
  return { focusTurn };
}

function render(holder, callId, data) {
  const c = data.call;
  append(holder, h('section', { class: 'card review-head' },
    h('p', { class: 'eyebrow' }, 'Review'),
    h('p', null,
      c.trainee ? h('a', { href: `#/history/${encodeURIComponent(c.trainee)}` }, c.trainee) : h('span', { class: 'muted' }, 'Anonymous practice'),
      ` · ${c.title || c.scenario} · ${c.mode} · ${when(c.started)} · version ${String(c.version).slice(0, 12)}`),
    scoresBlock(callId, data)));

  const body = h('div', { class: 'review-body' });
  append(holder, body);
  if (data.report) {
    renderReport(body, callId, data.report, `/api/calls/${encodeURIComponent(callId)}/transcript`, 'review');
  } else {
    append(body, h('section', { class: 'card' },
      h('h2', null, 'Transcript so far'),
      h('p', { class: 'muted' }, 'This call has not ended, so it has no report yet.'),
      h('ol', { class: 'transcript' }, data.turns.map((t) => h('li', { class: 'turn', id: `turn-${t.n}`, tabindex: '-1' },
        h('div', { class: 'turn-n' }, `Turn ${t.n}`),
        h('div', { class: 'msg trainee' }, h('div', { class: 'bubble' }, t.said), corrected(t)),
        h('div', { class: 'msg customer' }, h('div', { class: 'bubble' }, t.reply)))))));
  }
  // Comments: beside each turn, and on the call as a whole.
  const byTurn = new Map();
  for (const cm of data.comments) {
    if (!byTurn.has(cm.turn)) byTurn.set(cm.turn, []);
    byTurn.get(cm.turn).push(cm);
  }
  for (const li of body.querySelectorAll('.transcript .turn[id^="turn-"]')) {
    const n = Number(li.id.slice(5));
    append(li, thread(callId, n, byTurn.get(n) || [], data.may_review));
  }
  append(holder, h('section', { class: 'card' },
    h('h2', null, 'Comments on the whole call'),
    thread(callId, 0, byTurn.get(0) || [], data.may_review)));
}

// corrected says how a corrected turn was read and what the trainee meant.
function corrected(t) {
  if (!t.override) return null;
  const names = (dets) => [...new Set((Array.isArray(dets) ? dets : []).map((d) => d.act))].map(actName).join(', ');
  return h('p', { class: 'msg-meta read' }, h('span', { class: 'meta-key' }, 'Corrected: '),
    `read as ${names(t.override.read)}, meant as ${names(t.acts)}`);
}

function commentItem(cm) {
  return h('li', { class: 'comment', 'data-comment': cm.id },
    h('p', { class: 'comment-meta' }, h('strong', null, cm.author), ` · ${when(cm.at)}`),
    h('p', { class: 'comment-text' }, cm.text));
}

// thread is the comments on turn n (0: the call), with a form when the
// viewer may add one.
function thread(callId, n, comments, mayReview) {
  const list = h('ul', { class: 'comments' }, comments.map(commentItem));
  const box = h('aside', { class: 'comment-thread', 'data-turn': String(n), 'aria-label': n ? `Comments on turn ${n}` : 'Comments on the call' },
    list);
  if (!mayReview) {
    if (!comments.length) box.hidden = true;
    return box;
  }
  const fid = id('cm');
  const text = h('textarea', { id: fid, rows: 2, maxlength: 4000, required: true });
  const err = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'comment-form' },
    h('label', { for: fid }, n ? `Comment on turn ${n}` : 'Comment on the call'),
    text, err,
    h('button', { type: 'submit', class: 'btn' }, 'Add comment'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    try {
      const cm = await send('POST', `/api/calls/${encodeURIComponent(callId)}/comments`, { turn: n, text: text.value });
      append(list, commentItem(cm));
      text.value = '';
    } catch (ex) {
      err.textContent = ex.message;
      err.hidden = false;
    }
  });
  append(box, form);
  return box;
}

// scoresBlock shows the automatic grade beside the trainers' own scores.
function scoresBlock(callId, data) {
  const auto = data.report ? data.report.score : null;
  const list = h('ul', { class: 'trainer-scores' });
  const item = (ts) => h('li', { 'data-author': ts.author },
    h('strong', null, `${ts.score}/100`), ` by ${ts.author}: `, ts.reason, h('span', { class: 'muted' }, ` (${when(ts.at)})`));
  const fill = (scores) => {
    clear(list);
    append(list, scores.length ? scores.map(item) : h('li', { class: 'muted' }, 'No trainer has scored this call yet.'));
  };
  fill(data.trainer_scores);
  const box = h('div', { class: 'score-compare' },
    h('p', null, 'Automatic grade: ', h('strong', { class: 'auto-score' }, auto == null ? 'none yet' : `${auto}/100`),
      h('span', { class: 'muted' }, ' (never changed by a trainer\u2019s score)')),
    h('h2', null, 'Trainers\u2019 scores'), list);
  if (!data.may_review || !data.report) return box;
  const scoreId = id('ts');
  const reasonId = id('tr');
  const score = h('input', { id: scoreId, type: 'number', min: 0, max: 100, required: true });
  const reason = h('input', { id: reasonId, type: 'text', maxlength: 4000, required: true });
  const err = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'score-form' },
    h('div', { class: 'field' }, h('label', { for: scoreId }, 'Your score (0–100)'), score),
    h('div', { class: 'field grow' }, h('label', { for: reasonId }, 'Why'), reason),
    h('button', { type: 'submit', class: 'btn' }, 'Save score'), err);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    try {
      const ts = await send('PUT', `/api/calls/${encodeURIComponent(callId)}/score`, { score: Number(score.value), reason: reason.value });
      data.trainer_scores = data.trainer_scores.filter((x) => x.author !== ts.author).concat([ts]);
      fill(data.trainer_scores);
    } catch (ex) {
      err.textContent = ex.message;
      err.hidden = false;
    }
  });
  append(box, form);
  return box;
}

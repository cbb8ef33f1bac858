// The live call with the persona: it renders what the server says (protocol
// v2, see sim/server/PROTOCOL.md); session.js keeps the connection, and the
// call across drops and reloads. The server answers at once; the customer's
// typing pause is shown here, because presentation belongs to the page.
import { h, append, clear, id, actLabel, actName, actChoices, outcomeText, fetchJSON } from './dom.js';
import { getMode } from './mode.js';
import { initials } from './picker.js';
import { rememberReport } from './report.js';
import { openCall } from './session.js';

const TYPING_MIN_MS = 600;
const TYPING_MAX_MS = 1400;
const TYPING_MS_PER_CHAR = 8;
// The report opens once the last customer line can be read: a reading
// pause for its length, with a button to open it sooner.
const READ_MIN_MS = 2500;
const READ_MAX_MS = 8000;
const READ_MS_PER_WORD = 300;
const MAX_CHARS = 4000; // the longest turn, in characters (the server's max_text)

// Someone who asked their system for less motion gets replies and the report
// at once, without the typing pause.
const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

// typingPause is how long the customer seems to type a reply of this length.
export function typingPause(text) {
  if (reducedMotion()) return 0;
  return Math.min(TYPING_MAX_MS, TYPING_MIN_MS + String(text || '').length * TYPING_MS_PER_CHAR);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function callView(root, scenarioId, version = '') {
  let mode = getMode(); // a resumed call brings its own
  let training = mode === 'training';
  const st = {
    conn: null,
    call: '',
    customer: { name: 'Customer' },
    display: { meters: false, checklist: false },
    started: false,
    ended: false,
    finished: false, // the report arrived or the view closed: a drop is expected
    offline: false, // the connection is down: the composer waits for it
    restarting: false, // the server said it is restarting
    sentAt: 0,
    waiting: 0, // replies still owed
    pending: [], // trainee bubbles whose reply has not been shown
    maxTurns: 0,
    turn: 0,
    maxChars: MAX_CHARS,
    lastReply: '',
    // The last trainee line and the customer's answer to it: in training
    // the trainee may correct how that line was read.
    lastMine: null,
    lastTheirs: null,
    correcting: false, // a correction was sent and its reply not shown
    queue: Promise.resolve(),
    disposed: false,
  };

  // ---- skeleton
  const title = h('h1', { class: 'call-name' }, 'Connecting…');
  const subtitle = h('p', { class: 'muted call-role' });
  const avatar = h('div', { class: 'avatar', 'aria-hidden': 'true' }, '…');
  const modeBadge = h('span', { class: `pill mode-${mode}` }, training ? 'Training' : 'Assessment');
  const endBtn = h('button', { type: 'button', class: 'btn danger', disabled: true }, 'End call');
  const banner = h('div', { class: 'banner', hidden: true, role: 'alert' });
  const log = h('ol', { class: 'chat-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Conversation' });
  const typing = h('div', { class: 'typing', hidden: true, 'aria-live': 'polite' });
  const inputId = id('say');
  // No maxlength: an over-long line stays in the box, with a message.
  const input = h('textarea', {
    id: inputId, rows: 2, disabled: true,
    placeholder: 'Type what you say…', autocomplete: 'off', spellcheck: 'true',
    'aria-describedby': `${inputId}-hint`,
  });
  const sendBtn = h('button', { type: 'submit', class: 'btn primary', disabled: true }, 'Send');
  const hint = h('p', { class: 'hint', id: `${inputId}-hint`, 'aria-live': 'polite' }, 'Enter sends · Shift+Enter for a new line');
  const composer = h('form', { class: 'composer', 'aria-label': 'Your reply' },
    h('label', { class: 'sr-only', for: inputId }, 'Your message'),
    input, sendBtn, hint);
  const turnsLeft = h('p', { class: 'turns-left muted small', 'aria-live': 'polite' });
  const briefPanel = h('details', { class: 'panel brief-panel', hidden: true },
    h('summary', null, h('h2', null, 'Your brief')));
  briefPanel.open = window.matchMedia('(min-width: 901px)').matches;
  const reasons = h('ul', { class: 'meter-reasons', 'aria-label': 'Why the meters moved' });
  const side = h('aside', { class: 'call-side', hidden: true, 'aria-label': 'Live feedback' });
  const meters = h('section', { class: 'panel meters', hidden: true, 'aria-labelledby': id('mh') });
  // The checklist folds away on narrow screens, where the chat needs the room.
  const checklist = h('details', { class: 'panel checklist', hidden: true });
  checklist.open = window.matchMedia('(min-width: 901px)').matches;
  append(side, briefPanel, meters, checklist);

  append(root, h('div', { class: 'call' },
    h('div', { class: 'call-head' },
      avatar,
      h('div', { class: 'who' }, h('div', { class: 'name-row' }, title, modeBadge), subtitle, turnsLeft),
      endBtn),
    banner,
    h('div', { class: 'call-body' },
      h('section', { class: 'chat', 'aria-label': 'Call' }, log, typing, composer),
      side)));

  // ---- connection
  function send(msg) {
    return Boolean(st.conn?.send(msg));
  }

  // Messages are shown in order; a reply waits for its typing pause.
  function later(fn) {
    st.queue = st.queue.then(() => (st.disposed ? null : fn())).catch((err) => console.error(err));
  }

  function handle(msg) {
    switch (msg.type) {
      case 'ready':
        // session.js starts or resumes the call; the page only learns the limit.
        if (msg.max_text > 0) st.maxChars = msg.max_text;
        break;
      case 'started':
        later(() => started(msg));
        break;
      case 'resumed':
        later(() => resumed(msg));
        break;
      case 'reply':
        later(() => reply(msg));
        break;
      case 'report':
        st.finished = true;
        later(() => report(msg));
        break;
      case 'error':
        if (msg.code === 'unknown_call') later(() => lost());
        else if (msg.code === 'call_ended' && msg.call) later(() => over(msg));
        else if (msg.code === 'call_moved') later(() => moved());
        else later(() => error(msg));
        break;
      case 'closing':
        if (msg.resumable) {
          st.restarting = true;
          showBanner('The server is restarting. Every turn of your call is saved; it goes on as soon as the server is back.');
        }
        break;
      default:
        break;
    }
  }

  // ---- messages
  function started(msg) {
    showCall(msg);
    if (msg.opening) addCustomer(msg.opening);
    ready();
    input.focus();
  }

  // resumed rebuilds the chat from the call's history, so that nothing is
  // shown twice, and puts back in the composer a line that was sent but
  // never stored.
  function resumed(msg) {
    const unsent = st.pending.map((li) => li.querySelector('.bubble')?.textContent || '');
    clear(log);
    st.pending = [];
    st.waiting = 0;
    st.lastMine = null;
    st.lastTheirs = null;
    st.correcting = false;
    typing.hidden = true;
    showCall(msg);
    if (msg.opening) addCustomer(msg.opening);
    const turns = Array.isArray(msg.turns) ? msg.turns : [];
    for (const t of turns) {
      const mine = addTrainee(t.said || '');
      if (training && Array.isArray(t.acts)) annotate(mine, t.acts, t);
      const theirs = addCustomer(t.text || '', revealedLabels(t));
      track(mine, theirs, t);
    }
    const stored = new Set(turns.map((t) => t.said));
    const lost = unsent.filter((text) => text && !stored.has(text));
    if (lost.length > 0 && !input.value) input.value = lost.join('\n');
    const last = turns[turns.length - 1];
    st.turn = last ? Number(last.turn) || turns.length : 0;
    st.lastReply = last ? last.text || '' : msg.opening || '';
    showTurnsLeft();
    banner.hidden = true;
    lock(false);
    ready();
  }

  function ready() {
    st.offline = false;
    if (st.ended) return;
    input.disabled = false;
    sendBtn.disabled = false;
    endBtn.disabled = false;
  }

  // showCall shows who the call is with and, in training mode, the state.
  function showCall(msg) {
    st.started = true;
    if (msg.mode === 'training' || msg.mode === 'assessment') {
      mode = msg.mode;
      training = mode === 'training';
      modeBadge.className = `pill mode-${mode}`;
      modeBadge.textContent = training ? 'Training' : 'Assessment';
    }
    st.call = msg.call || '';
    const sc = msg.scenario || {};
    st.customer = sc.customer || st.customer;
    st.display = sc.display || st.display;
    const c = st.customer;
    title.textContent = c.name || sc.title || scenarioId;
    subtitle.textContent = [c.role, c.company].filter(Boolean).join(' · ');
    avatar.textContent = initials(c.name);
    document.title = `Call with ${c.name || sc.title || scenarioId} · Roleplay`;
    typing.replaceChildren(h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')),
      h('span', null, `${c.name || 'The customer'} is typing…`));
    if (training) {
      if (st.display.meters && Array.isArray(msg.meters)) renderMeters(msg.meters);
      if (st.display.checklist && Array.isArray(msg.checklist)) renderChecklist(msg.checklist);
    }
    st.maxTurns = Number(msg.max_turns) || 0;
    showTurnsLeft();
    if (!st.briefAsked) {
      st.briefAsked = true;
      loadBrief();
    }
    side.hidden = (!training || (meters.hidden && checklist.hidden)) && briefPanel.hidden;
  }

  function showTurnsLeft() {
    if (!st.maxTurns) return;
    const left = Math.max(0, st.maxTurns - st.turn);
    turnsLeft.textContent = `Turn ${Math.min(st.turn + 1, st.maxTurns)} of ${st.maxTurns} · ${left} ${left === 1 ? 'turn' : 'turns'} left`;
  }

  // The brief stays at hand during the call.
  async function loadBrief() {
    try {
      const data = await fetchJSON('/api/scenarios');
      const list = Array.isArray(data) ? data : data.scenarios || [];
      const sc = list.find((x) => x.id === scenarioId);
      const brief = String(sc?.brief || '').trim();
      if (!brief || st.disposed) return;
      append(briefPanel, ...brief.split(/\n\s*\n/).map((p) => h('p', { class: 'small' }, p.replace(/\s*\n\s*/g, ' '))));
      briefPanel.hidden = false;
      side.hidden = false;
    } catch {
      // the brief is a convenience; the call goes on without it
    }
  }

  // The composer is locked from a send until its reply is shown, so a
  // question and its answer always pair up.
  function lock(locked) {
    st.locked = locked;
    input.readOnly = locked;
    sendBtn.disabled = locked || input.disabled;
    composer.classList.toggle('waiting', locked);
    input.setAttribute('aria-busy', locked ? 'true' : 'false');
    if (!locked) setHint('Enter sends · Shift+Enter for a new line');
    else setHint(`Wait for ${st.customer.name || 'the customer'} to answer…`);
  }

  function setHint(text, bad = false) {
    hint.textContent = text;
    hint.classList.toggle('bad', bad);
  }

  async function reply(msg) {
    if (st.correcting) { // the composer is locked: this answers the correction
      await corrected(msg);
      return;
    }
    const wait = typingPause(msg.text) - (Date.now() - st.sentAt);
    if (wait > 0) await sleep(wait);
    if (st.disposed) return;
    st.waiting = Math.max(0, st.waiting - 1);
    typing.hidden = st.waiting === 0;
    const mine = st.pending.shift();
    if (training && mine && Array.isArray(msg.acts)) annotate(mine, msg.acts, msg);
    const theirs = addCustomer(msg.text || '', revealedLabels(msg));
    if (mine) track(mine, theirs, msg);
    st.lastReply = msg.text || '';
    st.turn = Number(msg.turn) || st.turn + 1;
    showTurnsLeft();
    if (training) {
      if (st.display.meters && Array.isArray(msg.meters)) renderMeters(msg.meters, msg.effects, msg.transitions);
      if (st.display.checklist && Array.isArray(msg.checklist)) renderChecklist(msg.checklist);
    }
    if (st.waiting === 0) lock(false);
    if (msg.ended) callEnded(msg);
  }

  // Revealed facts are {id, kind, label}; older servers sent bare ids.
  function revealedLabels(msg) {
    return training && Array.isArray(msg.revealed)
      ? msg.revealed.map((f) => (typeof f === 'object' && f ? f.label || actLabel(f.id) : actLabel(f)))
      : [];
  }

  async function report(msg) {
    const rep = msg.report || {};
    let callId = st.call;
    const m = /\/api\/calls\/([^/]+)\/report/.exec(msg.report_url || '');
    if (m) callId = decodeURIComponent(m[1]);
    if (!callId) callId = msg.call || 'latest';
    rememberReport(callId, rep, msg);
    if (!st.ended) {
      st.ended = true;
      input.disabled = true;
      sendBtn.disabled = true;
      endBtn.disabled = true;
      typing.hidden = true;
      addNote('Call ended. Opening your report…', rep.outcome);
    }
    // Let the last line be read first; the trainee may open the report sooner.
    const open = () => {
      if (!st.disposed) location.hash = `#/report/${encodeURIComponent(callId)}`;
    };
    if (!reducedMotion()) {
      const words = String(st.lastReply).split(/\s+/).filter(Boolean).length;
      const pause = Math.min(READ_MAX_MS, Math.max(READ_MIN_MS, words * READ_MS_PER_WORD));
      let go;
      const ready = new Promise((r) => { go = r; });
      append(log, h('li', { class: 'msg-note report-now' },
        h('button', { type: 'button', class: 'btn', onclick: () => go() }, 'Open the report')));
      scrollDown();
      await Promise.race([sleep(pause), ready]);
    }
    open();
  }

  function error(msg) {
    const text = msg.message || 'Something went wrong.';
    if (!st.started) {
      title.textContent = 'This call could not start';
      append(log, h('li', { class: 'notice error', role: 'alert' },
        h('p', null, text),
        h('p', null, h('a', { href: '#/' }, 'Choose another customer'))));
      st.finished = true;
      st.conn?.close();
      return;
    }
    if (st.correcting) {
      // The correction was refused; the line and its answer stand.
      st.correcting = false;
      typing.hidden = st.waiting === 0;
      const note = st.lastMine?.querySelector('.correct-note');
      if (note) note.textContent = text;
      else append(log, h('li', { class: 'msg-error', role: 'alert' }, text));
      if (st.waiting === 0) lock(false);
      return;
    }
    st.waiting = Math.max(0, st.waiting - 1);
    st.pending.shift();
    typing.hidden = st.waiting === 0;
    append(log, h('li', { class: 'msg-error', role: 'alert' }, text));
    scrollDown();
    if (!st.ended) input.disabled = false;
    if (st.waiting === 0) lock(false);
  }

  // The connection's state, from session.js: while it is down the
  // composer waits, and the banner says the call is being brought back.
  function connection(status, wait) {
    if (st.disposed || st.finished) return;
    if (status === 'connected') {
      if (st.offline) banner.hidden = true;
      st.restarting = false;
      return;
    }
    if (status !== 'reconnecting') return;
    st.offline = true;
    input.disabled = true;
    sendBtn.disabled = true;
    endBtn.disabled = true;
    typing.hidden = true;
    const secs = Math.max(1, Math.round((wait || 0) / 1000));
    let text = `Could not reach the simulator; trying again in ${secs} s…`;
    if (st.restarting) text = `The server is restarting. Every turn of your call is saved; reconnecting in ${secs} s…`;
    else if (st.started) text = `Connection lost. Every turn you saw answered is saved; reconnecting in ${secs} s…`;
    showBanner(text);
  }

  // lost: the server no longer has the call (a server that keeps calls in
  // memory restarted, say).
  function lost() {
    input.disabled = true;
    sendBtn.disabled = true;
    endBtn.disabled = true;
    showBanner('This call could not be resumed: the server no longer has it.',
      h('button', { type: 'button', class: 'btn', onclick: startOver }, 'Start a new call'));
  }

  // over: the call ended while the page was away; its report is ready.
  function over(msg) {
    st.finished = true;
    st.ended = true;
    location.hash = `#/report/${encodeURIComponent(msg.call)}`;
  }

  // moved: the call went on in another window (or on another server).
  function moved() {
    st.offline = true;
    input.disabled = true;
    sendBtn.disabled = true;
    endBtn.disabled = true;
    typing.hidden = true;
    st.waiting = 0;
    showBanner('This call went on in another window or tab.',
      h('button', { type: 'button', class: 'btn', onclick: () => st.conn?.resumeHere() }, 'Continue here'));
  }

  function startOver() {
    banner.hidden = true;
    clear(log);
    st.started = false;
    st.ended = false;
    st.waiting = 0;
    st.pending = [];
    st.queue = Promise.resolve();
    st.turn = 0;
    st.lastReply = '';
    st.lastMine = null;
    st.lastTheirs = null;
    st.correcting = false;
    lock(false);
    st.conn?.startOver();
  }

  function showBanner(text, action) {
    clear(banner);
    append(banner,
      h('p', null, h('strong', null, text)),
      h('div', { class: 'banner-actions' },
        action,
        h('a', { class: 'btn ghost', href: '#/' }, 'Back to customers')));
    banner.hidden = false;
  }

  // ---- rendering
  function addCustomer(text, revealed = []) {
    const c = st.customer;
    const li = h('li', { class: 'msg customer' },
      h('span', { class: 'sr-only' }, `${c.name || 'Customer'}: `),
      h('div', { class: 'bubble' }, text),
      revealed.length > 0 && h('p', { class: 'msg-meta revealed' },
        h('span', { class: 'meta-key' }, 'Revealed: '), revealed.join(' · ')));
    append(log, li);
    scrollDown();
    return li;
  }

  function addTrainee(text) {
    const li = h('li', { class: 'msg trainee' },
      h('span', { class: 'sr-only' }, 'You: '),
      h('div', { class: 'bubble' }, text));
    append(log, li);
    scrollDown();
    return li;
  }

  // annotate shows how a line was read; a corrected line says so, with
  // what the simulator had read.
  function annotate(li, acts, turn = {}) {
    li.querySelector('.msg-meta.acts')?.remove();
    li.querySelector('.msg-meta.read')?.remove();
    const names = shownActs(acts);
    if (names.length === 0) return;
    const p = h('p', { class: 'msg-meta acts' }, h('span', { class: 'sr-only' }, turn.corrected ? 'Played as you meant it: ' : 'Heard as: '),
      names.map((a) => h('span', { class: `act-name act-${a}`, 'data-act': a }, actName(a))));
    li.classList.toggle('corrected', Boolean(turn.corrected));
    const bubble = li.querySelector('.bubble');
    if (bubble) bubble.after(p);
    else append(li, p);
    if (turn.corrected && Array.isArray(turn.read)) {
      p.after(h('p', { class: 'msg-meta read' },
        `Corrected by you · the simulator had read it as ${shownActs(turn.read).map(actName).join(', ') || 'nothing'}`));
    }
  }

  function shownActs(acts) {
    let names = [...new Set(acts.map((a) => a.act).filter(Boolean))];
    if (names.length > 1) names = names.filter((a) => a !== 'other'); // small talk beside a real act
    return names;
  }

  // track remembers the last line and its answer; in training the line
  // gets the "I meant this as…" control, and the line before loses it.
  function track(mine, theirs, turn) {
    dropCorrector();
    st.lastMine = mine;
    st.lastTheirs = theirs;
    st.lastTurn = Number(turn.turn) || 0;
    if (training && !turn.ended && st.lastTurn > 0) addCorrector(mine, turn);
  }

  function dropCorrector() {
    st.lastMine?.querySelector('.correct')?.remove();
  }

  function addCorrector(li, turn) {
    const sid = id('meant');
    const sid2 = id('meant-also');
    const played = shownActs(Array.isArray(turn.acts) ? turn.acts : []);
    const select = h('select', { id: sid, name: 'meant' },
      actChoices.map((a) => h('option', { value: a, selected: played[0] === a }, actName(a))));
    // A line may do two things ("I hear you. What does it cost you?"):
    // the second choice is optional.
    const also = h('select', { id: sid2, name: 'meant-also' },
      h('option', { value: '', selected: played.length < 2 }, 'nothing else'),
      actChoices.map((a) => h('option', { value: a, selected: played[1] === a }, actName(a))));
    const go = h('button', { type: 'submit', class: 'btn small' }, 'Replay the line');
    const note = h('p', { class: 'correct-note small', 'aria-live': 'polite' });
    const form = h('form', { class: 'correct-form' },
      h('label', { for: sid }, 'I meant this as'), select,
      h('label', { for: sid2 }, 'and also'), also, go, note);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (st.ended || st.locked || st.offline || st.correcting) return;
      const acts = [select.value];
      if (also.value && also.value !== select.value) acts.push(also.value);
      if (acts.length === played.length && acts.every((a) => played.includes(a))) { // the server would refuse it
        note.textContent = 'That is how the line was played already.';
        return;
      }
      if (!send({ type: 'correct', turn: st.lastTurn, acts })) return;
      note.textContent = '';
      st.correcting = true;
      st.sentAt = Date.now();
      lock(true);
      typing.hidden = false;
    });
    append(li, h('details', { class: 'correct' }, h('summary', null, 'Read wrong? I meant this as…'), form));
  }

  // corrected shows a line played again as the trainee meant it: its new
  // reading and the customer's new answer, in place of the old ones.
  async function corrected(msg) {
    const wait = typingPause(msg.text) - (Date.now() - st.sentAt);
    if (wait > 0) await sleep(wait);
    if (st.disposed) return;
    st.correcting = false;
    typing.hidden = st.waiting === 0;
    const mine = st.lastMine;
    if (mine && Array.isArray(msg.acts)) annotate(mine, msg.acts, msg);
    const theirs = addCustomer(msg.text || '', revealedLabels(msg));
    st.lastTheirs?.replaceWith(theirs);
    if (mine) track(mine, theirs, msg);
    st.lastReply = msg.text || '';
    if (st.display.meters && Array.isArray(msg.meters)) renderMeters(msg.meters, msg.effects, msg.transitions);
    if (st.display.checklist && Array.isArray(msg.checklist)) renderChecklist(msg.checklist);
    if (st.waiting === 0) lock(false);
    input.focus(); // the control that sent it was replaced
    if (msg.ended) callEnded(msg);
  }

  // callEnded closes the composer when a reply ends the call.
  function callEnded(msg) {
    dropCorrector();
    st.ended = true;
    input.disabled = true;
    sendBtn.disabled = true;
    endBtn.disabled = true;
    addNote(`Call ended${msg.outcome ? ` · ${outcomeText[msg.outcome] || msg.outcome}` : ''}${msg.reason ? `: ${msg.reason}` : ''}. Preparing your report…`, msg.outcome);
  }

  function addNote(text, outcome) {
    append(log, h('li', { class: `msg-note ${outcome ? `outcome-${outcome}` : ''}` }, text));
    scrollDown();
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function renderMeters(list, effects = [], transitions = []) {
    meters.hidden = false;
    side.hidden = false;
    const hid = meters.getAttribute('aria-labelledby');
    clear(meters);
    append(meters, h('h2', { id: hid }, 'How the customer feels'));
    for (const m of list) {
      const value = Math.max(0, Math.min(100, Number(m.value) || 0));
      const lid = id('meter');
      const delta = Number(m.delta) || 0;
      const level = value < 30 ? 'low' : value < 60 ? 'mid' : 'high';
      append(meters, h('div', { class: `meter level-${level}`, 'data-meter': m.name },
        h('div', { class: 'meter-head' },
          h('span', { id: lid, class: 'meter-name' }, actLabel(m.name)),
          h('span', { class: 'meter-value' }, String(value),
            delta !== 0 && h('span', { class: `delta ${delta > 0 ? 'up' : 'down'}` }, delta > 0 ? ` +${delta}` : ` \u2212${-delta}`))),
        h('div', {
          class: 'bar', role: 'progressbar', 'aria-labelledby': lid,
          'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': value,
        }, h('div', { class: 'fill', style: `width:${value}%` }))));
    }
    // Why they moved this turn: the effects' reasons and any change of mood.
    const why = [...(Array.isArray(effects) ? effects : []), ...(Array.isArray(transitions) ? transitions : []).map((t) => `the customer's mood changed: ${t}`)];
    clear(reasons);
    if (why.length > 0) {
      append(reasons, why.map((w) => h('li', null, w)));
      append(meters, h('p', { class: 'meter-why-head small' }, 'Why, this turn:'), reasons);
    }
  }

  function renderChecklist(list) {
    checklist.hidden = false;
    side.hidden = false;
    const isFound = (f) => Boolean(f.found || f.turn > 0);
    const found = list.filter(isFound).length;
    clear(checklist);
    append(checklist,
      h('summary', null, h('h2', null, 'Discovery checklist'), h('span', { class: 'muted small' }, `${found} of ${list.length} found`)),
      h('ul', { class: 'facts' }, list.map((f) => h('li', { class: isFound(f) ? 'found' : 'open' },
        h('span', { class: 'check', 'aria-hidden': 'true' }, isFound(f) ? '\u2713' : '\u25cb'),
        h('span', { class: 'kind' }, actLabel(f.kind)),
        h('span', { class: 'label' }, isFound(f) ? f.label : 'not found yet'),
        h('span', { class: 'sr-only' }, isFound(f) ? ' (found)' : '')))));
  }

  // ---- input
  function submit() {
    const text = input.value.trim();
    if (!text || input.disabled || st.ended || st.locked || st.offline) return;
    const chars = [...text].length; // characters, not bytes
    if (chars > st.maxChars) {
      setHint(`That is ${chars.toLocaleString('en')} characters; a turn can be at most ${st.maxChars.toLocaleString('en')}. Shorten it and send again.`, true);
      return; // the text stays in the box
    }
    if (!send({ type: 'say', text })) return;
    dropCorrector(); // only the last line can be corrected
    input.value = '';
    st.sentAt = Date.now();
    st.waiting += 1;
    st.pending.push(addTrainee(text));
    lock(true);
    typing.hidden = false;
    scrollDown();
  }

  composer.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener('input', () => {
    if (hint.classList.contains('bad') && [...input.value.trim()].length <= st.maxChars) lock(st.locked);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  endBtn.addEventListener('click', () => {
    if (st.ended) return;
    if (send({ type: 'end' })) {
      endBtn.disabled = true;
      input.disabled = true;
      sendBtn.disabled = true;
    }
  });

  st.conn = openCall({ scenario: scenarioId, version, mode, onMessage: handle, onStatus: connection });

  return {
    cleanup() {
      st.disposed = true;
      st.finished = true;
      st.conn.close(); // the call stays stored, and resumes when its customer is opened again
      document.title = 'Roleplay · sales call simulator';
    },
  };
}

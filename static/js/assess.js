// The candidate's side of a hiring assessment: link → name → rules → call
// with a countdown from the server's deadline → debrief → confirmation.
// The link's token is in the fragment, so it never reaches a log or a
// Referer. The call is played by resuming it over the websocket with the
// call token the start gave, kept in this browser (localStorage), so that
// a reload, or the link opened again after the tab was closed, goes on
// with the call until its deadline.
import { h, clear } from './dom.js';

const app = document.getElementById('app');
const link = location.hash.slice(1);
const api = (rest) => `/api/assess/${encodeURIComponent(link)}${rest}`;
const keep = `assess:${link}`;

function show(...nodes) {
  clear(app).append(...nodes);
  app.focus();
}

function message(title, text) {
  show(h('section', { class: 'panel' }, h('h1', {}, title), h('p', {}, text)));
}

async function call(method, rest, body) {
  const res = await fetch(api(rest), {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    credentials: 'same-origin',
  });
  const data = res.status === 204 ? null : await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(data?.error || `HTTP ${res.status}`), { status: res.status });
  return data;
}

// Signals are sent one after the other: the server stamps each with its
// own clock as it arrives, so two sent at once (a blur, then a focus) could
// otherwise be recorded the wrong way round.
let signals = Promise.resolve();

function signal(kind, length) {
  const body = length != null ? { kind, length } : { kind };
  signals = signals.then(() => call('POST', '/signal', body)).catch(() => {});
}

async function open() {
  if (!link) return message('No link', 'Open the link you were sent.');
  let view;
  try {
    view = await call('GET', '');
  } catch (e) {
    return message(e.status === 409 ? 'Already used' : 'This link cannot be used', e.message);
  }
  const saved = JSON.parse(localStorage.getItem(keep) || 'null');
  if (view.status === 'invited') return welcome(view);
  if (view.call_active && saved) return play(view, saved);
  if (view.call_active) return message('Already used', 'The call on this link was started in a browser that no longer holds it, so it cannot go on here.');
  return debrief(view);
}

function welcome(view) {
  const name = h('input', { id: 'name', required: true, autocomplete: 'name', maxlength: 200 });
  const email = h('input', { id: 'email', type: 'email', autocomplete: 'email', maxlength: 254 });
  const err = h('p', { class: 'error', role: 'alert' });
  const minutes = Math.round(view.time_limit_seconds / 6) / 10;
  const form = h('form', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        const st = await call('POST', '/start', { name: name.value, email: email.value || undefined });
        localStorage.setItem(keep, JSON.stringify(st));
        play({ ...view, deadline: st.deadline, now: st.now }, st);
      } catch (e) {
        err.textContent = e.message;
      }
    },
  },
  h('label', { for: 'name' }, 'Your name'), name,
  h('label', { for: 'email' }, 'E-mail (optional)'), email,
  h('h2', {}, 'The rules'),
  h('p', {}, view.instructions),
  h('p', {}, `You have ${minutes} minutes from the moment you start. The clock is the server's: it keeps running if you close this page or lose your connection, and you can come back to this link in this browser until the time is up.`),
  h('p', {}, 'The page notes when you paste text or leave it for another window, for the reviewer to see.'),
  err,
  h('button', { class: 'btn primary', type: 'submit' }, 'Start the call'));
  show(h('section', { class: 'panel' }, h('h1', {}, 'Sales call assessment'), form));
}

function play(view, st) {
  const skew = Date.parse(view.now) - Date.now(); // the server's clock minus ours
  const deadline = Date.parse(st.deadline || view.deadline);
  const clock = h('p', { class: 'countdown', 'aria-live': 'off', id: 'countdown' });
  const log = h('ol', { class: 'call-lines', id: 'chat', 'aria-live': 'polite' });
  const box = h('textarea', { id: 'say', rows: 3, 'aria-label': 'What you say' });
  const note = h('p', { class: 'error', role: 'alert', id: 'call-note' });
  const line = (who, text) => log.append(h('li', { class: who }, h('strong', {}, who === 'you' ? 'You: ' : 'Customer: '), text));
  let ws, done = false;
  // finish leaves the call for the debrief, with the server's confirmation
  // (or the page's own, when its countdown ran out first).
  const stop = () => {
    done = true;
    clearInterval(timer);
    watching.abort();
    ws?.close();
  };
  const finish = (text) => {
    if (done) return;
    stop();
    debrief(view, text);
  };
  const tick = () => {
    const left = Math.max(0, deadline - (Date.now() + skew));
    const m = Math.floor(left / 60000), s = Math.floor(left / 1000) % 60;
    clock.textContent = `Time left: ${m}:${String(s).padStart(2, '0')}`;
    if (left <= 0) setTimeout(() => finish(timeUp), 1500); // the server ends the call; give it a moment
  };
  const timer = setInterval(tick, 500);
  tick();
  // The integrity signals, only while the call is on.
  const watching = new AbortController();
  box.addEventListener('paste', (ev) => signal('paste', (ev.clipboardData?.getData('text') || '').length), { signal: watching.signal });
  window.addEventListener('blur', () => signal('blur'), { signal: watching.signal });
  window.addEventListener('focus', () => signal('focus'), { signal: watching.signal });
  const connect = () => {
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    ws.onopen = () => ws.send(JSON.stringify({ v: 2, type: 'resume', call: st.call, token: st.token }));
    ws.onmessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type === 'resumed') {
        note.textContent = '';
        clear(log);
        if (msg.opening) line('customer', msg.opening);
        for (const t of msg.turns || []) { line('you', t.said); line('customer', t.text); }
      } else if (msg.type === 'reply') {
        line('customer', msg.text);
      } else if (msg.type === 'report') {
        finish(msg.message);
      } else if (msg.type === 'error' && msg.code === 'call_ended') {
        finish(msg.message);
      } else if (msg.type === 'error' && msg.code === 'call_moved') {
        stop();
        message('Already used', 'The call went on in another tab or window; go on there.');
      } else if (msg.type === 'error') {
        note.textContent = msg.message;
      }
    };
    ws.onclose = () => {
      if (done) return;
      note.textContent = 'The connection was lost: reconnecting… The clock keeps running.';
      setTimeout(connect, 1000);
    };
  };
  connect();
  const connected = () => ws?.readyState === WebSocket.OPEN;
  const form = h('form', {
    onsubmit: (ev) => {
      ev.preventDefault();
      const text = box.value.trim();
      if (!text) return;
      if (!connected()) {
        note.textContent = 'Reconnecting… your line is kept: send it again in a moment.';
        return;
      }
      note.textContent = '';
      line('you', text);
      ws.send(JSON.stringify({ v: 2, type: 'say', text }));
      box.value = '';
    },
  }, box, h('button', { class: 'btn primary', type: 'submit', id: 'say-btn' }, 'Say'),
  h('button', {
    class: 'btn danger',
    type: 'button',
    id: 'end-btn',
    onclick: () => { if (connected()) ws.send(JSON.stringify({ v: 2, type: 'end' })); },
  }, 'End the call'));
  show(h('section', { class: 'panel' }, h('h1', {}, 'The call'), clock, log, note, form));
}

const timeUp = 'Time is up: your call has ended. Thank you.';

// sendDebrief sends the answers. When the page's own countdown ended the
// call (patient), it can have run out a moment before the server's clock;
// the server then says the call is still in progress (409), so the answers
// are sent again for a few seconds, until the server has ended the call.
async function sendDebrief(answers, patient) {
  for (let tries = 0; ; tries++) {
    try {
      return await call('POST', '/debrief', { answers });
    } catch (e) {
      if (!patient || e.status !== 409 || tries >= 5) throw e;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function debrief(view, note) {
  const fields = view.questions.map((q, i) => [
    h('label', { for: `q${i}` }, q),
    h('textarea', { id: `q${i}`, rows: 4, maxlength: 8000 }),
  ]);
  const err = h('p', { class: 'error', role: 'alert' });
  const form = h('form', {
    onsubmit: async (ev) => {
      ev.preventDefault();
      const answers = view.questions.map((_, i) => document.getElementById(`q${i}`).value);
      try {
        const out = await sendDebrief(answers, note === timeUp);
        localStorage.removeItem(keep);
        message('Thank you', out.message);
      } catch (e) {
        err.textContent = e.message;
      }
    },
  }, fields, err, h('button', { class: 'btn primary', type: 'submit' }, 'Send my answers'));
  show(h('section', { class: 'panel' },
    h('p', { class: 'notice', role: 'status', id: 'ended' }, note || 'The call has ended. Thank you.'),
    h('h1', {}, 'A few questions'), h('p', {}, 'Answer in your own words; your answers go to the people who review the call.'), form));
}

open();

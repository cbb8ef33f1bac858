// The call's connection to the server (protocol v2, see
// sim/server/PROTOCOL.md) and what keeps a call alive across drops: the
// call token in sessionStorage, reconnecting by itself with backoff, and
// resuming the call on the new connection. The call view (call.js) only
// renders the messages this hands it.
//
// sessionStorage keys:
//   roleplay.call.<scenario>  {call, token} of the call in progress with this
//                             customer, so a reload of #/call/<scenario> resumes it
//   roleplay.token.<call>     the call's token, kept after the call ends, so
//                             its report and transcript can be read

const CALL_KEY = 'roleplay.call.';
const TOKEN_KEY = 'roleplay.token.';

// Reconnection: the first retry comes quickly (a server restart takes a
// moment), then each waits twice as long, up to a cap, with jitter so many
// pages do not knock at once.
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 8000;

const memo = new Map(); // for browsers that refuse storage

function load(key) {
  try {
    const v = sessionStorage.getItem(key);
    if (v != null) return v;
  } catch {
    // fall back to memo
  }
  return memo.get(key) ?? null;
}

function store(key, value) {
  memo.set(key, value);
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // memo holds it for this page
  }
}

function forget(key) {
  memo.delete(key);
  try {
    sessionStorage.removeItem(key);
  } catch {
    // nothing kept
  }
}

// savedCall is the call in progress with this customer, {call, token}, or null.
export function savedCall(scenario) {
  try {
    const v = JSON.parse(load(CALL_KEY + scenario) || 'null');
    return v && typeof v.call === 'string' && typeof v.token === 'string' ? v : null;
  } catch {
    return null;
  }
}

function saveCall(scenario, call, token) {
  store(CALL_KEY + scenario, JSON.stringify({ call, token }));
  store(TOKEN_KEY + call, token);
}

function forgetCall(scenario) {
  forget(CALL_KEY + scenario);
}

// authHeaders are the headers that let a request read call callId.
export function authHeaders(callId) {
  const token = load(TOKEN_KEY + callId);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

// openCall connects for a call with scenario in mode: it resumes the call in
// progress with this customer if there is one, else starts one. Every server
// message goes to onMessage; onStatus hears 'connecting', 'connected',
// 'reconnecting' (with the delay in ms) and 'offline' (stopped retrying
// because the call moved elsewhere). The call is kept when the page goes:
// leaving asks first while it is in progress.
export function openCall({ scenario, version = '', mode, onMessage, onStatus }) {
  const st = {
    ws: null,
    live: false, // a call is in progress on the current connection
    done: false, // the call ended or the view closed: no more reconnecting
    moved: false, // the call went on elsewhere: wait for the user
    retryMs: 0,
    timer: 0,
  };

  function status(s, detail) {
    try {
      onStatus?.(s, detail);
    } catch (err) {
      console.error(err);
    }
  }

  function deliver(msg) {
    try {
      onMessage(msg);
    } catch (err) {
      console.error(err);
    }
  }

  // Leaving a call in progress asks first. (Within the page nothing is
  // lost: the call resumes when its customer is opened again.)
  function guard(e) {
    e.preventDefault();
    e.returnValue = ''; // older browsers need it set
  }
  function setLive(live) {
    if (live === st.live) return;
    st.live = live;
    if (live) window.addEventListener('beforeunload', guard);
    else window.removeEventListener('beforeunload', guard);
  }

  function connect() {
    st.timer = 0;
    if (st.done) return;
    status(st.retryMs ? 'reconnecting' : 'connecting');
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws;
    try {
      ws = new WebSocket(`${proto}//${location.host}/ws`);
    } catch {
      retry();
      return;
    }
    st.ws = ws;
    ws.addEventListener('message', (e) => {
      if (st.ws !== ws) return;
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      receive(msg);
    });
    ws.addEventListener('close', () => {
      if (st.ws !== ws) return;
      st.ws = null;
      if (!st.done && !st.moved) retry();
    });
  }

  function retry() {
    if (st.done || st.timer) return;
    st.retryMs = st.retryMs ? Math.min(RETRY_MAX_MS, st.retryMs * 2) : RETRY_FIRST_MS;
    const wait = Math.round(st.retryMs * (0.75 + Math.random() * 0.5));
    status('reconnecting', wait);
    st.timer = setTimeout(connect, wait);
  }

  function resumeOrStart() {
    const saved = savedCall(scenario);
    if (saved) send({ type: 'resume', call: saved.call, token: saved.token });
    else send({ type: 'start', scenario, version: version || undefined, mode });
  }

  function receive(msg) {
    switch (msg.type) {
      case 'ready':
        resumeOrStart();
        break;
      case 'started':
        if (msg.call && msg.token) saveCall(scenario, msg.call, msg.token);
        connected();
        break;
      case 'resumed':
        connected();
        break;
      case 'report':
        st.done = true;
        forgetCall(scenario);
        setLive(false);
        break;
      case 'error':
        if (msg.code === 'unknown_call' || msg.code === 'call_ended') {
          // The call is gone from the server, or over: nothing to resume.
          forgetCall(scenario);
          setLive(false);
          if (msg.code === 'call_ended') st.done = true;
        } else if (msg.code === 'call_moved') {
          st.moved = true;
          setLive(false);
          status('offline');
        }
        break;
      case 'closing':
        // A restart: the connection closes next, and retry() brings the
        // call back. A call that is not resumable has nothing to bring back.
        if (!msg.resumable) setLive(false);
        break;
      default:
        break;
    }
    deliver(msg);
  }

  function connected() {
    st.retryMs = 0;
    st.moved = false;
    setLive(true);
    status('connected');
  }

  function send(msg) {
    const ws = st.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(msg));
    return true;
  }

  connect();

  return {
    send,
    // resumeHere takes a call that went on elsewhere back to this page.
    resumeHere() {
      const saved = savedCall(scenario);
      if (!saved) return false;
      st.moved = false;
      if (st.ws && st.ws.readyState === WebSocket.OPEN) return send({ type: 'resume', call: saved.call, token: saved.token });
      st.retryMs = 0;
      connect();
      return true;
    },
    // startOver forgets the call in progress and starts a new one.
    startOver() {
      forgetCall(scenario);
      st.done = false;
      st.moved = false;
      setLive(false);
      if (st.ws && st.ws.readyState === WebSocket.OPEN) return send({ type: 'start', scenario, version: version || undefined, mode });
      st.retryMs = 0;
      connect();
      return true;
    },
    // close leaves the call as it is: stored, and resumed when the view
    // opens again.
    close() {
      st.done = true;
      setLive(false);
      clearTimeout(st.timer);
      const ws = st.ws;
      st.ws = null;
      if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000, 'left the call');
    },
  };
}

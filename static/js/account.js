// Who is signed in, and requests that change something. The session is an
// HttpOnly cookie the page never reads: GET /api/me says who it is.
import { fetchJSON } from './dom.js';

let current = null; // a promise of /api/me

// me returns {user, anonymous_practice, setup}; user is null for a visitor.
export function me(refresh = false) {
  if (!current || refresh) {
    current = fetchJSON('/api/me').catch(() => ({ user: null, anonymous_practice: true, setup: false }));
  }
  return current;
}

// send makes a JSON request and returns the answer, or throws an Error
// with the server's message.
export async function send(method, url, body) {
  let res;
  try {
    res = await fetch(url, {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new Error('Could not reach the server. Check your connection and try again.');
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    // not JSON
  }
  if (!res.ok) {
    const msg = data && data.error;
    const err = new Error(typeof msg === 'string' && msg ? msg : `The server answered ${res.status}.`);
    err.status = res.status;
    err.body = data; // an upload refused for problems lists them
    throw err;
  }
  return data;
}

export async function signOut() {
  try {
    await send('POST', '/api/logout');
  } finally {
    await me(true);
  }
}

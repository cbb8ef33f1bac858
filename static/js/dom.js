// Small helpers that build DOM nodes. Every string child becomes a text node
// and every attribute is set with setAttribute, so text from scenarios or
// users can never turn into markup: nothing here touches innerHTML.
// A style is set through the CSSOM, never as a style attribute, which the
// server's Content-Security-Policy (no inline style) would block.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, props, children) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'style') el.style.cssText = String(value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

// append adds children (nodes, strings, numbers, nested arrays; null is skipped).
export function append(el, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// h creates an HTML element: h('p', {class: 'x'}, 'text', child).
export function h(tag, props, ...children) {
  return build(document.createElement(tag), props, children);
}

// s creates an SVG element.
export function s(tag, props, ...children) {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

// clear removes every child of el.
export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

let uid = 0;
// id returns a fresh element id with the given prefix.
export function id(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

// actName writes an act for people: need_payoff → need-payoff question.
export function actLabel(act) {
  return String(act || '').replaceAll('_', ' ');
}

// actNames are the acts as a trainee reads them.
const actNames = {
  situation: 'Situation question',
  problem: 'Problem question',
  implication: 'Implication question',
  need_payoff: 'Need-payoff question',
  qualify_budget: 'Budget question',
  qualify_authority: 'Decision-maker question',
  qualify_timeline: 'Timeline question',
  qualify_process: 'Buying-process question',
  qualify_metrics: 'Success-measure question',
  qualify_champion: 'Champion question',
  pitch: 'Pitch',
  concession: 'Concession',
  pressure: 'Pressure',
  dismissive: 'Dismissive remark',
  close: 'Asked for commitment',
  summary: 'Summary',
  empathy: 'Empathy',
  other: 'Small talk',
};

// actChoices are the acts a trainee may say they meant a line as, in the
// order a select lists them: every act but the classifier's "unclear".
export const actChoices = Object.keys(actNames);

// actName names an act for people: problem → "Problem question".
export function actName(act) {
  return actNames[act] || actLabel(act);
}

export const outcomeText = {
  won: 'Won',
  lost: 'Lost',
  open: 'Open',
};

export const profileText = {
  balanced: 'Balanced',
  yielding: 'Yielding',
  self_focused: 'Self-focused',
  passive: 'Passive',
};

export const profileHelp = {
  balanced: 'Customer first, and assertive where it counts: the trusted advisor.',
  yielding: 'Focused on the customer but not on your own interests: qualify, ask for commitment, hold value.',
  self_focused: 'Talked about the product before learning about the customer.',
  passive: 'Neither explored the customer\u2019s needs nor advanced the sale.',
};

// fetchJSON gets a JSON document, sending the extra headers given, or throws
// an Error with a readable message.
export async function fetchJSON(url, headers = {}) {
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json', ...headers } });
  } catch {
    throw new Error('Could not reach the server. Check your connection and try again.');
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    // fall through: a non-JSON body
  }
  if (!res.ok) {
    const msg = body && (body.message || body.error);
    throw new Error(typeof msg === 'string' && msg ? msg : `The server answered ${res.status}.`);
  }
  return body;
}

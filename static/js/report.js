// The report of one graded call (sim.Report): outcome, the two scores and
// the profile, SPIN, benchmarks, coverage, coaching and the annotated
// transcript. It renders from the websocket's report message when the call
// just ended, or from GET /api/calls/<id>/report.
import { h, s, append, clear, fetchJSON, id, actLabel, actName, outcomeText, profileText, profileHelp } from './dom.js';
import { authHeaders } from './session.js';

const cache = new Map(); // call id → {report, transcriptURL}

// rememberReport keeps a report the server just sent, so opening its page
// needs no second request.
export function rememberReport(callId, report, msg = {}) {
  cache.set(callId, { report, transcriptURL: msg.transcript_url });
}

export function reportView(root, callId) {
  const holder = h('div', { class: 'report', 'aria-busy': 'true' }, h('h1', null, 'Report'), h('p', { class: 'muted' }, 'Loading the report…'));
  append(root, holder);
  let wantTurn = 0;
  let ready = false;
  let disposed = false;

  const focusTurn = (n) => {
    wantTurn = n;
    if (!ready || !n) return;
    const el = document.getElementById(`turn-${n}`);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
    el.classList.remove('flash');
    void el.offsetWidth; // restart the highlight animation
    el.classList.add('flash');
  };

  const show = (entry) => {
    if (disposed) return;
    clear(holder).removeAttribute('aria-busy');
    render(holder, callId, entry.report, entry.transcriptURL || `/api/calls/${encodeURIComponent(callId)}/transcript`);
    document.title = `Report: ${entry.report.title || entry.report.scenario || callId} · Roleplay`;
    const h1 = holder.querySelector('h1');
    h1.setAttribute('tabindex', '-1');
    if (!wantTurn) h1.focus({ preventScroll: true });
    ready = true;
    focusTurn(wantTurn);
  };

  const cached = cache.get(callId);
  if (cached) {
    show(cached);
  } else {
    fetchJSON(`/api/calls/${encodeURIComponent(callId)}/report`, authHeaders(callId))
      .then((data) => {
        const rep = data && data.report && typeof data.report === 'object' ? data.report : data;
        const entry = { report: rep || {}, transcriptURL: data && data.transcript_url };
        cache.set(callId, entry);
        show(entry);
      })
      .catch((err) => {
        if (disposed) return;
        clear(holder).removeAttribute('aria-busy');
        append(holder, h('h1', null, 'Report not available'),
          h('div', { class: 'notice error', role: 'alert' },
            h('p', null, err.message),
            h('p', null, h('a', { href: '#/' }, 'Back to the customers'))));
      });
  }
  return {
    focusTurn,
    cleanup() {
      disposed = true;
      document.title = 'Roleplay · sales call simulator';
    },
  };
}

// ---------------------------------------------------------------- layout

// renderReport draws report r of call callId into root; the trainer's
// review page (trainer-review.js) shows it as the trainee saw it, with
// turn links under its own route.
export function renderReport(root, callId, r, transcriptURL, route = 'report') {
  render(root, callId, r, transcriptURL, route);
}

function render(root, callId, r, transcriptURL, route = 'report') {
  const turnLink = (n) => h('a', { class: 'turn-link', href: `#/${route}/${encodeURIComponent(callId)}/turn/${n}` }, `turn ${n}`);
  const turnLinks = (list) => (Array.isArray(list) && list.length
    ? list.map((n, i) => [i > 0 ? ', ' : '', turnLink(n)])
    : null);
  const ctx = { r, turnLink, turnLinks, factLabels: factLabels(r) };

  append(root,
    header(r, callId, transcriptURL),
    h('div', { class: 'grid two' }, profileCard(r), scoresCard(r)),
    h('div', { class: 'grid two' }, spinCard(r, ctx), coverageCard(r, ctx)),
    talkCard(r, ctx),
    commercialCard(r, ctx),
    coachingCard(r, ctx),
    correctionsCard(r, ctx),
    transcriptCard(r, ctx));
}

// correctionsCard lists the lines the trainee said were read wrong: what
// the simulator read, and what they meant (the call was played with it).
function correctionsCard(r, ctx) {
  const list = Array.isArray(r.corrections) ? r.corrections : [];
  if (list.length === 0) return null;
  const names = (acts) => (Array.isArray(acts) ? acts : []).map(actName).join(', ');
  return h('section', { class: 'card corrections', 'aria-labelledby': 'corr-h' },
    h('h2', { id: 'corr-h' }, 'Corrected readings'),
    h('p', { class: 'muted small' }, 'Lines corrected during the call ("I meant this as…"): each was played again as meant, and graded that way.'),
    h('ul', { class: 'correction-list' }, list.map((c) => h('li', { class: 'correction', 'data-turn': c.turn },
      ctx.turnLink(c.turn), ': “', String(c.said || ''), '” ',
      h('span', { class: 'read' }, `read as ${names(c.read)}`), ', ',
      h('span', { class: 'meant' }, `meant as ${names(c.meant)}`)))));
}

function header(r, callId, transcriptURL) {
  const outcome = r.outcome || 'open';
  const scenario = r.scenario || '';
  return h('section', { class: 'card report-head' },
    h('div', { class: 'report-title' },
      h('p', { class: 'eyebrow' }, 'Call report'),
      h('h1', null, r.title || scenario || 'Your call'),
      h('p', { class: 'muted' }, `${r.turns ?? (r.transcript || []).length} turns`)),
    h('div', { class: 'outcome-row' },
      h('div', { class: `outcome outcome-${outcome}`, 'data-outcome': outcome },
        h('span', { class: 'outcome-label' }, outcomeText[outcome] || outcome),
        r.reason && h('span', { class: 'outcome-reason' }, r.reason)),
      h('div', { class: 'total' },
        h('span', { class: 'total-score' }, String(r.score ?? 0)),
        h('span', { class: 'total-of' }, '/100'),
        h('span', { class: `pill ${r.passed ? 'pass' : 'fail'}` }, r.passed ? 'Passed' : 'Not passed'))),
    r.verdict && h('p', { class: 'verdict' }, r.verdict),
    h('div', { class: 'report-actions' },
      scenario && h('a', { class: 'btn primary', href: `#/call/${encodeURIComponent(scenario)}` }, 'Try again'),
      h('a', { class: 'btn', href: transcriptURL, download: `call-${callId}.json`, onclick: (e) => download(e, callId) }, 'Download JSON'),
      h('a', { class: 'btn ghost', href: '#/' }, 'All customers')));
}

// download saves the transcript: reading it needs the call's token, which a
// plain link cannot send, so the page fetches it and saves what came.
async function download(e, callId) {
  e.preventDefault();
  const link = e.currentTarget;
  try {
    const res = await fetch(link.href, { headers: authHeaders(callId) });
    if (!res.ok) throw new Error(`The server answered ${res.status}.`);
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: link.getAttribute('download') || 'call.json', hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (err) {
    link.after(h('p', { class: 'msg-error', role: 'alert' }, `The transcript could not be downloaded: ${err.message}`));
  }
}

// ---------------------------------------------------------------- profile

function profileCard(r) {
  const profile = r.profile || 'passive';
  return h('section', { class: 'card', 'aria-labelledby': 'profile-h' },
    h('h2', { id: 'profile-h' }, 'Profile'),
    h('p', { class: 'profile' },
      h('span', { class: `profile-name profile-${profile}`, 'data-profile': profile }, profileText[profile] || profile)),
    h('p', { class: 'muted' }, profileHelp[profile] || ''),
    quadrant(r));
}

// quadrant draws customer focus (x) against self-focus (y), split at r.high.
function quadrant(r) {
  const W = 320; const H = 300; const L = 44; const T = 12; const P = 240; // plot size
  const high = clamp(r.high ?? 50);
  const cf = clamp(r.customer_focus ?? 0);
  const sf = clamp(r.self_focus ?? 0);
  const x = (v) => L + (v / 100) * P;
  const y = (v) => T + P - (v / 100) * P;
  const profile = r.profile;
  const zone = (name, x0, y0, x1, y1) => {
    const active = name === profile;
    return [
      s('rect', { x: x(x0), y: y(y1), width: x(x1) - x(x0), height: y(y0) - y(y1), class: `zone zone-${name}${active ? ' active' : ''}` }),
      s('text', { x: (x(x0) + x(x1)) / 2, y: (y(y0) + y(y1)) / 2, class: `zone-label${active ? ' active' : ''}`, 'text-anchor': 'middle', 'dominant-baseline': 'middle' }, name),
    ];
  };
  const ticks = [0, 50, 100].map((v) => [
    s('text', { x: x(v), y: T + P + 16, class: 'tick', 'text-anchor': 'middle' }, String(v)),
    s('text', { x: L - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, String(v)),
  ]);
  const label = `Customer focus ${cf}, self-focus ${sf}: ${profileText[profile] || profile || 'no profile'}. Axes split at ${high}.`;
  return s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'quadrant', role: 'img', 'aria-label': label },
    s('title', null, label),
    zone('passive', 0, 0, high, high),
    zone('yielding', high, 0, 100, high),
    zone('self_focused', 0, high, high, 100),
    zone('balanced', high, high, 100, 100),
    s('rect', { x: L, y: T, width: P, height: P, class: 'frame' }),
    s('line', { x1: x(high), y1: T, x2: x(high), y2: T + P, class: 'split' }),
    s('line', { x1: L, y1: y(high), x2: L + P, y2: y(high), class: 'split' }),
    ticks,
    s('text', { x: L + P / 2, y: H - 4, class: 'axis', 'text-anchor': 'middle' }, 'Customer focus \u2192'),
    s('text', { x: 14, y: T + P / 2, class: 'axis', 'text-anchor': 'middle', transform: `rotate(-90 14 ${T + P / 2})` }, 'Self-focus \u2192'),
    s('circle', { cx: x(cf), cy: y(sf), r: 9, class: 'dot-halo' }),
    s('circle', { cx: x(cf), cy: y(sf), r: 5.5, class: 'dot' }),
    s('text', {
      x: x(cf) + (cf > 75 ? -12 : 12),
      // keep the label off the split line and inside the frame
      y: y(sf) + (sf > 90 || (sf >= high && sf - high < 10) ? 18 : -10),
      class: 'dot-label',
      'text-anchor': cf > 75 ? 'end' : 'start',
    }, 'your call'));
}

// ---------------------------------------------------------------- scores

function scoresCard(r) {
  return h('section', { class: 'card', 'aria-labelledby': 'scores-h' },
    h('h2', { id: 'scores-h' }, 'Scores'),
    axis('Customer focus', 'Discovery, listening and letting the customer talk.', r.customer_focus, r.customer_focus_parts),
    axis('Self-focus', 'How much you pushed your side: presenting the product, asking for commitment, qualifying, holding value.', r.self_focus, r.self_focus_parts),
    r.quality_parts && axis('Quality', 'How well you pushed: pitches tied to needs, asking once the value was clear, trades not gifts.', r.quality, r.quality_parts));
}

function axis(name, help, score, parts) {
  const v = clamp(score ?? 0);
  const lid = id('axis');
  return h('div', { class: 'axis-score' },
    h('div', { class: 'meter-head' },
      h('h3', { id: lid }, name),
      h('span', { class: 'axis-value' }, `${v}`, h('span', { class: 'muted' }, '/100'))),
    h('div', { class: 'bar', role: 'progressbar', 'aria-labelledby': lid, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': v },
      h('div', { class: 'fill', style: `width:${v}%` })),
    h('p', { class: 'muted small' }, help),
    Array.isArray(parts) && parts.length > 0 && h('ul', { class: 'parts' }, parts.map((p) => {
      const penalty = (p.max ?? 0) === 0 && (p.points ?? 0) < 0;
      return h('li', { class: penalty ? 'penalty' : '' },
        h('span', { class: 'part-name' }, actLabel(p.name)),
        h('span', { class: 'part-points' }, penalty ? `\u2212${-p.points}` : `${p.points ?? 0}/${p.max ?? 0}`),
        p.why && h('span', { class: 'part-why' }, p.why));
    })));
}

// ---------------------------------------------------------------- SPIN

function spinCard(r, ctx) {
  const spin = r.spin || {};
  const bars = [
    ['situation', 'Situation', spin.situation || 0],
    ['problem', 'Problem', spin.problem || 0],
    ['implication', 'Implication', spin.implication || 0],
    ['need_payoff', 'Need-payoff', spin.need_payoff || 0],
  ];
  const max = Math.max(4, ...bars.map((b) => b[2]));
  const W = 320; const H = 190; const B = 150; const top = 16; const bw = 46; const gap = (W - 4 * bw) / 5;
  const label = `SPIN questions: ${bars.map((b) => `${b[1]} ${b[2]}`).join(', ')}.`;
  const chart = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'spin-chart', role: 'img', 'aria-label': label },
    s('title', null, label),
    s('line', { x1: 0, y1: top + B, x2: W, y2: top + B, class: 'baseline' }),
    bars.map(([key, name, n], i) => {
      const bh = (n / max) * B;
      const bx = gap + i * (bw + gap);
      return [
        s('rect', { x: bx, y: top + B - bh, width: bw, height: Math.max(bh, 0.001), rx: 4, class: `spin-bar spin-${key}` }),
        s('text', { x: bx + bw / 2, y: top + B - bh - 5, class: 'bar-value', 'text-anchor': 'middle' }, String(n)),
        s('text', { x: bx + bw / 2, y: top + B + 18, class: 'bar-name', 'text-anchor': 'middle' }, name),
      ];
    }));
  const notes = [];
  if (spin.implications_built_on_pain) notes.push(`${spin.implications_built_on_pain} implication question${spin.implications_built_on_pain === 1 ? '' : 's'} built on a known pain.`);
  notes.push(spin.need_stated_by_customer ? 'The customer stated the value of solving the problem in their own words.' : 'The customer never stated the value of solving a problem in their own words.');
  return h('section', { class: 'card', 'aria-labelledby': 'spin-h' },
    h('h2', { id: 'spin-h' }, 'SPIN questions'),
    chart,
    h('ul', { class: 'plain small' },
      notes.map((n) => h('li', null, n)),
      spin.first_problem_turn ? h('li', null, 'First problem question: ', ctx.turnLink(spin.first_problem_turn), '.') : null,
      spin.first_implication_turn ? h('li', null, 'First implication question: ', ctx.turnLink(spin.first_implication_turn), '.') : null));
}

// ---------------------------------------------------------------- coverage

function coverageCard(r, ctx) {
  return h('section', { class: 'card', 'aria-labelledby': 'cov-h' },
    h('h2', { id: 'cov-h' }, 'What you found out'),
    coverage('Discovery', r.discovery, ctx),
    coverage('Qualification', r.qualification, ctx));
}

function coverage(name, cov, ctx) {
  cov = cov || { found: 0, total: 0, facts: [] };
  const pct = cov.total ? Math.round((cov.found / cov.total) * 100) : 0;
  const lid = id('cov');
  return h('div', { class: 'coverage' },
    h('div', { class: 'meter-head' },
      h('h3', { id: lid }, name),
      h('span', null, `${cov.found ?? 0} of ${cov.total ?? 0} facts`)),
    h('div', { class: 'bar', role: 'progressbar', 'aria-labelledby': lid, 'aria-valuemin': 0, 'aria-valuemax': cov.total || 0, 'aria-valuenow': cov.found || 0 },
      h('div', { class: 'fill', style: `width:${pct}%` })),
    Array.isArray(cov.facts) && cov.facts.length > 0 && h('ul', { class: 'facts' }, cov.facts.map((f) => h('li', { class: f.turn ? 'found' : 'open' },
      h('span', { class: 'check', 'aria-hidden': 'true' }, f.turn ? '\u2713' : '\u25cb'),
      h('span', { class: 'kind' }, actLabel(f.kind)),
      h('span', { class: 'label' }, f.label || f.id, f.turn ? [' \u00b7 ', ctx.turnLink(f.turn)] : h('span', { class: 'sr-only' }, ' (not found)'))))));
}

// ---------------------------------------------------------------- talk

function talkCard(r, ctx) {
  const t = r.talk || {};
  const share = Math.round((t.trainee_share || 0) * 100);
  const benchmarks = Array.isArray(r.benchmarks) ? r.benchmarks : [];
  return h('section', { class: 'card', 'aria-labelledby': 'talk-h' },
    h('h2', { id: 'talk-h' }, 'Talk and questions'),
    h('div', { class: 'stats' },
      stat(`${share}%`, 'your share of the words', h('div', { class: 'split-bar', 'aria-hidden': 'true' },
        h('span', { class: 'you', style: `width:${share}%` }), h('span', { class: 'them', style: `width:${100 - share}%` }))),
      stat(String(t.longest_monologue_words ?? 0), 'words in your longest turn', t.longest_monologue_turn ? h('span', { class: 'small' }, ctx.turnLink(t.longest_monologue_turn)) : null),
      stat(String(t.questions ?? 0), 'questions asked'),
      stat(`${t.you_words ?? 0} : ${t.we_words ?? 0}`, '\u201cyou\u201d words to \u201cI/we\u201d words')),
    benchmarks.length > 0 && h('div', { class: 'table-wrap' },
      h('table', { class: 'benchmarks' },
        h('caption', null, 'Against published research'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col' }, 'Measure'),
          h('th', { scope: 'col' }, 'You'),
          h('th', { scope: 'col' }, 'Target'),
          h('th', { scope: 'col' }, 'Met'),
          h('th', { scope: 'col' }, 'Source'))),
        h('tbody', null, benchmarks.map((b) => h('tr', { class: b.met ? 'met' : 'missed' },
          h('th', { scope: 'row' }, b.name),
          h('td', { class: 'num' }, formatValue(b)),
          h('td', null, b.target),
          h('td', null, h('span', { class: `pill ${b.met ? 'pass' : 'fail'}` }, b.met ? 'Met' : 'Not met')),
          h('td', { class: 'source' }, b.source)))))));
}

function stat(value, label, extra) {
  return h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label), extra);
}

function formatValue(b) {
  const v = Number(b.value) || 0;
  if (b.unit === '%') return `${Math.round(v)}%`;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

// ---------------------------------------------------------------- money and commitment

function commercialCard(r, ctx) {
  const c = r.concessions || {};
  const n = r.next_step || {};
  const p = r.pitch || {};
  const rf = r.red_flags || {};
  const flags = [];
  if (rf.pressure && rf.pressure.length) flags.push(h('li', null, 'Pressure: ', ctx.turnLinks(rf.pressure)));
  if (rf.dismissive && rf.dismissive.length) flags.push(h('li', null, 'Dismissive remarks: ', ctx.turnLinks(rf.dismissive)));
  return h('section', { class: 'card', 'aria-labelledby': 'money-h' },
    h('h2', { id: 'money-h' }, 'Pitch, price and commitment'),
    h('div', { class: 'grid three' },
      h('div', { class: 'fact-block' },
        h('h3', null, 'Pitch'),
        h('p', null, p.count ? `${p.count} pitch${p.count === 1 ? '' : 'es'}, ${p.tailored || 0} tied to a problem the customer raised, ${p.early || 0} before any problem was known.` : 'You did not pitch the product.'),
        p.too_early && h('p', { class: 'warn' }, 'The first pitch came before any problem was known.'),
        p.turns && p.turns.length > 0 && h('p', { class: 'small' }, 'At ', ctx.turnLinks(p.turns), '.')),
      h('div', { class: 'fact-block' },
        h('h3', null, 'Concessions'),
        h('p', null, c.count
          ? `${c.count} concession${c.count === 1 ? '' : 's'}: ${c.conditional || 0} traded for something, ${c.unconditional || 0} given away${c.deepest_percent ? `, at most ${c.deepest_percent}% off` : ''}.`
          : 'No concessions: you held the price.'),
        c.turns && c.turns.length > 0 && h('p', { class: 'small' }, 'At ', ctx.turnLinks(c.turns), '.')),
      h('div', { class: 'fact-block' },
        h('h3', null, 'Next step'),
        h('p', null, n.asked ? (n.committed ? 'You asked for a next step and the customer committed.' : 'You asked for a next step; the customer did not commit.') : 'You never asked for a next step.'),
        n.turns && n.turns.length > 0 && h('p', { class: 'small' }, 'Asked at ', ctx.turnLinks(n.turns), '.'))),
    h('div', { class: 'fact-block red-flags' },
      h('h3', null, 'Red flags'),
      flags.length ? h('ul', { class: 'plain' }, flags) : h('p', { class: 'muted' }, 'None: no pressure tactics or dismissive remarks.')));
}

// ---------------------------------------------------------------- coaching

function coachingCard(r, ctx) {
  const points = Array.isArray(r.coaching) ? r.coaching : [];
  return h('section', { class: 'card', 'aria-labelledby': 'coach-h' },
    h('h2', { id: 'coach-h' }, 'Coaching'),
    points.length === 0
      ? h('p', { class: 'muted' }, 'No coaching points for this call.')
      : h('ol', { class: 'coaching' }, points.map((c) => h('li', { class: `coach${c.positive ? ' positive' : ''}`, 'data-rule': c.rule },
        h('div', { class: 'coach-head' },
          h('span', { class: `pill ${c.positive ? 'pass' : 'tip'}` }, c.positive ? 'Keep doing' : 'Try differently'),
          h('span', { class: 'rule' }, actLabel(c.rule))),
        h('p', { class: 'coach-msg' }, c.message),
        c.better && h('p', { class: 'better' }, h('span', { class: 'meta-key' }, 'A better question: '), h('q', null, c.better)),
        c.turns && c.turns.length > 0 && h('p', { class: 'small' }, 'See ', ctx.turnLinks(c.turns), '.')))));
}

// ---------------------------------------------------------------- transcript

function transcriptCard(r, ctx) {
  const turns = Array.isArray(r.transcript) ? r.transcript : [];
  return h('section', { class: 'card', 'aria-labelledby': 'tr-h' },
    h('h2', { id: 'tr-h' }, 'Annotated transcript'),
    h('ol', { class: 'transcript' },
      r.opening && h('li', { class: 'turn opening' }, h('div', { class: 'msg customer' }, h('span', { class: 'sr-only' }, 'Customer: '), h('div', { class: 'bubble' }, r.opening))),
      turns.map((t) => turnItem(t, ctx))));
}

function turnItem(t, ctx) {
  const acts = Array.isArray(t.acts) ? t.acts : [];
  const flags = [];
  if (t.early_pitch) flags.push('early pitch');
  if (t.tailored) flags.push('tailored pitch');
  if (t.objection) flags.push('price objection');
  const revealed = (t.revealed || []).map((fid) => ctx.factLabels.get(fid) || actLabel(fid));
  const meters = (t.meters || []).filter((m) => m.delta).map((m) => `${actLabel(m.name)} ${m.value} (${m.delta > 0 ? '+' : '\u2212'}${Math.abs(m.delta)})`);
  const read = Array.isArray(t.read) ? t.read : null;
  if (read) flags.push('corrected');
  return h('li', { class: read ? 'turn corrected' : 'turn', id: `turn-${t.n}`, tabindex: '-1' },
    h('div', { class: 'turn-n' }, `Turn ${t.n}`),
    h('div', { class: 'msg trainee' },
      h('span', { class: 'sr-only' }, 'You: '),
      h('div', { class: 'bubble' }, highlighted(t.said || '', acts)),
      h('ul', { class: 'chips', 'aria-label': 'Acts found' },
        acts.map((d) => h('li', { class: `chip act-${d.act}` }, actLabel(d.act), d.confidence != null && h('span', { class: 'conf' }, ` ${Math.round(d.confidence * 100)}%`))),
        flags.map((f) => h('li', { class: 'chip flag' }, f))),
      read && h('p', { class: 'msg-meta read' }, h('span', { class: 'meta-key' }, 'Read as: '),
        [...new Set(read.map((d) => d.act))].map(actName).join(', '), ' · played as meant')),
    h('div', { class: 'msg customer' },
      h('span', { class: 'sr-only' }, 'Customer: '),
      h('div', { class: 'bubble' }, t.reply || ''),
      h('div', { class: 'msg-meta' },
        h('p', null, h('span', { class: 'meta-key' }, 'State: '), t.from === t.to ? `stayed ${actLabel(t.from)}` : `${actLabel(t.from)} \u2192 ${actLabel(t.to)}`,
          t.transitions && t.transitions.length ? ` (${t.transitions.join('; ')})` : ''),
        revealed.length > 0 && h('p', { class: 'revealed' }, h('span', { class: 'meta-key' }, 'Revealed: '), revealed.join(' \u00b7 ')),
        meters.length > 0 && h('p', null, h('span', { class: 'meta-key' }, 'Meters: '), meters.join(' \u00b7 ')),
        t.ended && h('p', { class: `ended outcome-${t.outcome}` }, h('span', { class: 'meta-key' }, 'Call ended: '), `${outcomeText[t.outcome] || t.outcome}${t.reason ? `, ${t.reason}` : ''}`))));
}

// highlighted returns the nodes of text with each act's cue words wrapped in
// <mark>, looked up inside the sentence the act was found in.
export function highlighted(text, acts) {
  const lower = text.toLowerCase();
  const ranges = [];
  for (const d of acts) {
    let from = 0;
    let to = text.length;
    if (d.sentence) {
      const i = lower.indexOf(String(d.sentence).toLowerCase());
      if (i >= 0) {
        from = i;
        to = i + d.sentence.length;
      }
    }
    for (const cue of d.cues || []) {
      const c = String(cue).toLowerCase().trim();
      if (!c) continue;
      for (let j = lower.indexOf(c, from); j >= 0 && j + c.length <= to; j = lower.indexOf(c, j + 1)) {
        if (j === 0 || !/[\p{L}\p{N}]/u.test(lower[j - 1])) {
          ranges.push({ start: j, end: j + c.length, act: d.act });
          break;
        }
      }
    }
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const nodes = [];
  let pos = 0;
  for (const rg of ranges) {
    if (rg.start < pos) continue; // overlaps an earlier cue
    if (rg.start > pos) nodes.push(document.createTextNode(text.slice(pos, rg.start)));
    nodes.push(h('mark', { class: `cue act-${rg.act}`, title: actLabel(rg.act) }, text.slice(rg.start, rg.end)));
    pos = rg.end;
  }
  if (pos < text.length) nodes.push(document.createTextNode(text.slice(pos)));
  return nodes;
}

// ---------------------------------------------------------------- helpers

function factLabels(r) {
  const m = new Map();
  for (const cov of [r.discovery, r.qualification]) {
    for (const f of (cov && cov.facts) || []) m.set(f.id, f.label || f.id);
  }
  return m;
}

function clamp(v) {
  return Math.max(0, Math.min(100, Math.round(Number(v) || 0)));
}

// State graphs drawn with Mermaid, vendored in static/vendor/mermaid and
// loaded on first use (it is large, and only trainers' pages draw graphs).
import { clear } from './dom.js';

let loading = null; // the promise of window.mermaid
let drawn = 0;

// loadMermaid adds the vendored bundle once; it defines window.mermaid.
export function loadMermaid() {
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const el = document.createElement('script');
      el.src = 'vendor/mermaid/mermaid.min.js';
      el.onload = () => (window.mermaid ? resolve(window.mermaid) : reject(new Error('The graph library did not load.')));
      el.onerror = () => reject(new Error('The graph library could not be loaded.'));
      document.head.append(el);
    });
  }
  return loading;
}

// drawGraph draws Mermaid source into box, labelled for screen readers,
// or throws. Mermaid returns the drawing as markup (sanitised by its
// DOMPurify, securityLevel strict). It is parsed into an inert document,
// where no script runs, and its svg element adopted: no markup is ever
// assigned to the page. It is not well-formed XML (HTML entities), so it
// is parsed as HTML.
export async function drawGraph(box, source, label) {
  const mermaid = await loadMermaid();
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral', flowchart: { htmlLabels: false } });
  drawn += 1;
  const { svg } = await mermaid.render(`graph-${drawn}-${Date.now()}`, source);
  const doc = new DOMParser().parseFromString(svg, 'text/html');
  const el = doc.querySelector('svg');
  if (!el) throw new Error('The graph could not be drawn.');
  adoptStyles(box, el);
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', label);
  clear(box).removeAttribute('aria-busy');
  box.append(document.importNode(el, true));
}

// The drawing's own rules (edge strokes, arrowheads, label boxes, the
// persona's heat shades) come in a <style> element, which the page's
// Content-Security-Policy refuses to apply (style-src 'self'). Rules handed
// over through the CSS object model are not markup and are allowed, so the
// element is taken out and its text adopted as a stylesheet; Mermaid scopes
// every rule to the drawing's id. Each box keeps one sheet, replaced on a
// redraw, so a trainer editing a persona does not pile them up.
const sheets = new WeakMap();

function adoptStyles(box, svg) {
  const text = [...svg.querySelectorAll('style')].map((s) => {
    s.remove();
    return s.textContent;
  }).join('\n');
  const old = sheets.get(box);
  if (old) document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== old);
  if (!text || typeof CSSStyleSheet !== 'function' || !('adoptedStyleSheets' in document)) return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  sheets.set(box, sheet);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

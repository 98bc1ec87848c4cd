// Building the page: elements (HTML and SVG) from plain calls, and how figures read.
// Styles are classes and SVG attributes only: the page's policy forbids inline styles.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** An HTML element: `h('a', { href }, 'text', child…)`. */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

const number = new Intl.NumberFormat('en');

/** A count as text: `1,234`, or `unknown`. */
export function count(n) {
  return n === null || n === undefined ? 'unknown' : number.format(n);
}

const QUALIFIERS = {
  EXACT: '',
  AT_LEAST: 'at least ',
  MORE_THAN: 'more than ',
  ABOUT: 'about ',
  NEARLY: 'nearly ',
  AT_MOST: 'at most ',
  UNKNOWN: '',
};

/** A figure as a person reads it: "at least 271", "151 (151–200)", "unknown". */
export function figure(f) {
  if (!f) return '—';
  if (f.value === null || f.value === undefined) return 'unknown';
  const base = (QUALIFIERS[f.qualifier] || '') + count(f.value);
  const range = f.low !== undefined && f.high !== undefined && f.low !== null && f.high !== null
    && f.low !== f.high ? ` (${count(f.low)}–${count(f.high)})` : '';
  return base + range;
}

/** A claim's value: "nearly 400", "6,000–7,000". */
export function claim(c) {
  if (c.value === null || c.value === undefined) return 'no number';
  const high = c.high !== null && c.high !== undefined && c.high !== c.value ? `–${count(c.high)}` : '';
  return (QUALIFIERS[c.qualifier] || '') + count(c.value) + high;
}

/** A vocabulary value as words: `SITE_CLOSURE` → "site closure". */
export function words(value) {
  return value ? value.toLowerCase().replaceAll('_', ' ') : '—';
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  build(el, {}, children);
  return el;
}

/** A link inside the explorer: the router turns clicks into history entries. */
export function link(params, ...children) {
  return h('a', { href: href(params), 'data-nav': '' }, ...children);
}

/** The URL of a view: `/explore?view=events&kinds=RAID`. Empty values are left out. */
export function href(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const text = q.toString();
  return '/explore' + (text ? '?' + text : '');
}

/** A table (a caption, header cells, rows of cells) in a box that scrolls sideways on a
 * narrow screen; the box takes the focus, so the keyboard can scroll it too. */
export function table(caption, headers, rows, attrs) {
  return h('div', { class: 'table-box', tabindex: '0', role: 'region', 'aria-label': caption }, h('table', attrs,
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c, i) => (i === 0
      ? h('th', { scope: 'row' }, c) : h('td', {}, c))))))));
}

// Flows: the origin–destination matrix of deportations and extraditions (`flowTotals`) as a
// Sankey diagram, a flow to an unspecified destination ("home countries") its own node.
// Flows that are planned or have no number are listed, never drawn as numbers.
import { h, s, link, figure, count, words } from './dom.js';
import { span } from './dates.js';
import * as q from './queries.js';

const W = 760;
const GAP = 18;
const NODE_W = 14;
const UNSPECIFIED = 'Unspecified destination';

const name = (country) => (country ? country.name : UNSPECIFIED);
const code = (country) => (country ? country.code : '');

export async function render(main) {
  const rows = await q.flowTotals();
  const drawn = rows.filter((r) => r.total.value !== null && r.total.value > 0);
  const uncounted = rows.flatMap((r) => r.uncounted);
  main.append(
    h('h1', { tabindex: '-1' }, 'Flows'),
    h('p', {}, 'People deported or extradited, from country to country, as the server totals ',
      'them (claims from different sources never added; a flow split by nationality counted once). ',
      'Band widths are people.'),
    sankey(drawn),
    h('div', { class: 'table-box', tabindex: '0', role: 'region', 'aria-label': 'Flow totals' },
      h('table', { class: 'flows-table' },
      h('caption', {}, 'Origin, destination and kind, with the total of counted flows'),
      h('thead', {}, h('tr', {}, ['From', 'To', 'Kind', 'People', 'Counted flows', 'Uncounted']
        .map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {
        'data-from': code(r.from), 'data-to': code(r.to) || 'unspecified', 'data-kind': r.kind,
      },
      h('th', { scope: 'row' }, name(r.from)),
      h('td', {}, name(r.to)),
      h('td', {}, words(r.kind)),
      h('td', { class: 'total' }, figure(r.total)),
      h('td', {}, count(r.flowCount)),
      h('td', {}, count(r.uncountedCount))))))),
    rows.some((r) => !r.to) ? null
      : h('p', {}, 'No counted flow in this data goes to an unspecified destination.'),
    h('section', { 'aria-labelledby': 'uncounted' },
      h('h2', { id: 'uncounted' }, 'Planned and uncounted flows'),
      h('p', {}, 'Listed, not drawn: a planned flow has not happened, and a flow without a number ',
        'adds nothing a reader could trust.'),
      uncounted.length ? h('ul', { class: 'event-list uncounted' }, uncounted.map((f) => h('li', {},
        `${name(f.from)} → ${name(f.to)}, ${words(f.kind)}, ${words(f.status)}`,
        f.count && f.count.value !== null ? ` (${figure(f.count)} people, not counted)` : ' (no number)',
        ', ', span(f.date), ' — ', link({ view: 'event', key: f.event.key }, f.event.title))))
        : h('p', {}, 'None.')),
  );
}

/** Origins on the left, destinations on the right, a band per row of the matrix. */
function sankey(rows) {
  const sum = (list) => list.reduce((a, r) => a + r.total.value, 0);
  const origins = [...new Set(rows.map((r) => name(r.from)))];
  const destinations = [...new Set(rows.map((r) => name(r.to)))];
  // The unspecified destination is a node of its own, drawn last.
  destinations.sort((a, b) => (a === UNSPECIFIED) - (b === UNSPECIFIED));
  const total = Math.max(1, sum(rows));
  const height = 320;
  const k = (height - GAP * Math.max(origins.length, destinations.length)) / total;
  const layout = (names, side) => {
    let y = 10;
    return Object.fromEntries(names.map((n) => {
      const value = sum(rows.filter((r) => name(side === 'from' ? r.from : r.to) === n));
      const node = { y, h: Math.max(2, value * k), value, offset: 0 };
      y += node.h + GAP;
      return [n, node];
    }));
  };
  const left = layout(origins, 'from');
  const right = layout(destinations, 'to');
  const x0 = 150;
  const x1 = W - 240;
  const svg = s('svg', { viewBox: `0 0 ${W} ${height + 20}`, class: 'chart sankey', role: 'group',
    'aria-label': 'Sankey diagram of flows between countries; the table below holds the same figures' });
  for (const r of rows) {
    const a = left[name(r.from)];
    const b = right[name(r.to)];
    const w = Math.max(2, r.total.value * k);
    const ya = a.y + a.offset + w / 2;
    const yb = b.y + b.offset + w / 2;
    a.offset += w;
    b.offset += w;
    const mid = (x0 + x1) / 2;
    const label = `${name(r.from)} to ${name(r.to)}, ${words(r.kind)}: ${figure(r.total)} people`;
    svg.append(s('path', {
      d: `M${x0 + NODE_W},${ya} C${mid},${ya} ${mid},${yb} ${x1},${yb}`,
      class: `band ${r.kind.toLowerCase()}${r.to ? '' : ' unspecified'}`, 'stroke-width': w,
    }, s('title', {}, label)));
  }
  for (const [n, node] of Object.entries(left)) {
    svg.append(s('rect', { x: x0, y: node.y, width: NODE_W, height: node.h, class: 'node' }),
      s('text', { x: x0 - 6, y: node.y + node.h / 2 + 4, 'text-anchor': 'end', class: 'label' },
        `${n} ${count(node.value)}`));
  }
  for (const [n, node] of Object.entries(right)) {
    svg.append(s('rect', { x: x1, y: node.y, width: NODE_W, height: node.h,
      class: n === UNSPECIFIED ? 'node unspecified' : 'node' }),
    s('text', { x: x1 + NODE_W + 6, y: node.y + node.h / 2 + 4, class: 'label' },
      `${n} ${count(node.value)}`));
  }
  return h('figure', { class: 'chart-box' }, svg,
    h('figcaption', {}, 'Blue bands: deportations; orange bands: extraditions; the grey node is the unspecified destination.'));
}

// Totals: people by nationality, role, status or year (`participantTotals`), each row
// expandable to the events it comes from, its low–high span drawn as a range.
import { h, s, link, figure, count } from './dom.js';
import { span, period } from './dates.js';
import * as q from './queries.js';

const LABELS = { nationality: 'Nationality', role: 'Role', status: 'Status', year: 'Year' };
const W = 300;

export async function render(main, params) {
  const by = Object.hasOwn(q.TOTAL_DIMENSIONS, params.get('by')) ? params.get('by') : 'nationality';
  const filter = await q.eventFilter(params);
  const rows = await q.participantTotals(by, filter);
  const base = Object.fromEntries(params);
  const max = Math.max(1, ...rows.map((r) => r.total.high ?? r.total.value ?? 0));
  main.append(
    h('h1', { tabindex: '-1' }, 'Totals'),
    h('p', {}, 'People involved in events, added up by the server\'s rules: claims from ',
      'different sources are never added, the same people in two events count once, and ',
      'statistics stay out. The bar is the figure; the line across it spans every claim, low to high.'),
    h('nav', { class: 'tabs', 'aria-label': 'Group totals by' },
      Object.entries(LABELS).map(([k, label]) => (k === by
        ? h('strong', { 'aria-current': 'page' }, label) : link({ ...base, view: 'totals', by: k }, label)))),
    h('ul', { class: 'totals' }, rows.map((r) => h('li', {}, h('details', {},
      h('summary', {}, h('span', { class: 'key' }, key(by, r.key)),
        h('span', { class: 'value' }, figure(r.total), r.total.derived ? ' · derived' : ''),
        range(r.total, max),
        h('span', { class: 'events-count' }, `${count(r.eventCount)} event${r.eventCount === 1 ? '' : 's'}`)),
      h('ul', { class: 'event-list' }, r.events.nodes.map((e) => h('li', {},
        link({ view: 'event', key: e.key }, e.title), ' — ', span(e.date)))),
      r.events.totalCount > r.events.nodes.length
        ? h('p', {}, `and ${count(r.events.totalCount - r.events.nodes.length)} more.`) : null)))),
  );
}

function key(by, value) {
  if (value === null || value === undefined) {
    return by === 'nationality' ? 'Nationality not given' : by === 'year' ? 'Undated' : 'Unknown';
  }
  if (by === 'nationality') return value;
  return by === 'year' ? period(String(value)) : String(value).toLowerCase().replaceAll('_', ' ');
}

/** The figure as a bar, and its low–high span as a line with end ticks. */
function range(f, max) {
  const x = (v) => 2 + ((v || 0) / max) * (W - 4);
  const low = f.low ?? f.value;
  const high = f.high ?? f.value;
  return s('svg', { viewBox: `0 0 ${W} 16`, class: 'range', 'aria-hidden': 'true', focusable: 'false' },
    s('rect', { x: 2, y: 4, width: Math.max(1, x(f.value) - 2), height: 8, class: 'bar' }),
    low !== high ? [
      s('line', { x1: x(low), x2: x(high), y1: 8, y2: 8, class: 'span-line' }),
      s('line', { x1: x(low), x2: x(low), y1: 2, y2: 14, class: 'span-line' }),
      s('line', { x1: x(high), x2: x(high), y1: 2, y2: 14, class: 'span-line' }),
    ] : null);
}

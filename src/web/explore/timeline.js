// Timeline: events and people per year or month (from `timeline`), each period a link that
// lists its events; and the events themselves on a time axis, each drawn over its whole date
// span (a MONTH-precision event covers its month, a DAY one is a tick).
import { h, s, link, figure, count, table, words } from './dom.js';
import { span, yearFraction, period as periodLabel } from './dates.js';
import * as q from './queries.js';

const W = 760;
const BAR_H = 150;

export async function render(main, params) {
  const interval = params.get('interval') === 'MONTH' ? 'MONTH' : 'YEAR';
  const filter = await q.eventFilter(params);
  const [points, latest] = await Promise.all([
    q.timeline(interval, filter),
    q.events(filter, { size: 100 }),
  ]);
  const chosen = params.get('period');
  const base = Object.fromEntries(params);
  main.append(
    h('h1', { tabindex: '-1' }, 'Timeline'),
    h('p', {}, 'Events and the people involved in them, per ', interval === 'YEAR' ? 'year' : 'month',
      '. An event counts in the period its whole date span lies in; events of unknown date, or ',
      'spanning more than one period, are counted as undated.'),
    h('p', {}, 'Per ',
      interval === 'YEAR' ? h('strong', {}, 'year') : link({ ...base, interval: 'YEAR', period: '' }, 'year'),
      ' · ',
      interval === 'MONTH' ? h('strong', {}, 'month') : link({ ...base, interval: 'MONTH', period: '' }, 'month')),
    bars(points, base, chosen),
    table(`Events and people per ${interval === 'YEAR' ? 'year' : 'month'}`,
      ['Period', 'Events', 'People'],
      points.filter((p) => interval === 'YEAR' || p.eventCount > 0 || !p.period).map((p) => [
        link({ ...base, period: p.period || 'undated' }, periodLabel(p.period)),
        count(p.eventCount),
        // Null: the period's events count no one the sources number.
        p.people ? figure(p.people) : 'unknown',
      ]), { class: 'timeline-table' }),
  );
  if (chosen) main.append(await periodEvents(points, chosen, filter));
  main.append(axis(latest.nodes, latest.totalCount));
}

/** One bar per period, its height the period's events; each bar links to its events. */
function bars(points, base, chosen) {
  const max = Math.max(1, ...points.map((p) => p.eventCount));
  const bw = Math.max(4, Math.min(60, (W - 40) / Math.max(1, points.length)));
  const svg = s('svg', { viewBox: `0 0 ${W} ${BAR_H + 40}`, class: 'chart', role: 'group',
    'aria-label': 'Events per period (bar chart; the table below holds the same figures)' });
  points.forEach((p, i) => {
    const height = (p.eventCount / max) * BAR_H;
    const x = 20 + i * bw;
    const label = `${periodLabel(p.period)}: ${count(p.eventCount)} events, ${p.people ? figure(p.people) : 'unknown'} people`;
    svg.append(s('a', { href: `/explore?${new URLSearchParams({ ...base, period: p.period || 'undated' })}`,
      'data-nav': '', 'aria-label': label },
    s('title', {}, label),
    s('rect', { x: x + 1, y: BAR_H - height + 10, width: bw - 2, height: Math.max(height, 1),
      class: (p.period || 'undated') === chosen ? 'bar chosen' : p.period ? 'bar' : 'bar undated' }),
    tick(p.period, points.length) ? s('text', { x: x + bw / 2, y: BAR_H + 28, 'text-anchor': 'middle',
      class: 'tick' }, tick(p.period, points.length)) : null));
  });
  return h('figure', { class: 'chart-box' }, svg,
    h('figcaption', {}, 'Bars: events per period; choose one to list its events.'));
}

/** A bar's label: the year, or the month when there are few; with many months, each January
 * is labelled with its year. */
function tick(period, bars) {
  if (!period) return '?';
  if (period.length === 4) return period;
  if (bars <= 24) return period.slice(5);
  return period.endsWith('-01') ? period.slice(0, 4) : null;
}

/** The events of one period: those the API finds overlapping it, kept if their span lies in it. */
async function periodEvents(points, chosen, filter) {
  const point = points.find((p) => (p.period || 'undated') === chosen);
  const section = h('section', { 'aria-labelledby': 'period-events' },
    h('h2', { id: 'period-events' }, `Events of ${periodLabel(chosen === 'undated' ? null : chosen)}`));
  if (!point || !point.span.start) {
    section.append(h('p', {}, 'Undated events (and those spanning several periods) are in the ',
      link({ view: 'events' }, 'events list'), '.'));
    return section;
  }
  const page = await q.events({ ...filter, from: point.span.start, to: point.span.end }, { size: 100 });
  const within = page.nodes.filter((e) => e.date.start && e.date.start >= point.span.start
    && e.date.end <= point.span.end);
  const across = page.nodes.filter((e) => !within.includes(e));
  section.append(h('ul', { class: 'event-list' }, within.map(eventItem)));
  if (across.length) {
    section.append(h('p', {}, 'Also overlapping this period, but counted in none (their span reaches beyond it):'),
      h('ul', { class: 'event-list' }, across.map(eventItem)));
  }
  return section;
}

function eventItem(e) {
  return h('li', {}, link({ view: 'event', key: e.key }, e.title), ' — ', span(e.date),
    e.peopleCount ? ` · ${figure(e.peopleCount)} people` : '');
}

/** Every listed event over its whole date span, on one axis of years. */
function axis(events, total) {
  const dated = events.filter((e) => e.date.start);
  const section = h('section', { 'aria-labelledby': 'axis' }, h('h2', { id: 'axis' }, 'Events over time'),
    h('p', {}, 'Each event is drawn over its date span: a day is a tick, a month-precision event ',
      'covers its whole month, a range covers the range. ', total > events.length
        ? `The latest ${events.length} of ${count(total)} events.` : ''));
  if (!dated.length) return section;
  const lo = Math.floor(Math.min(...dated.map((e) => yearFraction(e.date.start))));
  const hi = Math.ceil(Math.max(...dated.map((e) => yearFraction(e.date.end, true))));
  const rowH = 14;
  const height = dated.length * rowH + 30;
  const x = (t) => 24 + ((t - lo) / Math.max(1, hi - lo)) * (W - 48);
  const svg = s('svg', { viewBox: `0 0 ${W} ${height}`, class: 'chart axis', role: 'group',
    'aria-label': 'Events on a time axis, each over its date span' });
  for (let y = lo; y <= hi; y++) {
    svg.append(s('line', { x1: x(y), x2: x(y), y1: 0, y2: height - 20, class: 'grid' }),
      s('text', { x: x(y), y: height - 6, 'text-anchor': 'middle', class: 'tick' }, String(y)));
  }
  dated.forEach((e, i) => {
    const x1 = x(yearFraction(e.date.start));
    const x2 = x(yearFraction(e.date.end, true));
    const label = `${e.title}: ${span(e.date)} (${words(e.date.precision)} precision)`;
    svg.append(s('a', { href: `/explore?view=event&key=${encodeURIComponent(e.key)}`, 'data-nav': '',
      'aria-label': label }, s('title', {}, label),
    s('rect', { x: x1, y: 4 + i * rowH, width: Math.max(2, x2 - x1), height: rowH - 4,
      class: `span ${e.date.precision.toLowerCase()}` })));
  });
  section.append(h('figure', { class: 'chart-box' }, svg,
    h('figcaption', {}, 'Dark: known to the day; light: a month, week, year or range.')));
  return section;
}

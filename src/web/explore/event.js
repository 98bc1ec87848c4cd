// One event: its date and places, its participants with every source's claim side by side
// (value, qualifier, quote, outlet), the agencies that acted, its flows, and its citations.
import { h, link, figure, claim, words, table } from './dom.js';
import { span } from './dates.js';
import * as q from './queries.js';

export async function render(main, params) {
  const e = await q.event(params.get('key') || '');
  if (!e) {
    main.append(h('h1', { tabindex: '-1' }, 'No such event'),
      h('p', {}, 'The link names no event. ', link({ view: 'events' }, 'All events')));
    return;
  }
  document.title = `${e.title} — Scam Atlas explorer`;
  main.append(
    h('p', { class: 'crumbs' }, link({ view: 'events' }, 'Events'), ' › ', e.kinds.map(words).join(', ')),
    h('h1', { tabindex: '-1' }, e.title),
    h('p', { class: 'meta' }, h('strong', {}, span(e.date)), ` (${words(e.date.precision)} precision)`,
      e.places.length ? ` · ${e.places.map((p) => (p.parent ? `${p.name}, ${p.parent.name}` : p.name)).join('; ')}` : '',
      e.status === 'PLANNED' ? ' · planned' : ''),
    h('p', {}, e.summary),
  );
  if (e.peopleCount) {
    main.append(section('people', 'People in all', h('p', {}, h('strong', {}, figure(e.peopleCount))),
      claims(e.peopleCount.claims)));
  }
  if (e.participants.length) {
    main.append(section('participants', 'Participants, as each source reports them',
      h('p', {}, 'Each group shows the figure the server stands behind (the most conservative ',
        'claim) and, side by side, every source\'s claim with its words.'),
      e.participants.map((g) => h('article', { class: 'group' },
        h('h3', {}, `${g.nationality ? g.nationality.name : 'Nationality not given'} · ${words(g.role)} · ${words(g.status)}`),
        h('p', { class: 'figure' }, h('strong', {}, figure(g.count)),
          g.women && g.women.value !== null ? ` · women: ${figure(g.women)}` : ''),
        claims(g.count.claims)))));
  }
  if (e.agencies.length) {
    main.append(section('agencies', 'Agencies', table('Agencies and their roles', ['Agency', 'Role', 'Country'],
      e.agencies.map((a) => [a.agency.shortName ? `${a.agency.name} (${a.agency.shortName})` : a.agency.name,
        words(a.role), a.agency.country ? a.agency.country.code : 'international']))));
  }
  if (e.people.length) {
    main.append(section('people-named', 'People named', h('ul', {},
      e.people.map((p) => h('li', {}, `${p.person.name} (${words(p.role)})`)))));
  }
  if (e.flows.length) {
    main.append(section('flows', 'Flows', table('Deportations and extraditions of this event',
      ['From', 'To', 'Kind', 'Status', 'People', 'Date'],
      e.flows.map((f) => [f.from.name, f.to ? f.to.name : 'unspecified destination', words(f.kind),
        words(f.status), f.count ? figure(f.count) : 'no number', span(f.date)]))));
  }
  if (e.statements.length) {
    main.append(section('statements', 'Statements', e.statements.map((st) => h('figure', { class: 'quote' },
      h('blockquote', {}, st.quote), h('figcaption', {}, `${st.person.name}, via ${st.source.outlet}`)))));
  }
  main.append(section('citations', 'Citations', h('ol', { class: 'citations' }, e.citations.map((c) => h('li', {},
    h('blockquote', {}, c.quote),
    h('p', { class: 'meta' }, outlet(c.source), ' · supports ',
      c.supports.map((f) => words(f.kind || f.fact)).join(', ')))))));
}

function section(id, title, ...content) {
  return h('section', { 'aria-labelledby': `s-${id}` }, h('h2', { id: `s-${id}` }, title), ...content);
}

function outlet(source) {
  const date = source.published && source.published.start ? `, ${source.published.start}` : '';
  return h('cite', {}, `${source.outlet}${date}`);
}

/** Every source's claim on one figure, side by side. */
function claims(list) {
  return h('ul', { class: 'claims' }, list.map((c) => h('li', { class: 'claim' },
    h('p', { class: 'claim-value' }, h('strong', {}, claim(c)),
      c.qualifier !== 'EXACT' ? ` (${words(c.qualifier)})` : '', c.derived ? ' · derived' : ''),
    h('blockquote', {}, c.quote),
    h('p', { class: 'meta' }, outlet(c.source)),
    c.note ? h('p', { class: 'note' }, c.note) : null)));
}

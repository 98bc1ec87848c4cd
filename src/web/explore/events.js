// Events: a filterable list (kinds, dates, country or place, nationality, agency, status,
// words) with keyset pagination. The filters and the page's cursor live in the query string,
// so a list is a link to share.
import { h, link, figure, count, words } from './dom.js';
import { span } from './dates.js';
import * as q from './queries.js';

const PAGE = 20;
const KINDS = ['RAID', 'ARREST', 'DETENTION', 'DEPORTATION', 'EXTRADITION', 'RELEASE',
  'SITE_CLOSURE', 'SEIZURE', 'INVESTIGATION', 'DIRECTIVE', 'REPORT', 'MEETING', 'STATEMENT',
  'MEDIA_TOUR', 'INDICTMENT', 'SANCTION', 'EXODUS', 'DIPLOMATIC_ACTION', 'WARNING'];

export async function render(main, params, navigate) {
  const c = await q.loadCatalog();
  const filter = await q.eventFilter(params);
  const page = await q.events(filter, {
    size: PAGE, after: params.get('after'), before: params.get('before'),
  });
  const base = Object.fromEntries([...params.keys()].map((k) => [k, params.getAll(k)])
    .filter(([k]) => k !== 'after' && k !== 'before'));
  main.append(
    h('h1', { tabindex: '-1' }, 'Events'),
    form(params, c, navigate),
    h('h2', { class: 'results' }, 'Matching events'),
    h('p', { class: 'result-count', role: 'status' }, `${count(page.totalCount)} events match.`),
    h('ol', { class: 'event-list events' }, page.nodes.map((e) => h('li', {},
      h('h3', {}, link({ view: 'event', key: e.key }, e.title)),
      h('p', { class: 'meta' }, span(e.date), e.location ? ` · ${e.location.name}` : '',
        ` · ${e.kinds.map(words).join(', ')}`,
        e.peopleCount ? (e.peopleCount.value === null ? ' · number of people unknown'
          : ` · ${figure(e.peopleCount)} people`) : '',
        e.status === 'PLANNED' ? ' · planned' : '')))),
    h('nav', { class: 'pages', 'aria-label': 'Pages of events' },
      page.pageInfo.hasPreviousPage && page.pageInfo.startCursor && (params.get('after') || params.get('before'))
        ? link({ ...base, before: page.pageInfo.startCursor }, '← Previous page') : null,
      page.pageInfo.hasNextPage ? link({ ...base, after: page.pageInfo.endCursor }, 'Next page →') : null),
  );
}

function select(name, label, options, chosen, multiple = false) {
  const id = `f-${name}`;
  return h('div', { class: 'field' }, h('label', { for: id }, label),
    h('select', { id, name, multiple, size: multiple ? 5 : undefined },
      multiple ? null : h('option', { value: '' }, 'any'),
      options.map(([value, text]) => h('option', { value, selected: chosen.includes(value) }, text))));
}

function input(name, label, type, value) {
  const id = `f-${name}`;
  return h('div', { class: 'field' }, h('label', { for: id }, label),
    h('input', { id, name, type, value: value || '' }));
}

function form(params, c, navigate) {
  const countries = c.countries.map((k) => [k.code, k.name]);
  const el = h('form', { class: 'filters', action: '/explore', method: 'get', role: 'search',
    'aria-label': 'Filter events' },
  h('input', { type: 'hidden', name: 'view', value: 'events' }),
  select('kinds', 'Kinds (any of)', KINDS.map((k) => [k, words(k)]), params.getAll('kinds'), true),
  input('from', 'From', 'date', params.get('from')),
  input('to', 'To', 'date', params.get('to')),
  select('country', 'Country', countries, [params.get('country') || '']),
  select('place', 'Place', c.places.filter((p) => p.level !== 'COUNTRY')
    .map((p) => [p.key, p.parent ? `${p.name} (${p.parent.name})` : p.name]), [params.get('place') || '']),
  select('nationality', 'Nationality', countries, [params.get('nationality') || '']),
  select('agency', 'Agency', c.agencies.map((a) => [a.key, a.shortName ? `${a.name} (${a.shortName})` : a.name]),
    [params.get('agency') || '']),
  select('status', 'Status', [['COMPLETED', 'completed'], ['PLANNED', 'planned']], [params.get('status') || '']),
  input('search', 'Words', 'search', params.get('search')),
  h('div', { class: 'buttons' }, h('button', { type: 'submit' }, 'Apply'), ' ',
    link({ view: 'events' }, 'Clear')));
  el.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(el)) if (v !== '') next.append(k, v);
    navigate(`/explore?${next}`);
  });
  return el;
}

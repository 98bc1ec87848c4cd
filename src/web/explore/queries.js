// Every GraphQL document the explorer sends, and the only code that knows the schema's field
// and argument names: views read the plain rows these functions return (a flow's ends are
// `from`/`to` whatever the schema calls them), so a schema rename is a change to this file
// alone. URLs hold readable codes and keys; this module turns them into the API's IDs.
import { gql } from './api.js';

const FIGURE = 'value low high qualifier derived';
const DATE = 'start end precision derived';

const CATALOG = `query ExplorerCatalog {
  countries { id code name centroid { latitude longitude precision } }
  locations(first: 100) {
    nodes {
      id key name level
      parent { name }
      country { code }
      coordinates { latitude longitude precision }
      events(first: 1) { totalCount }
    }
  }
  agencies(first: 100) { nodes { id key name shortName } }
}`;

let catalog;

/** Countries, places (with coordinates and event counts) and agencies: the filters' choices. */
export async function loadCatalog() {
  if (!catalog) {
    catalog = gql(CATALOG).then((d) => ({
      countries: d.countries,
      places: d.locations.nodes.map((p) => ({ ...p, eventCount: p.events.totalCount })),
      agencies: d.agencies.nodes,
    }));
  }
  return catalog;
}

/**
 * The URL's filter as the API's `EventFilter`: `country` and `nationality` are ISO codes,
 * `place` and `agency` keys (each may repeat: any of them matches); the API takes IDs. A code
 * or key the catalog does not know is an error the page shows, never silently dropped.
 */
export async function eventFilter(params) {
  const c = await loadCatalog();
  const filter = {};
  const kinds = params.getAll('kinds');
  if (kinds.length) filter.kinds = kinds;
  if (params.get('from')) filter.from = params.get('from');
  if (params.get('to')) filter.to = params.get('to');
  if (params.get('status')) filter.status = params.get('status');
  if (params.get('search')) filter.search = params.get('search');
  const ids = (name, list, field, into) => {
    const wanted = params.getAll(name).filter(Boolean);
    if (wanted.length) {
      filter[into] = wanted.map((w) => {
        const found = list.find((x) => x[field] === w);
        if (!found) throw new Error(`no ${name} "${w.slice(0, 40)}" in the dataset`);
        return found.id;
      });
    }
  };
  ids('country', c.countries, 'code', 'countries');
  ids('nationality', c.countries, 'code', 'nationalities');
  ids('place', c.places, 'key', 'locations');
  ids('agency', c.agencies, 'key', 'agencies');
  return filter;
}

const TIMELINE = `query ExplorerTimeline($interval: TimelineInterval!, $filter: EventFilter) {
  timeline(interval: $interval, filter: $filter) {
    period
    span { ${DATE} }
    eventCount
    people { ${FIGURE} }
  }
}`;

/** Events and people per YEAR or MONTH: `{ period, span, eventCount, people }`. */
export async function timeline(interval, filter) {
  return (await gql(TIMELINE, { interval, filter })).timeline;
}

const EVENT_ROW = `id key title kinds status
      date { ${DATE} }
      location { name }
      peopleCount { ${FIGURE} }`;

const EVENTS = `query ExplorerEvents($filter: EventFilter, $first: Int, $after: String, $last: Int, $before: String) {
  events(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    nodes { ${EVENT_ROW} }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

/** A keyset page of events: `{ totalCount, nodes, pageInfo }`. */
export async function events(filter, page) {
  const vars = { filter };
  if (page.before) Object.assign(vars, { last: page.size, before: page.before });
  else Object.assign(vars, { first: page.size, after: page.after || null });
  return (await gql(EVENTS, vars)).events;
}

const CLAIMS = `claims { value high qualifier derived note quote source { id outlet headline url published { start } } }`;

const EVENT = `query ExplorerEvent($key: String!) {
  event(key: $key) {
    id key title summary kinds status
    date { ${DATE} }
    location { name level }
    places { name level parent { name } coordinates { latitude longitude precision } }
    peopleCount { ${FIGURE} ${CLAIMS} }
    participants {
      nationality { code name }
      role status
      count { ${FIGURE} ${CLAIMS} }
      women { ${FIGURE} }
    }
    agencies { role agency { name shortName country { code } } }
    people { role person { name } }
    deportationFlows {
      kind status
      fromCountry { code name } toCountry { code name }
      date { ${DATE} }
      count { ${FIGURE} }
    }
    citations { quote source { outlet headline url published { start } } supports { fact kind } }
    statements { quote person { name } source { outlet } }
  }
}`;

/** One event, by its key, with everything about it; or null. */
export async function event(key) {
  const e = (await gql(EVENT, { key })).event;
  if (!e) return null;
  return { ...e, flows: e.deportationFlows.map(flowEnds) };
}

/** A flow's ends as `from`/`to` (null: unspecified), whatever the schema calls them. */
function flowEnds(f) {
  return { ...f, from: f.fromCountry, to: f.toCountry };
}

const FLOWS = `query ExplorerFlows($filter: FlowFilter) {
  flowTotals(groupBy: [FROM_COUNTRY, TO_COUNTRY, KIND], filter: $filter) {
    fromCountry { code name }
    toCountry { code name }
    kind
    total { ${FIGURE} }
    flowCount
    uncountedFlowCount
    uncountedFlows {
      kind status
      fromCountry { code name } toCountry { code name }
      date { ${DATE} }
      count { ${FIGURE} }
      event { key title }
    }
  }
}`;

/**
 * The origin–destination matrix: `{ from, to (null: unspecified), kind, total, flowCount,
 * uncounted: [flows listed, never summed] }`.
 */
export async function flowTotals() {
  const rows = (await gql(FLOWS, {})).flowTotals;
  return rows.map((r) => ({
    from: r.fromCountry,
    to: r.toCountry,
    kind: r.kind,
    total: r.total,
    flowCount: r.flowCount,
    uncountedCount: r.uncountedFlowCount,
    uncounted: r.uncountedFlows.map(flowEnds),
  }));
}

/** The dimensions totals can be grouped by, as the explorer offers them. */
export const TOTAL_DIMENSIONS = {
  nationality: 'NATIONALITY',
  role: 'ROLE',
  status: 'STATUS',
  year: 'YEAR',
};

const TOTALS = `query ExplorerTotals($groupBy: [ParticipantDimension!]!, $filter: EventFilter) {
  participantTotals(groupBy: $groupBy, filter: $filter) {
    nationality { code name }
    role status year
    total { ${FIGURE} }
    women { ${FIGURE} }
    eventCount
    events(first: 20) { totalCount nodes { key title date { ${DATE} } } }
  }
}`;

/** People totals grouped by one dimension (a key of TOTAL_DIMENSIONS). */
export async function participantTotals(by, filter) {
  const rows = (await gql(TOTALS, { groupBy: [TOTAL_DIMENSIONS[by]], filter })).participantTotals;
  return rows.map((r) => ({
    key: by === 'nationality' ? (r.nationality ? r.nationality.name : null)
      : by === 'year' ? r.year : r[by],
    total: r.total,
    women: r.women,
    eventCount: r.eventCount,
    events: r.events,
  }));
}

// Every GraphQL document the explorer sends, and the only code that knows the schema's field
// and argument names: views read the plain rows these functions return. A schema rename
// (issue 10) is a change to this file alone.
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

/** The URL's filter (codes and keys, readable) as the API's `EventFilter`. */
export async function eventFilter(params) {
  const c = await loadCatalog();
  const filter = {};
  const kinds = params.getAll('kinds');
  if (kinds.length) filter.kinds = kinds;
  if (params.get('from')) filter.from = params.get('from');
  if (params.get('to')) filter.to = params.get('to');
  if (params.get('country')) filter.country = params.get('country');
  if (params.get('nationality')) filter.nationality = params.get('nationality');
  if (params.get('status')) filter.status = params.get('status');
  if (params.get('search')) filter.search = params.get('search');
  const place = c.places.find((p) => p.key === params.get('place'));
  if (place) filter.location = place.id;
  const agency = c.agencies.find((a) => a.key === params.get('agency'));
  if (agency) filter.agency = agency.id;
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

const EVENT = `query ExplorerEvent($id: ID!) {
  event(id: $id) {
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
      from { code name } to { code name }
      date { ${DATE} }
      count { ${FIGURE} }
    }
    citations { quote source { outlet headline url published { start } } supports { fact kind } }
    statements { quote person { name } source { outlet } }
  }
}`;

/** One event with everything about it, or null. */
export async function event(id) {
  const e = (await gql(EVENT, { id })).event;
  if (!e) return null;
  return { ...e, flows: e.deportationFlows.map(flowEnds) };
}

/** A flow's ends as `from`/`to`, whatever the schema calls them. */
function flowEnds(f) {
  return { ...f, from: f.from, to: f.to };
}

const FLOWS = `query ExplorerFlows($filter: FlowFilter) {
  flowTotals(groupBy: [FROM, TO, KIND], filter: $filter) {
    from { code name }
    to { code name }
    kind
    total { ${FIGURE} }
    flowCount
    uncountedFlowCount
    uncountedFlows {
      kind status
      from { code name } to { code name }
      date { ${DATE} }
      count { ${FIGURE} }
      event { id title }
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
    from: r.from,
    to: r.to,
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
    events(first: 20) { totalCount nodes { id title date { ${DATE} } } }
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

// Places on a map: the region's outlines (region.json, drawn from Natural Earth at build
// time: no tiles), each place of the gazetteer at its coordinates, drawn as precisely as they
// are known: a point for a SITE, a small ring for a CITY, a wide dashed ring for a PROVINCE,
// a country's centroid as a label. Each links to the events there.
import { h, s, link, count, table, words } from './dom.js';
import * as q from './queries.js';

let region;

async function loadRegion() {
  if (!region) region = fetch('/explore/region.json').then((r) => r.json());
  return region;
}

const RADIUS = { SITE: 3, CITY: 8, PROVINCE: 22, COUNTRY: 0 };

/** The maps drawn: the whole region, and Cambodia close up, where most places are. */
const MAPS = [
  { title: 'Southeast Asia', west: 88, east: 128, south: -11, north: 40 },
  { title: 'Cambodia', west: 102.2, east: 107.8, south: 9.9, north: 14.8 },
];

export async function render(main) {
  const [r, c] = await Promise.all([loadRegion(), q.loadCatalog()]);
  const cos = Math.cos((r.latitudeOfTrueScale * Math.PI) / 180);
  const project = ({ latitude, longitude }) => [
    (longitude - r.west) * r.scale * cos,
    (r.north - latitude) * r.scale,
  ];
  const places = c.places.filter((p) => p.level !== 'COUNTRY' && p.coordinates);
  // Largest rings first, so a city's ring sits on top of its province's.
  places.sort((a, b) => RADIUS[b.coordinates.precision] - RADIUS[a.coordinates.precision]);
  const offRegion = c.countries.filter((k) => !k.centroid || !inside(MAPS[0], k.centroid));
  main.append(
    h('h1', { tabindex: '-1' }, 'Places'),
    h('p', {}, 'Every place of the gazetteer at its coordinates, drawn no more precisely than ',
      'they are known: a dot is a site, a small ring a city, a wide dashed ring a province. ',
      'Choose a place to list its events.'),
    h('div', { class: 'maps' }, MAPS.map((m) => {
      const [x0, y0] = project({ latitude: m.north, longitude: m.west });
      const [x1, y1] = project({ latitude: m.south, longitude: m.east });
      // Rings keep their size on screen whatever the zoom.
      const unit = (x1 - x0) / 400;
      const svg = s('svg', { viewBox: `${x0} ${y0} ${x1 - x0} ${y1 - y0}`, class: 'map', role: 'group',
        'aria-label': `Map of ${m.title} with the places of the gazetteer; the table below lists them` },
      s('rect', { x: x0, y: y0, width: x1 - x0, height: y1 - y0, class: 'sea' }),
      r.countries.map((k) => s('path', { d: k.d, class: 'land' }, s('title', {}, k.name))));
      for (const country of c.countries) {
        if (!country.centroid || !inside(m, country.centroid)) continue;
        const [x, y] = project(country.centroid);
        svg.append(s('text', { x, y, 'text-anchor': 'middle', class: 'country-label',
          'font-size': 13 * unit }, country.name));
      }
      for (const p of places) {
        if (!inside(m, p.coordinates)) continue;
        const [x, y] = project(p.coordinates);
        const label = `${p.name} (${words(p.level)}; placed to ${words(p.coordinates.precision)} precision): ${count(p.eventCount)} events`;
        svg.append(s('a', { href: `/explore?view=events&place=${encodeURIComponent(p.key)}`, 'data-nav': '',
          'aria-label': label }, s('title', {}, label),
        s('circle', { cx: x, cy: y, r: (RADIUS[p.coordinates.precision] || 3) * unit,
          class: `place ${p.coordinates.precision.toLowerCase()}` })));
      }
      return h('figure', { class: 'chart-box map-box' }, svg, h('figcaption', {}, m.title));
    })),
    h('p', { class: 'meta' }, 'Outlines: Natural Earth 1:50m via world-atlas. ',
      offRegion.length ? `Off the map: ${offRegion.map((k) => k.name).join(', ')}.` : ''),
    table('Places and their coordinates', ['Place', 'Level', 'In', 'Latitude, longitude', 'Precision', 'Events'],
      c.places.filter((p) => p.coordinates).map((p) => [
        link({ view: 'events', place: p.key }, p.name),
        words(p.level),
        p.parent ? p.parent.name : '—',
        `${p.coordinates.latitude.toFixed(2)}, ${p.coordinates.longitude.toFixed(2)}`,
        words(p.coordinates.precision),
        count(p.eventCount),
      ])),
  );
}

function inside(m, { latitude, longitude }) {
  return longitude >= m.west && longitude <= m.east && latitude >= m.south && latitude <= m.north;
}

// Writes src/web/explore/region.json: the outlines of Southeast Asia and its neighbours as
// SVG path data, projected for the explorer's map (no tiles, nothing fetched at run time).
// Source: world-atlas 2.0.2 (Natural Earth 1:50m, public domain; ISC), pinned in
// package-lock.json. Run `npm run region` here after changing the view below.
import { readFileSync, writeFileSync } from 'node:fs';
import { feature } from 'topojson-client';

// The view: longitude west–east, latitude south–north (degrees), and the SVG width.
export const VIEW = { west: 88, east: 128, south: -11, north: 40, width: 800 };
// Vertices further out are clamped to this margin: it changes shapes only off the view.
const MARGIN = 6;
const k = VIEW.width / ((VIEW.east - VIEW.west) * Math.cos((12 * Math.PI) / 180));
const project = ([lon, lat]) => [
  (lon - VIEW.west) * k * Math.cos((12 * Math.PI) / 180),
  (VIEW.north - lat) * k,
];
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const height = Math.round((VIEW.north - VIEW.south) * k);

const topo = JSON.parse(
  readFileSync(new URL('../node_modules/world-atlas/countries-50m.json', import.meta.url))
);
const countries = [];
for (const f of feature(topo, topo.objects.countries).features) {
  const polygons = f.geometry?.type === 'Polygon' ? [f.geometry.coordinates]
    : f.geometry?.type === 'MultiPolygon' ? f.geometry.coordinates : [];
  let d = '';
  for (const polygon of polygons) {
    for (const ring of polygon) {
      const inside = ring.some(([lon, lat]) => lon >= VIEW.west && lon <= VIEW.east
        && lat >= VIEW.south && lat <= VIEW.north);
      if (!inside) continue;
      let last = '';
      const points = [];
      for (const [lon, lat] of ring) {
        const [x, y] = project([
          clamp(lon, VIEW.west - MARGIN, VIEW.east + MARGIN),
          clamp(lat, VIEW.south - MARGIN, VIEW.north + MARGIN),
        ]);
        const p = `${Math.round(x)},${Math.round(y)}`;
        if (p !== last) points.push(p);
        last = p;
      }
      if (points.length >= 3) d += `M${points.join('L')}Z`;
    }
  }
  if (d) countries.push({ name: f.properties.name, d });
}
countries.sort((a, b) => a.name.localeCompare(b.name));
const out = { source: 'world-atlas 2.0.2 countries-50m (Natural Earth)', ...VIEW, height,
  scale: k, latitudeOfTrueScale: 12, countries };
writeFileSync(new URL('../../../src/web/explore/region.json', import.meta.url),
  JSON.stringify(out) + '\n');
console.log(`${countries.length} countries, ${JSON.stringify(out).length} bytes`);

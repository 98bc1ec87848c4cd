// Writes the README's screenshots (docs/screenshots/*.png), one per view, from a running
// server: `SCAM_ATLAS_ORIGIN=http://127.0.0.1:8000 SCAM_ATLAS_FIXTURE_ORIGIN=- node tools/screenshots.mjs`.
// The browser tests save their own (full-page) screenshots as artefacts; these are the small
// ones worth committing (shrink them with `pngquant` if it is at hand).
import { mkdirSync } from 'node:fs';
import { launch, open, api } from '../browser.mjs';

const out = new URL('../../../docs/screenshots/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const { events } = await api('{ events(filter: { kinds: [RAID], from: "2017-08-02", to: "2017-08-02" }) { nodes { key } } }');
const views = {
  graphiql: '/graphiql',
  timeline: '/explore?view=timeline&period=2017',
  map: '/explore?view=map',
  flows: '/explore?view=flows',
  events: '/explore?view=events&country=KH&nationality=TW',
  event: `/explore?view=event&key=${encodeURIComponent(events.nodes[0].key)}`,
  totals: '/explore?view=totals&by=nationality',
};
const browser = await launch();
for (const [name, path] of Object.entries(views)) {
  const page = await open(browser, path, { width: 1000, height: 720 });
  if (name === 'graphiql') {
    await page.waitForFunction(() => document.querySelector('.graphiql-doc-explorer')?.textContent.includes('Query'));
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => document.querySelector('.result-window')?.textContent.includes('"data"'));
  } else {
    await page.waitForSelector('main[data-ready]');
  }
  if (name === 'totals') await page.click('ul.totals details summary');
  // The timeline's time axis sits below the fold: the whole page.
  await page.screenshot({ path: `${out}${name}.png`, fullPage: name === 'timeline' });
  await page.close();
}
await browser.close();
console.log(`wrote ${Object.keys(views).length} screenshots to ${out}`);

// The explorer at /explore, offline: each view shows what the API gives (the test asks the
// API itself and compares), the 2 August 2017 raids show both articles' figures and quotes,
// filters live in the URL, the pages pass axe-core and work from the keyboard and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, open, screenshot, api, axe, FIXTURE_ORIGIN } from './browser.mjs';

const number = new Intl.NumberFormat('en');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Opens an explorer URL and waits until its view has rendered. */
async function view(path, options) {
  const page = await open(browser, path, options);
  await page.waitForSelector('main[data-ready]', { timeout: 30000 });
  return page;
}

function clean(page) {
  assert.deepEqual(page.problems.blocked, [], 'the explorer asked for nothing from elsewhere');
  assert.deepEqual(page.problems.errors, [], 'no script errors');
  assert.deepEqual(page.problems.csp, [], 'nothing broke the Content-Security-Policy');
}

test('the timeline shows the curated years, with the events and people the API counts', async () => {
  const { timeline } = await api('{ timeline(interval: YEAR) { period eventCount } }');
  const years = timeline.filter((p) => p.period);
  assert.ok(years.length >= 5, 'the curated data spans several years');
  const page = await view('/explore?view=timeline');
  const rows = await page.$$eval('.timeline-table tbody tr',
    (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
  for (const p of years) {
    const row = rows.find((r) => r[0] === p.period);
    assert.ok(row, `the timeline shows ${p.period}`);
    assert.equal(row[1], number.format(p.eventCount), `events of ${p.period}`);
  }
  // A MONTH-precision event is a span on the axis, not a tick.
  assert.ok(await page.$('.axis rect.span.month'), 'month-precision events drawn as spans');
  // Choosing a year lists its events.
  await page.click('.timeline-table a[href*="period=2017"]');
  await page.waitForFunction(() => document.querySelector('#period-events'));
  const listed = await page.$$eval('section[aria-labelledby="period-events"] li', (l) => l.length);
  assert.equal(listed, years.find((p) => p.period === '2017').eventCount);
  assert.match(page.url(), /period=2017/);
  await screenshot(page, 'timeline', true);
  clean(page);
  await page.close();
});

const FLOW_MATRIX = `{ flowTotals(groupBy: [FROM_COUNTRY, TO_COUNTRY, KIND]) {
  fromCountry { code } toCountry { code } kind total { value qualifier } uncountedFlowCount } }`;

/** The flow table's rows as the page shows them. */
async function flowRows(page) {
  return page.$$eval('.flows-table tbody tr', (trs) => trs.map((tr) => ({
    from: tr.dataset.from, to: tr.dataset.to, kind: tr.dataset.kind,
    total: tr.querySelector('.total').textContent,
  })));
}

/** Every row of the API's matrix from `from` to `to` (null: unspecified) is on the page, with
 * the API's total. */
function assertShown(api, shown, from, to) {
  const rows = api.filter((r) => r.fromCountry.code === from && (r.toCountry ? r.toCountry.code : null) === to);
  const name = `${from} → ${to ?? 'unspecified'}`;
  assert.ok(rows.length, `the API has ${name}`);
  for (const r of rows) {
    const row = shown.find((s) => s.from === from && s.to === (to ?? 'unspecified') && s.kind === r.kind);
    assert.ok(row, `the page shows ${name} (${r.kind})`);
    assert.ok(row.total.includes(number.format(r.total.value)), `${name} ${r.kind}: ${row.total} shows ${r.total.value}`);
  }
}

test('the flow view shows KH→CN and KH→TH with the totals the API gives', async () => {
  const { flowTotals } = await api(FLOW_MATRIX);
  const page = await view('/explore?view=flows');
  const shown = await flowRows(page);
  assert.equal(shown.length, flowTotals.length, 'one row per row of the matrix');
  assertShown(flowTotals, shown, 'KH', 'CN');
  assertShown(flowTotals, shown, 'KH', 'TH');
  const labels = await page.$$eval('svg.sankey text', (t) => t.map((x) => x.textContent));
  assert.ok(labels.some((l) => l.startsWith('Thailand')) && labels.some((l) => l.startsWith('China')));
  // Planned and unnumbered flows are listed, not drawn.
  const uncounted = flowTotals.reduce((n, r) => n + r.uncountedFlowCount, 0);
  assert.ok(uncounted > 0);
  assert.equal(await page.$$eval('ul.uncounted li', (l) => l.length), uncounted);
  await screenshot(page, 'flows', true);
  clean(page);
  await page.close();
});

test('the flow view draws a flow to an unspecified destination as its own node', async () => {
  // The curated data has no such flow (its "11,000 deported" is a statistic); the rule
  // fixtures have one: 900 workers deported from Avalonia "to their home countries".
  const { flowTotals } = await api(FLOW_MATRIX, {}, FIXTURE_ORIGIN);
  const page = await view('/explore?view=flows', { origin: FIXTURE_ORIGIN });
  const shown = await flowRows(page);
  assertShown(flowTotals, shown, 'XA', null);
  assertShown(flowTotals, shown, 'XA', 'XB');
  const labels = await page.$$eval('svg.sankey text', (t) => t.map((x) => x.textContent));
  const unspecified = flowTotals.find((r) => r.fromCountry.code === 'XA' && !r.toCountry);
  assert.ok(labels.includes(`Unspecified destination ${number.format(unspecified.total.value)}`), labels.join('|'));
  await screenshot(page, 'flows-unspecified');
  clean(page);
  await page.close();
});

test('an event page shows the 2 August 2017 raids with both articles\' figures and quotes', async () => {
  const { events } = await api(`{ events(filter: { from: "2017-08-02", to: "2017-08-02", kinds: [RAID] }) {
    nodes { key title participants { count { claims { value quote source { outlet } } } } } } }`);
  assert.equal(events.nodes.length, 1);
  const raid = events.nodes[0];
  const claims = raid.participants.flatMap((g) => g.count.claims);
  assert.ok(new Set(claims.map((c) => c.source.outlet)).size >= 2, 'two articles report it');

  // Find it as a reader would: search the list, then follow the link.
  const page = await view('/explore?view=events');
  await page.type('#f-search', 'VoIP');
  await page.select('#f-country', 'KH');
  const rendered = await page.$eval('main', (m) => m.dataset.ready);
  await page.click('form.filters button[type="submit"]');
  await page.waitForFunction((before) => document.querySelector('main').dataset.ready !== before,
    {}, rendered);
  assert.match(page.url(), /search=VoIP/);
  assert.match(page.url(), /country=KH/);
  const [link] = await page.$$(`xpath/.//ol[contains(@class,"events")]//a[text()="${raid.title}"]`);
  assert.ok(link, 'the search finds the raids');
  await link.click();
  await page.waitForFunction(() => document.querySelector('main[data-view="event"] .group'));
  assert.match(page.url(), /view=event&key=/);
  const text = await page.$eval('main', (m) => m.innerText.replace(/\s+/g, ' '));
  assert.ok(text.includes(raid.title));
  for (const c of claims) {
    assert.ok(text.includes(c.quote.replace(/\s+/g, ' ')), `the quote of ${c.source.outlet}: ${c.quote}`);
    assert.ok(text.includes(c.source.outlet));
  }
  const values = await page.$$eval('.claim-value strong', (s) => s.map((x) => x.textContent));
  for (const v of [151, 200]) assert.ok(values.includes(String(v)), `the claim of ${v} Chinese`);
  await screenshot(page, 'event', true);
  clean(page);
  await page.close();
});

test('filters live in the URL: a shared link shows the same events', async () => {
  const shared = { country: 'KH', nationality: 'TW', from: '2016-01-01', to: '2017-12-31' };
  const ids = await api('{ kh: country(code: "KH") { id } tw: country(code: "TW") { id } }');
  const filter = { countries: [ids.kh.id], nationalities: [ids.tw.id], from: shared.from, to: shared.to };
  const { events } = await api(`query($f: EventFilter) { events(filter: $f) { totalCount } }`, { f: filter });
  assert.ok(events.totalCount > 0);
  const page = await view(`/explore?view=events&${new URLSearchParams(shared)}`);
  const status = await page.$eval('.result-count', (p) => p.textContent);
  assert.equal(status, `${events.totalCount} events match.`);
  assert.equal(await page.$eval('#f-nationality', (s) => s.value), 'TW');
  await screenshot(page, 'events');
  clean(page);
  await page.close();
  // A code the dataset does not know is said, not ignored.
  const unknown = await view('/explore?view=events&country=ZZ');
  assert.match(await unknown.$eval('[role="alert"]', (p) => p.textContent), /no country "ZZ"/);
  clean(unknown);
  await unknown.close();
});

test('the events list pages by cursor, the cursor in the URL', async () => {
  const { events } = await api('{ events(first: 20) { totalCount } }');
  assert.ok(events.totalCount > 20, 'more than one page');
  const page = await view('/explore?view=events');
  const first = await page.$$eval('ol.events h3', (h) => h.map((x) => x.textContent));
  assert.equal(first.length, 20);
  const rendered = await page.$eval('main', (m) => m.dataset.ready);
  const [next] = await page.$$('xpath/.//nav[contains(@class,"pages")]//a[contains(., "Next page")]');
  await next.click();
  await page.waitForFunction((before) => document.querySelector('main').dataset.ready !== before, {}, rendered);
  assert.match(page.url(), /after=/);
  const second = await page.$$eval('ol.events h3', (h) => h.map((x) => x.textContent));
  assert.equal(second.length, Math.min(20, events.totalCount - 20));
  assert.ok(second.every((t) => !first.includes(t)), 'the second page follows the first');
  // The URL alone gives the same page.
  const again = await view(new URL(page.url()).pathname + new URL(page.url()).search);
  assert.deepEqual(await again.$$eval('ol.events h3', (h) => h.map((x) => x.textContent)), second);
  clean(page);
  await page.close();
  await again.close();
});

test('totals by nationality expand to their events and draw low–high ranges', async () => {
  const { participantTotals } = await api(`{ participantTotals(groupBy: [NATIONALITY]) {
    nationality { name } total { value low high } eventCount } }`);
  const page = await view('/explore?view=totals&by=nationality');
  const rows = await page.$$('ul.totals details');
  assert.equal(rows.length, participantTotals.length);
  const china = participantTotals.findIndex((r) => r.nationality?.name === 'China');
  await (await rows[china].$('summary')).click();
  const listed = await rows[china].$$eval('li', (l) => l.length);
  assert.equal(listed, Math.min(20, participantTotals[china].eventCount));
  const ranges = participantTotals.filter((r) => r.total.low !== r.total.high).length;
  const drawn = await page.$$eval('svg.range', (svgs) => svgs.filter((s) => s.querySelectorAll('line').length).length);
  assert.equal(drawn, ranges, 'every total whose claims differ draws its range');
  await screenshot(page, 'totals', true);
  clean(page);
  await page.close();
});

test('the map draws every place with coordinates, and no tiles', async () => {
  const page = await view('/explore?view=map');
  const { locations } = await api('{ locations(first: 100) { nodes { level coordinates { latitude } } } }');
  const places = locations.nodes.filter((l) => l.level !== 'COUNTRY' && l.coordinates);
  assert.equal(await page.$$eval('.maps figure:first-child circle.place', (c) => c.length), places.length);
  assert.ok(await page.$$eval('.maps figure:nth-child(2) circle.place', (c) => c.length) > 5, 'Cambodia close up');
  assert.ok(await page.$$eval('svg.map path.land', (p) => p.length) > 10, 'the region is outlined');
  await screenshot(page, 'map');
  clean(page);
  await page.close();
});

test('every view passes axe-core with no serious or critical violation, and reads on a phone', async () => {
  const { events } = await api('{ events(first: 1, filter: { kinds: [RAID], from: "2017-08-02", to: "2017-08-02" }) { nodes { key } } }');
  const paths = ['timeline', 'map', 'flows', 'events', 'totals'].map((v) => `/explore?view=${v}`)
    .concat(`/explore?view=event&key=${encodeURIComponent(events.nodes[0].key)}`);
  const report = {};
  for (const path of paths) {
    for (const [device, size] of [['desktop', { width: 1200, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
      const page = await view(path, size);
      const result = await axe(page);
      report[`${path} ${device}`] = result;
      const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(bad, [], `${path} on a ${device}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${path} on a ${device} scrolls sideways by ${overflow}px`);
      if (device === 'phone' && path.endsWith('flows')) await screenshot(page, 'flows-phone');
      clean(page);
      await page.close();
    }
  }
  writeFileSync(join(process.env.ARTIFACTS || '.', 'axe.json'), JSON.stringify(report, null, 2));
  const minor = Object.entries(report).flatMap(([k, r]) => r.violations.map((v) => `${k}: ${v.impact} ${v.id}`));
  console.log(`axe-core: ${paths.length * 2} pages, no serious or critical violation; others: ${minor.length ? minor.join('; ') : 'none'}`);
});

test('the keyboard reaches everything: a skip link first, then the views', async () => {
  const page = await view('/explore?view=flows');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Timeline');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('main[data-view="timeline"]'));
  // The new view's heading takes the focus, so a screen reader announces it.
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Timeline');
  clean(page);
  await page.close();
});

// GraphiQL offline: the page loads with every other host blocked, opens the six example
// tabs and the documentation explorer, links to the explorer, and runs an example.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, screenshot, api } from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('GraphiQL loads offline, runs an example and shows its result', async () => {
  const page = await open(browser, '/graphiql');
  await page.waitForSelector('.graphiql-container', { timeout: 30000 });
  // The six examples, one tab each, named by their operations.
  const tabs = await page.$$eval('.graphiql-tab', (els) => els.map((e) => e.querySelector('button').textContent.trim()));
  assert.deepEqual(tabs, [
    'NestedEvents', 'TaiwaneseInCambodia', 'FiguresAndClaims', 'PeopleByNationality',
    'FlowMatrix', 'Timeline',
  ]);
  // The documentation explorer is open and has read the schema.
  await page.waitForFunction(
    () => document.querySelector('.graphiql-doc-explorer')?.textContent.includes('QueryRoot')
      || document.querySelector('.graphiql-doc-explorer')?.textContent.includes('Query'),
    { timeout: 30000 },
  );
  assert.equal(await page.$eval('a.scam-atlas-explore', (a) => a.getAttribute('href')), '/explore');

  // Run the open tab, the first example, and read its answer: what the API itself answers.
  const { events } = await api('{ events(first: 5) { totalCount } }');
  await page.waitForFunction(
    () => document.querySelector('.graphiql-query-editor')?.textContent.includes('query NestedEvents'),
  );
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(
    () => document.querySelector('.result-window')?.textContent.includes('"totalCount"'),
    { timeout: 30000 },
  );
  const result = await page.$eval('.result-window', (e) => e.textContent);
  assert.match(result, new RegExp(`"totalCount": ${events.totalCount}`));
  assert.match(result, /"title": "/);
  assert.doesNotMatch(result, /"errors"/);
  await screenshot(page, 'graphiql');
  // A dialog injects its scroll lock as a <style> element: the policy allows it (see
  // GRAPHIQL_CSP in src/web/mod.rs), and nothing else inline.
  await page.click('button[aria-label="Open settings dialog"]');
  await page.waitForSelector('[role="dialog"]');

  assert.deepEqual(page.problems.blocked, [], 'GraphiQL asked for nothing from elsewhere');
  assert.deepEqual(page.problems.errors, [], 'no script errors');
  assert.deepEqual(page.problems.csp, [], 'nothing broke the Content-Security-Policy');
  await page.close();
});

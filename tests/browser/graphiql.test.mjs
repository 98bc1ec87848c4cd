// GraphiQL offline: the page loads with every other host blocked, opens the six example
// tabs and the documentation explorer, links to the explorer, and runs an example; and it
// runs a subscription over the WebSocket its fetcher is configured with.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, screenshot, api, FIXTURE_ORIGIN } from './browser.mjs';

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

const LIVE = 'subscription Live { totalsChanged { cursor changes { nodeType action nodeId } } }';

/** Publishes a new source on the fixture server with the editor's key; returns its ID. */
async function publishSource(key) {
  const response = await fetch(`${FIXTURE_ORIGIN}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${process.env.SCAM_ATLAS_FIXTURE_KEY}`,
    },
    body: JSON.stringify({
      query: 'mutation($input: SourceInput!, $text: String!) { createSource(input: $input, text: $text) { node { id } } }',
      variables: {
        input: {
          key, headline: `Browser test ${key}`, outlet: 'The Harbour Herald',
          published: { start: '2024-06-02', precision: 'DAY' }, reporting: 'ORIGINAL',
        },
        text: 'The Harbour Herald, 2 June 2024. A browser test publishes this.',
      },
    }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data.createSource.node.id;
}

test('GraphiQL runs a subscription over a WebSocket and shows each payload as it comes', async () => {
  assert.ok(process.env.SCAM_ATLAS_FIXTURE_KEY, 'run.sh makes an editor key');
  const page = await open(browser, '/graphiql', { origin: FIXTURE_ORIGIN });
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30000 });
  await page.evaluate((query) => {
    document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(query);
  }, LIVE);
  // Run only once GraphiQL has read the schema (a run pressed before may be dropped) and has
  // named the tab after the new operation: until then it sends the example's operation name
  // with the new document, which the server rightly refuses (OPERATION_RESOLUTION_FAILURE).
  await page.waitForFunction(
    () => document.querySelector('.graphiql-doc-explorer')?.textContent.includes('Query')
      && document.querySelector('.graphiql-tab-active .graphiql-tab-button')?.textContent.trim() === 'Live',
    { timeout: 30000 },
  );
  await page.click('.graphiql-execute-button');
  // The page subscribes as the button is pressed; publish until a payload shows (the first
  // publish may come before the socket is open), at most ten times.
  let shown = null;
  for (let i = 0; i < 10 && !shown; i += 1) {
    const id = await publishSource(`browser-live-${Date.now()}-${i}`);
    try {
      await page.waitForFunction(
        (id) => document.querySelector('.result-window')?.textContent.includes(id),
        { timeout: 2000 },
        id,
      );
      shown = id;
    } catch {
      // Not yet subscribed: publish again.
    }
  }
  assert.ok(shown, 'a payload reached the page');
  const result = await page.$eval('.result-window', (e) => e.textContent);
  assert.match(result, /"nodeType": "Source"/);
  assert.match(result, /"action": "CREATED"/);
  assert.doesNotMatch(result, /"errors"/);
  await screenshot(page, 'graphiql-subscription');
  assert.deepEqual(page.problems.blocked, [], 'GraphiQL asked for nothing from elsewhere');
  assert.deepEqual(page.problems.errors, [], 'no script errors');
  assert.deepEqual(page.problems.csp, [], 'the WebSocket is within the Content-Security-Policy');
  await page.close();
});

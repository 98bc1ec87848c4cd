// A browser app on another origin reads the API: Chromium sends the CORS preflight a JSON POST
// needs, the server answers it, and the page's script reads the answer (the two test servers
// listen on different ports, so they are different origins).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURE_ORIGIN, ORIGIN, launch, open } from './browser.mjs';

test('a page on another origin fetches from the API through CORS', async () => {
  const browser = await launch();
  try {
    // /health has no Content-Security-Policy of its own to stop the page's fetch.
    const page = await open(browser, '/health', { origin: FIXTURE_ORIGIN, allow: [ORIGIN] });
    const answer = await page.evaluate(async (api) => {
      const response = await fetch(`${api}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: '{ events(first: 1) { totalCount } }' }),
      });
      return { status: response.status, body: await response.json(), id: response.headers.get('x-request-id') };
    }, ORIGIN);
    assert.equal(answer.status, 200);
    assert.ok(answer.body.data.events.totalCount > 0, JSON.stringify(answer.body));
    assert.ok(answer.id, 'the request ID header is exposed to the page');
    assert.deepEqual(page.problems.blocked, []);
    assert.deepEqual(page.problems.errors, []);
  } finally {
    await browser.close();
  }
});

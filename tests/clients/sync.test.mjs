// A partner's sync loop, as the README shows it, with the npm `graphql-ws` client (what urql,
// Apollo Client and GraphiQL use): subscribe to `changed(after:)`, store each change and its
// cursor; drop the connection, miss some publishes, come back with the stored cursor. The copy
// ends with every change exactly once, in the order of the server's `changes` feed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const URL = process.env.SCAM_ATLAS_URL;
const EDITOR = process.env.SCAM_ATLAS_EDITOR_KEY;
const PARTNER = process.env.SCAM_ATLAS_PARTNER_KEY;

async function graphql(query, variables, key) {
  const response = await fetch(URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

const CREATE_SOURCE = `mutation($input: SourceInput!, $text: String!) {
  createSource(input: $input, text: $text) { node { id } } }`;

async function publish(key) {
  await graphql(CREATE_SOURCE, {
    input: {
      key, headline: `Sync test ${key}`, outlet: 'The Harbour Herald',
      published: { start: '2024-06-02', precision: 'DAY' }, reporting: 'ORIGINAL',
    },
    text: 'The Harbour Herald, 2 June 2024. A client test publishes this.',
  }, EDITOR);
}

/** The README's loop: stores every change after `store.cursor` until `stop` resolves. */
async function sync(store, until) {
  const client = createClient({
    url: URL.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${PARTNER}` },
  });
  const changes = client.iterate({
    query: `subscription($after: String) {
      changed(after: $after) { cursor action nodeType nodeId after }
    }`,
    variables: { after: store.cursor },
  });
  try {
    for await (const { data, errors } of changes) {
      assert.equal(errors, undefined, JSON.stringify(errors));
      store.apply(data.changed);
      if (until(store)) break;
    }
  } finally {
    await client.dispose();
  }
}

test('a partner syncs through the subscription, drops, and resumes from its cursor', async () => {
  // A first change, so that the partner starts from a cursor (the curated data has none).
  await publish(`sync-start-${Date.now()}`);
  const start = await graphql('{ changes(last: 1) { pageInfo { endCursor } } }', {}, PARTNER);
  assert.ok(start.changes.pageInfo.endCursor);
  const store = {
    cursor: start.changes.pageInfo.endCursor,
    seen: [],
    apply(change) {
      this.seen.push(change.nodeId);
      this.cursor = change.cursor;
    },
  };
  const keys = ['sync-a', 'sync-b', 'sync-c', 'sync-d'].map((k) => `${k}-${Date.now()}`);
  // Connected: two publishes arrive live (published once the loop is listening; a publish
  // before that is replayed from the cursor all the same).
  const first = sync(store, (s) => s.seen.length === 2);
  await publish(keys[0]);
  await publish(keys[1]);
  await first;
  // Away: two more are published.
  await publish(keys[2]);
  await publish(keys[3]);
  // Back, from the stored cursor: exactly the two missed.
  await sync(store, (s) => s.seen.length === 4);

  const feed = await graphql(
    'query($after: String) { changes(first: 100, after: $after) { nodes { nodeId } } }',
    { after: start.changes.pageInfo.endCursor },
    PARTNER,
  );
  assert.deepEqual(store.seen, feed.changes.nodes.map((n) => n.nodeId), 'the feed, once each, in order');
  assert.equal(store.seen.length, 4);
});

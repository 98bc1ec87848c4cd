// The smallest client test: Apollo Client 4 reads the newest events from the running server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";

const url = process.env.SCAM_ATLAS_URL;

test("Apollo Client reads events", { skip: !url && "SCAM_ATLAS_URL is not set" }, async () => {
  const client = new ApolloClient({ link: new HttpLink({ uri: url }), cache: new InMemoryCache() });
  const { data, error } = await client.query({
    query: gql`{ events(first: 3) { nodes { id title } } }`,
  });
  assert.equal(error, undefined);
  assert.equal(data.events.nodes.length, 3);
});

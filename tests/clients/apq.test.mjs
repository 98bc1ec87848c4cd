// Automatic persisted queries through Apollo Client 4's PersistedQueryLink: the first request
// sends only the hash and is told PERSISTED_QUERY_NOT_FOUND, the link retries with the
// document, which the server registers; afterwards the hash alone is served, by POST and GET.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";

const url = process.env.SCAM_ATLAS_URL;
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/** A client whose every HTTP request is recorded (method, URL and body). */
function client(sent, options = {}) {
  const fetch = (input, init = {}) => {
    sent.push({ method: init.method ?? "GET", url: String(input), body: init.body ?? null });
    return globalThis.fetch(input, init);
  };
  const link = ApolloLink.from([
    new PersistedQueryLink({ sha256, ...options }),
    new HttpLink({ uri: url, fetch }),
  ]);
  return new ApolloClient({ link, cache: new InMemoryCache() });
}

test(
  "PersistedQueryLink registers, then is served by hash over POST and GET",
  { skip: !url && "SCAM_ATLAS_URL is not set" },
  async () => {
    // A document of this run's own, which the server cannot have seen.
    const alias = `run${randomBytes(6).toString("hex")}`;
    const query = gql`query Apq { ${alias}: events(first: 2) { nodes { id title } } }`;

    const first = [];
    const registered = await client(first).query({ query });
    assert.equal(registered.error, undefined);
    assert.equal(registered.data[alias].nodes.length, 2);
    // The hash alone, refused as not found; then the document with its hash.
    assert.equal(first.length, 2, JSON.stringify(first));
    const [hashOnly, withDocument] = first.map((r) => JSON.parse(r.body));
    assert.equal(hashOnly.query, undefined);
    assert.equal(hashOnly.extensions.persistedQuery.version, 1);
    assert.equal(withDocument.query.includes(alias), true);
    assert.equal(withDocument.extensions.persistedQuery.sha256Hash, hashOnly.extensions.persistedQuery.sha256Hash);

    // A new client (empty cache): one request, the hash alone, answered.
    const second = [];
    const served = await client(second).query({ query });
    assert.equal(served.error, undefined);
    assert.deepEqual(served.data, registered.data);
    assert.equal(second.length, 1, JSON.stringify(second));
    assert.equal(JSON.parse(second[0].body).query, undefined);

    // By GET: the hash in the URL, no document.
    const third = [];
    const byGet = await client(third, { useGETForHashedQueries: true }).query({ query });
    assert.equal(byGet.error, undefined);
    assert.deepEqual(byGet.data, registered.data);
    assert.equal(third.length, 1, JSON.stringify(third));
    assert.equal(third[0].method, "GET");
    const params = new URL(third[0].url).searchParams;
    assert.equal(params.has("query"), false);
    assert.equal(JSON.parse(params.get("extensions")).persistedQuery.version, 1);
  },
);

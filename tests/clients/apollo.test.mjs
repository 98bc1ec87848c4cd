// Apollo Client 4 in development mode (`node --conditions=development`, so its cache warnings
// are on) against the running server: the six examples GraphiQL and the README show, a page
// read with `relayStylePagination`, and two queries that replace an event's `date` and
// `peopleCount` with different fields — with the type policies the README gives, no warning
// and every object with an `id` normalised; without them, Apollo warns (the control).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { relayStylePagination } from "@apollo/client/utilities";

const url = process.env.SCAM_ATLAS_URL;
const skip = !url && "SCAM_ATLAS_URL is not set (run tests/clients/run.sh)";
const examplesDir = new URL("../../src/graphql/examples/", import.meta.url);
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith(".graphql"))
  .map((f) => [f, readFileSync(new URL(f, examplesDir), "utf8")]);

/// The type policies the README tells clients to set: value objects merge, connections page.
const typePolicies = {
  DateSpan: { merge: true },
  Figure: { merge: true },
  Query: { fields: { events: relayStylePagination(["filter", "orderBy"]) } },
};

/// Runs `work` with console.warn/error captured; returns what was printed.
async function warnings(work) {
  const seen = [];
  const saved = [console.warn, console.error];
  console.warn = (...args) => seen.push(args.map(String).join(" "));
  console.error = console.warn;
  try {
    await work();
  } finally {
    [console.warn, console.error] = saved;
  }
  return seen;
}

function client(policies) {
  return new ApolloClient({
    link: new HttpLink({ uri: url }),
    cache: new InMemoryCache({ typePolicies: policies }),
  });
}

/// Objects with an `id` that the cache stored inline instead of as references.
function unnormalised(cache) {
  const found = [];
  const walk = (value, path) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
    else if (value && typeof value === "object") {
      if ("id" in value && !("__ref" in value) && path.split(".").length > 2) found.push(path);
      for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
    }
  };
  for (const [key, entry] of Object.entries(cache.extract())) {
    for (const [field, value] of Object.entries(entry)) walk(value, `${key}.${field}`);
  }
  return found;
}

const first = gql`
  query A { events(first: 5) { edges { cursor node { id date { start end } peopleCount { value } } } pageInfo { hasNextPage endCursor } } }
`;
const second = gql`
  query B { events(first: 5) { edges { cursor node { id date { precision derived } peopleCount { qualifier low high } } } pageInfo { hasNextPage endCursor } } }
`;

test("the examples run with no cache warning and every entity normalised", { skip }, async () => {
  const apollo = client(typePolicies);
  const printed = await warnings(async () => {
    for (const [file, document] of examples) {
      const { data, error } = await apollo.query({ query: gql(document), fetchPolicy: "network-only" });
      assert.equal(error, undefined, file);
      assert.ok(data, file);
    }
    await apollo.query({ query: first });
    await apollo.query({ query: second });
  });
  assert.deepEqual(printed, []);
  assert.deepEqual(unnormalised(apollo.cache), []);
  // Entities are cached once under their IDs.
  const keys = Object.keys(apollo.cache.extract());
  for (const type of ["Event", "ParticipantGroup", "Claim", "Citation", "Source", "Country", "EventAgency", "DeportationFlow"]) {
    assert.ok(keys.some((k) => k.startsWith(`${type}:`)), `no ${type} in the cache`);
  }
});

test("without the type policies Apollo warns that cache data may be lost (the control)", { skip }, async () => {
  const apollo = client({});
  const printed = await warnings(async () => {
    await apollo.query({ query: first });
    await apollo.query({ query: second });
  });
  assert.ok(
    printed.some((p) => p.includes("Cache data may be lost")),
    `expected Apollo's warning (is development mode on?): ${printed}`,
  );
});

test("relayStylePagination reads events page by page", { skip }, async () => {
  const apollo = client(typePolicies);
  const page = gql`
    query Page($after: String) { events(first: 4, after: $after) { edges { cursor node { id title } } pageInfo { hasNextPage endCursor } } }
  `;
  const lengths = [];
  let merged;
  const printed = await warnings(async () => {
    // Each page is read with the cursor of the last; the policy merges them in the cache,
    // whose list grows by a page each time, in order.
    let result = await apollo.query({ query: page });
    const cached = () => apollo.cache.readQuery({ query: page }).events.edges;
    lengths.push(cached().length);
    for (let i = 0; i < 2 && result.data.events.pageInfo.hasNextPage; i++) {
      const after = result.data.events.pageInfo.endCursor;
      // `after` is no key argument: without network-only the cache would answer.
      result = await apollo.query({ query: page, variables: { after }, fetchPolicy: "network-only" });
      lengths.push(cached().length);
    }
    merged = cached().map((e) => e.node.id);
  });
  assert.deepEqual(printed, []);
  assert.deepEqual(lengths, [4, 8, 12], "each page adds its 4 events to the list");
  assert.equal(new Set(merged).size, 12, "no event twice across pages");
  // The server's own first 12, in its order: the pages joined without gap or overlap.
  const whole = await client({}).query({
    query: gql`{ events(first: 12) { edges { node { id } } } }`,
  });
  assert.deepEqual(merged, whole.data.events.edges.map((e) => e.node.id));
});

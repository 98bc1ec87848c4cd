// How the schema changes: graphql-inspector compares `schema.graphql` with the last released
// schema (`tests/schema/released.graphql`), and every breaking change must be named, by its
// coordinate in backticks, in CHANGELOG.md's section for the coming release (the first `## `
// section). Coverage: the README's and GraphiQL's examples reach the root fields of `Query`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { CriticalityLevel, coverage, diff } from "@graphql-inspector/core";
import { Source, buildSchema } from "graphql";

const root = new URL("../../", import.meta.url);
const read = (path) => readFileSync(new URL(path, root), "utf8");
const current = buildSchema(read("schema.graphql"));
const released = buildSchema(read("tests/schema/released.graphql"));

/// The CHANGELOG's section for the coming release: from the first `## ` to the next.
function comingRelease() {
  const text = read("CHANGELOG.md");
  const start = text.indexOf("\n## ");
  assert.ok(start >= 0, "CHANGELOG.md has a `## ` section");
  const end = text.indexOf("\n## ", start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

test("every breaking change since the release is in the changelog", async () => {
  const changes = await diff(released, current);
  const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking);
  const section = comingRelease();
  const missing = breaking
    .map((c) => c.path ?? "schema")
    .filter((path) => !section.includes("`" + path + "`"));
  assert.deepEqual(missing, [], "breaking changes the changelog does not name");
});

test("a release with breaking changes marks them **Breaking** in the changelog", async () => {
  // The test above requires each breaking change to be named; this one, that the section
  // marks them as breaking. (Deprecation before removal is the rule CHANGELOG.md states;
  // graphql-inspector cannot tell a field deprecated for a release from one removed at once.)
  const section = comingRelease();
  const changes = await diff(released, current);
  if (changes.some((c) => c.criticality.level === CriticalityLevel.Breaking)) {
    assert.match(section, /\*\*Breaking\*\*/);
  }
});

test("the examples cover the root fields they use", () => {
  const dir = new URL("src/graphql/examples/", root);
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith(".graphql"))
    .map((f) => new Source(readFileSync(new URL(f, dir), "utf8"), f));
  const report = coverage(current, sources);
  const query = report.types.Query;
  assert.ok(query, "coverage counts the Query type's fields");
  for (const field of ["events", "statistics", "people", "participantTotals", "flowTotals", "timeline"]) {
    assert.ok(query.children[field]?.hits > 0, `no example uses Query.${field}`);
  }
});

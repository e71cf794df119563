#!/usr/bin/env bash
# Runs the embedded suite (SQLite, memory cache) under Node 24 LTS, the runtime users will
# run. The runtime comes from the npm registry (node-linux-<arch>@24 ships the binary).
# No rebuild is needed: on Node 22+ the SQLite driver is the built-in node:sqlite, and
# argon2 is a Node-API addon whose binary serves every Node version.
# Usage: .ci/node24.sh <json-report-path>
set -euo pipefail
report=$(realpath -m "$1")
cd "$(dirname "$0")/.."
runtime_dir=$(mktemp -d)
trap 'rm -rf "$runtime_dir"' EXIT

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "no Node 24 package for $(uname -m)" >&2; exit 1 ;;
esac
echo "installing node-linux-$arch@24 from the npm registry"
npm install --prefix "$runtime_dir" --no-save --no-audit --no-fund "node-linux-$arch@24" >/dev/null
export PATH="$runtime_dir/node_modules/node-linux-$arch/bin:$PATH"
echo "runtime: $(node -v)"
case "$(node -v)" in v24.*) ;; *) echo "expected Node 24, got $(node -v)" >&2; exit 1 ;; esac

# No backend URLs: the embedded suite only; the full matrix ran under Node 20.
unset WEBOOK_TEST_MYSQL_URL WEBOOK_TEST_PG_URL WEBOOK_TEST_REDIS_URL WEBOOK_TEST_NATS_URL WEBOOK_TEST_REQUIRE_ALL
npx vitest run --reporter=default --reporter=json --outputFile.json="$report"

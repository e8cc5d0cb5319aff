#!/usr/bin/env bash
# Builds the web UI into web/out when Node.js 20+ and npm are available, so the engine's build can
# bundle it; without them the engine is built without a UI (the API works the same). Skips work
# that is up to date: `npm ci` only when the lock file changed, `next build` only when a source did.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "grizz: Node.js/npm not found: building the engine without the web UI"
  exit 0
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "grizz: Node.js $major is older than 20: building the engine without the web UI"
  exit 0
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f out/index.html ] || [ -n "$(find src public scripts package.json package-lock.json next.config.mjs tsconfig.json -newer out/index.html 2>/dev/null | head -1)" ]; then
  NEXT_TELEMETRY_DISABLED=1 npx next build > /tmp/grizz-web-build.log 2>&1 || { cat /tmp/grizz-web-build.log; exit 1; }
  node scripts/precompress.mjs out
  echo "grizz: web UI built into web/out"
fi
if [ "${1:-}" = "test" ]; then
  npx vitest run
fi

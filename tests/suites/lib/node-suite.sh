#!/usr/bin/env bash
# One node suite against a real `sharpbase serve` on the blog example: installs Chromium and the
# suite's pinned npm packages (tests/suites/NAME/package.json) when missing, starts the server on a
# free loopback port with mail to the .eml outbox, and runs tests/suites/NAME/NAME.mjs with SB_URL,
# SB_OUTBOX and SB_COUNTS set. Usage: node-suite.sh NAME
set -uo pipefail
name=$1
cd "$(dirname "$0")/../../.."
source tests/suites/lib/counts.sh "$name"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || exit 1
  else
    echo "Chromium is missing: install the chromium package (/usr/bin/chromium)" >&2
    exit 1
  fi
fi
tools=.tools/$name
if ! cmp -s "tests/suites/$name/package.json" "$tools/package.json"; then
  mkdir -p "$tools"
  cp "tests/suites/$name/package.json" "$tools/package.json"
  npm install --prefix "$tools" --no-audit --no-fund >/dev/null || exit 1
fi
cp "tests/suites/$name/$name.mjs" "$tools/"

source tests/suites/lib/sharpbase.sh
work=$(mktemp -d)
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# The example's auth rate limit (10 a minute) is lower than this scenario's requests.
sed 's/limit: 10, /limit: 100,/' examples/blog/sharpbase.yaml >"$work/sharpbase.yaml"
"${sharpbase[@]}" serve --schema "$work/sharpbase.yaml" --data "$work/sb_data" \
  --http "127.0.0.1:$port" >"$results/$name-server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for attempt in $(seq 1 150); do
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && break
  if [ "$attempt" -eq 150 ] || ! kill -0 "$server" 2>/dev/null; then
    cat "$results/$name-server.log"
    echo "sharpbase did not start" >&2
    exit 1
  fi
  sleep 0.2
done

SB_URL="http://127.0.0.1:$port" SB_OUTBOX="$work/sb_data/outbox" SB_COUNTS="$counts" node "$tools/$name.mjs"

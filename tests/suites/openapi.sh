#!/usr/bin/env bash
# The OpenAPI suite: a real `sharpbase serve` on the blog example, and the served document put to
# work by real tools — Spectral (OAS + OWASP rulesets), ajv contract checks of every operation,
# a TypeScript client (openapi-typescript + openapi-fetch) and the /docs page in headless Chromium.
# Writes "<passed> <failed>" to $SHARPBASE_TEST_RESULTS/openapi.counts.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
source tests/suites/lib/counts.sh openapi
suite="$root/tests/suites/openapi"
tools="$root/.tools/openapi"

# Pinned tools from the committed lock file, reinstalled only when it changes.
mkdir -p "$tools"
if ! cmp -s "$suite/package-lock.json" "$tools/package-lock.json" || [ ! -d "$tools/node_modules" ]; then
  cp "$suite/package.json" "$suite/package-lock.json" "$tools/"
  npm ci --prefix "$tools" --no-audit --no-fund --ignore-scripts || exit 1
fi
# Scripts run from the tools folder so that their imports resolve there.
run="$tools/run"
rm -rf "$run"
mkdir -p "$run"
cp "$suite"/*.mjs "$suite"/*.mts "$suite"/*.sh "$suite"/tsconfig.json "$suite"/spectral.yaml "$run/"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || exit 1
  else
    echo "chromium is missing: install the chromium package for the /docs test" >&2
    exit 1
  fi
fi

source tests/suites/lib/sharpbase.sh
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
data="$results/openapi-data"
rm -rf "$data"
export SHARPBASE_ROOT_EMAIL="root@example.com" SHARPBASE_ROOT_PASSWORD="root password for the suite"
# The blog example as it is, with its two rate-limit policies raised so the suite's many sign-ins fit.
SHARPBASE__SUPERUSER__EMAIL="$SHARPBASE_ROOT_EMAIL" SHARPBASE__SUPERUSER__PASSWORD="$SHARPBASE_ROOT_PASSWORD" \
SHARPBASE__RATELIMITS__0__LIMIT=100000 SHARPBASE__RATELIMITS__1__LIMIT=100000 \
  "${sharpbase[@]}" serve --schema "$root/examples/blog/sharpbase.yaml" --data "$data" --http "127.0.0.1:$port" \
  >"$results/openapi-server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null' EXIT
export SHARPBASE_URL="http://127.0.0.1:$port" SHARPBASE_DATA="$data" SHARPBASE_TEST_RESULTS="$results"
for attempt in $(seq 1 150); do
  curl -fs "$SHARPBASE_URL/health/ready" >/dev/null 2>&1 && break
  if [ "$attempt" -eq 150 ] || ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$results/openapi-server.log"
    echo "the server did not start" >&2
    exit 1
  fi
  sleep 0.2
done
echo "sharpbase on $SHARPBASE_URL (pid $server_pid)"

passed=0
failed=0
output="$results/openapi-steps.log"
: >"$output"
for step in lint.mjs contract.mjs client.sh docs.mjs; do
  echo "-- $step"
  if [ "${step##*.}" = "sh" ]; then
    (cd "$run" && bash "$step") 2>&1 | tee -a "$output"
  else
    (cd "$run" && node "$step") 2>&1 | tee -a "$output"
  fi
  line=$(grep "^RESULT ${step%.*} " "$output" | tail -n 1)
  if [ -z "$line" ]; then
    echo "  FAIL $step reported no result" | tee -a "$output"
    failed=$((failed + 1))
    continue
  fi
  read -r _ _ p f <<<"$line"
  passed=$((passed + p))
  failed=$((failed + f))
done
if grep -q '"LogLevel":"\(Error\|Critical\)"' "$results/openapi-server.log"; then
  echo "  FAIL the server logged errors:" && grep '"LogLevel":"\(Error\|Critical\)"' "$results/openapi-server.log" | head -5
  failed=$((failed + 1))
fi
echo "$passed $failed" >"$counts"
echo "openapi suite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

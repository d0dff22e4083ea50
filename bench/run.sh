#!/usr/bin/env bash
# The benchmark: Sharpbase (B) against a raw ASP.NET Core baseline (A, bench/Baseline) doing the
# same work on the same SQLite file, interleaved A B A B so both see the same machine.
#
#   bench/run.sh            a 10 s warm-up, then 4 rounds of 15 s per scenario, 10,000 and 1,000,000 posts (about 30 min)
#   bench/run.sh --quick    2 rounds of 5 s, 10,000 posts only (for development)
#   ROUNDS=6 DURATION=20 bench/run.sh    override rounds and seconds per measurement
#   SCENARIOS="get list" bench/run.sh --quick    only these scenarios
#
# Prints a table and writes bench/results/<date>.md (bench/results/quick-<date>.md with --quick;
# <date>-<hhmm> when that file exists; or the file RESULTS names):
# per scenario and round req/s, p50, p99, the server's peak RSS and CPU, the ratio B/A, and the
# medians checked against the targets.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick=false
if [ "${1:-}" = "--quick" ]; then quick=true; fi
if $quick; then
  rounds=${ROUNDS:-2}; duration=${DURATION:-5}; warmup=${WARMUP:-2}; first_warmup=${FIRST_WARMUP:-3}; sizes=(10000)
else
  rounds=${ROUNDS:-4}; duration=${DURATION:-15}; warmup=${WARMUP:-5}; first_warmup=${FIRST_WARMUP:-10}; sizes=(10000 1000000)
fi

for tool in wrk sqlite3 curl python3; do
  if ! command -v "$tool" >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool"; else echo "install $tool" >&2; exit 1; fi
  fi
done

echo "== build (Release)"
source bench/sharpbase.sh
dotnet build bench/Baseline -c Release -nologo -v q >/dev/null
baseline="$root/bench/Baseline/bin/Release/net10.0/baseline.dll"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
source bench/common.sh

# Post n has the id printf('%08x-0000-7000-8000-%012x', n, n); every 5th is a draft, every 100th is
# by the bench user, so post 500 is a draft only the bench user may see and post 1001 is public.
public_id=000003e9-0000-7000-8000-0000000003e9
owned_id=000001f4-0000-7000-8000-0000000001f4
email=bench@example.com
password=bench-password-123
# The graphql scenario's query (bench/graphql.lua sends the same body).
graphql_body='{"query":"{ posts(limit: 20, sort: \"-published_at\") { items { id title author { id name } tags { id name } } } }"}'
# Tokens outlive the run; the baseline checks them with the same keys (the data folder's jwt-keys.json).
export SHARPBASE__AUTH__JWT__ACCESSTOKENLIFETIME=06:00:00

generate() { # rows data-dir user-id
  sqlite3 "$2/data.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 1000)
INSERT INTO users (id, created_at, updated_at, version, email, verified, roles, disabled, name)
SELECT printf('00000000-0000-7000-8000-%012x', n), '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1,
       'user' || n || '@example.com', 1, '[]', 0, 'User ' || n FROM seq;
WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < 49)
INSERT INTO tags (id, created_at, updated_at, version, name)
SELECT printf('00000000-0000-7000-9000-%012x', n), '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1, 'tag' || n FROM seq;
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $1)
INSERT INTO posts (id, created_at, updated_at, version, title, body, status, author, views, published_at)
SELECT printf('%08x-0000-7000-8000-%012x', n, n),
       strftime('%Y-%m-%dT%H:%M:%S.000Z', 1735689600 + n * 60, 'unixepoch'),
       strftime('%Y-%m-%dT%H:%M:%S.000Z', 1735689600 + n * 60, 'unixepoch'), 1,
       'Post number ' || n,
       'A post of the benchmark, long enough to look like a short article teaser. It has a few sentences so that the JSON of a page of twenty posts is a few kilobytes, as a real list would be. Post ' || n || '.',
       CASE WHEN n % 5 = 0 THEN 'draft' ELSE 'published' END,
       CASE WHEN n % 100 = 0 THEN '$3' ELSE printf('00000000-0000-7000-8000-%012x', 1 + n % 1000) END,
       n % 100,
       CASE WHEN n % 5 = 0 THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%S.000Z', 1735689600 + n * 60, 'unixepoch') END
FROM seq;
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $1)
INSERT INTO _sb_rel__posts__tags (source, target, position)
SELECT printf('%08x-0000-7000-8000-%012x', n, n), printf('00000000-0000-7000-9000-%012x', n % 50), 0 FROM seq
UNION ALL
SELECT printf('%08x-0000-7000-8000-%012x', n, n), printf('00000000-0000-7000-9000-%012x', (n % 50 + 1 + (n / 50) % 49) % 50), 1 FROM seq;
COMMIT;
ANALYZE;
SQL
}

raw="$work/raw.tsv"
: >"$raw"
started=$(date -u +%Y-%m-%dT%H:%MZ)

for rows in "${sizes[@]}"; do
  echo "== data: $rows posts"
  data="$work/data-$rows"
  "${sharpbase[@]}" migrate apply --schema bench/bench.yaml --data "$data" >/dev/null
  bench_user "$data" "$work/sharpbase-$rows.err"
  time generate "$rows" "$data" "$user"

  # Both servers run side by side on the same file; only one is loaded at a time.
  port_a=$(free_port)
  dotnet "$baseline" --data "$data" --urls "http://127.0.0.1:$port_a" >"$work/baseline-$rows.log" 2>&1 &
  pid_a=$!; pids+=("$pid_a")
  port_b=$(free_port)
  "${sharpbase[@]}" serve --schema bench/bench.yaml --data "$data" --http "127.0.0.1:$port_b" >/dev/null 2>"$work/sharpbase-$rows.err" &
  pid_b=$!; pids+=("$pid_b")
  wait_ready "http://127.0.0.1:$port_a/posts/$public_id"
  wait_ready "http://127.0.0.1:$port_b/health/ready"
  a="http://127.0.0.1:$port_a"
  b="http://127.0.0.1:$port_b"
  bearer="Authorization: Bearer $token"
  export BENCH_TOKEN="$token"

  if [ "$rows" = 10000 ]; then
    # The GraphQL baseline is one hand-written query: it must answer what Sharpbase answers.
    python3 - "$(curl -fs -XPOST -H 'content-type: application/json' --data-binary "$graphql_body" "$a/graphql")" \
      "$(curl -fs -XPOST -H 'content-type: application/json' --data-binary "$graphql_body" "$b/graphql")" <<'PY' || exit 1
import json, sys
a, b = (json.loads(x) for x in sys.argv[1:3])
if a != b or len(a["data"]["posts"]["items"]) != 20:
    sys.exit("the graphql baseline answers differently from Sharpbase")
PY
  fi

  # name | rows it runs at | baseline request | Sharpbase request; a request is a path and wrk options.
  scenarios=()
  if [ "$rows" = 10000 ]; then
    scenarios+=(
      "get|/posts/$public_id|/api/posts/$public_id|"
      "list|/posts?limit=20&sort=-published_at|/api/posts?limit=20&sort=-published_at|"
      "filtered-10k|/posts?limit=20&views=42|/api/posts?limit=20&filter=views%20%3D%2042|"
      "owner-get|/posts/$owned_id|/api/posts/$owned_id|auth"
      "create|/posts|/api/posts|create"
      "revalidate|/posts?limit=20&sort=-published_at|/api/posts?limit=20&sort=-published_at|revalidate"
      "graphql|/graphql|/graphql|graphql"
    )
  else
    scenarios+=("filtered-1m|/posts?limit=20&views=42|/api/posts?limit=20&filter=views%20%3D%2042|")
  fi

  # Round 0 checks every answer and loads each scenario for first_warmup seconds, unmeasured: both
  # servers compile their hot paths before any round counts (else round 1 measures the JIT).
  for round in $(seq 0 "$rounds"); do
    for scenario in "${scenarios[@]}"; do
      IFS='|' read -r name path_a path_b kind <<<"$scenario"
      selected "$name" || continue
      for side in A B; do
        if [ "$side" = A ]; then url="$a$path_a"; pid=$pid_a; else url="$b$path_b"; pid=$pid_b; fi
        # The validator as it is now: a write (the create scenario) changes it.
        [ "$kind" = revalidate ] && etag=$(curl -fs -D - -o /dev/null "$url" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')
        args=(-t2 -c32 --latency)
        check=()
        case "$kind" in
          auth) args+=(-H "$bearer"); check=(-H "$bearer") ;;
          create) args+=(-s "$root/bench/create.lua"); check=(-XPOST -H "$bearer" -H 'content-type: application/json' -d '{"title":"warm","views":1000}') ;;
          revalidate) args+=(-H "If-None-Match: $etag"); check=(-H "If-None-Match: $etag") ;;
          graphql) args+=(-s "$root/bench/graphql.lua"); check=(-XPOST -H 'content-type: application/json' --data-binary "$graphql_body") ;;
        esac
        if [ "$round" = 0 ]; then
          expected=200; [ "$kind" = create ] && expected=201; [ "$kind" = revalidate ] && expected=304
          status=$(curl -s -o /dev/null -w '%{http_code}' "${check[@]}" "$url" || true)
          if [ "$status" != "$expected" ]; then echo "$name on $side answered $status, expected $expected: $url" >&2; exit 1; fi
          wrk "${args[@]}" -d"${first_warmup}s" "$url" >/dev/null
          continue
        fi
        measure_wrk "$raw" "$name" "$round" "$side" "$url" "$pid" "${args[@]}"
      done
    done
  done
  kill -TERM "$pid_a" "$pid_b"; wait "$pid_a" "$pid_b" || true
done

mkdir -p bench/results
if $quick; then results=$(results_file "quick-$(date -u +%Y-%m-%d)"); else results=$(results_file "$(date -u +%Y-%m-%d)"); fi
python3 bench/report.py "$raw" "$started" "$rounds" "$duration" "$quick" >"$results"
cat "$results"
echo "written to $results"

#!/usr/bin/env bash
# Does a filter on an indexed field answer as fast over 1,000,000 rows as over 10,000?
# Builds Release, fills two SQLite databases with the same distribution, serves each in turn and
# loads the same filtered list with wrk. Prints a table and writes bench/results/filter-scale-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk sqlite3; do
  if ! command -v "$tool" >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "$tool"; else echo "install $tool" >&2; exit 1; fi
  fi
done
source bench/sharpbase.sh
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
duration=${DURATION:-10}
port=8097
sizes=(10000 1000000)
queries=('status = "rare"' 'score = 7' 'status = "rare" && score >= 990')
results="bench/results/filter-scale-$(date -u +%Y-%m-%d).md"
{
  echo "# Filter on an indexed field: 10,000 vs 1,000,000 rows"
  echo
  echo "wrk -t2 -c32 -d${duration}s, limit 20, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "| rows | filter | req/s | p50 | p99 |"
  echo "|---:|---|---:|---:|---:|"
} > "$results"
for rows in "${sizes[@]}"; do
  data="$work/data-$rows"
  "${sharpbase[@]}" migrate apply --schema bench/filter-scale.yaml --data "$data" >/dev/null
  sqlite3 "$data/data.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $rows)
INSERT INTO items (id, created_at, updated_at, version, title, status, score)
SELECT printf('%08x-0000-7000-8000-%012x', n, n), '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1,
       'item ' || n, CASE WHEN n % 10 = 0 THEN 'rare' ELSE 'common' END, n % 1000
FROM seq;
ANALYZE;
SQL
  "${sharpbase[@]}" serve --dev --schema bench/filter-scale.yaml --data "$data" --http "127.0.0.1:$port" >"$work/server-$rows.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
  for filter in "${queries[@]}"; do
    url="http://127.0.0.1:$port/api/items?limit=20&filter=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$filter")"
    curl -fs "$url" >/dev/null
    wrk -t2 -c32 -d2s "$url" >/dev/null
    out=$(wrk -t2 -c32 -d"${duration}s" --latency "$url")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    printf '| %s | `%s` | %s | %s | %s |\n' "$rows" "$filter" "$rps" "$p50" "$p99" | tee -a "$results"
  done
  kill -TERM "$server"; wait "$server" || true
done
echo "written to $results"

#!/usr/bin/env bash
# The PostgreSQL benchmark: Sharpbase (B) against the raw ASP.NET Core + Npgsql baseline (A,
# `bench/Baseline --postgres`) on one PostgreSQL database, interleaved A B A B as bench/run.sh does;
# then the same load through nginx on one Sharpbase node and on three (PostgreSQL + Redis).
#
#   bench/run-postgres.sh                      a 10 s warm-up, then 4 rounds of 15 s per scenario (about 25 min)
#   ROUNDS=2 DURATION=5 bench/run-postgres.sh  a short run
#   SCENARIOS="get list" bench/run-postgres.sh  only these scenarios
#   INSTRUCTIONS=1 bench/run-postgres.sh       instructions per GET by id under callgrind instead (bench/instructions.sh)
#
# It starts its own PostgreSQL (the Debian package's initdb into a temp folder, on a free loopback
# port; installed with apt-get when missing and root), redis-server and nginx, and stops them.
# The schema is made by Sharpbase's own migration (bench/bench.yaml); 10,000 posts with authors
# and tags are inserted as bench/run.sh inserts them. Writes bench/results/postgres-<date>.md
# (postgres-<date>-<hhmm>.md when that exists, or the file RESULTS names).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=${ROUNDS:-4}; duration=${DURATION:-15}; warmup=${WARMUP:-5}; first_warmup=${FIRST_WARMUP:-10}; rows=10000

apt_install() { # package
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  else echo "install the $1 package" >&2; exit 1; fi
}
for tool in wrk:wrk curl:curl python3:python3 redis-server:redis-server nginx:nginx-light; do
  command -v "${tool%%:*}" >/dev/null || [ -x "/usr/sbin/${tool%%:*}" ] || apt_install "${tool#*:}"
done
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  apt_install postgresql
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

echo "== build (Release)"
source bench/sharpbase.sh
dotnet build bench/Baseline -c Release -nologo -v q >/dev/null
baseline="$root/bench/Baseline/bin/Release/net10.0/baseline.dll"

work=$(mktemp -d)
pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/sharpbase-bench-postgres.XXXXXX")
pids=()
as_postgres() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  chown postgres: "$pg_dir"
  as_postgres() { runuser -u postgres -- "$@"; }
fi
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -f "$pg_dir/data/postmaster.pid" ] && as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work" "$pg_dir"
}
trap cleanup EXIT
source bench/common.sh

echo "== PostgreSQL"
pg_port=$(free_port)
pg_password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$pg_password" >"$pg_dir/pwfile"
[ "$(id -u)" = 0 ] && chown postgres: "$pg_dir/pwfile"
as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U sharpbase --pwfile="$pg_dir/pwfile" --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log"; exit 1; }
# Durable commits (the defaults: fsync, synchronous_commit), as a production server would run.
cat >>"$pg_dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pg_dir'
max_connections = 300
CONF
as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 start >/dev/null || { cat "$pg_dir/postgres.log"; exit 1; }
export PGPASSWORD="$pg_password"
psql_bench() { "$pg_bin/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U sharpbase "$@"; }
psql_bench -d postgres -c "CREATE DATABASE bench"
export SHARPBASE__DATABASE="Host=127.0.0.1;Port=$pg_port;Username=sharpbase;Password=$pg_password;Database=bench"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"

# The ids and users of bench/run.sh: post 500 is a draft of the bench user, post 1001 is public.
public_id=000003e9-0000-7000-8000-0000000003e9
owned_id=000001f4-0000-7000-8000-0000000001f4
email=bench@example.com
password=bench-password-123
export SHARPBASE__AUTH__JWT__ACCESSTOKENLIFETIME=06:00:00

generate() { # rows user-id
  psql_bench -d bench <<SQL
BEGIN;
INSERT INTO users (id, created_at, updated_at, version, email, verified, roles, disabled, name)
SELECT '00000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'), '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1,
       'user' || n || '@example.com', true, '[]', false, 'User ' || n FROM generate_series(1, 1000) AS n;
INSERT INTO tags (id, created_at, updated_at, version, name)
SELECT '00000000-0000-7000-9000-' || lpad(to_hex(n), 12, '0'), '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1, 'tag' || n
FROM generate_series(0, 49) AS n;
INSERT INTO posts (id, created_at, updated_at, version, title, body, status, author, views, published_at)
SELECT lpad(to_hex(n), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(n), 12, '0'),
       to_char(to_timestamp(1735689600 + n * 60) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"'),
       to_char(to_timestamp(1735689600 + n * 60) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"'), 1,
       'Post number ' || n,
       'A post of the benchmark, long enough to look like a short article teaser. It has a few sentences so that the JSON of a page of twenty posts is a few kilobytes, as a real list would be. Post ' || n || '.',
       CASE WHEN n % 5 = 0 THEN 'draft' ELSE 'published' END,
       CASE WHEN n % 100 = 0 THEN '$2' ELSE '00000000-0000-7000-8000-' || lpad(to_hex(1 + n % 1000), 12, '0') END,
       n % 100,
       CASE WHEN n % 5 = 0 THEN NULL ELSE to_char(to_timestamp(1735689600 + n * 60) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"') END
FROM generate_series(1, $1) AS n;
INSERT INTO _sb_rel__posts__tags (source, target, position)
SELECT lpad(to_hex(n), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(n), 12, '0'), '00000000-0000-7000-9000-' || lpad(to_hex(n % 50), 12, '0'), 0
FROM generate_series(1, $1) AS n
UNION ALL
SELECT lpad(to_hex(n), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(n), 12, '0'), '00000000-0000-7000-9000-' || lpad(to_hex((n % 50 + 1 + (n / 50) % 49) % 50), 12, '0'), 1
FROM generate_series(1, $1) AS n;
COMMIT;
ANALYZE;
SQL
}

# One wrk measurement of a scenario against url (common.sh's measure_wrk).
# Round 0 checks the answer and loads the scenario for first_warmup seconds, unmeasured: the servers
# compile their hot paths before any round counts (else round 1 of each scenario measures the JIT).
run_wrk() { # raw name round side url pid kind
  local raw=$1 name=$2 round=$3 side=$4 url=$5 pid=$6 kind=$7
  local args=(-t2 -c32 --latency) check=()
  case "$kind" in
    auth) args+=(-H "Authorization: Bearer $token"); check=(-H "Authorization: Bearer $token") ;;
    create) args+=(-s "$root/bench/create.lua"); check=(-XPOST -H "Authorization: Bearer $token" -H 'content-type: application/json' -d '{"title":"warm","views":1000}') ;;
  esac
  if [ "$round" = 0 ]; then
    local expected=200; [ "$kind" = create ] && expected=201
    local status; status=$(curl -s -o /dev/null -w '%{http_code}' "${check[@]}" "$url" || true)
    if [ "$status" != "$expected" ]; then echo "$name on $side answered $status, expected $expected: $url" >&2; exit 1; fi
    wrk "${args[@]}" -d"${first_warmup}s" "$url" >/dev/null
    return
  fi
  measure_wrk "$raw" "$name" "$round" "$side" "$url" "$pid" "${args[@]}"
}

started=$(date -u +%Y-%m-%dT%H:%MZ)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
data="$work/data"
echo "== data: $rows posts"
"${sharpbase[@]}" migrate apply --schema bench/bench.yaml --data "$data" >/dev/null
bench_user "$data" "$work/sharpbase.err"
time generate "$rows" "$user"
export BENCH_TOKEN="$token"
if [ "${INSTRUCTIONS:-0}" = 1 ]; then
  source bench/instructions.sh
  exit 0
fi

# name | baseline request | Sharpbase request | kind: the scenarios of bench/run.sh at 10,000 posts.
scenarios=(
  "get|/posts/$public_id|/api/posts/$public_id|"
  "list|/posts?limit=20&sort=-published_at|/api/posts?limit=20&sort=-published_at|"
  "filtered-10k|/posts?limit=20&views=42|/api/posts?limit=20&filter=views%20%3D%2042|"
  "owner-get|/posts/$owned_id|/api/posts/$owned_id|auth"
  "create|/posts|/api/posts|create"
)

echo "== Sharpbase (B) against the baseline (A), one database"
port_a=$(free_port)
dotnet "$baseline" --data "$data" --postgres "$SHARPBASE__DATABASE" --urls "http://127.0.0.1:$port_a" >"$work/baseline.log" 2>&1 &
pid_a=$!; pids+=("$pid_a")
port_b=$(free_port)
"${sharpbase[@]}" serve --schema bench/bench.yaml --data "$data" --http "127.0.0.1:$port_b" >/dev/null 2>"$work/sharpbase.err" &
pid_b=$!; pids+=("$pid_b")
wait_ready "http://127.0.0.1:$port_a/posts/$public_id"
wait_ready "http://127.0.0.1:$port_b/health/ready"
raw="$work/raw.tsv"; : >"$raw"
for round in $(seq 0 "$rounds"); do
  for scenario in "${scenarios[@]}"; do
    IFS='|' read -r name path_a path_b kind <<<"$scenario"
    selected "$name" || continue
    run_wrk "$raw" "$name" "$round" A "http://127.0.0.1:$port_a$path_a" "$pid_a" "$kind"
    run_wrk "$raw" "$name" "$round" B "http://127.0.0.1:$port_b$path_b" "$pid_b" "$kind"
  done
done
# What Sharpbase answered other than 2xx and 3xx over the whole A/B run, by route and status (its own
# request-duration counts): wrk only counts them, and the request log goes to /dev/null.
failures=$(curl -fs "http://127.0.0.1:$port_b/metrics" | grep '^sharpbase_http_request_duration_seconds_count{' | grep -v 'status_code="[23]' \
  | sed -E 's/.*http_request_method="([^"]*)".*http_response_status_code="([^"]*)".*http_route="([^"]*)".* ([0-9]+)$/| \1 \3 | \2 | \4 |/' || true)
kill -TERM "$pid_a" "$pid_b"; wait "$pid_a" "$pid_b" || true

echo "== one node against three, behind nginx, on PostgreSQL + Redis"
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
pids+=("$!")
export SHARPBASE__REDIS="127.0.0.1:$redis_port"
# One data folder on this one machine, so the nodes share its signing keys (across machines: see README, Many nodes).
node_ports=()
node_pids=()
for i in 1 2 3; do
  port=$(free_port)
  "${sharpbase[@]}" serve --schema bench/bench.yaml --data "$data" --http "127.0.0.1:$port" >/dev/null 2>"$work/node$i.err" &
  node_pids+=("$!"); pids+=("$!"); node_ports+=("$port")
  wait_ready "http://127.0.0.1:$port/health/ready"
done
one_port=$(free_port)
all_port=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx-body;
  proxy_temp_path $work/nginx-proxy;
  fastcgi_temp_path $work/nginx-fastcgi;
  uwsgi_temp_path $work/nginx-uwsgi;
  scgi_temp_path $work/nginx-scgi;
  upstream one { server 127.0.0.1:${node_ports[0]}; keepalive 32; }
  upstream all { server 127.0.0.1:${node_ports[0]}; server 127.0.0.1:${node_ports[1]}; server 127.0.0.1:${node_ports[2]}; keepalive 32; }
  server { listen 127.0.0.1:$one_port; location / { proxy_pass http://one; proxy_http_version 1.1; proxy_set_header Connection ""; } }
  server { listen 127.0.0.1:$all_port; location / { proxy_pass http://all; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
CONF
"$nginx_bin" -c "$work/nginx.conf" -p "$work"
wait_ready "http://127.0.0.1:$all_port/health/ready"
scaling="$work/scaling.tsv"; : >"$scaling"
for round in $(seq 0 "$rounds"); do
  for scenario in "${scenarios[@]}"; do
    IFS='|' read -r name _ path kind <<<"$scenario"
    selected "$name" || continue
    run_wrk "$scaling" "$name" "$round" 1 "http://127.0.0.1:$one_port$path" "" "$kind"
    run_wrk "$scaling" "$name" "$round" 3 "http://127.0.0.1:$all_port$path" "" "$kind"
  done
done

mkdir -p bench/results
results=$(results_file "postgres-$(date -u +%Y-%m-%d)")
report=$(python3 bench/report.py "$raw" "$started" "$rounds" "$duration" false)
# bench/report.py describes bench/run.sh's SQLite set-up; this run's differs only in these sentences.
revalidation=' Its list ETag is a hash of the page (it has no change
counter), so its revalidation runs the query; Sharpbase answers 304 without it.'
phrases=('bench/run.sh`' 'on the same SQLite file (WAL, synchronous=FULL)' "$revalidation")
# A scenario's description is there only when it ran.
selected create && phrases+=('(one fsync per commit: synchronous=FULL)')
for phrase in "${phrases[@]}"; do
  grep -qF "$phrase" <<<"$report" || { echo "bench/report.py no longer says '$phrase': update bench/run-postgres.sh" >&2; exit 1; }
done
report=${report//'bench/run.sh`'/'bench/run-postgres.sh` (ROUNDS='"$rounds"' DURATION='"$duration"')'}
report=${report//'on the same SQLite file (WAL, synchronous=FULL)'/"on the same PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') database (loopback, fsync and synchronous_commit on)"}
report=${report//'(one fsync per commit: synchronous=FULL)'/'(one durable commit each)'}
report=${report//"$revalidation"/}
report=${report//'the figures that count.'/"the figures that count. Load average (1, 5, 15 min) at the start: $load_start; at the end, the benchmark's own load included: $(cut -d' ' -f1-3 /proc/loadavg)."}
report=${report//'# Benchmark: Sharpbase (B) against the raw ASP.NET Core baseline (A)'/'# PostgreSQL benchmark: Sharpbase (B) against the raw ASP.NET Core + Npgsql baseline (A)'}
{
  echo "$report"
  echo
  if [ -n "$failures" ]; then
    echo "Sharpbase's answers other than 2xx and 3xx in the A/B run (its /metrics, rounds 0 to $rounds):"
    echo
    echo "| request | status | count |"
    echo "|---|---:|---:|"
    echo "$failures"
    echo
  fi
  python3 - "$scaling" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
data, order = {}, []
for name, rnd, side, rps, p50, p99, *_ in rows:
    if name not in data:
        data[name] = {}; order.append(name)
    data[name].setdefault(rnd, {})[side] = (float(rps), float(p99), _[-1] if _ else "")
print("## One node against three (nginx, PostgreSQL + Redis)")
print()
print("The same wrk load through one nginx: once to one Sharpbase node, once to three (round robin), every node")
print("on this PostgreSQL and one redis-server, interleaved per round. Every process (wrk, nginx, the nodes,")
print("PostgreSQL, Redis) shares this machine's cores, so three nodes cannot add CPU here: the figure shows what")
print("three processes competing for the same cores cost (three JITs, GCs and thread pools, per-node caches")
print("warmed three times), not how far nodes on machines of their own scale.")
print()
print("| scenario | 1 node req/s | 3 nodes req/s | median 3/1 req/s | p99 1 node | p99 3 nodes | errors |")
print("|---|---:|---:|---:|---:|---:|---|")
for name in order:
    rounds = [r for r in data[name] if "1" in data[name][r] and "3" in data[name][r]]
    one = [data[name][r]["1"] for r in rounds]
    three = [data[name][r]["3"] for r in rounds]
    errors = "; ".join(sorted({e for x in one + three for e in [x[2]] if e}))
    print(f"| {name} | {statistics.median(x[0] for x in one):,.0f} | {statistics.median(x[0] for x in three):,.0f} | "
          f"**{statistics.median(t[0] / o[0] for o, t in zip(one, three)):.2f}** | {statistics.median(x[1] for x in one):.2f} ms | "
          f"{statistics.median(x[1] for x in three):.2f} ms | {errors} |")
PY
} >"$results"
cat "$results"
echo "written to $results"

#!/usr/bin/env bash
# Three real `sharpbase serve` processes behind nginx on loopback, sharing one database and a
# redis-server of this suite's own (it stops it in a fault test). Writes "<passed> <failed>" to
# $SHARPBASE_TEST_RESULTS/multinode.counts.
set -uo pipefail
cd "$(dirname "$0")/../.."
results="${SHARPBASE_TEST_RESULTS:?run through ./test.sh}"
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null || exit 1
  else
    echo "nginx is missing: install the nginx package so the multi-node suite can run" >&2
    echo "0 1" >"$results/multinode.counts"
    exit 1
  fi
fi
command -v redis-server >/dev/null 2>&1 || { echo "redis-server is missing" >&2; echo "0 1" >"$results/multinode.counts"; exit 1; }
export SHARPBASE_NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
echo "0 1" >"$results/multinode.counts"
source tests/suites/lib/sharpbase.sh
# The command that starts a node, one argument a line.
export SHARPBASE_SERVER="$(printf '%s\n' "${sharpbase[@]}")"
# With the PostgreSQL of tests/services/postgres.sh, the nodes share a fresh database of their own.
if [ -n "${SHARPBASE_TEST_POSTGRES:-}" ]; then
  pg_field() { tr ';' '\n' <<<"$SHARPBASE_TEST_POSTGRES" | sed -n "s/^$1=//p"; }
  database="sb_multinode_$$"
  PGPASSWORD=$(pg_field Password) "$SHARPBASE_TEST_POSTGRES_BIN/psql" -q -h "$(pg_field Host)" -p "$(pg_field Port)" -U "$(pg_field Username)" \
    -d postgres -c "CREATE DATABASE $database" || { echo "0 1" >"$results/multinode.counts"; exit 1; }
  export SHARPBASE_MULTINODE_DATABASE="${SHARPBASE_TEST_POSTGRES/Database=postgres/Database=$database}"
  echo "multi-node suite on PostgreSQL database $database"
fi
# exec: a signal to this script reaches the suite, which stops its processes (multinode.mjs).
exec node tests/suites/multinode/multinode.mjs

# Sourced by test.sh: starts a throwaway PostgreSQL (the Debian package, initdb into a temp folder)
# on a free loopback port and exports SHARPBASE_TEST_POSTGRES (a superuser connection string) and
# SHARPBASE_TEST_POSTGRES_DATA / SHARPBASE_TEST_POSTGRES_BIN (for the restart fault test).
# Postgres refuses to run as root, so as root the cluster belongs to the `postgres` user.

postgres_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$postgres_bin" ] || [ ! -x "$postgres_bin/initdb" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql || return 1
    postgres_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  else
    echo "PostgreSQL is missing: install the postgresql package so the PostgreSQL tests can run" >&2
    return 1
  fi
fi

postgres_dir=$(mktemp -d "${TMPDIR:-/tmp}/sharpbase-postgres.XXXXXX")
postgres_as() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres || return 1
  chown postgres: "$postgres_dir"
  postgres_as() { runuser -u postgres -- "$@"; }
fi
postgres_port=$(free_port)
postgres_password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$postgres_password" >"$postgres_dir/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres: "$postgres_dir/pwfile"
postgres_as "$postgres_bin/initdb" -D "$postgres_dir/data" -U sharpbase --pwfile="$postgres_dir/pwfile" \
  --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$results/postgres-initdb.log" 2>&1 || {
  cat "$results/postgres-initdb.log"
  echo "initdb failed" >&2
  return 1
}
rm -f "$postgres_dir/pwfile"
# In the configuration file, so a plain `pg_ctl start` (the restart fault test) brings back the same server.
# Many test servers run at once, each with its own database and pool: allow plenty of connections;
# durability is not under test here, so skip fsync.
cat >>"$postgres_dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $postgres_port
unix_socket_directories = '$postgres_dir'
max_connections = 400
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
postgres_as "$postgres_bin/pg_ctl" -D "$postgres_dir/data" -l "$postgres_dir/postgres.log" -w -t 60 start >/dev/null || {
  cat "$postgres_dir/postgres.log"
  echo "PostgreSQL did not start" >&2
  return 1
}
postgres_pid=$(head -n 1 "$postgres_dir/data/postmaster.pid")
service_pids+=("$postgres_pid")
# Stopping the postmaster (SIGTERM from stop_services) ends its children; the folder goes on exit.
stop_postgres() {
  postgres_as "$postgres_bin/pg_ctl" -D "$postgres_dir/data" -m fast -w stop >/dev/null 2>&1
  cp "$postgres_dir/postgres.log" "$results/postgres.log" 2>/dev/null
  rm -rf "$postgres_dir"
}
# Runs before whatever the EXIT trap already does (stop_services, other services' clean-up).
postgres_exit_trap=$(trap -p EXIT | sed "s/^trap -- '\(.*\)' EXIT\$/\1/")
trap "stop_postgres; ${postgres_exit_trap:-:}" EXIT
for attempt in $(seq 1 100); do
  listening "$postgres_port" && break
  if [ "$attempt" -eq 100 ]; then
    cat "$postgres_dir/postgres.log"
    echo "PostgreSQL is not listening on $postgres_port" >&2
    return 1
  fi
  sleep 0.1
done
export SHARPBASE_TEST_POSTGRES="Host=127.0.0.1;Port=$postgres_port;Username=sharpbase;Password=$postgres_password;Database=postgres"
export SHARPBASE_TEST_POSTGRES_DATA="$postgres_dir/data" SHARPBASE_TEST_POSTGRES_BIN="$postgres_bin"
# The user pg_ctl must run as to stop and start this cluster (empty: the current user).
if [ "$(id -u)" -eq 0 ]; then export SHARPBASE_TEST_POSTGRES_USER=postgres; else export SHARPBASE_TEST_POSTGRES_USER=; fi
echo "PostgreSQL $("$postgres_bin/postgres" --version | awk '{print $3}'): 127.0.0.1:$postgres_port (pid $postgres_pid, data $postgres_dir)"

#!/usr/bin/env bash
# The one test command: restores, builds with warnings as errors, runs every test suite,
# and ends with a line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The tests configure every server they start. A SHARPBASE__ setting exported in the caller's shell
# (a database, a token lifetime) would reach those servers: tests on another database, or failing.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^SHARPBASE__')

results="$(pwd)/.test-results"
rm -rf "$results"
mkdir -p "$results"

step() { printf '\n== %s\n' "$*"; }

step "restore"
dotnet restore Sharpbase.slnx || exit 1

step "build (Release, warnings as errors)"
dotnet build Sharpbase.slnx -c Release --no-restore -warnaserror -p:TreatWarningsAsErrors=true || exit 1

step "publish the native executable (Native AOT, warnings as errors): the process tests and suites run it"
src/Sharpbase.Cli/publish-native.sh || exit 1
export SHARPBASE_EXECUTABLE="$(pwd)/.build/native/Sharpbase.Cli"

step "maildev (SMTP server for the mail tests, on loopback)"
maildev_version=2.2.1
maildev_dir=.tools/maildev
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm || exit 1
  else
    echo "npm is missing: install Node.js (with npm) so the mail tests can run maildev" >&2
    exit 1
  fi
fi
installed=$(node -p "require('./$maildev_dir/node_modules/maildev/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$maildev_version" ]; then
  npm install --prefix "$maildev_dir" "maildev@$maildev_version" --no-audit --no-fund || exit 1
fi
free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
smtp_port=$(free_port)
web_port=$(free_port)
while [ "$web_port" = "$smtp_port" ]; do web_port=$(free_port); done
"$maildev_dir/node_modules/.bin/maildev" --ip 127.0.0.1 --smtp "$smtp_port" --web "$web_port" \
  --mail-directory "$results/maildev-mail" \
  >"$results/maildev.log" 2>&1 &
maildev_pid=$!
service_pids=("$maildev_pid")
stop_services() {
  for pid in "${service_pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${service_pids[@]}"; do wait "$pid" 2>/dev/null; done
}
trap stop_services EXIT
trap 'exit 130' INT TERM
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for attempt in $(seq 1 100); do
  listening "$web_port" && listening "$smtp_port" && break
  if [ "$attempt" -eq 100 ] || ! kill -0 "$maildev_pid" 2>/dev/null; then
    cat "$results/maildev.log"
    echo "maildev did not start" >&2
    exit 1
  fi
  sleep 0.2
done
export SHARPBASE_TEST_SMTP_PORT="$smtp_port" SHARPBASE_TEST_MAILDEV_API="http://127.0.0.1:$web_port"
echo "maildev $maildev_version: SMTP 127.0.0.1:$smtp_port, API $SHARPBASE_TEST_MAILDEV_API (pid $maildev_pid)"

step "redis-server (shared rate limits for the protection tests, on loopback)"
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server || exit 1
  else
    echo "redis-server is missing: install the redis-server package so the Redis rate-limit tests can run" >&2
    exit 1
  fi
fi
redis_port=$(free_port)
while [ "$redis_port" = "$smtp_port" ] || [ "$redis_port" = "$web_port" ]; do redis_port=$(free_port); done
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
  >"$results/redis.log" 2>&1 &
redis_pid=$!
service_pids+=("$redis_pid")
for attempt in $(seq 1 100); do
  listening "$redis_port" && break
  if [ "$attempt" -eq 100 ] || ! kill -0 "$redis_pid" 2>/dev/null; then
    cat "$results/redis.log"
    echo "redis-server did not start" >&2
    exit 1
  fi
  sleep 0.1
done
export SHARPBASE_TEST_REDIS="127.0.0.1:$redis_port"
echo "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p'): $SHARPBASE_TEST_REDIS (pid $redis_pid)"

# More services: each tests/services/*.sh is sourced here; it starts its server on loopback,
# appends the pid to service_pids and exports the variables its tests read.
for service in tests/services/*.sh; do
  [ -f "$service" ] || continue
  step "service $(basename "$service" .sh)"
  # shellcheck source=/dev/null
  source "$service" || exit 1
done

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  step "test $name"
  dotnet test "$project" -c Release --no-build \
    --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=minimal" || status=1
done

# Suites outside .NET (node clients, browsers, multi-node): each tests/suites/*.sh runs with
# $results exported as SHARPBASE_TEST_RESULTS and writes "<passed> <failed>" to
# $results/<name>.counts; a suite that exits non-zero fails the run.
export SHARPBASE_TEST_RESULTS="$results"
for suite in tests/suites/*.sh; do
  [ -f "$suite" ] || continue
  name=$(basename "$suite" .sh)
  step "suite $name"
  bash "$suite" || status=1
  if [ ! -s "$results/$name.counts" ]; then
    echo "suite $name wrote no $results/$name.counts" >&2
    status=1
  fi
done

passed=0
failed=0
for counts in "$results"/*.counts; do
  [ -f "$counts" ] || continue
  read -r p f <"$counts"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$passed" -eq 0 ]; then
  status=1
fi
echo
echo "$passed passed, $failed failed"
exit $status

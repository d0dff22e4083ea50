#!/usr/bin/env bash
# The framework-dependent deployment form (README, "Deploying"): `dotnet publish -p:PublishAot=false`
# into a temp folder, and the server started from there on the blog example as the README starts it.
# It must become ready, answer the REST API and its problems, and stop cleanly on SIGTERM.
# Writes "<passed> <failed>" to $SHARPBASE_TEST_RESULTS/framework-dependent.counts.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/suites/lib/counts.sh framework-dependent
out=$(mktemp -d)
data=$(mktemp -d)
log="$results/framework-dependent-server.log"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$out" "$data"' EXIT

passed=0
failed=0
check() { # description, then the command that must succeed
  local description=$1
  shift
  if "$@"; then
    echo "  ok   $description"
    passed=$((passed + 1))
  else
    echo "  FAIL $description"
    failed=$((failed + 1))
  fi
}

dotnet publish src/Sharpbase.Cli -c Release -p:PublishAot=false -o "$out" -nologo -v q || exit 1
check "the publish holds the server's dll and the bundled example, and no native executable's symbols" \
  test -f "$out/Sharpbase.Cli.dll" -a -f "$out/examples/blog/sharpbase.yaml" -a ! -e "$out/Sharpbase.Cli.dbg"
version=$(dotnet "$out/Sharpbase.Cli.dll" version)
check "dotnet Sharpbase.Cli.dll version prints the version ($version)" grep -qx "sharpbase 0.1.0" <<<"$version"

port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()')
url="http://127.0.0.1:$port"
# From another folder, as a deployment runs it: the bundled example is found beside the dll.
(cd "$data" && exec dotnet "$out/Sharpbase.Cli.dll" serve --data "$data/sb_data" --http "127.0.0.1:$port") >"$log" 2>&1 &
server_pid=$!
ready=""
for _ in $(seq 1 150); do
  ready=$(curl -fs "$url/health/ready" 2>/dev/null) && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.2
done
check "the published server becomes ready on the blog example" grep -q '"status":"ready"' <<<"$ready"

status=$(curl -s -o "$data/list.json" -w '%{http_code}' "$url/api/posts?filter=status%3D%22published%22")
check "GET /api/posts with a filter answers 200 with an empty page (got $status)" \
  bash -c "[ '$status' = 200 ] && grep -qx '{\"items\":\[\],\"next_cursor\":null}' '$data/list.json'"
status=$(curl -s -o "$data/problem.json" -w '%{http_code} %{content_type}' "$url/api/posts?filter=nope%3D1")
check "an unknown field in a filter is a 400 problem naming its code (got $status)" \
  bash -c "[ '$status' = '400 application/problem+json' ] && grep -q '\"code\":\"unknown_field\"' '$data/problem.json'"

kill -TERM "$server_pid"
wait "$server_pid"
exit_code=$?
server_pid=""
check "SIGTERM stops the server with exit code 0 (got $exit_code)" test "$exit_code" -eq 0
check "the server logged no error" bash -c "! grep -q '\"LogLevel\":\"\\(Error\\|Critical\\)\"' '$log'"

echo "$passed $failed" >"$counts"
echo "framework-dependent suite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

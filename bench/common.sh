# What bench/run.sh and bench/run-postgres.sh share, sourced after each has set `work` (its temp
# folder) and `pids` (the processes to stop on exit), and used after `sharpbase` (bench/sharpbase.sh),
# `email`, `password`, `warmup` and `duration` are set: free ports, waiting for a server, the bench
# user, one measured wrk load of a scenario, and the name of the results file.

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'; }

wait_ready() { # url
  for _ in $(seq 1 150); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "server at $1 did not start" >&2; return 1
}

# Signs the bench user up and in on Sharpbase serving a data folder, then stops it: sets `token`
# (its access token) and `user` (its id).
bench_user() { # data-folder stderr-file
  local port; port=$(free_port)
  "${sharpbase[@]}" serve --schema bench/bench.yaml --data "$1" --http "127.0.0.1:$port" >/dev/null 2>"$2" &
  local pid=$!; pids+=("$pid")
  wait_ready "http://127.0.0.1:$port/health/ready"
  curl -fs -XPOST -H 'content-type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" "http://127.0.0.1:$port/auth/register" >/dev/null
  local login; login=$(curl -fs -XPOST -H 'content-type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" "http://127.0.0.1:$port/auth/login")
  token=$(python3 -c 'import json,sys;print(json.loads(sys.argv[1])["access_token"])' "$login")
  user=$(python3 -c 'import json,sys;print(json.loads(sys.argv[1])["user"]["id"])' "$login")
  kill -TERM "$pid"; wait "$pid" || true
}

# Peak RSS (MiB) and CPU (percent of one core) of a process while a command runs; the command's
# output goes to $work/wrk.out.
measure() { # pid command...
  local pid=$1; shift
  local hz; hz=$(getconf CLK_TCK)
  local before; before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  local start; start=$(date +%s.%N)
  local peak_file="$work/peak"; echo 0 >"$peak_file"
  ( peak=0; while kill -0 "$pid" 2>/dev/null; do
      rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      if [ "${rss:-0}" -gt "$peak" ]; then peak=$rss; echo "$peak" >"$peak_file"; fi
      sleep 0.5
    done ) &
  local sampler=$!
  "$@" >"$work/wrk.out"
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  local after; after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  local end; end=$(date +%s.%N)
  python3 -c "print(f'{$(cat "$peak_file")/1024:.0f} {($after-$before)/$hz/($end-$start)*100:.0f}')"
}

# wrk's latency (e.g. 812.00us, 3.04ms, 1.20s) in milliseconds.
ms() { python3 -c '
import sys
v=sys.argv[1]
for unit,f in (("us",0.001),("ms",1),("s",1000)):
    if v.endswith(unit) and v[:-len(unit)].replace(".","",1).isdigit(): print(round(float(v[:-len(unit)])*f,3)); break
else: print("nan")' "$1"; }

# One measured round of a scenario: warm-up seconds of load, then `duration` seconds measured
# (with the server's RSS and CPU when pid is given). Appends "name round side req/s p50 p99 rss cpu
# errors" to the raw file and prints it.
measure_wrk() { # raw name round side url pid wrk-options...
  local raw=$1 name=$2 round=$3 side=$4 url=$5 pid=$6; shift 6
  wrk "$@" -d"${warmup}s" "$url" >/dev/null
  local rss=0 cpu=0
  if [ -n "$pid" ]; then read -r rss cpu < <(measure "$pid" wrk "$@" -d"${duration}s" "$url"); else wrk "$@" -d"${duration}s" "$url" >"$work/wrk.out"; fi
  local out; out=$(cat "$work/wrk.out")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  errors=$(awk '/Non-2xx|Socket errors/ {$1=$1; print}' <<<"$out" | paste -sd';' -)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$round" "$side" "$rps" "$p50" "$p99" "$rss" "$cpu" "${errors:-}" >>"$raw"
  printf '%-13s round %s %s  %9s req/s  p50 %7s ms  p99 %7s ms  rss %5s MiB  cpu %4s%%  %s\n' "$name" "$round" "$side" "$rps" "$p50" "$p99" "$rss" "$cpu" "${errors:-}"
}

# True when SCENARIOS (names separated by spaces) is unset or names this scenario.
selected() { [ -z "${SCENARIOS:-}" ] || [[ " $SCENARIOS " == *" $1 "* ]]; }

# The file RESULTS names, else bench/results/<name>.md, or <name>-<hhmm>.md when a run of the same
# day wrote that already (the first is kept).
results_file() { # name
  if [ -n "${RESULTS:-}" ]; then echo "$RESULTS"; return; fi
  local results="bench/results/$1.md"
  if [ -e "$results" ]; then results="bench/results/$1-$(date -u +%H%M).md"; fi
  echo "$results"
}

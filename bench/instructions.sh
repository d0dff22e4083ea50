# Instructions per GET by id, counted by valgrind's callgrind: the native Sharpbase and the baseline
# compiled the same way (Native AOT), each serving `count` sequential requests of the get scenario
# on one keep-alive connection after a warm-up. Sourced by bench/run-postgres.sh with INSTRUCTIONS=1,
# after its database is ready. Unlike req/s, the count does not move with the machine's load, so a
# change to the request path can be measured in one run: it is how the request-log, trace-id and
# statement-lookup costs of bench/NOTES.md were found and checked. Both run with workstation GC,
# which valgrind can host; the garbage collector's share is reported apart, since which request a
# collection falls on is chance.
command -v valgrind >/dev/null || apt_install valgrind
command -v objcopy >/dev/null || apt_install binutils
count=${COUNT:-2000}
echo "== native builds with symbols (valgrind reads the symbol table; its DWARF reader is older than the compiler's)"
rid="linux-$(uname -m | sed 's/x86_64/x64/;s/aarch64/arm64/')"
# Their own intermediate folders: a stripped build's linker output would otherwise be taken as up to date.
dotnet publish src/Sharpbase.Cli -c Release -r "$rid" -p:StripSymbols=false -p:NativeIntermediateOutputPath="$root/.build/callgrind/sharpbase-native/" \
  -o .build/callgrind/sharpbase -nologo -v q >/dev/null
dotnet publish bench/Baseline -c Release -r "$rid" -p:PublishAot=true -p:StripSymbols=false -p:NativeIntermediateOutputPath="$root/.build/callgrind/baseline-native/" \
  -o .build/callgrind/baseline -nologo -v q >/dev/null
# A .dbg file beside an executable (left by a stripped build in the same output) would be read instead.
rm -f .build/callgrind/sharpbase/*.dbg .build/callgrind/baseline/*.dbg
for binary in .build/callgrind/sharpbase/Sharpbase.Cli .build/callgrind/baseline/baseline; do objcopy --strip-debug "$binary" "$work/stripped" && cat "$work/stripped" >"$binary"; done

count_instructions() { # name url command...
  local name=$1 url=$2; shift 2
  DOTNET_gcServer=0 DOTNET_GCRegionRange=0x40000000 valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/$name.out" "$@" >/dev/null 2>"$work/$name.err" &
  local pid=$!; pids+=("$pid")
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "$url" && break
    kill -0 "$pid" 2>/dev/null || { echo "$name did not start under valgrind:" >&2; tail -n 5 "$work/$name.err" >&2; exit 1; }
    sleep 1
  done
  local warm=() measured=()
  for _ in $(seq 1 300); do warm+=(-o /dev/null "$url"); done
  for _ in $(seq 1 "$count"); do measured+=(-o /dev/null "$url"); done
  curl -fs "${warm[@]}"
  callgrind_control -i on "$pid" >/dev/null 2>&1; sleep 1; callgrind_control -z "$pid" >/dev/null 2>&1
  curl -fs "${measured[@]}"
  callgrind_control -d "$pid" >/dev/null 2>&1; kill "$pid"; wait "$pid" 2>/dev/null || true
  callgrind_annotate --threshold=100 "$work/$name.out".* | python3 -c '
import re, sys
total = gc = 0
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) ", line)
    if not m or "PROGRAM TOTALS" in line: continue
    v = int(m.group(1).replace(",", ""))
    total += v
    if re.search(r"gc_heap|GcScan|StackFrameIterator|EnumGcRef|Ref_Trace|Ref_Update", line): gc += v
n = int(sys.argv[2])
print(f"{sys.argv[1]:<10} {total / n:9,.0f} instructions per request  (garbage collector {gc / n:7,.0f}, the rest {(total - gc) / n:9,.0f})")' "$name" "$count"
}
echo "== instructions per GET by id ($count requests after 300 unmeasured)"
port_a=$(free_port); port_b=$(free_port)
count_instructions baseline "http://127.0.0.1:$port_a/posts/$public_id" .build/callgrind/baseline/baseline --data "$data" --postgres "$SHARPBASE__DATABASE" --urls "http://127.0.0.1:$port_a"
count_instructions sharpbase "http://127.0.0.1:$port_b/api/posts/$public_id" .build/callgrind/sharpbase/Sharpbase.Cli serve --schema bench/bench.yaml --data "$data" --http "127.0.0.1:$port_b"

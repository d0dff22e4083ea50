#!/usr/bin/env bash
# Writes src/Sharpbase.Cli/hot-symbols.txt: the native executable's functions that serving the
# benchmark's scenarios spends its time in, hottest first, one symbol name per line. The native
# compiler lays these out first and together in the executable (`--method-layout:explicit`), so the
# code a request runs sits in about 1 MB instead of being spread over the binary's 24 MB of code:
# fewer instruction-cache and TLB misses (a GET by id on PostgreSQL used 7-9% less CPU). The native
# runtime's own C++ functions (the GC's, for one) are listed too; the compiler places only managed
# code and skips the names it does not compile.
#
#   bench/hot-symbols.sh    about 12 min: bench/run.sh --quick (SQLite) and a short bench/run-postgres.sh
#
# Both benchmarks run under `perf record -a` (installed with apt-get when missing and root); only the
# samples in Sharpbase's executable count. Their result files go to a temporary folder, and their
# figures, taken while profiling, are not comparable. Run it again after large changes to the request
# path: names that no longer exist are skipped by the compiler, new ones are laid out as before.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v perf >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null
  else
    echo "install perf (the linux-perf package)" >&2; exit 1
  fi
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== SQLite scenarios under perf"
perf record -a -F 499 -o "$work/sqlite.data" -- env RESULTS="$work/sqlite.md" bench/run.sh --quick >"$work/sqlite.log" 2>&1 \
  || { tail -n 20 "$work/sqlite.log"; exit 1; }
echo "== PostgreSQL scenarios under perf"
perf record -a -F 499 -o "$work/postgres.data" -- env RESULTS="$work/postgres.md" ROUNDS=1 DURATION=5 bench/run-postgres.sh >"$work/postgres.log" 2>&1 \
  || { tail -n 20 "$work/postgres.log"; exit 1; }
for data in "$work/sqlite.data" "$work/postgres.data"; do
  perf report -i "$data" --dsos Sharpbase.Cli --no-children --sort sym --stdio -F sample,sym 2>/dev/null
done | python3 -c '
import collections, sys
samples = collections.Counter()
for line in sys.stdin:
    parts = line.split()
    # "  644  [.] S_P_CoreLib_System_Threading_Monitor__Enter"; addresses without a name are skipped
    if len(parts) == 3 and parts[0].isdigit() and parts[1] == "[.]" and not parts[2].startswith("0x"):
        samples[parts[2]] += int(parts[0])
if not samples:
    sys.exit("perf resolved no symbol of Sharpbase.Cli (is Sharpbase.Cli.dbg beside the executable?)")
for name, _ in sorted(samples.items(), key=lambda item: (-item[1], item[0])):
    print(name)
' >src/Sharpbase.Cli/hot-symbols.txt
echo "$(wc -l <src/Sharpbase.Cli/hot-symbols.txt) symbols written to src/Sharpbase.Cli/hot-symbols.txt"

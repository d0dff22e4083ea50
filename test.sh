#!/usr/bin/env bash
# The one test command: restores, builds with warnings as errors, runs every test suite,
# and ends with a line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results="$(pwd)/.test-results"
rm -rf "$results"
mkdir -p "$results"

step() { printf '\n== %s\n' "$*"; }

step "restore"
dotnet restore Sharpbase.slnx || exit 1

step "build (Release, warnings as errors)"
dotnet build Sharpbase.slnx -c Release --no-restore -warnaserror -p:TreatWarningsAsErrors=true || exit 1

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  step "test $name"
  dotnet test "$project" -c Release --no-build \
    --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=minimal" || status=1
done

passed=0
failed=0
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

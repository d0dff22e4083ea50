#!/usr/bin/env bash
# Generates the client from the served document, type-checks it, then runs its scenario.
set -uo pipefail
passed=0
failed=0
bin=../node_modules/.bin
if "$bin/openapi-typescript" "$SHARPBASE_URL/openapi.json" -o api.d.ts; then
  echo "  ok   openapi-typescript generated api.d.ts"; passed=$((passed + 1))
else
  echo "  FAIL openapi-typescript"; echo "RESULT client $passed $((failed + 1))"; exit 1
fi
if "$bin/tsc" -p tsconfig.json --noEmit; then
  echo "  ok   tsc --noEmit"; passed=$((passed + 1))
else
  echo "  FAIL tsc --noEmit"; echo "RESULT client $passed $((failed + 1))"; exit 1
fi
"$bin/tsc" -p tsconfig.json || { echo "RESULT client $passed $((failed + 1))"; exit 1; }
line=$(node out/client.mjs | tee /dev/stderr | grep '^RESULT client ' | tail -n 1)
read -r _ _ p f <<<"${line:-RESULT client 0 1}"
echo "RESULT client $((passed + p)) $((failed + f))"
[ "$((failed + f))" -eq 0 ]

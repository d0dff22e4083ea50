# The suite's results folder ($results) and counts file ($counts), which holds "0 1" (one failure)
# until the suite writes its own "<passed> <failed>": a suite that stops early counts as failed.
# Sourced from the repository root: source tests/suites/lib/counts.sh NAME
results="${SHARPBASE_TEST_RESULTS:-$(pwd)/.test-results}"
mkdir -p "$results"
counts="$results/$1.counts"
echo "0 1" >"$counts"

#!/bin/sh
# Run every cmocka unit program and every end-to-end CLI script, then print
# one aggregate line "N passed, N failed" (exit 1 if anything failed).
# Each program's line carries its wall time, so CI logs show what is slow.
BUILD=${1:-build}
export BUILD
passed=0
failed=0
log=$(mktemp)
# Compiled-table cache of the run's own (cli/rules_cache.c): hermetic.
TRIAGE_CACHE_DIR=$(mktemp -d)
export TRIAGE_CACHE_DIR
trap 'rm -rf "$log" "$TRIAGE_CACHE_DIR"' EXIT
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    t0=$(date +%s)
    "$t" >"$log" 2>&1
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1    # crashed or exited before cmocka could count
    fi
    if [ "$f" -ne 0 ]; then
        cat "$log"
    fi
    echo "unit $(basename "$t"): $p passed, $f failed ($(($(date +%s) - t0)) s)"
    passed=$((passed + p))
    failed=$((failed + f))
done
for t in tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    [ "$(basename "$t")" = lib.sh ] && continue
    t0=$(date +%s)
    sh "$t" >"$log" 2>&1
    rc=$?
    p=$(grep -c '^PASS ' "$log")
    f=$(grep -c '^FAIL ' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
    fi
    [ "$f" -ne 0 ] && cat "$log"
    echo "e2e $(basename "$t" .sh): $p passed, $f failed ($(($(date +%s) - t0)) s)"
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

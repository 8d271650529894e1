#!/bin/sh
# Run every cmocka unit program and every end-to-end CLI script, TEST_JOBS
# at a time (default: the number of cores), then print the output of any
# that failed and one aggregate line "N passed, N failed" (exit 1 if
# anything failed). Each program's line, printed as it ends, carries its
# wall time, so CI logs show what is slow. The programs are independent:
# each script works in a temporary folder of its own.
BUILD=${1:-build}
export BUILD
JOBS=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
out=$(mktemp -d)
# Compiled-table cache of the run's own (cli/rules_cache.c): hermetic.
# Programs that share it write tables by rename, never in place.
TRIAGE_CACHE_DIR=$(mktemp -d)
export TRIAGE_CACHE_DIR
trap 'rm -rf "$out" "$TRIAGE_CACHE_DIR"' EXIT

# Longest first, so the last to start is a short one.
list() {
    echo tests/e2e/rules.sh
    for t in "$BUILD"/tests/test_*; do
        [ -x "$t" ] && echo "$t"
    done
    for t in tests/e2e/*.sh; do
        case $(basename "$t") in lib.sh|rules.sh) ;; *) echo "$t" ;; esac
    done
}

list | xargs -P "$JOBS" -I {} sh tests/run_one.sh {} "$out"
passed=0
failed=0
for t in $(list); do
    case $t in *.sh) name=$(basename "$t" .sh) ;; *) name=$(basename "$t") ;; esac
    if [ ! -f "$out/$name.res" ]; then
        echo "$t: did not run"
        failed=$((failed + 1))
        continue
    fi
    read -r p f < "$out/$name.res"
    [ "$f" -ne 0 ] && { echo "---- $t"; cat "$out/$name.log"; }
    passed=$((passed + p))
    failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# tsan_run.sh PROGRAM - run a ThreadSanitizer test program (make tsan).
# GCC 12's TSan cannot start where the kernel randomises mmap with more
# bits than it expects (vm.mmap_rnd_bits above 28 or so): then run it
# again with address randomisation off (setarch -R), and if it still
# cannot start (or setarch is not allowed), say so loudly and pass. Once
# the program has started, a race report or a failed test fails.
bin=$1
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
export TSAN_OPTIONS="halt_on_error=1 ${TSAN_OPTIONS:-}"

started() { grep -q '^\[==========\]' "$out"; }

"$bin" >"$out" 2>&1
rc=$?
if ! started; then
    echo "tsan_run: $bin did not start under TSan (vm.mmap_rnd_bits=$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null)); again with setarch -R"
    setarch "$(uname -m)" -R "$bin" >"$out" 2>&1
    rc=$?
fi
cat "$out"
if ! started; then
    echo "tsan_run: SKIPPED: ThreadSanitizer cannot start on this machine"
    exit 0
fi
exit $rc

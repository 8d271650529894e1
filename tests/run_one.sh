#!/bin/sh
# run_one.sh TEST OUTDIR - run one cmocka program or end-to-end script for
# tests/run.sh, print its line "unit|e2e NAME: N passed, N failed (S s)"
# and leave its counts in OUTDIR/NAME.res and its output in OUTDIR/NAME.log.
t=$1
out=$2
case $t in
    *.sh) kind=e2e; name=$(basename "$t" .sh) ;;
    *) kind=unit; name=$(basename "$t") ;;
esac
log=$out/$name.log
t0=$(date +%s)
if [ $kind = unit ]; then
    "$t" >"$log" 2>&1
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
else
    sh "$t" >"$log" 2>&1
    rc=$?
    p=$(grep -c '^PASS ' "$log")
    f=$(grep -c '^FAIL ' "$log")
fi
p=${p:-0}
f=${f:-0}
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1    # crashed or exited before it could count
fi
echo "$p $f" > "$out/$name.res"
echo "$kind $name: $p passed, $f failed ($(($(date +%s) - t0)) s)"

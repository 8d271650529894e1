# fuzz_replay.sh - every seed (fuzz/corpus/NAME) and every saved crash
# (fuzz/crashes/NAME) through the fuzz harnesses, built without libFuzzer
# against this build ($BUILD: build, or build-asan under `make asan`), so
# a fixed crash stays fixed. `make test` builds the drivers (mk/fuzz.mk).
. tests/e2e/lib.sh
NAMES="compile load classify batch relax"

missing=
for n in $NAMES; do
    [ -x "$BUILD/fuzz/replay_$n" ] || missing=1
done
[ -f "$BUILD/fuzz/seeds/load/.stamp" ] || missing=1
if [ -n "$missing" ]; then
    # Run on its own: build them with the flags this build was made with.
    make -s fuzz-replay-build BUILD="$BUILD" >"$TMP/make" 2>&1 ||
        fail "fuzz replay drivers build" "$(tail -n 5 "$TMP/make")"
fi

for n in $NAMES; do
    bin=$BUILD/fuzz/replay_$n
    if [ ! -x "$bin" ]; then
        fail "fuzz replay $n" "no $bin (make fuzz-replay-build BUILD=$BUILD)"
        continue
    fi
    extra=
    [ $n = load ] && extra=$BUILD/fuzz/seeds/load
    # The classify harness compiles the shipped rules unless told otherwise.
    TRIAGE_FUZZ_RULES=${TRIAGE_FUZZ_RULES:-rules} \
        "$bin" fuzz/corpus/$n fuzz/crashes/$n $extra >"$TMP/out" 2>"$TMP/err"
    rc=$?
    count=$(sed -n 's/.*: \([0-9][0-9]*\) inputs replayed$/\1/p' "$TMP/out")
    if [ $rc -ne 0 ]; then
        fail "fuzz replay $n" "exit $rc; last input and report: $(grep '^replay ' "$TMP/err" | tail -n 1) $(grep -v '^replay ' "$TMP/err" | grep -E 'ERROR|SUMMARY|runtime error|Assertion' | head -n 3)"
    elif [ "${count:-0}" -eq 0 ]; then
        fail "fuzz replay $n" "no input replayed"
    else
        pass "fuzz replay $n ($count inputs)"
    fi
done

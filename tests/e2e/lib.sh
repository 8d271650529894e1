# lib.sh - helpers for end-to-end CLI tests. Each check prints one line,
# "PASS name" or "FAIL name: why", which tests/run.sh counts.
BUILD=${BUILD:-build}
TRIAGE="$PWD/$BUILD/triage"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# expect_exit NAME CODE CMD... : the command exits with CODE.
expect_exit() {
    name=$1; want=$2; shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    got=$?
    if [ "$got" -eq "$want" ]; then pass "$name"
    else fail "$name" "exit $got, want $want; stderr: $(head -c 400 "$TMP/err")"; fi
}

# expect_out NAME PATTERN FILE : FILE (out or err of the last command)
# matches the extended regex PATTERN.
expect_grep() {
    name=$1; pat=$2; file=$3
    if grep -Eq -- "$pat" "$file"; then pass "$name"
    else fail "$name" "no /$pat/ in $(head -c 400 "$file")"; fi
}

expect_no_grep() {
    name=$1; pat=$2; file=$3
    if grep -Eq -- "$pat" "$file"; then fail "$name" "unexpected /$pat/ in $(head -c 400 "$file")"
    else pass "$name"; fi
}

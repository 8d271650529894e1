# learn.sh - `triage learn`: the shipped models are what the development
# halves give, bad corpus lines stop the run with their position, and a
# learned file is a rule file that changes results.
. tests/e2e/lib.sh

# The shipped models must be reproducible from the corpus (make learn, with
# the Makefile's LEARN_AXES, and severity with --min-count 1).
learned_is_reproducible() {   # FILE LEARN-OPTIONS...
    f=$1; shift
    "$TRIAGE" learn "$@" -o "$TMP/$f" corpus/dev*.jsonl 2>"$TMP/err"
    if cmp -s "$TMP/$f" "rules/learned/$f"; then
        pass "rules/learned/$f is what make learn writes"
    else
        fail "rules/learned/$f is what make learn writes" "run make learn"
    fi
}
learned_is_reproducible bayes.yaml --axis type --axis nature
learned_is_reproducible bayes_severity.yaml --axis severity --min-count 1
printf '%s\n' '{"id":"a","text":"快递没到","type":"logistics","nature":"formal","temperament":"phlegmatic","severity":"low"}' \
    '{"id":"b","text":"多收了钱","nature":"formal","temperament":"phlegmatic","severity":"low"}' > "$TMP/c.jsonl"
expect_exit "a case without a label stops learn" 4 "$TRIAGE" learn "$TMP/c.jsonl"
expect_grep "the error names file and line" "c.jsonl:2:1: error: case has no \"type\" label" "$TMP/err"
expect_exit "only the axes asked for are needed" 0 "$TRIAGE" learn --axis nature "$TMP/c.jsonl"
expect_grep "one model per axis asked" "id: bayes.nature" "$TMP/out"
expect_no_grep "no model for axes not asked" "bayes.type" "$TMP/out"
printf '{"id":"x","text":"oops"\n' > "$TMP/bad.jsonl"
expect_exit "invalid JSON stops learn" 4 "$TRIAGE" learn "$TMP/bad.jsonl"
expect_grep "invalid JSON is located" "bad.jsonl:1:[0-9]*: error:" "$TMP/err"
expect_exit "an unknown axis is a usage error" 2 "$TRIAGE" learn --axis level "$TMP/c.jsonl"
expect_exit "a weight out of range is a usage error" 2 "$TRIAGE" learn --weight 500 "$TMP/c.jsonl"

# A learned model makes a difference a rule author can see.
mkdir -p "$TMP/r"
printf 'rules:\n  - id: t.late\n    type: logistics\n    match: { any: [迟迟] }\n' > "$TMP/r/rules.yaml"
printf '%s\n' '{"text":"多收了我十块钱","type":"price_refund"}' \
    '{"text":"结账多收钱","type":"price_refund"}' \
    '{"text":"快递迟迟没到","type":"logistics"}' > "$TMP/p.jsonl"
"$TRIAGE" learn --axis type --min-count 1 -o "$TMP/r/bayes.yaml" "$TMP/p.jsonl" 2>"$TMP/err"
expect_grep "learn reports what it counted" "3 complaints from 1 file" "$TMP/err"
expect_exit "the learned file compiles with the rules" 0 "$TRIAGE" classify -r "$TMP/r" "又多收我钱"
expect_grep "the model decides where no rule fired" '"type":"price_refund"' "$TMP/out"
"$TRIAGE" explain -r "$TMP/r" "又多收我钱" > "$TMP/out" 2>&1
expect_grep "explain shows the model and its tokens" "bayes.type: price_refund .*tokens .*多收" "$TMP/out"

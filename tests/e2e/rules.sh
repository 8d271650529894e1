# rules.sh - the shipped rule set as a product: it compiles cleanly, lint
# finds nothing, no script says a forbidden phrase, the frozen test half is
# unchanged, and quality stays above the floors measured when they were set
# (regression gates; the issue's target bars are tracked in the notes).
. tests/e2e/lib.sh

expect_exit "shipped rules compile without warnings" 0 "$TRIAGE" compile rules/
expect_no_grep "no compile warnings" "warning:" "$TMP/err"
expect_exit "lint rules/ is clean" 0 "$TRIAGE" lint rules/
expect_grep "lint prints zero findings" "^0 finding" "$TMP/out"

want=$(sed -n 's/.*sha256 \([0-9a-f]*\)  test.jsonl.*/\1/p' corpus/README.md)
got=$(sha256sum corpus/test.jsonl | cut -d' ' -f1)
if [ -n "$want" ] && [ "$want" = "$got" ]; then pass "frozen test half unchanged"
else fail "frozen test half unchanged" "README says $want, file is $got"; fi

cat corpus/*.jsonl | sed -n 's/^{"id": *"\([^"]*\)".*/\1/p' > "$TMP/ids"
dups=$(sort "$TMP/ids" | uniq -d | head -3)
n_ids=$(wc -l < "$TMP/ids")
if [ -z "$dups" ] && [ "$n_ids" -eq "$(cat corpus/*.jsonl | grep -c .)" ]; then
    pass "corpus ids are unique across files"
else
    fail "corpus ids are unique across files" "repeated: $dups; $n_ids ids"
fi

expect_exit "dev halves above their floors" 0 "$TRIAGE" test --quiet \
    --min-f1 type=0.96 --min-accuracy escalation=0.965 \
    --min-recall escalation:L4=1 corpus/dev.jsonl corpus/dev2.jsonl
expect_exit "third and fourth dev sets above their floors" 0 "$TRIAGE" test --quiet \
    --min-f1 type=0.98 --min-accuracy escalation=0.965 \
    --min-recall escalation:L4=1 corpus/dev3.jsonl corpus/dev4.jsonl
expect_exit "fifth and sixth dev sets above their floors" 0 "$TRIAGE" test --quiet \
    --min-f1 type=0.965 --min-accuracy escalation=0.97 \
    --min-recall escalation:L4=1 corpus/dev5.jsonl corpus/dev6.jsonl
expect_exit "seventh dev set above its floors" 0 "$TRIAGE" test --quiet \
    --min-f1 type=0.945 --min-accuracy escalation=0.94 \
    --min-recall escalation:L4=1 corpus/dev7.jsonl
expect_exit "eighth dev set above its floors" 0 "$TRIAGE" test --quiet \
    --min-f1 type=0.975 --min-accuracy escalation=0.925 \
    --min-recall escalation:L4=1 corpus/dev8.jsonl
expect_exit "ninth dev set above its floors" 0 "$TRIAGE" test --quiet \
    --min-f1 type=0.965 --min-accuracy escalation=0.915 \
    --min-recall escalation:L4=1 corpus/dev9.jsonl
expect_exit "tenth dev set above its floors" 0 "$TRIAGE" test --quiet \
    --min-f1 type=0.965 --min-accuracy escalation=0.93 \
    --min-recall escalation:L4=1 corpus/dev10.jsonl
expect_exit "eleventh dev set above its floors" 0 "$TRIAGE" test --quiet \
    --min-f1 type=0.965 --min-accuracy escalation=0.93 \
    --min-recall escalation:L4=1 corpus/dev11.jsonl
expect_exit "test half above its floors" 0 "$TRIAGE" test --quiet \
    --min-f1 type=0.87 --min-accuracy escalation=0.83 \
    --min-recall escalation:L4=0.95 corpus/test.jsonl
expect_exit "sample triage" 0 "$TRIAGE" batch --quiet corpus/sample.jsonl
if [ "$(wc -l < "$TMP/out")" -eq "$(wc -l < corpus/sample.jsonl)" ]; then
    pass "sample: one result per complaint"
else
    fail "sample: one result per complaint" "$(wc -l < "$TMP/out") lines"
fi
expect_grep "child swallowing medicine is an emergency" '"id":"s-007".*"level":"L4"' "$TMP/out"
expect_grep "traditional complaint gets traditional scripts" '"id":"s-005".*"lang":"zh-Hant"' "$TMP/out"

# 都没 / 也没 negate backwards ("过敏也没") and forwards ("也没头疼").
"$TRIAGE" explain '效果一般，不过也没头疼' > "$TMP/out" 2>&1
expect_grep "also-not negates what follows" '"头疼" at [0-9-]+ negated' "$TMP/out"
"$TRIAGE" explain '吃了三天，过敏也没出现，头疼也没' > "$TMP/out" 2>&1
expect_no_grep "also-not negates what precedes" '"(过敏|头疼)" at [0-9-]+$' "$TMP/out"

# A short cry about a child in danger is not an outburst to vent.
"$TRIAGE" classify '孩子刚才把半瓶止咳糖浆喝了，现在一直吐，嘴唇发紫' > "$TMP/out" 2>&1
expect_grep "child emergency is L4" '"level":"L4"' "$TMP/out"
expect_no_grep "child emergency is not venting" '"nature":"venting"' "$TMP/out"

for reply in "这是我们公司的规定，你自己看说明书" "This is not my department, I don't know."; do
    "$TRIAGE" check-reply "$reply" > "$TMP/out" 2>&1
    if [ $? -eq 1 ]; then pass "check-reply flags: $reply"; else fail "check-reply flags: $reply" "$(cat "$TMP/out")"; fi
done
expect_exit "check-reply passes a good reply" 0 "$TRIAGE" check-reply "非常抱歉给您带来不便，我们会在24小时内回电。"
expect_exit "follow-up wording is a warning" 0 "$TRIAGE" check-reply --followup "您的病好了吗？"
expect_grep "follow-up wording names the word" '^[0-9]+-[0-9]+: warning: .*\("病"\)' "$TMP/out"

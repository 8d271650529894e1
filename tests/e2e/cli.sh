# cli.sh - end-to-end tests of the triage command line on fixture rules
# (tests/data/classify.yaml and friends, never the shipped rules/):
# classify, explain, compile and tables, check-reply, usage and exit codes.
. tests/e2e/lib.sh
D=tests/data
R=$D/classify.yaml
# Commands without -r search $TRIAGE_RULES first: keep them off rules/.
TRIAGE_RULES=$PWD/$D/minimal.yaml
export TRIAGE_RULES

# expect_same NAME FILE1 FILE2 : the two files are byte for byte equal.
expect_same() {
    if cmp -s "$2" "$3"; then pass "$1"
    else fail "$1" "$(head -c 300 "$2") vs $(head -c 300 "$3")"; fi
}

# ---- classify ----------------------------------------------------------

expect_exit "classify text argument" 0 "$TRIAGE" classify -r $R 我吃了这个药以后过敏了
expect_grep "classify prints the type" '^\{"schema_version":1,"type":"adverse_reaction","confidence":0\.750,' "$TMP/out"
expect_grep "classify prints the escalation" '"escalation":\{"level":"L3","team":"pharmacovigilance","respond_within_hours":2,"row":"adr_high"\}' "$TMP/out"
expect_grep "classify prints the hit span" '"rule":"adr.allergy","spans":\[\[24,30\]\],"text":"过敏"' "$TMP/out"
expect_grep "classify names the rule set" '"ruleset":\{"name":"test-classify","version":"1.2.3"' "$TMP/out"
cp "$TMP/out" "$TMP/arg.json"
[ "$(wc -l < "$TMP/out")" -eq 1 ] && pass "classify prints one line" || fail "classify prints one line" "$(wc -l < "$TMP/out") lines"

printf '我吃了这个药以后过敏了' > "$TMP/in.txt"
expect_exit "classify standard input" 0 "$TRIAGE" classify -r $R < "$TMP/in.txt"
expect_same "stdin and argument give the same JSON" "$TMP/out" "$TMP/arg.json"

expect_exit "classify with --id" 0 "$TRIAGE" classify -r $R --id 'case "7"' 没效果
expect_grep "classify writes the id escaped" '^\{"schema_version":1,"id":"case \\"7\\"","type":"efficacy"' "$TMP/out"

expect_exit "classify joins words" 0 "$TRIAGE" classify -r $R no rash
expect_grep "English negation" '"negated":true' "$TMP/out"
expect_grep "negated text matches nothing" '"flags":\["no_match"\]' "$TMP/out"

printf '' > "$TMP/empty.txt"
expect_exit "classify empty input" 0 "$TRIAGE" classify -r $R < "$TMP/empty.txt"
expect_grep "empty input gives the defaults" '"type":"other".*"flags":\["no_match"\]' "$TMP/out"

printf '\377\376过敏\200' > "$TMP/bad-utf8.txt"
expect_exit "classify invalid UTF-8" 0 "$TRIAGE" classify -r $R < "$TMP/bad-utf8.txt"
expect_grep "invalid UTF-8 is flagged and matched" '"hits":\[\{"rule":"adr.allergy","spans":\[\[2,8\]\].*"flags":\["invalid_utf8"\]' "$TMP/out"

expect_exit "classify traditional text" 0 "$TRIAGE" classify -r $R 我過敏了
expect_grep "traditional complaint gets the converted script" '"lang":"zh-Hant","text":"請您放心，我們會立即處理"' "$TMP/out"

expect_exit "classify unknown option" 2 "$TRIAGE" classify --frobnicate -r $R 过敏
expect_grep "unknown option is named" "unknown option '--frobnicate'" "$TMP/err"

# ---- explain -----------------------------------------------------------

expect_exit "explain" 0 env NO_COLOR=1 "$TRIAGE" explain -r $R 吃了以后没有过敏，但是没效果
expect_grep "explain shows the type" '^type +efficacy \(confidence 0\.67\)' "$TMP/out"
expect_grep "explain folds a rule that did not fire into one line" '^  - adr.allergy +"过敏" negated$' "$TMP/out"
expect_no_grep "explain leaves out the trace of rules that did not fire" '✗ adr.allergy' "$TMP/out"
expect_grep "explain marks the counted hit" '\+ efficacy.none +"没效果" at 33-42$' "$TMP/out"
expect_grep "explain lists the fired rule" '✓ efficacy.none: fired' "$TMP/out"
expect_grep "explain lists the cue" 'negation cue "没有" at 12-18' "$TMP/out"
expect_grep "explain says why a cue was left out" '✗ negation cue "没" at 33-36 left out: it overlaps the keyword "没效果"' "$TMP/out"
expect_grep "explain names the default row" '✓ fallback: default row' "$TMP/out"
expect_no_grep "explain without a terminal has no colour" "$(printf '\033')" "$TMP/out"
expect_exit "explain --all" 0 env NO_COLOR=1 "$TRIAGE" explain --all -r $R 吃了以后没有过敏，但是没效果
expect_grep "explain --all marks the negated hit" '- adr.allergy +"过敏" at 18-24 negated' "$TMP/out"
expect_grep "explain --all lists the rule that did not fire" '✗ adr.allergy: did not fire' "$TMP/out"
expect_no_grep "explain --all folds nothing" 'hits of rules that did not fire' "$TMP/out"

expect_exit "explain --why-not negated" 0 "$TRIAGE" explain -r $R --why-not adr.allergy 吃了以后没有过敏
expect_grep "why-not names negation" '^why not adr.allergy:' "$TMP/out"
expect_grep "why-not counts negated hits" '1 of its 1 hit\(s\) are negated' "$TMP/out"

expect_exit "explain --why-not within" 0 "$TRIAGE" explain -r $R --why-not adr.dizzy_after_pill 吃药一二三四五头晕
expect_grep "why-not gives the within distance" 'within 4 \(zh-Hans\): closest parts are 5 code points apart' "$TMP/out"

expect_exit "explain --why-not no hit" 0 "$TRIAGE" explain -r $R --why-not refund.ask 没效果
expect_grep "why-not says nothing occurs" 'none of its keywords or regexes occurs in the text' "$TMP/out"

expect_exit "explain --why-not none" 0 "$TRIAGE" explain -r $R --why-not refund.ask 已退款了，但是我还要退款
expect_grep "why-not names the word that vetoed the rule" "an item of 'none' is present: keyword \"已退款\"" "$TMP/out"

# A nested condition in 'none', with its own modes: the veto still names
# its word, and a negated 已退款 vetoes because that condition counts it.
cat > "$TMP/nested.yaml" <<'EOF'
rules:
  - id: refund.nested
    type: other
    match: { any: [退款], none: [{ any: [已退款, 退过款], negated: include }] }
EOF
expect_exit "explain --why-not nested none" 0 "$TRIAGE" explain -r "$TMP/nested.yaml" --why-not refund.nested 不是已退款了吗，我要退款
expect_grep "why-not names the word of a nested condition" "an item of 'none' is present: a nested condition holds: keyword \"已退款\"" "$TMP/out"

cat > "$TMP/modes.yaml" <<'EOF'
lists:
  - id: symptom
    match: { any: [过敏, 头晕] }
rules:
  - id: inq.denied_list
    type: inquiry
    match: { all: [{ list: symptom, negated: only }, '?'], none: [{ list: symptom }] }
  - id: inq.denied
    type: inquiry
    match: { all: [{ any: [过敏], negated: only }, '?'] }
EOF
expect_exit "explain --why-not part modes" 0 "$TRIAGE" explain -r "$TMP/modes.yaml" --why-not inq.denied 吃了以后过敏了，一天吃几粒？
expect_grep "why-not shows the modes a failed part set" "part 1 of 'all' \(negated: only\) has no counted hit" "$TMP/out"
expect_exit "explain --why-not list part" 0 "$TRIAGE" explain -r "$TMP/modes.yaml" --why-not inq.denied_list 吃了以后过敏了，一天吃几粒？
expect_grep "why-not names the list of a failed part" "part 1 of 'all' \(list 'symptom', negated: only\) has no counted hit" "$TMP/out"
expect_exit "explain --why-not list veto" 0 "$TRIAGE" explain -r "$TMP/modes.yaml" --why-not inq.denied_list 没有过敏，但是头晕，一天吃几粒？
expect_grep "why-not names the list that vetoed" "an item of 'none' is present: list 'symptom' holds: keyword \"头晕\"" "$TMP/out"

expect_exit "explain --why-not fired" 0 "$TRIAGE" explain -r $R --why-not efficacy.none 没效果
expect_grep "why-not says it fired" '^efficacy.none fired \(weight' "$TMP/out"

expect_exit "explain --why-not unknown rule" 0 "$TRIAGE" explain -r $R --why-not no.such 没效果
expect_grep "why-not says the rule does not exist" "no rule or cue called 'no.such'" "$TMP/out"

# ---- compile and tables -----------------------------------------------

mkdir "$TMP/tables"
expect_exit "compile -o" 0 "$TRIAGE" compile $R -o "$TMP/tables/c.tdb"
expect_grep "compile reports the counts" 'test-classify 1.2.3: 12 rules, .* 4 escalation rows, 7 scripts -> ' "$TMP/err"
[ -s "$TMP/tables/c.tdb" ] && pass "compile writes the table" || fail "compile writes the table" "no file"
[ "$(ls -A "$TMP/tables")" = "c.tdb" ] && pass "compile leaves no temporary file" || fail "compile leaves no temporary file" "$(ls -A "$TMP/tables")"

for text in 我吃了这个药以后过敏了 吃了以后没有过敏 藥品發霉了 没效果，我要退款 批号：AB1234有问题 "I got a rash"; do
    "$TRIAGE" classify -r $R "$text" > "$TMP/from-yaml.json" 2>/dev/null
    expect_exit "classify -t $text" 0 "$TRIAGE" classify -t "$TMP/tables/c.tdb" "$text"
    expect_same "table and YAML agree on $text" "$TMP/out" "$TMP/from-yaml.json"
done
expect_exit "explain -t" 0 "$TRIAGE" explain -t "$TMP/tables/c.tdb" 我过敏了
expect_grep "explain from a table" '✓ adr.allergy: fired' "$TMP/out"
# A table that is not a regular file (a pipe) is read, not mapped.
mkfifo "$TMP/pipe.tdb"
timeout 30 cat "$TMP/tables/c.tdb" > "$TMP/pipe.tdb" &
expect_exit "classify -t a FIFO" 0 "$TRIAGE" classify -t "$TMP/pipe.tdb" 我吃了这个药以后过敏了
"$TRIAGE" classify -t "$TMP/tables/c.tdb" 我吃了这个药以后过敏了 > "$TMP/from-file.json" 2>/dev/null
expect_same "a table from a FIFO gives the file's result" "$TMP/out" "$TMP/from-file.json"
wait

expect_exit "compile a folder" 0 "$TRIAGE" compile $D/multi
expect_grep "folder rules are counted" 'multi-fixture 7: 4 rules' "$TMP/err"

mkdir "$TMP/bad"
expect_exit "compile bad rules exits 3" 3 "$TRIAGE" compile $D/bad_rules/two_mistakes.yaml -o "$TMP/bad/x.tdb"
expect_grep "first error as file:line:col" "^$D/bad_rules/two_mistakes.yaml:4:13: error: 'heavy' is not a number \[two.first\]$" "$TMP/err"
expect_grep "second error in the same run" "^$D/bad_rules/two_mistakes.yaml:8:26: error: unknown key 'nonee' in a condition \[two.second\]$" "$TMP/err"
expect_grep "error count" '2 error\(s\); rules not compiled' "$TMP/err"
[ -z "$(ls -A "$TMP/bad")" ] && pass "failed compile writes nothing" || fail "failed compile writes nothing" "$(ls -A "$TMP/bad")"

expect_exit "compile YAML syntax error exits 3" 3 "$TRIAGE" compile $D/bad_rules/malformed_yaml.yaml
expect_grep "syntax error position" "^$D/bad_rules/malformed_yaml.yaml:5:27: error: " "$TMP/err"
expect_exit "compile bad regex exits 3" 3 "$TRIAGE" compile $D/bad_rules/bad_regex.yaml
expect_grep "regex error position" "^$D/bad_rules/bad_regex.yaml:4:21: error: bad regex at offset 7" "$TMP/err"
expect_exit "compile second default row exits 3" 3 "$TRIAGE" compile $D/bad_rules/two_defaults.yaml
expect_grep "second default row position" "^$D/bad_rules/two_defaults.yaml:10:14: error: " "$TMP/err"
expect_exit "compile without rules is a usage error" 2 "$TRIAGE" compile

cp "$TMP/tables/c.tdb" "$TMP/tables/damaged.tdb"
printf 'X' | dd of="$TMP/tables/damaged.tdb" bs=1 seek=5000 conv=notrunc 2>/dev/null
expect_exit "damaged table exits 3" 3 "$TRIAGE" classify -t "$TMP/tables/damaged.tdb" 过敏
expect_grep "damaged table: recompile" 'damaged.tdb: error: .*recompile the rules' "$TMP/err"
head -c 60 "$TMP/tables/c.tdb" > "$TMP/tables/short.tdb"
expect_exit "truncated table exits 3" 3 "$TRIAGE" classify -t "$TMP/tables/short.tdb" 过敏
expect_grep "truncated table: recompile" 'recompile the rules' "$TMP/err"
cp "$TMP/tables/c.tdb" "$TMP/tables/other.tdb"
printf '\143' | dd of="$TMP/tables/other.tdb" bs=1 seek=8 conv=notrunc 2>/dev/null
expect_exit "table of another format exits 3" 3 "$TRIAGE" classify -t "$TMP/tables/other.tdb" 过敏
expect_grep "other format: another version" 'another version; recompile the rules' "$TMP/err"
# A table saved with another Hyperscan library (its name in the header,
# the checksum over name and body to match: gzip's trailer carries that
# CRC-32) loads, its databases compiled again, and says so; compile -t
# saves it again for this library.
cp "$TMP/tables/c.tdb" "$TMP/tables/foreign.tdb"
{ printf '0.0.0 another library'; head -c 43 /dev/zero; } |
    dd of="$TMP/tables/foreign.tdb" bs=1 seek=32 conv=notrunc 2>/dev/null
{ dd if="$TMP/tables/foreign.tdb" bs=1 skip=32 count=64 2>/dev/null
  tail -c +113 "$TMP/tables/foreign.tdb"; } | gzip -c | tail -c 8 | head -c 4 |
    dd of="$TMP/tables/foreign.tdb" bs=1 seek=104 conv=notrunc 2>/dev/null
"$TRIAGE" classify -t "$TMP/tables/c.tdb" 我吃了这个药以后过敏了 > "$TMP/native.json" 2>/dev/null
expect_exit "a table of another library loads" 0 "$TRIAGE" classify -t "$TMP/tables/foreign.tdb" 我吃了这个药以后过敏了
expect_same "a table of another library classifies the same" "$TMP/out" "$TMP/native.json"
expect_grep "a table of another library: the warning" "foreign.tdb: warning: its pattern databases were built with another Hyperscan library, so they were compiled again or taken from the cache \\([0-9.]+ s\\); 'triage compile -t .*foreign.tdb -o NEW.tdb' saves" "$TMP/err"
expect_exit "a table of another library loads again" 0 "$TRIAGE" classify -t "$TMP/tables/foreign.tdb" 我吃了这个药以后过敏了
expect_same "a table of another library classifies the same from the cache" "$TMP/out" "$TMP/native.json"
expect_exit "compile -t saves it again" 0 "$TRIAGE" compile -t "$TMP/tables/foreign.tdb" -o "$TMP/tables/again.tdb"
expect_exit "the table saved again loads" 0 "$TRIAGE" classify -t "$TMP/tables/again.tdb" 我吃了这个药以后过敏了
expect_same "the table saved again classifies the same" "$TMP/out" "$TMP/native.json"
expect_no_grep "the table saved again loads without a warning" "warning" "$TMP/err"
expect_exit "compile -t without -o is a usage error" 2 "$TRIAGE" compile -t "$TMP/tables/c.tdb"
expect_exit "compile -t with rules too is a usage error" 2 "$TRIAGE" compile -t "$TMP/tables/c.tdb" -o "$TMP/tables/x.tdb" $R
printf 'x' | dd of="$TMP/tables/foreign.tdb" bs=1 seek=40 conv=notrunc 2>/dev/null
expect_exit "a library name changed in place is damage" 3 "$TRIAGE" classify -t "$TMP/tables/foreign.tdb" 过敏
expect_grep "a library name changed in place: recompile" 'foreign.tdb: error: .*recompile the rules' "$TMP/err"
expect_exit "missing table exits 4" 4 "$TRIAGE" classify -t "$TMP/tables/none.tdb" 过敏
expect_grep "a missing table says why" 'none.tdb: error: cannot read the table: No such file or directory' "$TMP/err"
expect_exit "a folder given as a table exits 4" 4 "$TRIAGE" classify -t "$TMP/tables" 过敏
expect_grep "a folder given as a table: the hint" 'Is a directory \(a folder of rules is given with -r\)' "$TMP/err"

# ---- check-reply -------------------------------------------------------

expect_exit "check-reply finds a forbidden phrase" 1 "$TRIAGE" check-reply -r $R 这件事与我无关，请冷静
expect_grep "forbidden phrase with its span" '^9-21: error: 推卸责任的说法 \("与我无关"\) \[never.not_mine\]$' "$TMP/out"
expect_grep "warning phrase too" '^27-33: warning: 不要让顾客冷静 \("冷静"\) \[warn.calm_down\]$' "$TMP/out"
expect_exit "check-reply English phrase, any case" 1 "$TRIAGE" check-reply -r $R "Sorry, NOT MY DEPARTMENT."
expect_grep "English phrase span in the original" '^7-24: error: .*\("NOT MY DEPARTMENT"\)' "$TMP/out"
expect_exit "check-reply warnings only" 0 "$TRIAGE" check-reply -r $R 请冷静
expect_exit "check-reply clean reply" 0 "$TRIAGE" check-reply -r $R 请您稍等，我们马上处理
expect_grep "clean reply" '^no problems found$' "$TMP/out"
expect_exit "check-reply follow-up phrase ignored" 0 "$TRIAGE" check-reply -r $R 请再说一遍
expect_exit "check-reply --followup" 1 "$TRIAGE" check-reply -r $R --followup 请再说一遍
expect_grep "follow-up check" '\[followup.again\]' "$TMP/out"
expect_exit "check-reply of an empty draft is a usage error" 2 sh -c "'$TRIAGE' check-reply -r $R < /dev/null"
expect_grep "the empty draft is named" "the reply is empty" "$TMP/err"

# ---- usage, version, exit codes ---------------------------------------

expect_exit "unknown command exits 2" 2 "$TRIAGE" frobnicate
expect_grep "unknown command is named" "unknown command 'frobnicate'" "$TMP/err"
expect_exit "no command exits 2" 2 "$TRIAGE"
expect_exit "--help exits 0" 0 "$TRIAGE" --help
expect_grep "--help lists commands" '^  classify ' "$TMP/out"
expect_grep "--help lists exit codes" 'exit codes: 0 ok' "$TMP/out"
expect_exit "classify --help exits 0" 0 "$TRIAGE" classify --help
expect_grep "classify --help" '^usage: triage classify' "$TMP/out"

V=$(sed -n 's/^#define TRIAGE_VERSION_STRING "\(.*\)"$/\1/p' include/triage.h)
expect_exit "--version exits 0" 0 "$TRIAGE" --version
expect_grep "--version prints the version" "^triage $V \(result schema 1\)$" "$TMP/out"
expect_grep "--version names the pattern library and CPU features" "^patterns: libhs [0-9]+\.[0-9]+\.[0-9]+.*, databases built for .+$" "$TMP/out"
expect_exit "--version with rules" 0 "$TRIAGE" --version -r $R
expect_grep "--version names the rule set" '^rules: test-classify 1.2.3 \(12 rules, hash [0-9a-f]{32}\)$' "$TMP/out"

expect_exit "missing rules file exits 4" 4 "$TRIAGE" classify -r $D/no-such-rules.yaml 过敏
expect_grep "missing rules file is named" "no-such-rules.yaml: error: cannot open" "$TMP/err"
expect_exit "missing rules folder exits 4" 4 "$TRIAGE" explain -r $D/no-such-folder 过敏
expect_exit "rules from TRIAGE_RULES" 0 "$TRIAGE" classify 吃了以后起了皮疹
expect_grep "TRIAGE_RULES rule set used" '"hits":\[\{"rule":"t.allergy"' "$TMP/out"

# Output that cannot be written (a full disk) fails the command, never a
# success with a cut file: /dev/full refuses every write with ENOSPC.
if [ -w /dev/full ]; then
    expect_exit "classify onto a full disk fails" 4 sh -c "'$TRIAGE' classify -r $R 过敏 > /dev/full"
    expect_grep "classify names the unwritable output" "cannot write the standard output: No space left on device" "$TMP/err"
    expect_exit "batch onto a full disk fails" 4 sh -c "'$TRIAGE' batch -r $R --quiet corpus/sample.jsonl > /dev/full"
    expect_grep "batch names the unwritable output once" "^triage batch: cannot write the standard output: No space left" "$TMP/err"
    expect_no_grep "batch's failure is not reported twice" "^triage: cannot write" "$TMP/err"
    expect_exit "batch -o onto a full disk fails" 4 "$TRIAGE" batch -r $R --quiet -o /dev/full corpus/sample.jsonl
    expect_grep "batch -o names the file" "cannot write /dev/full: No space left" "$TMP/err"
fi

# tools.sh - end-to-end tests of the rule author's tools and of batch:
# lint, test (bars, baseline, JSON), check-reply and batch.
. tests/e2e/lib.sh
D=tests/data

expect_exit "lint finds problems" 1 "$TRIAGE" lint $D/lint/problems.yaml
expect_grep "lint: folded duplicate" "problems.yaml:6:24: warning: keyword '假藥' is the same as '假药'" "$TMP/err"
expect_grep "lint: none shadows keyword" "problems.yaml:6:40: warning: keyword '过敏' is both required and excluded" "$TMP/err"
expect_grep "lint: regex matches anything" "problems.yaml:9:21: warning: regex '.\\+' matches every probe" "$TMP/err"
expect_grep "lint: unreachable row" "problems.yaml:20:5: warning: row can never be chosen" "$TMP/err"
expect_grep "lint: forbidden phrase in script" "problems.yaml:27:11: error: script contains" "$TMP/err"
expect_grep "lint: unused vocabulary" "type 'unused_type' is declared but" "$TMP/err"
expect_grep "lint: a condition mode that changes nothing" "problems.yaml:13:49: warning: 'negated: only' is what the condition has already" "$TMP/err"
expect_grep "lint: a regex that is a list of words" "problems.yaml:16:29: warning: regex '[(]孩子[|]小孩[)]' is only a list of words: as keywords in an any: list, Vectorscan finds them in its keyword pass with no PCRE2 run \\[d\\]" "$TMP/err"
expect_grep "lint: a word list whose word would match otherwise" "problems.yaml:16:51: warning: regex '.b[(]son[|]kid[)].b[|]bb' is only a list of words: .* [(]but as a keyword, 'bb' would match whole words only[)] \\[d\\]" "$TMP/err"
expect_grep "lint: count" "^9 finding" "$TMP/out"
expect_exit "lint clean file" 0 "$TRIAGE" lint $D/corpus/min.yaml

expect_exit "test meets bars" 0 "$TRIAGE" test -r $D/corpus/min.yaml --min-f1 type=0.9 $D/corpus/two.jsonl
expect_grep "test prints macro F1" "== type: accuracy 1.000, macro F1 1.000" "$TMP/out"
expect_grep "test lists misses with fired rules" "b .*two.jsonl:2 want product_quality/L3 got product_quality/L0; fired: t.mold" "$TMP/out"
expect_exit "test misses a recall bar" 1 "$TRIAGE" test -r $D/corpus/min.yaml --min-recall escalation:L3=1 $D/corpus/two.jsonl
expect_grep "test names the missed bar" "bar missed: recall escalation:L3 = 0.000 < 1.000" "$TMP/err"
expect_exit "test --json" 0 "$TRIAGE" test --json -r $D/corpus/min.yaml $D/corpus/two.jsonl
expect_grep "test --json has rules" '"rule": "t.mold"' "$TMP/out"
expect_exit "test --baseline" 1 "$TRIAGE" test -r $D/corpus/min.yaml --baseline $D/lint/problems.yaml --min-accuracy escalation=1 $D/corpus/two.jsonl
expect_grep "baseline reports changes" "fixed|broke|changed" "$TMP/out"
expect_grep "baseline reports under-escalation" "UNDER-ESCALATED b" "$TMP/out"
# Types no case expects are columns of the confusion matrix, every one of
# them, so that no case drops out of it.
expect_exit "test: types only got" 1 "$TRIAGE" test -r $D/corpus/min.yaml --min-accuracy type=1 $D/corpus/unexpected.jsonl
expect_grep "confusion: a column per type got" "^ +other facil adver produ$" "$TMP/out"
expect_grep "confusion: each case placed" "^other +0 +0 +1 +1$" "$TMP/out"
expect_grep "confusion: a case wanting another type" "^facility +0 +0 +1 +0$" "$TMP/out"
expect_grep "rule frequencies: fired and agreeing" "^ +2 +1  t\\.allergy$" "$TMP/out"
expect_grep "rule frequencies: fired, label never agrees" "^ +2 +0  t\\.mold$" "$TMP/out"
expect_exit "test broken corpus line" 4 "$TRIAGE" test -r $D/corpus/min.yaml $D/corpus/broken.jsonl
expect_grep "broken corpus names file and line" "broken.jsonl:1:[0-9]+: error:" "$TMP/err"
expect_exit "a case with no label stops test" 4 "$TRIAGE" test -r $D/corpus/min.yaml $D/corpus/unlabelled.jsonl
expect_grep "the unlabelled case is located" "unlabelled.jsonl:1:1: error: case has no label on any axis" "$TMP/err"
expect_exit "a directory given as a corpus stops test" 4 "$TRIAGE" test $D/corpus
expect_grep "the directory is named, with a hint" "corpus:1: error: cannot read: Is a directory \\(rules are given with -r" "$TMP/err"
# A case unlabelled on an axis counts neither for nor against it there.
expect_exit "partial labels: type precision counts labelled cases only" 0 \
    "$TRIAGE" test -r $D/corpus/min.yaml --min-f1 type=1 $D/corpus/partial.jsonl
expect_grep "an axis nobody labelled says so" "== nature: no case is labelled on this axis" "$TMP/out"
expect_exit "a bar on an unlabelled axis is missed" 1 \
    "$TRIAGE" test -r $D/corpus/min.yaml --min-accuracy nature=0.5 $D/corpus/partial.jsonl
expect_grep "the missed bar says nothing was labelled" "no case is labelled on this axis" "$TMP/err"

expect_exit "test --profile" 0 "$TRIAGE" test --quiet --profile=1 -r $D/corpus/min.yaml $D/corpus/two.jsonl
expect_grep "profile names its passes" "^== profile: 2 texts x [0-9]+ passes" "$TMP/out"
expect_grep "profile splits the stages" "^  scan +[0-9.]+ +[0-9.]+%" "$TMP/out"
expect_grep "profile splits the scan: words" "^    words +[0-9.]+ +[0-9.]+%  keywords and context cues$" "$TMP/out"
expect_grep "profile splits the scan: regex prefilters" "^    regexes +[0-9.]+ +[0-9.]+%  regex prefilters$" "$TMP/out"
expect_grep "profile ranks a rule with its place" "^  t\.(allergy|mold) .*min\.yaml:[0-9]+$" "$TMP/out"
if [ "$(grep -c 'min\.yaml:' "$TMP/out")" = 1 ]; then pass "--profile=1 lists one rule"
else fail "--profile=1 lists one rule" "$(cat "$TMP/out")"; fi
expect_exit "test --profile --json" 0 "$TRIAGE" test --json --profile -r $D/corpus/min.yaml $D/corpus/two.jsonl
expect_grep "JSON profile member" '"slowest_rules": \[' "$TMP/out"
expect_grep "JSON profile splits the scan" '"regex_prefilters": [0-9.e-]+' "$TMP/out"
expect_exit "--profile=0 is a usage error" 2 "$TRIAGE" test --profile=0 -r $D/corpus/min.yaml $D/corpus/two.jsonl
expect_grep "--profile=0 says why" "positive count" "$TMP/err"
expect_exit "explain --profile" 0 env NO_COLOR=1 "$TRIAGE" explain --profile=2 -r $D/corpus/min.yaml 药品发霉了
expect_grep "explain --profile times the regex rule" "^  t\.mold .* 1 +1 +1  .*min\.yaml" "$TMP/out"
expect_grep "explain --profile lists the regex with its rule and runs" "^ +[0-9.]+ +[0-9.]+ +1  t\.mold +药品\.\{0,4\}发霉$" "$TMP/out"
expect_exit "test --profile --json, regexes" 0 "$TRIAGE" test --json --profile -r $D/corpus/min.yaml $D/corpus/two.jsonl
sed -n '/"slowest_regexes"/,/]/p' "$TMP/out" >"$TMP/rx"
expect_grep "JSON profile lists the regex" '^ +"regex": "药品\.\{0,4\}发霉",$' "$TMP/rx"
expect_grep "JSON profile names the regex's rule" '^ +"rule": "t\.mold",$' "$TMP/rx"
expect_grep "JSON profile counts its runs a pass" '^ +"runs": 1$' "$TMP/rx"
expect_grep "JSON profile times a run" '^ +"us_per_run": [0-9.e-]+,$' "$TMP/rx"

expect_exit "classify --hits counted" 0 "$TRIAGE" classify --hits counted -r tests/data/classify.yaml 吃了过敏，没有皮疹
expect_grep "counted hits only" '"hits":\[\{"rule":"adr.allergy","spans":\[\[6,12\]\][^]]*\],"fields"' "$TMP/out"
expect_exit "classify --hits none" 0 "$TRIAGE" classify --hits none -r tests/data/classify.yaml 吃了过敏
expect_grep "no hits, member kept" '"hits":\[\],' "$TMP/out"
expect_exit "--hits with a bad value" 2 "$TRIAGE" classify --hits some -r tests/data/classify.yaml 过敏
expect_grep "--hits names the choices" "all, fired, counted or none" "$TMP/err"
printf '%s\n' '{"id":"h1","text":"吃了过敏，没有皮疹，看了说明书"}' > "$TMP/hits.jsonl"
expect_exit "batch --hits all" 0 "$TRIAGE" batch --quiet --hits all -r tests/data/classify.yaml "$TMP/hits.jsonl"
expect_grep "all: a hit of a rule that did not fire" '"rule":"service.no_leaflet"' "$TMP/out"
expect_exit "batch --hits fired" 0 "$TRIAGE" batch --quiet --hits fired -r tests/data/classify.yaml "$TMP/hits.jsonl"
expect_no_grep "fired: no hits of rules that did not fire" '"rule":"service.no_leaflet"' "$TMP/out"
expect_grep "fired: uncounted hits of fired rules stay" '"rule":"adr.allergy"[^}]*"counted":false' "$TMP/out"
cp "$TMP/out" "$TMP/out.fired"
expect_exit "batch, default hits" 0 "$TRIAGE" batch --quiet -r tests/data/classify.yaml "$TMP/hits.jsonl"
if cmp -s "$TMP/out" "$TMP/out.fired"; then pass "batch lists the hits of fired rules by default"; else fail "batch lists the hits of fired rules by default" "$(cat "$TMP/out")"; fi

printf '编号,日期,投诉内容,客户\r\n1,2024-03-05,"吃了过敏, 起疹子",138\r\n2,2024/3/6,药品发霉了,138\r\n3,2024年4月1日,,138\r\n' > "$TMP/log.csv"
expect_exit "batch with an empty text cell" 5 "$TRIAGE" batch -r $D/corpus/min.yaml -o "$TMP/out.jsonl" --summary "$TMP/sum.json" "$TMP/log.csv"
expect_grep "batch counts add up" "read 3 = triaged 2 \\+ error records 1" "$TMP/err"
if [ "$(wc -l < "$TMP/out.jsonl")" -eq 3 ]; then pass "batch one output per input"; else fail "batch one output per input" "$(wc -l < "$TMP/out.jsonl") lines"; fi
expect_grep "batch error record" '"id":"3".*"line":4.*"error":"empty text"' "$TMP/out.jsonl"
expect_grep "batch keeps order" '^\{"id":"1"' "$TMP/out.jsonl"
expect_grep "summary repeat customer" '"value": "138"' "$TMP/sum.json"
expect_grep "summary by month" '"value": "2024-03"' "$TMP/sum.json"
if ls "$TMP"/out.jsonl.tmp* >/dev/null 2>&1; then fail "batch leaves no temp file" "found"; else pass "batch leaves no temp file"; fi
printf '{"id":"a","text":"吃了过敏"}\n' | "$TRIAGE" batch -r $D/corpus/min.yaml --format jsonl - > "$TMP/o2" 2>/dev/null
expect_grep "batch reads standard input" '"type":"adverse_reaction"' "$TMP/o2"

# Threads give the same output, in input order, as one thread.
i=0; : > "$TMP/many.txt"
while [ $i -lt 3000 ]; do echo "第${i}条：吃了药以后过敏，药品也发霉了" >> "$TMP/many.txt"; i=$((i + 1)); done
"$TRIAGE" batch -r $D/corpus/min.yaml --format text --quiet --threads 1 "$TMP/many.txt" > "$TMP/t1" 2>/dev/null
"$TRIAGE" batch -r $D/corpus/min.yaml --format text --quiet --threads 2 "$TMP/many.txt" > "$TMP/t2" 2>/dev/null
if cmp -s "$TMP/t1" "$TMP/t2" && [ "$(wc -l < "$TMP/t2")" -eq 3000 ]; then pass "batch threads identical"; else fail "batch threads identical" "outputs differ"; fi
expect_grep "batch order kept" '"id":"3000","source":\{[^}]*"line":3000' "$TMP/t2"

expect_exit "batch csv output" 5 "$TRIAGE" batch -r $D/corpus/min.yaml --output-format csv --bom --keep 客户 "$TMP/log.csv"
expect_grep "csv header with kept column" "^.?.?.?id,客户,type,confidence,nature" "$TMP/out"
expect_grep "csv error record" '^3,138,,,,,,,,,,,,empty text' "$TMP/out"
if head -c 3 "$TMP/out" | od -An -tx1 | grep -q "ef bb bf"; then pass "csv bom"; else fail "csv bom" "no BOM"; fi

printf '电话13800001234 邮箱 zhang.san@example.com 身份证11010119900307123X 吃了过敏\n' > "$TMP/pii.txt"
"$TRIAGE" batch -r $D/corpus/min.yaml --format text --redact "$TMP/pii.txt" > "$TMP/red" 2>/dev/null
expect_no_grep "redact phone" "13800001234" "$TMP/red"
expect_no_grep "redact id number" "11010119900307123X" "$TMP/red"
expect_no_grep "redact e-mail" "zhang.san@example" "$TMP/red"
expect_grep "redact keeps spans valid" '"spans":\[\[[0-9]+,[0-9]+\]\],"text":"过敏"' "$TMP/red"

printf 'id,date,text\n1,2024-03-05,吃了过敏\n2,03/05/2024,药品发霉\n3,昨天,退款\n' > "$TMP/dates.csv"
# A text summary lists the first 50 top-level ids and says where the rest are.
printf 'vocabulary:\n  levels:\n    - { id: L1, team: cs, hours: 24 }\n    - { id: L4, team: er, hours: 1 }\nrules:\n  - id: crit\n    severity: critical\n    match: { any: [洗胃] }\nescalation:\n  - { id: e.crit, when: { severity: critical }, level: L4 }\n  - { default: true, level: L1 }\n' > "$TMP/crit.yaml"
i=0; while [ $i -lt 60 ]; do echo "孩子误吞了药，正在洗胃"; i=$((i + 1)); done > "$TMP/crit.txt"
expect_exit "batch with 60 top-level cases" 0 "$TRIAGE" batch -r "$TMP/crit.yaml" --quiet -o "$TMP/crit.jsonl" --summary "$TMP/crit.sum" "$TMP/crit.txt"
expect_grep "text summary lists 50 ids and counts the rest" '^L4 cases \(60\): 1 2 3 .* 50 \.\.\. and 10 more' "$TMP/crit.sum"
# So does its list of repeat customers; the .json summary has them all.
{ echo "id,customer,text"; i=0; while [ $i -lt 130 ]; do echo "$i,c$((i % 65)),吃了过敏"; i=$((i + 1)); done; } > "$TMP/repeat.csv"
"$TRIAGE" batch -r $D/corpus/min.yaml --quiet -o /dev/null --summary "$TMP/repeat.sum" "$TMP/repeat.csv" 2>/dev/null
"$TRIAGE" batch -r $D/corpus/min.yaml --quiet -o /dev/null --summary "$TMP/repeat.json" "$TMP/repeat.csv" 2>/dev/null
expect_grep "text summary lists 50 repeat customers" '^  \.\.\. and 15 more \(all of them in a \.json summary\)' "$TMP/repeat.sum"
if [ "$(grep -c '^  c[0-9]* *2 ' "$TMP/repeat.sum")" -eq 50 ] &&
   [ "$(grep -c '"value": "c[0-9]*"' "$TMP/repeat.json")" -eq 65 ]; then
    pass "json summary lists all 65 repeat customers"
else
    fail "json summary lists all 65 repeat customers" "text $(grep -c '^  c[0-9]' "$TMP/repeat.sum"), json $(grep -c '"value": "c' "$TMP/repeat.json")"
fi
# The .json summary is written as it goes: its strings are escaped as JSON.
printf 'id,customer,text\n1,"a""b\\c\td",吃了过敏\n2,"a""b\\c\td",吃了过敏\n' > "$TMP/esc.csv"
"$TRIAGE" batch -r $D/corpus/min.yaml --quiet -o /dev/null --summary "$TMP/esc.json" "$TMP/esc.csv" 2>/dev/null
expect_grep "json summary escapes quote, backslash, tab" '"value": "a\\"b\\\\c\\td",' "$TMP/esc.json"
expect_grep "json summary share of a whole" '"share": 1\.0$' "$TMP/esc.json"
expect_exit "unparseable dates are no error" 0 "$TRIAGE" batch -r $D/corpus/min.yaml --quiet --summary "$TMP/d.json" "$TMP/dates.csv"
expect_grep "unparseable dates warned once" 'warning: 2 date\(s\) not understood.*record 2 \(line 3\)' "$TMP/err"
expect_grep "unknown month counted" '"value": "unknown"' "$TMP/d.json"

"$TRIAGE" explain --why-not t.mold -r $D/corpus/min.yaml '吃了以后过敏，药品有点发霉' > "$TMP/why" 2>&1
expect_grep "why-not: fired but outscored" "but product_quality scored 1 in all, and the result's type is adverse_reaction" "$TMP/why"
expect_grep "why-not: deciding escalation row" "escalation was decided by row 'default'" "$TMP/why"
"$TRIAGE" explain --why-not t.allergy -r $D/corpus/min.yaml '吃了以后没有过敏' > "$TMP/why" 2>&1
expect_grep "why-not: negated" "1 of its 1 hit\\(s\\) are negated" "$TMP/why"
"$TRIAGE" explain --why-not t.allergy -r $D/corpus/min.yaml '今天天气不错' > "$TMP/why" 2>&1
expect_grep "why-not: no pattern" "none of its keywords or regexes occurs" "$TMP/why"

# A keyword that is exactly a cue word does not switch the cue off.
"$TRIAGE" explain --all -r $D/cue_keyword.yaml '吃了会不会过敏？' > "$TMP/cue" 2>&1
expect_grep "cue word as keyword keeps the cue" 'hypothetical cue "会不会"' "$TMP/cue"
expect_grep "hit under that cue stays hypothetical" '"过敏" at 15-21 hypothetical' "$TMP/cue"

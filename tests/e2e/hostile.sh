# hostile.sh - end-to-end tests with hostile input: a 500 MB line, ten
# million empty lines, NUL bytes, every class of invalid UTF-8, YAML bombs,
# damaged tables and a catastrophic regex. Nothing may crash (exit >= 128)
# or hang. HOSTILE_LINE_MB and HOSTILE_EMPTY_LINES shrink the first two for
# a quick local run (both take about 10 s under ASan at full size).
. tests/e2e/lib.sh
D=tests/data
MIN=$D/corpus/min.yaml
LINE_MB=${HOSTILE_LINE_MB:-500}
EMPTY=${HOSTILE_EMPTY_LINES:-10000000}

# ---- LINE_MB MB on one line: cut at 16 MiB and flagged, not refused.
head -c $((LINE_MB * 1048576)) /dev/zero | tr '\0' 'a' | "$TRIAGE" classify -r $MIN >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 0 ]; then pass "$LINE_MB MB line: exit 0"
else fail "$LINE_MB MB line: exit 0" "exit $rc; $(head -c 300 "$TMP/err")"; fi
expect_grep "$LINE_MB MB line: truncated flag" '"flags":\[[^]]*"truncated"' "$TMP/out"

# ---- EMPTY empty lines: as many error records, and the totals add up.
# Counted through a pipe: the records (~100 bytes of JSON each) never hit disk.
head -c "$EMPTY" /dev/zero | tr '\0' '\n' > "$TMP/empty.txt"
n=$({ "$TRIAGE" batch -r $MIN --format text --quiet "$TMP/empty.txt" 2>"$TMP/err"
      echo $? > "$TMP/rc"; } | grep -c '"error":"empty text"')
rc=$(cat "$TMP/rc")
if [ $rc -eq 5 ]; then pass "$EMPTY empty lines: exit 5 (error records)"
else fail "$EMPTY empty lines: exit 5 (error records)" "exit $rc; $(head -c 300 "$TMP/err")"; fi
expect_grep "$EMPTY empty lines: read = triaged + errors" \
    "read $EMPTY = triaged 0 \\+ error records $EMPTY" "$TMP/err"
if [ "$n" -eq "$EMPTY" ]; then pass "$EMPTY empty lines: one 'empty text' record each"
else fail "$EMPTY empty lines: one 'empty text' record each" "$n records"; fi
rm -f "$TMP/empty.txt"

# ---- NUL bytes inside a complaint count as spaces, not as its end.
printf '\000\345\220\203\344\272\206\000\350\277\207\346\225\217\000' > "$TMP/nul.txt"   # NUL吃了NUL过敏NUL
expect_exit "NUL bytes: classify exit 0" 0 sh -c '"$1" classify -r "$2" < "$3"' sh "$TRIAGE" $MIN "$TMP/nul.txt"
expect_grep "NUL bytes: text after a NUL is read" '"type":"adverse_reaction"' "$TMP/out"
printf '1,"a\000\345\220\203\344\272\206\000\350\277\207\346\225\217"\n' > "$TMP/nul.csv"
expect_exit "NUL bytes: batch exit 0" 0 "$TRIAGE" batch -r $MIN --format csv --no-header --text-col 2 --quiet "$TMP/nul.csv"
expect_grep "NUL bytes: batch classifies the record" '"type":"adverse_reaction"' "$TMP/out"

# ---- Every class of invalid UTF-8 is flagged, never a crash.
bad_utf8() {
    name=$1; bytes=$2
    printf "x\350\277\207\346\225\217 $bytes y" > "$TMP/bad.txt"   # x过敏 BYTES y
    "$TRIAGE" classify -r $MIN < "$TMP/bad.txt" >"$TMP/out" 2>"$TMP/err"
    rc=$?
    if [ $rc -ne 0 ]; then
        fail "invalid UTF-8 ($name)" "exit $rc; $(head -c 300 "$TMP/err")"
    elif ! grep -q '"invalid_utf8"' "$TMP/out"; then
        fail "invalid UTF-8 ($name)" "no invalid_utf8 flag: $(head -c 300 "$TMP/out")"
    else
        pass "invalid UTF-8 ($name)"
    fi
}
bad_utf8 "lone continuation byte" '\200'
bad_utf8 "continuation run" '\277\277\277'
bad_utf8 "overlong 2-byte" '\300\257'
bad_utf8 "overlong C1" '\301\277'
bad_utf8 "overlong 3-byte" '\340\200\257'
bad_utf8 "overlong 4-byte" '\360\200\200\257'
bad_utf8 "surrogate" '\355\240\200'
bad_utf8 "low surrogate" '\355\277\277'
bad_utf8 "above U+10FFFF" '\364\220\200\200'
bad_utf8 "F5 lead" '\365\200\200\200'
bad_utf8 "F8 lead" '\370\210\200\200\200'
bad_utf8 "FE" '\376'
bad_utf8 "FF" '\377'
bad_utf8 "truncated 2-byte" '\303'
bad_utf8 "truncated 3-byte" '\350\277'
bad_utf8 "truncated 4-byte" '\360\237\230'
# A sequence cut by the very end of the text.
printf 'x\350\277' > "$TMP/bad.txt"
expect_exit "invalid UTF-8 (truncated at end): exit 0" 0 sh -c '"$1" classify -r "$2" < "$3"' sh "$TRIAGE" $MIN "$TMP/bad.txt"
expect_grep "invalid UTF-8 (truncated at end): flag" '"invalid_utf8"' "$TMP/out"

# ---- YAML bombs: refused at a position, exit 3.
{ printf 'rules: '; i=0; while [ $i -lt 1000 ]; do printf '['; i=$((i + 1)); done
  i=0; while [ $i -lt 1000 ]; do printf ']'; i=$((i + 1)); done; echo; } > "$TMP/deep.yaml"
expect_exit "1000 nested [ refused with exit 3" 3 "$TRIAGE" compile "$TMP/deep.yaml" -o "$TMP/deep.tdb"
expect_grep "nested YAML: file:line:col message" "deep\\.yaml:1:[0-9]+: error: .*nested deeper" "$TMP/err"
if [ -e "$TMP/deep.tdb" ]; then fail "nested YAML: no table written" "found"; else pass "nested YAML: no table written"; fi

cat > "$TMP/laughs.yaml" <<'EOF'
rules:
  - id: lol
    type: other
    match: { any: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol] }
  - id: lol2
    type: other
    match: { any: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a] }
  - id: lol3
    type: other
    match: { any: [*b, *b, *b, *b, *b, *b, *b, *b, *b] }
EOF
expect_exit "aliased YAML refused with exit 3" 3 "$TRIAGE" compile "$TMP/laughs.yaml"
expect_grep "aliased YAML: file:line:col message" "laughs\\.yaml:4:[0-9]+: error: YAML anchors" "$TMP/err"
expect_exit "alias without anchor refused with exit 3" 3 "$TRIAGE" compile $D/bad_rules/alias_only.yaml
expect_grep "alias: file:line:col message" "alias_only\\.yaml:[0-9]+:[0-9]+: error:" "$TMP/err"

# ---- A table with one byte flipped, for every header byte and a stride of
# the body: refused with exit 3 every time, never a crash.
cat > "$TMP/tiny.yaml" <<'EOF'
rules:
  - id: t.allergy
    type: adverse_reaction
    match: { any: [过敏] }
  - id: t.lot
    type: product_quality
    match: { regex: '批号(?<lot>[0-9]+)' }
context:
  negation: [没有]
EOF
"$TRIAGE" compile -q "$TMP/tiny.yaml" -o "$TMP/tiny.tdb" 2>"$TMP/err"
expect_exit "tiny table loads" 0 "$TRIAGE" classify -t "$TMP/tiny.tdb" 过敏
size=$(wc -c < "$TMP/tiny.tdb")
stride=$((size / 250 + 1))
set -- $(od -An -v -tu1 "$TMP/tiny.tdb")
off=0; tried=0; wrong=""; crashed=""
for b in "$@"; do
    if [ $off -lt 112 ] || [ $((off % stride)) -eq 0 ] || [ $off -eq $((size - 1)) ]; then
        cp "$TMP/tiny.tdb" "$TMP/flip.tdb"
        printf "$(printf '\\%03o' $((b ^ 255)))" |
            dd of="$TMP/flip.tdb" bs=1 seek=$off conv=notrunc 2>/dev/null
        "$TRIAGE" classify -t "$TMP/flip.tdb" 过敏 >/dev/null 2>"$TMP/err"
        rc=$?
        tried=$((tried + 1))
        [ $rc -ge 128 ] && crashed="$crashed $off:$rc"
        [ $rc -ne 3 ] && wrong="$wrong $off:$rc"
    fi
    off=$((off + 1))
done
if [ -z "$crashed" ]; then pass "flipped table bytes: no crash ($tried flips)"
else fail "flipped table bytes: no crash ($tried flips)" "offset:exit$crashed"; fi
if [ -z "$wrong" ]; then pass "flipped table bytes: all refused with exit 3"
else fail "flipped table bytes: all refused with exit 3" "offset:exit$(echo $wrong | cut -c1-300)"; fi

# ---- A catastrophic regex stops at PCRE2's limits, fast, and says so.
# Only 'a's match at once, so the text ends "!a": the prefilter passes it
# and PCRE2 backtracks exponentially from the start.
printf "rules:\n  - id: r.cat\n    type: other\n    match: { regex: '(a+)+\$' }\n" > "$TMP/cat.yaml"
head -c 100000 /dev/zero | tr '\0' 'a' > "$TMP/a.txt"
expect_exit "(a+)+\$ on 100,000 a's: fast, exit 0" 0 timeout 10 sh -c '"$1" classify -r "$2" < "$3"' sh "$TRIAGE" "$TMP/cat.yaml" "$TMP/a.txt"
printf '!a' >> "$TMP/a.txt"
expect_exit "(a+)+\$ on 100,000 a's then !a: fast, exit 0" 0 timeout 10 sh -c '"$1" classify -r "$2" < "$3"' sh "$TRIAGE" "$TMP/cat.yaml" "$TMP/a.txt"
expect_grep "(a+)+\$: regex_limit flag" '"flags":\[[^]]*"regex_limit"' "$TMP/out"

# ---- Hits before a huge run of '!': deciding questions stays linear.
{ i=0; while [ $i -lt 2000 ]; do printf '过敏过敏过敏过敏过敏'; i=$((i + 1)); done
  head -c 4000000 /dev/zero | tr '\0' '!'; printf '?'; } > "$TMP/bang.txt"
expect_exit "10,000 hits then 4 MB of '!': fast, exit 0" 0 timeout 10 sh -c '"$1" classify -r "$2" < "$3"' sh "$TRIAGE" $MIN "$TMP/bang.txt"
expect_grep "hits before '!!!...?' are questions" '"question":true' "$TMP/out"

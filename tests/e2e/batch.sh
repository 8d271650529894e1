# batch.sh - end-to-end tests of `triage batch` on real-looking exports:
# counts, order, error records and exit status for each file.
. tests/e2e/lib.sh
B=tests/data/batch
R="-r tests/data/corpus/min.yaml --quiet"

# batch_case NAME FILE EXIT READ TRIAGED ERRORS [extra args]
batch_case() {
    name=$1; file=$2; want=$3; r=$4; t=$5; e=$6; shift 6
    "$TRIAGE" batch $R "$@" "$file" > "$TMP/o" 2> "$TMP/e"
    got=$?
    if [ "$got" -eq "$want" ] && grep -q "^read $r = triaged $t + error records $e$" "$TMP/e" &&
       [ "$(wc -l < "$TMP/o")" -eq "$r" ]; then
        pass "$name"
    else
        fail "$name" "exit $got (want $want), $(cat "$TMP/e"), $(wc -l < "$TMP/o") lines"
    fi
}

batch_case "GB18030 Excel CSV" $B/gb18030_excel.csv 0 4 4 0
"$TRIAGE" batch $R --keep 投诉内容 $B/gb18030_excel.csv > "$TMP/o" 2>/dev/null
expect_grep "GB18030 text decoded" '"kept":\{"投诉内容":"吃了你们的感冒药以后全身起疹子' "$TMP/o"
expect_grep "GB18030 month from 2024/3/5" '"id":"A001"' "$TMP/o"
batch_case "multi-line quoted complaints" $B/multiline.csv 0 5 5 0
batch_case "truncated last line" $B/truncated.csv 5 2 1 1
expect_grep "truncated: error record" '"record":2,.*"error":"bad quoting: the quote opened on line 3 never closes, so lines 3-4 \(the end of the file\) were read as one field"' "$TMP/o"
batch_case "stray quote" $B/stray_quote.csv 5 6 3 3
expect_grep "stray quote: error names line" '"line":[0-9]+,"offset":[0-9]+\},"error":"bad quoting: text after a closing quote on line 2 ' "$TMP/o"
batch_case "empty text cells" $B/empty_text.csv 5 7 2 5
# A field past the header's last would be lost: an unquoted comma in the
# text (r2) makes an error record; an empty trailing field (r4) does not.
batch_case "ragged rows" $B/ragged.csv 5 6 4 2
expect_grep "ragged: extra field named" '"id":"r2",.*"line":3,.*"error":"4 fields where the header has 3: a field holding .,. must be quoted"' "$TMP/o"
expect_grep "ragged: missing text named" '"id":"r5",.*"error":"no text: 1 field where the header has 3"' "$TMP/o"
expect_grep "ragged: quoted comma and quotes kept" '"id":"r3",.*"type"' "$TMP/o"
# Classic Mac line ends (CR alone), also inside a quoted field.
printf 'id,text\r1,"退款\r没到账"\r2,吃了过敏\r' > "$TMP/cr.csv"
batch_case "CR-only line ends" "$TMP/cr.csv" 0 2 2 0
expect_grep "CR-only: line numbers count CRs" '"id":"2",.*"line":4,' "$TMP/o"
# Excel's "sep=;" first line names the separator and is no header, also
# when the format comes from the content (standard input).
printf 'sep=;\r\nid;text\r\ns1;退款, 没到账\r\n' > "$TMP/sep.csv"
batch_case "Excel sep= line" "$TMP/sep.csv" 0 1 1 0
expect_grep "sep= line: header on line 2" '"id":"s1",.*"line":3,' "$TMP/o"
"$TRIAGE" batch $R - < "$TMP/sep.csv" > "$TMP/o" 2>/dev/null
expect_grep "sep= line on standard input" '"id":"s1",.*"line":3,' "$TMP/o"
batch_case "JSON Lines with broken lines" $B/broken.jsonl 5 10 4 6
expect_grep "broken JSON: reason without text" '"error":"invalid JSON: premature end of input' "$TMP/o"
# Member guesses follow each line's own names, also when the layout changes.
printf '%s\n' '{"id":"m1","text":"吃了过敏"}' '{"Content":"药品发霉了","ID":"m2","Date":"2024-05-01"}' \
    '{"id":"m3","text":"吃了过敏"}' '{"complaint":"药品发霉了","text":"吃了过敏","id":"m4"}' \
    '{"id":"m5","note":"no text here"}' > "$TMP/layouts.jsonl"
batch_case "JSON Lines with changing member names" "$TMP/layouts.jsonl" 5 5 4 1 --summary "$TMP/sum.json"
expect_grep "layout 2: text and id by caseless names" '"id":"m2".*"type":"product_quality"' "$TMP/o"
expect_grep "layout 1 again after layout 2" '"id":"m3".*"type":"adverse_reaction"' "$TMP/o"
expect_grep "complaint member ranks before text" '"id":"m4".*"type":"product_quality"' "$TMP/o"
expect_grep "no text member: error record" '"id":"m5".*"error":"missing text field"' "$TMP/o"
expect_grep "date of layout 2 counted" '"2024-05"' "$TMP/sum.json"
# -o onto a FIFO (as onto /dev/null) writes through it and leaves it a FIFO.
mkfifo "$TMP/fifo"
timeout 30 cat "$TMP/fifo" > "$TMP/through" &   # no hang if the FIFO is replaced
expect_exit "batch -o FIFO" 0 "$TRIAGE" batch $R -o "$TMP/fifo" $B/multiline.csv
wait
if [ -p "$TMP/fifo" ] && [ "$(wc -l < "$TMP/through")" -eq 5 ]; then pass "batch -o FIFO: still a FIFO, records went through"
else fail "batch -o FIFO: still a FIFO, records went through" "$(ls -l "$TMP/fifo") $(wc -l < "$TMP/through")"; fi
timeout 30 cat "$TMP/fifo" > "$TMP/through" &   # no hang if the FIFO is replaced
expect_exit "compile -o FIFO" 0 "$TRIAGE" compile tests/data/corpus/min.yaml -o "$TMP/fifo"
wait
if [ -p "$TMP/fifo" ] && [ -s "$TMP/through" ]; then pass "compile -o FIFO: still a FIFO"
else fail "compile -o FIFO: still a FIFO" "$(ls -l "$TMP/fifo")"; fi
# The progress line is drawn only on a terminal (script(1) gives one), ends
# with the run's time, and erases what a longer earlier line left.
if command -v script >/dev/null 2>&1; then
    script -qec "'$TRIAGE' batch -r tests/data/corpus/min.yaml -o '$TMP/p.jsonl' $B/multiline.csv" /dev/null > "$TMP/tty" 2>&1
    expect_grep "progress line on a terminal" '5 records, [0-9]+ records/s, 0 errors, 100% done in [0-9.]+ s' "$TMP/tty"
    if grep -q "$(printf '\033\\[K')" "$TMP/tty"; then pass "progress line clears to the end"
    else fail "progress line clears to the end" "$(od -c "$TMP/tty" | head -5)"; fi
    "$TRIAGE" batch -r tests/data/corpus/min.yaml -o "$TMP/p.jsonl" $B/multiline.csv 2> "$TMP/notty"
    expect_no_grep "no progress line without a terminal" "records/s" "$TMP/notty"
fi
batch_case "NUL bytes" $B/nul.csv 0 2 2 0
batch_case "folder of mixed files" $B/mixed 0 5 5 0
expect_no_grep "hidden files skipped" "hidden" "$TMP/o"
if grep -o '"file":"[^"]*"' "$TMP/o" | sed 's/"file"://' | sort -c 2>/dev/null; then
    pass "folder files in sorted order"
else
    fail "folder files in sorted order" "$(grep -o '"file":"[^"]*"' "$TMP/o")"
fi
batch_case "UTF-16LE TSV (Excel Unicode text)" $B/utf16le.tsv 0 3 3 0
expect_exit "missing input" 4 "$TRIAGE" batch $R "$TMP/nope.csv"
expect_exit "bad option" 2 "$TRIAGE" batch $R --format xml $B/multiline.csv
expect_exit "delimiter of two bytes" 2 "$TRIAGE" batch $R --delimiter '||' $B/multiline.csv
printf 'id|text\np1|退款, 没到账\n' > "$TMP/pipe.csv"
expect_exit "--delimiter '|'" 0 "$TRIAGE" batch $R --delimiter '|' --output-format csv "$TMP/pipe.csv"
expect_grep "--delimiter: id and text split at '|'" '^p1,' "$TMP/out"

# Under GNU parallel --pipe: chunks of JSON Lines, order kept with -k.
if command -v parallel >/dev/null 2>&1; then
    i=1; : > "$TMP/big.jsonl"
    while [ $i -le 500 ]; do
        printf '{"id":"c%d","text":"第%d位顾客：吃了以后过敏"}\n' $i $i >> "$TMP/big.jsonl"; i=$((i + 1))
    done
    "$TRIAGE" batch $R "$TMP/big.jsonl" 2>/dev/null | grep -o '"id":"c[0-9]*"' > "$TMP/one"
    parallel --pipe -k -N 100 "$TRIAGE" batch $R --format jsonl - < "$TMP/big.jsonl" \
        2> "$TMP/perr" | grep -o '"id":"c[0-9]*"' > "$TMP/many"
    if cmp -s "$TMP/one" "$TMP/many" && [ "$(wc -l < "$TMP/many")" -eq 500 ]; then
        pass "GNU parallel --pipe keeps every record in order"
    else
        fail "GNU parallel --pipe keeps every record in order" "$(wc -l < "$TMP/many") ids"
    fi
    total=$(sed -n 's/^read \([0-9]*\) = .*/\1/p' "$TMP/perr" | awk '{s += $1} END {print s}')
    if [ "$total" = 500 ]; then pass "chunk counts add up"; else fail "chunk counts add up" "$total"; fi
fi

# A CSV list column holds every fired rule, however long: 300 rules with
# 20-byte ids make a 6 KB 'rules' field (it was cut at 4 KB).
{
    echo "rules:"
    i=1
    while [ $i -le 300 ]; do
        printf '  - { id: many.rules.id.%05d, type: other, match: { any: [过敏] } }\n' $i
        i=$((i + 1))
    done
} > "$TMP/many.yaml"
printf 'id,text\nm1,吃了以后过敏\n' > "$TMP/many.csv"
expect_exit "CSV output: 300 fired rules" 0 "$TRIAGE" batch -r "$TMP/many.yaml" --quiet \
    --output-format csv "$TMP/many.csv"
n=$(tail -1 "$TMP/out" | grep -o 'many\.rules\.id\.[0-9]*' | sort -u | wc -l)
if [ "$n" -eq 300 ]; then pass "CSV rules column lists all 300 fired rules"
else fail "CSV rules column lists all 300 fired rules" "$n listed"; fi
# SIGTERM (or Ctrl-C) stops a run: exit 130, a message on stderr, and no
# output file, not even the temporary one. The input is a FIFO whose writer
# stays open, so the run is still reading when the signal comes; the test
# waits until batch has installed its handler (SigCgt bit 15 in /proc) and
# has written the record that arrived to its temporary file (a pipe is
# triaged as its lines come).
mkfifo "$TMP/slow"
(printf '{"id":"s1","text":"退款太慢了"}\n'; exec sleep 60) > "$TMP/slow" &
writer=$!
"$TRIAGE" batch $R -o "$TMP/stopped.jsonl" "$TMP/slow" 2> "$TMP/stop.err" &
pid=$!
n=0
while [ $n -lt 100 ]; do
    mask=$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$pid/status 2>/dev/null)
    [ -n "$mask" ] && [ $(( 0x$mask & 0x4000 )) -ne 0 ] &&
        [ -s "$TMP/stopped.jsonl.tmp$pid" ] && break
    sleep 0.1; n=$((n + 1))
done
kill -TERM $pid
wait $pid
got=$?
kill $writer 2>/dev/null
if [ "$got" -eq 130 ] && grep -q "interrupted by SIGTERM after record 1: no output file written" "$TMP/stop.err" &&
   [ -z "$(ls "$TMP" | grep '^stopped\.jsonl')" ]; then
    pass "SIGTERM stops batch: exit 130, says so, leaves no output file"
else
    fail "SIGTERM stops batch: exit 130, says so, leaves no output file" \
         "exit $got, $(cat "$TMP/stop.err"), $(ls "$TMP" | grep stopped)"
fi

# A pipe is triaged as its lines arrive (`tail -f log | triage batch`):
# each record is written while the writer still holds the pipe open, in
# GB18030 too once a line beyond ASCII has told the encoding.
stream_case() {   # NAME FORMAT RECORD1 RECORD2 [batch args]
    name=$1; fmt=$2; r1=$3; r2=$4; shift 4
    rm -f "$TMP/feed" "$TMP/streamed"
    mkfifo "$TMP/feed"
    "$TRIAGE" batch $R --format "$fmt" "$@" "$TMP/feed" > "$TMP/streamed" 2>"$TMP/stream.err" &
    pid=$!
    exec 7>"$TMP/feed"
    printf '%s\n' "$r1" >&7
    n=0
    while [ $n -lt 100 ] && [ "$(wc -l < "$TMP/streamed")" -lt 1 ]; do sleep 0.1; n=$((n + 1)); done
    first=$(wc -l < "$TMP/streamed")
    printf '%s\n' "$r2" >&7
    n=0
    while [ $n -lt 100 ] && [ "$(wc -l < "$TMP/streamed")" -lt 2 ]; do sleep 0.1; n=$((n + 1)); done
    second=$(wc -l < "$TMP/streamed")
    exec 7>&-
    wait $pid
    got=$?
    if [ "$first" -eq 1 ] && [ "$second" -eq 2 ] && [ "$got" -eq 0 ] &&
       grep -q "^read 2 = triaged 2 + error records 0$" "$TMP/stream.err"; then
        pass "$name"
    else
        fail "$name" "$first then $second lines while the pipe was open, exit $got, $(cat "$TMP/stream.err")"
    fi
}
stream_case "a pipe is triaged as its JSON lines arrive" jsonl \
    '{"id":"p1","text":"吃了以后过敏了"}' '{"id":"p2","text":"退款太慢了"}'
stream_case "a pipe of plain text lines, English, encoding given" text \
    'I got a rash after taking it' 'the refund is too slow' --encoding UTF-8
stream_case "a GB18030 pipe is triaged as its lines arrive" text \
    "$(printf '\263\324\301\313\322\324\272\363\271\375\303\364\301\313')" \
    "$(printf '\315\313\277\356\314\253\302\375\301\313')"

# cache.sh - compiled tables cached by content: a second run loads what the
# first compiled, any edit misses the cache, warnings are never cached,
# TRIAGE_CACHE=off turns it off, a damaged table is recompiled, old tables
# are pruned; a keyword edit reuses the regexes' Vectorscan database.
. tests/e2e/lib.sh
export TRIAGE_CACHE_DIR="$TMP/cache"
unset TRIAGE_CACHE
mkdir -p "$TMP/r"
cp tests/data/corpus/min.yaml "$TMP/r/min.yaml"
tables() { ls "$TMP/cache" 2>/dev/null | grep -c '\.tdb$'; }

expect_exit "first run compiles" 0 "$TRIAGE" classify -r "$TMP/r" 皮疹
cp "$TMP/out" "$TMP/first"
if [ "$(tables)" = 1 ]; then pass "the table is cached"; else fail "the table is cached" "$(ls -la "$TMP/cache")"; fi
expect_exit "second run loads it" 0 "$TRIAGE" classify -r "$TMP/r" 皮疹
if cmp -s "$TMP/out" "$TMP/first"; then pass "cached result is the same"; else fail "cached result is the same" "$(cat "$TMP/out")"; fi

sed -i 's/皮疹/红疹/' "$TMP/r/min.yaml"
expect_exit "edited rules" 0 "$TRIAGE" classify -r "$TMP/r" 皮疹
expect_grep "an edit misses the cache" '"type":"other"' "$TMP/out"
if [ "$(tables)" = 2 ]; then pass "edited rules get their own table"; else fail "edited rules get their own table" "$(tables)"; fi
echo "# a new file in the folder" > "$TMP/r/notes.txt"
expect_exit "a new file in the folder" 0 "$TRIAGE" classify -r "$TMP/r" 红疹
if [ "$(tables)" = 3 ]; then pass "any file in the folder is part of the key"; else fail "any file in the folder is part of the key" "$(tables)"; fi

for t in "$TMP"/cache/*.tdb; do printf 'not a table' > "$t"; done
expect_exit "damaged cached table" 0 "$TRIAGE" classify -r "$TMP/r" 红疹
expect_grep "damaged table: recompiled, right answer" '"type":"adverse_reaction"' "$TMP/out"

# lint and compile always compile, and leave the clean table for the next
# run: classify then loads it (the file is only touched, not rewritten).
rm -rf "$TMP/cache"
expect_exit "lint compiles" 0 "$TRIAGE" lint "$TMP/r"
if [ "$(tables)" = 1 ]; then pass "lint leaves its table in the cache"; else fail "lint leaves its table in the cache" "$(tables)"; fi
ino=$(ls -i "$TMP"/cache/*.tdb | cut -d' ' -f1)
expect_exit "classify after lint" 0 "$TRIAGE" classify -r "$TMP/r" 红疹
if [ "$(ls -i "$TMP"/cache/*.tdb | cut -d' ' -f1)" = "$ino" ]; then pass "classify after lint loads lint's table"
else fail "classify after lint loads lint's table" "rewritten: $(ls -i "$TMP/cache")"; fi
rm -rf "$TMP/cache"
expect_exit "compile -o" 0 "$TRIAGE" compile "$TMP/r" -o "$TMP/r.tdb"
if [ "$(tables)" = 1 ]; then pass "compile leaves its table in the cache"; else fail "compile leaves its table in the cache" "$(tables)"; fi

rm -rf "$TMP/cache"
TRIAGE_CACHE=off "$TRIAGE" classify -r "$TMP/r" 红疹 > /dev/null
if [ "$(ls "$TMP/cache" 2>/dev/null | wc -l)" = 0 ]; then pass "TRIAGE_CACHE=off writes nothing"
else fail "TRIAGE_CACHE=off writes nothing" "$(ls "$TMP/cache")"; fi

printf 'rules:\n  - id: w.nothing\n    match: { any: [过敏] }\n' > "$TMP/r/warn.yaml"
expect_exit "rules with a warning" 0 "$TRIAGE" classify -r "$TMP/r" 过敏
expect_exit "rules with a warning, again" 0 "$TRIAGE" classify -r "$TMP/r" 过敏
expect_grep "the warning shows the second time too" "warn.yaml:2:.*warning" "$TMP/err"
if [ "$(tables)" = 0 ]; then pass "a compile with warnings is not cached"; else fail "a compile with warnings is not cached" "$(tables)"; fi
rm "$TMP/r/warn.yaml"

mkdir -p "$TMP/cache"
for i in 1 2 3 4 5 6 7 8 9; do
    f="$TMP/cache/$(printf '%032d' $i).tdb"
    : > "$f"
    touch -d "2020-01-0$i" "$f"
done
expect_exit "a run beside nine old tables" 0 "$TRIAGE" classify -r "$TMP/r" 红疹
if [ "$(tables)" = 8 ] && [ ! -e "$TMP/cache/$(printf '%032d' 1).tdb" ] &&
   [ ! -e "$TMP/cache/$(printf '%032d' 2).tdb" ]; then
    pass "the cache keeps the newest eight tables"
else
    fail "the cache keeps the newest eight tables" "$(ls "$TMP/cache")"
fi

# Vectorscan databases are kept by their patterns (engine/db_cache.c): an
# edit that misses the table cache still reuses the regexes' database.
rm -rf "$TMP/cache"
databases() { ls "$TMP/cache" 2>/dev/null | grep -c '^hs-.*\.hsdb$'; }
expect_exit "words and regexes compiled" 0 "$TRIAGE" classify -r "$TMP/r" 药品发霉了
if [ "$(databases)" = 2 ]; then pass "both databases are kept"; else fail "both databases are kept" "$(ls "$TMP/cache")"; fi
ino=$(ls -i "$TMP"/cache/hs-* | sort | cut -d' ' -f1 | tr '\n' ' ')
sed -i 's/红疹/荨麻疹/' "$TMP/r/min.yaml"
expect_exit "a keyword edit" 0 "$TRIAGE" classify -r "$TMP/r" 荨麻疹
expect_grep "the new keyword matches" '"type":"adverse_reaction"' "$TMP/out"
if [ "$(databases)" = 3 ]; then pass "a keyword edit builds only the words"
else fail "a keyword edit builds only the words" "$(ls "$TMP/cache")"; fi
kept=0
for i in $ino; do ls -i "$TMP"/cache/hs-* | grep -q "^ *$i " && kept=$((kept + 1)); done
if [ "$kept" = 2 ]; then pass "the first databases are left as they were"
else fail "the first databases are left as they were" "$kept of 2"; fi
expect_exit "the regex after the edit" 0 "$TRIAGE" classify -r "$TMP/r" 药品都发霉了
expect_grep "the cached regex database matches" '"type":"product_quality"' "$TMP/out"

# install.sh - `make install` lays out binary, libraries, header, rules and
# pkg-config; the installed binary finds its rules wherever it was put.
. tests/e2e/lib.sh
P="$TMP/prefix"
if make --no-print-directory -s install BUILD="$BUILD" PREFIX="$P" >/dev/null 2>&1; then
    pass "make install"
else
    fail "make install" "failed"
fi
for f in bin/triage lib/libtriage.a lib/libtriage.so include/triage.h \
         lib/pkgconfig/triage.pc share/triage/rules; do
    if [ -e "$P/$f" ]; then pass "installed $f"; else fail "installed $f" "missing"; fi
done
(cd "$TMP" && env -u TRIAGE_RULES "$P/bin/triage" --version) > "$TMP/v" 2>&1
expect_grep "installed binary finds installed rules" "^rules: " "$TMP/v"
PKG_CONFIG_PATH="$P/lib/pkgconfig" pkg-config --static --libs triage > "$TMP/pc" 2>&1
expect_grep "pkg-config static libs" "-ltriage .*-lstdc\\+\\+.*-lhs" "$TMP/pc"
if [ -x "$BUILD/intake" ] && "$BUILD/intake" tests/data/corpus/min.yaml "吃了以后过敏" > "$TMP/i"; then
    expect_grep "example program classifies" "^L0 adverse_reaction" "$TMP/i"
else
    fail "example program classifies" "build/intake missing or failed"
fi

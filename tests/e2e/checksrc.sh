# checksrc.sh - the library never prints, exits or aborts, and avoids the
# classic unsafe string calls (curl's checksrc idea).
. tests/e2e/lib.sh
banned='\b(sprintf|vsprintf|strcpy|strcat|strtok|gets|atoi|atol|exit|_exit|abort|printf|puts|putchar|perror|fprintf|longjmp|setjmp)[[:space:]]*\('
for f in engine/*.c engine/*.h include/triage.h; do
    if grep -nE "$banned" "$f" | grep -vE 'snprintf|vsnprintf|tri_buf_printf' > "$TMP/hits"; then
        fail "checksrc $f" "$(head -3 "$TMP/hits")"
    else
        pass "checksrc $f"
    fi
done
if grep -n "#include" cli/*.c | grep -E '"(internal|compile_int|normalize)\.h"' > "$TMP/inc"; then
    fail "cli uses only triage.h" "$(head -3 "$TMP/inc")"
else
    pass "cli uses only triage.h"
fi

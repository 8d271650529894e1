#!/bin/sh
# make_fixtures.sh - regenerate the non-UTF-8 batch fixtures from the UTF-8
# sources in src/ with iconv, as Excel would write them. Run from this folder.
set -e
export LC_ALL=C   # sed must treat the encoded bytes as bytes
iconv -f UTF-8 -t GB18030 src/gb18030_excel.csv.utf8 > gb18030_excel.csv
iconv -f UTF-8 -t BIG5 src/big5.csv.utf8 > big5.csv
# Excel's "Unicode text": UTF-16LE with a BOM, tab-separated.
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE src/utf16le.tsv.utf8; } > utf16le.tsv
# Encode, then put the bad bytes in (iconv could not produce them).
iconv -f UTF-8 -t GB18030 src/gb18030_invalid.csv.utf8 |
    sed -e 's/@FF@/\xff/' -e 's/@81@/\x81/' > gb18030_invalid.csv

#!/bin/sh
# make demo: the main job on the sample pages shipped in testdata/pages
# (invented studies, each saved as HTML and as a text rendering): extract
# records, clean them, drop the records both forms of a page give and the
# posts listed on several pages, and show the CSV a spreadsheet would get.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top:$PATH
export PATH
cd "$top" || exit 1
out=${TMPDIR:-/tmp}/glean-demo.$$
trap 'rm -f "$out".*' EXIT
echo '$ glean-extract testdata/pages | glean-normalize -p research --now 2026-11-25 |'
echo '    glean-dedupe -v -k type,title,community,journal,tldr |
    glean-tocsv > demo.csv'
glean-extract testdata/pages 2>"$out.err" |
    glean-normalize -p research --now 2026-11-25 |
    glean-dedupe -v -k type,title,community,journal,tldr |
    glean-tocsv >"$out.csv" || { cat "$out.err"; exit 1; }
cat "$out.err"
echo
echo "demo.csv: $(glean-fromcsv "$out.csv" | wc -l) records; the columns a reader wants first:"
echo
glean-fromcsv "$out.csv" |
    glean-tocsv -f type,title,published,journal,community,upvotes,age,citations \
    2>/dev/null | head -25
echo '...'
echo
echo "all $(head -1 "$out.csv" | tr ',' '\n' | wc -l) columns: $(head -1 "$out.csv")"

#!/bin/sh
# tests/bench/run.sh - what `make bench` runs: generate the benchmark data
# (deterministic, into ./bench-data/), run every glean binary and its peers
# on the same input in one run, and print one table: rate (MB/s or
# pages/s), peak RSS, CPU seconds, and glean's rate over each peer's.
#
# Knobs (environment):
#   BENCH_MB=200         size of the NDJSON input in MB (20 to iterate)
#   BENCH_PAGES=2000     HTML pages and text renderings
#   BENCH_KEYS=2000000   distinct keys for the dedupe memory row
#   BENCH_SAMPLE_MB=10   input of the slow peers (jq gsub, csvkit); glean
#                        is timed again on the same sample for their ratio
#   BENCH_REPS=3         each command is timed best of at least N runs
#                        (one run if the first takes over 10 s) ...
#   BENCH_MINTIME=1      ... and of as many more as fit in this many
#                        seconds, up to BENCH_MAXREPS=20: a command of a
#                        tenth of a second is timed about ten times, as
#                        hyperfine does, so that one slow moment of a
#                        shared machine does not decide its figure
#   BENCH_TIMEOUT=300    a peer still running after this is given up
#   BENCH_ONLY=REGEX     run only the sections whose name matches
#   BENCH_NO_INSTALL=1   do not apt-get missing peers
#
# The machine may be shared: every figure is measured in the same run, and
# the ratios are what to compare.  Never used by the test suite.

set -u
LC_ALL=C
export LC_ALL
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1

BENCH_MB=${BENCH_MB:-200}
BENCH_PAGES=${BENCH_PAGES:-2000}
BENCH_KEYS=${BENCH_KEYS:-2000000}
BENCH_SAMPLE_MB=${BENCH_SAMPLE_MB:-10}
BENCH_REPS=${BENCH_REPS:-3}
BENCH_MINTIME=${BENCH_MINTIME:-1}
BENCH_MAXREPS=${BENCH_MAXREPS:-20}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-300}
BENCH_ONLY=${BENCH_ONLY:-.}
BENCH_NO_INSTALL=${BENCH_NO_INSTALL:-0}

data=$top/bench-data
bin=$data/bin
rec=$data/rec-$BENCH_MB
smp=$data/rec-sample-$BENCH_SAMPLE_MB
pg=$data/pages-$BENCH_PAGES
keys=$data/keys-$BENCH_KEYS
tmp=$(mktemp -d "${TMPDIR:-/tmp}/glean-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
PATH=$top:$bin:$PATH
export PATH
table=$tmp/table
: >"$table"
start=$(date +%s)

say()
{
	printf 'bench: %s\n' "$*" >&2
}

# --- peers -----------------------------------------------------------------

# command:Debian package
peers="jq:jq mlr:miller gawk:gawk pup:pup xmllint:libxml2-utils
/usr/bin/time:time parallel:parallel python3:python3 in2csv:csvkit
timeout:coreutils"

missing_pkgs()
{
	for p in $peers; do
		command -v "${p%%:*}" >/dev/null 2>&1 || printf '%s ' "${p#*:}"
	done
}

pkgs=$(missing_pkgs)
if [ -n "$pkgs" ] && [ "$(id -u)" = 0 ] && [ "$BENCH_NO_INSTALL" != 1 ] &&
    command -v apt-get >/dev/null 2>&1; then
	say "installing peers from Debian: $pkgs"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs \
	    >"$tmp/apt" 2>&1 || {
		DEBIAN_FRONTEND=noninteractive apt-get update -q \
		    >>"$tmp/apt" 2>&1
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs \
		    >>"$tmp/apt" 2>&1
	} || { say "apt-get failed:"; tail -n 5 "$tmp/apt" >&2; }
	pkgs=$(missing_pkgs)
fi
[ -n "$pkgs" ] && say "missing peers (their rows are skipped): $pkgs"
if [ ! -x /usr/bin/time ]; then
	echo "bench: /usr/bin/time is needed (Debian package time)" >&2
	exit 1
fi

# --- data ------------------------------------------------------------------

mkdir -p "$bin" || exit 1
cc=${CC:-cc}
if [ ! -x "$bin/gen" ] || [ tests/bench/gen.c -nt "$bin/gen" ]; then
	$cc -std=c99 -O2 -D_POSIX_C_SOURCE=200809L -o "$bin/gen" \
	    tests/bench/gen.c || exit 1
fi
if [ ! -x "$bin/htmlloop" ] || [ tests/bench/htmlloop.c -nt "$bin/htmlloop" ]
then
	# shellcheck disable=SC2046
	$cc -std=c99 -O2 $(pkg-config --cflags libxml-2.0) \
	    -o "$bin/htmlloop" tests/bench/htmlloop.c \
	    $(pkg-config --libs libxml-2.0) || exit 1
fi
gendata()	# DIR gen-options...
{
	d=$1
	shift
	[ -f "$d/.done" ] && [ "$d/.done" -nt "$bin/gen" ] && return 0
	say "generating $d"
	rm -rf "$d"
	mkdir -p "$d" && "$bin/gen" "$@" "$d" && : >"$d/.done" || exit 1
}
gendata "$rec" -m "$BENCH_MB" -p 0
gendata "$smp" -m "$BENCH_SAMPLE_MB" -p 0
gendata "$pg" -m 0 -p "$BENCH_PAGES"
gendata "$keys" -m 0 -p 0 -k "$BENCH_KEYS"
[ -f "$keys/small.ndjson" ] || head -n 1000 "$keys/keys.ndjson" \
    >"$keys/small.ndjson"

bytes()
{
	cat "$@" | wc -c | tr -d ' '
}
nd=$rec/records.ndjson
csv=$rec/records.csv
snd=$smp/records.ndjson
scsv=$smp/records.csv
ndb=$(bytes "$nd")
csvb=$(bytes "$csv")
sndb=$(bytes "$snd")
scsvb=$(bytes "$scsv")
htmlb=$(bytes "$pg"/html/*.html)
textb=$(bytes "$pg"/text/*.txt)
keyb=$(bytes "$keys/keys.ndjson")
npages=$BENCH_PAGES

# --- measuring -------------------------------------------------------------

# measure CMD: time CMD (sh -c, stdout to /dev/null), best of BENCH_REPS
# runs or more (BENCH_MINTIME, BENCH_MAXREPS); sets secs (wall, less the
# harness's own overhead), kb (peak RSS of the largest process), cpu
# (user+sys seconds of the best run), st (exit status; 124 = timed out).
overhead=0
measure()
{
	secs=
	kb=
	cpu=
	st=0
	n=0
	total=0
	while :; do
		n=$((n + 1))
		t0=$(date +%s%N)
		/usr/bin/time -f '%M %U %S %x' -o "$tmp/time" \
		    timeout "$BENCH_TIMEOUT" sh -c "$1" >/dev/null \
		    2>"$tmp/err"
		t1=$(date +%s%N)
		set -- "$1" $(tail -n 1 "$tmp/time")
		if [ "$5" != 0 ]; then
			st=$5
			return
		fi
		s=$(awk -v a="$t0" -v b="$t1" -v o="$overhead" 'BEGIN {
			s = (b - a) / 1e9 - o
			printf "%.4f", s < 0.001 ? 0.001 : s }')
		total=$(awk -v a="$t0" -v b="$t1" -v t="$total" \
		    'BEGIN { printf "%.3f", t + (b - a) / 1e9 }')
		if [ -z "$secs" ] || awk -v a="$s" -v b="$secs" \
		    'BEGIN { exit !(a < b) }'; then
			secs=$s
			kb=$2
			cpu=$(awk -v u="$3" -v s="$4" 'BEGIN { printf "%.2f", u + s }')
		fi
		awk -v a="$s" 'BEGIN { exit !(a > 10) }' && break
		[ "$n" -lt "$BENCH_REPS" ] && continue
		[ "$n" -ge "$BENCH_MAXREPS" ] && break
		awk -v t="$total" -v m="$BENCH_MINTIME" 'BEGIN { exit !(t >= m) }' &&
		    break
	done
}

# The harness's own time (sh, timeout, time, and starting a program),
# measured on /bin/true as hyperfine measures its shell: subtracted from
# every figure, so that a command of a tenth of a second is not charged
# the few milliseconds that are not its own.
measure /bin/true
[ "$st" = 0 ] && overhead=$secs

rate()		# AMOUNT SECS UNIT
{
	awk -v n="$1" -v s="$2" -v u="$3" 'BEGIN {
		if (s <= 0) s = 0.001
		if (u == "MB") printf "%.1f MB/s", n / s / 1e6
		else printf "%.0f %s/s", n / s, u
	}'
}

rateval()	# AMOUNT SECS
{
	awk -v n="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.001; print n / s }'
}

amount()	# AMOUNT UNIT
{
	awk -v n="$1" -v u="$2" 'BEGIN {
		if (u == "MB") printf "%.0f MB", n / 1e6
		else printf "%d %s", n, u
	}'
}

row()		# LABEL INPUT RATE RSS CPU RATIO NOTE
{
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$table"
	printf 'bench:   %-34s %10s %14s %9s %7s %16s %s\n' "$@" >&2
}

section()	# NAME TITLE: start a section; returns 1 if BENCH_ONLY skips it
{
	echo "$1" | grep -Eq -- "$BENCH_ONLY" || return 1
	printf '%s\t\t\t\t\t\t\n' "$2" >>"$table"
	say "$2"
	return 0
}

failed()	# LABEL: the last measure failed; put a row saying why
{
	if [ "$st" = 124 ]; then
		row "$1" "" "gave up" "" "" "" "still running after ${BENCH_TIMEOUT} s"
	else
		row "$1" "" "failed" "" "" "" "status $st: $(head -n 1 "$tmp/err" | cut -c 1-60)"
	fi
}

mib()
{
	awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'
}

have_glean()	# NAME: print a skip row if glean-NAME is missing
{
	[ -x "$top/glean-$1" ] && return 0
	row "  skipped: no glean-$1" "" "" "" "" "" ""
	return 1
}

# xx GLEAN-RATE PEER-RATE GLEAN-CPU-RATE AMOUNT PEER-CPU: "3.1x (2.9x)"
xx()
{
	awk -v a="$1" -v b="$2" -v c="$3" -v n="$4" -v p="$5" 'BEGIN {
		printf "%.1fx", a / b
		if (p > 0) printf " (%.1fx)", c / (n / p)
	}'
}

# glean LABEL AMOUNT UNIT CMD: time a glean command; sets grate.
glean()
{
	measure "$4"
	grate=
	if [ "$st" != 0 ]; then
		failed "  $1"
		return 1
	fi
	grate=$(rateval "$2" "$secs")
	gcrate=$(rateval "$2" "$cpu")
	gkb=$kb
	row "  $1" "$(amount "$2" "$3")" "$(rate "$2" "$secs" "$3")" \
	    "$(mib "$kb")" "$cpu" "" ""
}

# peer LABEL NEED AMOUNT UNIT CMD [GLEAN-CMD-ON-THIS-INPUT]: time a peer
# and put glean's rate over its rate.  With a sixth argument (the peer runs
# on the sample), glean is timed again on the same input for the ratio.
peer()
{
	command -v "$2" >/dev/null 2>&1 || {
		row "  $1" "" "missing" "" "" "" "no $2 on this machine"
		return 0
	}
	g=$grate
	gc=$gcrate
	note=
	if [ $# -ge 6 ]; then
		[ -n "$grate" ] && measure "$6"
		if [ -n "$grate" ] && [ "$st" = 0 ]; then
			g=$(rateval "$3" "$secs")
			gc=$(rateval "$3" "$cpu")
			note="glean $(rate "$3" "$secs" "$4") on this input"
		else
			g=
		fi
	fi
	measure "$5"
	if [ "$st" != 0 ]; then
		failed "  $1"
		return 0
	fi
	r=$(rateval "$3" "$secs")
	ratio=
	[ -n "$g" ] && ratio=$(xx "$g" "$r" "$gc" "$3" "$cpu")
	row "  $1" "$(amount "$3" "$4")" "$(rate "$3" "$secs" "$4")" \
	    "$(mib "$kb")" "$cpu" "$ratio" "$note"
}

# --- python peers ------------------------------------------------------------

cat >"$tmp/tocsv.py" <<'EOF'
import csv, json, sys
f = sys.argv[1].split(",")
w = csv.DictWriter(sys.stdout, fieldnames=f, extrasaction="ignore",
    lineterminator="\n")
w.writeheader()
for line in open(sys.argv[2], encoding="utf-8"):
    w.writerow(json.loads(line))
EOF
cat >"$tmp/union.py" <<'EOF'
import csv, json, sys
keys = {}
for line in open(sys.argv[1], encoding="utf-8"):
    for k in json.loads(line):
        keys.setdefault(k, None)
w = csv.DictWriter(sys.stdout, fieldnames=list(keys), lineterminator="\n")
w.writeheader()
for line in open(sys.argv[1], encoding="utf-8"):
    w.writerow(json.loads(line))
EOF
cat >"$tmp/fromcsv.py" <<'EOF'
import csv, json, sys
out = sys.stdout
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")):
    out.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
    out.write("\n")
EOF
cat >"$tmp/normalize.py" <<'EOF'
import json, re, sys
ws = re.compile(r"\s+")
out = sys.stdout
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    for k, v in r.items():
        if isinstance(v, str):
            r[k] = ws.sub(" ", v).strip()
    out.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
    out.write("\n")
EOF
cat >"$tmp/dedupe.py" <<'EOF'
import sys
seen = set()
out = sys.stdout.buffer
for line in open(sys.argv[1], "rb"):
    if line not in seen:
        seen.add(line)
        out.write(line)
EOF
cat >"$tmp/dedupek.py" <<'EOF'
import json, sys
seen = set()
out = sys.stdout.buffer
for line in open(sys.argv[1], "rb"):
    r = json.loads(line)
    k = (r.get("type"), r.get("title"))
    if k not in seen:
        seen.add(k)
        out.write(line)
EOF
py="python3 $tmp"

# --- the rows ----------------------------------------------------------------

F=type,title,community,upvotes,age,summary
JQF='[.type,.title,.community,.upvotes,.age,.summary]|@csv'

if section tocsv-fixed "tocsv, fixed columns (-f $F)"; then
	if have_glean tocsv; then
		glean "glean-tocsv -f" "$ndb" MB "glean-tocsv -f $F $nd"
		peer "jq -r '[...]|@csv'" jq "$ndb" MB "jq -r '$JQF' $nd"
		peer "mlr --ijsonl --ocsv template" mlr "$ndb" MB \
		    "mlr --ijsonl --ocsv template -f $F $nd"
		peer "python3 json+csv.DictWriter" python3 "$ndb" MB \
		    "$py/tocsv.py $F $nd"
		peer "csvkit in2csv | csvcut (sample)" in2csv "$sndb" MB \
		    "in2csv -f ndjson $snd | csvcut -c $F" \
		    "glean-tocsv -f $F $snd"
	fi
fi

if section tocsv-union "tocsv, union of keys (no -f)"; then
	if have_glean tocsv; then
		glean "glean-tocsv" "$ndb" MB "glean-tocsv $nd"
		peer "mlr --ijsonl --ocsv unsparsify" mlr "$ndb" MB \
		    "mlr --ijsonl --ocsv unsparsify $nd"
		peer "python3 two passes" python3 "$ndb" MB "$py/union.py $nd"
	fi
fi

if section fromcsv "fromcsv (CSV with a header -> NDJSON)"; then
	if have_glean fromcsv; then
		glean "glean-fromcsv" "$csvb" MB "glean-fromcsv $csv"
		peer "mlr --icsv --ojsonl cat" mlr "$csvb" MB \
		    "mlr --icsv --ojsonl cat $csv"
		peer "python3 csv.DictReader+json" python3 "$csvb" MB \
		    "$py/fromcsv.py $csv"
		peer "csvkit csvjson --stream (sample)" csvjson "$scsvb" MB \
		    "csvjson --stream --no-inference $scsv" \
		    "glean-fromcsv $scsv"
	fi
fi

if section normalize "normalize, default cleaning"; then
	if have_glean normalize; then
		glean "glean-normalize" "$ndb" MB "glean-normalize $nd"
		peer "mlr clean-whitespace" mlr "$ndb" MB \
		    "mlr --ijsonl --ojsonl clean-whitespace $nd"
		peer "python3 json+re" python3 "$ndb" MB "$py/normalize.py $nd"
		peer "jq gsub trim/collapse (sample)" jq "$sndb" MB \
		    "jq -c 'map_values(if type==\"string\" then gsub(\"^\\\\s+|\\\\s+\$\";\"\")|gsub(\"\\\\s+\";\" \") else . end)' $snd" \
		    "glean-normalize $snd"
	fi
fi

gawk_rate=
gawk_kb=
if section dedupe "dedupe, whole record"; then
	if have_glean dedupe; then
		glean "glean-dedupe" "$ndb" MB "glean-dedupe $nd"
		g_whole_kb=$gkb
		peer "gawk '!seen[\$0]++'" gawk "$ndb" MB \
		    "gawk '!seen[\$0]++' $nd"
		if [ "$st" = 0 ]; then
			gawk_rate=$r
			gawk_kb=$kb
			gawk_cpu=$cpu
			row "    memory: glean / gawk" "" "" "" "" "$(awk -v a="$g_whole_kb" -v b="$kb" 'BEGIN { printf "%.2f", a / b }')" "peak RSS ratio"
		fi
		peer "sort -u (reorders)" sort "$ndb" MB "sort -u $nd"
		peer "python3 set of lines" python3 "$ndb" MB \
		    "$py/dedupe.py $nd"
	fi
fi

if section dedupe-k "dedupe -k type,title (two fields)"; then
	if have_glean dedupe; then
		glean "glean-dedupe -k type,title" "$ndb" MB \
		    "glean-dedupe -k type,title $nd"
		if [ -n "$gawk_rate" ] && [ -n "$grate" ]; then
			row "  gawk '!seen[\$0]++' (above)" "" \
			    "$(awk -v r="$gawk_rate" 'BEGIN { printf "%.1f MB/s", r / 1e6 }')" \
			    "$(mib "$gawk_kb")" "$gawk_cpu" \
			    "$(xx "$grate" "$gawk_rate" "$gcrate" "$ndb" "$gawk_cpu")" \
			    "whole lines"
		fi
		peer "mlr head -n 1 -g type,title" mlr "$ndb" MB \
		    "mlr --ijsonl --ojsonl head -n 1 -g type,title $nd"
		peer "python3 json, set of tuples" python3 "$ndb" MB \
		    "$py/dedupek.py $nd"
	fi
fi

if section dedupe-near "dedupe --near summary"; then
	if have_glean dedupe; then
		glean "glean-dedupe --near summary" "$ndb" MB \
		    "glean-dedupe --near summary $nd"
	fi
fi

if section dedupe-mem "dedupe -k id, $BENCH_KEYS distinct keys: memory"; then
	if have_glean dedupe; then
		measure "glean-dedupe -k id $keys/small.ndjson"
		base=$kb
		glean "glean-dedupe -k id" "$keyb" MB \
		    "glean-dedupe -k id $keys/keys.ndjson"
		if [ -n "$grate" ] && [ -n "$base" ]; then
			row "    bytes per key" "" "" "" "" \
			    "$(awk -v k="$gkb" -v b="$base" -v n="$BENCH_KEYS" 'BEGIN { printf "%.1f", (k - b) * 1024 / n }')" \
			    "(peak RSS - RSS on 1000 keys) / keys"
		fi
		peer "gawk '!seen[\$0]++'" gawk "$keyb" MB \
		    "gawk '!seen[\$0]++' $keys/keys.ndjson"
	fi
fi

# glean-extract reads pages on one thread per processor (at most 8) by
# default: its rows give that run, and a -J 1 run beside it.
jobs=$(nproc 2>/dev/null || echo 1)
[ "$jobs" -le 8 ] || jobs=8

# against PEERS...: rows putting the glean rate just measured over the
# rates kept in pup_rate and loop_rate.
against()
{
	for p in "$@"; do
		eval "pr=\${${p}_rate:-} pk=\${${p}_kb:-} pc=\${${p}_cpu:-}"
		[ -n "$pr" ] && [ -n "$grate" ] || continue
		case $p in
		pup)	l="pup, one field (above)" ;;
		loop)	l="bare htmlReadMemory loop (above)" ;;
		xmllint) l="xmllint --html --xpath (above)" ;;
		esac
		row "  $l" "" "$(awk -v r="$pr" 'BEGIN { printf "%.0f pages/s", r }')" \
		    "$(mib "$pk")" "$pc" \
		    "$(xx "$grate" "$pr" "$gcrate" "$npages" "$pc")" ""
	done
}

if section extract-text "extract, text renderings ($npages pages)"; then
	if have_glean extract; then
		glean "glean-extract, $jobs threads (MB/s)" "$textb" MB \
		    "glean-extract $pg/text"
		[ -n "$grate" ] && row "  glean-extract (pages/s)" \
		    "$(amount "$npages" pages)" "$(rate "$npages" "$secs" pages)" \
		    "" "" "" ""
		glean "glean-extract -J 1 (MB/s)" "$textb" MB \
		    "glean-extract -J 1 $pg/text"
	fi
fi

# pup and the bare loop are timed once for both HTML sections.
pup_rate=
loop_rate=
xmllint_rate=
if section extract-html "extract, HTML pages ($npages pages, research layout)"
then
	if have_glean extract; then
		glean "glean-extract, $jobs threads" "$npages" pages \
		    "glean-extract $pg/html"
		row "  (glean-extract in MB/s)" "$(amount "$htmlb" MB)" \
		    "$(rate "$htmlb" "$secs" MB)" "" "" "" ""
		peer "pup 'h1 text{}' once per page" pup "$npages" pages \
		    "for f in $pg/html/*.html; do pup 'h1 text{}' <\$f; done"
		[ "$st" = 0 ] && pup_rate=$r && pup_kb=$kb && pup_cpu=$cpu
		peer "xmllint --html --xpath, one process" xmllint "$npages" \
		    pages "xmllint --html --xpath //h1 $pg/html/*.html 2>/dev/null"
		[ "$st" = 0 ] && xmllint_rate=$r && xmllint_kb=$kb &&
		    xmllint_cpu=$cpu
		peer "bare htmlReadMemory loop" htmlloop "$npages" pages \
		    "htmlloop $pg/html/*.html"
		[ "$st" = 0 ] && loop_rate=$r && loop_kb=$kb && loop_cpu=$cpu
		glean "glean-extract -J 1 (one thread)" "$npages" pages \
		    "glean-extract -J 1 $pg/html"
		against pup xmllint loop
	fi
fi

if section extract-f "extract, three -f XPath fields ($npages pages)"; then
	if have_glean extract; then
		x3="-f 'title=//h1' -f 'journal=//span[@class=\"journal\"]' -f 'authors=//div[@class=\"authors\"]'"
		if [ -z "$pup_rate" ]; then
			measure "for f in $pg/html/*.html; do pup 'h1 text{}' <\$f; done"
			[ "$st" = 0 ] && command -v pup >/dev/null 2>&1 &&
			    pup_rate=$(rateval "$npages" "$secs") &&
			    pup_kb=$kb && pup_cpu=$cpu
		fi
		if [ -z "$loop_rate" ]; then
			measure "htmlloop $pg/html/*.html"
			[ "$st" = 0 ] && loop_rate=$(rateval "$npages" "$secs") &&
			    loop_kb=$kb && loop_cpu=$cpu
		fi
		glean "glean-extract -f x3, $jobs threads" "$npages" pages \
		    "glean-extract $x3 $pg/html"
		against pup loop
		glean "glean-extract -f x3 -J 1 (one thread)" "$npages" \
		    pages "glean-extract -J 1 $x3 $pg/html"
		against pup loop
		# the same fields with the whole tree built (lib/xstream.c off)
		glean "glean-extract -f x3 -J 1, whole tree" "$npages" \
		    pages "GLEAN_NO_FASTPATH=1 glean-extract -J 1 $x3 $pg/html"
		against pup loop
	fi
fi

# Scaling: each stateless filter under GNU parallel, one job and two.
scale()		# NAME LABEL CMD [FILE AMOUNT UNIT]
{
	have_glean "$1" || return 0
	command -v parallel >/dev/null 2>&1 || {
		row "  $2" "" "missing" "" "" "" "no GNU parallel"
		return 0
	}
	sf=${4:-$nd} sa=${5:-$ndb} su=${6:-MB}
	measure "parallel --pipepart -a $sf --block -4 -j1 -k $3"
	[ "$st" = 0 ] || { failed "  $2 -j1"; return 0; }
	r1=$(rateval "$sa" "$secs")
	row "  $2 -j1" "$(amount "$sa" "$su")" "$(rate "$sa" "$secs" "$su")" \
	    "$(mib "$kb")" "$cpu" "" ""
	measure "parallel --pipepart -a $sf --block -4 -j2 -k $3"
	[ "$st" = 0 ] || { failed "  $2 -j2"; return 0; }
	row "  $2 -j2" "$(amount "$sa" "$su")" "$(rate "$sa" "$secs" "$su")" \
	    "$(mib "$kb")" "$cpu" \
	    "$(awk -v a="$(rateval "$sa" "$secs")" -v b="$r1" 'BEGIN { printf "%.2fx", a / b }')" \
	    "speed-up over -j1"
}

# GNU parallel itself takes about a quarter second to start: on the 200 MB
# input that is a sixth of a -j2 run, so the scaling rows read five times
# the data (the same records, five times over) to show the filters' scaling
# rather than parallel's start-up.
if section scaling "scaling: parallel --pipepart --block -4 -k, -j1 vs -j2, five times the input"
then
	big=$data/scale-5x.ndjson
	if [ ! -s "$big" ] || [ "$big" -ot "$nd" ]; then
		cat "$nd" "$nd" "$nd" "$nd" "$nd" >"$big.tmp" &&
		    mv "$big.tmp" "$big"
	fi
	bigb=$(bytes "$big")
	scale normalize "glean-normalize" glean-normalize "$big" "$bigb" MB
	scale tocsv "glean-tocsv -f --no-header" \
	    "glean-tocsv --no-header -f $F" "$big" "$bigb" MB
	# the pages as JSON lines ({"url", "html"}), made once
	if [ ! -s "$pg/pages.jsonl" ] && command -v python3 >/dev/null; then
		python3 -c '
import json, sys
with open(sys.argv[1], "w") as out:
    for f in sys.argv[2:]:
        html = open(f, encoding="utf-8", errors="replace").read()
        out.write(json.dumps({"url": "file:" + f, "html": html}) + "\n")
' "$pg/pages.jsonl.tmp" "$pg"/html/*.html &&
		    mv "$pg/pages.jsonl.tmp" "$pg/pages.jsonl"
	fi
	if [ -s "$pg/pages.jsonl" ]; then
		[ -s "$pg/pages-5x.jsonl" ] ||
		    cat "$pg/pages.jsonl" "$pg/pages.jsonl" "$pg/pages.jsonl" \
		    "$pg/pages.jsonl" "$pg/pages.jsonl" >"$pg/pages-5x.jsonl"
		scale extract "glean-extract -J 1, JSON lines of pages" \
		    "glean-extract -J 1" "$pg/pages-5x.jsonl" \
		    $((npages * 5)) pages
	fi
	if have_glean extract && command -v parallel >/dev/null 2>&1; then
		measure "find $pg/html -type f | sort | parallel -X -n 100 -j1 -k glean-extract -J 1"
		if [ "$st" = 0 ]; then
			r1=$(rateval "$npages" "$secs")
			row "  glean-extract -X -n 100 -j1" \
			    "$(amount "$npages" pages)" \
			    "$(rate "$npages" "$secs" pages)" "$(mib "$kb")" \
			    "$cpu" "" ""
			measure "find $pg/html -type f | sort | parallel -X -n 100 -j2 -k glean-extract -J 1"
			[ "$st" = 0 ] && row "  glean-extract -X -n 100 -j2" \
			    "$(amount "$npages" pages)" \
			    "$(rate "$npages" "$secs" pages)" "$(mib "$kb")" \
			    "$cpu" \
			    "$(awk -v a="$(rateval "$npages" "$secs")" -v b="$r1" 'BEGIN { printf "%.2fx", a / b }')" \
			    "speed-up over -j1"
		else
			failed "  glean-extract -X -n 100 -j1"
		fi
	fi
fi

# --- the table ---------------------------------------------------------------

end=$(date +%s)
ver()
{
	command -v "$1" >/dev/null 2>&1 || { echo "$1 missing"; return; }
	shift
	"$@" 2>&1 | head -n 1
}
echo "glean benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $((end - start)) s"
echo "machine: $(grep -m 1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr); load at end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "input: $(amount "$ndb" MB) NDJSON ($(wc -l <"$nd" | tr -d ' ') records), $(amount "$csvb" MB) CSV, $npages HTML pages ($(amount "$htmlb" MB)), $npages text renderings ($(amount "$textb" MB)), $BENCH_KEYS keys; slow peers on a $BENCH_SAMPLE_MB MB sample"
echo "rate = best of $BENCH_REPS runs or more (as many as fit in $BENCH_MINTIME s, up to $BENCH_MAXREPS), wall clock less the harness's own $(awk -v o="$overhead" 'BEGIN { printf "%.1f", o * 1000 }') ms (measured on /bin/true); RSS = peak resident set of the largest process; cpu = user+sys seconds"
echo "x = glean's rate / the tool's, by wall clock (and by CPU seconds: fairer when the machine is busy; a multi-threaded tool uses more CPU than wall time)"
echo
awk -F '\t' '
$2 == "" && $3 == "" && $4 == "" && $6 == "" && $7 == "" && $1 !~ /^ / {
	printf "\n%s\n", $1
	next
}
{ printf "%-38s %8s %14s %10s %7s %16s  %s\n", $1, $2, $3, $4, $5, $6, $7 }
' "$table" | sed 1d
echo
echo "versions:"
echo "  glean $(sed -n 's/^#define GLEAN_VERSION.*"\(.*\)"/\1/p' lib/rec.h), $($cc --version | head -n 1)"
echo "  $(ver jq jq --version); $(ver mlr mlr --version); $(ver gawk gawk --version | cut -d , -f 1); $(ver sort sort --version)"
echo "  pup $(ver pup pup --version); xmllint $(ver xmllint xmllint --version | sed 's/.*version //'); libxml2 $(pkg-config --modversion libxml-2.0)"
echo "  $(ver parallel parallel --version); $(ver python3 python3 --version); csvkit $(ver in2csv in2csv --version | sed 's/.* //')"
[ -n "$pkgs" ] && echo "  missing: $pkgs"
exit 0

#!/bin/sh
# tests/bench/scale.sh - how throughput and peak memory grow with the input:
# every glean binary and mode at BENCH_SIZES MB of generated NDJSON (and
# extract at 1x, 4x and 16x the page list), one table.  Not part of
# `make bench` (the 2 GB step alone takes minutes); run it by hand:
#	sh tests/bench/scale.sh			# 20, 200 and 2000 MB
#	BENCH_SIZES="20 200" sh tests/bench/scale.sh
# Data goes to ./bench-data/ as for run.sh (2 GB needs about 4 GB of disk).
set -u
LC_ALL=C
export LC_ALL
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
BENCH_SIZES=${BENCH_SIZES:-20 200 2000}
BENCH_PAGES=${BENCH_PAGES:-2000}
data=$top/bench-data
bin=$data/bin
tmp=$(mktemp -d "${TMPDIR:-/tmp}/glean-scale.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
PATH=$top:$bin:$PATH
export PATH
mkdir -p "$bin" || exit 1
if [ ! -x "$bin/gen" ] || [ tests/bench/gen.c -nt "$bin/gen" ]; then
	${CC:-cc} -std=c99 -O2 -D_POSIX_C_SOURCE=200809L -o "$bin/gen" \
	    tests/bench/gen.c || exit 1
fi

gendata()	# DIR gen-options...
{
	d=$1
	shift
	[ -f "$d/.done" ] && [ "$d/.done" -nt "$bin/gen" ] && return 0
	echo "scale: generating $d" >&2
	rm -rf "$d"
	mkdir -p "$d" && "$bin/gen" "$@" "$d" && : >"$d/.done" || exit 1
}

# measure CMD: one run; sets secs, kb, cpu (user+sys seconds), st
measure()
{
	t0=$(date +%s%N)
	/usr/bin/time -f '%M %U %S %x' -o "$tmp/time" sh -c "$1" >/dev/null \
	    2>"$tmp/err"
	t1=$(date +%s%N)
	set -- $(tail -n 1 "$tmp/time")
	kb=$1
	cpu=$(awk -v u="$2" -v s="$3" 'BEGIN { print u + s }')
	st=$4
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
}

out=$tmp/rows
one()		# LABEL SIZE AMOUNT UNIT CMD
{
	measure "$5"
	if [ "$st" != 0 ]; then
		r="failed ($st)"
		c=
		m=
	else
		r=$(awk -v n="$3" -v s="$secs" -v u="$4" 'BEGIN {
			if (u == "MB") printf "%.1f MB/s", n / s / 1e6
			else printf "%.0f %s/s", n / s, u }')
		c=$(awk -v n="$3" -v s="$cpu" -v u="$4" 'BEGIN {
			if (s <= 0) s = 0.01
			if (u == "MB") printf "%.1f MB/s", n / s / 1e6
			else printf "%.0f %s/s", n / s, u }')
		m=$(awk -v k="$kb" 'BEGIN { printf "%.1f MiB", k / 1024 }')
	fi
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$r" "$c" "$m" >>"$out"
	printf 'scale: %-32s %10s %14s %14s %10s\n' "$1" "$2" "$r" "$c" "$m" >&2
}

# Over 200 MB the generator would take minutes: the input is copies of the
# 200 MB one, each copy's "type" values prefixed with its number so that
# records and keys stay distinct across copies (dedupe's memory grows as
# with fresh data; not --near summary's, since the summaries repeat).
copies()	# MB
{
	d=$data/rec-$1
	[ -f "$d/.done" ] && [ "$d/.done" -nt "$data/rec-200/.done" ] &&
	    return 0
	gendata "$data/rec-200" -m 200 -p 0
	echo "scale: making $d from copies of rec-200" >&2
	rm -rf "$d"
	mkdir -p "$d" || exit 1
	n=$(($1 / 200))
	i=1
	while [ $i -le $n ]; do
		sed "s/^{\"type\":\"/{\"type\":\"$i/" \
		    "$data/rec-200/records.ndjson"
		i=$((i + 1))
	done >"$d/records.ndjson" || exit 1
	head -n 1 "$data/rec-200/records.csv" >"$d/records.csv"
	i=1
	while [ $i -le $n ]; do
		sed '1d; s/^\(study\|post\|reference\),/'"$i"'\1,/' \
		    "$data/rec-200/records.csv"
		i=$((i + 1))
	done >>"$d/records.csv" || exit 1
	: >"$d/.done"
}

F=type,title,community,upvotes,age,summary
for mb in $BENCH_SIZES; do
	if [ "$mb" -gt 200 ] && [ $((mb % 200)) = 0 ]; then
		copies "$mb"
	else
		gendata "$data/rec-$mb" -m "$mb" -p 0
	fi
	nd=$data/rec-$mb/records.ndjson
	csv=$data/rec-$mb/records.csv
	b=$(wc -c <"$nd" | tr -d ' ')
	cb=$(wc -c <"$csv" | tr -d ' ')
	sz="$mb MB"
	[ -x glean-tocsv ] && one "tocsv -f (6 columns)" "$sz" "$b" MB \
	    "glean-tocsv -f $F $nd"
	[ -x glean-tocsv ] && one "tocsv, union of keys" "$sz" "$b" MB \
	    "glean-tocsv $nd"
	[ -x glean-fromcsv ] && one "fromcsv" "$sz" "$cb" MB \
	    "glean-fromcsv $csv"
	[ -x glean-normalize ] && one "normalize (default)" "$sz" "$b" MB \
	    "glean-normalize $nd"
	[ -x glean-dedupe ] && one "dedupe (whole record)" "$sz" "$b" MB \
	    "glean-dedupe $nd"
	[ -x glean-dedupe ] && one "dedupe -k type,title" "$sz" "$b" MB \
	    "glean-dedupe -k type,title $nd"
	[ -x glean-dedupe ] && one "dedupe --near summary" "$sz" "$b" MB \
	    "glean-dedupe --near summary $nd"
done
gendata "$data/pages-$BENCH_PAGES" -m 0 -p "$BENCH_PAGES"
pg=$data/pages-$BENCH_PAGES
if [ -x glean-extract ]; then
	for k in 1 4 16; do
		ops=
		i=0
		while [ $i -lt $k ]; do
			ops="$ops $pg/html"
			i=$((i + 1))
		done
		one "extract HTML (research pages)" \
		    "$((BENCH_PAGES * k)) p" "$((BENCH_PAGES * k))" pages \
		    "glean-extract $ops"
	done
fi

echo "glean scaling, $(date -u '+%Y-%m-%d %H:%M UTC'); $(grep -m 1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores; load at end: $(cut -d ' ' -f 1-3 /proc/loadavg)"
printf '%-36s %10s %14s %14s %10s\n' "binary / mode" input rate "per CPU second" "peak RSS"
sort -s -t "$(printf "\t")" -k1,1 "$out" |
    awk -F "\t" '{ printf "%-36s %10s %14s %14s %10s\n", $1, $2, $3, $4, $5 }'

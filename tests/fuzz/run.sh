#!/bin/sh
# tests/fuzz/run.sh - what `make fuzz` runs: build every libFuzzer target in
# tests/fuzz/*.c with clang (-fsanitize=fuzzer,address,undefined, the lib
# sources compiled in), replay the regression inputs in testdata/fuzz-NAME/,
# then fuzz each target for FUZZ_SECONDS (default 10) from a seed corpus
# taken from testdata/.  Exits non-zero on any finding.
#
#	FUZZ_SECONDS=600 sh tests/fuzz/run.sh		# the long campaign
#	sh tests/fuzz/run.sh ndjson csv			# some targets only
#
# Findings become regression inputs in testdata/fuzz-NAME/, replayed
# first on every run.  To collect several findings in one long run:
#	FUZZ_ARGS="-fork=1 -ignore_crashes=1" sh tests/fuzz/run.sh
#
# A target whose lib header is missing (its module has not landed) is
# skipped and said so.  Findings (crash-*, leak-*, timeout-*, oom-*) are
# written to tests/fuzz/bin/NAME/; the last line per target gives its
# executions, which is what the issue asks to record.
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
: "${FUZZ_SECONDS:=10}"
: "${CLANG:=clang}"
: "${PKG_CONFIG:=pkg-config}"
bin=tests/fuzz/bin
pkgs="libxml-2.0 libcjson libutf8proc libxxhash"
# FUZZ_ARGS adds libFuzzer options (-fork=2 -ignore_crashes=1 to go on
# past a finding and collect them all).
# FUZZ_CFLAGS adds flags, e.g. -fno-sanitize=pointer-overflow to look past
# a known finding.
san="-fsanitize=address,undefined -fno-sanitize-recover=all ${FUZZ_CFLAGS:-}"
cflags="-std=c99 -g -O1 -fno-omit-frame-pointer -D_POSIX_C_SOURCE=200809L \
    -Ilib $($PKG_CONFIG --cflags $pkgs 2>/dev/null)"
libs="$($PKG_CONFIG --libs $pkgs 2>/dev/null) -lcsv -lm"
# Each input may be at most this long, and one input may take this long.
maxlen=${FUZZ_MAXLEN:-65536}

command -v "$CLANG" >/dev/null 2>&1 || {
	echo "fuzz: $CLANG not found (apt-get install clang libclang-rt-14-dev)"
	exit 1
}

mkdir -p "$bin/obj" || exit 1
# Objects built with other flags are stale.
if [ "$(cat "$bin/obj/flags" 2>/dev/null)" != "$CLANG $cflags $san" ]; then
	rm -f "$bin"/obj/*.o
	printf '%s\n' "$CLANG $cflags $san" >"$bin/obj/flags"
fi

# The lib, once, with coverage instrumentation but no fuzzer main.
objs=
for src in lib/*.c; do
	o=$bin/obj/$(basename "$src" .c).o
	if [ ! -f "$o" ] || [ "$src" -nt "$o" ] ||
	    [ -n "$(find lib -name '*.h' -newer "$o" 2>/dev/null)" ]; then
		$CLANG $cflags $san -fsanitize=fuzzer-no-link -c -o "$o" \
		    "$src" || { echo "fuzz: cannot build $src"; exit 1; }
	fi
	objs="$objs $o"
done

# seeds NAME DIR: fill the corpus of target NAME from testdata/.
seeds()
{
	case $1 in
	ndjson|csvw)	pat='*.ndjson *input *expected *.json' ;;
	csv)		pat='*.csv *.tsv *input' ;;
	html|xpath)	pat='*.html *.htm' ;;
	research)	pat='*.txt' ;;
	norm)		pat='*.ndjson *input' ;;
	dedupe)		pat='*.ndjson *input' ;;
	*)		pat='*' ;;
	esac
	for p in $pat; do
		find testdata -type f -name "$p" -size -64k 2>/dev/null
	done | sort -u | while read -r f; do
		cp "$f" "$2/seed-$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
	done
	# Extra seeds kept beside the target, when there are any.
	[ -d "tests/fuzz/seeds-$1" ] && cp tests/fuzz/seeds-"$1"/* "$2"/
	# xpath: plain paths (read from the parser's events, and compared
	# with the tree's way) on the pages of testdata/.
	[ "$1" = xpath ] && find testdata -type f -name '*.html' -size -16k |
	    sort | head -n 40 | while read -r f; do
		k=$(printf '%s' "$f" | cksum | cut -d' ' -f1)
		i=0
		for spec in 't=//h1' 'a[]=//a/@href' 'x=//div/text()' \
		    'h:html=//p[@class="x"]' 'c=//*[contains(@class,"a")]' \
		    'm=//meta[@name="citation_title"]/@content' \
		    'd=/html/body/div//span' 'b=//base/@href' \
		    "e=//div[@id][@class='b']//a/@href" 'i[]=//li/text()'; do
			i=$((i + 1))
			printf '%s\n\n' "$spec" | cat - "$f" \
			    >"$2/plain-$k-$i"
		done
	done
	return 0
}

fail=0 ran=0
for src in tests/fuzz/*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	if [ $# -gt 0 ]; then
		case " $* " in *" $name "*) ;; *) continue ;; esac
	fi
	# Skip a target whose module has not landed yet.
	missing=
	for h in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$src"); do
		[ -f "lib/$h" ] || [ -f "tests/fuzz/$h" ] || missing="$missing $h"
	done
	if [ -n "$missing" ]; then
		echo "fuzz $name: skipped (no$missing)"
		continue
	fi
	exe=$bin/$name/fuzz_$name
	mkdir -p "$bin/$name" || exit 1
	$CLANG $cflags $san -fsanitize=fuzzer -Itests/fuzz -o "$exe" "$src" \
	    $objs $libs || { echo "fuzz $name: FAIL build"; fail=1; continue; }
	# Regression inputs found by earlier campaigns.
	if [ -d "testdata/fuzz-$name" ]; then
		if ! "$exe" -runs=1 testdata/fuzz-"$name"/* \
		    >"$bin/$name/regress.log" 2>&1; then
			echo "fuzz $name: FAIL regression input, see" \
			    "$bin/$name/regress.log:"
			grep -E 'check failed|ERROR|SUMMARY|Running:' \
			    "$bin/$name/regress.log" | tail -3 | sed 's/^/	/'
			fail=1
		fi
	fi
	corpus=tests/fuzz/corpus-$name
	mkdir -p "$corpus" || exit 1
	seeds "$name" "$corpus"
	ran=$((ran + 1))
	log=$bin/$name/fuzz.log
	"$exe" -max_total_time="$FUZZ_SECONDS" -max_len="$maxlen" \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$bin/$name/" ${FUZZ_ARGS:-} "$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -1)
	# -fork prints no final stats: take the last status line's count.
	[ -n "$runs" ] || runs=$(grep -a -o '#[0-9]*: cov' "$log" | tail -1 |
	    tr -dc 0-9)
	if [ $rc != 0 ]; then
		echo "fuzz $name: FAIL status $rc after ${runs:-?} runs," \
		    "see $log:"
		grep -E 'check failed|ERROR|SUMMARY|Test unit written' "$log" |
		    head -6 | sed 's/^/	/'
		# The finding itself, so that a CI log alone reproduces it:
		# base64 -d >testdata/fuzz-NAME/x, then run.sh replays it.
		for f in "$bin/$name"/crash-* "$bin/$name"/leak-* \
		    "$bin/$name"/timeout-* "$bin/$name"/oom-*; do
			[ -f "$f" ] || continue
			if [ "$(wc -c <"$f")" -le 16384 ]; then
				echo "	$f, base64:"
				base64 "$f" | sed 's/^/	/'
			fi
			break
		done
		fail=1
	else
		echo "fuzz $name: ok, ${runs:-?} runs in ${FUZZ_SECONDS}s," \
		    "corpus $(ls "$corpus" | wc -l)"
	fi
done
[ $ran -gt 0 ] || echo "fuzz: no target ran"
exit $fail

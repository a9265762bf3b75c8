#!/bin/sh
# tests/run.sh [-u] [prefix ...]: the one test harness.
#
# For each build in GLEAN_BINS (directories holding glean-* and tests/unit,
# relative to the checkout; default "."), runs every golden case
# testdata/NAME/ (args, input, expected, stderr, status), the unit tests and
# every script test tests/NAME.test (which print "ok ..." or "FAIL ..."
# lines).  With prefixes, only cases and scripts whose name starts with one.
# -u rewrites the golden files of the selected cases from actual output.
# Ends with "N passed, N failed" and exits non-zero iff something failed.
top=$(cd "$(dirname "$0")/.." && pwd)
LC_ALL=C
CONFORMANCE=${CONFORMANCE:-$top/../shared/conformance}
case $CONFORMANCE in /*) ;; *) CONFORMANCE=$(pwd)/$CONFORMANCE ;; esac
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=99:abort_on_error=0}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:exitcode=99}
export LC_ALL CONFORMANCE ASAN_OPTIONS UBSAN_OPTIONS
update=0
[ "${1:-}" = -u ] && { update=1; shift; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
pass=0 fail=0
bins=${GLEAN_BINS:-.}

selected() {
	[ $# -gt 1 ] || return 0
	n=$1
	shift
	for p in "$@"; do
		case $n in "$p"*) return 0 ;; esac
	done
	return 1
}

for b in $bins; do
	bin=$(cd "$top/$b" && pwd) || { fail=$((fail + 1)); continue; }
	label=
	[ "$b" = . ] || label=" [$b]"
	PATH=$bin:$top/tests:$PATH
	GLEAN_TOP=$top GLEAN_BIN=$bin UNIT=$bin/tests/unit
	export PATH GLEAN_TOP GLEAN_BIN UNIT

	for dir in "$top"/testdata/*/; do
		dir=${dir%/}
		name=${dir##*/}
		[ -f "$dir/args" ] || continue
		selected "$name" "$@" || continue
		in=/dev/null
		[ -f "$dir/input" ] && in=$dir/input
		(cd "$dir" && TMPDIR=$tmp timeout 300 sh -c "$(cat args)") \
		    <"$in" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		want=0
		[ -f "$dir/status" ] && want=$(cat "$dir/status")
		if [ $update = 1 ] && [ "$b" = . ]; then
			cp "$tmp/out" "$dir/expected"
			if [ -s "$tmp/err" ] || [ -f "$dir/stderr" ]; then
				cp "$tmp/err" "$dir/stderr"
			fi
			if [ $rc != 0 ]; then echo $rc >"$dir/status"
			else rm -f "$dir/status"; fi
			want=$rc
		fi
		why=
		cmp -s "$dir/expected" "$tmp/out" 2>/dev/null ||
		    why="stdout differs"
		if [ -f "$dir/stderr" ] && ! cmp -s "$dir/stderr" "$tmp/err"
		then
			why="${why:+$why, }stderr differs"
		fi
		[ "$rc" = "$want" ] || why="${why:+$why, }status $rc, want $want"
		if [ -z "$why" ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL $name$label: $why"
			if [ -f "$dir/expected" ]; then
				diff -u "$dir/expected" "$tmp/out" | head -20 |
				    sed 's/^/	/'
			fi
			if [ -f "$dir/stderr" ]; then
				diff -u "$dir/stderr" "$tmp/err" | head -10 |
				    sed 's/^/	/'
			elif [ "$rc" != "$want" ]; then
				head -5 "$tmp/err" | sed 's/^/	stderr: /'
			fi
		fi
	done

	if selected unit "$@" && [ -x "$bin/tests/unit" ]; then
		"$bin/tests/unit" >"$tmp/unit" 2>&1
		rc=$?
		grep '^FAIL' "$tmp/unit"
		p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' \
		    "$tmp/unit")
		f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' \
		    "$tmp/unit")
		if [ -z "$p" ] || { [ $rc != 0 ] && [ "${f:-0}" = 0 ]; }; then
			echo "FAIL unit$label: exit $rc without a summary"
			tail -5 "$tmp/unit" | sed 's/^/	/'
			fail=$((fail + 1))
		else
			pass=$((pass + p))
			fail=$((fail + f))
		fi
	fi

	for t in "$top"/tests/*.test; do
		[ -f "$t" ] || continue
		name=${t##*/}
		name=${name%.test}
		selected "$name" "$@" || continue
		mkdir -p "$tmp/t" && rm -rf "$tmp/t"/* "$tmp/t"/.[!.]* 2>/dev/null
		(cd "$tmp/t" && TMPDIR=$tmp/t timeout 900 sh "$t") \
		    >"$tmp/script" 2>"$tmp/script.err"
		rc=$?
		p=$(grep -c '^ok' "$tmp/script")
		f=$(grep -c '^FAIL' "$tmp/script")
		# awk, not sed: the label may be a path with slashes
		grep '^FAIL' "$tmp/script" |
		    awk -v p="$name$label" '{ sub(/^FAIL /, ""); print "FAIL " p ": " $0 }'
		grep -i '^[a-z]*: skipped' "$tmp/script"
		pass=$((pass + p))
		fail=$((fail + f))
		if [ $rc != 0 ] && [ $f = 0 ]; then
			echo "FAIL $name$label: exit $rc"
			tail -5 "$tmp/script.err" | sed 's/^/	/'
			fail=$((fail + 1))
		fi
	done
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]

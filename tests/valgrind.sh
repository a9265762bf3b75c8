#!/bin/sh
# tests/valgrind.sh [prefix ...] - the golden suite (and the unit tests)
# with every binary under valgrind memcheck: wrapper scripts named like the
# binaries, in a temporary directory, run the normal build through
# "valgrind --error-exitcode=99 --leak-check=full"; tests/run.sh is pointed
# at that directory with GLEAN_BINS, so any memcheck error or definite or
# indirect leak shows as a failed case (status 99, valgrind's report on
# stderr).  Script tests are not run by default (their big inputs take
# too long under valgrind); name prefixes to choose cases or scripts.
# Ends with run.sh's "N passed, N failed" and its exit status.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
command -v valgrind >/dev/null 2>&1 || {
	echo "valgrind: not installed (apt-get install valgrind)"
	exit 1
}
ls glean-* >/dev/null 2>&1 || { echo "valgrind: run make first"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

vg="valgrind -q --error-exitcode=99 --leak-check=full"
vg="$vg --show-leak-kinds=definite,indirect"
vg="$vg --errors-for-leak-kinds=definite,indirect --num-callers=30"
mkdir -p "$tmp/tests"
for b in glean-* tests/unit; do
	[ -f "$b" ] && [ -x "$b" ] || continue
	# valgrind needs a writable TMPDIR itself: a case that makes it
	# unwritable on purpose runs without valgrind.
	printf '#!/bin/sh\n%s\nexec %s %s "$@"\n' \
	    "[ -z \"\$TMPDIR\" ] || [ -w \"\$TMPDIR\" ] || exec $top/$b \"\$@\"" \
	    "$vg" "$top/$b" >"$tmp/$b"
	chmod +x "$tmp/$b"
done

# run.sh takes build directories relative to the checkout.
up=$(printf '%s\n' "$top" | sed 's|/[^/]*|../|g')
rel=$up${tmp#/}

if [ $# -eq 0 ]; then
	set -- unit
	for d in testdata/*/; do
		d=${d%/}
		[ -f "$d/args" ] && set -- "$@" "${d#testdata/}"
	done
fi
GLEAN_BINS=$rel sh tests/run.sh "$@"

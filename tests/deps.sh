#!/bin/sh
# tests/deps.sh build|check|bench|fuzz: make sure the Debian packages that
# step needs are installed.  As root it installs what is missing with
# apt-get; otherwise it stops with the exact command to run.
set -u
build="gcc make pkg-config libxml2-dev libcjson-dev libcsv-dev libutf8proc-dev libxxhash-dev"
check="$build groff-base mandoc jq miller sqlite3 python3 parallel libtsan2"
bench="$check gawk time pup libxml2-utils csvkit"
fuzz="$build clang libclang-rt-14-dev"
valgrind="$build valgrind"
case ${1:-build} in
build) want=$build ;;
check) want=$check ;;
bench) want=$bench ;;
fuzz) want=$fuzz ;;
valgrind) want=$valgrind ;;
*) echo "usage: tests/deps.sh build|check|bench|fuzz|valgrind" >&2; exit 64 ;;
esac
command -v dpkg-query >/dev/null 2>&1 || exit 0	# not Debian: trust the user
missing=
for p in $want; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case $s in *" installed") ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 &&
	    apt-get install -y -qq --no-install-recommends $missing >&2 && exit 0
	echo "tests/deps.sh: apt-get failed; run: apt-get install$missing" >&2
	exit 1
fi
echo "glean needs packages that are not installed; run:" >&2
echo "  sudo apt-get install$missing" >&2
exit 1

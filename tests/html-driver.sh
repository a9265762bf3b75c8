# html-driver.sh - sourced by the tests that use tests/html-driver.c: builds
# it into $TMPDIR against the library of the build under test (normal or
# asan) and puts it first in PATH.  Sets driver=0 (and says why) when it
# cannot, driver=1 when it is ready.
top=${GLEAN_TOP:?}
bin=${GLEAN_BIN:-$top}
lib=$bin/obj/librec.a
driver=0
san=
case $bin in
*/asan) san="-O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
    -fno-sanitize-recover=all" ;;
esac
pc=${PKG_CONFIG:-pkg-config}
if [ ! -f "$lib" ]; then
	echo "${0##*/}: skipped (no $lib)"
# shellcheck disable=SC2086
elif ! cc -std=c99 -O2 -g -Wall -Wextra -Wpedantic -Wshadow \
    -Wstrict-prototypes -Werror $san -D_POSIX_C_SOURCE=200809L -pthread \
    -I"$top/lib" $($pc --cflags libxml-2.0 libcjson) \
    -o "$TMPDIR/html-driver" "$top/tests/html-driver.c" "$lib" \
    $($pc --libs libxml-2.0 libcjson libutf8proc libxxhash) -lcsv -lm \
    2>"$TMPDIR/cc.err"; then
	echo "FAIL html-driver: does not build: $(head -3 "$TMPDIR/cc.err")"
else
	driver=1
	PATH=$TMPDIR:$PATH
	export PATH
fi

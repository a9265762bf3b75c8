# glean - build, test, install, demo and bench.  GNU make (see README,
# "Decisions": objects go under $(OUT)/obj so that the sanitizer build in
# asan/ sits beside the normal one without a clean rebuild).

PREFIX     = /usr/local
BINDIR     = $(PREFIX)/bin
MANDIR     = $(PREFIX)/share/man
CC         = cc
CFLAGS     = -std=c99 -O2 -g -Wall -Wextra -Wpedantic -Wshadow \
             -Wstrict-prototypes
LDFLAGS    =
PKG_CONFIG = pkg-config
OUT        = .
PKGS       = libxml-2.0 libcjson libutf8proc libxxhash
DEP_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
XML_LIBS   = $(shell $(PKG_CONFIG) --libs libxml-2.0 2>/dev/null)
REC_LIBS   = $(shell $(PKG_CONFIG) --libs libcjson libutf8proc libxxhash \
             2>/dev/null) $(CSV_LIBS) -lm -pthread
CSV_LIBS   = -lcsv
CPPFLAGS   = -D_POSIX_C_SOURCE=200809L -pthread -Ilib $(DEP_CFLAGS)
SAN        = -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=all
# Run make check with SANITIZE=0 to skip the sanitizer pass.
SANITIZE   = 1

NAMES   = $(patsubst cmd/%.c,%,$(wildcard cmd/*.c))
BIN     = $(patsubst %,$(OUT)/glean-%,$(NAMES))
LIBSRC  = $(wildcard lib/*.c)
LIBOBJ  = $(patsubst %.c,$(OUT)/obj/%.o,$(LIBSRC))
LIB     = $(OUT)/obj/librec.a
HDRS    = $(wildcard lib/*.h)
MAN1    = $(patsubst %,man/glean-%.1,$(NAMES))

all: deps $(BIN) $(OUT)/tests/unit

deps:
	@sh tests/deps.sh build

$(OUT)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIBOBJ)
	rm -f $@
	$(AR) -rc $@ $(LIBOBJ)

$(OUT)/glean-%: $(OUT)/obj/cmd/%.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(XML_LIBS) $(REC_LIBS)

$(OUT)/tests/unit: tests/unit.c $(LIB) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ tests/unit.c $(LIB) \
	    $(XML_LIBS) $(REC_LIBS)

asan:
	$(MAKE) OUT=asan CFLAGS="$(CFLAGS) $(SAN)" \
	    LDFLAGS="$(LDFLAGS) -fsanitize=address,undefined" \
	    asan/tests/unit $(patsubst %,asan/glean-%,$(NAMES))

# ThreadSanitizer build of the binaries with threads (glean-extract, and
# glean-dedupe's reading thread): tests/extract-threads.test and
# tests/dedupe-lines.test run them when they are there.
TSAN       = -O1 -fno-omit-frame-pointer -fsanitize=thread

tsan:
	$(MAKE) OUT=tsan CFLAGS="$(CFLAGS) $(TSAN)" \
	    LDFLAGS="$(LDFLAGS) -fsanitize=thread" tsan/glean-extract \
	    tsan/glean-dedupe

# make check: every tier (golden cases, unit tests, conformance, script
# tests) against the normal build and again against the sanitizer build
# (and the threads of glean-extract and glean-dedupe under
# ThreadSanitizer).
check: all lint-man
	@sh tests/deps.sh check
	@if [ "$(SANITIZE)" = 1 ]; then $(MAKE) --no-print-directory asan && \
	    $(MAKE) --no-print-directory tsan && \
	    GLEAN_BINS=". asan" sh tests/run.sh; \
	else GLEAN_BINS=. sh tests/run.sh; fi

lint-man:
	@for m in $(MAN1) man/glean.7; do \
	    [ -f $$m ] || { echo "missing $$m"; exit 1; }; \
	    out=$$(groff -mdoc -Tutf8 -ww -z $$m 2>&1); \
	    [ -z "$$out" ] || { echo "$$m: $$out"; exit 1; }; \
	    out=$$(mandoc -Tlint -W warning $$m 2>&1); \
	    [ -z "$$out" ] || { echo "$$out"; exit 1; }; \
	done

demo: all
	@sh tests/demo.sh

bench: all
	@sh tests/bench/run.sh

fuzz:
	@sh tests/fuzz/run.sh

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man7
	for t in $(NAMES); do \
		cp -f glean-$$t $(DESTDIR)$(BINDIR)/ && \
		chmod 755 $(DESTDIR)$(BINDIR)/glean-$$t && \
		cp -f man/glean-$$t.1 $(DESTDIR)$(MANDIR)/man1/ && \
		chmod 644 $(DESTDIR)$(MANDIR)/man1/glean-$$t.1 || exit 1; \
	done
	cp -f man/glean.7 $(DESTDIR)$(MANDIR)/man7/
	chmod 644 $(DESTDIR)$(MANDIR)/man7/glean.7

uninstall:
	for t in $(NAMES); do \
		rm -f $(DESTDIR)$(BINDIR)/glean-$$t \
		    $(DESTDIR)$(MANDIR)/man1/glean-$$t.1; \
	done
	rm -f $(DESTDIR)$(MANDIR)/man7/glean.7

clean:
	rm -rf obj asan tsan tests/unit glean-* tests/fuzz/bin

.PHONY: all deps asan tsan check lint-man demo bench fuzz install uninstall clean
.DELETE_ON_ERROR:
.SECONDARY:

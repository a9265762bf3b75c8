/* unit.c - unit tests of the record library; "unit cat|csv FILE" reads one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "rec.h"
#include "dedupe.h"

#define CHECK(c) check((c), __FILE__, __LINE__, #c)

static int npass, nfail;

static void
check(int ok, const char *file, int line, const char *expr)
{
	if (ok) {
		npass++;
		return;
	}
	nfail++;
	printf("FAIL unit: %s:%d: %s\n", file, line, expr);
}

/* A FILE holding s, backed by a real descriptor as the reader wants. */
static FILE *
input(const char *s, size_t n)
{
	FILE *fp;

	if ((fp = tmpfile()) == NULL) {
		perror("tmpfile");
		exit(EX_IOERR);
	}
	fwrite(s, 1, n, fp);
	fflush(fp);
	rewind(fp);
	return fp;
}

/*
 * Reads every record of s and returns what a tool would print: each good
 * record as NDJSON, each bad one as "!LINE: message\n".
 */
static char *
readall(const char *s, size_t n, enum rec_format fmt, int flags)
{
	static char out[1 << 16];
	struct rec_reader *r;
	struct rec_writer *w;
	struct arena *a;
	struct rec rec;
	FILE *fp, *mem;
	int st;

	fp = input(s, n);
	mem = fmemopen(out, sizeof(out) - 1, "w");
	memset(out, 0, sizeof(out));
	r = rec_reader_new(fp, "t", fmt);
	rec_reader_set_flags(r, flags);
	rec_reader_set_max(r, 1000);
	w = rec_writer_new(mem);
	a = arena_new();
	while ((st = rec_read(r, a, &rec)) != REC_EOF) {
		if (st == REC_OK)
			rec_write(w, &rec);
		else {
			rec_writer_flush(w);
			fprintf(mem, "!%lu: %s\n", rec_reader_line(r),
			    rec_reader_error(r));
		}
		if (st == REC_IOERR)
			break;
		arena_reset(a);
	}
	rec_writer_free(w);
	fclose(mem);
	rec_reader_free(r);
	arena_free(a);
	fclose(fp);
	return out;
}

#define RD(s)	readall((s), sizeof(s) - 1, REC_NDJSON, 0)
#define RDCSV(s, f) readall((s), sizeof(s) - 1, REC_CSV, (f))

static void
test_arena(void)
{
	struct arena *a;
	char *p, *q;
	size_t i;

	a = arena_new();
	p = arena_alloc(a, 10, 1);
	CHECK(((size_t)p & 15) == 0);
	q = arena_alloc(a, 1, 200000);	/* bigger than a block */
	CHECK(q != NULL && q[199999] == 0);
	memset(q, 'x', 200000);
	p = arena_strndup(a, "hello", 3);
	CHECK(strcmp(p, "hel") == 0);
	p = arena_printf(a, "%d-%s", 42, "x");
	CHECK(strcmp(p, "42-x") == 0);
	for (i = 0; i < 1000; i++)
		arena_alloc(a, 1000, 1);
	CHECK(arena_bytes(a) > 1000000);
	arena_reset(a);
	CHECK(arena_bytes(a) < 300000);
	/* growing the newest allocation keeps its bytes */
	p = arena_alloc(a, 4, 1);
	memcpy(p, "abc", 4);
	p = arena_realloc(a, p, 4, 100000);
	CHECK(strcmp(p, "abc") == 0);
	arena_free(a);
}

static void
test_buf(void)
{
	struct arena *a = arena_new();
	struct buf b;
	int i;

	buf_init(&b, a);
	for (i = 0; i < 1000; i++)
		buf_puts(&b, "ab");
	CHECK(b.len == 2000 && b.p[1999] == 'b' && b.p[2000] == '\0');
	buf_init(&b, a);
	buf_json(&b, "a\"b\\c\n\x01\xc3\xa9", 9);
	CHECK(strcmp(b.p, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"") == 0);
	buf_init(&b, a);
	buf_printf(&b, "%05d", 42);
	CHECK(strcmp(b.p, "00042") == 0);
	arena_free(a);
}

static void
test_utf8(void)
{
	struct arena *a = arena_new();
	size_t n, bad;
	char *p;

	CHECK(utf8_check("abc", 3) == 3);
	CHECK(utf8_check("\xc3\xa9t\xc3\xa9", 5) == 5);
	CHECK(utf8_check("\xf0\x9f\x98\x80", 4) == 4);	/* emoji */
	CHECK(utf8_check("ab\xff", 3) == 2);
	CHECK(utf8_check("\xc0\xaf", 2) == 0);		/* overlong '/' */
	CHECK(utf8_check("\xe0\x80\xaf", 3) == 0);	/* overlong */
	CHECK(utf8_check("\xed\xa0\x80", 3) == 0);	/* surrogate */
	CHECK(utf8_check("\xf4\x90\x80\x80", 4) == 0);	/* > U+10FFFF */
	CHECK(utf8_check("abcdefghij\xe2\x82", 12) == 10); /* truncated */
	p = utf8_repair(a, "a\xffz", 3, &n, &bad);
	CHECK(n == 5 && bad == 1 && memcmp(p, "a\xef\xbf\xbdz", 5) == 0);
	arena_free(a);
}

static void
test_record(void)
{
	struct arena *a = arena_new();
	struct rec r, sub;
	const struct field *f;
	size_t n;
	char **v;

	rec_init(&r);
	rec_set_str(&r, a, "a", "1");
	rec_set_int(&r, a, "b", -42);
	rec_set_null(&r, a, "c");
	rec_set_str(&r, a, "a", "2");
	CHECK(r.nfields == 3);
	f = rec_get(&r, "a");
	CHECK(f != NULL && strcmp(f->val, "2") == 0 && f->type == REC_STRING);
	f = rec_get(&r, "b");
	CHECK(f != NULL && strcmp(f->val, "-42") == 0 && f->type == REC_NUMBER);
	f = rec_get(&r, "c");
	CHECK(f != NULL && strcmp(f->val, "null") == 0);
	CHECK(rec_get(&r, "zz") == NULL);
	CHECK(rec_del(&r, "b") == 1 && r.nfields == 2);
	CHECK(strcmp(r.fields[1].key, "c") == 0);

	CHECK(rec_is_number("0", 1) && rec_is_number("-0.0", 4));
	CHECK(rec_is_number("1e400", 5) && rec_is_number("1.10", 4));
	CHECK(!rec_is_number("01", 2) && !rec_is_number("1.", 2));
	CHECK(!rec_is_number("-", 1) && !rec_is_number(".5", 2));
	CHECK(!rec_is_number("1e", 2) && !rec_is_number("+1", 2));

	rec_init(&r);
	rec_add(&r, a, "o", "{\"x\":1.50,\"y\":[1,\"a\"]}", 22, REC_OBJECT);
	CHECK(rec_value_fields(a, &r.fields[0], &sub) == 0);
	CHECK(sub.nfields == 2 && strcmp(sub.fields[0].val, "1.50") == 0);
	CHECK(sub.fields[1].type == REC_ARRAY &&
	    strcmp(sub.fields[1].val, "[1,\"a\"]") == 0);
	CHECK(rec_value_fields(a, &sub.fields[1], &r) == 0);
	CHECK(r.nfields == 2 && strcmp(r.fields[1].key, "1") == 0 &&
	    strcmp(r.fields[1].val, "a") == 0);

	cli.perm = a;
	v = cli_list("a,b\\,c,,d", &n);
	CHECK(n == 4 && strcmp(v[1], "b,c") == 0 && *v[2] == '\0' &&
	    v[4] == NULL);
	CHECK(cli_size("64M") == (size_t)64 << 20);
	CHECK(cli_size("10k") == 10240 && cli_size("5") == 5);
	CHECK(cli_size("x") == 0 && cli_size("0") == 0 && cli_size("1Q") == 0);
	cli.perm = NULL;
	arena_free(a);
}

static void
test_ndjson(void)
{
	char big[2102];

	/* numbers keep their literals; key order kept; passthrough */
	CHECK(strcmp(RD("{\"id\":12345678901234567890,\"x\":1.10}\n"),
	    "{\"id\":12345678901234567890,\"x\":1.10}\n") == 0);
	CHECK(strcmp(RD("{ \"a\" : -0.0 , \"b\":1e400}\r\n"),
	    "{ \"a\" : -0.0 , \"b\":1e400}\n") == 0);
	/* nested values: compact, literals kept, UTF-8 not escaped */
	CHECK(strcmp(RD("{\"a\":[1.0, {\"b\" : 2E5}],\"\xc3\xa9\":\"\\u00e9\","
	    "\"a\":1}\n"), "{\"a\":1,\"\xc3\xa9\":\"\xc3\xa9\"}\n") == 0);
	/* BOM, blank lines, no final newline */
	CHECK(strcmp(RD("\xef\xbb\xbf{\"a\":1}\n\n   \n{\"b\":2}"),
	    "{\"a\":1}\n{\"b\":2}\n") == 0);
	/* not an object; bad JSON names the line */
	CHECK(strcmp(RD("[1,2]\n{\"a\":1}\n\"x\"\n"),
	    "!1: not an object\n{\"a\":1}\n!3: not an object\n") == 0);
	CHECK(strcmp(RD("{\"a\":1}\n{\"a\":01}\n"),
	    "{\"a\":1}\n!2: invalid JSON: invalid number at column 6 near "
	    "'01}'\n") == 0);
	CHECK(strcmp(RD("{\"a\":tru}\n"),
	    "!1: invalid JSON: syntax error at column 6 near 'tru}'\n") == 0);
	CHECK(strcmp(RD("{\"a\":1} x\n"),
	    "!1: invalid JSON: text after the value at column 9 near 'x'\n")
	    == 0);
	/* an object spanning lines; a truncated one before a new record */
	CHECK(strcmp(RD("{\n  \"a\": [1,\n 2]\n}\n{\"b\":1}\n"),
	    "{\"a\":[1,2]}\n{\"b\":1}\n") == 0);
	CHECK(strcmp(RD("{\"a\":1,\n{\"b\":1}\n"),
	    "!1: invalid JSON: unexpected end of input (record not closed)\n"
	    "{\"b\":1}\n") == 0);
	CHECK(strcmp(RD("{\"a\":[1,\n"),
	    "!1: invalid JSON: unexpected end of input (record not closed)\n")
	    == 0);
	/* a top-level array of objects gives one record each */
	CHECK(strcmp(RD("[{\"a\":1},\n {\"b\":2.50}]\n{\"c\":3}\n"),
	    "{\"a\":1}\n{\"b\":2.50}\n{\"c\":3}\n") == 0);
	CHECK(strcmp(RD("[]\n"), "!1: not an object\n") == 0);
	/* decisions: \u0000, invalid UTF-8, lone surrogates, raw controls */
	CHECK(strcmp(RD("{\"a\":\"x\\u0000y\"}\n"),
	    "{\"a\":\"x\xef\xbf\xbdy\"}\n") == 0);
	CHECK(strncmp(RD("{\"a\":\"\\uqqqq\"}\n"),
	    "!1: invalid JSON: bad \\u escape at column 7", 42) == 0);
	CHECK(strncmp(RD("{\"a\":\"\\x\"}\n"),
	    "!1: invalid JSON: bad escape at column 7", 40) == 0);
	CHECK(strncmp(RD("[\f]\n"), "!1: invalid JSON: control character", 35)
	    == 0);
	CHECK(strncmp(RD("{\"a\":\"\xff\"}\n"),
	    "!1: invalid JSON: invalid UTF-8 at column 7", 43) == 0);
	CHECK(strncmp(RD("{\"a\":\"\\ud800\"}\n"), "!1: invalid JSON", 16) == 0);
	CHECK(strncmp(RD("{\"a\":\"\t\"}\n"),
	    "!1: invalid JSON: control character in string", 45) == 0);
	CHECK(strcmp(RD("{\"a\":\"\\\\u0000\"}\n"),
	    "{\"a\":\"\\\\u0000\"}\n") == 0);
	/* the size bound: too long a line is refused, the next one read */
	memset(big, ' ', sizeof(big));
	memcpy(big, "{\"a\":\"", 6);
	memcpy(big + 2090, "\"}\n{\"b\":1}\n", 11);
	CHECK(strcmp(readall(big, sizeof(big) - 1, REC_NDJSON, 0),
	    "!1: record too large (over 1000 bytes; see --max-record)\n"
	    "{\"b\":1}\n") == 0);
	/* UTF-16 is named */
	CHECK(strncmp(RD("\xff\xfe{\0}\0\n"), "!1: UTF-16 input", 16) == 0);
	CHECK(strncmp(RD("\xfe\xff\0{\0}\n"), "!1: UTF-16 input", 16) == 0);
	CHECK(strncmp(RDCSV("\xff\xfe" "a\0,\0b\0\n", 0), "!1: UTF-16 input", 16)
	    == 0);
	/* invalid UTF-8 let through on request */
	CHECK(strcmp(readall("{\"a\":\"\xff\"}\n", 10, REC_NDJSON, REC_LAXUTF8),
	    "{\"a\":\"\xff\"}\n") == 0);
	/* escapes on output */
	CHECK(strcmp(RD("[{\"a\":\"q\\\"\\n\\u0001\\/\"}]\n"),
	    "{\"a\":\"q\\\"\\n\\u0001/\"}\n") == 0);
}

static void
test_csv(void)
{
	CHECK(strcmp(RDCSV("a,b\n1,\"x,y\"\n", 0),
	    "{\"a\":\"1\",\"b\":\"x,y\"}\n") == 0);
	CHECK(strcmp(RDCSV("\xef\xbb\xbf" "a,a,\r\n1,2,3\r\n", 0),
	    "{\"a\":\"1\",\"a_2\":\"2\",\"col3\":\"3\"}\n") == 0);
	CHECK(strcmp(RDCSV("a,b\n\"x\r\ny\",007\n", 0),
	    "{\"a\":\"x\\r\\ny\",\"b\":\"007\"}\n") == 0);
	CHECK(strcmp(RDCSV("a,b\n1\n2,3\n", 0),
	    "!2: row has 1 field, the header has 2\n"
	    "{\"a\":\"2\",\"b\":\"3\"}\n") == 0);
	CHECK(strcmp(RDCSV("a,b\n1,\"open\n2,3\n", 0),
	    "!2: unterminated quoted field\n") == 0);
	CHECK(strcmp(RDCSV("a,b\n x , \t\n", 0),
	    "{\"a\":\" x \",\"b\":\" \\t\"}\n") == 0);
	CHECK(strcmp(RDCSV("a,a,a_2\n1,2,3\n", 0),
	    "{\"a\":\"1\",\"a_2\":\"2\",\"a_2_2\":\"3\"}\n") == 0);
	CHECK(strcmp(RDCSV("1,2\n3,4\n", REC_NOHEADER),
	    "{\"col1\":\"1\",\"col2\":\"2\"}\n{\"col1\":\"3\",\"col2\":\"4\"}\n")
	    == 0);
	CHECK(strcmp(RDCSV("a\tb\nx\\ty\t\\\\n\n", REC_TSV),
	    "{\"a\":\"x\\ty\",\"b\":\"\\\\n\"}\n") == 0);
	CHECK(strncmp(RDCSV("a\n\xff\n", 0), "!2: invalid UTF-8", 17) == 0);
	/* TSV: an escaped byte stands for itself; one column: blank = "" */
	CHECK(strcmp(RDCSV("a\n\\\xef\xbb\xbfx\\q\n\nb\n", REC_TSV),
	    "{\"a\":\"\xef\xbb\xbfxq\"}\n{\"a\":\"\"}\n{\"a\":\"b\"}\n") == 0);
	CHECK(strcmp(RDCSV("a\tb\n\n1\t2\n", REC_TSV),
	    "{\"a\":\"1\",\"b\":\"2\"}\n") == 0);
	CHECK(strcmp(RDCSV("a,b\nx\"y,2\n3,4\n", 0),
	    "!2: malformed quoted field (error parsing data while strict "
	    "checking enabled)\n{\"a\":\"3\",\"b\":\"4\"}\n") == 0);
}

/* "unit cat FILE" / "unit csv FILE": read as a tool would, for scripts. */
static int
cat(const char *mode, const char *path)
{
	struct rec_reader *r;
	struct rec_writer *w;
	struct arena *a;
	struct rec rec;
	FILE *fp;
	int st, rc = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return EX_NOINPUT;
	}
	r = rec_reader_new(fp, path, strcmp(mode, "csv") == 0 ? REC_CSV :
	    REC_NDJSON);
	w = rec_writer_new(stdout);
	a = arena_new();
	while ((st = rec_read(r, a, &rec)) != REC_EOF) {
		if (st == REC_OK) {
			rec_write(w, &rec);
		} else {
			rec_writer_flush(w);
			fprintf(stderr, "%s:%lu: %s\n", path,
			    rec_reader_line(r), rec_reader_error(r));
			rc = st == REC_BAD ? EX_DATAERR : EX_IOERR;
			if (st == REC_IOERR)
				break;
		}
		arena_reset(a);
	}
	if (rec_writer_free(w) == -1)
		rc = EX_IOERR;
	rec_reader_free(r);
	arena_free(a);
	fclose(fp);
	return rc;
}

/* splitmix64: a bijection, so distinct i give distinct values */
static uint64_t
mix(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ x >> 30) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ x >> 27) * UINT64_C(0x94d049bb133111eb);
	return x ^ x >> 31;
}

/*
 * Fingerprint i of test_dedupe_set(): a quarter at random; the rest in
 * eight of the 256 parts (the top byte of hi), with homes (bits 16..47 of
 * hi) crowded eight or more to a slot, crowded at the end of a table (in
 * the last 1/4096 to 1/2 of it: probes that go round, and runs that meet
 * the slots they filled), or at its start.
 */
static struct dedupe_hash
fingerprint(uint64_t i)
{
	struct dedupe_hash h;
	uint64_t part = (i % 8) << 56;

	h.lo = mix(i);
	switch (i % 4) {
	case 0:
		h.hi = mix(h.lo);
		break;
	case 1:
		h.hi = part | (i / 64 % 997) << 30;
		break;
	case 2:
		h.hi = part | (UINT64_C(0xffffffff) - (h.lo &
		    ((UINT64_C(1) << (20 + i / 4 % 12)) - 1))) << 16;
		break;
	default:
		h.hi = part;
		break;
	}
	return h;
}

/*
 * The fingerprint set, grown from empty through many sizes: every key it
 * took is in it once, with its number, and no other key is, not even one
 * that differs from a key in one bit of the fingerprint.
 */
static void
test_dedupe_set(void)
{
	struct dedupe_set *s;
	struct dedupe_hash h;
	uint64_t i, id, n = 100000;
	size_t bad;
	int flags;

	for (flags = 0; flags <= DEDUPE_SET_IDS; flags += DEDUPE_SET_IDS) {
		s = dedupe_set_new(flags);
		for (i = 0, bad = 0; i < n; i++)
			if (dedupe_set_has(s, fingerprint(i), NULL, 0) ||
			    dedupe_set_add(s, fingerprint(i), NULL, 0, &id) ||
			    (flags && id != i))
				bad++;
		CHECK(bad == 0);
		CHECK(dedupe_set_count(s) == n);
		for (i = 0, bad = 0; i < n; i++)
			if (!dedupe_set_has(s, fingerprint(i), NULL, 0) ||
			    dedupe_set_add(s, fingerprint(i), NULL, 0, &id) != 1 ||
			    (flags && id != i))
				bad++;
		CHECK(bad == 0);
		for (i = n, bad = 0; i < 2 * n; i++)
			if (dedupe_set_has(s, fingerprint(i), NULL, 0))
				bad++;
		CHECK(bad == 0);
		/* a key's neighbour: the same part, home and low half */
		for (i = 0, bad = 0; i < n; i++) {
			h = fingerprint(i);
			h.hi ^= 1;
			if (dedupe_set_has(s, h, NULL, 0))
				bad++;
		}
		CHECK(bad == 0);
		CHECK(dedupe_set_count(s) == n);
		dedupe_set_free(s);
	}
}

int
main(int argc, char *argv[])
{
	diag_init("unit");
	if (argc == 3)
		return cat(argv[1], argv[2]);
	test_arena();
	test_buf();
	test_utf8();
	test_record();
	test_ndjson();
	test_csv();
	test_dedupe_set();
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail > 0;
}

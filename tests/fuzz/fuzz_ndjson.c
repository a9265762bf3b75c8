/*
 * fuzz_ndjson - the NDJSON reader and writer: any input must read without
 * a crash, leak or hang; every record read must write out as exactly one
 * line holding one valid JSON object (valid UTF-8 unless REC_LAXUTF8);
 * every rejected text must be input text, verbatim.  The first byte picks
 * the flags and a small record limit so that both paths are exercised.
 * The input is read again twice, with the reader's fast path for flat
 * lines and without it (r->slow): the two must agree on every status,
 * message and record, field by field, NUL terminators included.
 */
#define _GNU_SOURCE		/* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "rec.h"
#include "internal.h"
#include "fuzz.h"

/* Check that out[0..n) is lines, each one JSON object. */
static void
check_lines(const char *out, size_t n, int lax)
{
	const char *p, *nl, *end;
	cJSON *j;

	for (p = out; p < out + n; p = nl + 1) {
		nl = memchr(p, '\n', out + n - p);
		FUZZ_CHECK(nl != NULL);		/* every line ends */
		FUZZ_CHECK(nl > p);		/* no empty line */
		j = cJSON_ParseWithLengthOpts(p, nl - p, &end, 0);
		FUZZ_CHECK(j != NULL);
		/* One value, then nothing but JSON white space (a clean
		 * record is written through as it was read). */
		while (end < nl && (*end == ' ' || *end == '\t' ||
		    *end == '\r'))
			end++;
		FUZZ_CHECK(end == nl);
		FUZZ_CHECK(cJSON_IsObject(j));
		cJSON_Delete(j);
		if (!lax)
			FUZZ_CHECK(utf8_check(p, nl - p) == (size_t)(nl - p));
	}
}

/* Check that every line of rej[0..n) is a line, or part of one, of in. */
static void
check_rejects(const char *rej, size_t n, const char *in, size_t inlen)
{
	const char *p, *nl;
	size_t len;

	for (p = rej; p < rej + n; p = nl + 1) {
		if ((nl = memchr(p, '\n', rej + n - p)) == NULL)
			nl = rej + n;
		len = nl - p;
		if (len > 0 && p[len - 1] == '\r')
			len--;
		FUZZ_CHECK(fuzz_memmem(in, inlen, p, len));
	}
}

/* Check that a and b are the same record. */
static void
same_rec(const struct rec *a, const struct rec *b)
{
	const struct field *f, *g;
	size_t i;

	FUZZ_CHECK(a->nfields == b->nfields);
	FUZZ_CHECK(a->line == b->line);
	FUZZ_CHECK(a->dirty == b->dirty);
	FUZZ_CHECK((a->raw == NULL) == (b->raw == NULL));
	if (a->raw != NULL) {
		FUZZ_CHECK(a->rawlen == b->rawlen);
		FUZZ_CHECK(memcmp(a->raw, b->raw, a->rawlen) == 0);
	}
	for (i = 0; i < a->nfields; i++) {
		f = &a->fields[i];
		g = &b->fields[i];
		FUZZ_CHECK(f->type == g->type);
		FUZZ_CHECK(f->klen == g->klen && f->vlen == g->vlen);
		FUZZ_CHECK(memcmp(f->key, g->key, f->klen) == 0);
		FUZZ_CHECK(memcmp(f->val, g->val, f->vlen) == 0);
		FUZZ_CHECK(f->key[f->klen] == '\0' && g->key[g->klen] == '\0');
		FUZZ_CHECK(f->val[f->vlen] == '\0' && g->val[g->vlen] == '\0');
	}
}

/* Reads in[0..n) with the fast path and without, side by side. */
static void
fast_vs_slow(const char *in, size_t n, int flags, size_t max)
{
	struct rec_reader *r[2];
	struct arena *a[2];
	struct rec rec[2];
	FILE *fp[2], *rej[2];
	char *rbuf[2] = { NULL, NULL };
	size_t rlen[2] = { 0, 0 };
	int st[2], i;

	for (i = 0; i < 2; i++) {
		fp[i] = fuzz_open(in, n);
		if ((rej[i] = open_memstream(&rbuf[i], &rlen[i])) == NULL)
			abort();
		a[i] = arena_new();
		r[i] = rec_reader_new(fp[i], "fuzz", REC_NDJSON);
		rec_reader_set_flags(r[i], flags);
		rec_reader_set_max(r[i], max);
		rec_reader_set_rejects(r[i], rej[i]);
		r[i]->slow = i;
	}
	do {
		st[0] = rec_read(r[0], a[0], &rec[0]);
		st[1] = rec_read(r[1], a[1], &rec[1]);
		FUZZ_CHECK(st[0] == st[1]);
		if (st[0] == REC_OK)
			same_rec(&rec[0], &rec[1]);
		else if (st[0] == REC_BAD) {
			FUZZ_CHECK(strcmp(rec_reader_error(r[0]),
			    rec_reader_error(r[1])) == 0);
			FUZZ_CHECK(rec_reader_line(r[0]) ==
			    rec_reader_line(r[1]));
		}
		arena_reset(a[0]);
		arena_reset(a[1]);
	} while (st[0] != REC_EOF && st[0] != REC_IOERR);
	for (i = 0; i < 2; i++) {
		rec_reader_free(r[i]);
		fclose(rej[i]);
		fclose(fp[i]);
		arena_free(a[i]);
	}
	FUZZ_CHECK(rlen[0] == rlen[1]);
	FUZZ_CHECK(memcmp(rbuf[0], rbuf[1], rlen[0]) == 0);
	free(rbuf[0]);
	free(rbuf[1]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rec_reader *r;
	struct rec_writer *w;
	struct arena *a;
	struct rec rec;
	FILE *fp, *out, *rej;
	char *in, *obuf = NULL, *rbuf = NULL;
	size_t olen = 0, rlen = 0;
	int st, flags = 0, nok = 0, nbad = 0;
	size_t max = REC_MAXREC_DEFAULT;

	if (size > 0) {
		if (data[0] & 1)
			flags |= REC_LAXUTF8;
		if (data[0] & 2)
			max = 64;
		data++;
		size--;
	}
	in = fuzz_copy(data, size);
	fp = fuzz_open(in, size);
	if ((out = open_memstream(&obuf, &olen)) == NULL ||
	    (rej = open_memstream(&rbuf, &rlen)) == NULL)
		abort();
	a = arena_new();
	r = rec_reader_new(fp, "fuzz", REC_NDJSON);
	rec_reader_set_flags(r, flags);
	rec_reader_set_max(r, max);
	rec_reader_set_rejects(r, rej);
	w = rec_writer_new(out);
	while ((st = rec_read(r, a, &rec)) != REC_EOF) {
		if (st == REC_IOERR)
			break;
		if (st == REC_BAD) {
			FUZZ_CHECK(rec_reader_error(r) != NULL);
			nbad++;
			continue;
		}
		FUZZ_CHECK(st == REC_OK);
		FUZZ_CHECK(rec_write(w, &rec) == 0);
		nok++;
		arena_reset(a);
	}
	FUZZ_CHECK(rec_writer_free(w) == 0);
	rec_reader_free(r);
	fclose(out);
	fclose(rej);
	fclose(fp);
	check_lines(obuf, olen, flags & REC_LAXUTF8);
	check_rejects(rbuf, rlen, in, size);
	/* Input without a record has nothing to write. */
	if (nok == 0)
		FUZZ_CHECK(olen == 0);
	/* A bad record leaves text in the rejects file. */
	if (nbad > 0)
		FUZZ_CHECK(rlen > 0);
	arena_free(a);
	free(obuf);
	free(rbuf);
	fast_vs_slow(in, size, flags, max);
	free(in);
	return 0;
}

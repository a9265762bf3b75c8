/*
 * fuzz_dedupe - dedupe's key folding and canonical keys on any bytes:
 * every fold gives valid UTF-8 with single inner spaces and none at the
 * ends, ignores ASCII case, and is idempotent; the fingerprint fold gives
 * sorted unique words; dedupe_number gives a valid JSON number of the same
 * value, idempotently; for each record the input holds as NDJSON, the
 * canonical JSON key (sorted keys, folded or not) is valid JSON and reads
 * back to the same key.
 */
#define _GNU_SOURCE		/* memfd_create */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "rec.h"
#include "dedupe.h"
#include "fuzz.h"

static void
check_fold(struct arena *a, const char *s, size_t n, int fold)
{
	struct buf b, b2, up;
	const char *w, *sp, *prev = NULL;
	size_t i, plen = 0, wl;

	buf_init(&b, a);
	dedupe_fold(&b, s, n, fold);
	FUZZ_CHECK(utf8_check(b.p, b.len) == b.len);
	if (b.len > 0) {
		FUZZ_CHECK(b.p[0] != ' ' && b.p[b.len - 1] != ' ');
		FUZZ_CHECK(strstr(b.p, "  ") == NULL ||
		    memchr(b.p, '\0', b.len) != NULL);
	}
	/* Folding again changes nothing. */
	buf_init(&b2, a);
	dedupe_fold(&b2, b.p, b.len, fold);
	if (b2.len != b.len || memcmp(b.p, b2.p, b.len) != 0)
		fprintf(stderr, "fold %d not idempotent: '%s' -> '%s'\n",
		    fold, b.p, b2.p);
	FUZZ_CHECK(b2.len == b.len && memcmp(b.p, b2.p, b.len) == 0);
	/* ASCII case does not matter. */
	buf_init(&up, a);
	for (i = 0; i < n; i++)
		buf_putc(&up, s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
	buf_init(&b2, a);
	dedupe_fold(&b2, up.p, up.len, fold);
	FUZZ_CHECK(b2.len == b.len && memcmp(b.p, b2.p, b.len) == 0);
	/* Fingerprints: words in strictly increasing byte order. */
	if (fold == DEDUPE_FOLD_FINGERPRINT)
		for (w = b.p; w < b.p + b.len; w = sp + 1) {
			if ((sp = memchr(w, ' ', b.p + b.len - w)) == NULL)
				sp = b.p + b.len;
			wl = sp - w;
			if (prev != NULL) {
				int c = memcmp(prev, w, plen < wl ? plen : wl);

				FUZZ_CHECK(c < 0 || (c == 0 && plen < wl));
			}
			prev = w;
			plen = wl;
		}
}

static void
check_number(struct arena *a, const char *s, size_t n)
{
	struct buf b, b2;
	char *t;
	double x, y;

	if (!rec_is_number(s, n))
		return;
	buf_init(&b, a);
	dedupe_number(&b, s, n);
	FUZZ_CHECK(rec_is_number(b.p, b.len));
	buf_init(&b2, a);
	dedupe_number(&b2, b.p, b.len);
	FUZZ_CHECK(b2.len == b.len && memcmp(b.p, b2.p, b.len) == 0);
	t = arena_strndup(a, s, n);
	x = strtod(t, NULL);
	y = strtod(b.p, NULL);
	if (isfinite(x) && isfinite(y) && x != y)
		fprintf(stderr, "number %s -> %s\n", t, b.p);
	FUZZ_CHECK(!isfinite(x) || !isfinite(y) || x == y);
}

static void
check_records(struct arena *a, const char *s, size_t n, int fold)
{
	struct rec_reader *r, *r2;
	struct rec rec, rec2;
	struct buf k, k2;
	FILE *fp, *fp2;
	cJSON *j;
	int st;

	fp = fuzz_open(s, n);
	r = rec_reader_new(fp, "fuzz", REC_NDJSON);
	while ((st = rec_read(r, a, &rec)) != REC_EOF) {
		if (st != REC_OK)
			break;
		buf_init(&k, a);
		dedupe_json(&k, &rec, 0, 1, fold, a);
		j = cJSON_ParseWithLength(k.p, k.len);
		FUZZ_CHECK(j != NULL && cJSON_IsObject(j));
		cJSON_Delete(j);
		/* The canonical text reads back to itself. */
		fp2 = fuzz_open(k.p, k.len);
		r2 = rec_reader_new(fp2, "key", REC_NDJSON);
		FUZZ_CHECK(rec_read(r2, a, &rec2) == REC_OK);
		buf_init(&k2, a);
		dedupe_json(&k2, &rec2, 0, 1, fold, a);
		if (k2.len != k.len || memcmp(k.p, k2.p, k.len) != 0)
			fprintf(stderr, "canonical key not stable:\n%s\n%s\n",
			    k.p, k2.p);
		FUZZ_CHECK(k2.len == k.len && memcmp(k.p, k2.p, k.len) == 0);
		rec_reader_free(r2);
		fclose(fp2);
	}
	rec_reader_free(r);
	fclose(fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a;
	char *s;
	int fold;

	if (size < 1)
		return 0;
	fold = data[0] & 3;		/* 0: none, else DEDUPE_FOLD_* */
	data++;
	size--;
	a = arena_new();
	s = fuzz_copy(data, size);
	if (fold != 0)
		check_fold(a, s, size, fold);
	check_number(a, s, size);
	check_records(a, s, size, fold);
	free(s);
	arena_free(a);
	return 0;
}

/*
 * fuzz_csv - the CSV reader: any input must read without a crash, leak or
 * hang; every record holds string values under unique keys and writes out
 * as one valid NDJSON line; rejected text is input text, verbatim.  The
 * first byte picks REC_NOHEADER, REC_TSV, the delimiter and a small record
 * limit.
 */
#define _GNU_SOURCE		/* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "rec.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int delims[] = { 0, ';', '|', '\t' };
	struct rec_reader *r;
	struct rec_writer *w;
	struct arena *a;
	struct rec rec;
	FILE *fp, *out, *rej;
	char *in, *obuf = NULL, *rbuf = NULL, *p, *nl;
	const char *end;
	size_t olen = 0, rlen = 0, i, j;
	int st, flags = 0, delim = 0;
	size_t max = REC_MAXREC_DEFAULT;
	cJSON *js;

	if (size > 0) {
		if (data[0] & 1)
			flags |= REC_NOHEADER;
		if (data[0] & 2)
			flags |= REC_TSV;
		else
			delim = delims[(data[0] >> 2) & 3];
		if (data[0] & 16)
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
	r = rec_reader_new(fp, "fuzz", REC_CSV);
	rec_reader_set_flags(r, flags);
	if (delim != 0)
		rec_reader_set_delim(r, delim);
	rec_reader_set_max(r, max);
	rec_reader_set_rejects(r, rej);
	w = rec_writer_new(out);
	while ((st = rec_read(r, a, &rec)) != REC_EOF) {
		if (st == REC_IOERR)
			break;
		if (st == REC_BAD) {
			FUZZ_CHECK(rec_reader_error(r) != NULL);
			continue;
		}
		FUZZ_CHECK(st == REC_OK);
		for (i = 0; i < rec.nfields; i++) {
			FUZZ_CHECK(rec.fields[i].type == REC_STRING);
			FUZZ_CHECK(strlen(rec.fields[i].key) ==
			    rec.fields[i].klen);
			for (j = 0; j < i; j++)
				FUZZ_CHECK(strcmp(rec.fields[i].key,
				    rec.fields[j].key) != 0);
		}
		FUZZ_CHECK(rec_write(w, &rec) == 0);
		arena_reset(a);
	}
	FUZZ_CHECK(rec_writer_free(w) == 0);
	rec_reader_free(r);
	fclose(out);
	fclose(rej);
	fclose(fp);
	/* Every output line is one JSON object. */
	for (p = obuf; p < obuf + olen; p = nl + 1) {
		nl = memchr(p, '\n', obuf + olen - p);
		FUZZ_CHECK(nl != NULL);
		js = cJSON_ParseWithLengthOpts(p, nl - p, &end, 0);
		FUZZ_CHECK(js != NULL && end == nl && cJSON_IsObject(js));
		cJSON_Delete(js);
	}
	/* Every rejected line is input text. */
	for (p = rbuf; p < rbuf + rlen; p = nl + 1) {
		if ((nl = memchr(p, '\n', rbuf + rlen - p)) == NULL)
			nl = rbuf + rlen;
		FUZZ_CHECK(fuzz_memmem(in, size, p, nl - p - (nl > p &&
		    nl[-1] == '\r')));
	}
	arena_free(a);
	free(obuf);
	free(rbuf);
	free(in);
	return 0;
}

/*
 * fuzz_csvw - the CSV writer round trip: rows of cells written with
 * csvw_cell (CSV with a few delimiters, quote-all, CRLF, or TSV) must read
 * back through the CSV reader (REC_NOHEADER) as exactly the same cells.
 * Input: a flag byte, then rows separated by 0x1E, cells by 0x1F; every
 * row gets as many cells as the first (at most 16); invalid UTF-8 is
 * repaired first (the reader refuses it, by design).
 */
#define _GNU_SOURCE		/* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"
#include "csvw.h"
#include "fuzz.h"

#define MAXCELLS	16
#define MAXROWS		64

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int delims[] = { ',', ';', '|', ',' };
	struct arena *a, *tmp;
	struct buf b;
	struct csvw w;
	struct rec_reader *r;
	struct rec rec;
	const char *cell[MAXROWS][MAXCELLS];
	size_t clen[MAXROWS][MAXCELLS];
	size_t nrows = 0, ncells = 0, i, j, n, nbad, len;
	const char *p, *end, *e;
	char *s;
	int tsv, quoteall, crlf, delim, st;
	FILE *fp;

	if (size < 1)
		return 0;
	tsv = data[0] & 1;
	quoteall = (data[0] >> 1) & 1;
	crlf = (data[0] >> 2) & 1;
	delim = tsv ? 0 : delims[(data[0] >> 3) & 3];
	a = arena_new();
	tmp = arena_new();
	s = utf8_repair(a, (const char *)data + 1, size - 1, &len, &nbad);

	/* Split into rows and cells. */
	p = s;
	end = s + len;
	while (nrows < MAXROWS) {
		if ((e = memchr(p, 0x1e, end - p)) == NULL)
			e = end;
		n = 0;
		while (n < MAXCELLS) {
			const char *c = memchr(p, 0x1f, e - p);

			if (c == NULL)
				c = e;
			cell[nrows][n] = p;
			clen[nrows][n] = c - p;
			n++;
			p = c;
			if (p == e)
				break;
			p++;
		}
		if (nrows == 0)
			ncells = n;
		for (; n < ncells; n++) {
			cell[nrows][n] = "";
			clen[nrows][n] = 0;
		}
		nrows++;
		if (e == end)
			break;
		p = e + 1;
	}


	/* Write them. */
	csvw_init(&w, delim, tsv, quoteall, 0, crlf);
	buf_init(&b, a);
	for (i = 0; i < nrows; i++) {
		if (ncells == 1 && clen[i][0] == 0)
			csvw_empty_row(&w, &b);
		else
			for (j = 0; j < ncells; j++) {
				if (j > 0)
					csvw_delim(&w, &b);
				csvw_cell(&w, &b, cell[i][j], clen[i][j], 1);
			}
		csvw_eol(&w, &b);
	}

	/* Read them back. */
	fp = fuzz_open(b.p, b.len);
	r = rec_reader_new(fp, "fuzz", REC_CSV);
	rec_reader_set_flags(r, REC_NOHEADER | (tsv ? REC_TSV : 0));
	if (!tsv)
		rec_reader_set_delim(r, delim);
	for (i = 0; (st = rec_read(r, tmp, &rec)) != REC_EOF; i++) {
		if (st != REC_OK) {
			fprintf(stderr, "row %zu: %s\n", i + 1,
			    rec_reader_error(r));
			FUZZ_CHECK(st == REC_OK);
		}
		FUZZ_CHECK(i < nrows);
		FUZZ_CHECK(rec.nfields == ncells);
		for (j = 0; j < ncells; j++) {
			if (rec.fields[j].vlen != clen[i][j] ||
			    memcmp(rec.fields[j].val, cell[i][j],
			    clen[i][j]) != 0)
				fprintf(stderr, "row %zu cell %zu differs\n",
				    i + 1, j + 1);
			FUZZ_CHECK(rec.fields[j].vlen == clen[i][j]);
			FUZZ_CHECK(memcmp(rec.fields[j].val, cell[i][j],
			    clen[i][j]) == 0);
		}
		arena_reset(tmp);
	}
	FUZZ_CHECK(i == nrows);
	rec_reader_free(r);
	fclose(fp);
	arena_free(tmp);
	arena_free(a);
	return 0;
}

/*
 * fuzz_research - the research layout on text: any text (made valid UTF-8
 * as glean-extract makes it) must give records that start with type, then
 * the provenance, and write as valid JSON lines; never a crash or a hang.
 * The first byte picks the page URL (none, or a /research/, /search/ or
 * /learn/ path), which steers the layout.
 */
#define _GNU_SOURCE		/* memfd_create, open_memstream */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"
#include "research.h"
#include "fuzz.h"

static void
emit(struct rec *r, void *ctx)
{
	size_t *n = ctx;

	FUZZ_CHECK(r->nfields >= 4);
	FUZZ_CHECK(strcmp(r->fields[1].key, "source") == 0);
	fuzz_check_rec(r, "type");
	(*n)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *urls[] = {
		NULL, "https://x.invalid/research/some-study-x7Kp",
		"https://x.invalid/search/hair", "https://x.invalid/learn/dht"
	};
	struct arena *a;
	struct rec prov;
	const char *url;
	char *t;
	size_t tlen, nbad, n = 0;
	int got;

	if (size < 1)
		return 0;
	url = urls[data[0] & 3];
	a = arena_new();
	t = utf8_repair(a, (const char *)data + 1, size - 1, &tlen, &nbad);
	rec_init(&prov);
	rec_add(&prov, a, "source", "fuzz.txt", 8, REC_STRING);
	if (url != NULL)
		rec_add(&prov, a, "url", url, strlen(url), REC_STRING);
	else
		rec_add(&prov, a, "url", "null", 4, REC_NULL);
	rec_add(&prov, a, "page_id", "null", 4, REC_NULL);
	got = research_run(t, tlen, &prov, a, emit, &n);
	FUZZ_CHECK(got >= 0 && (size_t)got == n);
	arena_free(a);
	return 0;
}

/*
 * fuzz_xpath - XPath field evaluation: the first line of the input is a
 * field spec (NAME=XPATH, NAME[]=XPATH, NAME:html=XPATH), the second an
 * optional --each expression (empty: none), the rest the page.  A spec
 * that compiles must evaluate on any page without a crash, and each
 * record (after the UTF-8 repair glean-extract applies) must write as one
 * valid JSON line starting with the provenance.  When the field can be
 * read from the parser's events (xstream.c), that way must give the same
 * records, warnings and page URL as the tree's way, byte for byte.
 */
#define _GNU_SOURCE		/* memfd_create, open_memstream */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "rec.h"
#include "html.h"
#include "fuzz.h"

/* Records come out of the library valid: html_emit() repaired them. */
static void
emit(struct rec *r, void *ctx)
{
	fuzz_check_rec(r, "source");
	if (ctx != NULL)
		FUZZ_CHECK(rec_write(ctx, r) == 0);
}

static void
warn(void *ctx, const char *msg)
{
	FUZZ_CHECK(msg != NULL && *msg != '\0');
	if (ctx != NULL)
		FUZZ_CHECK(rec_writer_put(ctx, msg, strlen(msg)) == 0 &&
		    rec_writer_put(ctx, "\n", 1) == 0);
}

static void
provenance(struct rec *prov, struct arena *a, const char *url)
{
	rec_init(prov);
	rec_add(prov, a, "source", "fuzz.html", 9, REC_STRING);
	if (url != NULL)
		rec_add(prov, a, "url", url, strlen(url), REC_STRING);
}

/* The tree's way and the events' way, side by side. */
static void
twoways(struct xspec *xs, const char *p, size_t n, struct arena *a)
{
	struct rec_writer *w1, *w2;
	struct html_out out = { emit, warn, NULL };
	struct xstream *st;
	struct rec prov;
	xmlDocPtr doc;
	const char *d1, *d2;
	size_t n1, n2;
	int rc;

	w1 = rec_writer_new(NULL);
	w2 = rec_writer_new(NULL);
	doc = html_parse(p, n, NULL);
	rc = xstream_parse(xs, p, n, NULL, 1, a, &st);
	if (rc == 1) {
		if (doc != NULL)
			xmlFreeDoc(doc);
		goto done;
	}
	FUZZ_CHECK((doc == NULL) == (rc == -1));
	if (doc == NULL)
		goto done;
	out.ctx = w1;
	provenance(&prov, a, html_page_url(doc, a));
	(void)xspec_run(xs, doc, &prov, a, &out);
	xmlFreeDoc(doc);
	out.ctx = w2;
	provenance(&prov, a, xstream_url(st, a));
	xstream_emit(st, &prov, a, &out);
	xstream_free(st);
	d1 = rec_writer_data(w1, &n1);
	d2 = rec_writer_data(w2, &n2);
	if (n1 != n2 || memcmp(d1, d2, n1) != 0) {
		fprintf(stderr, "tree:   %.*s\nevents: %.*s\n", (int)n1, d1,
		    (int)n2, d2);
		FUZZ_CHECK(!"the events' way differs from the tree's");
	}
done:
	rec_writer_free(w1);
	rec_writer_free(w2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct html_out out = { emit, warn, NULL };
	struct arena *perm, *tmp;
	struct xspec *xs;
	struct rec prov;
	xmlDocPtr doc;
	const char *err, *p, *end, *nl;
	char *spec, *each;

	perm = arena_new();
	tmp = arena_new();
	p = (const char *)data;
	end = p + size;
	if ((nl = memchr(p, '\n', end - p)) == NULL || nl - p > 200)
		goto done;
	spec = arena_strndup(perm, p, nl - p);
	p = nl + 1;
	if ((nl = memchr(p, '\n', end - p)) == NULL || nl - p > 200)
		goto done;
	each = arena_strndup(perm, p, nl - p);
	p = nl + 1;
	xs = xspec_new(perm);
	err = NULL;
	if (xspec_field(xs, spec, &err) == -1) {
		FUZZ_CHECK(err != NULL && *err != '\0');
		goto done;
	}
	if (*each != '\0' && xspec_each(xs, each, &err) == -1) {
		FUZZ_CHECK(err != NULL && *err != '\0');
		goto done;
	}
	if (xspec_streams(xs))
		twoways(xs, p, end - p, tmp);
	if ((doc = html_parse(p, end - p, NULL)) == NULL)
		goto done;
	rec_init(&prov);
	rec_add(&prov, tmp, "source", "fuzz.html", 9, REC_STRING);
	rec_add(&prov, tmp, "url", "https://x.invalid/a/b", 21, REC_STRING);
	(void)xspec_run(xs, doc, &prov, tmp, &out);
	xspec_unmatched(xs, &out);
	xmlFreeDoc(doc);
done:
	arena_free(tmp);
	arena_free(perm);
	return 0;
}

/*
 * fuzz_xpath - XPath field evaluation: the first line of the input is a
 * field spec (NAME=XPATH, NAME[]=XPATH, NAME:html=XPATH), the second an
 * optional --each expression (empty: none), the rest the page.  A spec
 * that compiles must evaluate on any page without a crash, and each
 * record (after the UTF-8 repair glean-extract applies) must write as one
 * valid JSON line starting with the provenance.
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
	(void)ctx;
	fuzz_check_rec(r, "source");
}

static void
warn(void *ctx, const char *msg)
{
	(void)ctx;
	FUZZ_CHECK(msg != NULL && *msg != '\0');
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
	if ((doc = html_parse(p, end - p, NULL)) == NULL)
		goto done;
	out.ctx = tmp;
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

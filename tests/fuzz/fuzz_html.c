/*
 * fuzz_html - extract's HTML path on any bytes: html_parse (charset
 * sniffing, or a forced charset picked by the first byte), html_text with
 * and without chrome, html_inner, html_page_url, html_resolve, then the
 * meta and table layouts, and the research layout on the page's text
 * from htmllines (SAX, no tree), as glean-extract runs them, with
 * libxml2's memory in a page window (xmem.c) that ASan poisons after.
 * Text must be valid UTF-8; every record must write as one valid JSON
 * line starting with the expected key.
 */
#define _GNU_SOURCE		/* memfd_create, open_memstream */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "rec.h"
#include "html.h"
#include "htmllines.h"
#include "research.h"
#include "fuzz.h"

/*
 * What glean-extract does to every record of an HTML page before writing
 * it (cmd/extract.c): bytes that are not UTF-8 are repaired, in every
 * layout (the page URL from htmllines is the page's bytes as they came).
 */
static void
emit_prov(struct rec *r, void *ctx)
{
	rec_repair_utf8(r, ctx);
	fuzz_check_rec(r, "source");
}

static void
emit_type(struct rec *r, void *ctx)
{
	rec_repair_utf8(r, ctx);
	fuzz_check_rec(r, "type");
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
	static const char *encs[] = {
		NULL, NULL, NULL, NULL, "UTF-8", "windows-1252", "Shift_JIS",
		"GB18030"
	};
	struct html_out out = { emit_prov, warn, NULL };
	struct arena *a;
	struct rec prov;
	struct buf b;
	xmlDocPtr doc;
	xmlNodePtr root;
	const char *enc;
	char *u, *t;
	size_t tlen, nbad;

	if (size < 1)
		return 0;
	enc = encs[data[0] & 7];
	data++;
	size--;
	a = arena_new();
	/* libxml2's memory as glean-extract has it: a page's, in a window */
	html_init();
	xmem_begin();
	/* The research path: SAX lines, then the layout. */
	rec_init(&prov);
	rec_add(&prov, a, "source", "fuzz.html", 9, REC_STRING);
	buf_init(&b, a);
	if (htmllines((const char *)data, size, enc, &b, a, &u) == 0) {
		if (u != NULL)
			FUZZ_CHECK(strlen(u) > 0);
		rec_add(&prov, a, "url", u != NULL ? u : "null",
		    u != NULL ? strlen(u) : 4, u != NULL ? REC_STRING :
		    REC_NULL);
		t = utf8_repair(a, b.p, b.len, &tlen, &nbad);
		(void)research_run(t, tlen, &prov, a, emit_type, a);
	}
	(void)html_charset((const char *)data, size);
	if ((doc = html_parse((const char *)data, size, enc)) == NULL) {
		xmem_end();
		arena_free(a);
		return 0;
	}
	out.ctx = a;
	rec_init(&prov);
	rec_add(&prov, a, "source", "fuzz.html", 9, REC_STRING);
	if ((u = html_page_url(doc, a)) != NULL) {
		FUZZ_CHECK(utf8_check(u, strlen(u)) == strlen(u));
		rec_add(&prov, a, "url", u, strlen(u), REC_STRING);
	} else
		rec_add(&prov, a, "url", "null", 4, REC_NULL);
	(void)html_resolve(doc, u != NULL ? u : "https://x.invalid/a/b?c",
	    "../d/e.html#f", a);
	if ((root = xmlDocGetRootElement(doc)) != NULL) {
		/*
		 * html_text gives the document's bytes, invalid UTF-8 and
		 * all (libxml2 passes it through when the page claims
		 * UTF-8): glean-extract repairs it, and so do we.
		 */
		buf_init(&b, a);
		html_text(root, 0, &b);
		buf_init(&b, a);
		html_inner(root, &b);
		buf_init(&b, a);
		html_text(root, HTML_SKIP_CHROME, &b);
		t = utf8_repair(a, b.p, b.len, &tlen, &nbad);
		(void)research_run(t, tlen, &prov, a, emit_type, a);
	}
	(void)meta_run(doc, &prov, a, &out);
	(void)table_run(doc, NULL, &prov, a, &out);
	xmlFreeDoc(doc);
	xmem_end();
	arena_free(a);
	return 0;
}

/* html-driver - test driver for lib/html.h until glean-extract wires it.
 * usage: html-driver MODE [ARG...] < page
 *   text [chrome]      html_text of the document
 *   url PAGEURL HREF   html_page_url, then html_resolve of HREF
 *   charset            the charset html_parse would use
 *   fields [-e EACH] [-j SEP] [-F FILE] SPEC...   xspec_run
 *   meta | table [EACH]                           meta_run, table_run
 *   way SPEC...        "events" and the record when the fields are read
 *                      from the parser's events (xstream.c), "tree" when
 *                      the page needs the tree, "none" when it has no root
 * Records go to stdout as NDJSON, warnings to stderr as "warning: MSG". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"
#include "html.h"

static struct rec_writer *w;

static void
emit(struct rec *r, void *ctx)
{
	(void)ctx;
	r->dirty = 1;
	rec_write(w, r);
}

static void
warn(void *ctx, const char *msg)
{
	(void)ctx;
	rec_writer_flush(w);
	fflush(stdout);
	fprintf(stderr, "warning: %s\n", msg);
}

static char *
slurp(size_t *n)
{
	char *p;
	size_t cap, r;

	cap = 1 << 16;
	*n = 0;
	if ((p = malloc(cap)) == NULL)
		exit(71);
	while ((r = fread(p + *n, 1, cap - *n, stdin)) > 0) {
		*n += r;
		if (*n == cap && (p = realloc(p, cap *= 2)) == NULL)
			exit(71);
	}
	return p;
}

static int
way(int argc, char **argv, const char *data, size_t n, const char *enc,
    struct arena *a, struct arena *perm, const struct html_out *out)
{
	struct xstream *xs;
	struct xspec *x;
	struct rec prov;
	const char *err, *u;
	int i;

	x = xspec_new(perm);
	for (i = 0; i < argc; i++)
		if (xspec_field(x, argv[i], &err) == -1) {
			fprintf(stderr, "error: %s\n", err);
			return 64;
		}
	switch (xstream_parse(x, data, n, enc, 1, a, &xs)) {
	case 1:
		printf("tree\n");
		return 0;
	case -1:
		printf("none\n");
		return 0;
	}
	printf("events\n");
	fflush(stdout);
	u = xstream_url(xs, a);
	rec_init(&prov);
	rec_add(&prov, a, "source", "page.html", 9, REC_STRING);
	if (u != NULL)
		rec_add(&prov, a, "url", u, strlen(u), REC_STRING);
	xstream_emit(xs, &prov, a, out);
	xstream_free(xs);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct html_out out = { emit, warn, NULL };
	struct arena *a, *perm;
	struct xspec *x;
	struct rec prov;
	struct buf b;
	xmlDocPtr doc;
	const char *err, *enc;
	char *data, *u;
	size_t n;
	int i, rc, status;

	if (argc < 2)
		return 64;
	diag_init("html-driver");
	a = arena_new();
	perm = arena_new();
	w = rec_writer_new(stdout);
	data = slurp(&n);
	enc = getenv("HTML_ENCODING");
	rc = status = 0;
	if (strcmp(argv[1], "charset") == 0) {
		printf("%s\n", html_charset(data, n));
		goto done;
	}
	if (strcmp(argv[1], "way") == 0) {
		status = way(argc - 2, argv + 2, data, n, enc, a, perm, &out);
		goto done;
	}
	if ((doc = html_parse(data, n, enc)) == NULL) {
		fprintf(stderr, "cannot parse\n");
		status = 65;
		goto done;
	}
	rec_init(&prov);
	rec_add(&prov, a, "source", "page.html", 9, REC_STRING);
	if (getenv("HTML_URL") != NULL)
		rec_add(&prov, a, "url", getenv("HTML_URL"),
		    strlen(getenv("HTML_URL")), REC_STRING);
	if (strcmp(argv[1], "text") == 0) {
		buf_init(&b, a);
		html_text((xmlNodePtr)doc, argc > 2 ? HTML_SKIP_CHROME : 0,
		    &b);
		printf("%s\n", b.p);
	} else if (strcmp(argv[1], "inner") == 0) {
		buf_init(&b, a);
		html_inner(xmlDocGetRootElement(doc), &b);
		printf("%s\n", b.p);
	} else if (strcmp(argv[1], "url") == 0 && argc == 4) {
		u = html_page_url(doc, a);
		printf("page_url: %s\n", u == NULL ? "(null)" : u);
		u = html_resolve(doc, *argv[2] ? argv[2] : NULL, argv[3], a);
		printf("resolved: %s\n", u == NULL ? "(null)" : u);
	} else if (strcmp(argv[1], "fields") == 0) {
		x = xspec_new(perm);
		for (i = 2; i < argc; i++) {
			if (strcmp(argv[i], "-e") == 0 && i + 1 < argc)
				rc = xspec_each(x, argv[++i], &err);
			else if (strcmp(argv[i], "-j") == 0 && i + 1 < argc) {
				xspec_join(x, argv[++i]);
				rc = 0;
			} else if (strcmp(argv[i], "-F") == 0 && i + 1 < argc)
				rc = xspec_file(x, argv[++i], &err);
			else
				rc = xspec_field(x, argv[i], &err);
			if (rc == -1) {
				fprintf(stderr, "error: %s\n", err);
				status = 64;
				break;
			}
		}
		if (status == 0) {
			rc = xspec_run(x, doc, &prov, a, &out);
			xspec_unmatched(x, &out);
		}
	} else if (strcmp(argv[1], "meta") == 0)
		rc = meta_run(doc, &prov, a, &out);
	else if (strcmp(argv[1], "table") == 0)
		rc = table_run(doc, argc > 2 ? argv[2] : NULL, &prov, a, &out);
	else
		status = 64;
	xmlFreeDoc(doc);
done:
	rec_writer_free(w);
	free(data);
	arena_free(a);
	arena_free(perm);
	if (status == 0 && rc == -1)
		status = 65;
	return status;
}

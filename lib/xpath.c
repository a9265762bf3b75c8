/* xpath.c - user fields: XPath expressions compiled once, run on each page. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "rec.h"
#include "html.h"
#include "internal.h"
#include "xspec.h"

static xmlDocPtr probe;	/* an empty page to try expressions on */

/*
 * Compiled expressions live in libxml2's malloc'd memory while an xspec
 * lives in an arena, which has no destructor (and may be freed first):
 * they are kept here and freed at exit, so that LeakSanitizer and
 * valgrind stay quiet.
 */
static xmlXPathCompExprPtr *comps;
static size_t ncomps, capcomps;

static void
freeall(void)
{
	size_t i;

	for (i = 0; i < ncomps; i++)
		xmlXPathFreeCompExpr(comps[i]);
	free(comps);
	comps = NULL;
	ncomps = capcomps = 0;
	if (probe != NULL)
		xmlFreeDoc(probe);
	probe = NULL;
}

static void
keep(xmlXPathCompExprPtr c)
{
	xmlXPathCompExprPtr *v;
	size_t cap;

	if (ncomps == capcomps) {
		cap = capcomps ? capcomps * 2 : 16;
		if ((v = realloc(comps, cap * sizeof(*v))) == NULL)
			oom();
		if (comps == NULL)
			atexit(freeall);
		comps = v;
		capcomps = cap;
	}
	comps[ncomps++] = c;
}

struct xspec *
xspec_new(struct arena *perm)
{
	struct xspec *x;

	x = arena_alloc(perm, 1, sizeof(*x));
	x->perm = perm;
	x->tail = &x->head;
	x->sep = "\n";
	return x;
}

/*
 * Compiles expr; it is also evaluated once on an empty page, since
 * libxml2 finds unknown functions and some type errors only then.
 */
static xmlXPathCompExprPtr
compile(const char *expr)
{
	xmlXPathCompExprPtr comp;
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr res;

	html_init();
	if ((comp = xmlXPathCompile((const xmlChar *)expr)) == NULL)
		return NULL;
	if (probe == NULL)
		probe = html_parse("<html><body></body></html>", 26, "UTF-8");
	if (probe == NULL || (ctx = xmlXPathNewContext(probe)) == NULL) {
		keep(comp);
		return comp;
	}
	ctx->node = xmlDocGetRootElement(probe);
	res = xmlXPathCompiledEval(comp, ctx);
	xmlXPathFreeContext(ctx);
	if (res == NULL) {
		xmlXPathFreeCompExpr(comp);
		return NULL;
	}
	xmlXPathFreeObject(res);
	keep(comp);
	return comp;
}

int
xspec_field(struct xspec *x, const char *spec, const char **err)
{
	struct xfield *f, *g;
	const char *eq;
	char *name;
	size_t n;
	int flags, again;

	while (isspace((unsigned char)*spec))
		spec++;
	if ((eq = strchr(spec, '=')) == NULL || eq == spec) {
		*err = arena_printf(x->perm,
		    "bad field '%s': want NAME=XPATH", spec);
		return -1;
	}
	n = (size_t)(eq - spec);
	while (n > 0 && isspace((unsigned char)spec[n - 1]))
		n--;
	name = arena_strndup(x->perm, spec, n);
	flags = 0;
	do {
		again = 0;
		n = strlen(name);
		if (n > 2 && strcmp(name + n - 2, "[]") == 0) {
			flags |= F_ARRAY;
			name[n - 2] = '\0';
			again = 1;
		} else if (n > 5 && strcmp(name + n - 5, ":html") == 0) {
			flags |= F_HTML;
			name[n - 5] = '\0';
			again = 1;
		}
	} while (again);
	if (*name == '\0' || strpbrk(name, "[]:") != NULL) {
		*err = arena_printf(x->perm,
		    "bad field name '%s' in '%s'", name, spec);
		return -1;
	}
	for (g = x->head; g != NULL; g = g->next)
		if (strcmp(g->name, name) == 0) {
			*err = arena_printf(x->perm,
			    "field '%s' given twice", name);
			return -1;
		}
	f = arena_alloc(x->perm, 1, sizeof(*f));
	f->name = name;
	f->flags = flags;
	f->expr = arena_strdup(x->perm, eq + 1);
	while (isspace((unsigned char)*f->expr))
		f->expr++;
	if (*f->expr == '\0') {
		*err = arena_printf(x->perm, "empty XPath for field '%s'",
		    name);
		return -1;
	}
	if ((f->comp = compile(f->expr)) == NULL) {
		*err = arena_printf(x->perm,
		    "invalid XPath for field '%s': %s", name, f->expr);
		return -1;
	}
	f->plan = xplan_compile(f->expr, x->perm);
	x->bits.ready = 0;
	*x->tail = f;
	x->tail = &f->next;
	x->nfields++;
	return 0;
}

struct xspec *
xspec_clone(const struct xspec *x, struct arena *perm)
{
	struct xspec *y;
	struct xfield *f, *g;

	y = xspec_new(perm);
	y->sep = x->sep;
	y->bits = x->bits;	/* the plans are shared, and never change */
	if ((y->eachexpr = x->eachexpr) != NULL)
		y->each = compile(x->eachexpr);
	for (f = x->head; f != NULL; f = f->next) {
		g = arena_alloc(perm, 1, sizeof(*g));
		g->name = f->name;
		g->expr = f->expr;
		g->flags = f->flags;
		g->comp = compile(f->expr);
		g->plan = f->plan;
		*y->tail = g;
		y->tail = &g->next;
		y->nfields++;
	}
	return y;
}

void
xspec_merge(struct xspec *x, const struct xspec *y)
{
	struct xfield *f, *g;

	x->runs += y->runs;
	for (f = x->head, g = y->head; f != NULL && g != NULL;
	    f = f->next, g = g->next)
		f->hits += g->hits;
}

int
xspec_file(struct xspec *x, const char *path, const char **err)
{
	FILE *fp;
	char *line, *p;
	size_t cap, n;
	ssize_t len;
	unsigned long lineno;
	int rc;

	if ((fp = fopen(path, "r")) == NULL) {
		*err = arena_printf(x->perm, "%s: %s", path, strerror(errno));
		return -1;
	}
	line = NULL;
	cap = 0;
	lineno = 0;
	rc = 0;
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		n = (size_t)len;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		line[n] = '\0';
		for (p = line; isspace((unsigned char)*p); p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		if (xspec_field(x, p, err) == -1) {
			*err = arena_printf(x->perm, "%s:%lu: %s", path,
			    lineno, *err);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(fp)) {
		*err = arena_printf(x->perm, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(fp);
	return rc;
}

int
xspec_each(struct xspec *x, const char *xpath, const char **err)
{
	while (isspace((unsigned char)*xpath))
		xpath++;
	x->eachexpr = arena_strdup(x->perm, xpath);
	if (*xpath == '\0') {
		*err = "empty XPath for --each";
		return -1;
	}
	if ((x->each = compile(xpath)) == NULL) {
		*err = arena_printf(x->perm, "invalid XPath for --each: %s",
		    xpath);
		return -1;
	}
	return 0;
}

void
xspec_join(struct xspec *x, const char *sep)
{
	x->sep = sep == NULL ? "\n" : sep;
}

static void
warn(const struct html_out *out, const char *msg)
{
	if (out != NULL && out->warn != NULL)
		out->warn(out->ctx, msg);
}

/* The string value of one matched node, appended to b. */
static void
nodeval(xmlNodePtr n, int flags, const char *bh, const char *pageurl,
    struct buf *b)
{
	struct buf t;
	xmlChar *s;

	switch (n->type) {
	case XML_ATTRIBUTE_NODE:
		if (!html_attr_url((const char *)n->name)) {
			html_text(n, 0, b);
			return;
		}
		buf_init(&t, b->a);
		html_text(n, 0, &t);
		buf_puts(b, html_resolve_at(bh, pageurl, t.p, b->a));
		return;
	case XML_ELEMENT_NODE:
	case XML_DOCUMENT_NODE:
	case XML_HTML_DOCUMENT_NODE:
		if (flags & F_HTML)
			html_inner(n, b);
		else
			html_text(n, 0, b);
		return;
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		html_text(n, 0, b);
		return;
	default:
		if ((s = xmlNodeGetContent(n)) != NULL) {
			buf_puts(b, (const char *)s);
			xmlFree(s);
		}
	}
}

/* A JSON number for d, or NULL when JSON has none (NaN, infinities). */
static char *
number(struct arena *a, double d)
{
	char s[40];

	if (isnan(d) || isinf(d))
		return NULL;
	if (d == floor(d) && fabs(d) < 1e15)
		return arena_printf(a, "%.0f", d == 0 ? 0.0 : d);
	snprintf(s, sizeof(s), "%.15g", d);
	if (strtod(s, NULL) != d)
		snprintf(s, sizeof(s), "%.17g", d);
	return arena_strdup(a, s);
}

void
xspec_nodes(struct xspec *x, struct xfield *f, xmlNodePtr *nodes, int n,
    const char *bh, const char *pageurl, struct rec *r, struct arena *a)
{
	struct buf b, v;
	int i;

	if (n == 0) {
		if (f->flags & F_ARRAY)
			rec_set(r, a, f->name, "[]", 2, REC_ARRAY);
		else
			rec_set_null(r, a, f->name);
		return;
	}
	f->hits++;
	buf_init(&b, a);
	if (f->flags & F_ARRAY)
		buf_putc(&b, '[');
	for (i = 0; i < n; i++) {
		if (f->flags & F_ARRAY) {
			if (i > 0)
				buf_putc(&b, ',');
			buf_init(&v, a);
			nodeval(nodes[i], f->flags, bh, pageurl, &v);
			buf_json(&b, v.p, v.len);
			continue;
		}
		if (i > 0)
			buf_puts(&b, x->sep);
		nodeval(nodes[i], f->flags, bh, pageurl, &b);
	}
	if (f->flags & F_ARRAY) {
		buf_putc(&b, ']');
		rec_set(r, a, f->name, b.p, b.len, REC_ARRAY);
	} else
		rec_set(r, a, f->name, b.p, b.len, REC_STRING);
}

/* Evaluates field f with the context node set, and adds it to r. */
static void
field(struct xspec *x, struct xfield *f, xmlXPathContextPtr ctx,
    xmlNodePtr node, const char *bh, const char *pageurl, struct rec *r,
    struct arena *a)
{
	xmlXPathObjectPtr res;
	xmlNodeSetPtr ns;
	struct buf b;
	char *num;

	ctx->node = node;
	ctx->contextSize = -1;
	ctx->proximityPosition = -1;
	res = xmlXPathCompiledEval(f->comp, ctx);
	if (res == NULL) {
		rec_set_null(r, a, f->name);
		return;
	}
	buf_init(&b, a);
	switch (res->type) {
	case XPATH_NODESET:
		ns = res->nodesetval;
		xspec_nodes(x, f, ns != NULL ? ns->nodeTab : NULL,
		    ns != NULL ? ns->nodeNr : 0, bh, pageurl, r, a);
		break;
	case XPATH_STRING:
		f->hits++;
		if (f->flags & F_ARRAY) {
			buf_putc(&b, '[');
			buf_json(&b, (const char *)res->stringval,
			    strlen((const char *)res->stringval));
			buf_putc(&b, ']');
			rec_set(r, a, f->name, b.p, b.len, REC_ARRAY);
		} else
			rec_set_str(r, a, f->name, arena_strdup(a,
			    (const char *)res->stringval));
		break;
	case XPATH_NUMBER:
		f->hits++;
		if ((num = number(a, res->floatval)) == NULL)
			rec_set_null(r, a, f->name);
		else if (f->flags & F_ARRAY)
			rec_set(r, a, f->name, arena_printf(a, "[%s]", num),
			    strlen(num) + 2, REC_ARRAY);
		else
			rec_set(r, a, f->name, num, strlen(num), REC_NUMBER);
		break;
	case XPATH_BOOLEAN:
		f->hits++;
		if (f->flags & F_ARRAY)
			rec_set(r, a, f->name, res->boolval ? "[true]" :
			    "[false]", res->boolval ? 6 : 7, REC_ARRAY);
		else
			rec_set(r, a, f->name, res->boolval ? "true" :
			    "false", res->boolval ? 4 : 5,
			    res->boolval ? REC_TRUE : REC_FALSE);
		break;
	default:
		rec_set_null(r, a, f->name);
	}
	xmlXPathFreeObject(res);
}

void
xspec_record(struct xspec *x, struct rec *r, const struct rec *prov,
    long index, struct arena *a)
{
	char *s;
	size_t i;

	x->runs++;
	rec_init(r);
	if (prov != NULL)
		for (i = 0; i < prov->nfields; i++)
			rec_add(r, a, prov->fields[i].key,
			    prov->fields[i].val, prov->fields[i].vlen,
			    prov->fields[i].type);
	if (index > 0) {
		s = arena_printf(a, "%ld", index);
		rec_set(r, a, "index", s, strlen(s), REC_NUMBER);
	}
}

static void
record(struct xspec *x, xmlXPathContextPtr ctx, xmlNodePtr node,
    long index, const struct rec *prov, const char *bh, const char *pageurl,
    struct arena *a, const struct html_out *out)
{
	struct xfield *f;
	struct rec r;

	xspec_record(x, &r, prov, index, a);
	for (f = x->head; f != NULL; f = f->next)
		field(x, f, ctx, node, bh, pageurl, &r, a);
	rec_changed(&r);
	html_emit(out, &r, a);
}

int
xspec_run(struct xspec *x, xmlDocPtr doc, const struct rec *prov,
    struct arena *tmp, const struct html_out *out)
{
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr res;
	const struct field *u;
	const char *pageurl, *bh;
	int i, n;

	if (doc == NULL || (ctx = xmlXPathNewContext(doc)) == NULL)
		return -1;
	bh = html_base(doc);
	pageurl = NULL;
	if (prov != NULL && (u = rec_get(prov, "url")) != NULL &&
	    u->type == REC_STRING)
		pageurl = u->val;
	if (x->each == NULL) {
		record(x, ctx, (xmlNodePtr)doc, 0, prov, bh, pageurl, tmp, out);
		xmlXPathFreeContext(ctx);
		return 0;
	}
	ctx->node = (xmlNodePtr)doc;
	res = xmlXPathCompiledEval(x->each, ctx);
	if (res == NULL) {
		warn(out, arena_printf(tmp, "--each %s: cannot evaluate",
		    x->eachexpr));
		xmlXPathFreeContext(ctx);
		return -1;
	}
	n = 0;
	if (res->type == XPATH_NODESET && res->nodesetval != NULL)
		n = res->nodesetval->nodeNr;
	if (res->type != XPATH_NODESET)
		warn(out, arena_printf(tmp, "--each %s: not a node set",
		    x->eachexpr));
	else if (n == 0)
		warn(out, arena_printf(tmp, "--each %s: matched nothing",
		    x->eachexpr));
	for (i = 0; i < n; i++)
		record(x, ctx, res->nodesetval->nodeTab[i], (long)i + 1, prov,
		    bh, pageurl, tmp, out);
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	return 0;
}

void
xspec_unmatched(struct xspec *x, const struct html_out *out)
{
	struct xfield *f;
	char *msg;

	if (x->runs == 0 || out == NULL || out->warn == NULL)
		return;
	for (f = x->head; f != NULL; f = f->next) {
		if (f->hits > 0)
			continue;
		msg = arena_printf(x->perm, "field '%s': %s matched nothing",
		    f->name, f->expr);
		out->warn(out->ctx, msg);
	}
}

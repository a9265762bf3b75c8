/* table.c - HTML tables to records, spans expanded, header keys unique. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/xpath.h>

#include "rec.h"
#include "html.h"
#include "internal.h"

#define MAXCOLSPAN	1000	/* the limits HTML itself sets */
#define MAXROWSPAN	65534
#define MAXWIDTH	1000	/* columns in one table */
#define MAXCELLS	1000000	/* cells, spans expanded */

struct cell {
	const char	*text;	/* NULL: no cell here */
	int		 th;
};

struct row {
	struct cell	*cells;
	size_t		 n, cap;
	int		 head;	/* from <thead> */
	int		 allth;	/* every cell a <th> */
	int		 empty;	/* the <tr> had no cells */
};

struct grid {
	struct arena	*a;
	struct row	*rows;
	size_t		 nrows, cap;
	size_t		 width;
	size_t		 ncells;	/* grid cells filled */
	int		 clipped;	/* spans not expanded: too big */
};

static int
isname(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name != NULL &&
	    strcmp((const char *)n->name, name) == 0;
}

static void
addrow(struct grid *g, xmlNodePtr tr, int head)
{
	if (g->nrows == g->cap) {
		g->rows = arena_realloc(g->a, g->rows,
		    g->cap * sizeof(*g->rows),
		    (g->cap ? g->cap * 2 : 16) * sizeof(*g->rows));
		g->cap = g->cap ? g->cap * 2 : 16;
	}
	memset(&g->rows[g->nrows], 0, sizeof(g->rows[0]));
	g->rows[g->nrows].head = head;
	/* Until fill() runs, cells holds the <tr>. */
	g->rows[g->nrows].cells = (struct cell *)tr;
	g->nrows++;
}

/* The rows of table t: <thead>'s first, <tfoot>'s last, no nested ones. */
static void
rows(struct grid *g, xmlNodePtr t)
{
	xmlNodePtr c, r;
	int pass;

	for (pass = 0; pass < 3; pass++)
		for (c = t->children; c != NULL; c = c->next) {
			if (isname(c, "tr") && pass == 1)
				addrow(g, c, 0);
			if (!(isname(c, "thead") && pass == 0) &&
			    !(isname(c, "tbody") && pass == 1) &&
			    !(isname(c, "tfoot") && pass == 2))
				continue;
			for (r = c->children; r != NULL; r = r->next)
				if (isname(r, "tr"))
					addrow(g, r, pass == 0);
		}
}

static int
span(xmlNodePtr n, const char *name, int max)
{
	xmlChar *v;
	long l;

	if ((v = xmlGetProp(n, (const xmlChar *)name)) == NULL)
		return 1;
	l = strtol((const char *)v, NULL, 10);
	xmlFree(v);
	if (l < 0 || (l == 0 && strcmp(name, "colspan") == 0))
		return 1;
	if (l == 0 || l > max)
		return max;	/* rowspan=0: to the end */
	return (int)l;
}

static struct cell *
at(struct grid *g, size_t r, size_t c)
{
	struct row *w;
	size_t cap;

	w = &g->rows[r];
	if (c >= w->cap) {
		cap = w->cap ? w->cap : 8;
		while (cap <= c)
			cap *= 2;
		w->cells = arena_realloc(g->a, w->cells,
		    w->cap * sizeof(*w->cells), cap * sizeof(*w->cells));
		w->cap = cap;
	}
	if (c >= w->n)
		w->n = c + 1;
	if (w->n > g->width)
		g->width = w->n;
	return &w->cells[c];
}

/* Lays the cells out on the grid, each span filled with its text. */
static void
fill(struct grid *g)
{
	xmlNodePtr *trs, cell;
	struct cell *p;
	struct buf b;
	size_t r, c, i, j, rs, cs;
	int th, nth, ncells;

	trs = arena_alloc(g->a, g->nrows + 1, sizeof(*trs));
	for (r = 0; r < g->nrows; r++) {
		trs[r] = (xmlNodePtr)g->rows[r].cells;
		g->rows[r].cells = NULL;
	}
	for (r = 0; r < g->nrows; r++) {
		c = 0;
		nth = ncells = 0;
		for (cell = trs[r]->children; cell != NULL;
		    cell = cell->next) {
			if (!(th = isname(cell, "th")) && !isname(cell, "td"))
				continue;
			ncells++;
			nth += th;
			while (c < g->rows[r].n && g->rows[r].cells[c].text !=
			    NULL)
				c++;
			if (c >= MAXWIDTH) {
				g->clipped = 1;
				break;
			}
			cs = (size_t)span(cell, "colspan", MAXCOLSPAN);
			rs = (size_t)span(cell, "rowspan", MAXROWSPAN);
			if (c + cs > MAXWIDTH)
				cs = MAXWIDTH - c;
			if (rs > g->nrows - r)
				rs = g->nrows - r;
			/*
			 * A few bytes of spans can ask for a huge grid; past
			 * the budget a cell fills its own place only.
			 */
			if (g->ncells + rs * cs > MAXCELLS) {
				if (rs > 1 || cs > 1)
					g->clipped = 1;
				rs = cs = 1;
			}
			g->ncells += rs * cs;
			buf_init(&b, g->a);
			html_text(cell, 0, &b);
			for (i = 0; i < rs; i++)
				for (j = 0; j < cs; j++) {
					p = at(g, r + i, c + j);
					p->text = b.p;
					p->th = th;
				}
			c += cs;
		}
		g->rows[r].allth = ncells > 0 && nth == ncells;
		g->rows[r].empty = ncells == 0;
	}
}

static void
warn(const struct html_out *out, const char *msg)
{
	if (out != NULL && out->warn != NULL)
		out->warn(out->ctx, msg);
}

static int
taken(char **keys, size_t n, const struct rec *prov, const char *k)
{
	size_t i;

	if (strcmp(k, "table_index") == 0 || strcmp(k, "row") == 0)
		return 1;
	if (prov != NULL && rec_get(prov, k) != NULL)
		return 1;
	for (i = 0; i < n; i++)
		if (strcmp(keys[i], k) == 0)
			return 1;
	return 0;
}

/*
 * Header keys: the texts of the header rows in each column, joined by a
 * space when they differ (a spanning group heading over its columns);
 * "colN" for a column without one; "_2", "_3" added to repeats.
 */
static char **
keys(struct grid *g, size_t nhead, const struct rec *prov)
{
	char **k, *s;
	const char *t, *last;
	struct buf b;
	size_t r, c, n;

	k = arena_alloc(g->a, g->width + 1, sizeof(*k));
	for (c = 0; c < g->width; c++) {
		buf_init(&b, g->a);
		last = NULL;
		for (r = 0; r < nhead; r++) {
			if (c >= g->rows[r].n ||
			    (t = g->rows[r].cells[c].text) == NULL ||
			    *t == '\0' ||
			    (last != NULL && strcmp(t, last) == 0))
				continue;
			if (b.len > 0)
				buf_putc(&b, ' ');
			for (; *t != '\0'; t++)
				buf_putc(&b, *t == '\n' ? ' ' : *t);
			last = g->rows[r].cells[c].text;
		}
		s = b.len > 0 ? b.p : arena_printf(g->a, "col%zu", c + 1);
		if (taken(k, c, prov, s)) {
			for (n = 2; ; n++)
				if (!taken(k, c, prov, arena_printf(g->a,
				    "%s_%zu", s, n)))
					break;
			s = arena_printf(g->a, "%s_%zu", s, n);
		}
		k[c] = s;
	}
	return k;
}

static void
table(xmlNodePtr t, size_t index, const struct rec *prov, struct arena *a,
    const struct html_out *out)
{
	struct grid g;
	struct rec r;
	struct row *w;
	char **k, *s;
	size_t i, c, nhead, row;

	memset(&g, 0, sizeof(g));
	g.a = a;
	rows(&g, t);
	if (g.nrows == 0)
		return;
	fill(&g);
	if (g.clipped)
		warn(out, arena_printf(a, "table %zu: over %d columns or %d "
		    "cells with spans expanded; clipped", index, MAXWIDTH,
		    MAXCELLS));
	for (nhead = 0; nhead < g.nrows && g.rows[nhead].head; nhead++)
		;
	if (nhead == 0)
		while (nhead < g.nrows && g.rows[nhead].allth)
			nhead++;
	if (nhead == g.nrows)
		nhead = 0;	/* only headings: they are the data */
	k = keys(&g, nhead, prov);
	row = 0;
	for (i = nhead; i < g.nrows; i++) {
		w = &g.rows[i];
		if (w->empty && w->n == 0)
			continue;
		rec_init(&r);
		if (prov != NULL)
			for (c = 0; c < prov->nfields; c++)
				rec_add(&r, a, prov->fields[c].key,
				    prov->fields[c].val, prov->fields[c].vlen,
				    prov->fields[c].type);
		s = arena_printf(a, "%zu", index);
		rec_add(&r, a, "table_index", s, strlen(s), REC_NUMBER);
		s = arena_printf(a, "%zu", ++row);
		rec_add(&r, a, "row", s, strlen(s), REC_NUMBER);
		for (c = 0; c < g.width; c++) {
			if (c < w->n && w->cells[c].text != NULL)
				rec_add(&r, a, k[c], w->cells[c].text,
				    strlen(w->cells[c].text), REC_STRING);
			else
				rec_add(&r, a, k[c], "null", 4, REC_NULL);
		}
		rec_changed(&r);
		html_emit(out, &r, a);
	}
}

/*
 * --each, compiled once for the run in each thread (a compiled XPath is
 * not to be shared: libxml2 caches function lookups in it as it runs).
 * Every one made is freed at exit.
 */
static __thread char *eachsrc;
static __thread xmlXPathCompExprPtr eachcomp;
static pthread_mutex_t madelock = PTHREAD_MUTEX_INITIALIZER;
static xmlXPathCompExprPtr *made;
static char **madesrc;
static size_t nmade;

static void
freeeach(void)
{
	size_t i;

	for (i = 0; i < nmade; i++) {
		xmlXPathFreeCompExpr(made[i]);
		free(madesrc[i]);
	}
	free(made);
	free(madesrc);
	made = NULL;
	madesrc = NULL;
	nmade = 0;
}

static xmlXPathCompExprPtr
compiled(const char *each)
{
	xmlXPathCompExprPtr *v;
	char **s;
	int on;

	if (eachsrc != NULL && strcmp(eachsrc, each) == 0)
		return eachcomp;
	html_init();
	if ((eachsrc = strdup(each)) == NULL)
		oom();
	/* it outlives the page */
	on = xmem_pause();
	eachcomp = xmlXPathCompile((const xmlChar *)each);
	xmem_resume(on);
	pthread_mutex_lock(&madelock);
	if ((v = realloc(made, (nmade + 1) * sizeof(*v))) == NULL ||
	    (made = v, s = realloc(madesrc, (nmade + 1) * sizeof(*s))) ==
	    NULL)
		oom();
	madesrc = s;
	if (nmade == 0)
		atexit(freeeach);
	made[nmade] = eachcomp;	/* NULL if it did not compile: no matter */
	madesrc[nmade++] = eachsrc;
	pthread_mutex_unlock(&madelock);
	return eachcomp;
}

int
table_prepare(const char *each)
{
	return compiled(each) != NULL ? 0 : -1;
}

/* Every <table> in document order. */
static xmlNodePtr *
tables(xmlDocPtr doc, struct arena *a, size_t *n)
{
	xmlNodePtr *v, p;
	size_t cap;

	cap = 16;
	v = arena_alloc(a, cap, sizeof(*v));
	*n = 0;
	for (p = xmlDocGetRootElement(doc); p != NULL; ) {
		if (isname(p, "table")) {
			if (*n == cap) {
				v = arena_realloc(a, v, cap * sizeof(*v),
				    cap * 2 * sizeof(*v));
				cap *= 2;
			}
			v[(*n)++] = p;
		}
		if (p->type == XML_ELEMENT_NODE && p->children != NULL) {
			p = p->children;
			continue;
		}
		while (p != NULL && p->next == NULL)
			p = p->parent;
		if (p != NULL)
			p = p->next;
	}
	return v;
}

int
table_run(xmlDocPtr doc, const char *each, const struct rec *prov,
    struct arena *tmp, const struct html_out *out)
{
	xmlXPathCompExprPtr comp;
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr res;
	xmlNodeSetPtr ns;
	xmlNodePtr *all, node, p;
	size_t n, i, j;
	char *done;
	int k, none, found;

	if (doc == NULL || xmlDocGetRootElement(doc) == NULL)
		return -1;
	all = tables(doc, tmp, &n);
	if (each == NULL) {
		for (i = 0; i < n; i++)
			table(all[i], i + 1, prov, tmp, out);
		return 0;
	}
	if ((comp = compiled(each)) == NULL ||
	    (ctx = xmlXPathNewContext(doc)) == NULL)
		return -1;
	res = xmlXPathCompiledEval(comp, ctx);
	if (res == NULL) {
		xmlXPathFreeContext(ctx);
		return -1;
	}
	ns = res->type == XPATH_NODESET ? res->nodesetval : NULL;
	if (ns == NULL || ns->nodeNr == 0)
		warn(out, arena_printf(tmp, "--each %s: matched nothing",
		    each));
	/* A match that is not a table stands for the tables inside it. */
	done = arena_alloc(tmp, n + 1, 1);
	none = 0;
	for (k = 0; ns != NULL && k < ns->nodeNr; k++) {
		node = ns->nodeTab[k];
		found = 0;
		for (j = 0; j < n; j++) {
			for (p = all[j]; p != NULL && p != node; p = p->parent)
				;
			if (p == NULL)
				continue;
			found = 1;
			if (!done[j]) {
				done[j] = 1;
				table(all[j], j + 1, prov, tmp, out);
			}
		}
		none += !found;
	}
	if (none > 0)
		warn(out, arena_printf(tmp, "--each %s: %d of %d matches "
		    "hold no <table>", each, none, ns->nodeNr));
	xmlXPathFreeObject(res);
	xmlXPathFreeContext(ctx);
	return 0;
}

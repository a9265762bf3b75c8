/* xstream.c - user fields read from the parser's events: a page's whole
 * tree is never built, only the subtrees of the elements that match. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <libxml/xpathInternals.h>

#include "rec.h"
#include "html.h"
#include "internal.h"
#include "xspec.h"

/*
 * Why the result is the tree's, node for node: the subtree of an element
 * that matches is built by libxml2's own tree handlers (xmlSAX2*), fed
 * the very events they get when the whole tree is built, below a holder
 * element; what the parser does besides depends on the tree in one place
 * only (areBlanks(), whose answer changes nothing with keepBlanks set).
 * Where the tree would put an element (under the root when the root is the
 * document's first child, else at the top), how deep the tree may grow
 * (xmlParserMaxDepth, then the parse stops), and the elements the parser
 * pops without an end event (a start tag cut short) are followed here.
 * A page with an element name holding a colon (which libxml2 splits) goes
 * the tree's way.
 */

enum { TOP_NONE, TOP_ELEM, TOP_OTHER };	/* the document's first child */

#define FR_ROOT	0x01		/* the root element */
#define FR_HEAD	0x02		/* a head in the root element */

struct frame {
	uint64_t	 m;		/* states reached at this element */
	uint64_t	 d;		/* ... at it or above it */
	int		 flags;
};

struct nlist {
	xmlNodePtr	*v;
	int		 n, cap;
};

struct xstream {
	struct xspec	*x;
	struct arena	*a;
	htmlParserCtxtPtr ctxt;
	xmlSAXHandler	 tree;		/* libxml2's tree handlers */
	xmlNodePtr	 holder;	/* parent of every subtree kept */
	struct frame	*st;		/* the open elements */
	size_t		 depth, maxdepth;
	struct frame	 docf, rootf;
	xmlNodePtr	 rootnode;	/* the root element, when kept */
	int		 top;
	size_t		 capat;		/* depth of the kept subtree + 1 */
	int		 halted, deep, fallback, wanturl, rooted;
	struct nlist	*hits;		/* per field */
	struct nlist	 urls, bases;
	xmlDocPtr	 doc;
};

/* The plan of a field: see xspec.h. */

static const char *
ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* An NCName of ASCII letters, digits, _ . and -; NULL if none. */
static const char *
name(const char *p, const char **end, struct arena *a)
{
	const char *s = p;

	if (!isalpha((unsigned char)*p) && *p != '_')
		return NULL;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '.' ||
	    *p == '-')
		p++;
	*end = p;
	return arena_strndup(a, s, (size_t)(p - s));
}

static const char *
literal(const char *p, const char **end, struct arena *a)
{
	const char *q;

	if (*p != '"' && *p != '\'')
		return NULL;
	if ((q = strchr(p + 1, *p)) == NULL)
		return NULL;
	*end = q + 1;
	return arena_strndup(a, p + 1, (size_t)(q - p - 1));
}

/* [@a], [@a="v"], [contains(@a,"v")]; p is past the '['. */
static struct xpred *
pred(const char *p, const char **end, struct arena *a)
{
	struct xpred *q;

	q = arena_alloc(a, 1, sizeof(*q));
	p = ws(p);
	if (strncmp(p, "contains", 8) == 0) {
		p = ws(p + 8);
		if (*p != '(')
			return NULL;
		p = ws(p + 1);
		if (*p != '@' || (q->attr = name(p + 1, &p, a)) == NULL)
			return NULL;
		p = ws(p);
		if (*p != ',')
			return NULL;
		p = ws(p + 1);
		if ((q->val = literal(p, &p, a)) == NULL)
			return NULL;
		p = ws(p);
		if (*p != ')')
			return NULL;
		p = ws(p + 1);
		q->op = P_CONTAINS;
	} else {
		if (*p != '@' || (q->attr = name(p + 1, &p, a)) == NULL)
			return NULL;
		p = ws(p);
		q->op = P_HAS;
		if (*p == '=') {
			p = ws(p + 1);
			if ((q->val = literal(p, &p, a)) == NULL)
				return NULL;
			p = ws(p);
			q->op = P_EQ;
		}
	}
	if (*p != ']')
		return NULL;
	*end = p + 1;
	return q;
}

struct xplan *
xplan_compile(const char *expr, struct arena *a)
{
	struct xplan *pl;
	struct xstep steps[64], *st;
	struct xpred *q, **qt;
	const char *p;
	int n, desc;

	pl = arena_alloc(a, 1, sizeof(*pl));
	pl->tail = T_NODE;
	n = 0;
	p = ws(expr);
	while (*p == '/') {
		desc = p[1] == '/';
		p = ws(p + 1 + desc);
		if (*p == '@' || strncmp(p, "text", 4) == 0) {
			/* the tail: /@a or /text(), last and after a step */
			if (n == 0 || desc)
				return NULL;
			if (*p == '@') {
				if ((pl->attr = name(p + 1, &p, a)) == NULL)
					return NULL;
				pl->tail = T_ATTR;
				break;
			}
			if (*ws(p + 4) == '(') {
				p = ws(ws(p + 4) + 1);
				if (*p != ')')
					return NULL;
				p++;
				pl->tail = T_TEXT;
				break;
			}
		}
		if (n == (int)(sizeof(steps) / sizeof(steps[0])))
			return NULL;
		st = &steps[n++];
		memset(st, 0, sizeof(*st));
		st->desc = desc;
		if (*p == '*')
			p++;
		else if ((st->name = name(p, &p, a)) == NULL)
			return NULL;
		/* an axis, a function or a prefix is not a name test */
		if (*ws(p) == ':' || *ws(p) == '(')
			return NULL;
		qt = &st->preds;
		for (p = ws(p); *p == '['; p = ws(p)) {
			if ((q = pred(p + 1, &p, a)) == NULL)
				return NULL;
			*qt = q;
			qt = &q->next;
		}
	}
	if (n == 0 || *ws(p) != '\0')
		return NULL;
	pl->nsteps = n;
	pl->steps = arena_alloc(a, (size_t)n, sizeof(*pl->steps));
	memcpy(pl->steps, steps, (size_t)n * sizeof(*pl->steps));
	return pl;
}

/* Lays the fields' states out as the bits of one word. */
static void
bits(struct xspec *x)
{
	struct xbits *b = &x->bits;
	struct xfield *f;
	int i, j, k;

	memset(b, 0, sizeof(*b));
	b->ready = 1;
	if (x->each != NULL)
		return;
	for (i = 0; i < 64; i++)
		b->field[i] = -1;
	k = 0;
	for (f = x->head, i = 0; f != NULL; f = f->next, i++) {
		if (f->plan == NULL || k + f->plan->nsteps + 1 > 64)
			return;
		b->zero |= (uint64_t)1 << k;
		for (j = 0; j < f->plan->nsteps; j++) {
			k++;
			b->step[k] = &f->plan->steps[j];
			if (f->plan->steps[j].desc)
				b->desc |= (uint64_t)1 << k;
			else
				b->child |= (uint64_t)1 << k;
		}
		b->final |= (uint64_t)1 << k;
		b->field[k] = i;
		b->plan[k] = f->plan;
		k++;
	}
	b->ok = 1;
}

int
xspec_streams(struct xspec *x)
{
	if (!x->bits.ready) {
		bits(x);
		if (no_fastpath())
			x->bits.ok = 0;	/* the tree's way, for tests */
	}
	return x->bits.ok;
}

/* An attribute's value as the tree has it, or NULL when it is absent. */
static const char *
attval(const xmlChar **atts, const char *nm)
{
	for (; atts != NULL && atts[0] != NULL; atts += 2)
		if (strcmp((const char *)atts[0], nm) == 0) {
			if (atts[1] != NULL)
				return (const char *)atts[1];
			/* a bare boolean attribute holds its name */
			return htmlIsBooleanAttr(atts[0]) ?
			    (const char *)atts[0] : "";
		}
	return NULL;
}

static int
stepok(const struct xstep *st, const char *nm, const xmlChar **atts)
{
	const struct xpred *q;
	const char *v;

	if (st->name != NULL && (st->name[0] != nm[0] ||
	    strcmp(st->name, nm) != 0))
		return 0;
	for (q = st->preds; q != NULL; q = q->next) {
		v = attval(atts, q->attr);
		switch (q->op) {
		case P_HAS:
			if (v == NULL)
				return 0;
			break;
		case P_EQ:
			if (v == NULL || strcmp(v, q->val) != 0)
				return 0;
			break;
		case P_CONTAINS:
			if (strstr(v != NULL ? v : "", q->val) == NULL)
				return 0;
			break;
		}
	}
	return 1;
}

static void
add(struct nlist *l, xmlNodePtr n, struct arena *a)
{
	xmlNodePtr *v;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		v = arena_alloc(a, (size_t)l->cap, sizeof(*v));
		if (l->n > 0)
			memcpy(v, l->v, (size_t)l->n * sizeof(*v));
		l->v = v;
	}
	l->v[l->n++] = n;
}

static void
halt(struct xstream *s)
{
	s->halted = 1;
	xmlStopParser(s->ctxt);
}

/*
 * The element on top goes: a normal end (the tree's handler), or one the
 * parser pops without telling (the tree just pops it).
 */
static void
pop(struct xstream *s, const xmlChar *nm)
{
	s->depth--;
	if (s->capat == 0)
		return;
	if (nm != NULL)
		s->tree.endElement(s->ctxt, nm);
	else
		nodePop(s->ctxt);
	if (s->depth + 1 == s->capat) {
		while (s->ctxt->nodeNr > 0)
			nodePop(s->ctxt);	/* the host */
		s->ctxt->node = NULL;
		s->capat = 0;
	}
}

/* Before an event the parser's open elements are ours: want of them. */
static int
sync(struct xstream *s, int want)
{
	if (s->halted)
		return -1;
	if (want < 0 || (size_t)want > s->depth) {
		s->fallback = 1;	/* never seen: let the tree do it */
		halt(s);
		return -1;
	}
	while (s->depth > (size_t)want)
		pop(s, NULL);
	return 0;
}

static void
start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct xstream *s = ctxt->_private;
	const struct xbits *b = &s->x->bits;
	const char *nm = (const char *)xname;
	struct frame *p, *f;
	xmlNodePtr node, host;
	xmlAttrPtr at;
	uint64_t cand, m, fin;
	size_t i;
	int k, root, want, kind;

	if (sync(s, ctxt->nameNr - 1) == -1)
		return;
	if (strchr(nm, ':') != NULL) {
		s->fallback = 1;
		halt(s);
		return;
	}
	if (s->depth > xmlParserMaxDepth &&
	    (ctxt->options & XML_PARSE_HUGE) == 0) {
		s->deep = 1;	/* where nodePush() stops the tree */
		halt(s);
		return;
	}
	if (s->depth + 1 >= s->maxdepth) {
		s->fallback = 1;
		halt(s);
		return;
	}
	root = 0;
	if (s->depth > 0)
		p = &s->st[s->depth - 1];
	else if (!s->rooted) {
		if (s->top == TOP_NONE)
			s->top = TOP_ELEM;
		p = &s->docf;
		root = 1;
	} else if (s->top == TOP_ELEM)
		p = &s->rootf;		/* the tree adds it to the root */
	else
		p = &s->docf;
	f = &s->st[s->depth];
	cand = ((p->m << 1) & b->child) | ((p->d << 1) & b->desc);
	m = 0;
	while (cand != 0) {
		k = __builtin_ctzll(cand);
		cand &= cand - 1;
		if (stepok(b->step[k], nm, atts))
			m |= (uint64_t)1 << k;
	}
	f->m = m;
	f->d = p->d | m;
	f->flags = root ? FR_ROOT : 0;
	kind = 0;
	if ((p->flags & FR_ROOT) && strcmp(nm, "head") == 0)
		f->flags |= FR_HEAD;
	else if ((p->flags & FR_HEAD) && strcmp(nm, "base") == 0)
		kind = 1;
	else if (s->wanturl && ((nm[0] == 'l' && strcmp(nm, "link") == 0) ||
	    (nm[0] == 'm' && strcmp(nm, "meta") == 0)))
		kind = 2;
	if (root) {
		s->rootf = *f;
		s->rooted = 1;
	}
	want = (m & b->final) != 0 || kind != 0;
	/* the tree adds a late top element to a root it keeps */
	host = s->holder;
	if (p == &s->rootf && s->rootnode != NULL)
		host = s->rootnode;
	if (s->capat == 0 && (want || host != s->holder)) {
		if (host == NULL) {
			s->fallback = 1;
			halt(s);
			return;
		}
		/* as deep in the parser's node stack as in the tree's */
		for (i = 0; i < s->depth; i++)
			nodePush(ctxt, host);
		ctxt->node = host;
		s->capat = s->depth + 1;
	}
	s->depth++;
	if (s->capat == 0)
		return;
	s->tree.startElement(ctxt, xname, atts);
	if (!want || (node = ctxt->node) == NULL || node == host)
		return;
	if (root)
		s->rootnode = node;
	if (kind == 1)
		add(&s->bases, node, s->a);
	else if (kind == 2)
		add(&s->urls, node, s->a);
	for (fin = m & b->final; fin != 0; fin &= fin - 1) {
		k = __builtin_ctzll(fin);
		if (b->plan[k]->tail != T_ATTR)
			add(&s->hits[b->field[k]], node, s->a);
		else if ((at = xmlHasProp(node,
		    (const xmlChar *)b->plan[k]->attr)) != NULL)
			add(&s->hits[b->field[k]], (xmlNodePtr)at, s->a);
	}
}

static void
end(void *ctx, const xmlChar *xname)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct xstream *s = ctxt->_private;

	if (sync(s, ctxt->nameNr) == -1 || s->depth == 0)
		return;
	pop(s, xname);
}

/* Text inside a kept subtree goes to the tree's handler. */
static void
text(void *ctx, const xmlChar *ch, int len, int cd)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct xstream *s = ctxt->_private;

	if (sync(s, ctxt->nameNr) == -1 || s->capat == 0)
		return;
	if (cd)
		s->tree.cdataBlock(ctxt, ch, len);
	else
		s->tree.characters(ctxt, ch, len);
}

static void
chars(void *ctx, const xmlChar *ch, int len)
{
	text(ctx, ch, len, 0);
}

static void
cdata(void *ctx, const xmlChar *ch, int len)
{
	text(ctx, ch, len, 1);
}

/*
 * A comment or a PI: one out of every element is the document's own
 * child; one inside a kept subtree goes to the tree's handler (1).
 */
static int
other(htmlParserCtxtPtr ctxt)
{
	struct xstream *s = ctxt->_private;

	if (sync(s, ctxt->nameNr) == -1)
		return 0;
	if (s->depth == 0 && s->top == TOP_NONE)
		s->top = TOP_OTHER;
	return s->capat != 0;
}

static void
comment(void *ctx, const xmlChar *value)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct xstream *s = ctxt->_private;

	if (other(ctxt))
		s->tree.comment(ctxt, value);
}

static void
pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct xstream *s = ctxt->_private;

	if (other(ctxt))
		s->tree.processingInstruction(ctxt, target, data);
}

static void
subset(void *ctx, const xmlChar *nm, const xmlChar *ext, const xmlChar *sys)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct xstream *s = ctxt->_private;

	if (s->halted)
		return;
	/* libxml2 puts the DTD first in an HTML document */
	s->top = TOP_OTHER;
	s->tree.internalSubset(ctxt, nm, ext, sys);
}

static void
startdoc(void *ctx)
{
	htmlParserCtxtPtr ctxt = ctx;
	struct xstream *s = ctxt->_private;

	s->tree.startDocument(ctxt);
	if (ctxt->myDoc == NULL || s->holder != NULL)
		return;
	s->holder = xmlNewDocNode(ctxt->myDoc, NULL,
	    (const xmlChar *)"glean", NULL);
	if (s->holder == NULL ||
	    xmlAddChild((xmlNodePtr)ctxt->myDoc, s->holder) == NULL) {
		s->fallback = 1;
		halt(s);
	}
}

int
xstream_parse(struct xspec *x, const char *data, size_t len,
    const char *encoding, int wanturl, struct arena *a, struct xstream **out)
{
	struct xstream *s;
	htmlParserCtxtPtr ctxt;
	xmlSAXHandler *h;

	*out = NULL;
	if (!xspec_streams(x))
		return 1;
	if ((ctxt = html_ctxt(data, len, encoding)) == NULL)
		return -1;
	s = arena_alloc(a, 1, sizeof(*s));
	s->x = x;
	s->a = a;
	s->ctxt = ctxt;
	s->wanturl = wanturl;
	s->maxdepth = (size_t)xmlParserMaxDepth + 2;
	s->st = arena_alloc(a, s->maxdepth, sizeof(*s->st));
	s->hits = arena_alloc(a, x->nfields, sizeof(*s->hits));
	s->docf.m = s->docf.d = x->bits.zero;
	h = ctxt->sax;
	s->tree = *h;
	h->startDocument = startdoc;
	h->startElement = start;
	h->endElement = end;
	h->characters = chars;
	h->cdataBlock = cdata;
	h->comment = comment;
	h->processingInstruction = pi;
	h->internalSubset = subset;
	ctxt->_private = s;
	htmlParseDocument(ctxt);
	*h = s->tree;
	s->doc = html_ctxt_done(ctxt);
	s->ctxt = NULL;
	if (s->fallback || !s->rooted) {
		xstream_free(s);
		return s->fallback ? 1 : -1;
	}
	*out = s;
	return 0;
}

int
xstream_deep(const struct xstream *s)
{
	return s->deep;
}

static const char *
basehref(const struct xstream *s)
{
	const char *v;
	int i;

	for (i = 0; i < s->bases.n; i++)
		if ((v = html_attr(s->bases.v[i], "href")) != NULL)
			return v;
	return NULL;
}

char *
xstream_url(struct xstream *s, struct arena *a)
{
	const char *canon, *og;
	int i;

	canon = og = NULL;
	for (i = 0; i < s->urls.n; i++)
		if (html_url_visit(s->urls.v[i], &canon, &og, a))
			break;
	return html_url_done(canon, og, basehref(s), a);
}

/* The text children of the elements in l, in document order. */
static void
texts(struct nlist *l, struct nlist *out, struct arena *a)
{
	xmlNodeSet set;
	xmlNodePtr c;
	int i;

	for (i = 0; i < l->n; i++)
		for (c = l->v[i]->children; c != NULL; c = c->next)
			if (c->type == XML_TEXT_NODE ||
			    c->type == XML_CDATA_SECTION_NODE)
				add(out, c, a);
	if (l->n < 2 || out->n < 2)
		return;
	/* a matched element inside another: their texts interleave */
	memset(&set, 0, sizeof(set));
	set.nodeNr = set.nodeMax = out->n;
	set.nodeTab = out->v;
	xmlXPathNodeSetSort(&set);
}

void
xstream_emit(struct xstream *s, const struct rec *prov, struct arena *a,
    const struct html_out *out)
{
	struct xspec *x = s->x;
	struct xfield *f;
	struct nlist t;
	const struct field *u;
	const char *pageurl, *bh;
	struct rec r;
	int i;

	pageurl = NULL;
	if (prov != NULL && (u = rec_get(prov, "url")) != NULL &&
	    u->type == REC_STRING)
		pageurl = u->val;
	bh = basehref(s);
	xspec_record(x, &r, prov, 0, a);
	for (f = x->head, i = 0; f != NULL; f = f->next, i++) {
		if (f->plan->tail != T_TEXT) {
			xspec_nodes(x, f, s->hits[i].v, s->hits[i].n, bh,
			    pageurl, &r, a);
			continue;
		}
		memset(&t, 0, sizeof(t));
		texts(&s->hits[i], &t, a);
		xspec_nodes(x, f, t.v, t.n, bh, pageurl, &r, a);
	}
	rec_changed(&r);
	html_emit(out, &r, a);
}

void
xstream_free(struct xstream *s)
{
	if (s == NULL)
		return;
	if (s->doc != NULL)
		xmlFreeDoc(s->doc);
	s->doc = NULL;
}

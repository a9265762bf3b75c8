/* htmllines.c - the text of an HTML page as a reader sees it, straight from
 * libxml2's SAX events: the research layout needs lines, not a tree. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/uri.h>

#include "rec.h"
#include "html.h"
#include "htmllines.h"

/* What an element does to the text around it (as html_text() has it). */
/*
 * What an element does to the text around it: html_kind()'s answer, but
 * header and footer (E_SECTION) are left out only outside main and article
 * (E_CONTENT, blocks), since an article's own header can hold the title.
 * E_CHROME (nav, aside, form, head) is always left out.
 */
enum {
	E_INLINE = HTML_E_INLINE, E_BLOCK = HTML_E_BLOCK, E_BR = HTML_E_BR,
	E_CELL = HTML_E_CELL, E_PRE = HTML_E_PRE, E_DROP = HTML_E_DROP,
	E_CHROME = HTML_E_CHROME, E_SECTION, E_CONTENT
};

struct scan {
	struct buf	*out;
	size_t		 start;		/* out->len when we began */
	int		 space;		/* a space is pending */
	int		 nl;		/* newlines pending (at most 2) */
	int		 pre;		/* inside <pre> */
	int		 skip;		/* depth inside a left-out element */
	int		 content;	/* depth of main and article */
	struct arena	*a;
	char		*canon, *og, *base;
	/* names are interned in the parser's dictionary: a pointer cache */
	const xmlChar	*cname[64];
	int		 ckind[64];
};

static int
kindof(const xmlChar *name)
{
	const char *n = (const char *)name;

	if (strcmp(n, "header") == 0 || strcmp(n, "footer") == 0)
		return E_SECTION;
	if (strcmp(n, "main") == 0 || strcmp(n, "article") == 0)
		return E_CONTENT;
	return html_kind(n);
}

static int
kindof_cached(struct scan *s, const xmlChar *name)
{
	size_t h;

	h = ((size_t)name >> 4) & 63;
	if (s->cname[h] != name) {
		s->cname[h] = name;
		s->ckind[h] = kindof(name);
	}
	return s->ckind[h];
}

static void
flush(struct scan *s)
{
	if (s->out->len == s->start) {
		s->space = s->nl = 0;	/* nothing yet: trim */
		return;
	}
	if (s->nl > 0)
		buf_put(s->out, "\n\n", (size_t)s->nl);
	else if (s->space)
		buf_putc(s->out, ' ');
	s->space = s->nl = 0;
}

static void
block(struct scan *s)
{
	if (s->nl < 1)
		s->nl = 1;
}

/* An attribute value trimmed into the arena, or NULL if empty. */
static char *
trimdup(struct arena *a, const xmlChar *v)
{
	const char *p = (const char *)v;
	size_t n;

	if (p == NULL)
		return NULL;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
	    *p == '\f')
		p++;
	n = strlen(p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
	    p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == '\f'))
		n--;
	return n == 0 ? NULL : arena_strndup(a, p, n);
}

static const xmlChar *
attr(const xmlChar **atts, const char *name)
{
	for (; atts != NULL && atts[0] != NULL; atts += 2)
		if (strcasecmp((const char *)atts[0], name) == 0)
			return atts[1] != NULL ? atts[1] :
			    (const xmlChar *)"";
	return NULL;
}

static int
hasword(const xmlChar *v, const char *word)
{
	const char *s = (const char *)v;
	size_t n, m = strlen(word);

	if (s == NULL)
		return 0;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    *s == '\f')
			s++;
		if (*s == '\0')
			return 0;
		for (n = 0; s[n] != '\0' && s[n] != ' ' && s[n] != '\t' &&
		    s[n] != '\n' && s[n] != '\r' && s[n] != '\f'; n++)
			;
		if (n == m && strncasecmp(s, word, m) == 0)
			return 1;
		s += n;
	}
}

/* The page's own URL and base, wherever they are in the page. */
static void
urls(struct scan *s, const char *name, const xmlChar **atts)
{
	const xmlChar *v;

	if (name[0] == 'l' && strcmp(name, "link") == 0) {
		if (s->canon == NULL && hasword(attr(atts, "rel"),
		    "canonical") && (v = attr(atts, "href")) != NULL)
			s->canon = trimdup(s->a, v);
	} else if (name[0] == 'm' && strcmp(name, "meta") == 0) {
		if (s->og == NULL && (v = attr(atts, "property")) != NULL &&
		    strcasecmp((const char *)v, "og:url") == 0 &&
		    (v = attr(atts, "content")) != NULL)
			s->og = trimdup(s->a, v);
	} else if (name[0] == 'b' && strcmp(name, "base") == 0) {
		if (s->base == NULL && (v = attr(atts, "href")) != NULL) {
			s->base = trimdup(s->a, v);
			if (s->base == NULL)
				s->base = arena_strdup(s->a, "");
		}
	}
}

static void
start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct scan *s = ((htmlParserCtxtPtr)ctx)->_private;
	int k;

	if (atts != NULL)
		urls(s, (const char *)name, atts);
	if (s->skip > 0) {
		s->skip++;
		return;
	}
	switch (k = kindof_cached(s, name)) {
	case E_DROP:
	case E_CHROME:
		s->skip = 1;
		break;
	case E_SECTION:
		if (s->content == 0)
			s->skip = 1;
		else
			block(s);
		break;
	case E_CONTENT:
		s->content++;
		block(s);
		break;
	case E_BLOCK:
		block(s);
		break;
	case E_PRE:
		block(s);
		s->pre++;
		break;
	case E_BR:
		if (s->nl < 2)
			s->nl++;
		break;
	case E_CELL:
		s->space = 1;
		break;
	}
}

static void
end(void *ctx, const xmlChar *name)
{
	struct scan *s = ((htmlParserCtxtPtr)ctx)->_private;

	if (s->skip > 0) {
		s->skip--;
		return;
	}
	switch (kindof_cached(s, name)) {
	case E_CONTENT:
		if (s->content > 0)
			s->content--;
		/* FALLTHROUGH */
	case E_SECTION:
	case E_BLOCK:
		block(s);
		break;
	case E_PRE:
		block(s);
		if (s->pre > 0)
			s->pre--;
		break;
	case E_CELL:
		s->space = 1;
		break;
	}
}

static void
chars(void *ctx, const xmlChar *ch, int len)
{
	struct scan *s = ((htmlParserCtxtPtr)ctx)->_private;
	const char *p, *e, *run;

	if (s->skip > 0 || len <= 0)
		return;
	p = (const char *)ch;
	e = p + len;
	while (p < e) {
		if (s->pre) {
			if (*p == '\n') {
				if (s->nl < 2)
					s->nl++;
				p++;
				continue;
			}
			if (*p == '\r') {
				p++;
				continue;
			}
			flush(s);
			run = p;
			while (p < e && *p != '\n' && *p != '\r')
				p++;
			buf_put(s->out, run, (size_t)(p - run));
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f') {
			s->space = 1;
			p++;
			continue;
		}
		flush(s);
		run = p;
		while (p < e && *p != ' ' && *p != '\t' && *p != '\n' &&
		    *p != '\r' && *p != '\f')
			p++;
		buf_put(s->out, run, (size_t)(p - run));
	}
}

/* Does s start with a URL scheme? */
static int
absolute(const char *s)
{
	if (s == NULL || !((*s >= 'a' && *s <= 'z') ||
	    (*s >= 'A' && *s <= 'Z')))
		return 0;
	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    (*s >= '0' && *s <= '9') || *s == '+' || *s == '-' || *s == '.')
		s++;
	return *s == ':';
}

int
htmllines(const char *data, size_t len, const char *encoding,
    struct buf *out, struct arena *a, char **url)
{
	htmlParserCtxtPtr ctxt;
	struct scan s;
	xmlDocPtr doc;
	xmlChar *r;
	char *u;

	*url = NULL;
	memset(&s, 0, sizeof(s));
	s.out = out;
	s.start = out->len;
	s.a = a;
	/* as html_parse() sets it up (options, charset), with our callbacks
	 * for the tree's */
	if ((ctxt = html_ctxt(data, len, encoding)) == NULL)
		return -1;
	memset(ctxt->sax, 0, sizeof(*ctxt->sax));
	ctxt->sax->startElement = start;
	ctxt->sax->endElement = end;
	ctxt->sax->characters = chars;
	ctxt->sax->cdataBlock = chars;
	ctxt->_private = &s;
	ctxt->userData = ctxt;
	htmlParseDocument(ctxt);
	if ((doc = html_ctxt_done(ctxt)) != NULL)
		xmlFreeDoc(doc);

	u = s.canon != NULL ? s.canon : s.og;
	if (u != NULL && !absolute(u) && s.base != NULL && absolute(s.base) &&
	    (r = xmlBuildURI((const xmlChar *)u,
	    (const xmlChar *)s.base)) != NULL) {
		u = arena_strdup(a, (const char *)r);
		xmlFree(r);
	}
	/* A page lying about its charset may put any bytes there. */
	u = utf8_str(a, u);
	*url = u;
	return 0;
}

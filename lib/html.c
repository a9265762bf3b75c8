/* html.c - HTML pages in any charset: parsing, text as read, links. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

#include "rec.h"
#include "html.h"

#define SNIFF_BYTES	4096	/* how far to look for <meta charset> */
#define PARSE_OPTS	(HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | \
			HTML_PARSE_NOWARNING | HTML_PARSE_NONET | \
			HTML_PARSE_COMPACT)

/* What an element does to the text around it: see html.h. */
enum {
	E_INLINE = HTML_E_INLINE, E_BLOCK = HTML_E_BLOCK, E_BR = HTML_E_BR,
	E_CELL = HTML_E_CELL, E_PRE = HTML_E_PRE, E_DROP = HTML_E_DROP,
	E_CHROME = HTML_E_CHROME
};

struct kind {
	const char	*name;
	int		 kind;
};

/* Sorted by name for bsearch. */
static const struct kind kinds[] = {
	{ "address", E_BLOCK }, { "article", E_BLOCK },
	{ "aside", E_CHROME }, { "blockquote", E_BLOCK },
	{ "body", E_BLOCK }, { "br", E_BR }, { "caption", E_BLOCK },
	{ "center", E_BLOCK }, { "dd", E_BLOCK }, { "details", E_BLOCK },
	{ "dialog", E_BLOCK }, { "dir", E_BLOCK }, { "div", E_BLOCK },
	{ "dl", E_BLOCK }, { "dt", E_BLOCK }, { "fieldset", E_BLOCK },
	{ "figcaption", E_BLOCK }, { "figure", E_BLOCK },
	{ "footer", E_CHROME }, { "form", E_CHROME }, { "frameset", E_BLOCK },
	{ "h1", E_BLOCK }, { "h2", E_BLOCK }, { "h3", E_BLOCK },
	{ "h4", E_BLOCK }, { "h5", E_BLOCK }, { "h6", E_BLOCK },
	{ "head", E_CHROME }, { "header", E_CHROME }, { "hgroup", E_BLOCK },
	{ "hr", E_BLOCK }, { "html", E_BLOCK }, { "legend", E_BLOCK },
	{ "li", E_BLOCK }, { "listing", E_PRE }, { "main", E_BLOCK },
	{ "menu", E_BLOCK }, { "nav", E_CHROME }, { "noscript", E_DROP },
	{ "ol", E_BLOCK }, { "optgroup", E_BLOCK }, { "option", E_BLOCK },
	{ "p", E_BLOCK }, { "plaintext", E_PRE }, { "pre", E_PRE },
	{ "script", E_DROP }, { "section", E_BLOCK }, { "style", E_DROP },
	{ "summary", E_BLOCK }, { "table", E_BLOCK }, { "tbody", E_BLOCK },
	{ "td", E_CELL }, { "template", E_DROP }, { "textarea", E_BLOCK },
	{ "tfoot", E_BLOCK }, { "th", E_CELL }, { "thead", E_BLOCK },
	{ "title", E_BLOCK }, { "tr", E_BLOCK }, { "ul", E_BLOCK },
	{ "xmp", E_PRE }
};

/* The state of html_text(): what is pending between two runs of text. */
struct text {
	struct buf	*out;
	size_t		 start;	/* out->len when we began */
	int		 space;		/* a space is pending */
	int		 nl;	/* newlines pending (at most 2) */
	int		 pre;		/* inside <pre> */
	int		 flags;
};

/* Charset labels as browsers read them (WHATWG Encoding), to iconv names. */
static const struct {
	const char	*label;
	const char	*name;
} labels[] = {
	{ "ascii", "WINDOWS-1252" }, { "cp1252", "WINDOWS-1252" },
	{ "iso-8859-1", "WINDOWS-1252" }, { "iso8859-1", "WINDOWS-1252" },
	{ "iso_8859-1", "WINDOWS-1252" }, { "latin1", "WINDOWS-1252" },
	{ "l1", "WINDOWS-1252" }, { "us-ascii", "WINDOWS-1252" },
	{ "windows-1252", "WINDOWS-1252" }, { "x-cp1252", "WINDOWS-1252" },
	{ "utf-8", "UTF-8" }, { "utf8", "UTF-8" },
	{ "unicode-1-1-utf-8", "UTF-8" },
	/* a page that says UTF-16 in ASCII bytes is not UTF-16 */
	{ "utf-16", "UTF-8" }, { "utf-16le", "UTF-8" },
	{ "utf-16be", "UTF-8" },
	{ "shift_jis", "CP932" }, { "shift-jis", "CP932" },
	{ "sjis", "CP932" }, { "x-sjis", "CP932" }, { "ms_kanji", "CP932" },
	{ "csshiftjis", "CP932" },
	{ "windows-31j", "CP932" }, { "ms932", "CP932" }, { "cp932", "CP932" },
	{ "gbk", "GB18030" }, { "gb2312", "GB18030" },
	{ "gb_2312", "GB18030" }, { "gb_2312-80", "GB18030" },
	{ "x-gbk", "GB18030" }, { "cp936", "GB18030" },
	{ "chinese", "GB18030" }, { "csgb2312", "GB18030" },
	{ "gb18030", "GB18030" }, { "euc-cn", "GB18030" },
	{ "iso-8859-9", "WINDOWS-1254" }, { "latin5", "WINDOWS-1254" },
	{ "tis-620", "WINDOWS-874" }, { "iso-8859-11", "WINDOWS-874" },
	{ "euc-kr", "CP949" }, { "ks_c_5601-1987", "CP949" },
	{ "big5", "BIG5-HKSCS" }, { "x-euc-jp", "EUC-JP" }
};

static int	inited;

static int	kindof(const xmlChar *);

static int
kindcmp(const void *k, const void *e)
{
	return strcmp(k, ((const struct kind *)e)->name);
}

int
html_kind(const char *name)
{
	return kindof((const xmlChar *)name);
}

static int
kindof(const xmlChar *name)
{
	const struct kind *k;

	if (name == NULL)
		return E_INLINE;
	k = bsearch(name, kinds, sizeof(kinds) / sizeof(kinds[0]),
	    sizeof(kinds[0]), kindcmp);
	return k == NULL ? E_INLINE : k->kind;
}

/* libxml2 must never write to our standard error. */
static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void
quiet_structured(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

void
html_init(void)
{
	if (inited)
		return;
	inited = 1;
	xmem_init();
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, quiet);
	xmlSetStructuredErrorFunc(NULL, quiet_structured);
	/* libxml2's handlers are each thread's own: these are the default */
	xmlThrDefSetGenericErrorFunc(NULL, quiet);
	xmlThrDefSetStructuredErrorFunc(NULL, quiet_structured);
}

/* Maps a charset label to the name we give iconv; NULL if unknown. */
static const char *
charset_name(const char *label, size_t n, char *buf, size_t bufsz)
{
	xmlCharEncodingHandlerPtr h;
	size_t i;

	while (n > 0 && isspace((unsigned char)*label)) {
		label++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)label[n - 1]))
		n--;
	if (n == 0 || n >= bufsz)
		return NULL;
	for (i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)label[i]);
	buf[n] = '\0';
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(buf, labels[i].label) == 0)
			return labels[i].name;
	/* Something else iconv may know (EUC-JP, KOI8-R, ...). */
	html_init();
	if ((h = xmlFindCharEncodingHandler(buf)) == NULL)
		return NULL;
	xmlCharEncCloseFunc(h);
	return buf;
}

static const char *
memcasestr(const char *s, size_t n, const char *pat)
{
	size_t m, i;

	m = strlen(pat);
	for (i = 0; i + m <= n; i++)
		if (strncasecmp(s + i, pat, m) == 0)
			return s + i;
	return NULL;
}

/*
 * Looks through the <meta> tags in the first SNIFF_BYTES for charset=,
 * which covers both <meta charset=X> and <meta http-equiv content="text/
 * html; charset=X">.
 */
static const char *
sniff_meta(const char *data, size_t len, char *buf, size_t bufsz)
{
	const char *p, *e, *tag, *end, *cs, *v;
	const char *name;

	if (len > SNIFF_BYTES)
		len = SNIFF_BYTES;
	p = data;
	e = data + len;
	while ((tag = memcasestr(p, (size_t)(e - p), "<meta")) != NULL) {
		end = memchr(tag, '>', (size_t)(e - tag));
		if (end == NULL)
			end = e;
		cs = memcasestr(tag, (size_t)(end - tag), "charset");
		p = end;
		if (cs == NULL)
			continue;
		cs += 7;
		while (cs < end && isspace((unsigned char)*cs))
			cs++;
		if (cs == end || *cs != '=')
			continue;
		cs++;
		while (cs < end && (isspace((unsigned char)*cs) ||
		    *cs == '"' || *cs == '\''))
			cs++;
		v = cs;
		while (cs < end && !isspace((unsigned char)*cs) &&
		    *cs != '"' && *cs != '\'' && *cs != ';' && *cs != '/' &&
		    *cs != '>')
			cs++;
		if ((name = charset_name(v, (size_t)(cs - v), buf, bufsz)) !=
		    NULL)
			return name;
	}
	return NULL;
}

/*
 * Undeclared bytes are UTF-8 when they hold more valid multi-byte UTF-8
 * sequences than invalid bytes: a UTF-8 page with a stray Latin-1 byte
 * stays UTF-8 (the stray byte becomes U+FFFD), while Windows-1252 text
 * rarely forms a valid sequence by chance.
 */
static int
mostly_utf8(const char *data, size_t len)
{
	const unsigned char *p, *e;
	size_t off, good, bad;

	if ((off = utf8_check(data, len)) == len)
		return 1;
	good = bad = 0;
	p = (const unsigned char *)data;
	e = p + len;
	while (p < e) {
		off = utf8_check((const char *)p, (size_t)(e - p));
		/* count the multi-byte sequences in the valid run */
		for (; off > 0; off--, p++)
			if (*p >= 0xc0)
				good++;
		if (p < e) {
			bad++;
			p++;
		}
	}
	return good > bad;
}

static const char *
sniff(const char *data, size_t len, char *buf, size_t bufsz)
{
	const unsigned char *u;
	const char *name;

	u = (const unsigned char *)data;
	if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		return "UTF-8";
	if (len >= 2 && u[0] == 0xff && u[1] == 0xfe)
		return "UTF-16LE";
	if (len >= 2 && u[0] == 0xfe && u[1] == 0xff)
		return "UTF-16BE";
	if ((name = sniff_meta(data, len, buf, bufsz)) != NULL)
		return name;
	return mostly_utf8(data, len) ? "UTF-8" : "WINDOWS-1252";
}

const char *
html_charset(const char *data, size_t len)
{
	static __thread char buf[64];	/* each thread its own */

	return sniff(data, len, buf, sizeof(buf));
}

/*
 * A parser for the page set up as htmlReadMemory() sets it up (the same
 * context, handlers, options and charset), for html_parse() and for those
 * that run the parser on their own handlers.
 */
htmlParserCtxtPtr
html_ctxt(const char *data, size_t len, const char *encoding)
{
	char buf[64];
	const char *enc;
	htmlParserCtxtPtr ctxt;
	xmlCharEncodingHandlerPtr h;

	html_init();
	if (len > (size_t)0x7fffffff)
		return NULL;
	if (encoding != NULL) {
		enc = charset_name(encoding, strlen(encoding), buf,
		    sizeof(buf));
		if (enc == NULL)
			enc = encoding;
	} else
		enc = sniff(data, len, buf, sizeof(buf));
	if ((ctxt = xmlCreateMemoryParserCtxt(data, (int)len)) == NULL)
		return NULL;
	htmlDefaultSAXHandlerInit();
	if (ctxt->sax != NULL)
		memcpy(ctxt->sax, &htmlDefaultSAXHandler,
		    sizeof(xmlSAXHandlerV1));
	htmlCtxtUseOptions(ctxt, PARSE_OPTS);
	ctxt->html = 1;
	/* A UTF-8 BOM is skipped by libxml2 itself. */
	if (enc != NULL && (h = xmlFindCharEncodingHandler(enc)) != NULL) {
		xmlSwitchToEncoding(ctxt, h);
		if (ctxt->input->encoding != NULL)
			xmlFree((xmlChar *)ctxt->input->encoding);
		ctxt->input->encoding = xmlStrdup((const xmlChar *)enc);
	}
	return ctxt;
}

/* The document ctxt parsed; the context is freed. */
xmlDocPtr
html_ctxt_done(htmlParserCtxtPtr ctxt)
{
	xmlDocPtr doc;

	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (ctxt->dictNames && doc != NULL && doc->dict == ctxt->dict)
		ctxt->dict = NULL;
	xmlFreeParserCtxt(ctxt);
	return doc;
}

xmlDocPtr
html_parse(const char *data, size_t len, const char *encoding)
{
	htmlParserCtxtPtr ctxt;
	xmlDocPtr doc;

	if ((ctxt = html_ctxt(data, len, encoding)) == NULL)
		return NULL;
	htmlParseDocument(ctxt);
	doc = html_ctxt_done(ctxt);
	if (doc != NULL && xmlDocGetRootElement(doc) == NULL) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	return doc;
}

/* Writes what is pending before the next visible character. */
static void
flush(struct text *t)
{
	if (t->out->len == t->start) {
		t->space = t->nl = 0;	/* nothing yet: trim */
		return;
	}
	if (t->nl > 0)
		buf_put(t->out, "\n\n", (size_t)t->nl);
	else if (t->space)
		buf_putc(t->out, ' ');
	t->space = t->nl = 0;
}

static void
text_run(struct text *t, const xmlChar *s)
{
	const char *p, *run;

	if (s == NULL)
		return;
	p = (const char *)s;
	while (*p != '\0') {
		if (t->pre) {
			if (*p == '\n') {
				if (t->nl < 2)
					t->nl++;
				p++;
				continue;
			}
			if (*p == '\r') {
				p++;
				continue;
			}
			flush(t);
			run = p;
			while (*p != '\0' && *p != '\n' && *p != '\r')
				p++;
			buf_put(t->out, run, (size_t)(p - run));
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f') {
			t->space = 1;
			p++;
			continue;
		}
		flush(t);
		run = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' &&
		    *p != '\r' && *p != '\f')
			p++;
		buf_put(t->out, run, (size_t)(p - run));
	}
}

static void
block(struct text *t)
{
	if (t->nl < 1)
		t->nl = 1;
}

/* Called on entering an element; returns 1 when its children count. */
static int
enter(struct text *t, xmlNodePtr n)
{
	switch (kindof(n->name)) {
	case E_DROP:
		return 0;
	case E_CHROME:
		if (t->flags & HTML_SKIP_CHROME)
			return 0;
		block(t);
		break;
	case E_BLOCK:
		block(t);
		break;
	case E_PRE:
		block(t);
		t->pre++;
		break;
	case E_BR:
		if (t->nl < 2)
			t->nl++;
		break;
	case E_CELL:
		t->space = 1;
		break;
	}
	return 1;
}

static void
leave(struct text *t, xmlNodePtr n)
{
	switch (kindof(n->name)) {
	case E_CHROME:
	case E_BLOCK:
		block(t);
		break;
	case E_PRE:
		block(t);
		t->pre--;
		break;
	case E_CELL:
		t->space = 1;
		break;
	}
}

/* Returns 1 if the walk should go down into n's children. */
static int
visit(struct text *t, xmlNodePtr n)
{
	switch (n->type) {
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		text_run(t, n->content);
		return 0;
	case XML_ELEMENT_NODE:
		if (!enter(t, n))
			return 0;
		if (n->children == NULL) {
			leave(t, n);
			return 0;
		}
		return 1;
	case XML_ATTRIBUTE_NODE:
	case XML_DOCUMENT_NODE:
	case XML_HTML_DOCUMENT_NODE:
	case XML_DOCUMENT_FRAG_NODE:
		return n->children != NULL;
	default:
		return 0;
	}
}

/*
 * The walk is iterative, so that deep nesting cannot exhaust the stack.
 */
void
html_text(xmlNodePtr node, int flags, struct buf *out)
{
	struct text t;
	xmlNodePtr cur;

	if (node == NULL)
		return;
	memset(&t, 0, sizeof(t));
	t.out = out;
	t.start = out->len;
	t.flags = flags;
	cur = node;
	for (;;) {
		if (visit(&t, cur)) {
			cur = cur->children;
			continue;
		}
		for (;;) {
			if (cur == node)
				return;
			if (cur->next != NULL) {
				cur = cur->next;
				break;
			}
			cur = cur->parent;
			if (cur == NULL)
				return;
			if (cur->type == XML_ELEMENT_NODE)
				leave(&t, cur);
		}
	}
}

void
html_inner(xmlNodePtr node, struct buf *out)
{
	xmlOutputBufferPtr ob;
	xmlNodePtr c;
	const xmlChar *p;
	size_t n;

	if (node == NULL)
		return;
	if (node->type == XML_TEXT_NODE || node->type == XML_ATTRIBUTE_NODE) {
		html_text(node, 0, out);
		return;
	}
	html_init();
	/* No encoder: the tree is UTF-8 already and is written as it is. */
	if ((ob = xmlAllocOutputBuffer(NULL)) == NULL)
		return;
	for (c = node->children; c != NULL; c = c->next)
		htmlNodeDumpFormatOutput(ob, node->doc, c, "UTF-8", 0);
	xmlOutputBufferFlush(ob);
	p = xmlOutputBufferGetContent(ob);
	n = xmlOutputBufferGetSize(ob);
	if (p != NULL)
		buf_put(out, (const char *)p, n);
	xmlOutputBufferClose(ob);
}

const char *
html_attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;

	for (a = n->properties; a != NULL; a = a->next)
		if (a->name != NULL &&
		    strcasecmp((const char *)a->name, name) == 0 &&
		    a->children != NULL &&
		    a->children->type == XML_TEXT_NODE)
			return (const char *)a->children->content;
	return NULL;
}

int
html_hasword(const char *s, const char *word)
{
	size_t n, m;

	if (s == NULL)
		return 0;
	m = strlen(word);
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			return 0;
		n = 0;
		while (s[n] != '\0' && !isspace((unsigned char)s[n]))
			n++;
		if (n == m && strncasecmp(s, word, m) == 0)
			return 1;
		s += n;
	}
}

/* A copy of s without leading and trailing white space, or NULL. */
static char *
trimdup(struct arena *a, const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	return arena_strndup(a, s, n);
}

/* The next element after n in document order, within the tree. */
static xmlNodePtr
next_elem(xmlNodePtr n, int descend)
{
	if (descend && n->children != NULL)
		return n->children;
	while (n != NULL && n->next == NULL)
		n = n->parent;
	return n == NULL ? NULL : n->next;
}

/*
 * The page's own URL, element by element in document order: n is looked
 * at for a canonical link or an og:url; returns 1 once the canonical link
 * is found (nothing after it counts).
 */
int
html_url_visit(xmlNodePtr n, const char **canon, const char **og,
    struct arena *a)
{
	const char *v;

	if (n->type != XML_ELEMENT_NODE || n->name == NULL)
		return 0;
	if (strcmp((const char *)n->name, "link") == 0 &&
	    html_hasword(html_attr(n, "rel"), "canonical") &&
	    (v = html_attr(n, "href")) != NULL && trimdup(a, v) != NULL) {
		*canon = v;
		return 1;
	}
	if (*og == NULL && strcmp((const char *)n->name, "meta") == 0 &&
	    (v = html_attr(n, "property")) != NULL &&
	    strcasecmp(v, "og:url") == 0 &&
	    (v = html_attr(n, "content")) != NULL && trimdup(a, v) != NULL)
		*og = v;
	return 0;
}

/* What html_url_visit() found, resolved against the base href bh. */
char *
html_url_done(const char *canon, const char *og, const char *bh,
    struct arena *a)
{
	char *u;

	if (canon == NULL)
		canon = og;
	if (canon == NULL)
		return NULL;
	/* A relative one is resolved against <base href>, if that helps. */
	u = html_resolve_at(bh, NULL, canon, a);
	/* A page lying about its charset may put any bytes there. */
	u = utf8_str(a, u);
	return u;
}

char *
html_page_url(xmlDocPtr doc, struct arena *a)
{
	xmlNodePtr n;
	const char *canon, *og;

	if (doc == NULL)
		return NULL;
	canon = og = NULL;
	n = xmlDocGetRootElement(doc);
	while (n != NULL && !html_url_visit(n, &canon, &og, a))
		n = next_elem(n, n->type == XML_ELEMENT_NODE);
	return html_url_done(canon, og, html_base(doc), a);
}

/* Does s start with a URL scheme ("http:", "mailto:", ...)? */
static int
absolute(const char *s)
{
	if (s == NULL || !isalpha((unsigned char)*s))
		return 0;
	while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' ||
	    *s == '.')
		s++;
	return *s == ':';
}

/* The href of the document's first <base>, or NULL. */
const char *
html_base(xmlDocPtr doc)
{
	xmlNodePtr root, n, h;
	const char *v;

	if ((root = xmlDocGetRootElement(doc)) == NULL)
		return NULL;
	for (h = root->children; h != NULL; h = h->next) {
		if (h->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)h->name, "head") != 0)
			continue;
		for (n = h->children; n != NULL; n = n->next)
			if (n->type == XML_ELEMENT_NODE &&
			    strcmp((const char *)n->name, "base") == 0 &&
			    (v = html_attr(n, "href")) != NULL)
				return v;
	}
	return NULL;
}

/*
 * xmlBuildURI() refuses some characters browsers accept (spaces,
 * non-ASCII); such an href is escaped first.  Tabs and newlines are
 * removed, as browsers do.
 */
static xmlChar *
build(const char *href, const char *base)
{
	xmlChar *r, *esc;
	char *clean;
	size_t i, j;

	if ((r = xmlBuildURI((const xmlChar *)href,
	    (const xmlChar *)base)) != NULL)
		return r;
	if ((clean = malloc(strlen(href) + 1)) == NULL)
		return NULL;
	for (i = j = 0; href[i] != '\0'; i++)
		if (href[i] != '\t' && href[i] != '\n' && href[i] != '\r')
			clean[j++] = href[i];
	clean[j] = '\0';
	esc = xmlURIEscapeStr((const xmlChar *)clean,
	    (const xmlChar *)":/?#[]@!$&'()*+,;=%~");
	free(clean);
	if (esc == NULL)
		return NULL;
	r = xmlBuildURI(esc, (const xmlChar *)base);
	xmlFree(esc);
	return r;
}

char *
html_resolve(xmlDocPtr doc, const char *pageurl, const char *href,
    struct arena *a)
{
	return html_resolve_at(doc != NULL ? html_base(doc) : NULL, pageurl,
	    href, a);
}

char *
html_resolve_at(const char *bh, const char *pageurl, const char *href,
    struct arena *a)
{
	char *h, *ret;
	xmlChar *base, *r;

	if (href == NULL)
		return NULL;
	if ((h = trimdup(a, href)) == NULL)
		h = arena_strdup(a, "");
	/* A relative page URL (a relative canonical link) is no base. */
	if (pageurl != NULL && !absolute(pageurl))
		pageurl = NULL;
	base = NULL;
	if (bh != NULL && (bh = trimdup(a, bh)) != NULL) {
		if (pageurl != NULL)
			base = build(bh, pageurl);
		if (base == NULL)
			base = xmlStrdup((const xmlChar *)bh);
	} else if (pageurl != NULL)
		base = xmlStrdup((const xmlChar *)pageurl);
	if (base == NULL)
		return h;
	r = build(h, (const char *)base);
	xmlFree(base);
	if (r == NULL)
		return h;
	ret = arena_strdup(a, (const char *)r);
	xmlFree(r);
	return ret;
}

int
html_attr_url(const char *name)
{
	static const char *const urls[] = {
		"action", "background", "cite", "data", "formaction", "href",
		"longdesc", "poster", "src", "usemap", NULL
	};
	const char *const *u;

	if (name == NULL)
		return 0;
	for (u = urls; *u != NULL; u++)
		if (strcasecmp(name, *u) == 0)
			return 1;
	return 0;
}

void
html_emit(const struct html_out *out, struct rec *r, struct arena *a)
{
	if (out == NULL || out->emit == NULL)
		return;
	if (rec_repair_utf8(r, a) > 0 && out->warn != NULL)
		out->warn(out->ctx, "invalid UTF-8 replaced");
	out->emit(r, out->ctx);
}

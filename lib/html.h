/* html.h - the HTML engine of glean-extract: parsing, text, links, XPath
 * fields, page metadata and tables (html.c, xpath.c, meta.c, table.c). */
#ifndef HTML_H
#define HTML_H

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

#include "rec.h"

/*
 * html.c: html_parse() parses a page with libxml2's forgiving HTML parser
 * and never prints.  The charset comes from encoding when it is non-NULL,
 * else from a byte order mark, else from <meta charset> or an http-equiv
 * content-type in the first 4 KB, else UTF-8 when the bytes are valid
 * UTF-8 (or hold more valid multi-byte sequences than invalid bytes),
 * else Windows-1252.  Labels are mapped as browsers map them
 * (ISO-8859-1 and US-ASCII read as Windows-1252, GBK and GB2312 as GB18030,
 * Shift_JIS as CP932).  Returns NULL when nothing could be parsed; the
 * caller frees the document with xmlFreeDoc().
 *
 * html_text() appends the text of node as a reader sees it: block elements
 * start new lines, <br> breaks a line, table cells are separated by a
 * space, white space runs collapse to one space (kept inside <pre>), lines
 * are trimmed and there are no empty lines at the ends.  script, style,
 * template and noscript are always dropped; HTML_SKIP_CHROME also drops
 * head, nav, header, footer, aside and form.  Attribute and text nodes
 * give their collapsed text.
 *
 * html_page_url() returns the page's own URL as it declares it: the href
 * of <link rel=canonical>, else the content of <meta property=og:url>
 * (resolved against <base href> if relative), else NULL.  html_resolve()
 * returns href made absolute against the document's <base href> (itself
 * resolved against pageurl) or pageurl; a pageurl without a scheme is
 * ignored; href comes back unchanged when there is no base or it cannot be
 * resolved.  Strings
 * returned live in the arena a.
 *
 * Their parts, for those that see a page without its whole tree (xstream.c):
 * html_base() is the raw href of the first <base> in the head of the root
 * element, or NULL; html_resolve_at() is html_resolve() given that href
 * (bh, NULL: none) instead of the document; html_url_visit() looks at one
 * element, in document order, for html_page_url() (1: the canonical link
 * is found, look no further) and html_url_done() gives its answer.
 * html_ctxt() makes the parser context html_parse() runs (htmlReadMemory's
 * set-up, the charset chosen as above; NULL if the page is too big), for a
 * caller that sets its own SAX handlers; html_ctxt_done() takes the
 * document out of it and frees the context.
 *
 * html_inner() appends the inner HTML of node (its children serialized as
 * HTML, UTF-8), html_attr_url() says whether an attribute holds a URL
 * (href, src, action, ...), html_charset() returns the charset name
 * html_parse() would use for the bytes (static storage, the thread's own).
 */
#define HTML_SKIP_CHROME	0x01

/*
 * xmem.c: libxml2's memory, page by page (html_init() installs it).
 * Between xmem_begin() and xmem_end(), in one thread, libxml2's
 * allocations are cut from the thread's region and taken back all at once
 * by xmem_end(): nothing libxml2 made in between may be used after it (a
 * tree must be freed before).  Outside the window it is plain malloc.
 * What must outlive the window (a compiled XPath kept for the run) is
 * made between xmem_pause() and xmem_resume(), given what pause returned.
 */
void		 xmem_init(void);
void		 xmem_begin(void);
void		 xmem_end(void);
int		 xmem_pause(void);
void		 xmem_resume(int);

void		 html_init(void);
xmlDocPtr	 html_parse(const char *data, size_t len,
		    const char *encoding);
const char	*html_charset(const char *data, size_t len);
void		 html_text(xmlNodePtr node, int flags, struct buf *out);
void		 html_inner(xmlNodePtr node, struct buf *out);
char		*html_page_url(xmlDocPtr doc, struct arena *a);
char		*html_resolve(xmlDocPtr doc, const char *pageurl,
		    const char *href, struct arena *a);
const char	*html_base(xmlDocPtr doc);
char		*html_resolve_at(const char *bh, const char *pageurl,
		    const char *href, struct arena *a);
int		 html_url_visit(xmlNodePtr, const char **canon,
		    const char **og, struct arena *a);
char		*html_url_done(const char *canon, const char *og,
		    const char *bh, struct arena *a);
htmlParserCtxtPtr html_ctxt(const char *data, size_t len,
		    const char *encoding);
xmlDocPtr	 html_ctxt_done(htmlParserCtxtPtr);
int		 html_attr_url(const char *name);

/*
 * How the run functions hand results back: emit() gets each record (its
 * memory is in tmp and stays valid until the caller resets tmp); warn()
 * gets a one-line message about a non-fatal problem on this page (no file
 * name, lower case, no period).  Either may be NULL.
 */
struct html_out {
	void	(*emit)(struct rec *, void *ctx);
	void	(*warn)(void *ctx, const char *msg);
	void	*ctx;
};

/*
 * html.c: hands a record made from a page to out->emit, after replacing
 * bytes that are not UTF-8 (a page that lies about its charset lets them
 * through libxml2) and saying so through out->warn.
 */
void	 html_emit(const struct html_out *, struct rec *, struct arena *);

/*
 * html.c: html_attr() gives the value of n's attribute name (ASCII case
 * ignored), not copied, or NULL; html_hasword() says whether the
 * space-separated list s (NULL: empty) holds word, ASCII case ignored.
 */
const char	*html_attr(xmlNodePtr n, const char *name);

/*
 * html.c: html_kind() says what the element called name (lower case) does
 * to the text around it: one table for html_text() and htmllines.c.
 * HTML_E_CHROME is site chrome: head, header, footer, nav, aside, form.
 */
enum {
	HTML_E_INLINE, HTML_E_BLOCK, HTML_E_BR, HTML_E_CELL, HTML_E_PRE,
	HTML_E_DROP, HTML_E_CHROME
};
int		 html_kind(const char *name);
int		 html_hasword(const char *s, const char *word);

/*
 * xpath.c: user fields.  xspec_new() makes an empty set in perm.
 * xspec_field() adds NAME=XPATH (the string value; several matches joined
 * by the separator, "\n" unless xspec_join() set another), NAME[]=XPATH
 * (a JSON array of every match; [] when nothing matches) or
 * NAME:html=XPATH (inner HTML of each match).  The XPath is compiled once,
 * here.  xspec_file() reads one spec per line from path (blank lines and
 * lines starting with # skipped).  xspec_each() sets the expression whose
 * every match gives one record, the fields then being evaluated relative
 * to it and an `index` field (1-based) added after the provenance.  They
 * return 0, or -1 with *err set to a message naming the bad spec or
 * expression (in perm).
 *
 * xspec_run() evaluates the fields on a page and emits one record (or one
 * per --each match): the fields of prov first, then the user fields in
 * the order given.  Element matches give their text (html_text), attribute
 * matches their value (URLs in href, src and the like made absolute with
 * html_resolve against prov's url), string, number and boolean results
 * their value; a field matching nothing is null.  It warns when --each
 * matches nothing.  Returns 0, or -1 when the page could not be
 * evaluated.  xspec_unmatched() reports through
 * out->warn every field that has not matched on any page so far.
 *
 * Threads: an xspec is one thread's.  xspec_clone() makes another with
 * the same fields, compiled anew (call it before the threads start: the
 * compiling is not thread-safe); xspec_merge() adds the counts of y
 * (a clone of x) to x, for xspec_unmatched().
 */
struct xspec;
struct xspec	*xspec_new(struct arena *perm);
int		 xspec_field(struct xspec *, const char *spec,
		    const char **err);
int		 xspec_file(struct xspec *, const char *path,
		    const char **err);
int		 xspec_each(struct xspec *, const char *xpath,
		    const char **err);
void		 xspec_join(struct xspec *, const char *sep);
int		 xspec_run(struct xspec *, xmlDocPtr,
		    const struct rec *prov, struct arena *tmp,
		    const struct html_out *);
void		 xspec_unmatched(struct xspec *, const struct html_out *);
struct xspec	*xspec_clone(const struct xspec *, struct arena *perm);
void		 xspec_merge(struct xspec *, const struct xspec *);

/*
 * xstream.c: user fields without the page's tree.  xspec_streams() says
 * whether every field of x is a plain path (see xspec.h) and there is no
 * --each.  Then xstream_parse() reads the page (data, len and encoding as
 * for html_parse()) and keeps only the subtrees of the elements that match
 * (and the <link> and <meta> elements when wanturl is set, for
 * xstream_url()).  It returns 0 with *out set; -1 when the page has no root
 * element (html_parse() would give NULL); 1 when the page must go the
 * tree's way (html_parse() and xspec_run()).  xstream_emit() emits what
 * xspec_run() would emit on the page's tree; xstream_url() is
 * html_page_url(); xstream_deep() says whether the parse stopped at
 * libxml2's depth limit, as the tree's would; xstream_free() frees what
 * was kept.  Memory is from a and libxml2's allocator.
 */
struct xstream;
int		 xspec_streams(struct xspec *);
int		 xstream_parse(struct xspec *, const char *data, size_t len,
		    const char *encoding, int wanturl, struct arena *a,
		    struct xstream **out);
void		 xstream_emit(struct xstream *, const struct rec *prov,
		    struct arena *tmp, const struct html_out *);
char		*xstream_url(struct xstream *, struct arena *);
int		 xstream_deep(const struct xstream *);
void		 xstream_free(struct xstream *);

/*
 * meta.c: meta_run() emits one record of type "page": prov's fields, then
 * type, title, description, canonical, lang, and what the page declares
 * in meta tags (citation_*, dc_*, dcterms_*, og_*, twitter_*, article_*,
 * keywords, author) and JSON-LD (ld_* from the main item, and jsonld: the
 * items).  Invalid JSON-LD is reported through out->warn.  Returns 0, or -1
 * when doc has no root.
 *
 * table.c: table_run() emits one record per data row of every <table>
 * (or of each table matched by the XPath each): prov's fields, then
 * table_index (1-based, in document order), row (1-based), then a field
 * per column keyed by its header.  Returns 0, or -1 if each is not a
 * valid XPath.  table_prepare() compiles each for the calling thread ahead
 * of the pages (-1 if it is not valid XPath); a program with threads calls
 * it before they start, so that what frees it at exit is set up first.
 */
int		 meta_run(xmlDocPtr, const struct rec *prov,
		    struct arena *tmp, const struct html_out *);
int		 table_run(xmlDocPtr, const char *each,
		    const struct rec *prov, struct arena *tmp,
		    const struct html_out *);
int		 table_prepare(const char *each);

#endif

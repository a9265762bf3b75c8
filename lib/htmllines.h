/* htmllines.h - an HTML page read straight into the lines a reader sees,
 * without building a tree (htmllines.c). */
#ifndef HTMLLINES_H
#define HTMLLINES_H

#include "rec.h"

/*
 * htmllines() parses data with libxml2's HTML parser (the options and the
 * charset html_parse() would use; encoding, when non-NULL, is an iconv
 * name that overrides the page's own) through SAX callbacks, and appends
 * to out what html_text() gives for the page's body after glean-extract
 * has taken the site chrome out: block elements start lines, <br> breaks
 * one, white space runs collapse; head, script, style, template,
 * noscript, nav, aside and form are left out, and so are header and
 * footer unless they are inside <main> or <article>.  *url is set to the
 * page's canonical link (else its og:url), made absolute against
 * <base href> when it is relative and the base is absolute, or NULL; it
 * lives in a.  Returns 0, or -1 when the parser could not be set up.
 * No tree is built, which makes this several times cheaper than
 * html_parse() followed by html_text().
 */
int	 htmllines(const char *data, size_t len, const char *encoding,
	    struct buf *out, struct arena *a, char **url);

#endif

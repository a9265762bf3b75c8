/* research.h - the research site's layout: the lines of a page in, study,
 * post, cited, similar, result and article records out (research.c). */
#ifndef RESEARCH_H
#define RESEARCH_H

#include "rec.h"

/*
 * research_run() reads text (UTF-8, lines separated by "\n", "\r\n" or
 * "\r"; a text rendering of a page, or the text html_text() gives for one)
 * and calls emit once per record, in page order: the study (or article)
 * first, then one record per listed post or entry.  Every record starts
 * with type, then prov's fields (source, url, page_id), then the fields
 * of its type, every one present (null when the page does not show it).
 * prov's url, when it names a /research/, /search/ or /learn/ path, tells
 * what kind of page this is; otherwise the words on the page do.
 * text[0..len] (one past the end too) must be writable: values are cut
 * out of it in place, so it must stay unchanged while the records are in
 * use.  Records live in tmp until the caller resets it.  Returns the
 * number of records emitted; 0 means the page matches no layout of the
 * site.
 * Never prints.
 */
typedef void	research_emit(struct rec *, void *ctx);

int	 research_run(char *text, size_t len, const struct rec *prov,
	    struct arena *tmp, research_emit *emit, void *ctx);

#endif

/* pages.h - glean-extract's inputs: files, directories and standard input
 * read as pages, each detected as HTML, a text rendering or a JSON-lines
 * file of pages (pages.c). */
#ifndef PAGES_H
#define PAGES_H

#include <stdio.h>

#include "rec.h"

enum { PAGE_AUTO, PAGE_HTML, PAGE_TEXT, PAGE_JSONL };	/* forms */
enum { PAGES_OK, PAGES_EOF, PAGES_BAD, PAGES_NOINPUT, PAGES_IOERR };

/*
 * One page.  data is the page as read: HTML bytes in their own charset
 * (encoding names it when it is known, as for HTML out of a JSON string),
 * or text made valid UTF-8 (nbad invalid bytes replaced by U+FFFD, the
 * first on line badline).  source is the file name, "<stdin>" for
 * standard input, with "#N" for the Nth page of a JSON-lines file; url is
 * the JSON line's url or NULL.  file and line say where the page starts;
 * raw is the JSON line the page came from (NULL for a whole file).
 * data[len] is a NUL.  Everything lives until the next pages_next() call
 * or until tmp is reset.
 */
struct page {
	char		*data;		/* writable */
	size_t		 len;
	int		 kind;		/* PAGE_HTML or PAGE_TEXT */
	const char	*encoding;
	const char	*source;
	const char	*url;
	const char	*file;
	unsigned long	 line;
	const char	*raw;
	size_t		 rawlen;
	size_t		 nbad;
	unsigned long	 badline;
};

struct pages_opts {
	int		 form;		/* PAGE_AUTO or forced */
	const char	*urlkey;	/* JSON field names, or NULL */
	const char	*htmlkey;
	const char	*textkey;
	size_t		 max;		/* the largest page */
};

/*
 * pages_open() takes the operands (none: standard input; "-" is standard
 * input; a directory stands for every file under it not starting with a
 * dot, walked in strcmp order) and never fails.  pages_next() gives the
 * next page: PAGES_OK; PAGES_BAD for a page that cannot be read (a JSON
 * line that is not an object with an html or text string, a page over the
 * size bound: the reading goes on); PAGES_NOINPUT for an operand that
 * cannot be opened or walked (the next one is read); PAGES_IOERR for a
 * read error (the rest of that input is skipped); PAGES_EOF at the end.
 * After anything but PAGES_OK and PAGES_EOF, pages_error() gives the
 * message and pages_where() the file and line (and, for PAGES_BAD, the
 * JSON line or NULL).  pages_bytes() counts bytes read, pages_inputs()
 * the files found, pages_done() those finished.
 *
 * A JSON line over the size bound is PAGES_BAD with no JSON line (it is
 * not held): pages_huge() says so, and pages_skip() then reads past it,
 * copying it and a newline to copy when that is not NULL (0, or -1 on a
 * read error, pages_error() saying what).  The next pages_next() skips it
 * if pages_skip() was not called.
 *
 * pages_id() returns the ID at the end of a research page URL
 * ("https://h/research/some-slug-x7Kp" gives "x7Kp") in a, or NULL.
 */
struct pages;
struct pages	*pages_open(int argc, char **argv,
		    const struct pages_opts *);
int		 pages_next(struct pages *, struct arena *tmp,
		    struct page *);
const char	*pages_error(const struct pages *);
const char	*pages_where(const struct pages *, unsigned long *line,
		    const char **raw, size_t *rawlen);
int		 pages_huge(const struct pages *);
int		 pages_skip(struct pages *, FILE *copy);
unsigned long long pages_bytes(const struct pages *);
size_t		 pages_inputs(const struct pages *);
size_t		 pages_done(const struct pages *);
void		 pages_close(struct pages *);
char		*pages_id(const char *url, struct arena *a);

#endif

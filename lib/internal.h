/* internal.h - what the lib/ modules share and no tool sees. */
#ifndef INTERNAL_H
#define INTERNAL_H

#include <stddef.h>
#include <stdio.h>

struct csv_parser;

/* A line reader over a FILE with a bound on line length (ndjson.c). */
struct lines {
	FILE		*fp;
	char		*buf;		/* bytes read, not yet consumed */
	size_t		 cap;
	size_t		 start;		/* first unconsumed byte */
	size_t		 end;		/* one past the last byte read */
	int		 eof;
	int		 err;		/* errno of a read error */
	unsigned long	 lineno;	/* lines consumed */
	unsigned long long bytes;	/* bytes consumed */
	int		 first;		/* nothing consumed yet (for a BOM) */
	int		 bom;		/* the last line lost a BOM */
	/* where more bytes come from instead of read() (dedupelines.c) */
	int		(*more)(struct lines *, void *);
	void		*morearg;
};

enum { LINE_OK, LINE_EOF, LINE_LONG, LINE_ERR };

struct rec_reader {
	struct lines	 in;
	const char	*name;
	enum rec_format	 fmt;
	size_t		 max;
	int		 flags;
	int		 delim;
	FILE		*rejects;
	char		 err[256];
	unsigned long	 errline;
	/* NDJSON: the members left of a top-level array of objects. */
	void		*array;		/* cJSON *, in the record arena */
	void		*next;
	unsigned long	 arrayline;
	struct arena	*arr;		/* holds arrays and long records */
	char		*pending;	/* a line read ahead, to read again */
	size_t		 pendlen;
	unsigned long	 pendline;
	int		 changed;	/* read otherwise than written */
	int		 slow;		/* no fast path (GLEAN_NO_FASTPATH) */
	/* CSV */
	struct csv_parser *csv;
	struct arena	*hdra;		/* the header's keys */
	char		**hdr;
	size_t		 nhdr;
	int		 hdrdone;
	void		*row;		/* struct csvrow being filled */
};

int	 lines_get(struct lines *, size_t max, const char **line,
	    size_t *len, size_t *nlen);
/* Puts n bytes after what the reader holds (for a more() source). */
void	 lines_append(struct lines *, const char *, size_t n);
void	 reader_error(struct rec_reader *, unsigned long line,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void	 reader_reject(struct rec_reader *, const char *, size_t);
int	 reader_skip_long(struct rec_reader *);

/* ndjson.c: does s start with a UTF-16 byte order mark? */
int	 utf16(const char *, size_t);
/*
 * ndjson.c: json_error() writes into buf what is wrong with the JSON text
 * s at byte at ("invalid JSON: WHAT at column N near '...'"; what NULL: a
 * syntax error, or too deep a nesting when that is it) and returns how
 * many lines into s that byte is.
 */
unsigned long json_error(char *buf, size_t bufsz, const char *s, size_t n,
	    size_t at, const char *what);

/* ndjson.c: parse an object or array text into fields. */
int	 json_parse_fields(struct arena *, const char *, size_t, struct rec *);

/*
 * ndjson.c: rec_read() for NDJSON in two steps, for a reader that looks
 * at a line before it is parsed (dedupe.c): ndjson_line() gets the next
 * line that is not blank (*line valid until the next read) or returns
 * what rec_read() would (REC_EOF, REC_IOERR, REC_BAD); ndjson_record()
 * reads the record that starts with that line.  Call them only when no
 * top-level array is being handed out (r->array is NULL).
 *
 * A line that is one object whose members are all scalars (distinct keys
 * with no escapes, at most 64 members, valid UTF-8, no \u0000, no lone
 * surrogates) becomes a record with no cJSON tree: the fast path, which
 * gives exactly the record the full reader gives.  The environment
 * variable GLEAN_NO_FASTPATH=1 (read once; for tests only, not a user
 * option) turns it off, and dedupe's skipping of known lines and reading
 * ahead (dedupelines.c) with it, and extract's reading of user fields
 * from the parser's events (xstream.c): no_fastpath() says whether it is
 * set (call it once before threads).
 */
int	 no_fastpath(void);
int	 ndjson_line(struct rec_reader *, struct arena *, const char **line,
	    size_t *len, unsigned long *line0);
int	 ndjson_record(struct rec_reader *, struct arena *, struct rec *,
	    const char *line, size_t len, unsigned long line0);
/*
 * ndjson_clean(): would the fast path take this line (a line as
 * ndjson_line() gives it)?  If so, it is a record whose raw text is the
 * line, unchanged.  ndjson_flat(): the fast path alone: makes out from
 * the line (which raw points to) and returns 1 if ndjson_clean() would;
 * else 0.  Neither looks at a reader (callers see to GLEAN_NO_FASTPATH),
 * so any thread may call them.
 */
int	 ndjson_clean(const char *line, size_t len);
int	 ndjson_flat(struct arena *, struct rec *, const char *line,
	    size_t len, unsigned long line0);
void	 json_hooks_init(void);	/* cJSON's hooks, once, before threads */

/* utf8.c: the length of the valid UTF-8 sequence at s, or 0. */
size_t	 utf8_seqlen(const unsigned char *, size_t);

/* csv.c */
int	 csv_reader_read(struct rec_reader *, struct arena *, struct rec *);
void	 csv_reader_free(struct rec_reader *);

/* arena.c: out of memory, from any module; memory left as it was. */
void	 oom(void) __attribute__((noreturn));
void	*arena_take(struct arena *, size_t);

#endif

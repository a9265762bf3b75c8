/* rec.h - the record library every glean binary links: the only header cmd/ includes. */
#ifndef REC_H
#define REC_H

#include <stddef.h>
#include <stdio.h>

#define GLEAN_VERSION	"0.1.0"

struct arena;			/* arena.c */
struct rec_reader;		/* ndjson.c, csv.c */
struct rec_writer;		/* ndjson.c */

/* The type of a field's value. */
enum rec_type {
	REC_STRING,		/* val is the decoded UTF-8 text */
	REC_NUMBER,		/* val is the number's literal JSON text, as read */
	REC_TRUE,		/* val is "true" */
	REC_FALSE,		/* val is "false" */
	REC_NULL,		/* val is "null" */
	REC_ARRAY,		/* val is compact JSON text, numbers as read */
	REC_OBJECT		/* val is compact JSON text, numbers as read */
};

struct field {
	const char	*key;	/* UTF-8, NUL-terminated */
	const char	*val;	/* UTF-8, NUL-terminated; see enum rec_type */
	size_t		 klen;
	size_t		 vlen;
	int		 type;	/* enum rec_type */
};

/*
 * A record: fields in input order.  Field memory belongs to an arena, never
 * to the record.  raw is the record's input text as read (without the line
 * end; it may hold several lines), or NULL when there is none (an element
 * of an array, a record a tool made).  dirty is set when raw may not be
 * written through as one output line: every rec_* call that changes the
 * record sets it, and a tool that edits fields by hand must call
 * rec_changed().  rec_write() writes raw verbatim when it is clean.
 */
struct rec {
	struct field	*fields;
	size_t		 nfields;
	size_t		 cap;
	const char	*raw;
	size_t		 rawlen;
	int		 dirty;
	unsigned long	 line;	/* input line the record started on, or 0 */
};

enum rec_format { REC_NDJSON, REC_CSV };
enum { REC_EOF, REC_OK, REC_BAD, REC_IOERR };	/* rec_read() results */

/* Reader flags (rec_reader_set_flags). */
#define REC_LAXUTF8	0x01	/* NDJSON: let invalid UTF-8 in strings through */
#define REC_NOHEADER	0x02	/* CSV: no header row; keys are col1..colN */
#define REC_TSV		0x04	/* CSV: tab-separated, backslash escapes */

#define REC_MAXREC_DEFAULT	((size_t)64 << 20)	/* 64 MiB */

/*
 * arena.c: bump allocation in chained blocks.  Never returns NULL: out of
 * memory prints "PROG: out of memory" and exits EX_OSERR.  Memory is
 * zeroed.  arena_reset() frees all but the newest block and rewinds.
 */
struct arena	*arena_new(void);
void		*arena_alloc(struct arena *, size_t n, size_t size);
void		*arena_realloc(struct arena *, void *old, size_t oldsize,
		    size_t newsize);
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_strdup(struct arena *, const char *);
char		*arena_printf(struct arena *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 arena_reset(struct arena *);
void		 arena_free(struct arena *);
size_t		 arena_bytes(const struct arena *);	/* held now */

/*
 * buf.c: a growing string in an arena, always NUL-terminated.  buf_json()
 * appends s as a quoted JSON string (escaping only what JSON requires,
 * UTF-8 kept as is).
 */
struct buf {
	char		*p;
	size_t		 len;
	size_t		 cap;
	struct arena	*a;
};
void	 buf_init(struct buf *, struct arena *);
void	 buf_put(struct buf *, const char *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, int);
void	 buf_printf(struct buf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_json(struct buf *, const char *s, size_t n);

/*
 * ndjson.c, csv.c: rec_read() fills *rec from the arena, which must stay
 * unreset until the caller is done with the record.  REC_BAD: this record
 * was bad and skipped (its text went to the rejects file, if set); reading
 * may go on.  REC_IOERR: stop.  rec_reader_error() and rec_reader_line()
 * describe the last failure.  Readers never print.
 *
 * NDJSON: one object per line; blank lines skipped; CRLF and a leading
 * UTF-8 BOM accepted; an object may span lines (a line starting with '{'
 * or '[' in column 0 always starts a new record); a top-level array whose
 * elements are all objects gives one record per element; any other
 * non-object is REC_BAD "not an object".
 * CSV: header row gives keys (made unique), every value a string.
 */
struct rec_reader *rec_reader_new(FILE *, const char *name, enum rec_format);
void		 rec_reader_set_max(struct rec_reader *, size_t maxbytes);
void		 rec_reader_set_flags(struct rec_reader *, int flags);
void		 rec_reader_set_delim(struct rec_reader *, int delim);
void		 rec_reader_set_rejects(struct rec_reader *, FILE *);
int		 rec_read(struct rec_reader *, struct arena *, struct rec *);
const char	*rec_reader_error(const struct rec_reader *);
unsigned long	 rec_reader_line(const struct rec_reader *);
unsigned long long rec_reader_bytes(const struct rec_reader *);
void		 rec_reader_free(struct rec_reader *);

/*
 * ndjson.c: writers buffer their output.  They return 0, or -1 with errno
 * set; rec_writer_free() flushes and frees.  rec_writer_put() appends raw
 * bytes (tocsv writes CSV through it).  A writer made with no stream
 * (NULL) keeps everything in memory: rec_writer_data() gives what it
 * holds, rec_writer_clear() empties it.
 */
struct rec_writer *rec_writer_new(FILE *);
const char	*rec_writer_data(const struct rec_writer *, size_t *);
void		 rec_writer_clear(struct rec_writer *);
int		 rec_write(struct rec_writer *, const struct rec *);
int		 rec_writer_put(struct rec_writer *, const char *, size_t);
int		 rec_writer_flush(struct rec_writer *);
int		 rec_writer_free(struct rec_writer *);

/*
 * record.c: field access.  Keys and values are not copied: they must live
 * as long as the record (use the arena).  rec_get() finds the first field
 * named key, or NULL.  rec_set() replaces that field's value or appends a
 * new field; rec_set_str() with s == NULL sets null.  rec_del() removes
 * every field named key and returns how many.  rec_value_fields() parses an
 * REC_OBJECT or REC_ARRAY value into fields (array members keyed "0",
 * "1", ...); it returns 0, or -1 if f is not a valid object or array.
 * rec_repair_utf8() replaces each byte that is not valid UTF-8, in keys and
 * in values (nested ones too), by U+FFFD, and returns how many it replaced.
 */
void		 rec_init(struct rec *);
void		 rec_changed(struct rec *);
struct field	*rec_add(struct rec *, struct arena *, const char *key,
		    const char *val, size_t vlen, int type);
const struct field *rec_get(const struct rec *, const char *key);
struct field	*rec_set(struct rec *, struct arena *, const char *key,
		    const char *val, size_t vlen, int type);
struct field	*rec_set_str(struct rec *, struct arena *, const char *key,
		    const char *s);
struct field	*rec_set_int(struct rec *, struct arena *, const char *key,
		    long long v);
struct field	*rec_set_null(struct rec *, struct arena *, const char *key);
size_t		 rec_del(struct rec *, const char *key);
int		 rec_value_fields(struct arena *, const struct field *,
		    struct rec *out);
int		 rec_is_number(const char *s, size_t n);	/* JSON number? */
size_t		 rec_repair_utf8(struct rec *, struct arena *);

/*
 * utf8.c: utf8_check() returns the offset of the first byte that does not
 * start a valid UTF-8 sequence (no overlongs, no surrogates, nothing above
 * U+10FFFF), or n if all is valid.  utf8_repair() returns a copy in the
 * arena with each invalid byte replaced by U+FFFD, and stores how many
 * bytes were replaced in *nbad.  utf8_str() returns the string s itself
 * when it is valid, else such a copy (NULL stays NULL).
 */
size_t		 utf8_check(const char *s, size_t n);
char		*utf8_repair(struct arena *, const char *s, size_t n,
		    size_t *outlen, size_t *nbad);
char		*utf8_str(struct arena *, char *s);

/*
 * diag.c: the one place that formats diagnostics:
 * "PROG: FILE:LINE: message", "PROG: FILE: message" or "PROG: message".
 * die() is diag(NULL, 0, ...) then exit(status).  exitstatus() keeps the
 * largest status it has seen and returns it.
 */
extern const char *progname;
void	 diag_init(const char *argv0);
void	 diag(const char *file, unsigned long line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 die(int status, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
int	 exitstatus(int status);

/*
 * cli.c: what every binary shares: the common options, the output, the
 * rejects file, progress, and the loop over input files.  These are tool
 * helpers: they print through diag() and may exit.
 *
 * Each binary puts CLI_LONGOPTS in its getopt_long table and "h" in its
 * short options, and passes every option it does not know itself to
 * cli_option(), which handles --help (prints help to stdout, exit 0),
 * --version, --rejects, --max-record, --progress, --no-progress and
 * --unbuffered, and returns 1.  Anything else is a bad option: it says
 * which ("unknown option -x", "option --y needs an argument") and exits 64
 * with the usage line, so a tool's switch ends in
 *	default: cli_option(ch, optarg, SYNOPSIS, help); break;
 */
enum {
	OPT_VERSION = 1000, OPT_REJECTS, OPT_MAXREC, OPT_PROGRESS,
	OPT_NOPROGRESS, OPT_UNBUFFERED, OPT_TOOL	/* first free code */
};
#define CLI_LONGOPTS \
	{ "help", no_argument, NULL, 'h' }, \
	{ "max-record", required_argument, NULL, OPT_MAXREC }, \
	{ "no-progress", no_argument, NULL, OPT_NOPROGRESS }, \
	{ "progress", no_argument, NULL, OPT_PROGRESS }, \
	{ "rejects", required_argument, NULL, OPT_REJECTS }, \
	{ "unbuffered", no_argument, NULL, OPT_UNBUFFERED }, \
	{ "version", no_argument, NULL, OPT_VERSION }
/* The lines --help prints for the common options. */
#define CLI_HELP \
"  -h, --help             print this help and exit\n" \
"      --max-record SIZE  refuse records over SIZE bytes (default 64M;\n" \
"                         suffixes K, M, G)\n" \
"      --progress         show progress on stderr (default when it is a\n" \
"                         terminal)\n" \
"      --no-progress      never show progress\n" \
"      --rejects FILE     write bad input records to FILE verbatim and go\n" \
"                         on (exit status 65 if any)\n" \
"      --unbuffered       flush output after every record\n" \
"      --version          print the version and exit\n"

struct cli {
	FILE		*rejects;	/* --rejects, or NULL */
	const char	*rejects_name;
	size_t		 maxrec;	/* --max-record */
	int		 progress;	/* show progress */
	int		 unbuffered;
	int		 flags;		/* reader flags, set by the tool */
	int		 delim;		/* CSV reader delimiter, 0 = ',' */
	struct rec_writer *out;		/* standard output */
	struct arena	*perm;		/* lives until exit */
	unsigned long long nin, nout, nbad;	/* records read, written, bad */
};
extern struct cli cli;

/*
 * cli_run() reads every operand (none or "-": standard input) with the
 * given format, the flags and limits in cli, and calls fn for each good
 * record.  A bad record is reported as "PROG: FILE:LINE: reason"; without
 * --rejects the run stops there, with --rejects its text goes to the file
 * and the run goes on; either way the exit status becomes 65.  An operand
 * that cannot be opened is reported (status 66) and the next one is read.
 * fn returns 0 to go on, or -1 after cli_reject() (a record the tool
 * refuses: same rules).  tmp is reset after every record.  cli_write()
 * and cli_put() write to standard output and die with status 74 on a write
 * error.  cli_finish() flushes and closes standard output and the rejects
 * file, prints progress's last line, and returns the exit status.
 * cli_progress() shows, on a terminal only, items and MB done and their
 * rates; cli_progress_of() adds "DONE/TOTAL UNIT" (files of a list) to it.
 * cli_list() splits "a,b,c" (a backslash escapes a comma) into a
 * NULL-terminated array in cli.perm.  cli_size() parses "64M" and the like
 * and returns 0 if it is not a size.  cli_delim() checks a -d argument
 * (one ASCII character other than a quote, CR or LF; "\t" is TAB) and
 * exits 64 with the usage line if it is bad; cli_threads() checks a -J
 * argument (1 to CLI_MAXTHREADS) the same way.  cli_autothreads() is the
 * number of online processors, at least 1 and at most most.  cli_file() and cli_line() name the
 * input and the line being read now.  cli_tempfile() opens a temporary
 * file for reading and writing in $TMPDIR (else /tmp), unlinked at once so
 * that an interrupted run leaves nothing behind; it dies with status 74,
 * naming the directory, when it cannot.
 */
typedef int	cli_fn(struct rec *, struct arena *tmp, void *ctx);

void	 cli_init(int argc, char **argv);
int	 cli_option(int ch, const char *arg, const char *synopsis,
	    const char *help);
void	 cli_usage(const char *synopsis) __attribute__((noreturn));
int	 cli_run(int argc, char **argv, enum rec_format, cli_fn *, void *);
void	 cli_write(const struct rec *);
void	 cli_put(const char *, size_t);
void	 cli_bad(const char *file, unsigned long line, const char *text,
	    size_t len, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
void	 cli_reject(const struct rec *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 cli_progress(unsigned long long bytes, unsigned long long items,
	    const char *unit, int done);
void	 cli_progress_of(unsigned long long done, unsigned long long total,
	    const char *unit);
int	 cli_finish(void);
char	**cli_list(const char *s, size_t *n);
size_t	 cli_size(const char *s);
int	 cli_delim(const char *s, const char *synopsis);
#define CLI_MAXTHREADS	64
size_t	 cli_threads(const char *s, const char *synopsis);
size_t	 cli_autothreads(size_t most);
const char *cli_file(void);
unsigned long cli_line(void);
FILE	*cli_tempfile(void);

#endif

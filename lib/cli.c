/* cli.c - what every glean binary shares: options, the input loop, output. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "rec.h"
#include "internal.h"

struct cli cli;

static char **args;		/* argv, for the name of a bad option */
static const char *curfile;
static struct rec_reader *curreader;
static int stop;
static struct {
	double		 start, last;
	int		 shown;
	unsigned long long done, total;
	const char	*unit;
} prog;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
cli_init(int argc, char **argv)
{
	(void)argc;
	args = argv;
	diag_init(argv[0]);
	json_hooks_init();
	cli.maxrec = REC_MAXREC_DEFAULT;
	cli.progress = isatty(STDERR_FILENO);
	cli.delim = ',';
	cli.out = rec_writer_new(stdout);
	cli.perm = arena_new();
	prog.start = prog.last = now();
}

/* Sizes: a whole number with an optional K, M or G (powers of 1024). */
size_t
cli_size(const char *s)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (*end == 'i' && shift > 0)
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || v == 0 || v > (SIZE_MAX >> shift))
		return 0;
	return (size_t)(v << shift);
}

/* -d: one ASCII character other than a quote, CR or LF; "\t" is TAB. */
int
cli_delim(const char *s, const char *synopsis)
{
	if (strcmp(s, "\\t") == 0)
		return '\t';
	if (s[0] == '\0' || s[1] != '\0' || (unsigned char)s[0] >= 0x80 ||
	    s[0] == '"' || s[0] == '\r' || s[0] == '\n') {
		diag(NULL, 0, "bad delimiter \"%s\": want one ASCII character "
		    "other than a quote, CR or LF", s);
		cli_usage(synopsis);
	}
	return s[0];
}

/* -J: a number of threads from 1 to CLI_MAXTHREADS. */
size_t
cli_threads(const char *s, const char *synopsis)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 ||
	    n > CLI_MAXTHREADS || *s == '-' || *s == '+') {
		diag(NULL, 0, "-J: want a number of threads from 1 to %d, "
		    "not '%s'", CLI_MAXTHREADS, s);
		cli_usage(synopsis);
	}
	return n;
}

/* One thread per online processor, up to most. */
size_t
cli_autothreads(size_t most)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : (unsigned long)n > most ? most : (size_t)n;
}

void
cli_usage(const char *synopsis)
{
	fprintf(stderr, "usage: %s\n", synopsis);
	exit(EX_USAGE);
}

int
cli_option(int ch, const char *arg, const char *synopsis, const char *help)
{
	const char *opt, *eq;

	switch (ch) {
	case 'h':
		printf("usage: %s\n\n%s%s", synopsis, help, CLI_HELP);
		if (fclose(stdout) == EOF)
			exit(EX_IOERR);
		exit(EX_OK);
	case OPT_VERSION:
		printf("%s (glean) %s\n", progname, GLEAN_VERSION);
		if (fclose(stdout) == EOF)
			exit(EX_IOERR);
		exit(EX_OK);
	case OPT_REJECTS:
		if (cli.rejects != NULL)
			fclose(cli.rejects);
		if ((cli.rejects = fopen(arg, "w")) == NULL) {
			diag(arg, 0, "%s", strerror(errno));
			exit(EX_IOERR);
		}
		cli.rejects_name = arg;
		return 1;
	case OPT_MAXREC:
		if ((cli.maxrec = cli_size(arg)) == 0) {
			diag(NULL, 0, "--max-record: bad size '%s'", arg);
			cli_usage(synopsis);
		}
		return 1;
	case OPT_PROGRESS:
		cli.progress = 1;
		return 1;
	case OPT_NOPROGRESS:
		cli.progress = 0;
		return 1;
	case OPT_UNBUFFERED:
		cli.unbuffered = 1;
		return 1;
	}
	/* getopt_long says ':' or '?': name what was wrong, then usage */
	opt = args[optind - 1];
	if (ch == '?' && optopt != 0 && strncmp(opt, "--", 2) == 0 &&
	    (eq = strchr(opt, '=')) != NULL)
		diag(NULL, 0, "option %.*s takes no argument",
		    (int)(eq - opt), opt);
	else if (ch == ':' || optopt >= OPT_VERSION)
		diag(NULL, 0, "option %s needs an argument", args[optind - 1]);
	else if (optopt > 0 && optopt < 256)
		diag(NULL, 0, "unknown option -%c", optopt);
	else
		diag(NULL, 0, "unknown option %s", args[optind - 1]);
	cli_usage(synopsis);
}

const char *
cli_file(void)
{
	return curfile;
}

unsigned long
cli_line(void)
{
	return curreader != NULL ? curreader->in.lineno : 0;
}

/*
 * Progress goes to a terminal only, on one line rewritten in place, at
 * most a few times a second.
 */
void
cli_progress(unsigned long long bytes, unsigned long long items,
    const char *unit, int done)
{
	double t, dt;

	if (!cli.progress)
		return;
	t = now();
	if (!done && t - prog.last < 0.25)
		return;
	if (done && !prog.shown)
		return;
	prog.last = t;
	prog.shown = 1;
	dt = t - prog.start > 1e-6 ? t - prog.start : 1e-6;
	fprintf(stderr, "\r%s: %llu %s", progname, items, unit);
	if (prog.unit != NULL)
		fprintf(stderr, ", %llu/%llu %s", prog.done, prog.total,
		    prog.unit);
	fprintf(stderr, ", %.1f MB, %.0f %s/s, %.1f MB/s   %s",
	    (double)bytes / 1e6, (double)items / dt, unit,
	    (double)bytes / 1e6 / dt, done ? "\n" : "");
	fflush(stderr);
}

void
cli_progress_of(unsigned long long done, unsigned long long total,
    const char *unit)
{
	prog.done = done;
	prog.total = total;
	prog.unit = unit;
}

void
cli_bad(const char *file, unsigned long line, const char *text, size_t len,
    const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (prog.shown)
		fputc('\n', stderr);
	diag(file, line, "%s", msg);
	exitstatus(EX_DATAERR);
	cli.nbad++;
	if (cli.rejects == NULL) {
		stop = 1;
		return;
	}
	if (text != NULL) {
		fwrite(text, 1, len, cli.rejects);
		fputc('\n', cli.rejects);
	}
}

void
cli_reject(const struct rec *r, const char *fmt, ...)
{
	struct rec_writer *w;
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->raw != NULL) {
		cli_bad(curfile, r->line, r->raw, r->rawlen, "%s", msg);
		return;
	}
	cli_bad(curfile, r->line, NULL, 0, "%s", msg);
	if (cli.rejects != NULL) {
		w = rec_writer_new(cli.rejects);
		rec_write(w, r);
		rec_writer_free(w);
	}
}

void
cli_put(const char *s, size_t n)
{
	if (rec_writer_put(cli.out, s, n) == -1)
		die(EX_IOERR, "<stdout>: %s", strerror(errno));
}

void
cli_write(const struct rec *r)
{
	if (rec_write(cli.out, r) == -1 ||
	    (cli.unbuffered && rec_writer_flush(cli.out) == -1))
		die(EX_IOERR, "<stdout>: %s", strerror(errno));
	cli.nout++;
}

static void
run1(FILE *fp, const char *name, enum rec_format fmt, cli_fn *fn,
    void *ctx, struct arena *tmp, unsigned long long *done)
{
	struct rec_reader *r;
	struct rec rec;
	int st;

	r = rec_reader_new(fp, name, fmt);
	rec_reader_set_max(r, cli.maxrec);
	rec_reader_set_flags(r, cli.flags);
	rec_reader_set_delim(r, cli.delim);
	rec_reader_set_rejects(r, cli.rejects);
	curfile = name;
	curreader = r;
	while (!stop && (st = rec_read(r, tmp, &rec)) != REC_EOF) {
		cli.nin++;
		if (st == REC_IOERR) {
			cli.nin--;
			diag(name, 0, "%s", rec_reader_error(r));
			exitstatus(EX_IOERR);
			break;
		}
		if (st == REC_BAD) {
			/* the reader wrote the rejects file itself */
			if (prog.shown)
				fputc('\n', stderr);
			diag(name, rec_reader_line(r), "%s",
			    rec_reader_error(r));
			exitstatus(EX_DATAERR);
			cli.nbad++;
			if (cli.rejects == NULL)
				stop = 1;
		} else
			fn(&rec, tmp, ctx);
		arena_reset(tmp);
		if ((cli.nin & 1023) == 0)
			cli_progress(*done + rec_reader_bytes(r), cli.nin,
			    "records", 0);
	}
	*done += rec_reader_bytes(r);
	curreader = NULL;
	rec_reader_free(r);
}

int
cli_run(int argc, char **argv, enum rec_format fmt, cli_fn *fn, void *ctx)
{
	struct arena *tmp;
	unsigned long long done = 0;
	FILE *fp;
	int i;

	tmp = arena_new();
	if (argc == 0)
		run1(stdin, "<stdin>", fmt, fn, ctx, tmp, &done);
	for (i = 0; i < argc && !stop; i++) {
		if (strcmp(argv[i], "-") == 0) {
			run1(stdin, "<stdin>", fmt, fn, ctx, tmp, &done);
			continue;
		}
		if ((fp = fopen(argv[i], "r")) == NULL) {
			diag(argv[i], 0, "%s", strerror(errno));
			exitstatus(EX_NOINPUT);
			continue;
		}
		run1(fp, argv[i], fmt, fn, ctx, tmp, &done);
		fclose(fp);
	}
	cli_progress(done, cli.nin, "records", 1);
	curfile = NULL;
	arena_free(tmp);
	return stop ? -1 : 0;
}

int
cli_finish(void)
{
	if (rec_writer_free(cli.out) == -1 || fclose(stdout) == EOF) {
		diag("<stdout>", 0, "%s", strerror(errno));
		exitstatus(EX_IOERR);
	}
	cli.out = NULL;
	if (cli.rejects != NULL && fclose(cli.rejects) == EOF) {
		diag(cli.rejects_name, 0, "%s", strerror(errno));
		exitstatus(EX_IOERR);
	}
	cli.rejects = NULL;
	arena_free(cli.perm);
	cli.perm = NULL;
	return exitstatus(EX_OK);
}

/* "a,b\,c" -> {"a", "b,c", NULL}; empty items are kept. */
char **
cli_list(const char *s, size_t *n)
{
	char **v;
	size_t i, k, cnt;
	struct buf b;

	for (cnt = 1, i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\\' && s[i + 1] != '\0')
			i++;
		else if (s[i] == ',')
			cnt++;
	}
	v = arena_alloc(cli.perm, cnt + 1, sizeof(*v));
	buf_init(&b, cli.perm);
	for (k = 0, i = 0;; i++) {
		if (s[i] == '\\' && s[i + 1] != '\0') {
			buf_putc(&b, s[++i]);
			continue;
		}
		if (s[i] == ',' || s[i] == '\0') {
			v[k++] = arena_strndup(cli.perm, b.p, b.len);
			b.len = 0;
			b.p[0] = '\0';
			if (s[i] == '\0')
				break;
			continue;
		}
		buf_putc(&b, s[i]);
	}
	if (n != NULL)
		*n = k;
	return v;
}

FILE *
cli_tempfile(void)
{
	const char *dir;
	char *path;
	FILE *fp;
	int fd;

	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	path = arena_printf(cli.perm, "%s/%s.XXXXXX", dir, progname);
	if ((fd = mkstemp(path)) == -1)
		die(EX_IOERR, "cannot make a temporary file in %s (TMPDIR): %s",
		    dir, strerror(errno));
	unlink(path);
	if ((fp = fdopen(fd, "w+")) == NULL)
		die(EX_IOERR, "temporary file: %s", strerror(errno));
	return fp;
}

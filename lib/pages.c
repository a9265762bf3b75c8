/* pages.c - operands walked into pages: whole HTML or text files, and the
 * pages of JSON-lines files, each detected by its first bytes. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "rec.h"
#include "internal.h"
#include "pages.h"

#define CHUNK	65536

struct input {
	char		*path;		/* NULL: standard input */
	int		 err;		/* errno from the walk, or 0 */
};

struct pages {
	struct pages_opts o;
	struct input	*in;
	size_t		 nin, capin, cur;
	FILE		*fp;
	const char	*name;		/* of the open input */
	int		 form;		/* of the open input */
	unsigned long	 lineno;	/* JSON lines read */
	unsigned long	 npage;		/* pages of this input */
	char		*buf;		/* bytes read */
	size_t		 cap, start, end;
	int		 eof;
	cJSON		*json;		/* the line handed out */
	unsigned long long bytes;
	size_t		 done;
	char		 err[512];
	const char	*errfile;
	unsigned long	 errline;
	const char	*errraw;
	size_t		 errrawlen;
	int		 huge;		/* a line over the bound to drop */
};

static void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n)) == NULL)
		oom();
	return p;
}

static char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		oom();
	return p;
}

static void
addinput(struct pages *pg, char *path, int err)
{
	if (pg->nin == pg->capin) {
		pg->capin = pg->capin == 0 ? 16 : 2 * pg->capin;
		pg->in = xrealloc(pg->in, pg->capin * sizeof(*pg->in));
	}
	pg->in[pg->nin].path = path;
	pg->in[pg->nin].err = err;
	pg->nin++;
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file under dir, in strcmp order, dot files left out. */
static void
walk(struct pages *pg, const char *dir)
{
	DIR *d;
	struct dirent *e;
	struct stat st;
	char **names = NULL, *path;
	size_t n = 0, cap = 0, i, len;

	if ((d = opendir(dir)) == NULL) {
		addinput(pg, xstrdup(dir), errno);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap == 0 ? 32 : 2 * cap;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), namecmp);
	for (i = 0; i < n; i++) {
		len = strlen(dir);
		path = xrealloc(NULL, len + strlen(names[i]) + 2);
		memcpy(path, dir, len);
		if (len > 0 && dir[len - 1] == '/')
			len--;
		path[len] = '/';
		strcpy(path + len + 1, names[i]);
		free(names[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(pg, path);
			free(path);
		} else
			addinput(pg, path, 0);
	}
	free(names);
}

struct pages *
pages_open(int argc, char **argv, const struct pages_opts *o)
{
	struct pages *pg;
	struct stat st;
	int i;

	if ((pg = calloc(1, sizeof(*pg))) == NULL)
		oom();
	pg->o = *o;
	if (pg->o.urlkey == NULL)
		pg->o.urlkey = "url";
	if (pg->o.htmlkey == NULL)
		pg->o.htmlkey = "html";
	if (pg->o.textkey == NULL)
		pg->o.textkey = "text";
	if (pg->o.max == 0)
		pg->o.max = (size_t)64 << 20;
	if (argc == 0)
		addinput(pg, NULL, 0);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0)
			addinput(pg, NULL, 0);
		else if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			walk(pg, argv[i]);
		else
			addinput(pg, xstrdup(argv[i]), 0);
	}
	return pg;
}

static void
seterr(struct pages *pg, unsigned long line, const char *raw, size_t rawlen,
    const char *msg)
{
	snprintf(pg->err, sizeof(pg->err), "%s", msg);
	pg->errfile = pg->name;
	pg->errline = line;
	pg->errraw = raw;
	pg->errrawlen = rawlen;
}

/* Reads until at least want bytes are buffered or the input ends. */
static int
fill(struct pages *pg, size_t want)
{
	size_t n;

	if (pg->start > 0 && pg->start == pg->end)
		pg->start = pg->end = 0;
	while (!pg->eof && pg->end - pg->start < want) {
		if (pg->start > 0 && pg->end + CHUNK > pg->cap) {
			memmove(pg->buf, pg->buf + pg->start,
			    pg->end - pg->start);
			pg->end -= pg->start;
			pg->start = 0;
		}
		if (pg->end + CHUNK + 1 > pg->cap) {
			pg->cap = pg->cap == 0 ? 4 * CHUNK : 2 * pg->cap;
			while (pg->end + CHUNK + 1 > pg->cap)
				pg->cap *= 2;
			pg->buf = xrealloc(pg->buf, pg->cap);
		}
		n = fread(pg->buf + pg->end, 1, pg->cap - pg->end - 1, pg->fp);
		pg->end += n;
		if (n == 0) {
			if (ferror(pg->fp))
				return -1;
			pg->eof = 1;
		}
	}
	return 0;
}

/* Does pat (lower case, starting with '<') occur in s, ignoring case? */
static int
casestr(const char *s, size_t n, const char *pat)
{
	const char *p;
	size_t i, k, m = strlen(pat);

	for (p = s; (p = memchr(p, '<', n - (size_t)(p - s))) != NULL; p++) {
		i = (size_t)(p - s);
		if (i + m > n)
			return 0;
		for (k = 0; k < m; k++) {
			char c = s[i + k];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != pat[k])
				break;
		}
		if (k == m)
			return 1;
	}
	return 0;
}

/*
 * An object on the first line is a JSON-lines file; markup at the start,
 * or a doctype, <html>, <head> or <body> early on, is HTML; the rest is
 * text.
 */
static int
sniff(const char *s, size_t n)
{
	size_t i = 0;

	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
	    s[i] == '\n'))
		i++;
	if (i < n && s[i] == '{') {
		for (i++; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
			;
		if (i < n && s[i] == '"')
			return PAGE_JSONL;
	}
	if (i < n && s[i] == '<')
		return PAGE_HTML;
	n = n > 4096 ? 4096 : n;
	if (casestr(s, n, "<!doctype html") || casestr(s, n, "<html") ||
	    casestr(s, n, "<head") || casestr(s, n, "<body"))
		return PAGE_HTML;
	return PAGE_TEXT;
}

/* Text must be valid UTF-8: replace what is not, say where. */
static void
text(struct page *p, struct arena *tmp, char *s, size_t n,
    unsigned long line)
{
	size_t bad, i, nl;

	p->kind = PAGE_TEXT;
	p->data = s;
	p->len = n;
	if ((bad = utf8_check(s, n)) == n)
		return;
	if (line == 0) {
		for (nl = 0, i = 0; i < bad; i++)
			if (s[i] == '\n')
				nl++;
		line = (unsigned long)nl + 1;
	}
	p->badline = line;
	p->data = utf8_repair(tmp, s, n, &p->len, &p->nbad);
}

static void
closein(struct pages *pg)
{
	if (pg->fp != NULL && pg->fp != stdin)
		fclose(pg->fp);
	else if (pg->fp == stdin)
		clearerr(stdin);
	pg->fp = NULL;
	pg->cur++;
	pg->done++;
}

/*
 * Drops the bytes of a line too long to hold, up to its newline, copying
 * them (and a newline) to copy if it is not NULL.
 */
static int
skipline(struct pages *pg, FILE *copy)
{
	const char *nl;
	size_t n;

	for (;;) {
		nl = memchr(pg->buf + pg->start, '\n', pg->end - pg->start);
		n = nl != NULL ? (size_t)(nl - (pg->buf + pg->start)) :
		    pg->end - pg->start;
		if (copy != NULL)
			fwrite(pg->buf + pg->start, 1, n, copy);
		pg->bytes += n + (nl != NULL);
		pg->start += n + (nl != NULL);
		if (nl != NULL || pg->eof)
			break;
		if (fill(pg, CHUNK) == -1)
			return -1;
	}
	if (copy != NULL)
		fputc('\n', copy);
	return 0;
}

int
pages_huge(const struct pages *pg)
{
	return pg->huge;
}

int
pages_skip(struct pages *pg, FILE *copy)
{
	if (!pg->huge)
		return 0;
	pg->huge = 0;
	if (skipline(pg, copy) == -1) {
		seterr(pg, 0, NULL, 0, strerror(errno));
		return -1;
	}
	return 0;
}

/* The next page of a JSON-lines input. */
static int
jsonline(struct pages *pg, struct arena *tmp, struct page *p)
{
	const char *nl, *end;
	char *line;
	size_t len, scanned = 0;
	cJSON *j, *u, *h, *t;
	char msg[256];

	for (;;) {
		if (pg->start == pg->end && pg->eof)
			return PAGES_EOF;
		while ((nl = memchr(pg->buf + pg->start + scanned, '\n',
		    pg->end - pg->start - scanned)) == NULL && !pg->eof) {
			scanned = pg->end - pg->start;
			if (scanned > pg->o.max) {
				/*
				 * dropped up to its newline by pages_skip()
				 * (which can copy it to the rejects) or by
				 * the next pages_next()
				 */
				pg->lineno++;
				pg->npage++;
				seterr(pg, pg->lineno, NULL, 0,
				    "page too large");
				pg->huge = 1;
				return PAGES_BAD;
			}
			if (fill(pg, scanned + CHUNK) == -1) {
				seterr(pg, 0, NULL, 0, strerror(errno));
				return PAGES_IOERR;
			}
		}
		line = pg->buf + pg->start;
		len = nl != NULL ? (size_t)(nl - line) : pg->end - pg->start;
		pg->start += len + (nl != NULL);
		pg->bytes += len + (nl != NULL);
		pg->lineno++;
		scanned = 0;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (pg->lineno == 1 && len >= 3 &&
		    memcmp(line, "\xef\xbb\xbf", 3) == 0) {
			line += 3;
			len -= 3;
		}
		while (len > 0 && (*line == ' ' || *line == '\t')) {
			line++;
			len--;
		}
		if (len > 0)
			break;
	}
	p->raw = arena_strndup(tmp, line, len);
	p->rawlen = len;
	p->line = pg->lineno;
	/* every line counts as a page, good or bad: #N stays put */
	pg->npage++;
	if (len > pg->o.max) {
		seterr(pg, pg->lineno, p->raw, len, "page too large");
		return PAGES_BAD;
	}
	if (pg->lineno == 1 && utf16(p->raw, len)) {
		seterr(pg, pg->lineno, p->raw, len, "UTF-16 input (convert "
		    "it to UTF-8, e.g. with iconv -f UTF-16)");
		return PAGES_BAD;
	}
	end = NULL;
	j = cJSON_ParseWithLengthOpts(p->raw, len, &end, 0);
	if (j == NULL) {
		json_error(msg, sizeof(msg), p->raw, len,
		    end != NULL ? (size_t)(end - p->raw) : len, NULL);
		seterr(pg, pg->lineno, p->raw, len, msg);
		return PAGES_BAD;
	}
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		seterr(pg, pg->lineno, p->raw, len, "not an object");
		return PAGES_BAD;
	}
	pg->json = j;
	u = cJSON_GetObjectItemCaseSensitive(j, pg->o.urlkey);
	h = cJSON_GetObjectItemCaseSensitive(j, pg->o.htmlkey);
	t = cJSON_GetObjectItemCaseSensitive(j, pg->o.textkey);
	p->source = arena_printf(tmp, "%s#%lu", pg->name, pg->npage);
	p->url = cJSON_IsString(u) && u->valuestring[0] != '\0' ?
	    u->valuestring : NULL;
	if (cJSON_IsString(h) && pg->o.form != PAGE_TEXT) {
		/* a JSON string is Unicode: the page's own charset is moot */
		p->kind = PAGE_HTML;
		p->data = h->valuestring;
		p->len = strlen(h->valuestring);
		p->encoding = "UTF-8";
		return PAGES_OK;
	}
	if (cJSON_IsString(t)) {
		text(p, tmp, t->valuestring, strlen(t->valuestring),
		    pg->lineno);
		return PAGES_OK;
	}
	seterr(pg, pg->lineno, p->raw, len, arena_printf(tmp,
	    "no \"%s\" or \"%s\" string", pg->o.htmlkey, pg->o.textkey));
	return PAGES_BAD;
}

int
pages_next(struct pages *pg, struct arena *tmp, struct page *p)
{
	struct input *in;
	int st;

	memset(p, 0, sizeof(*p));
	if (pg->huge && pages_skip(pg, NULL) == -1) {
		p->file = pg->name;
		closein(pg);
		return PAGES_IOERR;
	}
	if (pg->json != NULL) {
		cJSON_Delete(pg->json);
		pg->json = NULL;
	}
	for (;;) {
		if (pg->fp != NULL) {
			p->file = pg->name;
			st = jsonline(pg, tmp, p);
			if (st != PAGES_EOF && st != PAGES_IOERR)
				return st;
			closein(pg);
			if (st == PAGES_IOERR)
				return st;
			continue;
		}
		if (pg->cur >= pg->nin)
			return PAGES_EOF;
		in = &pg->in[pg->cur];
		pg->name = in->path != NULL ? in->path : "<stdin>";
		pg->start = pg->end = 0;
		pg->eof = 0;
		pg->lineno = pg->npage = 0;
		if (in->err != 0) {
			seterr(pg, 0, NULL, 0, strerror(in->err));
			pg->cur++;
			pg->done++;
			return PAGES_NOINPUT;
		}
		if (in->path == NULL)
			pg->fp = stdin;
		else if ((pg->fp = fopen(in->path, "rb")) == NULL) {
			seterr(pg, 0, NULL, 0, strerror(errno));
			pg->cur++;
			pg->done++;
			return PAGES_NOINPUT;
		}
		if (fill(pg, CHUNK) == -1) {
			seterr(pg, 0, NULL, 0, strerror(errno));
			closein(pg);
			return PAGES_IOERR;
		}
		pg->form = pg->o.form != PAGE_AUTO ? pg->o.form :
		    sniff(pg->buf, pg->end);
		if (pg->form == PAGE_JSONL)
			continue;
		/* a whole file is one page */
		while (!pg->eof && pg->end <= pg->o.max)
			if (fill(pg, pg->end + CHUNK) == -1) {
				seterr(pg, 0, NULL, 0, strerror(errno));
				closein(pg);
				return PAGES_IOERR;
			}
		pg->bytes += pg->end;
		p->file = p->source = pg->name;
		if (pg->end > pg->o.max) {
			seterr(pg, 0, pg->name, strlen(pg->name),
			    "page too large");
			closein(pg);
			return PAGES_BAD;
		}
		pg->buf[pg->end] = '\0';
		if (pg->form == PAGE_HTML) {
			p->kind = PAGE_HTML;
			p->data = pg->buf;
			p->len = pg->end;
		} else
			text(p, tmp, pg->buf, pg->end, 0);
		closein(pg);
		return PAGES_OK;
	}
}

const char *
pages_error(const struct pages *pg)
{
	return pg->err;
}

const char *
pages_where(const struct pages *pg, unsigned long *line, const char **raw,
    size_t *rawlen)
{
	*line = pg->errline;
	*raw = pg->errraw;
	*rawlen = pg->errrawlen;
	return pg->errfile;
}

unsigned long long
pages_bytes(const struct pages *pg)
{
	return pg->bytes;
}

size_t
pages_inputs(const struct pages *pg)
{
	return pg->nin;
}

size_t
pages_done(const struct pages *pg)
{
	return pg->done;
}

void
pages_close(struct pages *pg)
{
	size_t i;

	if (pg == NULL)
		return;
	if (pg->json != NULL)
		cJSON_Delete(pg->json);
	if (pg->fp != NULL && pg->fp != stdin)
		fclose(pg->fp);
	for (i = 0; i < pg->nin; i++)
		free(pg->in[i].path);
	free(pg->in);
	free(pg->buf);
	free(pg);
}

static int
alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

char *
pages_id(const char *url, struct arena *a)
{
	const char *s, *e, *seg, *id;

	if (url == NULL)
		return NULL;
	if ((s = strstr(url, "://")) != NULL)
		url = s + 3;
	if ((s = strstr(url, "/research/")) == NULL)
		return NULL;
	s += strlen("/research/");
	e = s + strcspn(s, "?#");
	while (e > s && e[-1] == '/')
		e--;
	for (seg = e; seg > s && seg[-1] != '/'; seg--)
		;
	for (id = e; id > seg && id[-1] != '-'; id--)
		;
	if (e - id < 3 || e - id > 4)
		return NULL;
	for (s = id; s < e; s++)
		if (!alnum((unsigned char)*s))
			return NULL;
	return arena_strndup(a, id, (size_t)(e - id));
}

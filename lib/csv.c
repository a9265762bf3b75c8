/* csv.c - the CSV and TSV reader: libcsv parses, a header row gives keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <xxhash.h>

#include "rec.h"
#include "internal.h"

/* One parsed row: its values, kept until the record is made. */
struct row {
	char		**v;
	size_t		*n;
	size_t		 len;
	size_t		 cap;
	struct row	*next;		/* rows ended on the same line */
};

struct ctx {
	struct arena	*a;
	struct row	*cur;		/* being filled */
	struct row	*done;		/* ended, oldest first */
	struct row	**tail;
};

static void
on_field(void *s, size_t n, void *data)
{
	struct ctx *c = data;
	struct row *w;
	size_t cap;

	if (c->cur == NULL)
		c->cur = arena_alloc(c->a, 1, sizeof(*c->cur));
	w = c->cur;
	if (w->len == w->cap) {
		cap = w->cap == 0 ? 16 : w->cap * 2;
		w->v = arena_realloc(c->a, w->v, w->cap * sizeof(*w->v),
		    cap * sizeof(*w->v));
		w->n = arena_realloc(c->a, w->n, w->cap * sizeof(*w->n),
		    cap * sizeof(*w->n));
		w->cap = cap;
	}
	w->v[w->len] = arena_strndup(c->a, s != NULL ? s : "", n);
	w->n[w->len++] = n;
}

static void
on_row(int term, void *data)
{
	struct ctx *c = data;

	(void)term;
	if (c->cur == NULL)	/* libcsv reports no empty rows; be safe */
		c->cur = arena_alloc(c->a, 1, sizeof(*c->cur));
	*c->tail = c->cur;
	c->tail = &c->cur->next;
	c->cur = NULL;
}

/*
 * TSV: fields split at tabs; \t \n \r \\ are the escapes, and a backslash
 * before any other byte stands for that byte (as PostgreSQL's text format
 * has it).
 */
static void
tsv_row(struct ctx *c, const char *s, size_t n)
{
	struct buf b;
	size_t i;

	buf_init(&b, c->a);
	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '\t') {
			on_field(b.p, b.len, c);
			b.len = 0;
			b.p[0] = '\0';
			continue;
		}
		if (s[i] == '\\' && i + 1 < n) {
			switch (s[++i]) {
			case 't':  buf_putc(&b, '\t'); break;
			case 'n':  buf_putc(&b, '\n'); break;
			case 'r':  buf_putc(&b, '\r'); break;
			default:   buf_putc(&b, s[i]); break;
			}
			continue;
		}
		buf_putc(&b, s[i]);
	}
	on_row('\n', c);
}

static unsigned long
count_nl(const char *s, size_t n)
{
	unsigned long k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/* libcsv trims blanks around unquoted fields; a value is kept as written. */
static int
nospace(unsigned char c)
{
	(void)c;
	return 0;
}

static void
parser_new(struct rec_reader *r)
{
	if (r->csv == NULL && (r->csv = malloc(sizeof(*r->csv))) == NULL)
		oom();
	if (csv_init(r->csv, CSV_STRICT | CSV_STRICT_FINI |
	    CSV_APPEND_NULL) != 0)
		oom();
	csv_set_delim(r->csv, (unsigned char)r->delim);
	/* a long cell grows by this much at a time (libcsv: 128 bytes) */
	csv_set_blk_size(r->csv, (size_t)256 << 10);
	csv_set_space_func(r->csv, nospace);
}

void
csv_reader_free(struct rec_reader *r)
{
	if (r->csv != NULL) {
		csv_free(r->csv);
		free(r->csv);
	}
	arena_free(r->hdra);
}

/* Is name in the header's hash table?  If not, add it. */
static int
seen(char **tab, size_t mask, char *name)
{
	size_t h;

	h = (size_t)XXH3_64bits(name, strlen(name)) & mask;
	for (; tab[h] != NULL; h = (h + 1) & mask)
		if (strcmp(tab[h], name) == 0)
			return 1;
	tab[h] = name;
	return 0;
}

/*
 * Header names made unique: "" becomes colN, a repeat gets _2, _3, ...
 * A hash table keeps this linear: a header of a million columns is a
 * hostile input we must survive.
 */
static void
set_header(struct rec_reader *r, struct row *w)
{
	size_t i, k, mask;
	char **tab, *name;
	const char *base;

	r->hdra = arena_new();
	r->nhdr = w->len;
	r->hdr = arena_alloc(r->hdra, w->len + 1, sizeof(*r->hdr));
	for (mask = 16; mask < w->len * 2; mask *= 2)
		;
	tab = arena_alloc(r->hdra, mask, sizeof(*tab));
	mask--;
	for (i = 0; i < w->len; i++) {
		if ((r->flags & REC_NOHEADER) || w->n[i] == 0) {
			base = "col";
			name = arena_printf(r->hdra, "col%zu", i + 1);
		} else {
			base = w->v[i];
			name = arena_strndup(r->hdra, w->v[i], w->n[i]);
		}
		for (k = 2; seen(tab, mask, name); k++)
			name = arena_printf(r->hdra, "%s_%zu", base, k);
		r->hdr[i] = name;
	}
	r->hdrdone = 1;
}

/*
 * Feeds whole lines (with their own line ends, so that a CRLF inside a
 * quoted field stays CRLF) until a row ends.  The row's raw text is
 * every line fed for it.
 */
int
csv_reader_read(struct rec_reader *r, struct arena *a, struct rec *out)
{
	struct ctx c;
	struct row *w;
	struct buf raw;
	const char *line;
	size_t len, nlen, feed, i;
	unsigned long line0 = 0;
	int st;

	memset(&c, 0, sizeof(c));
	c.a = a;
	c.tail = &c.done;
	buf_init(&raw, a);
	if (r->csv == NULL && !(r->flags & REC_TSV))
		parser_new(r);
	for (;;) {
		st = lines_get(&r->in, r->max, &line, &len, &nlen);
		if (st == LINE_ERR) {
			reader_error(r, r->in.lineno + 1, "%s",
			    strerror(r->in.err));
			return REC_IOERR;
		}
		if (st == LINE_LONG || (st == LINE_OK &&
		    raw.len + nlen > r->max)) {
			if (raw.len > 0)
				reader_reject(r, raw.p, raw.len);
			if (st == LINE_LONG && reader_skip_long(r) == -1) {
				reader_error(r, r->in.lineno + 1, "%s",
				    strerror(r->in.err));
				return REC_IOERR;
			}
			if (st == LINE_OK)
				reader_reject(r, line, len);
			reader_error(r, line0 ? line0 : r->in.lineno,
			    "record too large (over %zu bytes; see "
			    "--max-record)", r->max);
			if (r->csv != NULL) {
				csv_free(r->csv);
				parser_new(r);
			}
			return REC_BAD;
		}
		if (st == LINE_EOF) {
			if (r->flags & REC_TSV || raw.len == 0)
				return REC_EOF;
			if (csv_fini(r->csv, on_field, on_row, &c) != 0) {
				reader_error(r, line0, "unterminated quoted "
				    "field");
				reader_reject(r, raw.p, raw.len);
				csv_free(r->csv);
				parser_new(r);
				return REC_BAD;
			}
			csv_free(r->csv);
			parser_new(r);
			if (c.done == NULL)
				return REC_EOF;
			break;
		}
		if (r->in.lineno == 1 && utf16(line, len)) {
			reader_error(r, 1, "UTF-16 input (convert it to "
			    "UTF-8, e.g. with iconv -f UTF-16)");
			reader_reject(r, line, len);
			return REC_BAD;
		}
		if (raw.len == 0) {
			/*
			 * A blank line between rows is nothing, but in TSV
			 * with one column it is the one empty cell.
			 */
			if (len == 0 && !((r->flags & REC_TSV) &&
			    ((r->hdrdone && r->nhdr == 1) ||
			    (!r->hdrdone && (r->flags & REC_NOHEADER)))))
				continue;
			line0 = r->in.lineno;
		}
		/* the bytes as read: the BOM is gone, the line end is not */
		feed = nlen - (r->in.bom ? 3 : 0);
		if (raw.len > 0)
			buf_putc(&raw, '\n');
		buf_put(&raw, line, len);
		if (r->flags & REC_TSV)
			tsv_row(&c, line, len);
		else if (csv_parse(r->csv, line, feed, on_field, on_row, &c) !=
		    feed) {
			reader_error(r, line0, "malformed quoted field (%s)",
			    csv_strerror(csv_error(r->csv)));
			reader_reject(r, raw.p, raw.len);
			csv_free(r->csv);
			parser_new(r);
			return REC_BAD;
		}
		if (c.done != NULL)
			break;
	}
	w = c.done;
	if (w->next != NULL) {
		/* several rows ended on one line (bare CR line ends) */
		reader_error(r, line0, "several rows on one line (CR line "
		    "ends?)");
		reader_reject(r, raw.p, raw.len);
		return REC_BAD;
	}
	if (!r->hdrdone) {
		set_header(r, w);
		if (!(r->flags & REC_NOHEADER))
			return csv_reader_read(r, a, out);
	}
	if (w->len != r->nhdr) {
		reader_error(r, line0, "row has %zu field%s, the %s has %zu",
		    w->len, w->len == 1 ? "" : "s",
		    r->flags & REC_NOHEADER ? "first row" : "header", r->nhdr);
		reader_reject(r, raw.p, raw.len);
		return REC_BAD;
	}
	if (!(r->flags & REC_LAXUTF8) && utf8_check(raw.p, raw.len) < raw.len) {
		reader_error(r, line0 + count_nl(raw.p,
		    utf8_check(raw.p, raw.len)), "invalid UTF-8");
		reader_reject(r, raw.p, raw.len);
		return REC_BAD;
	}
	rec_init(out);
	out->fields = arena_alloc(a, w->len ? w->len : 1, sizeof(*out->fields));
	out->cap = w->len ? w->len : 1;
	for (i = 0; i < w->len; i++) {
		out->fields[i].key = r->hdr[i];
		out->fields[i].klen = strlen(r->hdr[i]);
		out->fields[i].val = w->v[i];
		out->fields[i].vlen = w->n[i];
		out->fields[i].type = REC_STRING;
	}
	out->nfields = w->len;
	out->raw = raw.p;
	out->rawlen = raw.len;
	out->line = line0;
	out->dirty = 1;
	return REC_OK;
}

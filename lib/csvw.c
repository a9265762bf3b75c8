/* csvw.c - writes CSV and TSV cells into a buffer for glean-tocsv. */
#include <stdint.h>
#include <string.h>

#include <csv.h>

#include "rec.h"
#include "internal.h"
#include "csvw.h"

/* Makes room for n more bytes and the NUL that struct buf keeps. */
static char *
reserve(struct buf *b, size_t n)
{
	size_t cap;

	if (b->cap - b->len > n)
		return b->p + b->len;
	cap = b->cap;
	while (cap - b->len <= n) {
		if (cap > SIZE_MAX / 2)
			oom();
		cap *= 2;
	}
	b->p = arena_realloc(b->a, b->p, b->cap, cap);
	b->cap = cap;
	return b->p + b->len;
}

void
csvw_init(struct csvw *w, int delim, int tsv, int quoteall, int safe,
    int crlf)
{
	memset(w, 0, sizeof(*w));
	w->tsv = tsv;
	w->delim = delim != 0 ? delim : tsv ? '\t' : ',';
	w->quoteall = quoteall && !tsv;
	w->safe = safe;
	w->eol = crlf ? "\r\n" : "\n";
	w->eollen = crlf ? 2 : 1;
	w->special['\r'] = w->special['\n'] = 1;
	w->special[(unsigned char)w->delim] = 1;
	if (tsv) {
		w->special['\t'] = w->special['\\'] = 1;
	} else
		w->special['"'] = 1;
}

/*
 * Would a spreadsheet take this text for a formula?  Also a DDE payload
 * after TAB or CR, which some spreadsheets skip before looking.
 */
int
csvw_unsafe(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	switch (s[0]) {
	case '=':
	case '+':
	case '-':
	case '@':
	case '\t':
	case '\r':
		return 1;
	}
	return 0;
}

static void
tsvcell(struct buf *b, const unsigned char *sp, const char *s, size_t n,
    int tick)
{
	const char *e, *run;
	char *d;

	/* Each byte becomes at most two. */
	d = reserve(b, 2 * n + 2);
	if (tick)
		*d++ = '\'';
	/*
	 * A reader takes a U+FEFF at the start of a file for a byte order
	 * mark; escaped, it stays data (any escaped byte stands for itself).
	 */
	else if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		*d++ = '\\';
	for (e = s + n; s < e;) {
		run = s;
		while (s < e && !sp[(unsigned char)*s])
			s++;
		memcpy(d, run, (size_t)(s - run));
		d += s - run;
		if (s == e)
			break;
		*d++ = '\\';
		switch (*s++) {
		case '\t': *d++ = 't'; break;
		case '\n': *d++ = 'n'; break;
		case '\r': *d++ = 'r'; break;
		case '\\': *d++ = '\\'; break;
		default:
			/* A delimiter other than TAB (-t -d): kept as is. */
			d[-1] = s[-1];
			break;
		}
	}
	b->len = (size_t)(d - b->p);
	b->p[b->len] = '\0';
}

/*
 * Length of the prefix of s[0..n) with no byte that forces quoting: eight
 * bytes at a time (a word has a byte equal to c when (x - 0x01..) & ~x &
 * 0x80.. is not 0 for x = word ^ c repeated), the rest one at a time.
 * Cells are mostly long text with no such byte, and this is the loop that
 * reads all of it.
 */
static size_t
plain(const struct csvw *w, const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t highs = 0x8080808080808080ULL;
	uint64_t v, x, hit, d;
	size_t i;

	d = ones * (unsigned char)w->delim;
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&v, s + i, 8);
		x = v ^ d;
		hit = (x - ones) & ~x;
		x = v ^ (ones * '"');
		hit |= (x - ones) & ~x;
		x = v ^ (ones * '\r');
		hit |= (x - ones) & ~x;
		x = v ^ (ones * '\n');
		hit |= (x - ones) & ~x;
		if (w->tsv) {
			x = v ^ (ones * '\t');
			hit |= (x - ones) & ~x;
			x = v ^ (ones * '\\');
			hit |= (x - ones) & ~x;
		}
		if (hit & highs)
			break;
	}
	while (i < n && !w->special[(unsigned char)s[i]])
		i++;
	return i;
}

void
csvw_cell(const struct csvw *w, struct buf *b, const char *s, size_t n,
    int isstr)
{
	const unsigned char *sp = w->special;
	size_t i, need;
	int tick;
	char *d;

	tick = isstr && w->safe && csvw_unsafe(s, n);
	if (w->tsv) {
		tsvcell(b, sp, s, n, tick);
		return;
	}
	i = plain(w, s, n);
	/*
	 * Leading or trailing blanks are quoted too: RFC 4180 keeps them,
	 * but libcsv and spreadsheets trim them from an unquoted cell.
	 */
	if (i == n && n > 0 && ((!tick && (s[0] == ' ' || s[0] == '\t')) ||
	    s[n - 1] == ' ' || s[n - 1] == '\t'))
		i = 0;
	/* a U+FEFF that starts a file would be taken for a byte order mark */
	if (i == n && !tick && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 0;
	if (i == n && !w->quoteall) {
		d = reserve(b, n + 1);
		if (tick)
			*d++ = '\'';
		memcpy(d, s, n);
		b->len += n + tick;
		b->p[b->len] = '\0';
		return;
	}
	/*
	 * libcsv makes the quoted form: the text between quotes, each quote
	 * doubled; at most 2n + 2 bytes.  With the tick it is written one
	 * byte on, and its opening quote then becomes the tick.  A cell with
	 * no quote in it (most quoted cells: a comma or a newline) is the
	 * same bytes put between quotes, which memcpy makes without
	 * csv_write2's test and store per byte: 12% fewer instructions for
	 * all of tocsv on the bench data, same output.
	 */
	d = reserve(b, 2 * n + 3);
	if (memchr(s + i, '"', n - i) == NULL) {
		d[tick] = '"';
		memcpy(d + tick + 1, s, n);
		d[tick + 1 + n] = '"';
		need = n + 2;
	} else
		need = csv_write2(d + tick, 2 * n + 2, s, n, '"');
	if (tick) {
		d[0] = '"';
		d[1] = '\'';
	}
	b->len += need + tick;
	b->p[b->len] = '\0';
}

void
csvw_empty_row(const struct csvw *w, struct buf *b)
{
	if (!w->tsv)
		buf_put(b, "\"\"", 2);
}

void
csvw_delim(const struct csvw *w, struct buf *b)
{
	char *d;

	d = reserve(b, 1);
	*d = (char)w->delim;
	b->p[++b->len] = '\0';
}

void
csvw_eol(const struct csvw *w, struct buf *b)
{
	buf_put(b, w->eol, w->eollen);
}

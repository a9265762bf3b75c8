/* norm.c - value cleaning and the date, age and count parsers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "rec.h"
#include "internal.h"
#include "norm.h"

#define CASESTEPS	(NORM_LOWER | NORM_UPPER | NORM_TITLE)

/* HTML named character references decoded by NORM_ENTITIES. */
static const struct {
	const char	*name;
	long		 cp;
} entities[] = {
	{ "AElig", 0xc6 }, { "Aacute", 0xc1 }, { "Agrave", 0xc0 },
	{ "Auml", 0xc4 }, { "Ccedil", 0xc7 }, { "Eacute", 0xc9 },
	{ "Egrave", 0xc8 }, { "Iacute", 0xcd }, { "Ntilde", 0xd1 },
	{ "Oacute", 0xd3 }, { "Ouml", 0xd6 }, { "Uacute", 0xda },
	{ "Uuml", 0xdc }, { "aacute", 0xe1 }, { "acirc", 0xe2 },
	{ "aelig", 0xe6 }, { "agrave", 0xe0 }, { "amp", '&' },
	{ "apos", '\'' }, { "aring", 0xe5 }, { "auml", 0xe4 },
	{ "bdquo", 0x201e }, { "bull", 0x2022 }, { "ccedil", 0xe7 },
	{ "cent", 0xa2 }, { "copy", 0xa9 }, { "deg", 0xb0 },
	{ "divide", 0xf7 }, { "eacute", 0xe9 }, { "ecirc", 0xea },
	{ "egrave", 0xe8 }, { "emsp", 0x2003 }, { "ensp", 0x2002 },
	{ "euml", 0xeb }, { "euro", 0x20ac }, { "gt", '>' },
	{ "hellip", 0x2026 }, { "iacute", 0xed }, { "icirc", 0xee },
	{ "iuml", 0xef }, { "laquo", 0xab }, { "ldquo", 0x201c },
	{ "lsaquo", 0x2039 }, { "lsquo", 0x2018 }, { "lt", '<' },
	{ "mdash", 0x2014 }, { "micro", 0xb5 }, { "middot", 0xb7 },
	{ "minus", 0x2212 }, { "nbsp", 0xa0 }, { "ndash", 0x2013 },
	{ "ntilde", 0xf1 }, { "oacute", 0xf3 }, { "ocirc", 0xf4 },
	{ "ouml", 0xf6 }, { "para", 0xb6 }, { "plusmn", 0xb1 },
	{ "pound", 0xa3 }, { "quot", '"' }, { "raquo", 0xbb },
	{ "rdquo", 0x201d }, { "reg", 0xae }, { "rsaquo", 0x203a },
	{ "rsquo", 0x2019 }, { "sbquo", 0x201a }, { "sect", 0xa7 },
	{ "shy", 0xad }, { "szlig", 0xdf }, { "thinsp", 0x2009 },
	{ "times", 0xd7 }, { "trade", 0x2122 }, { "uacute", 0xfa },
	{ "ucirc", 0xfb }, { "uuml", 0xfc }, { "yen", 0xa5 },
	{ "zwj", 0x200d }, { "zwnj", 0x200c }
};

/* Bytes that need no thought on the fast path: printable ASCII but & and ". */
static const unsigned char plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static const char *const monthname[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

static int
isspc(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

static int
isalph(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Decodes one code point of valid UTF-8 at s; returns its length. */
static size_t
dec(const unsigned char *s, size_t n, long *cp)
{
	if (s[0] < 0x80 || n < 2) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xe0) {
		*cp = ((long)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] < 0xf0 || n < 4) {
		if (n < 3) {
			*cp = s[0];
			return 1;
		}
		*cp = ((long)(s[0] & 0x0f) << 12) |
		    ((long)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
		return 3;
	}
	*cp = ((long)(s[0] & 0x07) << 18) | ((long)(s[1] & 0x3f) << 12) |
	    ((long)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
	return 4;
}

static void
putcp(struct buf *b, long cp)
{
	unsigned char u[4];
	utf8proc_ssize_t k;

	if (cp < 0x80) {
		buf_putc(b, (int)cp);
		return;
	}
	k = utf8proc_encode_char((utf8proc_int32_t)cp, u);
	buf_put(b, (const char *)u, (size_t)k);
}

/*
 * Is s[0..n) ASCII that the steps leave as it is?  This is the fast path:
 * most values in most records need nothing.
 */
static int
ascii_clean(const unsigned char *s, size_t n, int steps)
{
	size_t i;
	int c;

	if (steps & CASESTEPS)
		return 0;
	for (i = 0; i < n; i++) {
		while (i < n && plain[s[i]])
			i++;
		if (i >= n)
			break;
		c = s[i];
		if (c == ' ' && (steps & NORM_SPACE)) {
			if (i == 0 || i == n - 1 || s[i - 1] == ' ' ||
			    s[i - 1] == '\n')
				return 0;
			continue;
		}
		if (c >= 0x80)
			return 0;
		if (c == '&') {
			if (steps & NORM_ENTITIES)
				return 0;
			continue;
		}
		if (c == '"') {
			if (steps & NORM_QUOTES)
				return 0;
			continue;
		}
		if (!(steps & NORM_SPACE)) {
			if ((steps & NORM_CTRL) && c != ' ' && !isspc(c))
				return 0;
			if ((steps & NORM_ONELINE) && (c == '\n' || c == '\r'))
				return 0;
			continue;
		}
		if (c != '\n')
			return 0;	/* a control, \t, \r, \v or \f */
		if ((steps & NORM_ONELINE) || i == 0 || i == n - 1 ||
		    s[i - 1] == ' ' ||
		    (i >= 2 && s[i - 1] == '\n' && s[i - 2] == '\n'))
			return 0;
	}
	return 1;
}

/* Decodes one "&...;" at s; returns its length, or 0 if it is not one. */
static size_t
entity(const char *s, size_t n, long *cp)
{
	size_t i, k, lo, hi, mid;
	long v;
	int cmp, base;

	if (n < 3 || s[0] != '&')
		return 0;
	if (s[1] == '#') {
		i = 2;
		base = 10;
		if (i < n && (s[i] == 'x' || s[i] == 'X')) {
			base = 16;
			i++;
		}
		v = 0;
		for (k = i; k < n && k - i < 8; k++) {
			if (isdig(s[k]))
				v = v * base + (s[k] - '0');
			else if (base == 16 && lower(s[k]) >= 'a' &&
			    lower(s[k]) <= 'f')
				v = v * 16 + (lower(s[k]) - 'a' + 10);
			else
				break;
		}
		if (k == i || k >= n || s[k] != ';')
			return 0;
		/* no NUL, no surrogates, nothing past U+10FFFF */
		if (v == 0 || (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
			return 0;
		*cp = v;
		return k + 1;
	}
	for (k = 1; k < n && k < 10 && isalph(s[k]); k++)
		;
	if (k == 1 || k >= n || s[k] != ';')
		return 0;
	lo = 0;
	hi = sizeof(entities) / sizeof(entities[0]);
	while (lo < hi) {
		mid = (lo + hi) / 2;
		cmp = strncmp(s + 1, entities[mid].name, k - 1);
		if (cmp == 0 && entities[mid].name[k - 1] != '\0')
			cmp = -1;
		if (cmp == 0) {
			*cp = entities[mid].cp;
			return k + 1;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* Decodes character references once: "&amp;amp;" gives "&amp;". */
static int
decode_entities(struct arena *a, const char **s, size_t *n)
{
	const char *p = *s, *amp;
	size_t i, k;
	long cp;
	struct buf b;
	int any = 0;

	if ((amp = memchr(p, '&', *n)) == NULL)
		return 0;
	buf_init(&b, a);
	i = 0;
	while (i < *n) {
		amp = memchr(p + i, '&', *n - i);
		if (amp == NULL) {
			buf_put(&b, p + i, *n - i);
			break;
		}
		buf_put(&b, p + i, (size_t)(amp - (p + i)));
		i = (size_t)(amp - p);
		if ((k = entity(p + i, *n - i, &cp)) == 0) {
			buf_putc(&b, '&');
			i++;
			continue;
		}
		putcp(&b, cp);
		i += k;
		any = 1;
	}
	if (!any)
		return 0;
	*s = b.p;
	*n = b.len;
	return 1;
}

/*
 * Can cp change under NFC, or change what comes before it?  No for every
 * code point below U+0300 (all are NFC and none combines with what
 * precedes), and no for a starter without a decomposition that is not a
 * mark and not a conjoining Hangul jamo: the characters Unicode marks
 * NFC_Quick_Check=Maybe are all marks or jamo.  Anything else takes
 * utf8proc's full algorithm, so this check only ever errs on the safe side.
 */
static int
nfcsafe(long cp)
{
	const utf8proc_property_t *p;

	if (cp < 0x300)
		return 1;
	if ((cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0xa960 && cp <= 0xa97f) ||
	    (cp >= 0xd7b0 && cp <= 0xd7ff))
		return 0;
	p = utf8proc_get_property((utf8proc_int32_t)cp);
	return p->combining_class == 0 && p->decomp_seqindex == UINT16_MAX &&
	    p->category != UTF8PROC_CATEGORY_MN &&
	    p->category != UTF8PROC_CATEGORY_MC &&
	    p->category != UTF8PROC_CATEGORY_ME;
}

/*
 * NFC or NFKC with utf8proc, only where it can change anything: each run
 * of code points that are not nfcsafe(), with the safe one before it (a
 * base its marks may compose with), is normalized on its own.  A safe code
 * point is a boundary NFC never reaches across, so the pieces give the
 * same text as normalizing the whole.  NFKC changes some code points below
 * U+0300 (U+00A0, U+00B2), so it takes every non-ASCII run.
 */
static int
compose(struct arena *a, const char **s, size_t *n, int steps)
{
	const unsigned char *u = (const unsigned char *)*s;
	utf8proc_uint8_t *dst;
	utf8proc_ssize_t k;
	size_t i, len, last = 0, done = 0, end;
	struct buf b;
	long cp;
	int opt, any = 0;

	/* skip the ASCII prefix eight bytes at a time */
	for (i = 0; i + 8 <= *n; i += 8) {
		uint64_t w;

		memcpy(&w, u + i, 8);
		if (w & UINT64_C(0x8080808080808080))
			break;
	}
	while (i < *n && u[i] < 0x80)
		i++;
	if (i == *n)
		return 0;
	last = i > 0 ? i - 1 : 0;
	opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
	if (steps & NORM_NFKC)
		opt |= UTF8PROC_COMPAT;
	for (; i < *n; i += len) {
		if (u[i] < 0x80) {
			len = 1;
			last = i;
			continue;
		}
		len = dec(u + i, *n - i, &cp);
		if (!(steps & NORM_NFKC) && nfcsafe(cp)) {
			last = i;
			continue;
		}
		/* the piece: from the last safe code point to the next one */
		for (end = i + len; end < *n; end += len) {
			if (u[end] < 0x80) {
				len = 1;
				break;
			}
			len = dec(u + end, *n - end, &cp);
			if (!(steps & NORM_NFKC) && nfcsafe(cp))
				break;
		}
		if (last < done)
			last = done;
		k = utf8proc_map(u + last, (utf8proc_ssize_t)(end - last),
		    &dst, (utf8proc_option_t)opt);
		if (k == UTF8PROC_ERROR_NOMEM)
			oom();
		if (k >= 0 && ((size_t)k != end - last ||
		    memcmp(dst, u + last, (size_t)k) != 0)) {
			if (!any)
				buf_init(&b, a);
			any = 1;
			buf_put(&b, (const char *)u + done, last - done);
			buf_put(&b, (const char *)dst, (size_t)k);
			done = end;
		}
		if (k >= 0)
			free(dst);
		i = end;
		last = end;
		len = 0;
	}
	if (!any)
		return 0;
	buf_put(&b, (const char *)u + done, *n - done);
	*s = b.p;
	*n = b.len;
	return 1;
}

static long
asciipunct(long cp, const char **rep)
{
	*rep = NULL;
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201a: case 0x201b: case 0x2032:
		return '\'';
	case 0x201c: case 0x201d: case 0x201e: case 0x201f: case 0x2033:
		return '"';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212:
		return '-';
	case 0x2026:
		*rep = "...";
		return 0;
	}
	return cp;
}

static int
isword(long cp)
{
	utf8proc_category_t c;

	if (cp < 0x80)
		return isalph((int)cp) || isdig((int)cp) || cp == '\'';
	if (cp == 0x2019)
		return 1;
	c = utf8proc_category((utf8proc_int32_t)cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND);
}

/*
 * The kinds of code point the one-pass cleaner tells apart; K_LINESP is a
 * line break that --one-line makes a space when white space is otherwise
 * kept as it is.
 */
enum { K_TEXT, K_SPACE, K_LINE, K_DROP, K_LINESP };

static int
kind(long cp, int steps)
{
	utf8proc_category_t c;

	if (cp >= 0x21 && cp < 0x7f)
		return K_TEXT;
	if (steps & NORM_SPACE) {
		switch (cp) {
		case ' ': case '\t': case '\v': case '\f':
			return K_SPACE;
		case '\n': case '\r': case 0x85: case 0x2028: case 0x2029:
			return K_LINE;
		case 0x200b: case 0x2060: case 0xfeff:
			return K_DROP;	/* zero-width spaces */
		}
	} else if ((steps & NORM_ONELINE) && (cp == '\n' || cp == '\r' ||
	    cp == 0x85 || cp == 0x2028 || cp == 0x2029))
		return K_LINESP;
	else if (cp == ' ' || isspc((int)cp) || cp == 0x85)
		return K_TEXT;
	if (cp < 0x80)
		return (steps & NORM_CTRL) ? K_DROP : K_TEXT;
	c = utf8proc_category((utf8proc_int32_t)cp);
	if (c == UTF8PROC_CATEGORY_ZS && (steps & NORM_SPACE))
		return K_SPACE;
	if (c == UTF8PROC_CATEGORY_CC && (steps & NORM_CTRL))
		return K_DROP;
	return K_TEXT;
}

/*
 * Output that stays a view of the input for as long as it is the same:
 * the common case (nothing to change) costs no copy.
 */
struct lazy {
	struct buf	 b;
	struct arena	*a;
	const char	*src;
	size_t		 len;	/* output length so far */
	int		 copied;
};

static void
emit(struct lazy *o, const char *p, size_t n)
{
	if (!o->copied) {
		if (p == o->src + o->len ||
		    memcmp(o->src + o->len, p, n) == 0) {
			o->len += n;
			return;
		}
		buf_init(&o->b, o->a);
		buf_put(&o->b, o->src, o->len);
		o->copied = 1;
	}
	buf_put(&o->b, p, n);
	o->len += n;
}

static void
emitcp(struct lazy *o, long cp)
{
	unsigned char u[4];
	utf8proc_ssize_t k;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		emit(o, (const char *)u, 1);
		return;
	}
	k = utf8proc_encode_char((utf8proc_int32_t)cp, u);
	emit(o, (const char *)u, (size_t)k);
}

/*
 * The one pass: white space, control characters, punctuation and case.
 * Runs of spaces within a line become one space, and runs of line breaks
 * one or two (one blank line at most); nothing is written before the
 * first or after the last text, so spaces at line ends vanish too.
 */
static void
onepass(struct lazy *o, const char *str, size_t n, int steps,
    int *dropped)
{
	const unsigned char *s = (const unsigned char *)str;
	const char *rep;
	size_t i, j, k;
	long cp, m, prev = ' ';
	int sp = 0, nl = 0, kd;

	for (i = 0; i < n; i += k) {
		if (s[i] >= 0x21 && s[i] < 0x7f && !(steps & CASESTEPS) &&
		    !(nl > 0 || sp)) {
			/* a run of plain ASCII text goes out in one piece */
			for (j = i + 1; j < n; j++) {
				if (s[j] >= 0x21 && s[j] < 0x7f)
					continue;
				/* one space between printable characters */
				if (s[j] == ' ' && j + 1 < n &&
				    s[j + 1] >= 0x21 && s[j + 1] < 0x7f)
					continue;
				break;
			}
			emit(o, str + i, j - i);
			prev = s[j - 1];
			k = j - i;
			continue;
		}
		k = dec(s + i, n - i, &cp);
		kd = kind(cp, steps);
		if (kd == K_DROP) {
			*dropped = 1;
			continue;
		}
		if (kd == K_SPACE) {
			sp = 1;
			continue;
		}
		if (kd == K_LINESP) {
			if (!(cp == '\r' && i + 1 < n && s[i + 1] == '\n'))
				emit(o, " ", 1);
			prev = ' ';
			continue;
		}
		if (kd == K_LINE) {
			if (cp == '\r' && i + 1 < n && s[i + 1] == '\n')
				continue;
			if (steps & NORM_ONELINE)
				sp = 1;
			else
				nl++;
			continue;
		}
		if (o->len > 0) {
			if (nl > 0)
				emit(o, "\n\n", nl > 1 ? 2 : 1);
			else if (sp)
				emit(o, " ", 1);
		}
		if (nl > 0 || sp)
			prev = ' ';
		sp = nl = 0;
		if (cp < 0x80 && !(steps & CASESTEPS)) {
			emit(o, str + i, 1);
			prev = cp;
			continue;
		}
		rep = NULL;
		m = cp;
		if (steps & NORM_PUNCT)
			m = asciipunct(cp, &rep);
		if (rep != NULL) {
			emit(o, rep, strlen(rep));
			prev = '.';
			continue;
		}
		if (steps & NORM_LOWER)
			m = utf8proc_tolower((utf8proc_int32_t)m);
		else if (steps & NORM_UPPER)
			m = utf8proc_toupper((utf8proc_int32_t)m);
		else if (steps & NORM_TITLE)
			m = isword(prev) ?
			    utf8proc_tolower((utf8proc_int32_t)m) :
			    utf8proc_totitle((utf8proc_int32_t)m);
		prev = cp;
		if (m == cp)
			emit(o, str + i, k);
		else
			emitcp(o, m);
	}
}

/* Is cp one of the double quotation marks? */
static int
isdquote(long cp)
{
	return cp == '"' || cp == 0x201c || cp == 0x201d || cp == 0x201e ||
	    cp == 0xab || cp == 0xbb;
}

/* Strips an unbalanced double quotation mark at either end. */
static int
stripquotes(char **s, size_t *n)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t i, k, last = 0, lastk = 0, cnt = 0, firstk = 0;
	long cp;

	for (i = 0; i < *n; i += k) {
		k = dec(p + i, *n - i, &cp);
		if (isdquote(cp)) {
			if (i == 0)
				firstk = k;
			cnt++;
			last = i;
			lastk = k;
		}
	}
	if (cnt % 2 == 0)
		return 0;
	if (firstk > 0) {
		*s += firstk;
		*n -= firstk;
	} else if (last + lastk == *n)
		*n = last;
	else
		return 0;
	while (*n > 0 && **s == ' ') {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && (*s)[*n - 1] == ' ')
		(*n)--;
	return 1;
}

int
norm_clean(struct arena *a, const char *s0, size_t n0, int steps,
    const char **out, size_t *outlen, size_t *nbad)
{
	const char *s = s0;
	size_t n = n0, bad;
	struct lazy o;
	char *p;
	int dropped = 0, passes = 0;

	*nbad = 0;
	*out = s0;
	*outlen = n0;
	if (ascii_clean((const unsigned char *)s0, n0, steps))
		return 0;
	if (utf8_check(s, n) < n) {
		s = utf8_repair(a, s, n, &n, &bad);
		*nbad = bad;
	}
	if (steps & NORM_ENTITIES)
		decode_entities(a, &s, &n);
again:
	if (steps & (NORM_NFC | NORM_NFKC))
		compose(a, &s, &n, steps);
	memset(&o, 0, sizeof(o));
	o.a = a;
	o.src = s;
	onepass(&o, s, n, steps, &dropped);
	if (o.copied) {
		s = o.b.p;
		n = o.b.len;
	} else
		n = o.len;	/* a prefix of s: the end was trimmed */
	/* a dropped control character may have parted a base and its mark */
	if (dropped && passes++ == 0 && (steps & (NORM_NFC | NORM_NFKC))) {
		dropped = 0;
		goto again;
	}
	if (steps & NORM_QUOTES) {
		p = (char *)s;
		if (stripquotes(&p, &n))
			s = p;
	}
	if (n == n0 && (s == s0 || memcmp(s, s0, n) == 0))
		return 0;
	/* the result must be NUL-terminated and must not alias the input */
	*out = arena_strndup(a, s, n);
	*outlen = n;
	return 1;
}

const char *
norm_snake(struct arena *a, const char *key)
{
	const unsigned char *s = (const unsigned char *)key;
	struct buf b;
	size_t i, k, n;
	long cp, next;
	int us = 0, up, word, prev = 0, nextlo;

	/* prev: 0 nothing, 1 lower-case letter or digit, 2 upper case */
	n = strlen(key);
	buf_init(&b, a);
	for (i = 0; i < n; i += k) {
		k = dec(s + i, n - i, &cp);
		if (cp < 0x80) {
			up = cp >= 'A' && cp <= 'Z';
			word = up || (cp >= 'a' && cp <= 'z') ||
			    isdig((int)cp);
		} else {
			/*
			 * An upper-case letter with no lower-case form
			 * (U+03D2) stays as it is, so it is no word break:
			 * else a second pass would break where the first
			 * did not.
			 */
			up = utf8proc_category((utf8proc_int32_t)cp) ==
			    UTF8PROC_CATEGORY_LU && utf8proc_tolower(
			    (utf8proc_int32_t)cp) != cp;
			word = up || isword(cp);
		}
		if (!word) {
			us = b.len > 0;
			prev = 0;
			continue;
		}
		if (up && prev == 1)
			us = 1;		/* pageId -> page_id */
		else if (up && prev == 2 && i + k < n) {
			/* HTTPCode -> http_code */
			dec(s + i + k, n - i - k, &next);
			nextlo = next < 0x80 ? next >= 'a' && next <= 'z' :
			    utf8proc_category((utf8proc_int32_t)next) ==
			    UTF8PROC_CATEGORY_LL;
			if (nextlo)
				us = 1;
		}
		if (us)
			buf_putc(&b, '_');
		us = 0;
		prev = up ? 2 : 1;
		if (up)
			putcp(&b, cp < 0x80 ? lower((int)cp) :
			    utf8proc_tolower((utf8proc_int32_t)cp));
		else
			buf_put(&b, (const char *)s + i, k);
	}
	if (b.len == n && memcmp(b.p, key, n) == 0)
		return key;
	return b.p;
}

/* Dates. */

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
mdays(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's). */
static long
days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

size_t
norm_iso(const struct norm_tm *t, char *buf)
{
	int n;

	n = snprintf(buf, NORM_ISOMAX, "%04d", t->year);
	if (t->prec >= NORM_MONTH)
		n += snprintf(buf + n, NORM_ISOMAX - n, "-%02d", t->mon);
	if (t->prec >= NORM_DAY)
		n += snprintf(buf + n, NORM_ISOMAX - n, "-%02d", t->day);
	if (t->prec >= NORM_HOUR)
		n += snprintf(buf + n, NORM_ISOMAX - n, "T%02d", t->hour);
	if (t->prec >= NORM_MINUTE)
		n += snprintf(buf + n, NORM_ISOMAX - n, ":%02d", t->min);
	if (t->prec >= NORM_SECOND)
		n += snprintf(buf + n, NORM_ISOMAX - n, ":%02d", t->sec);
	if (t->prec >= NORM_SECOND && t->frac[0] != '\0')
		n += snprintf(buf + n, NORM_ISOMAX - n, ".%s", t->frac);
	if (t->prec >= NORM_HOUR && t->zone == NORM_TZ_UTC)
		n += snprintf(buf + n, NORM_ISOMAX - n, "Z");
	else if (t->prec >= NORM_HOUR && t->zone == NORM_TZ_OFF)
		n += snprintf(buf + n, NORM_ISOMAX - n, "%c%02d:%02d",
		    t->tzoff < 0 ? '-' : '+', abs(t->tzoff) / 60,
		    abs(t->tzoff) % 60);
	return (size_t)n;
}

/* Tokens of a human date: numbers, words, and single punctuation. */
enum { T_END, T_NUM, T_WORD, T_PUNCT };
struct tok {
	int		 type;
	long		 val;	/* T_NUM: value; T_PUNCT: the character */
	int		 len;	/* T_NUM: digits; T_WORD: letters */
	int		 ord;	/* T_NUM: had st/nd/rd/th */
	const char	*s;
};
#define MAXTOK	24

static int
tokenize(const char *s, size_t n, struct tok *t)
{
	size_t i = 0;
	int k = 0, d;

	while (i < n) {
		if (k == MAXTOK - 1)
			return -1;
		if (isspc((unsigned char)s[i])) {
			i++;
			continue;
		}
		memset(&t[k], 0, sizeof(t[k]));
		t[k].s = s + i;
		if (isdig(s[i])) {
			t[k].type = T_NUM;
			for (d = 0; i < n && isdig(s[i]); i++, d++)
				if (d < 9)
					t[k].val = t[k].val * 10 +
					    (s[i] - '0');
			t[k].len = d;
			if (i + 1 < n && (strncmp(s + i, "st", 2) == 0 ||
			    strncmp(s + i, "nd", 2) == 0 ||
			    strncmp(s + i, "rd", 2) == 0 ||
			    strncmp(s + i, "th", 2) == 0) &&
			    (i + 2 == n || !isalph(s[i + 2]))) {
				t[k].ord = 1;
				i += 2;
			}
		} else if (isalph(s[i])) {
			t[k].type = T_WORD;
			for (d = 0; i < n && isalph(s[i]); i++)
				d++;
			t[k].len = d;
			if (i < n && s[i] == '.')
				i++;	/* "Feb." */
		} else {
			t[k].type = T_PUNCT;
			t[k].val = (unsigned char)s[i++];
		}
		k++;
	}
	t[k].type = T_END;
	return k;
}

static int
isword_tok(const struct tok *t, const char *w)
{
	return t->type == T_WORD && (size_t)t->len == strlen(w) &&
	    strncmp(t->s, w, (size_t)t->len) == 0;
}

/* Month of a word: full name or its first three letters ("sept" too). */
static int
month(const struct tok *t)
{
	int i;

	if (t->type != T_WORD || t->len < 3)
		return 0;
	for (i = 0; i < 12; i++) {
		if ((size_t)t->len > strlen(monthname[i]))
			continue;
		if (strncmp(t->s, monthname[i], (size_t)t->len) != 0)
			continue;
		if (t->len == 3 || (size_t)t->len == strlen(monthname[i]) ||
		    (i == 8 && t->len == 4))
			return i + 1;
	}
	return 0;
}

static int
weekday(const struct tok *t)
{
	static const char *const wd[] = { "monday", "tuesday", "wednesday",
	    "thursday", "friday", "saturday", "sunday" };
	int i;

	if (t->type != T_WORD || t->len < 3)
		return 0;
	for (i = 0; i < 7; i++)
		if ((size_t)t->len <= strlen(wd[i]) &&
		    strncmp(t->s, wd[i], (size_t)t->len) == 0 &&
		    (t->len == 3 || (size_t)t->len == strlen(wd[i])))
			return i + 1;
	return 0;
}

static int
ispunct_tok(const struct tok *t, int c)
{
	return t->type == T_PUNCT && t->val == c;
}

static int
isyear(const struct tok *t)
{
	return t->type == T_NUM && t->len == 4 && !t->ord && t->val >= 1;
}

static int
isday(const struct tok *t)
{
	return t->type == T_NUM && t->len <= 2 && t->val >= 1 &&
	    t->val <= 31;
}

/* A zone: Z, UTC, GMT, +HH, +HHMM, +HH:MM; returns tokens used or -1. */
static int
zone(const struct tok *t, struct norm_tm *tm)
{
	int sign, h, m = 0, k;

	if (isword_tok(t, "z") || isword_tok(t, "utc") ||
	    isword_tok(t, "gmt")) {
		tm->zone = NORM_TZ_UTC;
		return 1;
	}
	if (!ispunct_tok(t, '+') && !ispunct_tok(t, '-'))
		return -1;
	sign = t->val == '-' ? -1 : 1;
	if (t[1].type != T_NUM || t[1].ord)
		return -1;
	k = 2;
	if (t[1].len == 4) {
		h = (int)t[1].val / 100;
		m = (int)t[1].val % 100;
	} else if (t[1].len == 2) {
		h = (int)t[1].val;
		if (ispunct_tok(&t[2], ':')) {
			if (t[3].type != T_NUM || t[3].len != 2)
				return -1;
			m = (int)t[3].val;
			k = 4;
		}
	} else
		return -1;
	if (h > 14 || m > 59)
		return -1;
	tm->zone = NORM_TZ_OFF;
	tm->tzoff = sign * (h * 60 + m);
	if (tm->tzoff == 0)
		tm->zone = NORM_TZ_UTC;
	return k;
}

/* A time after a date: H:MM[:SS[.frac]] [am|pm] [zone]; or H am|pm. */
static int
timeofday(const struct tok *t, struct norm_tm *tm)
{
	int i = 0, h, k, pm = -1;

	if (isword_tok(&t[i], "at") || isword_tok(&t[i], "t") ||
	    ispunct_tok(&t[i], ','))
		i++;
	if (t[i].type != T_NUM || t[i].len > 2 || t[i].ord)
		return -1;
	h = (int)t[i].val;
	tm->prec = NORM_HOUR;
	i++;
	if (ispunct_tok(&t[i], ':')) {
		if (t[i + 1].type != T_NUM || t[i + 1].len != 2 ||
		    t[i + 1].val > 59)
			return -1;
		tm->min = (int)t[i + 1].val;
		tm->prec = NORM_MINUTE;
		i += 2;
		if (ispunct_tok(&t[i], ':')) {
			if (t[i + 1].type != T_NUM || t[i + 1].len != 2 ||
			    t[i + 1].val > 60)
				return -1;
			tm->sec = (int)t[i + 1].val;
			tm->prec = NORM_SECOND;
			i += 2;
			if ((ispunct_tok(&t[i], '.') || ispunct_tok(&t[i],
			    ',')) && t[i + 1].type == T_NUM && !t[i + 1].ord) {
				if (t[i + 1].len > 9)
					return -1;
				memcpy(tm->frac, t[i + 1].s,
				    (size_t)t[i + 1].len);
				tm->frac[t[i + 1].len] = '\0';
				i += 2;
			}
		}
	} else if (!isword_tok(&t[i], "am") && !isword_tok(&t[i], "pm") &&
	    !isword_tok(&t[i], "a") && !isword_tok(&t[i], "p"))
		return -1;	/* a bare hour needs am or pm */
	if (isword_tok(&t[i], "am") || isword_tok(&t[i], "a"))
		pm = 0;
	else if (isword_tok(&t[i], "pm") || isword_tok(&t[i], "p"))
		pm = 1;
	if (pm >= 0) {
		/* "a.m." tokenizes as "a" then "m" */
		i++;
		if (isword_tok(&t[i], "m"))
			i++;
		if (h < 1 || h > 12)
			return -1;
		h = h % 12 + (pm ? 12 : 0);
	}
	if (h > 23 || (tm->sec == 60 && (h != 23 || tm->min != 59)))
		return -1;
	tm->hour = h;
	if (t[i].type != T_END) {
		if ((k = zone(&t[i], tm)) < 0)
			return -1;
		i += k;
	}
	return t[i].type == T_END ? 0 : -1;
}

static int
setdate(struct norm_tm *tm, long y, long m, long d, int prec)
{
	if (y < 1 || y > 9999 || (prec >= NORM_MONTH && (m < 1 || m > 12)))
		return -1;
	if (prec >= NORM_DAY && (d < 1 || d > mdays((int)y, (int)m)))
		return -1;
	tm->year = (int)y;
	tm->mon = prec >= NORM_MONTH ? (int)m : 0;
	tm->day = prec >= NORM_DAY ? (int)d : 0;
	tm->prec = prec;
	return 0;
}

/* ISO 8601 extended: YYYY[-MM[-DD[(T| )hh[:mm[:ss[.f]]][zone]]]]. */
static int
isodate(const char *s, size_t n, struct norm_tm *tm)
{
	struct tok t[MAXTOK];
	int prec, k;
	long m = 0, d = 0;

	if (n < 4 || !isdig(s[0]) || !isdig(s[1]) || !isdig(s[2]) ||
	    !isdig(s[3]) || (n > 4 && s[4] != '-' && s[4] != '/'))
		return 1;	/* not this form */
	if (n > 4 && (n < 7 || !isdig(s[5]) || !isdig(s[6])))
		return -1;
	if (n > 7 && (s[7] != s[4] || n < 10 || !isdig(s[8]) ||
	    !isdig(s[9])))
		return -1;
	prec = n == 4 ? NORM_YEAR : n == 7 ? NORM_MONTH : NORM_DAY;
	if (n > 4)
		m = (s[5] - '0') * 10 + (s[6] - '0');
	if (n > 7)
		d = (s[8] - '0') * 10 + (s[9] - '0');
	if (setdate(tm, (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
	    (s[2] - '0') * 10 + (s[3] - '0'), m, d, prec) == -1)
		return -1;
	if (n <= 10)
		return 0;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return -1;
	/* hour precision, as norm_iso() writes it: "2026-11-25T09Z" */
	if (n >= 13 && isdig(s[11]) && isdig(s[12]) && (n == 13 ||
	    s[13] == 'z' || s[13] == 'Z' || s[13] == '+' || s[13] == '-')) {
		tm->hour = (s[11] - '0') * 10 + (s[12] - '0');
		if (tm->hour > 23)
			return -1;
		tm->prec = NORM_HOUR;
		if (n == 13)
			return 0;
		if (tokenize(s + 13, n - 13, t) <= 0 || (k = zone(t, tm)) < 0)
			return -1;
		return t[k].type == T_END ? 0 : -1;
	}
	if (tokenize(s + 11, n - 11, t) <= 0)
		return -1;
	return timeofday(t, tm);
}

/*
 * Copies s0[0..n) into s without its leading and trailing white space, in
 * ASCII lower case, NUL-terminated; returns the length, or 0 if nothing
 * is left, it does not fit, or it holds a NUL.
 */
static size_t
lowtrim(const char *s0, size_t n, char *s, size_t size)
{
	size_t i;

	while (n > 0 && isspc((unsigned char)s0[0])) {
		s0++;
		n--;
	}
	while (n > 0 && isspc((unsigned char)s0[n - 1]))
		n--;
	if (n == 0 || n >= size)
		return 0;
	for (i = 0; i < n; i++) {
		if (s0[i] == '\0')
			return 0;
		s[i] = (char)lower((unsigned char)s0[i]);
	}
	s[n] = '\0';
	return n;
}

int
norm_date(const char *s0, size_t n, int flags, struct norm_tm *tm)
{
	struct tok t[MAXTOK];
	char s[128];
	int k, r, p, a, b, sep, wd;

	memset(tm, 0, sizeof(*tm));
	if ((n = lowtrim(s0, n, s, sizeof(s))) == 0)
		return -1;
	if ((r = isodate(s, n, tm)) != 1)
		return r;
	memset(tm, 0, sizeof(*tm));
	if ((k = tokenize(s, n, t)) <= 0)
		return -1;
	p = 0;
	if ((wd = weekday(&t[p])) != 0) {
		p++;
		if (ispunct_tok(&t[p], ','))
			p++;
	}
	if (t[p].type == T_NUM && !t[p].ord && t[p].len <= 2 &&
	    t[p + 1].type == T_PUNCT && (t[p + 1].val == '/' ||
	    t[p + 1].val == '.' || t[p + 1].val == '-') &&
	    t[p + 2].type == T_NUM && !t[p + 2].ord && t[p + 2].len <= 2 &&
	    ispunct_tok(&t[p + 3], (int)t[p + 1].val) && isyear(&t[p + 4])) {
		/* 14/02/2011; dots are always day first */
		sep = (int)t[p + 1].val;
		a = (int)t[p].val;
		b = (int)t[p + 2].val;
		if ((flags & NORM_DAYFIRST) || sep == '.')
			r = setdate(tm, t[p + 4].val, b, a, NORM_DAY);
		else
			r = setdate(tm, t[p + 4].val, a, b, NORM_DAY);
		p += 5;
	} else if (isday(&t[p]) && !isyear(&t[p])) {
		/* 14 February 2011, 14th of Feb 2011, 14-Feb-2011 */
		a = (int)t[p++].val;
		if (isword_tok(&t[p], "of") || ispunct_tok(&t[p], '-'))
			p++;
		if ((b = month(&t[p])) == 0)
			return -1;
		p++;
		if (ispunct_tok(&t[p], '-') || ispunct_tok(&t[p], ','))
			p++;
		if (!isyear(&t[p]))
			return -1;
		r = setdate(tm, t[p++].val, b, a, NORM_DAY);
	} else if ((b = month(&t[p])) != 0) {
		/* February 2011, Feb 14, 2011, February 14th 2011 */
		p++;
		if (isday(&t[p]) && !isyear(&t[p])) {
			a = (int)t[p++].val;
			if (ispunct_tok(&t[p], ','))
				p++;
			if (!isyear(&t[p]))
				return -1;
			r = setdate(tm, t[p++].val, b, a, NORM_DAY);
		} else {
			if (ispunct_tok(&t[p], ','))
				p++;
			if (!isyear(&t[p]))
				return -1;
			r = setdate(tm, t[p++].val, b, 0, NORM_MONTH);
		}
	} else if (isyear(&t[p]) && t[p + 1].type == T_END) {
		r = setdate(tm, t[p++].val, 0, 0, NORM_YEAR);
	} else
		return -1;
	if (r == -1)
		return -1;
	/* a weekday must name a day, and the right one: 1970-01-01 was a
	 * Thursday */
	if (wd != 0 && (tm->prec != NORM_DAY || ((days_from_civil(tm->year,
	    tm->mon, tm->day) % 7 + 10) % 7) + 1 != wd))
		return -1;
	if (t[p].type == T_END)
		return 0;
	if (tm->prec != NORM_DAY)
		return -1;
	return timeofday(&t[p], tm);
}

/* Ages. */

enum { U_SEC, U_MIN, U_HOUR, U_DAY, U_WEEK, U_MONTH, U_YEAR };

static const struct {
	const char	*name;
	int		 unit;
} units[] = {
	{ "s", U_SEC }, { "sec", U_SEC }, { "secs", U_SEC },
	{ "second", U_SEC }, { "seconds", U_SEC },
	{ "m", U_MIN }, { "min", U_MIN }, { "mins", U_MIN },
	{ "minute", U_MIN }, { "minutes", U_MIN },
	{ "h", U_HOUR }, { "hr", U_HOUR }, { "hrs", U_HOUR },
	{ "hour", U_HOUR }, { "hours", U_HOUR },
	{ "d", U_DAY }, { "day", U_DAY }, { "days", U_DAY },
	{ "w", U_WEEK }, { "wk", U_WEEK }, { "wks", U_WEEK },
	{ "week", U_WEEK }, { "weeks", U_WEEK },
	{ "mo", U_MONTH }, { "mos", U_MONTH }, { "month", U_MONTH },
	{ "months", U_MONTH },
	{ "y", U_YEAR }, { "yr", U_YEAR }, { "yrs", U_YEAR },
	{ "year", U_YEAR }, { "years", U_YEAR }
};

/* Seconds since the epoch of a time, its zone taken off. */
static long long
epoch(const struct norm_tm *t)
{
	long long e;

	e = (long long)days_from_civil(t->year, t->prec >= NORM_MONTH ?
	    t->mon : 1, t->prec >= NORM_DAY ? t->day : 1) * 86400;
	e += (long long)t->hour * 3600 + t->min * 60 + t->sec;
	if (t->zone == NORM_TZ_OFF)
		e -= (long long)t->tzoff * 60;
	return e;
}

static int
fromepoch(long long e, int prec, struct norm_tm *t)
{
	long long days, rem;
	int y, m, d;

	days = e >= 0 ? e / 86400 : -((-e + 86399) / 86400);
	rem = e - days * 86400;
	civil_from_days((long)days, &y, &m, &d);
	if (y < 1 || y > 9999)
		return -1;
	memset(t, 0, sizeof(*t));
	t->year = y;
	t->mon = m;
	t->day = d;
	t->hour = (int)(rem / 3600);
	t->min = (int)(rem / 60 % 60);
	t->sec = (int)(rem % 60);
	t->prec = prec;
	t->zone = prec >= NORM_HOUR ? NORM_TZ_UTC : NORM_TZ_NONE;
	if (prec < NORM_SECOND)
		t->sec = 0;
	if (prec < NORM_MINUTE)
		t->min = 0;
	if (prec < NORM_HOUR)
		t->hour = 0;
	if (prec < NORM_DAY)
		t->day = 0;
	return 0;
}

/* now minus k months, the day clamped to the month's length. */
static int
minusmonths(long long e, long k, int prec, struct norm_tm *t)
{
	struct norm_tm u;
	long mm;
	int y, m, d;

	if (fromepoch(e, NORM_SECOND, &u) == -1)
		return -1;
	mm = (long)u.year * 12 + (u.mon - 1) - k;
	if (mm < 12 || mm > 9999L * 12 + 11)
		return -1;
	y = (int)(mm / 12);
	m = (int)(mm % 12) + 1;
	d = u.day > mdays(y, m) ? mdays(y, m) : u.day;
	return fromepoch((long long)days_from_civil(y, m, d) * 86400 +
	    u.hour * 3600 + u.min * 60 + u.sec, prec, t);
}

/* now minus k units, at the given precision. */
static int
minus(long long e, long k, int unit, int prec, struct norm_tm *t)
{
	static const long long secs[] = { 1, 60, 3600, 86400, 604800 };

	if (unit == U_MONTH)
		return minusmonths(e, k, prec, t);
	if (unit == U_YEAR)
		return minusmonths(e, k * 12, prec, t);
	return fromepoch(e - k * secs[unit], prec, t);
}

int
norm_age(const char *s0, size_t n, const struct norm_tm *now,
    struct norm_tm *at, struct norm_tm *from, struct norm_tm *to)
{
	static const int uprec[] = { NORM_SECOND, NORM_MINUTE, NORM_HOUR,
	    NORM_DAY, NORM_DAY, NORM_MONTH, NORM_MONTH };
	struct tok t[MAXTOK];
	char s[64];
	size_t j;
	long long e;
	long k;
	int nt, p = 0, unit = -1, bprec;

	if ((n = lowtrim(s0, n, s, sizeof(s))) == 0)
		return -1;
	if ((nt = tokenize(s, n, t)) <= 0)
		return -1;
	e = epoch(now);
	if (strcmp(s, "just now") == 0 || strcmp(s, "now") == 0 ||
	    strcmp(s, "moments ago") == 0 || strcmp(s, "a moment ago") == 0 ||
	    strcmp(s, "a few seconds ago") == 0 ||
	    strcmp(s, "seconds ago") == 0) {
		if (fromepoch(e, NORM_MINUTE, at) == -1 ||
		    fromepoch(e - 60, NORM_SECOND, from) == -1)
			return -1;
		return fromepoch(e, NORM_SECOND, to);
	}
	if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0) {
		k = s[0] == 'y';
		if (minus(e, k, U_DAY, NORM_DAY, at) == -1)
			return -1;
		*from = *at;
		*to = *at;
		return 0;
	}
	if (isword_tok(&t[0], "last") && nt == 2) {
		k = 1;
		p = 1;
	} else if (isword_tok(&t[0], "a") || isword_tok(&t[0], "an") ||
	    isword_tok(&t[0], "one")) {
		k = 1;
		p = 1;
	} else if (t[0].type == T_NUM && !t[0].ord && t[0].len <= 6) {
		k = t[0].val;
		p = 1;
	} else
		return -1;
	if (t[p].type != T_WORD)
		return -1;
	for (j = 0; j < sizeof(units) / sizeof(units[0]); j++)
		if (isword_tok(&t[p], units[j].name))
			unit = units[j].unit;
	if (unit == -1)
		return -1;
	/* "a m ago" or "last s" read badly: only spelt-out units there */
	if (t[p].len <= 2 && t[0].type != T_NUM)
		return -1;
	p++;
	if (isword_tok(&t[0], "last")) {
		/* only these three: "last hour" would read as 1-2 hours */
		if (t[p].type != T_END || (!isword_tok(&t[1], "week") &&
		    !isword_tok(&t[1], "month") && !isword_tok(&t[1], "year")))
			return -1;
	} else if (!isword_tok(&t[p++], "ago") || t[p].type != T_END)
		return -1;
	bprec = unit >= U_DAY ? NORM_DAY : NORM_SECOND;
	if (minus(e, k, unit, uprec[unit], at) == -1 ||
	    minus(e, k + 1, unit, bprec, from) == -1 ||
	    minus(e, k, unit, bprec, to) == -1)
		return -1;
	return 0;
}

void
norm_now(struct norm_tm *t)
{
	if (fromepoch((long long)time(NULL), NORM_SECOND, t) == -1)
		fromepoch(0, NORM_SECOND, t);
}

/* Counts. */

/*
 * A magnitude word at s ("thousand", "million", "billion", any case, not
 * followed by a letter): its length, with the power of ten in *shift; 0
 * if there is none.
 */
static size_t
magnitude(const char *s, size_t n, int *shift)
{
	static const char *const w[] = { "thousand", "million", "billion" };
	size_t i, k, len;

	for (i = 0; i < 3; i++) {
		len = strlen(w[i]);
		if (n < len || (n > len && isalph(s[len])))
			continue;
		for (k = 0; k < len && lower(s[k]) == w[i][k]; k++)
			;
		if (k == len) {
			*shift = 3 * (int)(i + 1);
			return len;
		}
	}
	return 0;
}

int
norm_count(const char *s, size_t n, char *buf, size_t bufsz, int *more)
{
	char ip[64], fp[64];
	size_t i = 0, j, k, ni = 0, nf = 0, grp, len;
	int neg = 0, shift = 0, comma = 0, gap;

	*more = 0;
	while (i < n && isspc((unsigned char)s[i]))
		i++;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	if (i >= n || !isdig(s[i]))
		return -1;
	grp = 0;
	for (; i < n; i++) {
		if (isdig(s[i])) {
			if (ni == sizeof(ip) - 1)
				return -1;
			ip[ni++] = s[i];
			grp++;
			continue;
		}
		/* thousands: 1,234,567 (groups of three after the first) */
		if (s[i] == ',' && i + 1 < n && isdig(s[i + 1])) {
			if ((comma && grp != 3) || (!comma && grp > 3))
				return -1;
			comma = 1;
			grp = 0;
			continue;
		}
		break;
	}
	if (comma && grp != 3)
		return -1;
	if (i < n && s[i] == '.' && i + 1 < n && isdig(s[i + 1])) {
		for (i++; i < n && isdig(s[i]); i++) {
			if (nf == sizeof(fp) - 1)
				return -1;
			fp[nf++] = s[i];
		}
	}
	j = i;
	while (i < n && s[i] == ' ')
		i++;
	gap = i > j;
	if (i < n && (s[i] == 'k' || s[i] == 'K' || s[i] == 'm' ||
	    s[i] == 'M' || s[i] == 'b' || s[i] == 'B') &&
	    (i + 1 == n || !isalph(s[i + 1]))) {
		shift = lower(s[i]) == 'k' ? 3 : lower(s[i]) == 'm' ? 6 : 9;
		i++;
		gap = 0;
	} else if ((k = magnitude(s + i, n - i, &shift)) > 0) {
		i += k;
		gap = 0;
	}
	if (i < n && s[i] == '+') {
		*more = 1;
		i++;
		gap = 0;
	}
	j = i;
	while (i < n && isspc((unsigned char)s[i]))
		i++;
	gap |= i > j;
	if (i < n && s[i] == '%')
		i++;
	else if (gap)
		/*
		 * a trailing word after white space: "830 upvotes", "12
		 * results"; one stuck to the number ("1.2kb", "5px") is a
		 * unit, not a count
		 */
		while (i < n && (isalph(s[i]) || s[i] == ' '))
			i++;
	while (i < n && isspc((unsigned char)s[i]))
		i++;
	if (i != n)
		return -1;
	/* move the point right by shift digits */
	while (shift > 0) {
		if (ni == sizeof(ip) - 1)
			return -1;
		if (nf > 0) {
			ip[ni++] = fp[0];
			memmove(fp, fp + 1, --nf);
		} else
			ip[ni++] = '0';
		shift--;
	}
	while (ni > 1 && ip[0] == '0')
		memmove(ip, ip + 1, --ni);
	while (nf > 0 && fp[nf - 1] == '0')
		nf--;
	if (ni == 1 && ip[0] == '0' && nf == 0)
		neg = 0;
	len = (size_t)neg + ni + (nf > 0 ? nf + 1 : 0);
	if (len + 1 > bufsz)
		return -1;
	i = 0;
	if (neg)
		buf[i++] = '-';
	memcpy(buf + i, ip, ni);
	i += ni;
	if (nf > 0) {
		buf[i++] = '.';
		memcpy(buf + i, fp, nf);
		i += nf;
	}
	buf[i] = '\0';
	return (int)i;
}

/* research.c - the research site's pages, read from their lines into study,
 * post, cited, similar, result and article records. */
#include <string.h>

#include "rec.h"
#include "research.h"

#define LQ	"\xe2\x80\x9c"	/* left double quotation mark */
#define RQ	"\xe2\x80\x9d"	/* right double quotation mark */
#define RARROW	"\xe2\x86\x92"
#define LARROW	"\xe2\x86\x90"
#define DEBRIS	"[object Object]"
#define MAXTOK	48

/* What a line is, by its words. */
enum kind {
	K_BLANK, K_TEXT, K_TLDR, K_IMAGE, K_ACTION, K_HDR, K_COUNTER,
	K_COMMUNITY, K_VOTE, K_CITES, K_COMMA, K_RTITLE, K_DATE, K_INOPEN,
	K_CLOSEQ, K_BACK
};

/* Sections of a page, in the order a study page shows them. */
enum sect { S_NONE, S_CITED, S_POSTS, S_SIMILAR, S_RELATED, S_RESULT, S_N };

/* Date lines: "May 2011", "May 2011 in “J", "May 2011 in “J” finding". */
enum { D_ALONE, D_JOURNAL, D_OPEN, D_ENTRY };

/* URL hints. */
enum { U_NONE, U_STUDY, U_SEARCH, U_LEARN };

/* Content ahead of a counter. */
enum { C_NONE, C_POSTS, C_RESEARCH };

struct str {
	const char	*s;	/* NULL: not shown */
	size_t		 n;
};

struct line {
	struct str	 t;	/* the line, trimmed */
	struct str	 a, b, c;
	int		 kind;
	int		 sect;	/* K_HDR */
	int		 flag;	/* K_HDR: counter glued; K_DATE: D_* */
};

enum { F_TITLE, F_COMMUNITY, F_UPVOTES, F_AGE, F_SUMMARY, F_CITES = 1,
    F_PUB, F_JOURNAL, F_TLDR, F_MAX = 5 };

struct item {
	int		 sect;
	struct str	 f[F_MAX];
};

struct pg {
	struct arena	*a;
	struct line	*l;
	size_t		 n;
	int		 hint;
	int		 is_study;
	/* study */
	struct str	 title, published, journal, authors, tldr, summary;
	struct str	 link;
	int		 has_link;
	struct str	 shown[S_N], total[S_N];
	int		 counted[S_N];
	int		 marker;
	/* lists */
	struct item	*it;
	size_t		 nit, capit;
	int		 sect;
	int		 seen[S_N];
	struct item	 cur;
	int		 active, has_vote, has_body;
	struct str	 pending;
};

/* Full names first: "Sept" before "Sep", "June" before "Jun". */
static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
	"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep",
	"Oct", "Nov", "Dec"
};

static const char *const units[] = {
	"second", "minute", "hour", "day", "week", "month", "year",
	"sec", "min", "hr", "wk", "mo", "yr"
};

static const struct {
	const char	*text;
	int		 sect;
} headers[] = {
	{ "research cited in this study", S_CITED },
	{ "cited in this study", S_CITED },
	{ "related community posts", S_POSTS },
	{ "community posts", S_POSTS },
	{ "similar research", S_SIMILAR },
	{ "related research", S_SIMILAR },
	{ "related", S_RELATED }
};

static const char *const particles[] = {
	"al", "bin", "da", "das", "de", "del", "della", "der", "di", "do",
	"dos", "du", "el", "ibn", "la", "le", "ten", "ter", "van", "von",
	"y", "zu"
};

#define NELEM(x)	(sizeof(x) / sizeof((x)[0]))

/*
 * White space as pages have it: ASCII, the no-break spaces, the typographic
 * spaces, zero-width space and a stray byte order mark.  Returns the length
 * of the white space character at p, or 0.
 */
static size_t
wsat(const char *sp, const char *ep)
{
	const unsigned char *p = (const unsigned char *)sp;
	size_t n = (size_t)(ep - sp);

	if (n == 0)
		return 0;
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' ||
	    *p == '\v')
		return 1;
	if (*p < 0xc2 || n < 2)
		return 0;
	if (p[0] == 0xc2 && p[1] == 0xa0)
		return 2;
	if (n < 3)
		return 0;
	if (p[0] == 0xe2 && p[1] == 0x80 &&
	    ((p[2] >= 0x80 && p[2] <= 0x8b) || p[2] == 0xaf))
		return 3;
	if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
		return 3;
	if ((p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) ||
	    (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf))
		return 3;
	return 0;
}

/* The length of the white space character that ends at ep, or 0. */
static size_t
wsend(const char *sp, const char *ep)
{
	size_t k;

	for (k = 1; k <= 3 && k <= (size_t)(ep - sp); k++)
		if (wsat(ep - k, ep) == k)
			return k;
	return 0;
}

static struct str
trim(struct str x)
{
	const char *p, *e;
	size_t k;

	if (x.s == NULL)
		return x;
	p = x.s;
	e = x.s + x.n;
	while (p < e && (k = wsat(p, e)) > 0)
		p += k;
	while (e > p && (k = wsend(p, e)) > 0)
		e -= k;
	x.s = p;
	x.n = (size_t)(e - p);
	return x;
}

static struct str
mkstr(const char *s, size_t n)
{
	struct str x;

	x.s = s;
	x.n = n;
	return x;
}

static struct str nostr;

/* memmem(), which POSIX does not have. */
static const char *
find(const char *s, size_t n, const char *pat)
{
	const char *p, *e;
	size_t m = strlen(pat);

	if (n < m)
		return NULL;
	e = s + n - m;
	for (p = s; p <= e; p++) {
		if ((p = memchr(p, pat[0], (size_t)(e - p) + 1)) == NULL)
			return NULL;
		if (memcmp(p, pat, m) == 0)
			return p;
	}
	return NULL;
}

static int
eq(struct str x, const char *lit)
{
	return x.s != NULL && x.n > 0 && x.s[0] == lit[0] &&
	    x.n == strlen(lit) && memcmp(x.s, lit, x.n) == 0;
}

static int
streq(struct str x, struct str y)
{
	return x.s != NULL && y.s != NULL && x.n == y.n &&
	    memcmp(x.s, y.s, x.n) == 0;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

/* Does x start with lit, ignoring ASCII case?  Then the length of lit. */
static size_t
prefix(struct str x, const char *lit, int icase)
{
	size_t i, n;

	/* most lines fail on the first byte: spare them the strlen() */
	if (x.s == NULL || x.n == 0 ||
	    (icase ? lower((unsigned char)x.s[0]) : x.s[0]) != lit[0])
		return 0;
	n = strlen(lit);
	if (x.n < n)
		return 0;
	for (i = 0; i < n; i++) {
		if (icase ? lower((unsigned char)x.s[i]) != lit[i] :
		    x.s[i] != lit[i])
			return 0;
	}
	return n;
}

static struct str
after(struct str x, size_t k)
{
	return trim(mkstr(x.s + k, x.n - k));
}

/*
 * A label glued or not to what follows it ("community Title",
 * "communityTitle"): the label must not run into a lower case word.
 */
static int
label(struct str x, const char *lab, struct str *rest)
{
	size_t k;
	unsigned char c;

	if ((k = prefix(x, lab, 0)) == 0)
		return 0;
	if (k < x.n) {
		c = (unsigned char)x.s[k];
		if ((c >= 'a' && c <= 'z') || c == '-' || c == '\'')
			return 0;
	}
	*rest = after(x, k);
	return 1;
}

/* A count as shown: digits, maybe with thousands separators. */
static int
count(struct str x)
{
	size_t i;

	if (x.s == NULL || x.n == 0 || !isdig((unsigned char)x.s[0]))
		return 0;
	for (i = 0; i < x.n; i++)
		if (!isdig((unsigned char)x.s[i]) && x.s[i] != ',')
			return 0;
	return 1;
}

/* Splits x at white space into at most MAXTOK tokens; -1 if more. */
static int
tokens(struct str x, struct str *tok)
{
	const char *p, *e, *w;
	size_t k;
	int n = 0;

	p = x.s;
	e = x.s + x.n;
	while (p < e) {
		while (p < e && (k = wsat(p, e)) > 0)
			p += k;
		if (p == e)
			break;
		w = p;
		while (p < e && wsat(p, e) == 0)
			p++;
		if (n == MAXTOK)
			return -1;
		tok[n++] = mkstr(w, (size_t)(p - w));
	}
	return n;
}

/* "N / M results", "N / 1000+ results", "N / results", "N / NoResults" */
static int
counter(struct str x, struct str *shown, struct str *total)
{
	size_t i, k;
	struct str r, t;

	for (i = 0; i < x.n && (isdig((unsigned char)x.s[i]) ||
	    (i > 0 && x.s[i] == ',')); i++)
		;
	if (i == 0)
		return 0;
	*shown = mkstr(x.s, i);
	r = after(x, i);
	if (r.n == 0 || r.s[0] != '/')
		return 0;
	r = after(r, 1);
	if (eq(r, "NoResults") || eq(r, "No Results") || eq(r, "No results")) {
		*total = nostr;
		return 1;
	}
	if (r.n >= 7 && memcmp(r.s + r.n - 7, "results", 7) == 0)
		k = 7;
	else if (r.n >= 6 && memcmp(r.s + r.n - 6, "result", 6) == 0)
		k = 6;
	else
		return 0;
	t = trim(mkstr(r.s, r.n - k));
	if (t.n == 0) {
		*total = nostr;
		return 1;
	}
	if (t.s[t.n - 1] == '+')
		t.n--;
	if (!count(t))
		return 0;
	*total = trim(mkstr(r.s, r.n - k));
	return 1;
}

/* A section header, maybe with "Join" and a counter glued on. */
static int
header(struct line *l)
{
	size_t i, k;
	struct str r;

	if (strchr("rRcCsS", l->t.s[0]) == NULL)
		return 0;
	for (i = 0; i < NELEM(headers); i++) {
		if ((k = prefix(l->t, headers[i].text, 1)) == 0)
			continue;
		r = after(l->t, k);
		if (k < l->t.n && r.s == l->t.s + k && r.n > 0 &&
		    lower((unsigned char)r.s[0]) != 'j' &&
		    !isdig((unsigned char)r.s[0]))
			continue;	/* runs into a word */
		if ((k = prefix(r, "join", 1)) > 0)
			r = after(r, k);
		l->sect = headers[i].sect;
		if (r.n == 0)
			return 1;
		if (counter(r, &l->a, &l->b)) {
			l->flag = 1;
			return 1;
		}
		return 0;
	}
	return 0;
}

/* "N citations" with or without its comma. */
static int
cites(struct line *l)
{
	struct str r;
	size_t i, k;

	for (i = 0; i < l->t.n && (isdig((unsigned char)l->t.s[i]) ||
	    (i > 0 && l->t.s[i] == ',')); i++)
		;
	if (i == 0)
		return 0;
	l->a = mkstr(l->t.s, i);
	r = after(l->t, i);
	if (r.s == l->t.s + i)
		return 0;		/* "12citations" */
	if ((k = prefix(r, "citations", 0)) == 0 &&
	    (k = prefix(r, "citation", 0)) == 0)
		return 0;
	r = after(r, k);
	if (r.n == 0)
		return 1;
	if (r.s[0] != ',')
		return 0;
	r = after(r, 1);
	/* the entry's date line run into it: "48 citations, May 2011 ..." */
	l->b = r.n > 0 ? r : nostr;
	return 1;
}

/* The journal between the quotes: without them and without stray spaces. */
static struct str
journal(struct str x)
{
	x = trim(x);
	while (prefix(x, LQ, 0) || prefix(x, "\"", 0)) {
		x = prefix(x, LQ, 0) ? after(x, 3) : after(x, 1);
	}
	for (;;) {
		if (x.n >= 3 && memcmp(x.s + x.n - 3, RQ, 3) == 0)
			x = trim(mkstr(x.s, x.n - 3));
		else if (x.n >= 1 && x.s[x.n - 1] == '"')
			x = trim(mkstr(x.s, x.n - 1));
		else
			break;
	}
	return x.n == 0 ? nostr : x;
}

/* "in “J...": the part after "in" and its quote; 0 if x is not that. */
static int
inquote(struct str x, struct str *rest)
{
	size_t k;

	if ((k = prefix(x, "in", 0)) == 0)
		return 0;
	x = after(x, k);
	if ((k = prefix(x, LQ, 0)) == 0 && (k = prefix(x, "\"", 0)) == 0)
		return 0;
	*rest = after(x, k);
	return 1;
}

/* Where the closing quote of a journal is, or x.n. */
static size_t
quoteend(struct str x)
{
	const char *q;
	size_t k;

	for (k = 0; k + 3 <= x.n; k++)
		if (memcmp(x.s + k, RQ, 3) == 0)
			return k;
	if ((q = memchr(x.s, '"', x.n)) != NULL)
		return (size_t)(q - x.s);
	return x.n;
}

static int
date(struct line *l)
{
	struct str r, j;
	size_t i, k;
	const char *q;

	if (strchr("JFMASOND", l->t.s[0]) == NULL)
		return 0;
	for (i = 0; i < NELEM(months); i++)
		if ((k = prefix(l->t, months[i], 0)) > 0 && k < l->t.n &&
		    wsat(l->t.s + k, l->t.s + l->t.n) > 0)
			break;		/* not "Mayhem" */
	if (i == NELEM(months))
		return 0;
	r = after(l->t, k);
	for (k = 0; k < r.n && k < 5 && isdig((unsigned char)r.s[k]); k++)
		;
	if (k != 4 || (k < r.n && wsat(r.s + k, r.s + r.n) == 0))
		return 0;
	l->a = mkstr(l->t.s, (size_t)(r.s + 4 - l->t.s));
	r = after(r, 4);
	l->kind = K_DATE;
	if (r.n == 0) {
		l->flag = D_ALONE;
		return 1;
	}
	if (inquote(r, &j)) {
		/* the closing quote: the journal ends there */
		q = NULL;
		for (k = 0; k + 3 <= j.n; k++)
			if (memcmp(j.s + k, RQ, 3) == 0) {
				q = j.s + k;
				break;
			}
		if (q == NULL && (q = memchr(j.s, '"', j.n)) != NULL)
			k = (size_t)(q - j.s);
		if (q == NULL) {
			l->b = journal(j);
			l->flag = j.n == 0 ? D_OPEN : D_JOURNAL;
			return 1;
		}
		l->b = journal(mkstr(j.s, k));
		l->c = after(j, k + (*q == '"' ? 1 : 3));
		if (l->c.n == 0)
			l->c = nostr;
		l->flag = l->c.s != NULL ? D_ENTRY : D_JOURNAL;
		return 1;
	}
	if (eq(r, "in")) {
		l->flag = D_OPEN;
		return 1;
	}
	l->c = r;
	l->flag = D_ENTRY;
	return 1;
}

static int
unit(struct str x)
{
	size_t i, k;

	for (i = 0; i < NELEM(units); i++) {
		k = strlen(units[i]);
		if ((x.n == k || (x.n == k + 1 && x.s[k] == 's')) &&
		    memcmp(x.s, units[i], k) == 0)
			return 1;
	}
	return 0;
}

/* "in Community  N upvotes age", each part but one optional. */
static int
vote(struct line *l)
{
	struct str tok[MAXTOK];
	int i, n, j, has = 0;

	/* cheap refusal first: summaries are long and never end so */
	if (l->t.n > 400 || (!(l->t.n >= 3 &&
	    memcmp(l->t.s + l->t.n - 3, "ago", 3) == 0) &&
	    find(l->t.s, l->t.n, "upvote") == NULL))
		return 0;
	if ((n = tokens(l->t, tok)) < 2)
		return 0;
	/* "in Chat · 12 upvotes · 3 days ago" */
	for (i = j = 0; i < n; i++)
		if (!eq(tok[i], "\xc2\xb7") && !eq(tok[i], "\xe2\x80\xa2") &&
		    !eq(tok[i], "|"))
			tok[j++] = tok[i];
	n = j;
	j = n;
	if (j >= 3 && eq(tok[j - 1], "ago") && unit(tok[j - 2]) &&
	    (count(tok[j - 3]) || eq(tok[j - 3], "a") ||
	    eq(tok[j - 3], "an"))) {
		l->c = mkstr(tok[j - 3].s,
		    (size_t)(tok[j - 1].s + 3 - tok[j - 3].s));
		j -= 3;
		has = 1;
	}
	if (j >= 2 && (eq(tok[j - 1], "upvotes") ||
	    eq(tok[j - 1], "upvote")) && count(tok[j - 2])) {
		l->b = tok[j - 2];
		j -= 2;
		has = 1;
	}
	if (!has)
		return 0;
	if (j == 0)
		return 1;
	if (!eq(tok[0], "in") || j < 2 || j > 9)
		return 0;
	l->a = trim(mkstr(tok[1].s,
	    (size_t)(tok[j - 1].s + tok[j - 1].n - tok[1].s)));
	return 1;
}

static void
classify(struct line *l)
{
	struct str r;
	size_t k;

	l->a = l->b = l->c = nostr;
	if (l->t.n == 0) {
		l->kind = K_BLANK;
		return;
	}
	l->kind = K_TEXT;
	if (eq(l->t, "Join")) {
		l->kind = K_BLANK;	/* the button, on a line of its own */
		return;
	}
	if (eq(l->t, ",")) {
		l->kind = K_COMMA;
		return;
	}
	if (eq(l->t, RQ) || eq(l->t, "\"")) {
		l->kind = K_CLOSEQ;
		return;
	}
	if (isdig((unsigned char)l->t.s[0])) {
		if (counter(l->t, &l->a, &l->b)) {
			l->kind = K_COUNTER;
			return;
		}
		if (cites(l)) {
			l->kind = K_CITES;
			return;
		}
	}
	if (header(l)) {
		l->kind = K_HDR;
		return;
	}
	l->a = l->b = nostr;
	if ((k = prefix(l->t, "TLDR", 0)) > 0 ||
	    (k = prefix(l->t, "TL;DR", 0)) > 0) {
		if (k == l->t.n || l->t.s[k] < 'a' || l->t.s[k] > 'z') {
			l->kind = K_TLDR;
			l->a = after(l->t, k);
			if (l->a.n > 0 && l->a.s[0] == ':')
				l->a = after(l->a, 1);
			return;
		}
	}
	if (prefix(l->t, "image of study", 1) == l->t.n &&
	    l->t.n == strlen("image of study")) {
		l->kind = K_IMAGE;
		return;
	}
	if (prefix(l->t, "Discuss this study", 0) > 0) {
		l->kind = K_ACTION;
		return;
	}
	if ((k = prefix(l->t, "View this study on", 0)) > 0) {
		l->kind = K_ACTION;
		r = after(l->t, k);
		if (r.n >= 3 && memcmp(r.s + r.n - 3, RARROW, 3) == 0)
			r = trim(mkstr(r.s, r.n - 3));
		l->a = r.n > 0 ? r : nostr;
		return;
	}
	if ((k = prefix(l->t, LARROW, 0)) > 0) {
		r = after(l->t, k);
		if ((k = prefix(r, "back to", 1)) > 0) {
			l->kind = K_BACK;
			l->a = after(r, k);
			if (l->a.n == 0)
				l->a = nostr;
			return;
		}
	}
	if (date(l))
		return;
	l->a = l->b = l->c = nostr;
	l->flag = 0;
	if (inquote(l->t, &r)) {
		l->kind = K_INOPEN;
		if ((k = quoteend(r)) < r.n) {
			l->a = journal(mkstr(r.s, k));
			l->c = after(r, k + (r.s[k] == '"' ? 1 : 3));
			if (l->c.n == 0)
				l->c = nostr;
		} else
			l->a = journal(r);
		return;
	}
	if (vote(l)) {
		l->kind = K_VOTE;
		return;
	}
	l->a = l->b = l->c = nostr;
	if (label(l->t, "community", &l->a)) {
		l->kind = K_COMMUNITY;
		return;
	}
	if (label(l->t, "research", &l->a) && l->a.n > 0) {
		l->kind = K_RTITLE;
		return;
	}
	l->a = nostr;
}

/* Splits the text into trimmed lines, debris taken out. */
static void
split(struct pg *p, const char *text, size_t len)
{
	const char *s, *e, *nl, *nlc, *d;
	size_t cap, k;
	int debris;
	struct buf b;

	debris = len >= strlen(DEBRIS) &&
	    find(text, len, DEBRIS) != NULL;
	cap = 64;
	p->l = arena_alloc(p->a, cap, sizeof(*p->l));
	p->n = 0;
	s = text;
	e = text + len;
	nlc = NULL;
	while (s < e) {
		/* the next newline is remembered: CR-only text stays linear */
		if (nlc == NULL || nlc < s) {
			nlc = memchr(s, '\n', (size_t)(e - s));
			if (nlc == NULL)
				nlc = e;
		}
		nl = nlc;
		if (p->n == cap) {
			p->l = arena_realloc(p->a, p->l, cap * sizeof(*p->l),
			    2 * cap * sizeof(*p->l));
			cap *= 2;
		}
		k = (size_t)(nl - s);
		/* a lone CR ends a line too */
		if ((d = memchr(s, '\r', k)) != NULL && d + 1 < nl &&
		    d[1] != '\n') {
			nl = d;
			k = (size_t)(nl - s);
		}
		p->l[p->n].t = trim(mkstr(s, k));
		if (debris && p->l[p->n].t.n > 0 &&
		    find(s, k, DEBRIS) != NULL) {
			buf_init(&b, p->a);
			while ((d = find(s, k, DEBRIS)) !=
			    NULL) {
				buf_put(&b, s, (size_t)(d - s));
				k -= (size_t)(d - s) + strlen(DEBRIS);
				s = d + strlen(DEBRIS);
			}
			buf_put(&b, s, k);
			p->l[p->n].t = trim(mkstr(b.p, b.len));
		}
		p->n++;
		s = nl + 1;
	}
}

/* The next line that is not blank, from i on; p->n if none. */
static size_t
next(const struct pg *p, size_t i)
{
	while (i < p->n && p->l[i].kind == K_BLANK)
		i++;
	return i;
}

/* Keywords joined by two spaces; no commas, no full stop. */
static int
keywords(struct str x)
{
	size_t i, k;
	int dbl = 0;

	if (x.n == 0 || x.s[x.n - 1] == '.' || memchr(x.s, ',', x.n) != NULL)
		return 0;
	for (i = 0; i < x.n && !dbl; i++) {
		if (x.s[i] != ' ' && (unsigned char)x.s[i] < 0x80)
			continue;
		if ((k = wsat(x.s + i, x.s + x.n)) > 0 &&
		    wsat(x.s + i + k, x.s + x.n) > 0)
			dbl = 1;
	}
	return dbl;
}

static int
isparticle(struct str w)
{
	size_t i;

	for (i = 0; i < NELEM(particles); i++)
		if (eq(w, particles[i]))
			return 1;
	return 0;
}

/*
 * Does a lone line look like an author list rather than a title?  Two or
 * more comma-separated names, most of them of two words or more, every
 * word capitalized, an initial or a particle.
 */
static int
authorlike(struct str x)
{
	struct str tok[MAXTOK], part;
	const char *p, *e, *c;
	int nparts = 0, multi = 0, n, i;
	unsigned char ch;

	if (x.s == NULL || x.n == 0 || x.n > 2000)
		return 0;
	p = x.s;
	e = x.s + x.n;
	while (p <= e) {
		c = memchr(p, ',', (size_t)(e - p));
		if (c == NULL)
			c = e;
		part = trim(mkstr(p, (size_t)(c - p)));
		p = c + 1;
		if (part.n == 0)
			return 0;
		if ((n = tokens(part, tok)) < 1 || n > 5 || part.n > 48)
			return 0;
		nparts++;
		if (n >= 2)
			multi++;
		for (i = 0; i < n; i++) {
			ch = (unsigned char)tok[i].s[0];
			if (isdig(ch))
				return 0;
			if (ch >= 'a' && ch <= 'z' && !isparticle(tok[i]))
				return 0;
			if (tok[i].s[tok[i].n - 1] == '.' && tok[i].n > 4)
				return 0;
		}
		if (c == e)
			break;
	}
	return nparts >= 2 && multi * 2 >= nparts;
}

static void
addstr(struct str *dst, struct str x)
{
	if (dst->s == NULL)
		*dst = x;
}

/*
 * The date line and, in the flat rendering, the journal lines after it:
 * "in “", the journal (or a blank line: no journal), "”".
 */
static size_t
dateline(struct pg *p, size_t i)
{
	struct line *l = &p->l[i];
	size_t j;

	p->published = l->a;
	p->journal = l->b;
	p->marker = 1;
	if (l->flag == D_ALONE) {
		j = next(p, i + 1);
		if (j == p->n || p->l[j].kind != K_INOPEN)
			return i;
		i = j;
		if (p->l[j].a.s != NULL) {
			p->journal = p->l[j].a;
			j = next(p, i + 1);
			if (j < p->n && p->l[j].kind == K_CLOSEQ)
				i = j;
			return i;
		}
	} else if (l->flag != D_OPEN)
		return i;
	/* after an open quote: the journal on the next line, if any */
	j = i + 1;
	if (j >= p->n || p->l[j].kind == K_BLANK) {
		j = next(p, j);
		if (j < p->n && p->l[j].kind == K_CLOSEQ)
			return j;
		return i;
	}
	if (p->l[j].kind == K_CLOSEQ)
		return j;
	if (p->l[j].kind != K_TEXT)
		return i;
	p->journal = journal(p->l[j].t);
	i = j;
	j = next(p, i + 1);
	if (j < p->n && p->l[j].kind == K_CLOSEQ)
		i = j;
	return i;
}

/*
 * The authors: one line, or, when a page puts each name on a line of its
 * own, those lines joined as a text rendering joins them.
 */
static struct str
names(struct pg *p, struct str *v, size_t n)
{
	struct buf b;
	struct str x;
	size_t i;

	if (n == 1)
		return v[0];
	for (i = 0; i < n; i++)
		if (v[i].n > 60 || (v[i].n >= 2 &&
		    v[i].s[v[i].n - 1] == '.' &&
		    v[i].s[v[i].n - 2] >= 'a' && v[i].s[v[i].n - 2] <= 'z'))
			return v[0];	/* prose: the first line only */
	buf_init(&b, p->a);
	for (i = 0; i < n; i++) {
		x = v[i];
		while (x.n > 0 && x.s[x.n - 1] == ',')
			x = trim(mkstr(x.s, x.n - 1));
		if (x.n == 0)
			continue;
		if (b.len > 0)
			buf_put(&b, ", ", 2);
		buf_put(&b, x.s, x.n);
	}
	return b.len > 0 ? mkstr(b.p, b.len) : v[0];
}

/*
 * Prose, not a title or a name list: very long, or several sentences.
 */
static int
prose(struct str x)
{
	size_t i;
	int n = 0;

	if (x.n > 300)
		return 1;
	for (i = 0; i + 2 < x.n; i++)
		if ((x.s[i] == '.' || x.s[i] == '?' || x.s[i] == '!') &&
		    x.s[i + 1] == ' ' && x.s[i + 2] >= 'A' && x.s[i + 2] <= 'Z')
			n++;
	return n >= 2;
}

/* Adjacent repeats (a title shown twice) count once. */
static size_t
dedup(struct str *v, size_t n)
{
	size_t i, k;

	for (i = k = 0; i < n; i++)
		if (k == 0 || !streq(v[k - 1], v[i]))
			v[k++] = v[i];
	return k;
}

/*
 * The study's head, lines [0, end): title, date and journal, authors,
 * "Image of study", TLDR, summary, action line.  Lines are assigned by the
 * markers around them, not by their indentation.
 */
static void
head(struct pg *p, size_t end)
{
	struct str *pre, *mid, *post, *img;
	size_t npre = 0, nmid = 0, npost = 0, nimg = 0, i, j, nl;
	int state = 0, hasdate = 0, close = 0, tldr = 0;
	struct line *l;

	nl = end + 1;
	pre = arena_alloc(p->a, nl, sizeof(*pre));
	mid = arena_alloc(p->a, nl, sizeof(*mid));
	post = arena_alloc(p->a, nl, sizeof(*post));
	img = arena_alloc(p->a, nl, sizeof(*img));
	for (i = 0; i < end; i++) {
		l = &p->l[i];
		switch (l->kind) {
		case K_BLANK:
			continue;
		case K_DATE:
			if (state == 0 && !hasdate) {
				hasdate = 1;
				state = 1;
				i = dateline(p, i);
				continue;
			}
			break;
		case K_INOPEN:
			if (state <= 1 && p->journal.s == NULL) {
				p->journal = l->a;
				if (l->a.s == NULL) {
					j = i + 1;
					if (j < end &&
					    p->l[j].kind == K_TEXT) {
						p->journal = journal(
						    p->l[j].t);
						i = j;
					}
				}
				j = next(p, i + 1);
				if (j < end && p->l[j].kind == K_CLOSEQ)
					i = j;
				if (state == 0)
					state = 1;
				continue;
			}
			continue;
		case K_CLOSEQ:
		case K_COMMA:
		case K_BACK:
			continue;
		case K_IMAGE:
			p->marker = 1;
			if (state < 2) {
				state = 2;
				close = 1;
			}
			continue;
		case K_TLDR:
			p->marker = 1;
			if (tldr)
				continue;
			tldr = close = 1;
			state = 3;
			if (l->a.n > 0)
				p->tldr = l->a;
			else {
				j = next(p, i + 1);
				if (j < end && p->l[j].kind == K_TEXT) {
					p->tldr = p->l[j].t;
					i = j;
				}
			}
			continue;
		case K_ACTION:
			p->marker = 1;
			p->has_link = 1;
			addstr(&p->link, l->a);	/* the first domain */
			state = 4;
			continue;
		default:
			break;
		}
		if (keywords(l->t))
			continue;
		switch (state) {
		case 0:
			pre[npre++] = l->t;
			break;
		case 1:
			mid[nmid++] = l->t;
			break;
		case 2:
			img[nimg++] = l->t;
			break;
		case 3:
			post[npost++] = l->t;
			break;
		}
	}
	npre = dedup(pre, npre);
	nmid = dedup(mid, nmid);
	if (hasdate) {
		if (npre > 0)
			p->title = pre[npre - 1];
	} else if (close) {
		if (npre >= 2) {
			p->title = pre[npre - 2];
			p->authors = pre[npre - 1];
		} else if (npre == 1) {
			/* authors after the image: this is the title */
			if (authorlike(pre[0]) && !(tldr && nimg > 0))
				p->authors = pre[0];
			else
				p->title = pre[0];
		}
	} else if (npre > 0 && prose(pre[0])) {
		p->summary = pre[0];	/* a fragment starting at the summary */
	} else if (npre > 0) {
		p->title = pre[0];
		for (i = 1; i < npre; i++)
			mid[nmid++] = pre[i];
	}
	if (nmid > 0 && streq(mid[0], p->title)) {
		mid++;
		nmid--;
	}
	if (close) {
		if (nmid > 0)
			addstr(&p->authors, names(p, mid, nmid));
		else if (p->authors.s == NULL && tldr && nimg > 0)
			p->authors = names(p, img, nimg);  /* image first */
	} else if (nmid >= 2 && !prose(mid[0])) {
		addstr(&p->authors, mid[0]);
		addstr(&p->summary, mid[1]);
	} else if (nmid >= 2) {
		addstr(&p->summary, mid[0]);
	} else if (nmid == 1) {
		if (authorlike(mid[0]) || (mid[0].n < 120 &&
		    mid[0].s[mid[0].n - 1] != '.'))
			addstr(&p->authors, mid[0]);
		else
			addstr(&p->summary, mid[0]);
	}
	if (tldr && npost > 0)
		addstr(&p->summary, post[0]);
	else if (!tldr && nimg > 0)
		addstr(&p->summary, img[0]);
	if (p->title.s != NULL || p->authors.s != NULL ||
	    p->summary.s != NULL)
		p->marker |= 2;
}

/* What follows line i up to the next header or counter. */
static int
ahead(const struct pg *p, size_t i)
{
	size_t j, seen = 0;

	for (j = i + 1; j < p->n && seen < 12; j++) {
		switch (p->l[j].kind) {
		case K_HDR:
		case K_COUNTER:
			return C_NONE;
		case K_COMMUNITY:
		case K_VOTE:
			return C_POSTS;
		case K_CITES:
		case K_RTITLE:
		case K_DATE:
			return C_RESEARCH;
		case K_BLANK:
			continue;
		}
		seen++;
	}
	return C_NONE;
}

static int
research_sect(const struct pg *p)
{
	if (!p->is_study)
		return S_RESULT;
	if (p->sect == S_NONE && !p->seen[S_CITED] && !p->seen[S_POSTS])
		return S_CITED;
	return p->sect == S_SIMILAR || p->seen[S_POSTS] ||
	    p->seen[S_CITED] ? S_SIMILAR : S_CITED;
}

/* The section a counter with no header before it belongs to. */
static int
infer(const struct pg *p, int content)
{
	if (content == C_POSTS)
		return S_POSTS;
	if (content == C_RESEARCH)
		return research_sect(p);
	if (!p->is_study)
		return S_RESULT;
	switch (p->sect) {
	case S_NONE:
		return S_CITED;
	case S_CITED:
		return S_POSTS;
	default:
		return S_SIMILAR;
	}
}

static int
same(const struct item *x, const struct item *y)
{
	int k;

	if (x->sect != y->sect)
		return 0;
	for (k = 0; k < F_MAX; k++) {
		if ((x->f[k].s == NULL) != (y->f[k].s == NULL))
			return 0;
		if (x->f[k].s != NULL && !streq(x->f[k], y->f[k]))
			return 0;
	}
	return 1;
}

/* Ends the post or entry being read; each is kept once per page. */
static void
flush(struct pg *p)
{
	size_t i, cap;
	int k, any = 0;

	if (!p->active)
		goto out;
	for (k = 0; k < F_MAX; k++)
		if (p->cur.f[k].s != NULL)
			any = 1;
	if (!any)
		goto out;
	p->cur.sect = p->sect;
	for (i = 0; i < p->nit; i++)
		if (same(&p->it[i], &p->cur))
			goto out;
	if (p->nit == p->capit) {
		cap = p->capit == 0 ? 16 : 2 * p->capit;
		p->it = arena_realloc(p->a, p->it, p->capit * sizeof(*p->it),
		    cap * sizeof(*p->it));
		p->capit = cap;
	}
	p->it[p->nit++] = p->cur;
out:
	memset(&p->cur, 0, sizeof(p->cur));
	p->active = p->has_vote = p->has_body = 0;
}

static void
start(struct pg *p)
{
	flush(p);
	p->active = 1;
}

static void
setsect(struct pg *p, int s)
{
	flush(p);
	p->pending = nostr;
	p->sect = s;
	p->seen[s] = 1;
}

/*
 * Is x the bare copy of title y: the same, or cut short with an ellipsis
 * (or without one, if enough of it is left)?
 */
static int
copyof(struct str x, struct str y)
{
	if (streq(x, y))
		return 1;
	if (x.n >= 3 && memcmp(x.s + x.n - 3, "\xe2\x80\xa6", 3) == 0)
		x = trim(mkstr(x.s, x.n - 3));
	else if (x.n >= 3 && memcmp(x.s + x.n - 3, "...", 3) == 0)
		x = trim(mkstr(x.s, x.n - 3));
	else if (x.n < 24)
		return 0;
	return x.n >= 8 && x.n < y.n && memcmp(x.s, y.s, x.n) == 0;
}

/*
 * Vote lines a page split into parts ("in Research", "830 upvotes",
 * "1 year ago") are put back together.
 */
static void
joinvotes(struct pg *p, size_t from)
{
	struct str tok[MAXTOK];
	struct line *l;
	size_t i, j;
	int n;

	for (i = from; i < p->n; i++) {
		l = &p->l[i];
		if (l->kind != K_VOTE)
			continue;
		if (l->a.s == NULL) {
			for (j = i; j > from && p->l[j - 1].kind == K_BLANK;
			    j--)
				;
			if (j > from && p->l[j - 1].kind == K_TEXT &&
			    prefix(p->l[j - 1].t, "in ", 0) &&
			    p->l[j - 1].t.n <= 80 &&
			    (n = tokens(p->l[j - 1].t, tok)) >= 2 && n <= 9) {
				l->a = after(p->l[j - 1].t, 3);
				p->l[j - 1].kind = K_BLANK;
			}
		}
		j = next(p, i + 1);
		if (l->c.s == NULL && j < p->n && p->l[j].kind == K_VOTE &&
		    p->l[j].a.s == NULL && p->l[j].b.s == NULL) {
			l->c = p->l[j].c;
			p->l[j].kind = K_BLANK;
		}
	}
}

static void
post(struct pg *p, size_t i)
{
	struct line *l = &p->l[i];
	size_t j;

	switch (l->kind) {
	case K_COMMUNITY:
		start(p);
		p->pending = nostr;
		if (l->a.n > 0)
			p->cur.f[F_TITLE] = l->a;
		else {
			j = next(p, i + 1);
			if (j < p->n && p->l[j].kind == K_TEXT) {
				p->cur.f[F_TITLE] = p->l[j].t;
				p->l[j].kind = K_BLANK;
			}
		}
		return;
	case K_VOTE:
		if (!p->active || p->has_vote) {
			start(p);
			p->cur.f[F_TITLE] = p->pending;
		}
		p->pending = nostr;
		p->has_vote = 1;
		p->cur.f[F_COMMUNITY] = l->a;
		p->cur.f[F_UPVOTES] = l->b;
		p->cur.f[F_AGE] = l->c;
		return;
	case K_COMMA:
	case K_CLOSEQ:
		return;
	}
	j = next(p, i + 1);
	if (j < p->n && p->l[j].kind == K_COMMUNITY &&
	    copyof(l->t, p->l[j].a))
		return;		/* the bare copy of the next title */
	if (p->active && p->has_vote && p->cur.f[F_SUMMARY].s == NULL) {
		p->cur.f[F_SUMMARY] = l->t;
		return;
	}
	if (j < p->n && p->l[j].kind == K_VOTE) {
		flush(p);
		p->pending = l->t;
	}
}

/*
 * A bare sentence is an entry only if it reads like one: three words or
 * more ending as sentences end (not a footer's "Privacy · Terms").
 */
static int
sentence(struct str x)
{
	struct str tok[MAXTOK];
	int n;

	if (x.n < 20 || (x.s[x.n - 1] != '.' && x.s[x.n - 1] != '!' &&
	    x.s[x.n - 1] != '?'))
		return 0;
	n = tokens(x, tok);
	return n < 0 || n >= 3;
}

static void
entry(struct pg *p, size_t i)
{
	struct line *l = &p->l[i], t;
	size_t j;

	switch (l->kind) {
	case K_CITES:
		if (!p->active || p->cur.f[F_CITES].s != NULL || p->has_body)
			start(p);
		p->cur.f[F_CITES] = l->a;
		if (l->b.s != NULL) {
			memset(&t, 0, sizeof(t));
			t.t = l->b;
			classify(&t);
			p->has_body = 1;
			if (t.kind == K_DATE) {
				p->cur.f[F_PUB] = t.a;
				p->cur.f[F_JOURNAL] = t.b;
				p->cur.f[F_TLDR] = t.c;
			} else
				p->cur.f[F_TLDR] = t.t;
			flush(p);
		}
		return;
	case K_RTITLE:
		if (p->active && !(streq(p->cur.f[F_TITLE], l->a) &&
		    p->cur.f[F_CITES].s == NULL && !p->has_body))
			flush(p);
		p->active = 1;
		p->cur.f[F_TITLE] = l->a;
		return;
	case K_DATE:
		if (!p->active || p->has_body)
			start(p);
		p->has_body = 1;
		p->cur.f[F_PUB] = l->a;
		p->cur.f[F_JOURNAL] = l->b;
		p->cur.f[F_TLDR] = l->c;
		if (l->flag == D_ALONE || l->flag == D_OPEN) {
			/* flat: the journal on lines of its own */
			j = next(p, i + 1);
			if (j < p->n && p->l[j].kind == K_INOPEN) {
				p->cur.f[F_JOURNAL] = p->l[j].a;
				p->cur.f[F_TLDR] = p->l[j].c;
				p->l[j].kind = K_BLANK;
				if (p->l[j].a.s == NULL && j + 1 < p->n &&
				    p->l[j + 1].kind == K_TEXT) {
					p->cur.f[F_JOURNAL] =
					    journal(p->l[j + 1].t);
					p->l[j + 1].kind = K_BLANK;
				}
				j = next(p, j + 1);
				if (j < p->n && p->l[j].kind == K_CLOSEQ)
					p->l[j].kind = K_BLANK;
			}
		}
		flush(p);
		return;
	case K_TEXT:
		break;
	default:
		return;
	}
	j = next(p, i + 1);
	if (j < p->n && p->l[j].kind == K_RTITLE && copyof(l->t, p->l[j].a)) {
		start(p);
		p->cur.f[F_TITLE] = p->l[j].a;
		return;
	}
	if (p->active && !p->has_body) {
		p->has_body = 1;
		p->cur.f[F_TLDR] = l->t;
		flush(p);
		return;
	}
	if (!sentence(l->t))
		return;
	start(p);
	p->has_body = 1;
	p->cur.f[F_TLDR] = l->t;
	flush(p);
}

static int
postish(int kind)
{
	return kind == K_COMMUNITY || kind == K_VOTE;
}

/* The lists, lines [from, n): sections, counters, posts and entries. */
static void
lists(struct pg *p, size_t from)
{
	struct line *l;
	size_t i;
	int s, c, pend = 0;

	joinvotes(p, from);
	for (i = from; i < p->n; i++) {
		l = &p->l[i];
		switch (l->kind) {
		case K_BLANK:
			continue;
		case K_HDR:
			s = l->sect;
			if (s == S_RELATED)
				s = ahead(p, i) == C_POSTS ? S_POSTS :
				    S_SIMILAR;
			if (!p->is_study)
				s = s == S_POSTS ? S_POSTS : S_RESULT;
			setsect(p, s);
			pend = 1;
			if (l->flag) {
				p->shown[s] = l->a;
				p->total[s] = l->b;
				p->counted[s] = 1;
				pend = 0;
			}
			continue;
		case K_COUNTER:
			c = ahead(p, i);
			if (!pend || p->sect == S_NONE ||
			    (c == C_POSTS && p->sect != S_POSTS) ||
			    (c == C_RESEARCH && p->sect == S_POSTS))
				setsect(p, infer(p, c));
			pend = 0;
			if (!p->counted[p->sect]) {
				p->shown[p->sect] = l->a;
				p->total[p->sect] = l->b;
				p->counted[p->sect] = 1;
			}
			continue;
		}
		pend = 0;
		if (p->sect == S_NONE)
			setsect(p, postish(l->kind) ? S_POSTS :
			    research_sect(p));
		else if (postish(l->kind) && p->sect != S_POSTS)
			setsect(p, S_POSTS);
		else if (p->sect == S_POSTS && (l->kind == K_CITES ||
		    l->kind == K_RTITLE || (l->kind == K_DATE &&
		    !(p->active && p->has_vote &&
		    p->cur.f[F_SUMMARY].s == NULL))))
			setsect(p, research_sect(p));
		if (p->sect == S_POSTS)
			post(p, i);
		else
			entry(p, i);
	}
	flush(p);
}

/* Does the page show what only a study or a list of entries shows? */
static int
studyish(const struct pg *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		switch (p->l[i].kind) {
		case K_HDR:
		case K_COUNTER:
		case K_VOTE:
		case K_CITES:
		case K_IMAGE:
		case K_ACTION:
			return 1;
		}
	return 0;
}

static int
urlhint(const struct rec *prov)
{
	const struct field *f;
	const char *s, *e;

	if (prov == NULL || (f = rec_get(prov, "url")) == NULL ||
	    f->type != REC_STRING)
		return U_NONE;
	s = f->val;
	if ((e = strstr(s, "://")) != NULL)
		s = e + 3;
	if ((s = strchr(s, '/')) == NULL)
		return U_NONE;
	if (strncmp(s, "/research/", 10) == 0)
		return U_STUDY;
	if (strncmp(s, "/search", 7) == 0 && (s[7] == '/' || s[7] == '?' ||
	    s[7] == '\0'))
		return U_SEARCH;
	if (strncmp(s, "/learn/", 7) == 0)
		return U_LEARN;
	return U_NONE;
}

/*
 * Records are built in place: the field array sized once, keys of known
 * length, values pointing into the page's copy (see put()).
 */
static void
field(struct rec *r, const char *key, size_t klen, const char *val,
    size_t vlen, int type)
{
	struct field *f = &r->fields[r->nfields++];

	f->key = key;
	f->klen = klen;
	f->val = val;
	f->vlen = vlen;
	f->type = type;
}

static struct rec *
record(struct pg *p, const struct rec *prov, const char *type)
{
	struct rec *r;
	size_t i, n;

	n = prov != NULL ? prov->nfields : 0;
	r = arena_alloc(p->a, 1, sizeof(*r));
	rec_init(r);
	r->cap = 1 + n + 13;
	r->fields = arena_alloc(p->a, r->cap, sizeof(*r->fields));
	r->dirty = 1;
	field(r, "type", 4, type, strlen(type), REC_STRING);
	for (i = 0; i < n; i++)
		r->fields[r->nfields++] = prov->fields[i];
	return r;
}

/*
 * A value as shown; digits alone make a number.  Values are spans of the
 * page's text (or of arena strings), which the caller lends writable for
 * this: ending one with a NUL cannot cut another, as no value runs into
 * the next one, and every line is parsed by now.
 */
static void
put(struct pg *p, struct rec *r, const char *key, struct str v, int num)
{
	(void)p;
	if (v.s == NULL) {
		field(r, key, strlen(key), "null", 4, REC_NULL);
		return;
	}
	((char *)v.s)[v.n] = '\0';
	field(r, key, strlen(key), v.s, v.n,
	    num && rec_is_number(v.s, v.n) ? REC_NUMBER : REC_STRING);
}

static int
article(struct pg *p, const struct rec *prov, research_emit *emit,
    void *ctx)
{
	struct str title = nostr, topic = nostr;
	struct buf b;
	struct rec *r;
	size_t i;

	buf_init(&b, p->a);
	for (i = 0; i < p->n; i++) {
		if (p->l[i].kind == K_BLANK)
			continue;
		if (p->l[i].kind == K_BACK) {
			addstr(&topic, p->l[i].a);
			continue;
		}
		if (title.s == NULL) {
			title = p->l[i].t;
			continue;
		}
		if (b.len > 0)
			buf_putc(&b, '\n');
		buf_put(&b, p->l[i].t.s, p->l[i].t.n);
	}
	if (title.s == NULL)
		return 0;
	r = record(p, prov, "article");
	put(p, r, "title", title, 0);
	put(p, r, "topic", topic, 0);
	put(p, r, "text", b.len > 0 ? mkstr(b.p, b.len) : nostr, 0);
	emit(r, ctx);
	return 1;
}

static void
counts(struct pg *p, struct rec *r, const char *shown, const char *total,
    int s)
{
	put(p, r, shown, p->shown[s], 1);
	put(p, r, total, p->total[s], 1);
}

static const char *const typename[S_N] = {
	NULL, "cited", "post", "similar", "similar", "result"
};

int
research_run(char *text, size_t len, const struct rec *prov,
    struct arena *tmp, research_emit *emit, void *ctx)
{
	struct pg pg, *p = &pg;
	struct item *it;
	struct rec *r;
	size_t i, ls, k;
	int n = 0, hdrs = 0, s;

	memset(p, 0, sizeof(*p));
	p->a = tmp;
	p->hint = urlhint(prov);
	split(p, text, len);
	for (i = 0; i < p->n; i++)
		classify(&p->l[i]);
	if (p->hint == U_LEARN)
		return article(p, prov, emit, ctx);
	/* a back link near the top makes an article, unless the page is a
	 * study or a list that has one */
	for (i = k = 0; p->hint != U_SEARCH && i < p->n && k < 6; i++) {
		if (p->l[i].kind == K_BLANK)
			continue;
		if (p->l[i].kind == K_BACK && !studyish(p))
			return article(p, prov, emit, ctx);
		k++;
	}
	/* the lists start at the first line only a list has */
	for (ls = 0; ls < p->n; ls++) {
		k = (size_t)p->l[ls].kind;
		if (k == K_HDR || k == K_COUNTER || k == K_COMMUNITY ||
		    k == K_VOTE || k == K_CITES || k == K_RTITLE ||
		    (k == K_DATE && p->l[ls].flag == D_ENTRY))
			break;
	}
	for (i = ls; i < p->n; i++)
		if (p->l[i].kind == K_HDR && (p->l[i].sect != S_RELATED ||
		    p->l[i].flag))
			hdrs = 1;
	if (p->hint != U_SEARCH)
		head(p, ls);
	/* a URL alone makes no study: the page must show one */
	p->is_study = p->hint != U_SEARCH && ((p->marker & 1) || hdrs);
	if (p->hint == U_STUDY && !p->is_study && ls < p->n)
		p->is_study = 1;	/* a fragment of a study's lists */
	lists(p, ls);

	/* counters alone (a fragment that starts in a list) make no study */
	if (p->is_study && (p->title.s != NULL || p->published.s != NULL ||
	    p->journal.s != NULL || p->authors.s != NULL ||
	    p->tldr.s != NULL || p->summary.s != NULL || p->has_link)) {
		r = record(p, prov, "study");
		put(p, r, "title", p->title, 0);
		put(p, r, "published", p->published, 0);
		put(p, r, "journal", p->journal, 0);
		put(p, r, "authors", p->authors, 0);
		put(p, r, "tldr", p->tldr, 0);
		put(p, r, "summary", p->summary, 0);
		put(p, r, "study_link", p->link, 0);
		counts(p, r, "cited_shown", "cited_total", S_CITED);
		counts(p, r, "posts_shown", "posts_total", S_POSTS);
		counts(p, r, "similar_shown", "similar_total", S_SIMILAR);
		emit(r, ctx);
		n++;
	}
	if (!p->is_study)
		p->title = nostr;
	for (i = 0; i < p->nit; i++) {
		it = &p->it[i];
		s = it->sect;
		r = record(p, prov, typename[s]);
		if (s == S_POSTS) {
			put(p, r, "study_title", p->title, 0);
			put(p, r, "title", it->f[F_TITLE], 0);
			put(p, r, "community", it->f[F_COMMUNITY], 0);
			put(p, r, "upvotes", it->f[F_UPVOTES], 1);
			put(p, r, "age", it->f[F_AGE], 0);
			put(p, r, "summary", it->f[F_SUMMARY], 0);
		} else {
			if (s != S_RESULT)
				put(p, r, "study_title", p->title, 0);
			put(p, r, "title", it->f[F_TITLE], 0);
			put(p, r, "citations", it->f[F_CITES], 1);
			put(p, r, "published", it->f[F_PUB], 0);
			put(p, r, "journal", it->f[F_JOURNAL], 0);
			put(p, r, "tldr", it->f[F_TLDR], 0);
		}
		emit(r, ctx);
		n++;
	}
	return n;
}

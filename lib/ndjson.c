/* ndjson.c - the NDJSON reader (cJSON parses) and the record writer. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <cJSON.h>
#include <xxhash.h>

#include "rec.h"
#include "internal.h"

#define READSIZE	((size_t)256 << 10)
#define WRITESIZE	((size_t)256 << 10)

struct rec_writer {
	FILE		*fp;
	char		*buf;
	size_t		 len;
	size_t		 cap;
	struct arena	*tmp;
};

/* The number literals of one JSON text, in document order. */
struct lits {
	const char	**p;
	size_t		*n;
	size_t		 len;
	size_t		 cap;
	struct arena	*a;
};

/*
 * cJSON allocates through hooks; while we parse or print, they take memory
 * from the record's arena, so freeing a tree is a no-op and a record costs
 * no malloc at all.  Other code may use cJSON as usual: with no arena set,
 * the hooks are malloc and free.  The hooks are installed once, before any
 * thread starts (json_hooks_init, from cli_init), and the arena is the
 * calling thread's own, so that threads may parse at the same time.
 */
static __thread struct arena *hook_arena;

static void *
hook_malloc(size_t n)
{
	if (hook_arena == NULL)
		return malloc(n);
	return arena_take(hook_arena, n);
}

static void
hook_free(void *p)
{
	if (hook_arena == NULL)
		free(p);
}

void
json_hooks_init(void)
{
	static int done;
	cJSON_Hooks h = { hook_malloc, hook_free };

	if (!done) {
		cJSON_InitHooks(&h);
		done = 1;
	}
}

static void
hooks_on(struct arena *a)
{
	json_hooks_init();
	hook_arena = a;
}

static void
hooks_off(void)
{
	hook_arena = NULL;
}

/* ---- the line reader ---- */

/* Moves the unconsumed bytes to the front; makes room for want more. */
static void
lines_room(struct lines *l, size_t want)
{
	size_t cap;
	char *p;

	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	if (l->cap - l->end < want) {
		cap = l->cap == 0 ? READSIZE : l->cap * 2;
		while (cap - l->end < want)
			cap *= 2;
		if ((p = realloc(l->buf, cap)) == NULL)
			oom();
		l->buf = p;
		l->cap = cap;
	}
}

void
lines_append(struct lines *l, const char *s, size_t n)
{
	lines_room(l, n > 0 ? n : 1);
	memcpy(l->buf + l->end, s, n);
	l->end += n;
}

static int
lines_fill(struct lines *l)
{
	ssize_t n;

	if (l->more != NULL)
		return l->more(l, l->morearg);
	lines_room(l, 1);
	do
		n = read(fileno(l->fp), l->buf + l->end, l->cap - l->end);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		l->err = errno;
		return -1;
	}
	if (n == 0)
		l->eof = 1;
	l->end += (size_t)n;
	return 0;
}

/*
 * Gets the next line: *line points into the buffer until the next call,
 * *len excludes the line end (LF or CRLF), *nlen is what was consumed.
 * LINE_LONG: the line is longer than max and nothing was consumed.
 */
int
lines_get(struct lines *l, size_t max, const char **line, size_t *len,
    size_t *nlen)
{
	size_t scanned = 0, n;
	char *p, *s;

	if (l->buf == NULL && lines_fill(l) == -1)
		return LINE_ERR;
	for (;;) {
		s = l->buf + l->start;
		p = l->end > l->start + scanned ?
		    memchr(s + scanned, '\n', l->end - l->start - scanned) :
		    NULL;
		if (p != NULL || (l->eof && l->end > l->start)) {
			n = p != NULL ? (size_t)(p - s) : l->end - l->start;
			if (n > max)
				return LINE_LONG;
			*nlen = p != NULL ? n + 1 : n;
			l->start += *nlen;
			l->bytes += *nlen;
			l->lineno++;
			if (n > 0 && s[n - 1] == '\r')
				n--;
			l->bom = 0;
			if (l->first && n >= 3 &&
			    memcmp(s, "\xef\xbb\xbf", 3) == 0) {
				s += 3;
				n -= 3;
				l->bom = 1;
			}
			l->first = 0;
			*line = s;
			*len = n;
			return LINE_OK;
		}
		if (l->eof)
			return LINE_EOF;
		scanned = l->end - l->start;
		if (scanned > max + 1)
			return LINE_LONG;
		if (lines_fill(l) == -1)
			return LINE_ERR;
	}
}

void
reader_error(struct rec_reader *r, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	r->errline = line;
	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
}

/* Writes a bad record's text, and a line end, to the rejects file. */
void
reader_reject(struct rec_reader *r, const char *s, size_t n)
{
	if (r->rejects == NULL)
		return;
	fwrite(s, 1, n, r->rejects);
	fputc('\n', r->rejects);
}

/*
 * Consumes a line too long to hold, copying it to the rejects file as it
 * goes, so that even this record is kept verbatim.
 */
int
reader_skip_long(struct rec_reader *r)
{
	struct lines *l = &r->in;
	char *p;
	size_t n;

	r->errline = l->lineno + 1;
	for (;;) {
		p = memchr(l->buf + l->start, '\n', l->end - l->start);
		n = p != NULL ? (size_t)(p - (l->buf + l->start)) :
		    l->end - l->start;
		if (r->rejects != NULL)
			fwrite(l->buf + l->start, 1, n, r->rejects);
		l->start += n;
		l->bytes += n;
		if (p != NULL) {
			l->start++;
			l->bytes++;
			break;
		}
		if (l->eof)
			break;
		if (lines_fill(l) == -1)
			return -1;
	}
	l->lineno++;
	l->first = 0;
	if (r->rejects != NULL)
		fputc('\n', r->rejects);
	return 0;
}

/* ---- the JSON text scan ---- */

static int
isws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
lits_add(struct lits *L, const char *p, size_t n)
{
	size_t cap;

	if (L->len == L->cap) {
		cap = L->cap == 0 ? 32 : L->cap * 2;
		L->p = arena_realloc(L->a, L->p, L->cap * sizeof(*L->p),
		    cap * sizeof(*L->p));
		L->n = arena_realloc(L->a, L->n, L->cap * sizeof(*L->n),
		    cap * sizeof(*L->n));
		L->cap = cap;
	}
	L->p[L->len] = p;
	L->n[L->len++] = n;
}

/*
 * One pass over a JSON text before cJSON sees it: collects the number
 * literals (cJSON keeps only a double) and refuses what cJSON lets by:
 * numbers outside the JSON grammar ("01", "1.", "-"), control characters
 * (raw in strings, or outside them where cJSON takes any byte below 0x21
 * for white space), and bad escapes.  \u0000 cannot live in a C string
 * (cJSON would cut the string there): it is read as U+FFFD.  *nul is set
 * if there is one; with fix, each is rewritten in place (on a copy: the
 * text as read must stay as read, for the rejects file).
 * Returns 0, or -1 with *bad at the offending byte and a message in why.
 */
#define ONES	UINT64_C(0x0101010101010101)
#define HIGHS	UINT64_C(0x8080808080808080)

/*
 * Does the word hold a byte that ends a plain run inside a string: '"',
 * '\\', a control character or a non-ASCII byte?  A false yes only sends
 * those eight bytes through the byte loop.
 */
static int
special8(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');

	return (((q - ONES) & ~q) | ((b - ONES) & ~b) |
	    ((w - ONES * 0x20) & ~w) | w) & HIGHS ? 1 : 0;
}

/*
 * How many bytes at s are plain string text (not '"', '\\', a control
 * character or non-ASCII): the loop that reads most of every record.
 * Sixteen at a time where SSE2 is there (every x86-64), stopping right at
 * the byte that ends the run; then eight at a time, stopping at the word
 * that holds it (or holds a false yes).  Fewer than eight are left to the
 * caller's byte loop.
 */
static size_t
plainrun(const char *s, size_t n)
{
	uint64_t w;
	size_t i = 0;
#ifdef __SSE2__
	const __m128i q = _mm_set1_epi8('"'), b = _mm_set1_epi8('\\');
	const __m128i sp = _mm_set1_epi8(0x20);
	__m128i v;
	int m;

	for (; i + 16 <= n; i += 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		/* signed: bytes of 0x80 and up are below 0x20 too */
		m = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, b)),
		    _mm_cmplt_epi8(v, sp)));
		if (m != 0)
			return i + (size_t)__builtin_ctz((unsigned)m);
	}
#endif
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		if (special8(w))
			break;
	}
	return i;
}

/*
 * utf8_seqlen() with the two- and three-byte forms checked here: text is
 * full of them (accents, typographic quotes, dashes), and a call into
 * utf8proc for each costs more than the rest of the scan.
 */
static size_t
seqlen(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];

	if (c >= 0xc2 && c <= 0xdf && n >= 2 && (p[1] & 0xc0) == 0x80)
		return 2;
	if (c >= 0xe0 && c <= 0xef && n >= 3 && (p[1] & 0xc0) == 0x80 &&
	    (p[2] & 0xc0) == 0x80 && (c != 0xe0 || p[1] >= 0xa0) &&
	    (c != 0xed || p[1] < 0xa0))
		return 3;
	return utf8_seqlen(p, n);
}

/* The length of the run of bytes that may make a number, at s. */
static size_t
numrun(const char *s, size_t n)
{
	size_t i;
	char c;

	for (i = 0; i < n; i++) {
		c = s[i];
		if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' ||
		    c == 'E' || c == '+' || c == '-'))
			break;
	}
	return i;
}

static int
scan(char *s, size_t n, struct lits *L, size_t *bad, const char **why,
    int *nul, int fix, int lax)
{
	size_t i, j, k;
	unsigned char c;

	for (i = 0; i < n; ) {
		c = (unsigned char)s[i];
		if (c == '"') {
			for (i++;;) {
				i += plainrun(s + i, n - i);
				if (i >= n)
					break;
				c = (unsigned char)s[i];
				if (c == '"')
					break;
				if (c >= 0x80) {
					k = lax ? 1 : seqlen(
					    (unsigned char *)s + i, n - i);
					if (k == 0) {
						*bad = i;
						*why = "invalid UTF-8";
						return -1;
					}
					i += k;
					continue;
				}
				if (c < 0x20) {
					*bad = i;
					*why = "control character in string";
					return -1;
				}
				if (c != '\\') {
					i++;
					continue;
				}
				if (i + 1 >= n)
					break;
				c = (unsigned char)s[++i];
				if (c == 'u') {
					for (j = 1; j <= 4; j++)
						if (i + j >= n || !isxdigit(
						    (unsigned char)s[i + j]))
							break;
					if (j <= 4) {
						*bad = i - 1;
						*why = "bad \\u escape";
						return -1;
					}
					if (memcmp(s + i + 1, "0000", 4) == 0) {
						*nul = 1;
						if (fix)
							memcpy(s + i + 1,
							    "FFFD", 4);
					}
					i += 5;
				} else if (strchr("\"\\/bfnrt", c) == NULL ||
				    c == '\0') {
					*bad = i - 1;
					*why = "bad escape";
					return -1;
				} else
					i++;
			}
			i++;
			continue;
		}
		if (c == '-' || (c >= '0' && c <= '9')) {
			j = i + 1 + numrun(s + i + 1, n - i - 1);
			if (!rec_is_number(s + i, j - i)) {
				*bad = i;
				*why = "invalid number";
				return -1;
			}
			if (L != NULL)
				lits_add(L, s + i, j - i);
			i = j;
			continue;
		}
		if (c < 0x20 && !isws(c)) {
			*bad = i;
			*why = "control character";
			return -1;
		}
		if (c >= 0x80 && !lax && utf8_seqlen((unsigned char *)s + i,
		    n - i) == 0) {
			*bad = i;
			*why = "invalid UTF-8";
			return -1;
		}
		i++;
	}
	return 0;
}

/* Gives every number item its literal back, as a raw item (printed as is). */
static void
restore(cJSON *item, struct lits *L, size_t *k)
{
	for (; item != NULL; item = item->next) {
		if (cJSON_IsNumber(item) && *k < L->len) {
			item->type = cJSON_Raw | (item->type & cJSON_StringIsConst);
			item->valuestring = arena_strndup(L->a, L->p[*k],
			    L->n[*k]);
			(*k)++;
		}
		if (item->child != NULL)
			restore(item->child, L, k);
	}
}

/* How deep the arrays and objects are open at byte at of s. */
static long
depth_at(const char *s, size_t at)
{
	size_t i;
	long d = 0;
	int str = 0;

	for (i = 0; i < at; i++) {
		if (str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				str = 0;
		} else if (s[i] == '"')
			str = 1;
		else if (s[i] == '[' || s[i] == '{')
			d++;
		else if (s[i] == ']' || s[i] == '}')
			d--;
	}
	return d;
}

unsigned long
json_error(char *buf, size_t bufsz, const char *s, size_t n, size_t at,
    const char *what)
{
	unsigned long line = 0;
	size_t i, bol = 0;
	char near[16];
	int k;

	for (i = 0; i < at && i < n; i++)
		if (s[i] == '\n') {
			line++;
			bol = i + 1;
		}
	if (what == NULL && at < n && depth_at(s, at) >= CJSON_NESTING_LIMIT)
		what = "nested too deep (over 1000 levels)";
	if (at >= n) {
		snprintf(buf, bufsz, "invalid JSON: %s",
		    what != NULL ? what : "unexpected end of input");
		return line;
	}
	for (k = 0, i = at; i < n && k < 8; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f)
			break;
		near[k++] = (char)c;
	}
	near[k] = '\0';
	if (k > 0)
		snprintf(buf, bufsz, "invalid JSON: %s at column %zu near '%s'",
		    what != NULL ? what : "syntax error", at - bol + 1, near);
	else
		snprintf(buf, bufsz, "invalid JSON: %s at column %zu (byte "
		    "0x%02x)", what != NULL ? what : "syntax error",
		    at - bol + 1, (unsigned char)s[at]);
	return line;
}

static void
describe(struct rec_reader *r, unsigned long line0, const char *s, size_t n,
    size_t at, const char *what)
{
	char msg[256];
	unsigned long k;

	k = json_error(msg, sizeof(msg), s, n, at, what);
	reader_error(r, line0 + k, "%s", msg);
}

/* ---- turning a parsed object into fields ---- */

static int
item_type(const cJSON *it)
{
	if (cJSON_IsString(it))
		return REC_STRING;
	if (cJSON_IsRaw(it) || cJSON_IsNumber(it))
		return REC_NUMBER;
	if (cJSON_IsTrue(it))
		return REC_TRUE;
	if (cJSON_IsFalse(it))
		return REC_FALSE;
	if (cJSON_IsArray(it))
		return REC_ARRAY;
	if (cJSON_IsObject(it))
		return REC_OBJECT;
	return REC_NULL;
}

/* Field values for one item; nested values printed with literals kept. */
static void
item_value(struct arena *a, cJSON *it, const char **val, size_t *vlen,
    int *type, int copy)
{
	char *p;

	*type = item_type(it);
	switch (*type) {
	case REC_STRING:
	case REC_NUMBER:
		*vlen = strlen(it->valuestring);
		*val = copy ? arena_strndup(a, it->valuestring, *vlen) :
		    it->valuestring;
		break;
	case REC_ARRAY:
	case REC_OBJECT:
		hooks_on(a);
		p = cJSON_PrintUnformatted(it);
		hooks_off();
		if (p == NULL)
			oom();
		*val = p;
		*vlen = strlen(p);
		break;
	default:
		*val = NULL;
		*vlen = 0;
		break;
	}
}

/*
 * Duplicate keys: the last value wins, in the place of the first (as in
 * jq and Python); such a record is rewritten, not passed through.
 * Objects with many keys use a hash table rather than a quadratic scan.
 */
static int
to_fields(struct arena *a, cJSON *obj, struct rec *out, int copy)
{
	cJSON *it;
	size_t n, i, mask = 0, h;
	size_t *tab = NULL;
	const char *val;
	size_t vlen;
	int type, dup = 0;
	struct field *f;

	for (n = 0, it = obj->child; it != NULL; it = it->next)
		n++;
	out->fields = arena_alloc(a, n ? n : 1, sizeof(*out->fields));
	out->cap = n ? n : 1;
	out->nfields = 0;
	if (n > 16) {
		for (mask = 32; mask < n * 2; mask *= 2)
			;
		tab = arena_alloc(a, mask, sizeof(*tab));
		mask--;
	}
	for (it = obj->child; it != NULL; it = it->next) {
		const char *key = it->string != NULL ? it->string : "";
		size_t klen = strlen(key);

		f = NULL;
		if (tab != NULL) {
			h = (size_t)XXH3_64bits(key, klen) & mask;
			for (; tab[h] != 0; h = (h + 1) & mask) {
				struct field *g = &out->fields[tab[h] - 1];

				if (g->klen == klen &&
				    memcmp(g->key, key, klen) == 0) {
					f = g;
					break;
				}
			}
			if (f == NULL)
				tab[h] = out->nfields + 1;
		} else {
			for (i = 0; i < out->nfields; i++)
				if (out->fields[i].klen == klen &&
				    memcmp(out->fields[i].key, key, klen) == 0) {
					f = &out->fields[i];
					break;
				}
		}
		item_value(a, it, &val, &vlen, &type, copy);
		if (f != NULL)
			dup = 1;
		else {
			f = &out->fields[out->nfields++];
			f->key = copy ? arena_strndup(a, key, klen) : key;
			f->klen = klen;
		}
		f->val = val != NULL ? val : type == REC_TRUE ? "true" :
		    type == REC_FALSE ? "false" : "null";
		f->vlen = val != NULL ? vlen : strlen(f->val);
		f->type = type;
	}
	return dup;
}

/*
 * Parses the JSON text s[0..n) into an item whose numbers are raw items
 * holding their literals.  Returns NULL after setting the reader's error
 * (if r is not NULL).
 */
static cJSON *
parse(struct rec_reader *r, struct arena *a, const char *s, size_t n,
    unsigned long line, int *changed)
{
	struct lits L;
	const char *end, *why = NULL;
	size_t bad, k = 0;
	cJSON *root;
	int nul = 0, lax;

	lax = r != NULL && (r->flags & REC_LAXUTF8);
	memset(&L, 0, sizeof(L));
	L.a = a;
	if (scan((char *)s, n, &L, &bad, &why, &nul, 0, lax) == -1) {
		if (r != NULL)
			describe(r, line, s, n, bad, why);
		return NULL;
	}
	if (nul) {
		/* the first scan changed nothing; this one only escapes */
		s = arena_strndup(a, s, n);
		L.len = 0;
		scan((char *)s, n, &L, &bad, &why, &nul, 1, lax);
		*changed = 1;
	}
	hooks_on(a);
	end = NULL;
	root = cJSON_ParseWithLengthOpts(s, n, &end, 0);
	hooks_off();
	if (root == NULL) {
		if (r != NULL)
			describe(r, line, s, n,
			    end != NULL ? (size_t)(end - s) : n, NULL);
		return NULL;
	}
	for (bad = (size_t)(end - s); bad < n && isws((unsigned char)s[bad]);
	    bad++)
		;
	if (bad < n) {
		if (r != NULL)
			describe(r, line, s, n, bad, "text after the value");
		return NULL;
	}
	restore(root, &L, &k);
	return root;
}

int
json_parse_fields(struct arena *a, const char *s, size_t n, struct rec *out)
{
	cJSON *root, *it;
	size_t i;
	int nul = 0;

	rec_init(out);
	if ((root = parse(NULL, a, s, n, 1, &nul)) == NULL)
		return -1;
	if (cJSON_IsObject(root)) {
		to_fields(a, root, out, 0);
		out->dirty = 1;
		return 0;
	}
	if (!cJSON_IsArray(root))
		return -1;
	for (i = 0, it = root->child; it != NULL; it = it->next, i++) {
		const char *val;
		size_t vlen;
		int type;

		item_value(a, it, &val, &vlen, &type, 0);
		rec_add(out, a, arena_printf(a, "%zu", i), val, vlen, type);
	}
	return 0;
}

/* ---- the fast path: one flat object on one line ---- */

#define FLATMAX	64	/* members the fast path takes */

/* A member found by flatscan(): offsets into the line. */
struct memb {
	size_t		 k;		/* the key, without its quotes */
	size_t		 klen;
	size_t		 v;		/* the value (a string's without quotes) */
	size_t		 vlen;
	int		 type;
	int		 esc;		/* the string value has escapes */
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The four hex digits at p as a number, or -1. */
static long
hex4(const char *p, const char *e)
{
	long u;
	int i, h;

	if (e - p < 4)
		return -1;
	for (i = 0, u = 0; i < 4; i++) {
		if ((h = hexval((unsigned char)p[i])) < 0)
			return -1;
		u = u * 16 + h;
	}
	return u;
}

/*
 * The length of the escape at p (a backslash) as the fast path takes it:
 * 2, 6 for \uXXXX, 12 for a surrogate pair; or 0 for what the full reader
 * refuses or rewrites: a bad escape, \u0000, a lone surrogate.
 */
static size_t
escape(const char *p, const char *e)
{
	long u, v;

	if (e - p < 2)
		return 0;
	switch (p[1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n':
	case 'r': case 't':
		return 2;
	case 'u':
		if ((u = hex4(p + 2, e)) <= 0 || (u >= 0xdc00 && u <= 0xdfff))
			return 0;
		if (u < 0xd800 || u > 0xdbff)
			return 6;
		if (e - p < 12 || p[6] != '\\' || p[7] != 'u' ||
		    (v = hex4(p + 8, e)) < 0xdc00 || v > 0xdfff)
			return 0;
		return 12;
	default:
		return 0;
	}
}

/*
 * Skips a string from p, just after its opening quote, to its closing
 * quote, which it returns; NULL if the string is not for the fast path.
 * Plain runs go through plainrun().
 */
static const char *
skipstr(const char *p, const char *e, int *esc)
{
	unsigned char c;
	size_t k;

	for (;;) {
		p += plainrun(p, (size_t)(e - p));
		if (p >= e)
			return NULL;
		c = (unsigned char)*p;
		if (c == '"')
			return p;
		if (c >= 0x80) {
			k = seqlen((const unsigned char *)p, (size_t)(e - p));
			if (k == 0)
				return NULL;
			p += k;
		} else if (c == '\\') {
			if ((k = escape(p, e)) == 0)
				return NULL;
			*esc = 1;
			p += k;
		} else if (c < 0x20)
			return NULL;
		else
			p++;
	}
}

#define SKIPWS(p, e)	while ((p) < (e) && isws((unsigned char)*(p))) (p)++

/*
 * Checks that s[0..n) is an object whose members are all scalars, with no
 * escapes in keys and at most FLATMAX members, everything as the full
 * reader would take it (JSON grammar, valid UTF-8, no \u0000, no lone
 * surrogates); fills m[] and returns the member count, or -1 to decline.
 */
static int
flatscan(const char *s, size_t n, struct memb *m)
{
	static const char *const literal[] = {
		[REC_TRUE] = "true", [REC_FALSE] = "false", [REC_NULL] = "null"
	};
	const char *p, *e, *q;
	size_t k;
	int nm, esc;

	p = s;
	e = s + n;
	SKIPWS(p, e);
	if (p == e || *p != '{')
		return -1;
	p++;
	SKIPWS(p, e);
	nm = 0;
	if (p < e && *p == '}')
		goto close;
	for (;;) {
		if (p == e || *p != '"' || nm == FLATMAX)
			return -1;
		esc = 0;
		if ((q = skipstr(p + 1, e, &esc)) == NULL || esc)
			return -1;
		m[nm].k = (size_t)(p + 1 - s);
		m[nm].klen = (size_t)(q - p - 1);
		p = q + 1;
		SKIPWS(p, e);
		if (p == e || *p != ':')
			return -1;
		p++;
		SKIPWS(p, e);
		if (p == e)
			return -1;
		m[nm].esc = 0;
		switch (*p) {
		case '"':
			q = skipstr(p + 1, e, &m[nm].esc);
			if (q == NULL)
				return -1;
			p++;
			m[nm].type = REC_STRING;
			break;
		case 't':
		case 'f':
		case 'n':
			m[nm].type = *p == 't' ? REC_TRUE : *p == 'f' ?
			    REC_FALSE : REC_NULL;
			k = strlen(literal[m[nm].type]);
			if ((size_t)(e - p) < k ||
			    memcmp(p, literal[m[nm].type], k) != 0)
				return -1;
			q = p + k;
			break;
		default:
			q = p + numrun(p, (size_t)(e - p));
			if (!rec_is_number(p, (size_t)(q - p)))
				return -1;
			m[nm].type = REC_NUMBER;
			break;
		}
		m[nm].v = (size_t)(p - s);
		m[nm].vlen = (size_t)(q - p);
		nm++;
		p = m[nm - 1].type == REC_STRING ? q + 1 : q;
		SKIPWS(p, e);
		if (p == e)
			return -1;
		if (*p == '}')
			break;
		if (*p != ',')
			return -1;
		p++;
		SKIPWS(p, e);
	}
close:
	p++;
	SKIPWS(p, e);
	return p == e ? nm : -1;
}

/* Are the keys distinct?  (The full reader merges duplicates.) */
static int
distinct(const char *s, const struct memb *m, int nm)
{
	int i, j;

	for (i = 1; i < nm; i++)
		for (j = 0; j < i; j++)
			if (m[i].klen == m[j].klen && (m[i].klen == 0 ||
			    (s[m[i].k] == s[m[j].k] && memcmp(s + m[i].k,
			    s + m[j].k, m[i].klen) == 0)))
				return 0;
	return 1;
}

/* Writes code point u as UTF-8 at o; returns the length. */
static size_t
put_utf8(char *o, unsigned long u)
{
	if (u < 0x80) {
		o[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		o[0] = (char)(0xc0 | u >> 6);
		o[1] = (char)(0x80 | (u & 0x3f));
		return 2;
	}
	if (u < 0x10000) {
		o[0] = (char)(0xe0 | u >> 12);
		o[1] = (char)(0x80 | (u >> 6 & 0x3f));
		o[2] = (char)(0x80 | (u & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | u >> 18);
	o[1] = (char)(0x80 | (u >> 12 & 0x3f));
	o[2] = (char)(0x80 | (u >> 6 & 0x3f));
	o[3] = (char)(0x80 | (u & 0x3f));
	return 4;
}

/*
 * Decodes, in place, a string that skipstr() passed (its escapes are well
 * formed, surrogates come in pairs); NUL-terminates it and returns the
 * new length.  No escape is shorter than what it stands for.
 */
static size_t
unescape(char *s, size_t n)
{
	const char *p, *e, *bs;
	char *o;
	unsigned long u;
	size_t k;

	o = s;
	e = s + n;
	for (p = s; p < e; ) {
		if ((bs = memchr(p, '\\', (size_t)(e - p))) == NULL)
			bs = e;
		k = (size_t)(bs - p);
		if (o != p)
			memmove(o, p, k);
		o += k;
		if ((p = bs) == e)
			break;
		switch (p[1]) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			u = (unsigned long)hex4(p + 2, e);
			if (u >= 0xd800 && u <= 0xdbff) {
				u = 0x10000 + ((u - 0xd800) << 10) +
				    ((unsigned long)hex4(p + 8, e) - 0xdc00);
				p += 6;
			}
			o += put_utf8(o, u);
			p += 4;
			break;
		default:	/* '"', '\\', '/' */
			*o++ = p[1];
			break;
		}
		p += 2;
	}
	*o = '\0';
	return (size_t)(o - s);
}

/*
 * The fast path of the reader: a line flatscan() takes becomes fields
 * with no cJSON tree, exactly as the full reader would make them (keys
 * and values in a second copy of the line, NUL-terminated, strings
 * decoded, numbers as their literal).  text is the line (the reader's
 * copy in the arena, or dedupe's chunk), which raw keeps.  Returns 1, or
 * 0 if it declines.  r NULL: no reader (no GLEAN_NO_FASTPATH check).
 */
static int
flat(struct rec_reader *r, struct arena *a, const char *text, size_t len,
    unsigned long line0, struct rec *out)
{
	struct memb m[FLATMAX];
	struct field *f;
	char *w;
	int nm, i;

	if ((r != NULL && r->slow) || (nm = flatscan(text, len, m)) < 0 ||
	    !distinct(text, m, nm))
		return 0;
	w = arena_take(a, len + 1);
	memcpy(w, text, len);
	f = arena_take(a, (size_t)(nm > 0 ? nm : 1) * sizeof(*f));
	for (i = 0; i < nm; i++) {
		f[i].key = w + m[i].k;
		f[i].klen = m[i].klen;
		w[m[i].k + m[i].klen] = '\0';
		f[i].val = w + m[i].v;
		f[i].type = m[i].type;
		if (m[i].esc)
			f[i].vlen = unescape(w + m[i].v, m[i].vlen);
		else {
			f[i].vlen = m[i].vlen;
			w[m[i].v + m[i].vlen] = '\0';
		}
	}
	rec_init(out);
	out->fields = f;
	out->nfields = out->cap = (size_t)nm;
	out->raw = text;
	out->rawlen = len;
	out->line = line0;
	return 1;
}

int
ndjson_clean(const char *line, size_t len)
{
	struct memb m[FLATMAX];
	int nm;

	return (nm = flatscan(line, len, m)) >= 0 && distinct(line, m, nm);
}

int
ndjson_flat(struct arena *a, struct rec *out, const char *line, size_t len,
    unsigned long line0)
{
	return flat(NULL, a, line, len, line0, out);
}

/* ---- the reader ---- */

/* Does the input start with a UTF-16 byte order mark, either way round? */
int
utf16(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	return n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) ||
	    (p[0] == 0xfe && p[1] == 0xff));
}

/* GLEAN_NO_FASTPATH (see internal.h), read once. */
int
no_fastpath(void)
{
	static int v = -1;
	const char *s;

	if (v == -1)
		v = (s = getenv("GLEAN_NO_FASTPATH")) != NULL && *s != '\0' &&
		    strcmp(s, "0") != 0;
	return v;
}

struct rec_reader *
rec_reader_new(FILE *fp, const char *name, enum rec_format fmt)
{
	struct rec_reader *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		oom();
	r->in.fp = fp;
	r->in.first = 1;
	r->name = name;
	r->fmt = fmt;
	r->max = REC_MAXREC_DEFAULT;
	r->delim = ',';
	r->slow = no_fastpath();
	return r;
}

void
rec_reader_set_max(struct rec_reader *r, size_t max)
{
	r->max = max;
}

void
rec_reader_set_flags(struct rec_reader *r, int flags)
{
	r->flags = flags;
}

void
rec_reader_set_delim(struct rec_reader *r, int delim)
{
	r->delim = delim;
}

void
rec_reader_set_rejects(struct rec_reader *r, FILE *fp)
{
	r->rejects = fp;
}

const char *
rec_reader_error(const struct rec_reader *r)
{
	return r->err;
}

unsigned long
rec_reader_line(const struct rec_reader *r)
{
	return r->errline;
}

unsigned long long
rec_reader_bytes(const struct rec_reader *r)
{
	return r->in.bytes;
}

void
rec_reader_free(struct rec_reader *r)
{
	if (r == NULL)
		return;
	if (r->fmt == REC_CSV)
		csv_reader_free(r);
	free(r->in.buf);
	free(r->pending);
	arena_free(r->arr);
	free(r);
}

/* Brackets still open at the end of s[0..n), or -1 if a string is open. */
static long
depth(const char *s, size_t n, long d)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '"':
			for (i++; i < n && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			if (i >= n)
				return -1;
			break;
		case '{':
		case '[':
			d++;
			break;
		case '}':
		case ']':
			d--;
			break;
		}
	}
	return d;
}

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isws((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Fills *out from an object item; the caller has checked it is one. */
static void
fill(struct rec_reader *r, struct arena *a, cJSON *obj, struct rec *out,
    const char *raw, size_t rawlen, int single, unsigned long line, int copy)
{
	int dup;

	rec_init(out);
	dup = to_fields(a, obj, out, copy) || r->changed;
	out->raw = raw;
	out->rawlen = rawlen;
	out->line = line;
	out->dirty = dup || !single || raw == NULL;
	(void)r;
}

/* Hands out the next member of a pending top-level array of objects. */
static int
next_member(struct rec_reader *r, struct arena *a, struct rec *out)
{
	cJSON *it = r->next;

	r->next = it->next;
	fill(r, a, it, out, NULL, 0, 0, r->arrayline, 1);
	if (r->next == NULL) {
		r->array = NULL;
		arena_reset(r->arr);
	}
	return REC_OK;
}

static int
bad(struct rec_reader *r, const char *s, size_t n)
{
	reader_reject(r, s, n);
	return REC_BAD;
}

/*
 * Reads more lines onto an unfinished record in *acc, until its brackets
 * close, a line starts a new record in column 0, or the size bound is hit.
 */
static int
accumulate(struct rec_reader *r, struct buf *acc, long d)
{
	const char *line;
	size_t len, nlen;
	int st;

	for (;;) {
		st = lines_get(&r->in, r->max, &line, &len, &nlen);
		if (st == LINE_ERR)
			return LINE_ERR;
		if (st == LINE_EOF)
			return LINE_EOF;
		if (st == LINE_LONG || acc->len + len + 1 > r->max) {
			/* leave the long line for the next read */
			if (st == LINE_OK) {
				r->pending = realloc(r->pending, len + 1);
				if (r->pending == NULL)
					oom();
				memcpy(r->pending, line, len);
				r->pendlen = len;
				r->pendline = r->in.lineno;
			}
			return LINE_LONG;
		}
		if (len > 0 && (line[0] == '{' || line[0] == '[')) {
			r->pending = realloc(r->pending, len + 1);
			if (r->pending == NULL)
				oom();
			memcpy(r->pending, line, len);
			r->pendlen = len;
			r->pendline = r->in.lineno;
			return LINE_EOF;	/* cut short */
		}
		buf_putc(acc, '\n');
		buf_put(acc, line, len);
		if ((d = depth(line, len, d)) <= 0)
			return LINE_OK;
	}
}

/*
 * The first step of reading an NDJSON record: the next line that is not
 * blank, in *line (valid until the next read), *len and *line0.  Returns
 * REC_OK, or REC_EOF, REC_IOERR or REC_BAD (a line too long) as rec_read()
 * does.
 */
int
ndjson_line(struct rec_reader *r, struct arena *a, const char **linep,
    size_t *lenp, unsigned long *line0p)
{
	const char *line;
	size_t len, nlen;
	unsigned long line0;
	int st;

	for (;;) {
		if (r->pending != NULL) {
			line = arena_strndup(a, r->pending, r->pendlen);
			len = r->pendlen;
			line0 = r->pendline;
			free(r->pending);
			r->pending = NULL;
		} else {
			st = lines_get(&r->in, r->max, &line, &len, &nlen);
			if (st == LINE_EOF)
				return REC_EOF;
			if (st == LINE_ERR) {
				reader_error(r, r->in.lineno + 1, "%s",
				    strerror(r->in.err));
				return REC_IOERR;
			}
			if (st == LINE_LONG) {
				if (reader_skip_long(r) == -1) {
					reader_error(r, r->in.lineno + 1,
					    "%s", strerror(r->in.err));
					return REC_IOERR;
				}
				reader_error(r, r->in.lineno, "record too "
				    "large (over %zu bytes; see --max-record)",
				    r->max);
				return REC_BAD;
			}
			line0 = r->in.lineno;
		}
		if (!blank(line, len))
			break;
	}
	*linep = line;
	*lenp = len;
	*line0p = line0;
	return REC_OK;
}

/*
 * The second step: the record that starts with this line (more lines are
 * read if it spans them).  A flat object on one line takes flat(), the
 * rest cJSON.
 */
int
ndjson_record(struct rec_reader *r, struct arena *a, struct rec *out,
    const char *line, size_t len, unsigned long line0)
{
	char *text;
	size_t tlen, k;
	struct buf acc;
	cJSON *root, *it;
	long d;
	int st, single;

	if (line0 == 1 && utf16(line, len)) {
		reader_error(r, line0, "UTF-16 input (convert it to UTF-8, "
		    "e.g. with iconv -f UTF-16)");
		return bad(r, line, len);
	}
	text = NULL;
	tlen = len;
	single = 1;
	r->changed = 0;
	/* most lines are whole records: no need to count brackets */
	for (k = len; k > 0 && isws((unsigned char)line[k - 1]); k--)
		;
	if (k > 0 && line[k - 1] == '}') {
		text = arena_strndup(a, line, len);
		if (flat(r, a, text, len, line0, out))
			return REC_OK;
	}
	d = k > 0 && (line[k - 1] == '}' || line[k - 1] == ']') ? 0 :
	    depth(line, len, 0);
	if (d > 0) {
		/* an object spanning lines */
		buf_init(&acc, a);
		buf_put(&acc, line, len);
		st = accumulate(r, &acc, d);
		text = acc.p;
		tlen = acc.len;
		single = 0;
		if (st == LINE_ERR) {
			reader_error(r, r->in.lineno + 1, "%s",
			    strerror(r->in.err));
			return REC_IOERR;
		}
		if (st == LINE_LONG) {
			reader_error(r, line0, "record too large (over %zu "
			    "bytes; see --max-record)", r->max);
			return bad(r, text, tlen);
		}
		if (st == LINE_EOF) {
			reader_error(r, line0, "invalid JSON: unexpected end "
			    "of input (record not closed)");
			return bad(r, text, tlen);
		}
	}
	if (single && text == NULL)
		text = arena_strndup(a, line, len);
	if (!single || (len > 0 && line[0] == '[')) {
		/* a top-level array of objects outlives this call */
		if (r->arr == NULL)
			r->arr = arena_new();
		root = parse(r, r->arr, text, tlen, line0, &r->changed);
	} else
		root = parse(r, a, text, tlen, line0, &r->changed);
	if (root == NULL)
		return bad(r, text, tlen);
	if (cJSON_IsObject(root)) {
		fill(r, a, root, out, text, tlen, single, line0, r->arr != NULL &&
		    (!single || line[0] == '['));
		if (r->arr != NULL)
			arena_reset(r->arr);
		return REC_OK;
	}
	if (cJSON_IsArray(root) && root->child != NULL) {
		for (it = root->child; it != NULL; it = it->next)
			if (!cJSON_IsObject(it))
				break;
		if (it == NULL) {
			r->array = root;
			r->next = root->child;
			r->arrayline = line0;
			return next_member(r, a, out);
		}
	}
	if (r->arr != NULL)
		arena_reset(r->arr);
	reader_error(r, line0, "not an object");
	return bad(r, text, tlen);
}

static int
ndjson_read(struct rec_reader *r, struct arena *a, struct rec *out)
{
	const char *line;
	size_t len;
	unsigned long line0;
	int st;

	if (r->array != NULL)
		return next_member(r, a, out);
	if ((st = ndjson_line(r, a, &line, &len, &line0)) != REC_OK)
		return st;
	return ndjson_record(r, a, out, line, len, line0);
}

int
rec_read(struct rec_reader *r, struct arena *a, struct rec *out)
{
	r->err[0] = '\0';
	r->errline = 0;
	if (r->fmt == REC_CSV)
		return csv_reader_read(r, a, out);
	return ndjson_read(r, a, out);
}

/* ---- the writer ---- */

struct rec_writer *
rec_writer_new(FILE *fp)
{
	struct rec_writer *w;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		oom();
	w->fp = fp;
	w->cap = WRITESIZE;
	if ((w->buf = malloc(w->cap)) == NULL)
		oom();
	return w;
}

/* A memory writer (no stream) grows its buffer instead of writing. */
static int
grow(struct rec_writer *w, size_t n)
{
	size_t cap = w->cap;
	char *p;

	while (cap - w->len < n)
		cap *= 2;
	if ((p = realloc(w->buf, cap)) == NULL)
		oom();
	w->buf = p;
	w->cap = cap;
	return 0;
}

const char *
rec_writer_data(const struct rec_writer *w, size_t *n)
{
	*n = w->len;
	return w->buf;
}

void
rec_writer_clear(struct rec_writer *w)
{
	w->len = 0;
}

int
rec_writer_flush(struct rec_writer *w)
{
	if (w->fp == NULL)
		return 0;
	if (w->len > 0 && fwrite(w->buf, 1, w->len, w->fp) != w->len) {
		w->len = 0;
		return -1;
	}
	w->len = 0;
	return fflush(w->fp) == EOF ? -1 : 0;
}

int
rec_writer_put(struct rec_writer *w, const char *s, size_t n)
{
	if (w->cap - w->len < n) {
		if (w->fp == NULL)
			return grow(w, n) == 0 ? rec_writer_put(w, s, n) : -1;
		if (w->len > 0 && fwrite(w->buf, 1, w->len, w->fp) != w->len)
			return -1;
		w->len = 0;
		if (n >= w->cap)
			return fwrite(s, 1, n, w->fp) == n ? 0 : -1;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	return 0;
}

/* Does the word hold '"', '\\' or a control character?  (No false no.) */
static int
escape8(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"'), b = w ^ (ONES * '\\');

	return (((q - ONES) & ~q) | ((b - ONES) & ~b) |
	    ((w - ONES * 0x20) & ~w)) & HIGHS ? 1 : 0;
}

/* Appends s as a JSON string; see buf_json() for what is escaped. */
static int
put_json(struct rec_writer *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *e = p + n, *run;
	char esc[6];
	uint64_t word;
	size_t k;

	if (rec_writer_put(w, "\"", 1) == -1)
		return -1;
	while (p < e) {
		run = p;
		for (;;) {
			while (e - p >= 8) {
				memcpy(&word, p, 8);
				if (escape8(word))
					break;
				p += 8;
			}
			if (p == e || *p < 0x20 || *p == '"' || *p == '\\')
				break;
			p++;
		}
		if (p > run && rec_writer_put(w, (const char *)run,
		    (size_t)(p - run)) == -1)
			return -1;
		if (p == e)
			break;
		esc[0] = '\\';
		k = 2;
		switch (*p) {
		case '"':  esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			k = 6;
			break;
		}
		p++;
		if (rec_writer_put(w, esc, k) == -1)
			return -1;
	}
	return rec_writer_put(w, "\"", 1);
}

int
rec_write(struct rec_writer *w, const struct rec *r)
{
	const struct field *f;
	size_t i;

	if (!r->dirty && r->raw != NULL) {
		if (rec_writer_put(w, r->raw, r->rawlen) == -1)
			return -1;
		return rec_writer_put(w, "\n", 1);
	}
	if (rec_writer_put(w, "{", 1) == -1)
		return -1;
	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		if ((i > 0 && rec_writer_put(w, ",", 1) == -1) ||
		    put_json(w, f->key, f->klen) == -1 ||
		    rec_writer_put(w, ":", 1) == -1)
			return -1;
		if (f->type == REC_STRING) {
			if (put_json(w, f->val, f->vlen) == -1)
				return -1;
		} else if (rec_writer_put(w, f->val, f->vlen) == -1)
			return -1;
	}
	return rec_writer_put(w, "}\n", 2);
}

int
rec_writer_free(struct rec_writer *w)
{
	int rc;

	if (w == NULL)
		return 0;
	rc = rec_writer_flush(w);
	free(w->buf);
	free(w);
	return rc;
}

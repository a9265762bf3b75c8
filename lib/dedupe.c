/* dedupe.c - keys, folds, fingerprint sets and MinHash for glean-dedupe. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>
#include <xxhash.h>
#if defined(__x86_64__) || defined(__i386__)
/* libxxhash's own runtime choice of AVX2/AVX-512 for long inputs: the
 * same hash, twice as fast on a record line (XXH3_128bits is SSE2 only) */
#define XXH_DISPATCH_DISABLE_REPLACE
#include <xxh_x86dispatch.h>
#define DEDUPE_XXH128	XXH3_128bits_dispatch
#else
#define DEDUPE_XXH128	XXH3_128bits
#endif

#include "rec.h"
#include "internal.h"
#include "dedupe.h"

#define NSUB		256	/* independent parts of a set */
#define MINCAP		8

struct kref {
	const char	*p;
	size_t		 n;
};

struct sub {
	struct dedupe_hash *fp;		/* cap slots, {0, 0} = empty */
	uint64_t	*id;		/* DEDUPE_SET_IDS */
	struct kref	*key;		/* DEDUPE_SET_KEYS */
	size_t		 cap;
	size_t		 n;
};

/* Where dedupe_set_has() last found no key: the slot it would go in. */
struct miss {
	struct dedupe_hash h;
	const char	*key;
	size_t		 n;
	size_t		 j;
	int		 ok;
};

struct dedupe_set {
	struct sub	 sub[NSUB];
	int		 flags;
	size_t		 n;
	size_t		 bytes;
	struct arena	*keys;
	struct miss	 miss;
};

#define NONE	UINT32_MAX

struct dedupe_near {
	double		 thr;
	uint8_t		*sig;		/* DEDUPE_NPERM low bytes a record */
	uint32_t	*band;		/* DEDUPE_NBAND band hashes a record */
	uint32_t	*next;		/* DEDUPE_NBAND chain links a record */
	uint32_t	*head;		/* DEDUPE_NBAND * nbuck chain heads */
	size_t		 nbuck;		/* a power of two */
	size_t		 n;
	size_t		 cap;
};

/* The ASCII characters of general category P. */
static const char punct[128] = {
	['!'] = 1, ['"'] = 1, ['#'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1,
	['('] = 1, [')'] = 1, ['*'] = 1, [','] = 1, ['-'] = 1, ['.'] = 1,
	['/'] = 1, [':'] = 1, [';'] = 1, ['?'] = 1, ['@'] = 1, ['['] = 1,
	['\\'] = 1, [']'] = 1, ['_'] = 1, ['{'] = 1, ['}'] = 1
};

static void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if ((p = calloc(n, size)) == NULL)
		oom();
	return p;
}

static void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		oom();
	if ((p = realloc(p, n * size)) == NULL)
		oom();
	return p;
}

int
dedupe_fold_parse(const char *s)
{
	if (strcmp(s, "basic") == 0)
		return DEDUPE_FOLD_BASIC;
	if (strcmp(s, "accents") == 0)
		return DEDUPE_FOLD_ACCENTS;
	if (strcmp(s, "fingerprint") == 0)
		return DEDUPE_FOLD_FINGERPRINT;
	return -1;
}

/* Appends one code point of folded text, collapsing white space. */
static void
fold_cp(struct buf *out, size_t start, int32_t c, int *space)
{
	utf8proc_uint8_t enc[4];
	utf8proc_ssize_t k;

	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		*space = 1;
		return;
	case UTF8PROC_CATEGORY_CC:
		if ((c >= 0x09 && c <= 0x0d) || c == 0x85 || c == 0x1c ||
		    c == 0x1d || c == 0x1e || c == 0x1f)
			*space = 1;
		return;
	case UTF8PROC_CATEGORY_CF:
	case UTF8PROC_CATEGORY_PC:
	case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI:
	case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO:
		return;
	default:
		break;
	}
	if (*space && out->len > start)
		buf_putc(out, ' ');
	*space = 0;
	k = utf8proc_encode_char(c, enc);
	buf_put(out, (const char *)enc, (size_t)k);
}

static int
cmpword(const void *a, const void *b)
{
	const struct kref *x = a, *y = b;
	size_t n;
	int r;

	n = x->n < y->n ? x->n : y->n;
	if ((r = memcmp(x->p, y->p, n)) != 0)
		return r;
	return x->n < y->n ? -1 : x->n > y->n;
}

/* Sorts the words of out[start..] and drops repeated ones. */
static void
fingerprint(struct buf *out, size_t start)
{
	struct kref *w;
	char *copy, *p, *end;
	size_t n, i, cap;

	if (out->len == start)
		return;
	copy = arena_strndup(out->a, out->p + start, out->len - start);
	end = copy + (out->len - start);
	cap = 1;
	for (p = copy; p < end; p++)
		if (*p == ' ')
			cap++;
	w = arena_alloc(out->a, cap, sizeof(*w));
	n = 0;
	for (p = copy; p < end; ) {
		w[n].p = p;
		while (p < end && *p != ' ')
			p++;
		w[n].n = (size_t)(p - w[n].p);
		n++;
		p++;
	}
	qsort(w, n, sizeof(*w), cmpword);
	out->len = start;
	for (i = 0; i < n; i++) {
		if (i > 0 && cmpword(&w[i - 1], &w[i]) == 0)
			continue;
		if (out->len > start)
			buf_putc(out, ' ');
		buf_put(out, w[i].p, w[i].n);
	}
	out->p[out->len] = '\0';
}

/* Folds ASCII text: what utf8proc would do, done by hand. */
static void
fold_ascii(struct buf *out, size_t start, const char *s, size_t n,
    int *space)
{
	size_t i, base;
	char *o;
	int c;

	/* room for n bytes and a space: then write without checks */
	base = out->len;
	buf_put(out, s, n);
	buf_putc(out, ' ');
	o = out->p + base;
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		else if (c < 0x20 || c == 0x7f || c == ' ') {
			if ((c >= 0x09 && c <= 0x0d) || c == ' ' ||
			    (c >= 0x1c && c <= 0x1f))
				*space = 1;
			continue;
		} else if (punct[c])
			continue;
		if (*space && (size_t)(o - out->p) > start)
			*o++ = ' ';
		*space = 0;
		*o++ = (char)c;
	}
	out->len = (size_t)(o - out->p);
	out->p[out->len] = '\0';
}

static void
fold_utf8(struct buf *out, size_t start, const char *s, size_t n, int fold,
    int *space)
{
	utf8proc_option_t opt;
	utf8proc_int32_t *cp;
	utf8proc_ssize_t r, cap;
	size_t i;

	opt = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
	    UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;
	if (fold >= DEDUPE_FOLD_ACCENTS)
		opt |= UTF8PROC_STRIPMARK;
	cap = (utf8proc_ssize_t)n + 16;
	for (;;) {
		cp = arena_alloc(out->a, (size_t)cap, sizeof(*cp));
		r = utf8proc_decompose((const utf8proc_uint8_t *)s,
		    (utf8proc_ssize_t)n, cp, cap, opt);
		if (r < 0 || r <= cap)
			break;
		cap = r;
	}
	if (r < 0)	/* cannot happen: the text is valid UTF-8 */
		r = 0;
	r = utf8proc_normalize_utf32(cp, r, opt);
	for (i = 0; r > 0 && i < (size_t)r; i++)
		fold_cp(out, start, cp[i], space);
}

/*
 * ASCII runs are folded by hand, the rest by utf8proc.  A run given to
 * utf8proc starts with the ASCII character before it, which marks after
 * it may compose with, and ends before an ASCII character that another
 * ASCII character (or the end) follows: nothing composes across there,
 * so the result is the same as folding the whole text with utf8proc.
 */
static void
fold_once(struct buf *out, size_t start, const char *s, size_t n, int fold)
{
	const unsigned char *u;
	size_t i, k, a, e;
	int space;

	space = 0;
	u = (const unsigned char *)s;
	for (i = 0; i < n; i = e) {
		for (k = i; k < n && u[k] < 0x80; k++)
			;
		if (k == n) {
			fold_ascii(out, start, s + i, n - i, &space);
			break;
		}
		a = k > i ? k - 1 : k;
		fold_ascii(out, start, s + i, a - i, &space);
		for (e = k; e < n && !(u[e] < 0x80 &&
		    (e + 1 == n || u[e + 1] < 0x80)); e++)
			;
		fold_utf8(out, start, s + a, e - a, fold, &space);
	}
}

/*
 * Dropping a character can bring a mark next to a letter it composes
 * with ("e.\u0301"), so non-ASCII results are folded again until they
 * stay the same: folding a folded text changes nothing.
 */
void
dedupe_fold(struct buf *out, const char *s, size_t n, int fold)
{
	size_t i, start, nbad, len;
	char *prev;
	int pass;

	start = out->len;
	if (utf8_check(s, n) != n)
		s = utf8_repair(out->a, s, n, &n, &nbad);
	fold_once(out, start, s, n, fold);
	for (pass = 0; pass < 4; pass++) {
		len = out->len - start;
		for (i = start; i < out->len; i++)
			if ((unsigned char)out->p[i] >= 0x80)
				break;
		if (i == out->len)
			break;
		prev = arena_strndup(out->a, out->p + start, len);
		out->len = start;
		fold_once(out, start, prev, len, fold);
		if (out->len - start == len &&
		    memcmp(out->p + start, prev, len) == 0)
			break;
	}
	if (fold == DEDUPE_FOLD_FINGERPRINT)
		fingerprint(out, start);
}

/* Finds the field named s[0..n) in r. */
static const struct field *
getn(const struct rec *r, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		if (r->fields[i].klen == n &&
		    memcmp(r->fields[i].key, s, n) == 0)
			return &r->fields[i];
	return NULL;
}

int
dedupe_get(const struct rec *r, struct arena *tmp, const char *path,
    struct field *out)
{
	const struct field *f;
	const char *dot;
	struct rec sub;

	if ((f = getn(r, path, strlen(path))) != NULL) {
		*out = *f;
		return 1;
	}
	for (dot = strchr(path, '.'); dot != NULL;
	    dot = strchr(dot + 1, '.')) {
		f = getn(r, path, (size_t)(dot - path));
		if (f == NULL || (f->type != REC_OBJECT &&
		    f->type != REC_ARRAY))
			continue;
		if (rec_value_fields(tmp, f, &sub) == -1)
			continue;
		if (dedupe_get(&sub, tmp, dot + 1, out))
			return 1;
	}
	return 0;
}

/*
 * The canonical spelling of a JSON number: "0" for every zero, else an
 * optional '-', the significant digits with a '.' after the first, 'e' and
 * the decimal exponent: 1.10, 11e-1 and 0.011e2 are all "1.1e0".
 */
void
dedupe_number(struct buf *out, const char *s, size_t n)
{
	const char *p, *end, *digits;
	char *d;
	long long e, ex, pos;
	size_t nd, i, intd;
	int neg, eneg;

	end = s + n;
	p = s;
	neg = 0;
	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	digits = p;
	d = arena_alloc(out->a, n + 1, 1);
	nd = 0;
	intd = 0;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		d[nd++] = *p;
		intd++;
	}
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++)
			d[nd++] = *p;
	ex = 0;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		eneg = 0;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if (ex < 1000000000000LL)
				ex = ex * 10 + (*p - '0');
		if (eneg)
			ex = -ex;
	}
	if (p != end || p == digits) {	/* not a number: keep it as it is */
		buf_put(out, s, n);
		return;
	}
	/* value = 0.d[lead..] * 10^(intd - lead + ex) */
	for (i = 0; i < nd && d[i] == '0'; i++)
		;
	if (i == nd) {
		buf_putc(out, '0');
		return;
	}
	pos = (long long)intd - (long long)i + ex;
	while (nd > i && d[nd - 1] == '0')
		nd--;
	if (neg)
		buf_putc(out, '-');
	buf_putc(out, d[i]);
	if (nd - i > 1) {
		buf_putc(out, '.');
		buf_put(out, d + i + 1, nd - i - 1);
	}
	e = pos - 1;
	buf_printf(out, "e%lld", e);
}

static void
put_value(struct buf *out, const struct field *f, int canon, int fold,
    struct arena *tmp)
{
	struct buf b;
	struct rec sub;

	switch (f->type) {
	case REC_STRING:
		if (fold) {
			buf_init(&b, tmp);
			dedupe_fold(&b, f->val, f->vlen, fold);
			buf_json(out, b.p, b.len);
		} else
			buf_json(out, f->val, f->vlen);
		break;
	case REC_NUMBER:
		if (canon)
			dedupe_number(out, f->val, f->vlen);
		else
			buf_put(out, f->val, f->vlen);
		break;
	case REC_OBJECT:
	case REC_ARRAY:
		if ((canon || fold) && rec_value_fields(tmp, f, &sub) == 0) {
			dedupe_json(out, &sub, f->type == REC_ARRAY, canon,
			    fold, tmp);
			break;
		}
		/* FALLTHROUGH */
	default:
		buf_put(out, f->val, f->vlen);
		break;
	}
}

static int
cmpfield(const void *a, const void *b)
{
	const struct field *x = *(const struct field *const *)a;
	const struct field *y = *(const struct field *const *)b;
	size_t n;
	int r;

	n = x->klen < y->klen ? x->klen : y->klen;
	if ((r = memcmp(x->key, y->key, n)) != 0)
		return r;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return x < y ? -1 : x > y;	/* stable: input order */
}

void
dedupe_json(struct buf *out, const struct rec *r, int array, int canon,
    int fold, struct arena *tmp)
{
	const struct field **v;
	size_t i;

	v = arena_alloc(tmp, r->nfields + 1, sizeof(*v));
	for (i = 0; i < r->nfields; i++)
		v[i] = &r->fields[i];
	if (canon && !array)
		qsort(v, r->nfields, sizeof(*v), cmpfield);
	buf_putc(out, array ? '[' : '{');
	for (i = 0; i < r->nfields; i++) {
		if (i > 0)
			buf_putc(out, ',');
		if (!array) {
			buf_json(out, v[i]->key, v[i]->klen);
			buf_putc(out, ':');
		}
		put_value(out, v[i], canon, fold, tmp);
	}
	buf_putc(out, array ? ']' : '}');
}

static const char typechar[] = "sntfzao";

/* Appends the key's "T<len>:" before a value of n bytes. */
static void
put_head(struct buf *out, int type, size_t n)
{
	char tmp[24], *p;

	p = tmp + sizeof(tmp);
	*--p = ':';
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	*--p = typechar[type];
	buf_put(out, p, (size_t)(tmp + sizeof(tmp) - p));
}

void
dedupe_key(struct buf *out, const struct dedupe_key *k, const struct rec *r,
    struct arena *tmp)
{
	struct field f;
	struct buf v;
	size_t i;

	out->len = 0;
	out->p[0] = '\0';
	if (k->paths == NULL) {
		if (!k->canon && !k->fold && r->raw != NULL && !r->dirty)
			buf_put(out, r->raw, r->rawlen);
		else
			dedupe_json(out, r, 0, k->canon, k->fold, tmp);
		return;
	}
	for (i = 0; i < k->npaths; i++) {
		if (!dedupe_get(r, tmp, k->paths[i], &f)) {
			buf_put(out, "m;", 2);
			continue;
		}
		if (f.type == REC_STRING && !k->fold) {
			put_head(out, f.type, f.vlen);
			buf_put(out, f.val, f.vlen);
			continue;
		}
		buf_init(&v, tmp);
		if (f.type == REC_STRING)
			dedupe_fold(&v, f.val, f.vlen, k->fold);
		else
			put_value(&v, &f, k->canon, k->fold, tmp);
		put_head(out, f.type, v.len);
		buf_put(out, v.p, v.len);
	}
}

void
dedupe_text(struct buf *out, char **paths, size_t npaths,
    const struct rec *r, struct arena *tmp)
{
	struct field f;
	size_t i;

	out->len = 0;
	out->p[0] = '\0';
	for (i = 0; i < npaths; i++) {
		if (!dedupe_get(r, tmp, paths[i], &f))
			continue;
		if (out->len > 0)
			buf_putc(out, ' ');
		buf_put(out, f.val, f.vlen);
	}
}

struct dedupe_hash
dedupe_hash(const char *key, size_t n)
{
	struct dedupe_hash h;
	XXH128_hash_t x;

	x = DEDUPE_XXH128(key, n);
	h.lo = x.low64;
	h.hi = x.high64;
	return h;
}

struct dedupe_set *
dedupe_set_new(int flags)
{
	struct dedupe_set *s;

	s = xcalloc(1, sizeof(*s));
	s->flags = flags;
	s->bytes = sizeof(*s);
	if (flags & DEDUPE_SET_KEYS)
		s->keys = arena_new();
	return s;
}

static size_t
slotsize(const struct dedupe_set *s)
{
	size_t n;

	n = sizeof(struct dedupe_hash);
	if (s->flags & DEDUPE_SET_IDS)
		n += sizeof(uint64_t);
	if (s->flags & DEDUPE_SET_KEYS)
		n += sizeof(struct kref);
	return n;
}

/* Bits 16..47 of hi scaled to the table: no division (Lemire). */
static size_t
home(struct dedupe_hash h, size_t cap)
{
	return (size_t)(((h.hi >> 16 & 0xffffffffULL) * (uint64_t)cap) >> 32);
}

/* Moves a part into a table of cap slots. */
static void
grow(struct dedupe_set *s, struct sub *t, size_t cap)
{
	struct sub n;
	size_t i, j;

	memset(&n, 0, sizeof(n));
	n.cap = cap;
	n.n = t->n;
	n.fp = xcalloc(cap, sizeof(*n.fp));
	if (s->flags & DEDUPE_SET_IDS)
		n.id = xcalloc(cap, sizeof(*n.id));
	if (s->flags & DEDUPE_SET_KEYS)
		n.key = xcalloc(cap, sizeof(*n.key));
	for (i = 0; i < t->cap; i++) {
		if (t->fp[i].lo == 0 && t->fp[i].hi == 0)
			continue;
		for (j = home(t->fp[i], cap); n.fp[j].lo != 0 ||
		    n.fp[j].hi != 0; j = j + 1 == cap ? 0 : j + 1)
			;
		n.fp[j] = t->fp[i];
		if (n.id != NULL)
			n.id[j] = t->id[i];
		if (n.key != NULL)
			n.key[j] = t->key[i];
	}
	free(t->fp);
	free(t->id);
	free(t->key);
	s->bytes += (cap - t->cap) * slotsize(s);
	*t = n;
}

/*
 * The slot of h (and key, if the set keeps keys) in t: where it is, with
 * *found set, or the empty slot where it would go.  t has slots.
 */
static size_t
lookup(const struct sub *t, struct dedupe_hash h, const char *key, size_t n,
    int *found)
{
	size_t j;

	for (j = home(h, t->cap); t->fp[j].lo != 0 || t->fp[j].hi != 0;
	    j = j + 1 == t->cap ? 0 : j + 1) {
		if (t->fp[j].lo != h.lo || t->fp[j].hi != h.hi)
			continue;
		if (t->key != NULL && (t->key[j].n != n ||
		    memcmp(t->key[j].p, key, n) != 0))
			continue;
		*found = 1;
		return j;
	}
	*found = 0;
	return j;
}

int
dedupe_set_add(struct dedupe_set *s, struct dedupe_hash h, const char *key,
    size_t n, uint64_t *id)
{
	struct sub *t;
	size_t j;
	int found;

	if (h.lo == 0 && h.hi == 0)
		h.lo = 1;		/* {0, 0} marks an empty slot */
	t = &s->sub[h.hi >> 56];
	if (t->cap == 0)
		grow(s, t, MINCAP);
	if (s->miss.ok && s->miss.h.lo == h.lo && s->miss.h.hi == h.hi &&
	    s->miss.key == key && s->miss.n == n) {
		j = s->miss.j;	/* dedupe_set_has() just probed for it */
		found = 0;
	} else
		j = lookup(t, h, key, n, &found);
	s->miss.ok = 0;
	if (found) {
		if (id != NULL)
			*id = t->id != NULL ? t->id[j] : 0;
		return 1;
	}
	t->fp[j] = h;
	if (t->id != NULL)
		t->id[j] = s->n;
	if (t->key != NULL) {
		t->key[j].p = arena_strndup(s->keys, key, n);
		t->key[j].n = n;
	}
	if (id != NULL)
		*id = s->n;
	s->n++;
	if (++t->n * 4 > t->cap * 3)
		grow(s, t, t->cap * 7 / 5 + 1);
	return 0;
}

int
dedupe_set_has(struct dedupe_set *s, struct dedupe_hash h, const char *key,
    size_t n)
{
	const struct sub *t;
	size_t j;
	int found;

	if (h.lo == 0 && h.hi == 0)
		h.lo = 1;
	t = &s->sub[h.hi >> 56];
	s->miss.ok = 0;
	if (t->cap == 0)
		return 0;
	j = lookup(t, h, key, n, &found);
	if (!found) {
		s->miss.h = h;
		s->miss.key = key;
		s->miss.n = n;
		s->miss.j = j;
		s->miss.ok = 1;
	}
	return found;
}

void
dedupe_set_prefetch(const struct dedupe_set *s, struct dedupe_hash h)
{
#ifdef __GNUC__
	const struct sub *t;
	const char *p;

	t = &s->sub[h.hi >> 56];
	if (t->cap > 0) {
		/* and the next cache line: a probe reads 1.6 lines on
		 * average (a prefetch past the end does not fault) */
		p = (const char *)&t->fp[home(h, t->cap)];
		__builtin_prefetch(p);
		__builtin_prefetch(p + 64);
	}
#else
	(void)s;
	(void)h;
#endif
}

size_t
dedupe_set_count(const struct dedupe_set *s)
{
	return s->n;
}

size_t
dedupe_set_bytes(const struct dedupe_set *s)
{
	return s->bytes + (s->keys != NULL ? arena_bytes(s->keys) : 0);
}

void
dedupe_set_free(struct dedupe_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < NSUB; i++) {
		free(s->sub[i].fp);
		free(s->sub[i].id);
		free(s->sub[i].key);
	}
	arena_free(s->keys);
	free(s);
}


static uint64_t perm_a[DEDUPE_NPERM], perm_b[DEDUPE_NPERM];

/* splitmix64: the permutations' constants, the same on every machine. */
static void
perms(void)
{
	static int ready;
	uint64_t x, z;
	int i;

	if (ready)
		return;
	x = 0x676c65616e2d6e65ULL;	/* "glean-ne" */
	for (i = 0; i < 2 * DEDUPE_NPERM; i++) {
		z = (x += 0x9e3779b97f4a7c15ULL);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
		if (i % 2 == 0)
			perm_a[i / 2] = z | 1;
		else
			perm_b[i / 2] = z;
	}
	ready = 1;
}

void
dedupe_minhash(const char *s, size_t n, uint32_t sig[DEDUPE_NPERM],
    size_t *nwords)
{
	const char *p, *w, *prev, *cur, *end;
	uint64_t x;
	uint32_t v;
	size_t nw;
	int i;

	perms();
	for (i = 0; i < DEDUPE_NPERM; i++)
		sig[i] = UINT32_MAX;
	end = s + n;
	nw = 0;
	cur = s;
	for (p = s; p < end; ) {
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		prev = cur;
		cur = w = p;
		while (p < end && *p != ' ')
			p++;
		nw++;
		if (nw == 1 && p < end)
			continue;	/* a pair needs two words */
		/* a pair of words as it stands in s, or a one-word text */
		if (nw > 1)
			w = prev;
		x = XXH3_64bits(w, (size_t)(p - w));
		for (i = 0; i < DEDUPE_NPERM; i++) {
			/* branch-free: the branch would mispredict */
			v = (uint32_t)((x * perm_a[i] + perm_b[i]) >> 32);
			sig[i] = v < sig[i] ? v : sig[i];
		}
	}
	if (nwords != NULL)
		*nwords = nw;
}

static double
estimate(const uint8_t *a, const uint8_t *b)
{
	int i, m;

	for (i = m = 0; i < DEDUPE_NPERM; i++)
		m += a[i] == b[i];
	/* two different minimums share a low byte 1 time in 256 */
	return ((double)m / DEDUPE_NPERM - 1.0 / 256) / (1 - 1.0 / 256);
}

/* The similarity estimate the index uses, for two full signatures. */
double
dedupe_similarity(const uint32_t *a, const uint32_t *b)
{
	uint8_t x[DEDUPE_NPERM], y[DEDUPE_NPERM];
	int i;

	for (i = 0; i < DEDUPE_NPERM; i++) {
		x[i] = (uint8_t)a[i];
		y[i] = (uint8_t)b[i];
	}
	return estimate(x, y);
}

struct dedupe_near *
dedupe_near_new(double thr)
{
	struct dedupe_near *x;

	x = xcalloc(1, sizeof(*x));
	x->thr = thr;
	x->nbuck = 1024;
	x->head = xreallocarray(NULL, DEDUPE_NBAND * x->nbuck,
	    sizeof(*x->head));
	memset(x->head, 0xff, DEDUPE_NBAND * x->nbuck * sizeof(*x->head));
	return x;
}

static void
link_rec(struct dedupe_near *x, size_t e)
{
	size_t b, k;

	for (b = 0; b < DEDUPE_NBAND; b++) {
		k = b * x->nbuck + (x->band[e * DEDUPE_NBAND + b] &
		    (x->nbuck - 1));
		x->next[e * DEDUPE_NBAND + b] = x->head[k];
		x->head[k] = (uint32_t)e;
	}
}

int
dedupe_near_add(struct dedupe_near *x, const uint32_t *sig)
{
	uint32_t bh[DEDUPE_NBAND], e;
	uint8_t lo[DEDUPE_NPERM];
	size_t b, i;

	for (i = 0; i < DEDUPE_NPERM; i++)
		lo[i] = (uint8_t)sig[i];
	for (b = 0; b < DEDUPE_NBAND; b++) {
		bh[b] = (uint32_t)XXH3_64bits_withSeed(sig + b * DEDUPE_ROWS,
		    DEDUPE_ROWS * sizeof(*sig), b);
		e = x->head[b * x->nbuck + (bh[b] & (x->nbuck - 1))];
		for (; e != NONE; e = x->next[e * DEDUPE_NBAND + b])
			if (x->band[e * DEDUPE_NBAND + b] == bh[b] &&
			    estimate(x->sig + e * DEDUPE_NPERM, lo) >= x->thr)
				return 1;
	}
	if (x->n == NONE)
		oom();		/* four billion kept records */
	if (x->n == x->cap) {
		x->cap = x->cap == 0 ? 1024 : x->cap * 2;
		x->sig = xreallocarray(x->sig, x->cap, DEDUPE_NPERM);
		x->band = xreallocarray(x->band, x->cap,
		    DEDUPE_NBAND * sizeof(uint32_t));
		x->next = xreallocarray(x->next, x->cap,
		    DEDUPE_NBAND * sizeof(uint32_t));
	}
	memcpy(x->sig + x->n * DEDUPE_NPERM, lo, DEDUPE_NPERM);
	memcpy(x->band + x->n * DEDUPE_NBAND, bh, sizeof(bh));
	x->n++;
	if (x->n > 2 * x->nbuck) {
		/* more buckets, so that chains stay short */
		x->nbuck *= 2;
		x->head = xreallocarray(x->head, DEDUPE_NBAND * x->nbuck,
		    sizeof(*x->head));
		memset(x->head, 0xff, DEDUPE_NBAND * x->nbuck *
		    sizeof(*x->head));
		for (i = 0; i < x->n; i++)
			link_rec(x, i);
	} else
		link_rec(x, x->n - 1);
	return 0;
}

size_t
dedupe_near_bytes(const struct dedupe_near *x)
{
	return sizeof(*x) + x->cap * (DEDUPE_NPERM + 2 * DEDUPE_NBAND *
	    sizeof(uint32_t)) + DEDUPE_NBAND * x->nbuck * sizeof(uint32_t);
}

void
dedupe_near_free(struct dedupe_near *x)
{
	if (x == NULL)
		return;
	free(x->sig);
	free(x->band);
	free(x->next);
	free(x->head);
	free(x);
}

int
dedupe_read(struct rec_reader *r, struct arena *a, struct rec *out,
    struct dedupe_set *seen, struct dedupe_hash *h, int *how)
{
	const char *line;
	size_t len;
	unsigned long line0;
	int st;

	*how = 0;
	if (r->fmt != REC_NDJSON || r->array != NULL || r->slow)
		return rec_read(r, a, out);
	r->err[0] = '\0';
	r->errline = 0;
	if ((st = ndjson_line(r, a, &line, &len, &line0)) != REC_OK)
		return st;
	*h = dedupe_hash(line, len);
	if (dedupe_set_has(seen, *h, line, len)) {
		/* the key of a record before: a valid record's clean text */
		rec_init(out);
		out->raw = line;	/* valid until the next read */
		out->rawlen = len;
		out->line = line0;
		*how = DEDUPE_KNOWN;
		return REC_OK;
	}
	st = ndjson_record(r, a, out, line, len, line0);
	/* a clean record is one line, its raw text that line */
	if (st == REC_OK && !out->dirty)
		*how = DEDUPE_HASHED;
	return st;
}

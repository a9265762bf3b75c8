/*
 * dedupelines.c - dedupe's lines, read (and hashed) ahead.
 *
 * A filler (a second thread, or the caller itself) reads the input in
 * chunks of whole lines, and for whole-record keys hashes every line; the
 * caller takes the lines one by one as records.  What the caller does not
 * take (a line that is not a clean record, a line longer than a chunk)
 * goes back to the record reader, whose buffer then takes the following
 * chunks as they come (lines.more), so that the reader reads on from
 * there by its own rules.  The concatenation of the chunks' bytes is the
 * input.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rec.h"
#include "internal.h"
#include "dedupe.h"

#define CHUNK		((size_t)1 << 18)	/* bytes a chunk holds */
#define MAXLINES	8192			/* lines a chunk holds */
#define NCHUNK		8			/* chunks of the ring */
#define AHEAD		8	/* lines between a prefetch and its probe */
#define BUSY		6	/* chunks queued when the filler checks lines */
#define SEENBITS	((size_t)1 << 21)	/* the filler's filter */

/* What a line is, if the filler checked it: KEYED, clean with h its key's */
enum { UNKNOWN, CLEAN, UNCLEAN, KEYED };

struct aline {
	uint32_t	 off;		/* the line in the chunk's buffer */
	uint32_t	 len;		/* without the line end (LF, CRLF) */
	uint32_t	 end;		/* where the next line starts */
	uint16_t	 lf;		/* 1 if an LF ends it (not the last) */
	uint16_t	 clean;		/* checked by the filler: CLEAN... */
	struct dedupe_hash h;
};

struct chunk {
	char		*buf;		/* CHUNK bytes */
	size_t		 n;		/* bytes of the input in buf */
	struct aline	*lines;		/* whole lines from buf's start */
	size_t		 nlines;
	int		 eof;		/* nothing follows */
	int		 err;		/* errno of a read error after buf */
};

struct dedupe_lines {
	struct rec_reader *r;
	int		 fd;
	int		 threaded;
	int		 hashed;	/* lines get fingerprints (and checks) */
	const struct dedupe_key *key;	/* or the filler makes keys */
	struct dedupe_key kcopy;	/* key's, in kperm: the filler's own */
	struct arena	*kperm;
	struct arena	*ka;		/* the filler's, for keys */
	/* the filler's */
	char		*carry;		/* bytes after the last chunk's lines */
	size_t		 ncarry;
	int		 eof;
	unsigned char	*seen;		/* SEENBITS: lines it checked */
	/* the ring: the filler fills chunk tail, the caller takes head */
	struct chunk	 ring[NCHUNK];
	size_t		 head, count;
	int		 ended;		/* the filler is done */
	int		 stop;		/* the caller wants no more */
	int		 refs;		/* the caller and the thread */
	pthread_mutex_t	 mu;
	pthread_cond_t	 filled, freed;
	pthread_t	 thread;
	/* the caller's */
	struct chunk	*cur;		/* the chunk being taken, or NULL */
	size_t		 next;		/* its next line */
	int		 last;		/* the chunk with eof or err was taken */
	int		 err;		/* and its error */
};

/*
 * Adds the line c->buf[s..e) to c, without its line end (e, or an LF at
 * e if lf) and a CR before it, as lines_get() takes it; hashes it if
 * hashed.
 */
static void
addline(struct chunk *c, size_t s, size_t e, int lf, int hashed)
{
	struct aline *a;
	size_t len;

	a = &c->lines[c->nlines++];
	len = e - s;
	if (len > 0 && c->buf[e - 1] == '\r')
		len--;
	a->off = (uint32_t)s;
	a->len = (uint32_t)len;
	a->end = (uint32_t)(e + (size_t)lf);
	a->lf = (uint16_t)lf;
	a->clean = UNKNOWN;
	if (hashed)
		a->h = dedupe_hash(c->buf + s, len);
}

/* Finds the lines of c->buf[*scan..n) that end in an LF. */
static void
split(struct chunk *c, size_t *scan, size_t n, int hashed)
{
	const char *p;
	size_t s;

	s = *scan;
	while (c->nlines < MAXLINES && s < n &&
	    (p = memchr(c->buf + s, '\n', n - s)) != NULL) {
		addline(c, s, (size_t)(p - c->buf), 1, hashed);
		s = c->lines[c->nlines - 1].end;
	}
	*scan = s;
}

/*
 * Fills c: the carry, then what read() gives, until there are lines (or
 * the chunk is full, or the input ends).  The bytes after the last whole
 * line are carried to the next chunk, except at the end of the input
 * (the last line may lack its line end) and in a full chunk with no line
 * end at all (part of a long line, handed on as it is).
 */
static void
fill(struct dedupe_lines *d, struct chunk *c)
{
	size_t n, scan;
	ssize_t k;

	memcpy(c->buf, d->carry, d->ncarry);
	n = d->ncarry;
	d->ncarry = 0;
	scan = 0;
	c->nlines = 0;
	c->eof = c->err = 0;
	for (;;) {
		split(c, &scan, n, d->hashed);
		if (c->nlines == MAXLINES || (c->nlines > 0 && !d->eof) ||
		    n == CHUNK)
			break;
		if (d->eof) {
			if (scan < n)		/* the last line, no LF */
				addline(c, scan, n, 0, d->hashed);
			break;
		}
		do
			k = read(d->fd, c->buf + n, CHUNK - n);
		while (k == -1 && errno == EINTR);
		if (k == -1) {
			c->err = errno;
			break;
		}
		if (k == 0)
			d->eof = 1;
		n += (size_t)k;
	}
	if (c->err != 0 || c->nlines == 0) {
		c->n = n;	/* all of it: an error, the end, a long line */
	} else {
		c->n = c->lines[c->nlines - 1].end;
		d->ncarry = n - c->n;
		memcpy(d->carry, c->buf + c->n, d->ncarry);
	}
	c->eof = d->eof && d->ncarry == 0 && c->err == 0;
}

/*
 * When the caller is behind (BUSY chunks queued), the filler checks the
 * lines of the chunk it filled as the caller would (ndjson_clean), so that
 * the caller has less to do: the two threads share the work.  A filter of
 * the fingerprints of every line it filled (one bit each, false yeses
 * only) spares it the lines seen before, which the caller drops unchecked
 * anyway: the filler marks the lines of every chunk, busy or not, so that
 * a line the caller checked in an earlier chunk is not checked again.  A
 * line it passes over stays UNKNOWN, for the caller to check if need be.
 */
static void
check(struct dedupe_lines *d, struct chunk *c, int busy)
{
	struct aline *a;
	struct rec rec;
	struct buf kb;
	size_t i, bit;

	if (d->key != NULL) {
		if (!busy)
			return;
		/* the key's fingerprint of each clean line */
		for (i = 0; i < c->nlines; i++) {
			a = &c->lines[i];
			if (ndjson_flat(d->ka, &rec, c->buf + a->off,
			    a->len, 0)) {
				buf_init(&kb, d->ka);
				dedupe_key(&kb, d->key, &rec, d->ka);
				a->h = dedupe_hash(kb.p, kb.len);
				a->clean = KEYED;
			} else
				a->clean = UNCLEAN;
			arena_reset(d->ka);
		}
		return;
	}

	if (d->seen == NULL && (d->seen = calloc(SEENBITS / 8, 1)) == NULL)
		return;
	for (i = 0; i < c->nlines; i++) {
#ifdef __GNUC__
		if (i + AHEAD < c->nlines)
			__builtin_prefetch(&d->seen[(size_t)(c->lines[i +
			    AHEAD].h.hi & (SEENBITS - 1)) / 8]);
#endif
		a = &c->lines[i];
		bit = (size_t)(a->h.hi & (SEENBITS - 1));
		if (d->seen[bit / 8] & 1 << bit % 8)
			continue;
		d->seen[bit / 8] |= (unsigned char)(1 << bit % 8);
		if (busy)
			a->clean = ndjson_clean(c->buf + a->off, a->len) ?
			    CLEAN : UNCLEAN;
	}
}

static void
release(struct dedupe_lines *d)
{
	size_t i;
	int last;

	pthread_mutex_lock(&d->mu);
	last = --d->refs == 0;
	pthread_mutex_unlock(&d->mu);
	if (!last)
		return;
	for (i = 0; i < NCHUNK; i++) {
		free(d->ring[i].buf);
		free(d->ring[i].lines);
	}
	free(d->carry);
	free(d->seen);
	arena_free(d->ka);
	arena_free(d->kperm);
	pthread_mutex_destroy(&d->mu);
	pthread_cond_destroy(&d->filled);
	pthread_cond_destroy(&d->freed);
	free(d);
}

static void *
filler(void *arg)
{
	struct dedupe_lines *d = arg;
	struct chunk *c;
	sigset_t all;
	int done, busy;

	/* signals are the main thread's (dedupe's temporary files) */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (done = 0; !done; ) {
		pthread_mutex_lock(&d->mu);
		while (d->count == NCHUNK && !d->stop)
			pthread_cond_wait(&d->freed, &d->mu);
		if (d->stop) {
			pthread_mutex_unlock(&d->mu);
			break;
		}
		c = &d->ring[(d->head + d->count) % NCHUNK];
		pthread_mutex_unlock(&d->mu);
		fill(d, c);
		done = c->eof || c->err != 0;
		pthread_mutex_lock(&d->mu);
		busy = d->count >= BUSY;
		pthread_mutex_unlock(&d->mu);
		if (d->hashed || d->key != NULL)
			check(d, c, busy);
		pthread_mutex_lock(&d->mu);
		d->count++;
		d->ended = done;
		pthread_cond_signal(&d->filled);
		pthread_mutex_unlock(&d->mu);
	}
	release(d);
	return NULL;
}

/* The next chunk, or NULL after the last. */
static struct chunk *
take(struct dedupe_lines *d)
{
	struct chunk *c;

	if (d->last)
		return NULL;
	if (!d->threaded) {
		c = &d->ring[0];
		fill(d, c);
	} else {
		pthread_mutex_lock(&d->mu);
		while (d->count == 0)
			pthread_cond_wait(&d->filled, &d->mu);
		c = &d->ring[d->head];
		pthread_mutex_unlock(&d->mu);
	}
	d->last = c->eof || c->err != 0;
	d->err = c->err;
	return c;
}

/* Done with the chunk take() gave. */
static void
untake(struct dedupe_lines *d)
{
	if (d->threaded) {
		pthread_mutex_lock(&d->mu);
		d->head = (d->head + 1) % NCHUNK;
		d->count--;
		pthread_cond_signal(&d->freed);
		pthread_mutex_unlock(&d->mu);
	}
	d->cur = NULL;
}

/* Hands c's bytes from byte at on to the reader; done with c. */
static void
give(struct dedupe_lines *d, struct chunk *c, size_t at)
{
	struct lines *l = &d->r->in;

	lines_append(l, c->buf + at, c->n - at);
	untake(d);
}

/* lines.more: the reader's next bytes are the next chunk's. */
static int
more(struct lines *l, void *arg)
{
	struct dedupe_lines *d = arg;
	struct chunk *c;

	if ((c = take(d)) != NULL)
		give(d, c, 0);
	else
		lines_append(l, "", 0);	/* a buffer, even if empty */
	if (d->last && d->err != 0) {
		l->err = d->err;
		return -1;
	}
	if (d->last)
		l->eof = 1;
	return 0;
}

struct dedupe_lines *
dedupe_lines_new(struct rec_reader *r, int threaded, int hashed,
    const struct dedupe_key *key)
{
	struct dedupe_lines *d;
	size_t i, n;

	if (r->fmt != REC_NDJSON || r->slow)
		return NULL;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		oom();
	d->r = r;
	d->fd = fileno(r->in.fp);
	d->threaded = threaded;
	d->hashed = hashed;
	if (threaded && !hashed && key != NULL) {
		/* a copy: a filler left in read() may outlive the caller's */
		d->kperm = arena_new();
		d->kcopy = *key;
		if (key->paths != NULL) {
			d->kcopy.paths = arena_alloc(d->kperm, key->npaths + 1,
			    sizeof(char *));
			for (i = 0; i < key->npaths; i++)
				d->kcopy.paths[i] = arena_strdup(d->kperm,
				    key->paths[i]);
			d->kcopy.paths[i] = NULL;
		}
		d->key = &d->kcopy;
		d->ka = arena_new();
	}
	n = threaded ? NCHUNK : 1;
	for (i = 0; i < n; i++) {
		if ((d->ring[i].buf = malloc(CHUNK)) == NULL ||
		    (d->ring[i].lines = malloc(MAXLINES *
		    sizeof(struct aline))) == NULL)
			oom();
	}
	if ((d->carry = malloc(CHUNK)) == NULL)
		oom();
	d->refs = 1;
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->filled, NULL);
	pthread_cond_init(&d->freed, NULL);
	if (threaded) {
		d->refs = 2;
		if (pthread_create(&d->thread, NULL, filler, d) != 0) {
			d->threaded = 0;
			d->refs = 1;
		}
	}
	r->in.more = more;
	r->in.morearg = d;
	return d;
}

/* The next line, consumed; NULL if it is r's to read. */
static const struct aline *
next_line(struct dedupe_lines *d, const struct dedupe_set *set)
{
	struct lines *l = &d->r->in;
	struct aline *a;
	struct chunk *c;

	/* the reader must hold nothing: its bytes come first */
	if (l->start < l->end || d->r->pending != NULL ||
	    d->r->array != NULL)
		return NULL;
	if (d->cur == NULL || d->next == d->cur->nlines) {
		if (d->cur != NULL)
			untake(d);
		if ((c = take(d)) == NULL)
			return NULL;
		if (c->nlines == 0 || (l->first && c->n >= 3 &&
		    memcmp(c->buf, "\xef\xbb\xbf", 3) == 0)) {
			give(d, c, 0);	/* a long line, the end, a BOM */
			return NULL;
		}
		d->cur = c;
		d->next = 0;
	}
	c = d->cur;
	if (set != NULL && d->next + AHEAD < c->nlines && (d->hashed ||
	    c->lines[d->next + AHEAD].clean == KEYED))
		dedupe_set_prefetch(set, c->lines[d->next + AHEAD].h);
	a = &c->lines[d->next];
	/* the line's length as lines_get() measures it: with a CR */
	if (a->end - a->off - a->lf > d->r->max) {
		give(d, c, a->off);	/* over --max-record */
		return NULL;
	}
	d->next++;
	l->lineno++;
	l->bytes += a->end - a->off;
	l->first = 0;
	return a;
}

/* Gives the line just had back to r, with what follows it. */
static void
back(struct dedupe_lines *d)
{
	struct lines *l = &d->r->in;
	struct aline *a;
	struct chunk *c;

	c = d->cur;
	a = &c->lines[--d->next];
	l->lineno--;
	l->bytes -= a->end - a->off;
	give(d, c, a->off);
}

/* out: the line (raw only, clean), its number, and h. */
static void
as_record(struct dedupe_lines *d, const struct aline *a, struct rec *out,
    struct dedupe_hash *h)
{
	rec_init(out);
	out->raw = d->cur->buf + a->off;
	out->rawlen = a->len;
	out->line = d->r->in.lineno;
	*h = a->h;
}

int
dedupe_lines_read(struct dedupe_lines *d, struct dedupe_set *seen,
    struct arena *tmp, struct rec *out, struct dedupe_hash *h, int *how)
{
	const struct aline *a;

	if ((a = next_line(d, seen)) == NULL)
		return 0;
	*how = 0;
	if (d->hashed) {
		as_record(d, a, out, h);
		if (dedupe_set_has(seen, *h, out->raw, out->rawlen)) {
			*how = DEDUPE_KNOWN;
			return 1;
		}
		if (a->clean == CLEAN || (a->clean == UNKNOWN &&
		    ndjson_clean(out->raw, out->rawlen))) {
			*how = DEDUPE_HASHED;
			return 1;
		}
	} else if (a->clean == KEYED) {
		as_record(d, a, out, h);
		*how = DEDUPE_KEYED;
		return 1;
	} else if (a->clean == UNKNOWN && ndjson_flat(tmp, out,
	    d->cur->buf + a->off, a->len, d->r->in.lineno))
		return 1;
	back(d);
	return 0;
}

void
dedupe_lines_free(struct dedupe_lines *d)
{
	int ended;

	if (d == NULL)
		return;
	d->r->in.more = NULL;
	d->r->in.morearg = NULL;
	if (d->threaded) {
		pthread_mutex_lock(&d->mu);
		d->stop = 1;
		ended = d->ended;
		pthread_cond_signal(&d->freed);
		pthread_mutex_unlock(&d->mu);
		if (ended)
			pthread_join(d->thread, NULL);
		else
			pthread_detach(d->thread);	/* maybe in read() */
	}
	release(d);
}

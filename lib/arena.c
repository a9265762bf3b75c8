/* arena.c - bump allocation in chained blocks, reset or freed at once. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "rec.h"
#include "internal.h"

#define BLOCK	((size_t)64 << 10)
#define ALIGN	16

struct block {
	struct block	*prev;
	size_t		 size;		/* usable bytes after the header */
	size_t		 used;
};

struct arena {
	struct block	*cur;
	size_t		 held;
};

void
oom(void)
{
	fprintf(stderr, "%s: out of memory\n", progname);
	exit(EX_OSERR);
}

/* The header is padded so that block data starts aligned. */
#define HDR	((sizeof(struct block) + ALIGN - 1) & ~(size_t)(ALIGN - 1))

static struct block *
block_new(size_t need)
{
	struct block *b;
	size_t size;

	size = need > BLOCK ? need : BLOCK;
	if (size > SIZE_MAX - HDR)
		oom();
	if ((b = malloc(HDR + size)) == NULL)
		oom();
	b->size = size;
	b->used = 0;
	b->prev = NULL;
	return b;
}

/* Returns a new, empty arena; never NULL. */
struct arena *
arena_new(void)
{
	struct arena *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		oom();
	a->cur = block_new(BLOCK);
	a->held = a->cur->size;
	return a;
}

/* Returns n bytes aligned to 16, not zeroed (for cJSON, which fills them). */
void *
arena_take(struct arena *a, size_t n)
{
	struct block *b;
	size_t off;

	if (n > SIZE_MAX - ALIGN)
		oom();
	off = (a->cur->used + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (off > a->cur->size || a->cur->size - off < n) {
		b = block_new(n);
		b->prev = a->cur;
		a->cur = b;
		a->held += b->size;
		off = 0;
	}
	a->cur->used = off + n;
	return (char *)a->cur + HDR + off;
}

/* Returns n * size zeroed bytes aligned to 16, alive until reset or free. */
void *
arena_alloc(struct arena *a, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		oom();
	return memset(arena_take(a, n * size), 0, n * size);
}

/*
 * Grows an allocation: in place when it is the newest one in the block,
 * else by copying.  The old bytes are kept.
 */
void *
arena_realloc(struct arena *a, void *old, size_t oldsize, size_t newsize)
{
	char *base, *p;

	if (old != NULL) {
		base = (char *)a->cur + HDR;
		if ((char *)old >= base && (char *)old + oldsize ==
		    base + a->cur->used && newsize >= oldsize &&
		    a->cur->size - ((char *)old - base) >= newsize) {
			memset((char *)old + oldsize, 0, newsize - oldsize);
			a->cur->used = (char *)old - base + newsize;
			return old;
		}
	}
	p = arena_alloc(a, newsize, 1);
	if (old != NULL)
		memcpy(p, old, oldsize < newsize ? oldsize : newsize);
	return p;
}

/* Returns a NUL-terminated copy of the n bytes at s. */
char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		oom();
	p = arena_alloc(a, n + 1, 1);
	memcpy(p, s, n);
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

/* Returns the formatted string, in the arena. */
char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	p = arena_alloc(a, (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* Frees every block but the newest, which is rewound. */
void
arena_reset(struct arena *a)
{
	struct block *b, *prev;

	for (b = a->cur->prev; b != NULL; b = prev) {
		prev = b->prev;
		free(b);
	}
	a->cur->prev = NULL;
	a->cur->used = 0;
	a->held = a->cur->size;
}

void
arena_free(struct arena *a)
{
	struct block *b, *prev;

	if (a == NULL)
		return;
	for (b = a->cur; b != NULL; b = prev) {
		prev = b->prev;
		free(b);
	}
	free(a);
}

size_t
arena_bytes(const struct arena *a)
{
	return a->held;
}

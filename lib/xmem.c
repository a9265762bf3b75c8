/*
 * xmem.c - libxml2's memory, page by page.
 *
 * A parsed page is tens of thousands of small allocations (nodes, names,
 * attributes, text) that all die together when the tree is freed; through
 * malloc, that churn cost glean-extract about a quarter of its time.
 * html_init() has libxml2 allocate through the hooks below (xmlMemSetup,
 * the library's own way to do this).  Between xmem_begin() and xmem_end(),
 * which bracket one page in one thread (parse, read, free the tree), what
 * libxml2 asks for is cut from the thread's region by bumping a pointer,
 * and a free costs nothing; xmem_end() takes it all back at once.  Outside
 * that window, past the region's end, and for pointers that are not the
 * region's, the hooks are malloc, realloc and free.
 *
 * The region is reserved address space (MAP_NORESERVE): what a page never
 * touches costs no memory.  Each block carries its size before it, for
 * realloc; the last block grows in place.
 */
#define _DEFAULT_SOURCE		/* MAP_ANONYMOUS, MAP_NORESERVE */
#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlmemory.h>

#include "rec.h"
#include "html.h"
#include "internal.h"

/*
 * Under AddressSanitizer, what the window gave is poisoned when it ends,
 * so that a use of libxml2's memory after xmem_end() is caught.
 */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n)	ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION(p, n)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define POISON(p, n)	ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION(p, n)
#endif
#endif
#ifndef POISON
#define POISON(p, n)	((void)(p), (void)(n))
#define UNPOISON(p, n)	((void)(p), (void)(n))
#endif

#define REGION	((size_t)1 << 30)	/* address space a thread reserves */
#define ALIGN	16
#define KEEP	((size_t)32 << 20)	/* kept between pages, at most */

struct region {
	char	*base;		/* NULL: none yet (or none to be had) */
	char	*p;		/* the next free byte */
	char	*last;		/* the last block handed out, or NULL */
	int	 on;		/* inside xmem_begin() .. xmem_end() */
};

static __thread struct region rg;

static int
mine(const void *q)
{
	return rg.base != NULL && (const char *)q >= rg.base &&
	    (const char *)q < rg.base + REGION;
}

static size_t
sizeof_block(const void *q)
{
	size_t n;

	memcpy(&n, (const char *)q - ALIGN, sizeof(n));
	return n;
}

/* A block of n bytes from the region, or NULL if it has no room. */
static void *
take(size_t n)
{
	size_t need;
	char *q;

	if (n > REGION / 2)
		return NULL;
	need = ALIGN + ((n + ALIGN - 1) & ~(size_t)(ALIGN - 1));
	if ((size_t)(rg.base + REGION - rg.p) < need)
		return NULL;
	q = rg.p + ALIGN;
	UNPOISON(rg.p, need);
	memcpy(q - ALIGN, &n, sizeof(n));
	rg.p += need;
	rg.last = q;
	return q;
}

static void *
hook_malloc(size_t n)
{
	void *q;

	if (rg.on && (q = take(n)) != NULL)
		return q;
	return malloc(n);
}

static void
hook_free(void *q)
{
	if (q != NULL && !mine(q))
		free(q);
}

static void *
hook_realloc(void *q, size_t n)
{
	size_t old, need;
	void *r;

	if (q == NULL)
		return hook_malloc(n);
	if (!mine(q))
		return realloc(q, n);
	old = sizeof_block(q);
	need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (rg.on && q == rg.last && n <= REGION / 2 &&
	    need <= (size_t)(rg.base + REGION - (char *)q)) {
		/* the newest block grows (or shrinks) where it is */
		UNPOISON(q, need);
		memcpy((char *)q - ALIGN, &n, sizeof(n));
		rg.p = (char *)q + need;
		return q;
	}
	if ((r = hook_malloc(n)) == NULL)
		return NULL;
	memcpy(r, q, old < n ? old : n);
	return r;
}

static char *
hook_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *q;

	if ((q = hook_malloc(n)) != NULL)
		memcpy(q, s, n);
	return q;
}

void
xmem_init(void)
{
	xmlMemSetup(hook_free, hook_malloc, hook_realloc, hook_strdup);
}

void
xmem_begin(void)
{
	void *b;

	if (rg.base == NULL) {
		b = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (b == MAP_FAILED)
			return;		/* malloc it is, then */
		rg.base = rg.p = b;
	}
	rg.on = 1;
}

void
xmem_end(void)
{
	/* a huge page's memory goes back; a usual page's stays for the next */
	if (rg.base != NULL && (size_t)(rg.p - rg.base) > KEEP)
		madvise(rg.base + KEEP, (size_t)(rg.p - rg.base) - KEEP,
		    MADV_DONTNEED);
	if (rg.base != NULL)
		POISON(rg.base, (size_t)(rg.p - rg.base));
	rg.on = 0;
	rg.p = rg.base;
	rg.last = NULL;
}

int
xmem_pause(void)
{
	int on = rg.on;

	rg.on = 0;
	return on;
}

void
xmem_resume(int on)
{
	rg.on = on;
}

/* buf.c - a growing NUL-terminated string in an arena. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rec.h"
#include "internal.h"

void
buf_init(struct buf *b, struct arena *a)
{
	b->a = a;
	b->len = 0;
	b->cap = 64;
	b->p = arena_alloc(a, b->cap, 1);
}

static void
grow(struct buf *b, size_t n)
{
	size_t cap;

	if (b->cap - b->len > n)
		return;
	cap = b->cap;
	while (cap - b->len <= n) {
		if (cap > ((size_t)-1) / 2)
			oom();
		cap *= 2;
	}
	b->p = arena_realloc(b->a, b->p, b->cap, cap);
	b->cap = cap;
}

void
buf_put(struct buf *b, const char *s, size_t n)
{
	grow(b, n);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void
buf_putc(struct buf *b, int c)
{
	grow(b, 1);
	b->p[b->len++] = (char)c;
	b->p[b->len] = '\0';
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* JSON needs '"', '\\' and the C0 controls escaped; nothing else. */
void
buf_json(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p, *e, *run;
	unsigned char c;

	grow(b, n + 2);
	b->p[b->len++] = '"';
	p = (const unsigned char *)s;
	e = p + n;
	while (p < e) {
		run = p;
		while (p < e && *p >= 0x20 && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			buf_put(b, (const char *)run, (size_t)(p - run));
		if (p == e)
			break;
		c = *p++;
		switch (c) {
		case '"':  buf_put(b, "\\\"", 2); break;
		case '\\': buf_put(b, "\\\\", 2); break;
		case '\n': buf_put(b, "\\n", 2); break;
		case '\r': buf_put(b, "\\r", 2); break;
		case '\t': buf_put(b, "\\t", 2); break;
		case '\b': buf_put(b, "\\b", 2); break;
		case '\f': buf_put(b, "\\f", 2); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', 0, 0 };

			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			buf_put(b, u, 6);
		}
		}
	}
	buf_putc(b, '"');
}

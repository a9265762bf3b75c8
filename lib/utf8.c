/* utf8.c - UTF-8 validation and repair (utf8proc decodes). */
#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#include "rec.h"
#include "internal.h"

/* Returns the length of the valid sequence at s, or 0 if it is invalid. */
size_t
utf8_seqlen(const unsigned char *s, size_t n)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k;

	k = utf8proc_iterate(s, (utf8proc_ssize_t)(n > 4 ? 4 : n), &c);
	if (k <= 0 || !utf8proc_codepoint_valid(c))
		return 0;
	/* utf8proc takes overlong forms; the shortest form is the only one */
	if ((k == 2 && c < 0x80) || (k == 3 && c < 0x800) ||
	    (k == 4 && c < 0x10000))
		return 0;
	return (size_t)k;
}

size_t
utf8_check(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, k;
	uint64_t w;

	i = 0;
	while (i < n) {
		/* eight ASCII bytes at a time */
		while (i + 8 <= n) {
			memcpy(&w, s + i, 8);
			if (w & UINT64_C(0x8080808080808080))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = utf8_seqlen(s + i, n - i)) == 0)
			return i;
		i += k;
	}
	return n;
}

char *
utf8_repair(struct arena *a, const char *str, size_t n, size_t *outlen,
    size_t *nbad)
{
	static const char fffd[] = "\xef\xbf\xbd";
	const unsigned char *s = (const unsigned char *)str;
	struct buf b;
	size_t i, k, ok;

	*nbad = 0;
	buf_init(&b, a);
	i = 0;
	while (i < n) {
		ok = utf8_check((const char *)s + i, n - i);
		buf_put(&b, (const char *)s + i, ok);
		i += ok;
		if (i >= n)
			break;
		/* one U+FFFD per invalid byte */
		k = 1;
		buf_put(&b, fffd, 3);
		(*nbad)++;
		i += k;
	}
	*outlen = b.len;
	return b.p;
}

char *
utf8_str(struct arena *a, char *s)
{
	size_t n, len, nbad;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	if (utf8_check(s, n) == n)
		return s;
	return utf8_repair(a, s, n, &len, &nbad);
}

/*
 * fuzz_norm - normalize's parsers and cleaning steps on any bytes:
 * norm_count gives a valid JSON number literal that fits; norm_date gives
 * a real day whose ISO form reads back as the same point; norm_age gives
 * points within years 1-9999 with from <= at <= to; norm_clean gives
 * valid UTF-8, and white space, control and composition cleaning is
 * idempotent; norm_snake gives snake_case and is idempotent.  The first
 * byte picks flags and steps.
 */
#define _GNU_SOURCE		/* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"
#include "norm.h"
#include "fuzz.h"

/* tm as one comparable number, at second precision. */
static long long
tmval(const struct norm_tm *t)
{
	return ((((t->year * 13LL + t->mon) * 32 + t->day) * 24 + t->hour) *
	    60 + t->min) * 60 + t->sec;
}

static void
check_tm(const struct norm_tm *t)
{
	FUZZ_CHECK(t->year >= 1 && t->year <= 9999);
	FUZZ_CHECK(t->prec >= NORM_YEAR && t->prec <= NORM_SECOND);
	if (t->prec >= NORM_MONTH)
		FUZZ_CHECK(t->mon >= 1 && t->mon <= 12);
	if (t->prec >= NORM_DAY)
		FUZZ_CHECK(t->day >= 1 && t->day <= 31);
	if (t->prec >= NORM_HOUR)
		FUZZ_CHECK(t->hour >= 0 && t->hour <= 24);
	if (t->prec >= NORM_MINUTE)
		FUZZ_CHECK(t->min >= 0 && t->min <= 59);
	if (t->prec >= NORM_SECOND)
		FUZZ_CHECK(t->sec >= 0 && t->sec <= 60);
}

/* The ISO form of t reads back as t. */
static void
roundtrip(const struct norm_tm *t)
{
	char iso[NORM_ISOMAX];
	struct norm_tm u;
	size_t n;

	check_tm(t);
	memset(iso, 'X', sizeof(iso));
	n = norm_iso(t, iso);
	FUZZ_CHECK(n < NORM_ISOMAX);
	FUZZ_CHECK(norm_date(iso, n, 0, &u) == 0);
	FUZZ_CHECK(u.prec == t->prec);
	FUZZ_CHECK(tmval(&u) == tmval(t));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int stepsets[] = {
		NORM_DEFAULT, NORM_NFC | NORM_CTRL | NORM_SPACE,
		NORM_NFKC | NORM_SPACE | NORM_ONELINE, NORM_CTRL,
		NORM_PUNCT | NORM_QUOTES, NORM_LOWER | NORM_SPACE,
		NORM_UPPER, NORM_TITLE | NORM_ENTITIES
	};
	/* Steps whose result must not change when applied again. */
	static const int stable = NORM_NFC | NORM_NFKC | NORM_CTRL |
	    NORM_SPACE | NORM_ONELINE;
	struct norm_tm tm, now, at, from, to;
	struct arena *a;
	const char *out, *out2, *k, *k2, *p;
	char num[64], *s;
	size_t olen, olen2, nbad, i;
	int n, more, steps;

	if (size < 1)
		return 0;
	steps = stepsets[data[0] & 7];
	data++;
	size--;
	a = arena_new();
	s = fuzz_copy(data, size);

	n = norm_count(s, size, num, sizeof(num), &more);
	if (n >= 0) {
		FUZZ_CHECK((size_t)n < sizeof(num));
		FUZZ_CHECK(rec_is_number(num, n));
		FUZZ_CHECK(more == 0 || more == 1);
	}

	if (norm_date(s, size, 0, &tm) == 0)
		roundtrip(&tm);
	if (norm_date(s, size, NORM_DAYFIRST, &tm) == 0)
		roundtrip(&tm);

	memset(&now, 0, sizeof(now));
	now.year = 2026, now.mon = 11, now.day = 25, now.hour = 22;
	now.prec = NORM_SECOND;
	if (norm_age(s, size, &now, &at, &from, &to) == 0) {
		roundtrip(&at);
		check_tm(&from);
		check_tm(&to);
		FUZZ_CHECK(tmval(&from) <= tmval(&to));
	}

	n = norm_clean(a, s, size, steps, &out, &olen, &nbad);
	FUZZ_CHECK(n == 0 || n == 1);
	if (n == 0) {
		FUZZ_CHECK(out == s && nbad == 0);
		olen = size;
	} else
		FUZZ_CHECK(out[olen] == '\0');
	FUZZ_CHECK(utf8_check(out, olen) == olen);
	if ((steps & ~stable) == 0) {
		norm_clean(a, out, olen, steps, &out2, &olen2, &nbad);
		if (out2 == out)
			olen2 = olen;
		FUZZ_CHECK(olen2 == olen && memcmp(out, out2, olen) == 0);
	}

	/* Keys are C strings: up to the first NUL, made valid UTF-8. */
	k = norm_snake(a, utf8_repair(a, s, strlen(s), &olen, &nbad));
	for (p = k; *p != '\0'; p++)
		if ((unsigned char)*p < 0x80)
			FUZZ_CHECK((*p >= 'a' && *p <= 'z') ||
			    (*p >= '0' && *p <= '9') || *p == '_');
	if (*k != '\0') {
		FUZZ_CHECK(k[0] != '_' && p[-1] != '_');
		FUZZ_CHECK(strstr(k, "__") == NULL);
	}
	k2 = norm_snake(a, k);
	FUZZ_CHECK(strcmp(k, k2) == 0);
	(void)i;

	free(s);
	arena_free(a);
	return 0;
}

/* norm.h - value cleaning and the date, age and count parsers. */
#ifndef NORM_H
#define NORM_H

#include <stddef.h>

struct arena;

/* Cleaning steps, bits for norm_clean(). */
#define NORM_NFC	0x0001	/* Unicode canonical composition */
#define NORM_NFKC	0x0002	/* compatibility composition (implies NFC) */
#define NORM_CTRL	0x0004	/* drop control characters */
#define NORM_SPACE	0x0008	/* collapse white space, trim, keep lines */
#define NORM_ONELINE	0x0010	/* with NORM_SPACE: line breaks as spaces */
#define NORM_ENTITIES	0x0020	/* decode HTML character references once */
#define NORM_PUNCT	0x0040	/* typographic punctuation to ASCII */
#define NORM_LOWER	0x0080
#define NORM_UPPER	0x0100
#define NORM_TITLE	0x0200	/* words: first letter title case, rest lower */
#define NORM_QUOTES	0x0400	/* strip unbalanced quote marks at the ends */
#define NORM_DEFAULT	(NORM_NFC | NORM_CTRL | NORM_SPACE | NORM_ENTITIES)

/*
 * norm_clean() applies steps to s[0..n), which may hold any bytes: an
 * invalid UTF-8 byte always becomes U+FFFD, whatever the steps, and *nbad
 * says how many were replaced.  It returns 0 when the text is unchanged
 * (*out is s and nothing was allocated: the fast path for clean ASCII), or
 * 1 with *out a NUL-terminated copy in the arena of length *outlen.
 */
int	 norm_clean(struct arena *, const char *s, size_t n, int steps,
	    const char **out, size_t *outlen, size_t *nbad);

/*
 * norm_snake() writes key as lower snake_case in the arena: ASCII letters
 * lowered, a break before an upper-case letter that follows a lower-case
 * letter or digit (or that starts a word after an acronym), every run of
 * other non-letters-or-digits one '_', none at the ends.  Non-ASCII
 * letters are lowered with utf8proc and kept.  Returns the new key, or key
 * itself when it is already snake_case.
 */
const char *norm_snake(struct arena *, const char *key);

/*
 * A point in time at a precision: the fields past prec are zero.  zone:
 * NORM_TZ_NONE (local time as written), NORM_TZ_UTC ("Z") or NORM_TZ_OFF
 * (tzoff minutes east of UTC).  frac holds the digits of a fraction of a
 * second ("" if none).
 */
enum { NORM_YEAR, NORM_MONTH, NORM_DAY, NORM_HOUR, NORM_MINUTE,
	NORM_SECOND };
enum { NORM_TZ_NONE, NORM_TZ_UTC, NORM_TZ_OFF };
struct norm_tm {
	int	year, mon, day, hour, min, sec;
	int	prec;
	int	zone;
	int	tzoff;
	char	frac[10];
};
#define NORM_ISOMAX	40	/* buffer size for norm_iso() */

/* Flags for norm_date(). */
#define NORM_DAYFIRST	0x01	/* 01/02/2011 is 1 February */

/*
 * norm_date() parses a human date (English month names) or an ISO 8601
 * date into *tm at the precision written.  It returns 0, or -1 when the
 * text is not a date it knows or names no real day (nothing is guessed:
 * no two-digit years, no dates without a year, no seasons, no weekday
 * that is not the date's).  norm_iso()
 * writes tm as ISO 8601 at its precision into buf (NORM_ISOMAX bytes) and
 * returns the length.
 */
int	 norm_date(const char *s, size_t n, int flags, struct norm_tm *tm);
size_t	 norm_iso(const struct norm_tm *, char *buf);

/*
 * norm_age() reads a relative age ("11 months ago", "a year ago", "3d
 * ago", "yesterday", "just now") against the reference time now (whose
 * zone, if any, is taken off first: results are UTC) and gives the point
 * at the unit's precision in *at and the interval the phrase means in
 * *from and *to ("N units ago": elapsed time at least N units and less
 * than N + 1).  Month and year steps keep the day of the month, or take
 * the month's last day when it has fewer days.  Returns 0, or -1 if s is
 * not an age or the result falls outside years 1 to 9999.
 */
int	 norm_age(const char *s, size_t n, const struct norm_tm *now,
	    struct norm_tm *at, struct norm_tm *from, struct norm_tm *to);

/*
 * norm_count() reads a count as pages show it ("1,234", "1.2k", "3M",
 * "2.5 million", "1000+", "830 upvotes", "12 %"; a trailing word must
 * follow white space) and writes the number as a JSON number literal into
 * buf (size bufsz).  *more is set to 1 for a trailing '+'.
 * Returns the literal's length, or -1 if s is not a count or the literal
 * would not fit.
 */
int	 norm_count(const char *s, size_t n, char *buf, size_t bufsz,
	    int *more);

/*
 * norm_now() fills *tm with the current time (UTC, seconds precision).
 */
void	 norm_now(struct norm_tm *);

#endif

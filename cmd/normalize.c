/* normalize - clean string values; type dates, ages and counts. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "rec.h"
#include "norm.h"

#define SYNOPSIS \
"glean-normalize [-v] [-p preset] [--dates fields] [--ages fields]\n" \
"       [--numbers fields] [--now date | --now-field field] [option ...]\n" \
"       [file ...]"

enum {
	OPT_AGEB = OPT_TOOL, OPT_AGES, OPT_ASCII, OPT_CASE, OPT_DATES,
	OPT_DAYFIRST, OPT_DEFAULT, OPT_DROP, OPT_KEEP, OPT_KEEPRAW, OPT_KEYS,
	OPT_NFKC, OPT_NOCLEAN, OPT_NOCTRL, OPT_NOENT, OPT_NONFC, OPT_NOSPACE,
	OPT_NOW, OPT_NOWFIELD, OPT_NUMBERS, OPT_ONELINE, OPT_ORDER,
	OPT_RENAME, OPT_SET, OPT_SPLIT, OPT_TRIMQ
};

/* A list of field names, each with an optional value. */
struct list {
	const char	**k;
	const char	**v;
	size_t		  n;
	size_t		  cap;
};

static const char help[] =
"      --age-bounds       with --ages, add FIELD_from and FIELD_to: the\n"
"                         interval the phrase means\n"
"      --ages FIELDS      relative ages (\"11 months ago\") to ISO dates\n"
"                         against --now\n"
"      --ascii-punct      typographic quotes, dashes, ellipsis to ASCII\n"
"      --case MODE=FIELDS lower, upper or title case on these fields\n"
"      --dates FIELDS     human dates (\"February 2011\") to ISO 8601\n"
"      --day-first        read 01/02/2011 as 1 February (default: month\n"
"                         first)\n"
"      --default F=VALUE  set F to the string VALUE where it is null or\n"
"                         missing\n"
"      --drop FIELDS      remove these fields\n"
"      --keep FIELDS      keep only these fields\n"
"      --keep-raw         keep each changed value's original as FIELD_raw\n"
"      --keys snake       field names to lower snake_case\n"
"      --nfkc             compatibility composition (NFKC) instead of NFC\n"
"      --no-clean         none of the default cleaning steps\n"
"      --no-controls      keep control characters\n"
"      --no-entities      keep HTML character references as they are\n"
"      --no-nfc           no Unicode normalization\n"
"      --no-space         keep white space as it is\n"
"      --now DATE         reference time for --ages (default: now)\n"
"      --now-field FIELD  take the reference time from FIELD of each\n"
"                         record\n"
"      --numbers FIELDS   counts (\"1,234\", \"1.2k\", \"1000+\") to numbers\n"
"      --one-line         line breaks become spaces\n"
"      --order FIELDS     put these fields first, in this order\n"
"  -p, --preset NAME      research: the steps for glean-extract's records\n"
"      --rename OLD=NEW   rename a field (repeatable; comma lists too)\n"
"      --set F=VALUE      set F to the string VALUE in every record\n"
"      --split F=SEP      split the string F at SEP into an array\n"
"      --trim-quotes FIELDS  drop an unbalanced quotation mark at either\n"
"                         end of these fields\n"
"  -v, --verbose          report every value that does not parse, and the\n"
"                         counts at the end\n";

static const struct option longopts[] = {
	CLI_LONGOPTS,
	{ "age-bounds", no_argument, NULL, OPT_AGEB },
	{ "ages", required_argument, NULL, OPT_AGES },
	{ "ascii-punct", no_argument, NULL, OPT_ASCII },
	{ "case", required_argument, NULL, OPT_CASE },
	{ "dates", required_argument, NULL, OPT_DATES },
	{ "day-first", no_argument, NULL, OPT_DAYFIRST },
	{ "default", required_argument, NULL, OPT_DEFAULT },
	{ "drop", required_argument, NULL, OPT_DROP },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "keep-raw", no_argument, NULL, OPT_KEEPRAW },
	{ "keys", required_argument, NULL, OPT_KEYS },
	{ "nfkc", no_argument, NULL, OPT_NFKC },
	{ "no-clean", no_argument, NULL, OPT_NOCLEAN },
	{ "no-controls", no_argument, NULL, OPT_NOCTRL },
	{ "no-entities", no_argument, NULL, OPT_NOENT },
	{ "no-nfc", no_argument, NULL, OPT_NONFC },
	{ "no-space", no_argument, NULL, OPT_NOSPACE },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "now-field", required_argument, NULL, OPT_NOWFIELD },
	{ "numbers", required_argument, NULL, OPT_NUMBERS },
	{ "one-line", no_argument, NULL, OPT_ONELINE },
	{ "order", required_argument, NULL, OPT_ORDER },
	{ "preset", required_argument, NULL, 'p' },
	{ "rename", required_argument, NULL, OPT_RENAME },
	{ "set", required_argument, NULL, OPT_SET },
	{ "split", required_argument, NULL, OPT_SPLIT },
	{ "trim-quotes", required_argument, NULL, OPT_TRIMQ },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 }
};

static int	steps = NORM_DEFAULT;	/* for every string value */
static int	bflag;			/* --age-bounds */
static int	dayfirst;		/* --day-first */
static int	rflag;			/* --keep-raw */
static int	snake;			/* --keys snake */
static int	vflag;			/* -v */
static int	nowset;			/* --now given */
static struct norm_tm nowtm;		/* --now, or the time we started */
static const char *nowfield;		/* --now-field */
static struct list dates, ages, numbers, cases, quotes, splits;
static struct list keep, drop, order, renames, sets, defaults;
static struct list collided;		/* --keys snake: reported once */
static struct list rcollided;		/* --rename: reported once */
static unsigned long long nbaddate, nbadage, nbadcount, nbadutf8;
static int	perfield;		/* some option names fields */

static void
usage(void)
{
	cli_usage(SYNOPSIS);
}

static void
add(struct list *l, const char *k, const char *v)
{
	size_t cap;

	if (l->n == l->cap) {
		cap = l->cap == 0 ? 8 : l->cap * 2;
		l->k = arena_realloc(cli.perm, l->k, l->cap * sizeof(*l->k),
		    cap * sizeof(*l->k));
		l->v = arena_realloc(cli.perm, l->v, l->cap * sizeof(*l->v),
		    cap * sizeof(*l->v));
		l->cap = cap;
	}
	l->k[l->n] = k;
	l->v[l->n++] = v != NULL ? v : "";
}

/* The value listed for key, or NULL if key is not in the list. */
static const char *
find(const struct list *l, const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strncmp(l->k[i], key, klen) == 0 && l->k[i][klen] == '\0')
			return l->v[i];
	return NULL;
}

/* FIELDS: "a,b,c" adds a, b and c with the value v. */
static void
addlist(struct list *l, const char *arg, const char *v)
{
	char **f;
	size_t i, n;

	f = cli_list(arg, &n);
	for (i = 0; i < n; i++) {
		if (*f[i] == '\0')
			continue;
		add(l, f[i], v);
	}
}

/* "K=V" pairs, comma-separated when comma is set. */
static void
addpairs(struct list *l, const char *arg, const char *opt, int comma)
{
	char **f, *eq, *one[2];
	size_t i, n;

	if (comma)
		f = cli_list(arg, &n);
	else {
		one[0] = arena_strdup(cli.perm, arg);
		one[1] = NULL;
		f = one;
		n = 1;
	}
	for (i = 0; i < n; i++) {
		if ((eq = strchr(f[i], '=')) == NULL || eq == f[i] ||
		    (comma && eq[1] == '\0')) {
			diag(NULL, 0, "%s: expected NAME=VALUE, not '%s'",
			    opt, f[i]);
			usage();
		}
		if (utf8_check(f[i], strlen(f[i])) < strlen(f[i])) {
			diag(NULL, 0, "%s: not valid UTF-8", opt);
			usage();
		}
		*eq = '\0';
		add(l, f[i], eq + 1);
	}
}

static void
preset(const char *name)
{
	if (strcmp(name, "research") != 0) {
		diag(NULL, 0, "--preset: unknown preset '%s' (known: "
		    "research)", name);
		usage();
	}
	addlist(&dates, "published", NULL);
	addlist(&ages, "age", NULL);
	addlist(&numbers, "upvotes,citations,cited_shown,cited_total,"
	    "posts_shown,posts_total,similar_shown,similar_total", NULL);
	addlist(&quotes, "journal,title,study_title", NULL);
	add(&splits, "authors", ",");
}

static void
utf8warn(const char *what, size_t nbad, unsigned long line)
{
	if (nbad == 0)
		return;
	nbadutf8++;
	diag(cli_file(), line, "%s: invalid UTF-8 (%zu byte%s) replaced by "
	    "U+FFFD", what, nbad, nbad == 1 ? "" : "s");
}

/*
 * Cleans the strings inside a nested value; returns 1 and the new JSON
 * text in *out if anything changed.
 */
static int
nested(struct arena *a, const struct field *f, int st, const char **out,
    size_t *outlen, size_t *nbad)
{
	struct rec sub;
	struct field *g, tmp;
	struct buf b;
	const char *o;
	size_t i, olen, bad;
	int changed = 0;

	if (utf8_check(f->val, f->vlen) < f->vlen) {
		/* invalid bytes can only sit inside strings: mend them */
		tmp = *f;
		tmp.val = utf8_repair(a, f->val, f->vlen, &tmp.vlen, &bad);
		*nbad += bad;
		f = &tmp;
		changed = 1;
	}
	if (rec_value_fields(a, f, &sub) == -1) {
		if (changed) {
			*out = f->val;
			*outlen = f->vlen;
		}
		return changed;
	}
	buf_init(&b, a);
	buf_putc(&b, f->type == REC_ARRAY ? '[' : '{');
	for (i = 0; i < sub.nfields; i++) {
		g = &sub.fields[i];
		if (i > 0)
			buf_putc(&b, ',');
		if (f->type == REC_OBJECT) {
			o = g->key;
			olen = g->klen;
			if (utf8_check(o, olen) < olen) {
				o = utf8_repair(a, o, olen, &olen, &bad);
				*nbad += bad;
				changed = 1;
			}
			buf_json(&b, o, olen);
			buf_putc(&b, ':');
		}
		if (g->type == REC_STRING) {
			changed |= norm_clean(a, g->val, g->vlen, st, &o,
			    &olen, &bad);
			*nbad += bad;
			buf_json(&b, o, olen);
		} else if (g->type == REC_ARRAY || g->type == REC_OBJECT) {
			if (nested(a, g, st, &o, &olen, nbad))
				changed = 1;
			else {
				o = g->val;
				olen = g->vlen;
			}
			buf_put(&b, o, olen);
		} else
			buf_put(&b, g->val, g->vlen);
	}
	buf_putc(&b, f->type == REC_ARRAY ? ']' : '}');
	if (!changed)
		return 0;
	*out = b.p;
	*outlen = b.len;
	return 1;
}

/* Splits s at sep into a JSON array of its non-empty, trimmed parts. */
static void
split(struct arena *a, struct field *f, const char *sep)
{
	struct buf b;
	const char *s = f->val, *e = f->val + f->vlen, *p, *q, *end;
	size_t seplen = strlen(sep);
	int n = 0;

	buf_init(&b, a);
	buf_putc(&b, '[');
	while (s <= e) {
		p = seplen > 0 ? strstr(s, sep) : NULL;
		end = p != NULL && p < e ? p : e;
		q = end;
		while (s < q && (*s == ' ' || *s == '\n'))
			s++;
		while (q > s && (q[-1] == ' ' || q[-1] == '\n'))
			q--;
		if (q > s) {
			if (n++ > 0)
				buf_putc(&b, ',');
			buf_json(&b, s, (size_t)(q - s));
		}
		if (end == e)
			break;
		s = end + seplen;
	}
	buf_putc(&b, ']');
	f->val = b.p;
	f->vlen = b.len;
	f->type = REC_ARRAY;
}

static void
unparsed(const struct rec *r, const char *key, const char *what,
    const struct field *f)
{
	if (!vflag)
		return;
	diag(cli_file(), r->line, "%s: not %s: \"%.*s\"", key, what,
	    f->vlen > 60 ? 60 : (int)f->vlen, f->val);
}

/*
 * Sets the companion FIELD+suffix of out[base], in place of a field of
 * that name or after the others; owner[i] is base + 1 for a companion, 0
 * for any other field.
 */
static struct field *
companion(struct arena *a, struct field *out, size_t *nout, size_t *owner,
    size_t base, const char *suffix, const char *val, size_t vlen, int type)
{
	struct field *g;
	char *k;
	size_t i;

	k = arena_printf(a, "%s%s", out[base].key, suffix);
	for (i = 0; i < *nout; i++)
		if (strcmp(out[i].key, k) == 0)
			break;
	if (i == *nout)
		(*nout)++;
	owner[i] = base + 1;
	g = &out[i];
	g->key = k;
	g->klen = strlen(k);
	g->val = val;
	g->vlen = vlen;
	g->type = type;
	return g;
}

/* --keep-raw: the value as read, but never invalid UTF-8 in the output. */
static void
rawcopy(struct arena *a, struct field *out, size_t *nout, size_t *owner,
    size_t base, const struct field *orig)
{
	const char *v = orig->val;
	size_t n = orig->vlen, bad;

	if (utf8_check(v, n) < n)
		v = utf8_repair(a, v, n, &n, &bad);
	companion(a, out, nout, owner, base, "_raw", v, n, orig->type);
}

/* Does --keep or --drop let f through? */
static int
wanted(const struct field *f)
{
	if (drop.n > 0 && find(&drop, f->key, f->klen) != NULL)
		return 0;
	if (keep.n > 0 && find(&keep, f->key, f->klen) == NULL)
		return 0;
	return 1;
}

/* The reference time of this record for --ages; -1 if there is none. */
static int
reftime(const struct rec *r, struct norm_tm *t)
{
	const struct field *f;

	if (nowfield == NULL) {
		*t = nowtm;
		return 0;
	}
	f = rec_get(r, nowfield);
	if (f == NULL || f->type != REC_STRING ||
	    norm_date(f->val, f->vlen, dayfirst, t) == -1 ||
	    t->prec < NORM_DAY)
		return -1;
	return 0;
}

/*
 * Gives field i of r the name k unless another field has it: then the
 * field keeps its name and the collision is reported, once per key and
 * step.  Returns 1 if the name changed.
 */
static int
rekey(struct rec *r, size_t i, const char *k, struct list *seen,
    const char *step)
{
	struct field *f = &r->fields[i];
	size_t j;

	if (strcmp(f->key, k) == 0)
		return 0;
	for (j = 0; j < r->nfields; j++)
		if (j != i && strcmp(r->fields[j].key, k) == 0)
			break;
	if (j == r->nfields) {
		f->key = k;
		f->klen = strlen(k);
		return 1;
	}
	if (find(seen, f->key, f->klen) == NULL) {
		add(seen, arena_strdup(cli.perm, f->key), NULL);
		diag(cli_file(), r->line, "%s: \"%s\" would collide with "
		    "\"%s\"; kept as it is", step, f->key, k);
	}
	return 0;
}

/* Keys: repair, --keys snake, --rename.  Returns 1 if any changed. */
static int
keys(struct rec *r, struct arena *a)
{
	struct field *f;
	const char *k, *v;
	size_t i, n, bad;
	int changed = 0;

	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		if (utf8_check(f->key, f->klen) < f->klen) {
			f->key = utf8_repair(a, f->key, f->klen, &n, &bad);
			f->klen = n;
			utf8warn(arena_printf(a, "key \"%s\"", f->key),
			    bad, r->line);
			changed = 1;
		}
		/* a key of punctuation alone would become "": it stays */
		if (snake && *(k = norm_snake(a, f->key)) != '\0')
			changed |= rekey(r, i, k, &collided, "--keys snake");
		if ((v = find(&renames, f->key, f->klen)) != NULL)
			changed |= rekey(r, i, v, &rcollided, "--rename");
	}
	return changed;
}

static int
normalize(struct rec *r, struct arena *a, void *ctx)
{
	struct field *out, *f, orig, *g;
	struct norm_tm ref, at, from, to;
	const char *o, *v, *cm;
	char *keepit, num[64], iso[NORM_ISOMAX];
	size_t i, j, k, nout, olen, nbad, *owner, base;
	int changed, fch, st, more, comps, haveref = -2;

	(void)ctx;
	changed = keys(r, a);
	/* room for every field and the companions it may get */
	comps = (rflag != 0) + (numbers.n > 0) + 2 * (bflag && ages.n > 0);
	k = r->nfields * (1 + comps) + sets.n + defaults.n + 1;
	out = arena_alloc(a, k, sizeof(*out));
	owner = arena_alloc(a, k, sizeof(*owner));
	nout = 0;
	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		j = nout;
		if (comps)
			for (j = 0; j < nout; j++)
				if (owner[j] != 0 &&
				    strcmp(out[j].key, f->key) == 0)
					break;
		if (j < nout) {
			changed = 1;	/* a companion we made replaces it */
			continue;
		}
		orig = *f;
		base = nout;
		owner[nout] = 0;
		g = &out[nout++];
		*g = *f;
		fch = 0;
		st = steps;
		if (!perfield) {
			/* the common case: default cleaning only */
			nbad = 0;
			if (g->type == REC_STRING) {
				if (!norm_clean(a, g->val, g->vlen, st, &o,
				    &olen, &nbad))
					continue;
				g->val = o;
				g->vlen = olen;
			} else if (g->type != REC_ARRAY &&
			    g->type != REC_OBJECT)
				continue;
			else if (!nested(a, g, st, &o, &olen, &nbad))
				continue;
			else {
				g->val = o;
				g->vlen = olen;
			}
			utf8warn(g->key, nbad, r->line);
			changed = 1;
			if (rflag)
				rawcopy(a, out, &nout, owner, base, &orig);
			continue;
		}
		if ((cm = find(&cases, f->key, f->klen)) != NULL)
			st |= *cm == 'l' ? NORM_LOWER : *cm == 'u' ?
			    NORM_UPPER : NORM_TITLE;
		if (find(&quotes, f->key, f->klen) != NULL)
			st |= NORM_QUOTES;
		nbad = 0;
		if (g->type == REC_STRING) {
			if (norm_clean(a, g->val, g->vlen, st, &o, &olen,
			    &nbad)) {
				g->val = o;
				g->vlen = olen;
				fch = 1;
			}
		} else if (g->type == REC_ARRAY || g->type == REC_OBJECT) {
			if (nested(a, g, st, &o, &olen, &nbad)) {
				g->val = o;
				g->vlen = olen;
				fch = 1;
			}
		}
		utf8warn(g->key, nbad, r->line);
		if (g->type == REC_STRING &&
		    (v = find(&splits, g->key, g->klen)) != NULL) {
			split(a, g, v);
			fch = 1;
		}
		more = 0;
		if (g->type == REC_STRING && find(&numbers, g->key,
		    g->klen) != NULL) {
			if (norm_count(g->val, g->vlen, num, sizeof(num),
			    &more) == -1) {
				nbadcount++;
				unparsed(r, g->key, "a count", g);
			} else {
				g->val = arena_strdup(a, num);
				g->vlen = strlen(num);
				g->type = REC_NUMBER;
				fch = 1;
			}
		}
		if (g->type == REC_STRING && find(&dates, g->key,
		    g->klen) != NULL) {
			if (norm_date(g->val, g->vlen, dayfirst, &at) == -1) {
				nbaddate++;
				unparsed(r, g->key, "a date", g);
			} else {
				k = norm_iso(&at, iso);
				if (k != g->vlen ||
				    memcmp(iso, g->val, k) != 0) {
					g->val = arena_strdup(a, iso);
					g->vlen = k;
					fch = 1;
				}
			}
		}
		from.prec = -1;
		if (g->type == REC_STRING && find(&ages, g->key,
		    g->klen) != NULL) {
			if (haveref == -2)
				haveref = reftime(r, &ref);
			if (haveref == -1) {
				nbadage++;
				if (vflag)
					diag(cli_file(), r->line, "%s: no "
					    "reference time in %s", g->key,
					    nowfield);
			} else if (norm_age(g->val, g->vlen, &ref, &at, &from,
			    &to) == -1) {
				from.prec = -1;
				nbadage++;
				unparsed(r, g->key, "an age", g);
			} else {
				k = norm_iso(&at, iso);
				g->val = arena_strdup(a, iso);
				g->vlen = k;
				fch = 1;
			}
		}
		if (!fch)
			continue;
		changed = 1;
		if (rflag)
			rawcopy(a, out, &nout, owner, base, &orig);
		if (more)
			companion(a, out, &nout, owner, base, "_more",
			    "true", 4, REC_TRUE);
		if (bflag && from.prec >= 0) {
			k = norm_iso(&from, iso);
			companion(a, out, &nout, owner, base, "_from",
			    arena_strdup(a, iso), k, REC_STRING);
			k = norm_iso(&to, iso);
			companion(a, out, &nout, owner, base, "_to",
			    arena_strdup(a, iso), k, REC_STRING);
		}
	}
	for (i = 0; i < sets.n; i++) {
		for (j = 0; j < nout; j++)
			if (strcmp(out[j].key, sets.k[i]) == 0)
				break;
		if (j == nout)
			nout++;
		owner[j] = 0;
		out[j].key = sets.k[i];
		out[j].klen = strlen(sets.k[i]);
		out[j].val = sets.v[i];
		out[j].vlen = strlen(sets.v[i]);
		out[j].type = REC_STRING;
		changed = 1;
	}
	for (i = 0; i < defaults.n; i++) {
		for (j = 0; j < nout; j++)
			if (strcmp(out[j].key, defaults.k[i]) == 0)
				break;
		if (j < nout && out[j].type != REC_NULL)
			continue;
		if (j == nout)
			nout++;
		owner[j] = 0;
		out[j].key = defaults.k[i];
		out[j].klen = strlen(defaults.k[i]);
		out[j].val = defaults.v[i];
		out[j].vlen = strlen(defaults.v[i]);
		out[j].type = REC_STRING;
		changed = 1;
	}
	if (drop.n > 0 || keep.n > 0) {
		/*
		 * A companion not named itself goes with its field: decide
		 * for all before moving any.
		 */
		keepit = arena_alloc(a, nout + 1, 1);
		for (i = 0; i < nout; i++) {
			keepit[i] = wanted(&out[i]);
			if (owner[i] != 0 && find(&drop, out[i].key,
			    out[i].klen) == NULL && find(&keep, out[i].key,
			    out[i].klen) == NULL)
				keepit[i] = wanted(&out[owner[i] - 1]);
		}
		for (i = j = 0; i < nout; i++)
			if (keepit[i])
				out[j++] = out[i];
		if (j != nout)
			changed = 1;
		nout = j;
	}
	if (order.n > 0) {
		/* a stable move of each named field to the front */
		k = 0;
		for (i = 0; i < order.n; i++) {
			for (j = k; j < nout; j++)
				if (strcmp(out[j].key, order.k[i]) == 0)
					break;
			if (j == nout)
				continue;
			if (j != k) {
				orig = out[j];
				memmove(&out[k + 1], &out[k],
				    (j - k) * sizeof(*out));
				out[k] = orig;
				changed = 1;
			}
			k++;
		}
	}
	if (changed) {
		r->fields = out;
		r->nfields = nout;
		r->cap = nout;
		rec_changed(r);
	}
	cli_write(r);
	return 0;
}

static void
setcase(const char *arg)
{
	const char *eq;
	char *mode;

	if ((eq = strchr(arg, '=')) == NULL || eq[1] == '\0') {
		diag(NULL, 0, "--case: expected MODE=FIELDS, not '%s'", arg);
		usage();
	}
	mode = arena_strndup(cli.perm, arg, (size_t)(eq - arg));
	if (strcmp(mode, "lower") != 0 && strcmp(mode, "upper") != 0 &&
	    strcmp(mode, "title") != 0) {
		diag(NULL, 0, "--case: expected lower, upper or title, not "
		    "'%s'", mode);
		usage();
	}
	addlist(&cases, eq + 1, mode);
}

static void
setsplit(const char *arg)
{
	const char *eq;

	if ((eq = strchr(arg, '=')) == NULL || eq == arg || eq[1] == '\0') {
		diag(NULL, 0, "--split: expected FIELD=SEP, not '%s'", arg);
		usage();
	}
	add(&splits, arena_strndup(cli.perm, arg, (size_t)(eq - arg)),
	    eq + 1);
}

int
main(int argc, char *argv[])
{
	int ch;

	cli_init(argc, argv);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hp:v", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'p':
			preset(optarg);
			break;
		case 'v':
			vflag = 1;
			break;
		case OPT_AGEB:
			bflag = 1;
			break;
		case OPT_AGES:
			addlist(&ages, optarg, NULL);
			break;
		case OPT_ASCII:
			steps |= NORM_PUNCT;
			break;
		case OPT_CASE:
			setcase(optarg);
			break;
		case OPT_DATES:
			addlist(&dates, optarg, NULL);
			break;
		case OPT_DAYFIRST:
			dayfirst = NORM_DAYFIRST;
			break;
		case OPT_DEFAULT:
			addpairs(&defaults, optarg, "--default", 0);
			break;
		case OPT_DROP:
			addlist(&drop, optarg, NULL);
			break;
		case OPT_KEEP:
			addlist(&keep, optarg, NULL);
			break;
		case OPT_KEEPRAW:
			rflag = 1;
			break;
		case OPT_KEYS:
			if (strcmp(optarg, "snake") != 0) {
				diag(NULL, 0, "--keys: expected snake, not "
				    "'%s'", optarg);
				usage();
			}
			snake = 1;
			break;
		case OPT_NFKC:
			steps |= NORM_NFKC;
			break;
		case OPT_NOCLEAN:
			steps &= ~NORM_DEFAULT;
			break;
		case OPT_NOCTRL:
			steps &= ~NORM_CTRL;
			break;
		case OPT_NOENT:
			steps &= ~NORM_ENTITIES;
			break;
		case OPT_NONFC:
			steps &= ~(NORM_NFC | NORM_NFKC);
			break;
		case OPT_NOSPACE:
			steps &= ~NORM_SPACE;
			break;
		case OPT_NOW:
			if (norm_date(optarg, strlen(optarg), 0, &nowtm) ==
			    -1) {
				diag(NULL, 0, "--now: not a date: '%s'",
				    optarg);
				usage();
			}
			if (nowtm.prec < NORM_DAY) {
				/* "3 days ago" against a month is a guess */
				diag(NULL, 0, "--now: not a whole day: '%s'",
				    optarg);
				usage();
			}
			nowset = 1;
			break;
		case OPT_NOWFIELD:
			nowfield = optarg;
			break;
		case OPT_NUMBERS:
			addlist(&numbers, optarg, NULL);
			break;
		case OPT_ONELINE:
			steps |= NORM_ONELINE;
			break;
		case OPT_ORDER:
			addlist(&order, optarg, NULL);
			break;
		case OPT_RENAME:
			addpairs(&renames, optarg, "--rename", 1);
			break;
		case OPT_SET:
			addpairs(&sets, optarg, "--set", 0);
			break;
		case OPT_SPLIT:
			setsplit(optarg);
			break;
		case OPT_TRIMQ:
			addlist(&quotes, optarg, NULL);
			break;
		default:
			cli_option(ch, optarg, SYNOPSIS, help);
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (nowset && nowfield != NULL) {
		diag(NULL, 0, "--now and --now-field exclude each other");
		usage();
	}
	if (!nowset)
		norm_now(&nowtm);
	perfield = dates.n + ages.n + numbers.n + cases.n + quotes.n +
	    splits.n > 0;
	cli.flags |= REC_LAXUTF8;
	cli_run(argc, argv, REC_NDJSON, normalize, NULL);
	if (vflag && nbaddate + nbadage + nbadcount > 0)
		diag(NULL, 0, "not parsed: %llu date%s, %llu age%s, %llu "
		    "count%s", nbaddate, nbaddate == 1 ? "" : "s", nbadage,
		    nbadage == 1 ? "" : "s", nbadcount,
		    nbadcount == 1 ? "" : "s");
	return cli_finish();
}

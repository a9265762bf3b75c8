/* record.c - field access on records whose memory lives in an arena. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "rec.h"
#include "internal.h"

static const char *const typetext[] = {
	NULL, NULL, "true", "false", "null", NULL, NULL
};

void
rec_init(struct rec *r)
{
	memset(r, 0, sizeof(*r));
}

void
rec_changed(struct rec *r)
{
	r->dirty = 1;
}

/* Appends a field without looking for one of the same name. */
struct field *
rec_add(struct rec *r, struct arena *a, const char *key, const char *val,
    size_t vlen, int type)
{
	struct field *f;
	size_t cap;

	if (r->nfields == r->cap) {
		cap = r->cap == 0 ? 16 : r->cap * 2;
		r->fields = arena_realloc(a, r->fields,
		    r->cap * sizeof(*r->fields), cap * sizeof(*r->fields));
		r->cap = cap;
	}
	if (val == NULL && typetext[type] != NULL) {
		val = typetext[type];
		vlen = strlen(val);
	}
	f = &r->fields[r->nfields++];
	f->key = key;
	f->klen = strlen(key);
	f->val = val != NULL ? val : "";
	f->vlen = val != NULL ? vlen : 0;
	f->type = type;
	r->dirty = 1;
	return f;
}

const struct field *
rec_get(const struct rec *r, const char *key)
{
	size_t i, n;

	n = strlen(key);
	for (i = 0; i < r->nfields; i++)
		if (r->fields[i].klen == n &&
		    memcmp(r->fields[i].key, key, n) == 0)
			return &r->fields[i];
	return NULL;
}

struct field *
rec_set(struct rec *r, struct arena *a, const char *key, const char *val,
    size_t vlen, int type)
{
	struct field *f;

	f = (struct field *)rec_get(r, key);
	if (f == NULL)
		return rec_add(r, a, key, val, vlen, type);
	if (val == NULL && typetext[type] != NULL) {
		val = typetext[type];
		vlen = strlen(val);
	}
	f->val = val != NULL ? val : "";
	f->vlen = val != NULL ? vlen : 0;
	f->type = type;
	r->dirty = 1;
	return f;
}

struct field *
rec_set_str(struct rec *r, struct arena *a, const char *key, const char *s)
{
	if (s == NULL)
		return rec_set(r, a, key, NULL, 0, REC_NULL);
	return rec_set(r, a, key, s, strlen(s), REC_STRING);
}

struct field *
rec_set_int(struct rec *r, struct arena *a, const char *key, long long v)
{
	char *s;

	s = arena_printf(a, "%lld", v);
	return rec_set(r, a, key, s, strlen(s), REC_NUMBER);
}

struct field *
rec_set_null(struct rec *r, struct arena *a, const char *key)
{
	return rec_set(r, a, key, NULL, 0, REC_NULL);
}

size_t
rec_del(struct rec *r, const char *key)
{
	size_t i, j, n, k;

	n = strlen(key);
	for (i = j = 0; i < r->nfields; i++) {
		if (r->fields[i].klen == n &&
		    memcmp(r->fields[i].key, key, n) == 0)
			continue;
		r->fields[j++] = r->fields[i];
	}
	k = r->nfields - j;
	r->nfields = j;
	if (k > 0)
		r->dirty = 1;
	return k;
}

/* Is s[0..n) exactly one JSON number (RFC 8259 grammar)? */
int
rec_is_number(const char *s, size_t n)
{
	size_t i = 0;

	if (i < n && s[i] == '-')
		i++;
	if (i >= n)
		return 0;
	if (s[i] == '0')
		i++;
	else if (s[i] >= '1' && s[i] <= '9')
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return 0;
	if (i < n && s[i] == '.') {
		if (++i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == n;
}



/*
 * A nested value's text was made by us from valid JSON, so parsing it
 * again cannot fail short of memory; numbers come back as their literals.
 */
int
rec_value_fields(struct arena *a, const struct field *f, struct rec *out)
{
	rec_init(out);
	if (f->type != REC_OBJECT && f->type != REC_ARRAY)
		return -1;
	return json_parse_fields(a, f->val, f->vlen, out);
}

/*
 * Bytes that are not UTF-8 can only sit inside strings, so repairing a
 * nested value's JSON text as a whole keeps it valid JSON.
 */
size_t
rec_repair_utf8(struct rec *r, struct arena *a)
{
	struct field *f;
	size_t i, n, total = 0;

	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		if (utf8_check(f->key, f->klen) != f->klen) {
			f->key = utf8_repair(a, f->key, f->klen, &f->klen, &n);
			total += n;
		}
		if (f->type != REC_NUMBER && f->type != REC_NULL &&
		    utf8_check(f->val, f->vlen) != f->vlen) {
			f->val = utf8_repair(a, f->val, f->vlen, &f->vlen, &n);
			total += n;
		}
	}
	if (total > 0)
		r->dirty = 1;
	return total;
}

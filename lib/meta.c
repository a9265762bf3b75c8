/* meta.c - what a page declares about itself: meta tags and JSON-LD. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>
#include <libxml/HTMLparser.h>

#include "rec.h"
#include "html.h"

#define MAXITEMS	256	/* JSON-LD items kept per page */

/* One meta key and its values, in document order. */
struct ent {
	const char	*key;
	const char	**vals;
	size_t		 n, cap;
	struct ent	*next;
};

struct meta {
	struct arena	*a;
	xmlDocPtr	 doc;
	const char	*pageurl;
	const char	*title, *description, *canonical, *lang, *clang;
	struct ent	*head, **tail;
	const char	**scripts;	/* JSON-LD blocks */
	const cJSON	**items;	/* JSON-LD items, for @id lookups */
	size_t		 nitems;
	size_t		 nscripts, capscripts;
};

/* Meta names kept, by prefix (compared without case). */
static const char *const prefixes[] = {
	"citation_", "dc.", "dcterms.", "og:", "twitter:", "article:",
	"book:", "profile:", "prism.", "eprints.", "bepress_citation_", NULL
};

/* Keys that are arrays even with one value. */
static const char *const multi[] = {
	"article_author", "article_tag", "citation_author",
	"citation_author_email", "citation_author_institution",
	"citation_author_orcid", "citation_editor", "citation_reference",
	"dc_contributor", "dc_creator", "dcterms_contributor",
	"dcterms_creator", "og_locale_alternate", NULL
};

/* JSON-LD types that are what a page is about, best first. */
static const char *const maintypes[] = {
	"ScholarlyArticle", "MedicalScholarlyArticle", "Article",
	"NewsArticle", "BlogPosting", "TechArticle", "Report", "Book",
	"Chapter", "Thesis", "Dataset", "Product", "Recipe", "Event",
	"JobPosting", "Course", "Movie", "Review", "CreativeWork", NULL
};

/* JSON-LD types that are never the main item. */
static const char *const sidetypes[] = {
	"WebSite", "Organization", "BreadcrumbList", "SearchAction",
	"SiteNavigationElement", "ImageObject", "WPHeader", "WPFooter",
	"WebPage", "Person", "ListItem", NULL
};

static int
inlist(const char *const *l, const char *s)
{
	for (; *l != NULL; l++)
		if (strcmp(*l, s) == 0)
			return 1;
	return 0;
}

/*
 * Lower snake case: "DC.Date.issued" -> "dc_date_issued",
 * "datePublished" -> "date_published", "@type" -> "type".
 */
static char *
snake(struct arena *a, const char *s)
{
	struct buf b;
	const unsigned char *p;
	int under;

	buf_init(&b, a);
	under = 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (isupper(*p) && p > (const unsigned char *)s &&
		    (islower(p[-1]) || isdigit(p[-1])))
			under = 1;
		if (!isalnum(*p)) {
			under = 1;
			continue;
		}
		if (under && b.len > 0)
			buf_putc(&b, '_');
		under = 0;
		buf_putc(&b, tolower(*p));
	}
	return b.p;
}

/* Collapsed, trimmed text of a value; NULL when empty. */
static const char *
clean(struct arena *a, const char *s)
{
	struct buf b;
	const char *p;
	int sp;

	if (s == NULL)
		return NULL;
	buf_init(&b, a);
	sp = 0;
	for (p = s; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f') {
			sp = b.len > 0;
			continue;
		}
		if (sp)
			buf_putc(&b, ' ');
		sp = 0;
		buf_putc(&b, *p);
	}
	return b.len > 0 ? b.p : NULL;
}

static int
isurlkey(const char *k)
{
	size_t n;

	n = strlen(k);
	if (n >= 3 && strcmp(k + n - 3, "url") == 0)
		return 1;
	return strcmp(k, "og_image") == 0 || strcmp(k, "og_video") == 0 ||
	    strcmp(k, "og_audio") == 0 || strcmp(k, "twitter_image") == 0 ||
	    strcmp(k, "twitter_image_src") == 0;
}

static void
add(struct meta *m, const char *key, const char *val)
{
	struct ent *e;
	size_t i;

	for (e = m->head; e != NULL; e = e->next)
		if (strcmp(e->key, key) == 0)
			break;
	if (e == NULL) {
		e = arena_alloc(m->a, 1, sizeof(*e));
		e->key = key;
		*m->tail = e;
		m->tail = &e->next;
	}
	if (!inlist(multi, key))
		for (i = 0; i < e->n; i++)
			if (strcmp(e->vals[i], val) == 0)
				return;		/* the same tag twice */
	if (e->n == e->cap) {
		e->vals = arena_realloc(m->a, e->vals,
		    e->cap * sizeof(*e->vals),
		    (e->cap ? e->cap * 2 : 4) * sizeof(*e->vals));
		e->cap = e->cap ? e->cap * 2 : 4;
	}
	e->vals[e->n++] = val;
}

static void
metatag(struct meta *m, xmlNodePtr n)
{
	const char *name, *content, *he;
	const char *const *p;
	char *key;

	content = clean(m->a, html_attr(n, "content"));
	if ((he = html_attr(n, "http-equiv")) != NULL) {
		if (strcasecmp(he, "content-language") == 0 &&
		    m->clang == NULL)
			m->clang = content;
		return;
	}
	if ((name = html_attr(n, "name")) == NULL &&
	    (name = html_attr(n, "property")) == NULL)
		return;
	while (isspace((unsigned char)*name))
		name++;
	if (content == NULL)
		return;
	if (strcasecmp(name, "description") == 0) {
		if (m->description == NULL)
			m->description = content;
		return;
	}
	if (strcasecmp(name, "keywords") == 0 ||
	    strcasecmp(name, "author") == 0) {
		add(m, snake(m->a, name), content);
		return;
	}
	for (p = prefixes; *p != NULL; p++)
		if (strncasecmp(name, *p, strlen(*p)) == 0)
			break;
	if (*p == NULL)
		return;
	key = snake(m->a, name);
	if (*key == '\0')
		return;
	if (isurlkey(key))
		content = html_resolve(m->doc, m->pageurl, content, m->a);
	add(m, key, content);
}

static void
script(struct meta *m, xmlNodePtr n)
{
	const char *type;
	struct buf b;
	xmlNodePtr c;

	if ((type = html_attr(n, "type")) == NULL)
		return;
	while (isspace((unsigned char)*type))
		type++;
	if (strncasecmp(type, "application/ld+json", 19) != 0)
		return;
	buf_init(&b, m->a);
	for (c = n->children; c != NULL; c = c->next)
		if (c->content != NULL &&
		    (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE))
			buf_puts(&b, (const char *)c->content);
	if (m->nscripts == m->capscripts) {
		m->scripts = arena_realloc(m->a, m->scripts,
		    m->capscripts * sizeof(*m->scripts),
		    (m->capscripts ? m->capscripts * 2 : 4) *
		    sizeof(*m->scripts));
		m->capscripts = m->capscripts ? m->capscripts * 2 : 4;
	}
	m->scripts[m->nscripts++] = b.p;
}

/* One pass over the tree collects everything. */
static void
collect(struct meta *m)
{
	xmlNodePtr n, root;
	struct buf b;
	const char *name, *v;
	int down;

	root = xmlDocGetRootElement(m->doc);
	if ((v = html_attr(root, "lang")) != NULL ||
	    (v = html_attr(root, "xml:lang")) != NULL)
		m->lang = clean(m->a, v);
	for (n = root; n != NULL; ) {
		down = n->type == XML_ELEMENT_NODE;
		if (down && (name = (const char *)n->name) != NULL) {
			if (strcmp(name, "meta") == 0)
				metatag(m, n);
			else if (strcmp(name, "title") == 0 &&
			    m->title == NULL && n->ns == NULL) {
				buf_init(&b, m->a);
				html_text(n, 0, &b);
				if (b.len > 0)
					m->title = b.p;
				down = 0;
			} else if (strcmp(name, "link") == 0 &&
			    m->canonical == NULL &&
			    (v = html_attr(n, "rel")) != NULL &&
			    html_hasword(v, "canonical") &&
			    (v = clean(m->a, html_attr(n, "href"))) != NULL)
				m->canonical = html_resolve(m->doc,
				    m->pageurl, v, m->a);
			else if (strcmp(name, "script") == 0) {
				script(m, n);
				down = 0;
			} else if (strcmp(name, "svg") == 0 ||
			    strcmp(name, "style") == 0)
				down = 0;
		}
		if (down && n->children != NULL) {
			n = n->children;
			continue;
		}
		while (n != NULL && n->next == NULL)
			n = n->parent;
		if (n != NULL)
			n = n->next;
	}
	if (m->lang == NULL)
		m->lang = m->clang;
}

/*
 * The string that stands for a JSON-LD value: itself, or an object's
 * name; an object that is only a reference {"@id": X} stands for the name
 * of the item with that @id, when the page has one.
 */
static const char *
ldstring(struct meta *m, const cJSON *v)
{
	struct arena *a = m->a;
	const cJSON *id, *o, *oid;
	size_t i;

	static const char *const names[] = {
		"name", "headline", "@value", "url", "@id", NULL
	};
	const char *const *k;
	const cJSON *g, *f;

	if (cJSON_IsString(v))
		return clean(a, v->valuestring);
	if (!cJSON_IsObject(v))
		return NULL;
	id = cJSON_GetObjectItemCaseSensitive(v, "@id");
	if (cJSON_IsString(id) && cJSON_GetArraySize(v) == 1)
		for (i = 0; i < m->nitems; i++) {
			o = m->items[i];
			oid = cJSON_GetObjectItemCaseSensitive(o, "@id");
			if (o != v && cJSON_IsString(oid) &&
			    strcmp(oid->valuestring, id->valuestring) == 0 &&
			    cJSON_GetArraySize(o) > 1)
				return ldstring(m, o);
		}
	for (k = names; *k != NULL; k++)
		if ((g = cJSON_GetObjectItemCaseSensitive(v, *k)) != NULL &&
		    cJSON_IsString(g) && clean(a, g->valuestring) != NULL)
			return clean(a, g->valuestring);
	g = cJSON_GetObjectItemCaseSensitive(v, "givenName");
	f = cJSON_GetObjectItemCaseSensitive(v, "familyName");
	if (cJSON_IsString(g) && cJSON_IsString(f))
		return clean(a, arena_printf(a, "%s %s", g->valuestring,
		    f->valuestring));
	if (cJSON_IsString(f))
		return clean(a, f->valuestring);
	return NULL;
}

/* The @type of an item (the first, if it is a list), or "". */
static const char *
ldtype(const cJSON *it)
{
	const cJSON *t;

	t = cJSON_GetObjectItemCaseSensitive(it, "@type");
	if (cJSON_IsArray(t))
		t = t->child;
	if (cJSON_IsString(t))
		return t->valuestring;
	return "";
}

static int
ldhastype(const cJSON *it, const char *const *list)
{
	const cJSON *t, *e;

	t = cJSON_GetObjectItemCaseSensitive(it, "@type");
	if (cJSON_IsString(t))
		return inlist(list, t->valuestring);
	if (cJSON_IsArray(t))
		cJSON_ArrayForEach(e, t)
			if (cJSON_IsString(e) && inlist(list, e->valuestring))
				return 1;
	return 0;
}

/* Appends the items of a JSON-LD value: objects, arrays, @graph. */
static void
lditems(const cJSON *v, const cJSON **items, size_t *n, int depth)
{
	const cJSON *e, *g;

	if (depth > 4 || *n >= MAXITEMS)
		return;
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(e, v)
			lditems(e, items, n, depth + 1);
		return;
	}
	if (!cJSON_IsObject(v))
		return;
	g = cJSON_GetObjectItemCaseSensitive(v, "@graph");
	if (g != NULL && cJSON_IsArray(g)) {
		if (cJSON_GetObjectItemCaseSensitive(v, "@type") != NULL)
			items[(*n)++] = v;
		lditems(g, items, n, depth + 1);
		return;
	}
	items[(*n)++] = v;
}

static const cJSON *
ldmain(const cJSON **items, size_t n)
{
	const char *const *t;
	size_t i;

	for (t = maintypes; *t != NULL; t++)
		for (i = 0; i < n; i++)
			if (strcmp(ldtype(items[i]), *t) == 0)
				return items[i];
	for (i = 0; i < n; i++)
		if (!ldhastype(items[i], sidetypes))
			return items[i];
	return n > 0 ? items[0] : NULL;
}

static void
setjson(struct rec *r, struct arena *a, const char *key, const cJSON *v)
{
	char *s;

	if ((s = cJSON_PrintUnformatted(v)) == NULL)
		return;
	rec_set(r, a, key, arena_strdup(a, s), strlen(s),
	    cJSON_IsNumber(v) ? REC_NUMBER : cJSON_IsTrue(v) ? REC_TRUE :
	    cJSON_IsFalse(v) ? REC_FALSE : cJSON_IsArray(v) ? REC_ARRAY :
	    REC_OBJECT);
	free(s);
}

/* Sets key to a JSON array of the strings that stand for v's members. */
static void
setlist(struct meta *m, struct rec *r, const char *key, const cJSON *v)
{
	const cJSON *e;
	const char *s;
	struct buf b;
	int n;

	buf_init(&b, m->a);
	buf_putc(&b, '[');
	n = 0;
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(e, v)
			if ((s = ldstring(m, e)) != NULL) {
				if (n++ > 0)
					buf_putc(&b, ',');
				buf_json(&b, s, strlen(s));
			}
	} else if ((s = ldstring(m, v)) != NULL) {
		buf_json(&b, s, strlen(s));
		n++;
	}
	buf_putc(&b, ']');
	if (n > 0)
		rec_set(r, m->a, key, b.p, b.len, REC_ARRAY);
}

/*
 * The main item's properties as ld_* fields: scalars as they are, a
 * person or thing by its name, lists as arrays of those; an object with
 * no name gives its scalar members as ld_KEY_MEMBER.
 */
static void
ldflat(struct meta *m, struct rec *r, const cJSON *it)
{
	static const char *const people[] = {
		"author", "creator", "editor", "contributor", NULL
	};
	const cJSON *v, *w;
	const char *s, *k;
	char *key, *sub;

	cJSON_ArrayForEach(v, it) {
		k = v->string;
		if (k == NULL || strcmp(k, "@context") == 0 ||
		    strcmp(k, "@graph") == 0)
			continue;
		key = arena_printf(m->a, "ld_%s", snake(m->a, k));
		if (strcmp(key, "ld_") == 0)
			continue;
		if (strcmp(k, "@type") == 0) {
			if (*ldtype(it) != '\0')
				rec_set_str(r, m->a, key,
				    arena_strdup(m->a, ldtype(it)));
			continue;
		}
		if (inlist(people, k) || cJSON_IsArray(v)) {
			setlist(m, r, key, v);
			continue;
		}
		if (cJSON_IsString(v)) {
			if ((s = clean(m->a, v->valuestring)) == NULL)
				continue;
			/* "_:b0" is a blank node, not a relative IRI */
			if ((strcmp(k, "url") == 0 || strcmp(k, "image") == 0 ||
			    strcmp(k, "@id") == 0 || strcmp(k, "sameAs") == 0) &&
			    strncmp(s, "_:", 2) != 0)
				s = html_resolve(m->doc, m->pageurl, s, m->a);
			rec_set_str(r, m->a, key, s);
		} else if (cJSON_IsNumber(v) || cJSON_IsBool(v))
			setjson(r, m->a, key, v);
		else if (cJSON_IsObject(v)) {
			if ((s = ldstring(m, v)) != NULL) {
				rec_set_str(r, m->a, key, s);
				continue;
			}
			cJSON_ArrayForEach(w, v) {
				if (w->string == NULL || *w->string == '@')
					continue;
				sub = arena_printf(m->a, "%s_%s", key,
				    snake(m->a, w->string));
				if (cJSON_IsString(w) &&
				    (s = clean(m->a, w->valuestring)) != NULL)
					rec_set_str(r, m->a, sub, s);
				else if (cJSON_IsNumber(w) || cJSON_IsBool(w))
					setjson(r, m->a, sub, w);
			}
		}
	}
}

/* Strips what pages wrap JSON-LD in: <!-- -->, CDATA markers. */
static const char *
unwrap(const char *s, size_t *len)
{
	static const char *const heads[] = {
		"<!--", "//<![CDATA[", "/*<![CDATA[*/", "<![CDATA[", NULL
	};
	static const char *const tails[] = {
		"-->", "//]]>", "/*]]>*/", "]]>", NULL
	};
	const char *const *p;
	size_t n, k;

	n = strlen(s);
	for (;;) {
		while (n > 0 && isspace((unsigned char)*s)) {
			s++;
			n--;
		}
		while (n > 0 && isspace((unsigned char)s[n - 1]))
			n--;
		for (p = heads; *p != NULL; p++)
			if (n >= (k = strlen(*p)) && strncmp(s, *p, k) == 0)
				break;
		if (*p != NULL) {
			s += k;
			n -= k;
			continue;
		}
		for (p = tails; *p != NULL; p++)
			if (n >= (k = strlen(*p)) &&
			    strncmp(s + n - k, *p, k) == 0)
				break;
		if (*p == NULL)
			break;
		n -= k;
	}
	*len = n;
	return s;
}

static void
warn(const struct html_out *out, const char *msg)
{
	if (out != NULL && out->warn != NULL)
		out->warn(out->ctx, msg);
}

int
meta_run(xmlDocPtr doc, const struct rec *prov, struct arena *tmp,
    const struct html_out *out)
{
	const cJSON *items[MAXITEMS], *main;
	cJSON **roots;
	struct meta m;
	struct rec r;
	struct ent *e;
	const struct field *u;
	const char *js, *end;
	struct buf b;
	size_t i, j, n, len;

	if (doc == NULL || xmlDocGetRootElement(doc) == NULL)
		return -1;
	memset(&m, 0, sizeof(m));
	m.a = tmp;
	m.doc = doc;
	m.tail = &m.head;
	if (prov != NULL && (u = rec_get(prov, "url")) != NULL &&
	    u->type == REC_STRING)
		m.pageurl = u->val;
	collect(&m);

	rec_init(&r);
	if (prov != NULL)
		for (i = 0; i < prov->nfields; i++)
			rec_add(&r, tmp, prov->fields[i].key,
			    prov->fields[i].val, prov->fields[i].vlen,
			    prov->fields[i].type);
	rec_set_str(&r, tmp, "type", "page");
	rec_set_str(&r, tmp, "title", m.title);
	rec_set_str(&r, tmp, "description", m.description);
	rec_set_str(&r, tmp, "canonical", m.canonical);
	rec_set_str(&r, tmp, "lang", m.lang);
	for (e = m.head; e != NULL; e = e->next) {
		if (e->n == 1 && !inlist(multi, e->key)) {
			rec_set_str(&r, tmp, e->key, e->vals[0]);
			continue;
		}
		buf_init(&b, tmp);
		buf_putc(&b, '[');
		for (j = 0; j < e->n; j++) {
			if (j > 0)
				buf_putc(&b, ',');
			buf_json(&b, e->vals[j], strlen(e->vals[j]));
		}
		buf_putc(&b, ']');
		rec_set(&r, tmp, e->key, b.p, b.len, REC_ARRAY);
	}

	/* JSON-LD: every block parsed, the items kept until emitted. */
	n = 0;
	roots = arena_alloc(tmp, m.nscripts + 1, sizeof(*roots));
	for (i = 0; i < m.nscripts; i++) {
		js = unwrap(m.scripts[i], &len);
		if (len == 0)
			continue;
		end = NULL;
		roots[i] = cJSON_ParseWithLengthOpts(js, len, &end, 0);
		if (roots[i] == NULL) {
			warn(out, arena_printf(tmp, "invalid JSON-LD in "
			    "script %zu of %zu: syntax error at byte %zu",
			    i + 1, m.nscripts, end != NULL && end >= js ?
			    (size_t)(end - js) + 1 : (size_t)1));
			continue;
		}
		lditems(roots[i], items, &n, 0);
	}
	m.items = items;
	m.nitems = n;
	if ((main = ldmain(items, n)) != NULL)
		ldflat(&m, &r, main);
	if (n > 0) {
		buf_init(&b, tmp);
		buf_putc(&b, '[');
		for (i = 0; i < n; i++) {
			char *s;

			if ((s = cJSON_PrintUnformatted(items[i])) == NULL)
				continue;
			if (b.len > 1)
				buf_putc(&b, ',');
			buf_puts(&b, s);
			free(s);
		}
		buf_putc(&b, ']');
		rec_set(&r, tmp, "jsonld", b.p, b.len, REC_ARRAY);
	}
	rec_changed(&r);
	html_emit(out, &r, tmp);
	for (i = 0; i < m.nscripts; i++)
		if (roots[i] != NULL)
			cJSON_Delete(roots[i]);
	return 0;
}

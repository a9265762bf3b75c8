/*
 * gen.c - the benchmark's data generator: invented study, post and
 * reference records as NDJSON and CSV, research pages as HTML and as text
 * renderings, and a file of distinct keys.  Deterministic: the same
 * options give the same bytes on every machine.  Not part of any binary;
 * tests/bench/run.sh and tests/parallel.test compile it.
 *
 * usage: gen [-m MB] [-p PAGES] [-k KEYS] [-s SEED] DIR
 *   DIR/records.ndjson	about MB megabytes (0: none)
 *   DIR/records.csv	the same records, one fixed header
 *   DIR/html/NNNNN.html, DIR/text/NNNNN.txt	PAGES pages each
 *   DIR/keys.ndjson	KEYS records with distinct "id" (0: none)
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXPOSTS	48
#define MAXREFS		24

struct str {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

struct post {
	char		 title[512];
	char		 community[64];
	char		 age[32];
	char		 summary[2048];
	long		 upvotes;
	int		 hascount;
};

struct ref {
	char		 date[32];
	char		 journal[128];
	char		 finding[1024];
	long		 citations;
};

struct study {
	char		 title[512];
	char		 slug[600];
	char		 id[8];
	char		 date[32];
	char		 journal[128];
	char		 authors[1024];
	char		 tldr[1024];
	char		 summary[4096];
	struct post	 posts[MAXPOSTS];
	struct ref	 refs[MAXREFS];
	int		 nposts;
	int		 nrefs;
};

static void	 usage(void) __attribute__((noreturn));

static const char *syl[] = {
	"ta", "ro", "mi", "ne", "vo", "ka", "lu", "sen", "dor", "fi", "gra",
	"pel", "xi", "zo", "bri", "quen", "tor", "am", "el", "os", "ril", "da",
	"che", "mo", "vin", "sta", "lo", "pre", "nu", "gi"
};
static const char *common[] = {
	"the", "study", "hair", "follicle", "treatment", "of", "and", "in",
	"with", "patients", "showed", "growth", "density", "after", "weeks",
	"topical", "oral", "dose", "a", "to", "was", "were", "effect", "scalp",
	"loss", "trial", "results", "significant", "for", "compared", "group",
	"placebo", "increase", "reduced", "shedding", "users", "month", "daily",
	"serum", "levels", "may", "not", "but", "as", "by", "on", "is", "this"
};
static const char *fancy[] = {
	"\xe2\x80\x9cregrowth\xe2\x80\x9d", "caf\xc3\xa9", "na\xc3\xafve",
	"5\xc2\xb5g", "\xc2\xb1" "2%", "\xe2\x89\xa4" "0.5", "CO\xe2\x82\x82",
	"\xce\xb1-reductase", "\xce\xb2-catenin", "M\xc3\xbcller",
	"\xe2\x86\x92", "\xe2\x80\x94", "\xf0\x9f\xa7\xaa", "\xf0\x9f\x98\x80",
	"don\xe2\x80\x99t", "e\xcc\x81tude", "\xe2\x88\x92" "3", "\"quoted\"",
	"a,b", "back\\slash"
};
static const char *communities[] = {
	"Research", "Research/Science", "Finasteride", "Minoxidil", "Chat",
	"Treatments", "Progress Pictures", "Will treatment work for me?",
	"Dutasteride", "Hair Transplants", ""
};
static const char *journals[] = {
	"Journal of Invented Dermatology", "Archives of Made-Up Trichology",
	"PubMed", "Springer eBooks", "Fictional Skin Research",
	"Annals of Imaginary Medicine", "Revue d\xe2\x80\x99\x44\x65rmatologie Fictive",
	"Biologics: Targets & Therapy"
};
static const char *months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};
static const char *units[] = { "day", "week", "month", "year" };

static uint64_t	 rs;

static void
usage(void)
{
	fprintf(stderr, "usage: gen [-m MB] [-p PAGES] [-k KEYS] [-s SEED] "
	    "DIR\n");
	exit(EX_USAGE);
}

static void
seed(uint64_t a, uint64_t b)
{
	rs = a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL);
}

static uint64_t
rnd(void)
{
	uint64_t z;

	z = (rs += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned
rn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static void
cat(char *dst, size_t cap, const char *s)
{
	size_t n;

	n = strlen(dst);
	if (n + 1 >= cap)
		return;
	snprintf(dst + n, cap - n, "%s", s);
}

/* An invented word, capitalised if cap. */
static void
word(char *dst, size_t size, int cap)
{
	char w[64];
	unsigned i, n;

	w[0] = '\0';
	n = 2 + rn(2);
	for (i = 0; i < n; i++)
		cat(w, sizeof(w), syl[rn(NELEM(syl))]);
	if (cap)
		w[0] = (char)(w[0] - 'a' + 'A');
	cat(dst, size, w);
}

/* Words into dst: invented, common and, now and then, fancy ones. */
static void
sentence(char *dst, size_t size, unsigned nw, int fancyrate)
{
	unsigned i, r;

	for (i = 0; i < nw; i++) {
		if (i > 0)
			cat(dst, size, rn(40) == 0 ? ", " : " ");
		r = rn(100);
		if (r < (unsigned)fancyrate)
			cat(dst, size, fancy[rn(NELEM(fancy))]);
		else if (r < 55)
			cat(dst, size, common[rn(NELEM(common))]);
		else
			word(dst, size, i == 0);
	}
}

static void
paragraph(char *dst, size_t size, unsigned ns)
{
	unsigned i;

	for (i = 0; i < ns; i++) {
		if (i > 0)
			cat(dst, size, " ");
		sentence(dst, size, 8 + rn(14), 3);
		cat(dst, size, ".");
	}
}

/* Leading, trailing or doubled spaces, tabs, no-break spaces: for
 * normalize to clean. */
static void
noise(char *s, size_t size)
{
	char tmp[4096];
	char *sp;
	size_t n;

	switch (rn(12)) {
	case 0:
		snprintf(tmp, sizeof(tmp), "  %s ", s);
		break;
	case 1:
		snprintf(tmp, sizeof(tmp), "%s\t", s);
		break;
	case 2:
		if ((sp = strchr(s, ' ')) == NULL)
			return;
		snprintf(tmp, sizeof(tmp), "%.*s   %s", (int)(sp - s), s,
		    sp + 1);
		break;
	case 3:
		if ((sp = strchr(s, ' ')) == NULL)
			return;
		snprintf(tmp, sizeof(tmp), "%.*s\xc2\xa0%s", (int)(sp - s), s,
		    sp + 1);
		break;
	case 4:
		if ((sp = strchr(s, ' ')) == NULL)
			return;
		snprintf(tmp, sizeof(tmp), "%.*s\n%s", (int)(sp - s), s,
		    sp + 1);
		break;
	default:
		return;
	}
	n = strlen(tmp);
	if (n >= size)
		n = size - 1;
	memcpy(s, tmp, n);
	s[n] = '\0';
}

static void
mkpost(struct post *p, unsigned long j, unsigned v)
{
	unsigned long base;

	memset(p, 0, sizeof(*p));
	/* Every tenth post is a near copy of the one before. */
	base = (j % 10 == 1) ? j - 1 : j;
	seed(2, base);
	sentence(p->summary, sizeof(p->summary), 30 + rn(30), 2);
	cat(p->summary, sizeof(p->summary), ".");
	if (base != j) {
		seed(3, j);
		cat(p->summary, sizeof(p->summary), " ");
		word(p->summary, sizeof(p->summary), 1);
		cat(p->summary, sizeof(p->summary), ".");
	}
	seed(1, j);
	sentence(p->title, sizeof(p->title), 3 + rn(9), 6);
	if (rn(6) == 0)
		cat(p->title, sizeof(p->title), rn(2) ? "?" : "!");
	snprintf(p->community, sizeof(p->community), "%s",
	    communities[rn(NELEM(communities))]);
	p->upvotes = (long)rn(900) + 3 * (long)v;
	p->hascount = rn(8) != 0;
	snprintf(p->age, sizeof(p->age), "%u %s%s ago", 1 + rn(11) + v,
	    units[rn(NELEM(units))], "s");
	seed(4, j * 7 + v);
	noise(p->title, sizeof(p->title));
	noise(p->summary, sizeof(p->summary));
}

static void
mkref(struct ref *r, unsigned long k)
{
	memset(r, 0, sizeof(*r));
	seed(5, k);
	snprintf(r->date, sizeof(r->date), "%s %u", months[rn(12)],
	    1990 + rn(35));
	snprintf(r->journal, sizeof(r->journal), "%s",
	    journals[rn(NELEM(journals))]);
	sentence(r->finding, sizeof(r->finding), 10 + rn(20), 3);
	cat(r->finding, sizeof(r->finding), ".");
	r->citations = (long)rn(400);
}

static void
mkstudy(struct study *s, unsigned long i, unsigned long npool)
{
	unsigned k, n;
	char w[64];

	memset(s, 0, sizeof(*s));
	seed(6, i);
	sentence(s->title, sizeof(s->title), 5 + rn(12), 4);
	for (k = 0; k < 3; k++)
		s->id[k] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[rn(32)];
	s->id[3] = (char)(i % 3 == 0 ? "ABCDEFGHJK"[rn(10)] : '\0');
	w[0] = '\0';
	word(w, sizeof(w), 0);
	snprintf(s->slug, sizeof(s->slug), "%s-%s-%s", w, "study", s->id);
	if (rn(5) < 2)
		snprintf(s->date, sizeof(s->date), "%s %u", months[rn(12)],
		    1995 + rn(31));
	snprintf(s->journal, sizeof(s->journal), "%s",
	    journals[rn(NELEM(journals))]);
	n = 1 + rn(8);
	for (k = 0; k < n; k++) {
		if (k > 0)
			cat(s->authors, sizeof(s->authors), ", ");
		w[0] = '\0';
		word(w, sizeof(w), 1);
		cat(s->authors, sizeof(s->authors), w);
		cat(s->authors, sizeof(s->authors), rn(2) ? " " : ". ");
		w[0] = '\0';
		word(w, sizeof(w), 1);
		cat(s->authors, sizeof(s->authors), w);
	}
	sentence(s->tldr, sizeof(s->tldr), 15 + rn(15), 3);
	cat(s->tldr, sizeof(s->tldr), ".");
	paragraph(s->summary, sizeof(s->summary), 5 + rn(6));
	s->nrefs = (int)rn(MAXREFS / 2);
	for (k = 0; k < (unsigned)s->nrefs; k++) {
		seed(7, i * 131 + k);
		mkref(&s->refs[k], rnd() % (npool * 2 + 1));
	}
	seed(8, i);
	s->nposts = 8 + (int)rn(MAXPOSTS - 8);
	for (k = 0; k < (unsigned)s->nposts; k++) {
		unsigned long j;
		unsigned v;

		seed(9, i * 977 + k);
		j = rnd() % npool;
		v = rn(3);
		mkpost(&s->posts[k], j, v);
	}
	seed(10, i);
	noise(s->title, sizeof(s->title));
	noise(s->tldr, sizeof(s->tldr));
}

static void
jstr(FILE *f, const char *key, const char *s, int comma)
{
	const unsigned char *p;

	fprintf(f, "%s\"%s\":\"", comma ? "," : "", key);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				putc(*p, f);
		}
	}
	putc('"', f);
}

static void
cstr(FILE *f, const char *s, int comma)
{
	size_t n;

	if (comma)
		putc(',', f);
	n = strlen(s);
	if (strpbrk(s, ",\"\r\n") == NULL && (n == 0 ||
	    (s[0] != ' ' && s[n - 1] != ' '))) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

static const char csvhdr[] = "type,title,date,journal,authors,community,"
    "upvotes,age,citations,summary,url\n";

/* Records: one study, then its posts and references. */
static long
records(FILE *nd, FILE *csv, const struct study *s)
{
	char url[700], num[32];
	long pos;
	int k;

	pos = ftell(nd);
	snprintf(url, sizeof(url), "https://research.example.org/research/%s",
	    s->slug);
	fputs("{", nd);
	jstr(nd, "type", "study", 0);
	jstr(nd, "title", s->title, 1);
	if (s->date[0] != '\0')
		jstr(nd, "date", s->date, 1);
	jstr(nd, "journal", s->journal, 1);
	jstr(nd, "authors", s->authors, 1);
	jstr(nd, "tldr", s->tldr, 1);
	jstr(nd, "summary", s->summary, 1);
	jstr(nd, "url", url, 1);
	fputs("}\n", nd);
	cstr(csv, "study", 0);
	cstr(csv, s->title, 1);
	cstr(csv, s->date, 1);
	cstr(csv, s->journal, 1);
	cstr(csv, s->authors, 1);
	fputs(",,,,", csv);
	cstr(csv, s->summary, 1);
	cstr(csv, url, 1);
	putc('\n', csv);
	for (k = 0; k < s->nposts; k++) {
		const struct post *p = &s->posts[k];

		fputs("{", nd);
		jstr(nd, "type", "post", 0);
		jstr(nd, "title", p->title, 1);
		if (p->community[0] != '\0')
			jstr(nd, "community", p->community, 1);
		if (p->hascount)
			fprintf(nd, ",\"upvotes\":%ld", p->upvotes);
		jstr(nd, "age", p->age, 1);
		jstr(nd, "summary", p->summary, 1);
		fputs("}\n", nd);
		cstr(csv, "post", 0);
		cstr(csv, p->title, 1);
		fputs(",,,", csv);
		cstr(csv, p->community, 1);
		if (p->hascount)
			fprintf(csv, ",%ld", p->upvotes);
		else
			putc(',', csv);
		cstr(csv, p->age, 1);
		putc(',', csv);
		cstr(csv, p->summary, 1);
		fputs(",\n", csv);
	}
	for (k = 0; k < s->nrefs; k++) {
		const struct ref *r = &s->refs[k];

		fputs("{", nd);
		jstr(nd, "type", "reference", 0);
		fprintf(nd, ",\"citations\":%ld", r->citations);
		jstr(nd, "date", r->date, 1);
		jstr(nd, "journal", r->journal, 1);
		jstr(nd, "finding", r->finding, 1);
		fputs("}\n", nd);
		snprintf(num, sizeof(num), "%ld", r->citations);
		cstr(csv, "reference", 0);
		putc(',', csv);
		cstr(csv, r->date, 1);
		cstr(csv, r->journal, 1);
		fputs(",,,,", csv);
		cstr(csv, num, 1);
		cstr(csv, r->finding, 1);
		fputs(",\n", csv);
	}
	return ftell(nd) - pos;
}

static void
hesc(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			putc(*s, f);
		}
	}
}

/* One line of text: newlines and tabs inside values become spaces, as
 * a text rendering shows them. */
static void
tline(FILE *f, const char *ind, const char *s)
{
	fputs(ind, f);
	for (; *s != '\0'; s++)
		putc(*s == '\n' || *s == '\t' ? ' ' : *s, f);
	putc('\n', f);
}

static void
page_text(FILE *f, const struct study *s, unsigned style)
{
	const char *in, *pin;
	int k;

	/* style 0, 1: indented; 2: flat; 3: padded */
	in = style == 2 ? "" : style == 3 ? "  " : "    ";
	pin = style == 2 ? "" : style == 3 ? "   " : "      ";
	tline(f, "", s->title);
	putc('\n', f);
	if (s->date[0] != '\0') {
		if (style == 2) {
			fprintf(f, "%s\nin \xe2\x80\x9c\n%s\n\xe2\x80\x9d\n",
			    s->date, s->journal);
		} else
			fprintf(f, "%s%s in \xe2\x80\x9c %s\n", in, s->date,
			    s->journal);
	}
	tline(f, in, s->authors);
	if (style != 2)
		fprintf(f, "%sImage of study\n", in);
	fprintf(f, "%sTLDR%s", in, style == 3 ? "  " : " ");
	tline(f, "", s->tldr);
	tline(f, in, s->summary);
	fprintf(f, "%sDiscuss this study in the Community \xe2\x86\x92\n\n", in);
	fprintf(f, "%sResearch cited in this study\n\n%s%d / %d results\n",
	    in, in, s->nrefs, s->nrefs);
	for (k = 0; k < s->nrefs; k++) {
		const struct ref *r = &s->refs[k];

		fprintf(f, "%s%ld citations,\n%s%s in \xe2\x80\x9c%s\xe2\x80\x9d "
		    , in, r->citations, in, r->date, r->journal);
		tline(f, "", r->finding);
	}
	fprintf(f, "\n%sRelated Community Posts Join\n\n%s%d / 1000+ results\n",
	    in, in, s->nposts);
	for (k = 0; k < s->nposts; k++) {
		const struct post *p = &s->posts[k];

		if (k % 3 == 0)
			tline(f, pin, p->title);
		putc('\n', f);
		fprintf(f, "%scommunity ", pin);
		tline(f, "", p->title);
		putc('\n', f);
		fputs(pin, f);
		if (p->community[0] != '\0')
			fprintf(f, "in %s ", p->community);
		if (p->hascount)
			fprintf(f, " %ld upvotes ", p->upvotes);
		fprintf(f, "%s\n", p->age);
		tline(f, pin, p->summary);
	}
	fprintf(f, "\n%sSimilar Research\n\n%s0 / 1000+ results\n", in, in);
}

static void
page_html(FILE *f, const struct study *s, unsigned long i)
{
	int k, n;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "\n<title>", f);
	hesc(f, s->title);
	fprintf(f, "</title>\n<link rel=\"canonical\" href=\"https://"
	    "research.example.org/research/%s\">\n<meta property=\"og:url\" "
	    "content=\"https://research.example.org/research/%s\">\n"
	    "<meta name=\"citation_title\" content=\"", s->slug, s->slug);
	hesc(f, s->title);
	fputs("\">\n<style>body{font-family:sans-serif;margin:0}"
	    ".post{padding:4px 0}.count{color:#666}</style>\n<script>"
	    "window.__state={\"page\":\"research\",\"v\":3};"
	    "function go(u){location.href=u;}</script>\n</head>\n<body>\n"
	    "<nav><a href=\"/\">Home</a> <a href=\"/research\">Research</a> "
	    "<a href=\"/community\">Community</a> <a href=\"/learn\">Learn</a>"
	    "</nav>\n<main><article class=\"study\">\n<h1>", f);
	hesc(f, s->title);
	fputs("</h1>\n", f);
	if (s->date[0] != '\0') {
		fprintf(f, "<div class=\"meta\"><span class=\"date\">%s</span> "
		    "in \xe2\x80\x9c <span class=\"journal\">", s->date);
		hesc(f, s->journal);
		fputs("</span></div>\n", f);
	}
	fputs("<div class=\"authors\">", f);
	hesc(f, s->authors);
	fputs("</div>\n<img src=\"/img/s.png\" alt=\"Image of study\">\n"
	    "<p class=\"tldr\"><b>TLDR</b> ", f);
	hesc(f, s->tldr);
	fputs("</p>\n<p class=\"summary\">", f);
	hesc(f, s->summary);
	fprintf(f, "</p>\n<a class=\"action\" href=\"/community?s=%s\">"
	    "Discuss this study in the Community \xe2\x86\x92</a>\n", s->id);
	fprintf(f, "<section class=\"cited\"><h2>Research cited in this study"
	    "</h2>\n<div class=\"count\">%d / %d results</div>\n<ul>\n",
	    s->nrefs, s->nrefs);
	for (k = 0; k < s->nrefs; k++) {
		const struct ref *r = &s->refs[k];

		fprintf(f, "<li><span class=\"citations\">%ld citations,</span>"
		    " <span class=\"date\">%s</span> in \xe2\x80\x9c"
		    "<span class=\"journal\">", r->citations, r->date);
		hesc(f, r->journal);
		fputs("</span>\xe2\x80\x9d <span class=\"finding\">", f);
		hesc(f, r->finding);
		fputs("</span></li>\n", f);
	}
	fprintf(f, "</ul></section>\n<section class=\"posts\"><h2>Related "
	    "Community Posts <button>Join</button></h2>\n<div class=\"count\">"
	    "%d / 1000+ results</div>\n", s->nposts);
	for (k = 0; k < s->nposts; k++) {
		const struct post *p = &s->posts[k];

		fprintf(f, "<div class=\"post\" id=\"p%lu-%d\">\n"
		    "<a class=\"title\" href=\"/community/post/%lu%d\">"
		    "<span class=\"label\">community</span> ", i, k, i, k);
		hesc(f, p->title);
		fputs("</a>\n<div class=\"votes\">", f);
		if (p->community[0] != '\0') {
			fputs("in <span class=\"community\">", f);
			hesc(f, p->community);
			fputs("</span> ", f);
		}
		if (p->hascount)
			fprintf(f, " <span class=\"upvotes\">%ld upvotes</span> ",
			    p->upvotes);
		fprintf(f, "<span class=\"age\">%s</span></div>\n"
		    "<p class=\"summary\">", p->age);
		hesc(f, p->summary);
		fputs("</p>\n</div>\n", f);
	}
	fputs("</section>\n<section class=\"similar\"><h2>Similar Research"
	    "</h2>\n<div class=\"count\">0 / 1000+ results</div></section>\n"
	    "</article></main>\n<footer>", f);
	n = 20;
	for (k = 0; k < n; k++)
		fprintf(f, "<a href=\"/learn/topic-%d\">Topic %d</a> ", k, k);
	fputs("<p>Invented benchmark page.</p></footer>\n</body></html>\n",
	    f);
}

static FILE *
out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		exit(EX_CANTCREAT);
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	return f;
}

static void
done(FILE *f)
{
	if (fclose(f) != 0) {
		fprintf(stderr, "gen: write error: %s\n", strerror(errno));
		exit(EX_IOERR);
	}
}

int
main(int argc, char **argv)
{
	struct study *s;
	unsigned long long want, have;
	unsigned long i, npages, nkeys, npool, sd;
	double mb;
	char name[64];
	const char *dir;
	FILE *nd, *csv, *f;
	int ch;

	mb = 200;
	npages = 2000;
	nkeys = 0;
	sd = 1;
	while ((ch = getopt(argc, argv, "m:p:k:s:")) != -1) {
		switch (ch) {
		case 'm':
			mb = atof(optarg);
			break;
		case 'p':
			npages = strtoul(optarg, NULL, 10);
			break;
		case 'k':
			nkeys = strtoul(optarg, NULL, 10);
			break;
		case 's':
			sd = strtoul(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	dir = argv[optind];
	if ((s = malloc(sizeof(*s))) == NULL)
		return EX_OSERR;
	want = (unsigned long long)(mb * 1e6);
	/* ~16 KB of records per study, ~28 posts each: a pool of distinct
	 * posts a quarter of the posts written gives plenty of repeats. */
	npool = (unsigned long)(want / 16000 * 28 / 4) + 100;
	if (want > 0) {
		nd = out(dir, "records.ndjson");
		csv = out(dir, "records.csv");
		fputs(csvhdr, csv);
		for (have = 0, i = 0; have < want; i++) {
			mkstudy(s, i + sd * 1000003UL, npool);
			have += (unsigned long long)records(nd, csv, s);
		}
		done(nd);
		done(csv);
	}
	if (npages > 0) {
		snprintf(name, sizeof(name), "%s/html", dir);
		mkdir(name, 0777);
		snprintf(name, sizeof(name), "%s/text", dir);
		mkdir(name, 0777);
	}
	for (i = 0; i < npages; i++) {
		mkstudy(s, i + sd * 1000003UL, 4000);
		snprintf(name, sizeof(name), "html/%05lu.html", i);
		f = out(dir, name);
		page_html(f, s, i);
		done(f);
		snprintf(name, sizeof(name), "text/%05lu.txt", i);
		f = out(dir, name);
		page_text(f, s, (unsigned)(i % 4));
		done(f);
	}
	if (nkeys > 0) {
		f = out(dir, "keys.ndjson");
		for (i = 0; i < nkeys; i++)
			fprintf(f, "{\"id\":\"k%08lx\",\"n\":%lu}\n",
			    (i * 2654435761UL) & 0xffffffffUL, i);
		done(f);
	}
	free(s);
	return 0;
}

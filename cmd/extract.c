/* extract - saved web pages (HTML, text renderings, JSON lines of pages) to
 * records: the research site's layout, page metadata, tables, XPath fields. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "rec.h"
#include "html.h"
#include "htmllines.h"
#include "pages.h"
#include "research.h"

#define SCRATCH	((size_t)4 << 20)	/* a page's scratch, kept */
#define AUTOTHREADS 8			/* at most this many by default */

enum { L_AUTO, L_RESEARCH, L_META, L_TABLE, L_FIELDS };
enum {
	OPT_ENCODING = OPT_TOOL, OPT_HTMLFIELD, OPT_TEXTFIELD, OPT_URLFIELD
};

/* A message of a page's, told when the page's turn comes. */
struct msg {
	unsigned long	 line;
	const char	*text;
	struct msg	*next;
};

/* What each thread has of its own. */
struct worker {
	pthread_t	 tid;
	struct xspec	*spec;		/* the user fields, compiled for it */
	struct buf	 text;		/* a page's text, grown once, kept */
	struct arena	*perm;
	int		 deep;		/* the parser cut this page's tree */
};

/*
 * One page in flight.  The main thread reads it, a worker runs it, and
 * the main thread tells it (messages, records, a bad page) in input
 * order, so that output and messages are the same whatever -J is.
 */
struct job {
	int		 st;		/* pages_next()'s status */
	struct page	 p;
	struct arena	*tmp;		/* everything of the page's */
	struct rec_writer *w;		/* its records, in memory */
	unsigned long long nout;	/* how many */
	struct msg	*msgs, **tail;
	const char	*why;		/* the page is bad: why; or NULL */
	int		 done;		/* run: the main thread's again */
};

struct ctx {
	const char	*file;		/* where the page is */
	unsigned long	 line;
	const char	*source;
	unsigned long long nrec;	/* records this page gave */
	struct arena	*tmp;
	int		 html;		/* the page is HTML */
	int		 warned;	/* of invalid UTF-8, once a page */
	struct job	*job;		/* where output goes, or NULL: out */
	struct worker	*wk;
};

static const char synopsis[] =
"glean-extract [-k] [-e xpath] [-F file] [-f spec] [-i form] [-j sep]\n"
"                     [-J threads] [-l layout] [-t types]\n"
"                     [--encoding charset] [--html-field name]\n"
"                     [--text-field name] [--url-field name] [file ...]";

static const char help[] =
"Turn saved pages (HTML, text renderings, JSON lines of pages) into records.\n"
"\n"
"  -e, --each XPATH       one record per node XPATH matches (fields are\n"
"                         relative to it); with -l table, the tables to read\n"
"      --encoding NAME    read HTML in this charset, whatever it declares\n"
"  -F, --field-file FILE  read field specs from FILE, one a line\n"
"  -f, --field SPEC       add a field: NAME=XPATH, NAME[]=XPATH (array of\n"
"                         every match), NAME:html=XPATH (inner HTML)\n"
"      --html-field NAME  JSON-lines pages: the HTML field (default html)\n"
"  -i, --input FORM       auto, html, text or jsonl (default auto: detected)\n"
"  -J, --threads N        read pages on N threads (default: one per\n"
"                         processor, at most 8; 1 with --unbuffered);\n"
"                         output and messages are the same for any N\n"
"  -j, --join SEP         join several matches of a field with SEP\n"
"                         (default newline)\n"
"  -k, --keep-going       report a page that matches no layout and go on\n"
"                         (exit status 65); default: stop there\n"
"  -l, --layout NAME      research (default), meta or table\n"
"  -t, --types LIST       only these record types (comma-separated): study,\n"
"                         post, cited, similar, result, article, page\n"
"      --text-field NAME  JSON-lines pages: the text field (default text)\n"
"      --url-field NAME   JSON-lines pages: the URL field (default url)\n";

static const struct option longopts[] = {
	{ "each", required_argument, NULL, 'e' },
	{ "encoding", required_argument, NULL, OPT_ENCODING },
	{ "field", required_argument, NULL, 'f' },
	{ "field-file", required_argument, NULL, 'F' },
	{ "html-field", required_argument, NULL, OPT_HTMLFIELD },
	{ "input", required_argument, NULL, 'i' },
	{ "threads", required_argument, NULL, 'J' },
	{ "join", required_argument, NULL, 'j' },
	{ "keep-going", no_argument, NULL, 'k' },
	{ "layout", required_argument, NULL, 'l' },
	{ "text-field", required_argument, NULL, OPT_TEXTFIELD },
	{ "types", required_argument, NULL, 't' },
	{ "url-field", required_argument, NULL, OPT_URLFIELD },
	CLI_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static const char *const knowntypes[] = {
	"study", "post", "cited", "similar", "result", "article", "page", NULL
};

static const char *eflag;		/* -e: --each XPath */
static const char *encflag;		/* --encoding */
static int	 fflag;			/* -f or -F given */
static int	 kflag;			/* -k: keep going */
static int	 lflag = L_AUTO;	/* -l */
static char	**tflag;		/* -t: types kept, or NULL */
static struct xspec *spec;

/*
 * The jobs, a ring of nring; the pages to run, a queue of as many.
 * queued, taken, quit and every job's done are under lock.
 */
static struct job *jobs;
static size_t	 nring;
static struct job **runq;
static size_t	 queued;		/* jobs put in runq so far */
static size_t	 taken;			/* jobs a worker has taken */
static int	 quit;
static struct worker *running;		/* the workers started, or NULL */
static size_t	 nrunning;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work = PTHREAD_COND_INITIALIZER;
static pthread_cond_t ran = PTHREAD_COND_INITIALIZER;

static void	usage(void) __attribute__((noreturn));
static void	warn(void *, const char *);

/*
 * The scratch arena keeps its newest block when it is reset: make that a
 * big one, so that pages reuse it instead of asking malloc for blocks
 * every time (malloc churn cost more than anything but the parse).
 */
static void
scratch(struct arena *tmp)
{
	arena_reset(tmp);
	if (arena_bytes(tmp) < SCRATCH) {
		arena_alloc(tmp, 1, SCRATCH);
		arena_reset(tmp);
	}
}

/*
 * libxml2's errors stay quiet, as html_init() has them, but one is worth
 * telling: a tree cut at its depth limit (256 without HTML_PARSE_HUGE)
 * loses what lies deeper, and XPath fields would be null without a word.
 */
static void
xmlerr(void *ctx, xmlErrorPtr e)
{
	struct worker *wk = ctx;

	if (e != NULL && e->message != NULL &&
	    strstr(e->message, "Excessive depth") != NULL)
		wk->deep = 1;
}

static void
usage(void)
{
	cli_usage(synopsis);
}

static void
emit(struct rec *r, void *vctx)
{
	struct ctx *c = vctx;
	const struct field *f;
	size_t i;

	c->nrec++;
	if (tflag != NULL && (f = rec_get(r, "type")) != NULL) {
		for (i = 0; tflag[i] != NULL; i++)
			if (strcmp(tflag[i], f->val) == 0)
				break;
		if (tflag[i] == NULL)
			return;
	}
	/*
	 * libxml2 lets bytes through that are not UTF-8 when a page lies
	 * about its charset; the output must be valid JSON all the same.
	 * Text pages were repaired as they were read.
	 */
	if (c->html && rec_repair_utf8(r, c->tmp) > 0 && !c->warned) {
		warn(c, "invalid UTF-8 replaced");
		c->warned = 1;
	}
	if (rec_write(c->job->w, r) == -1)
		die(EX_OSERR, "out of memory");
	c->job->nout++;
}

/* A message about the page, told with it. */
static void
warn(void *vctx, const char *msg)
{
	struct ctx *c = vctx;
	struct msg *m;

	if (c->job == NULL) {
		diag(c->file, c->line, "%s", msg);
		return;
	}
	m = arena_alloc(c->tmp, 1, sizeof(*m));
	m->line = c->line;
	m->text = arena_strdup(c->tmp, msg);
	*c->job->tail = m;
	c->job->tail = &m->next;
}

/* source, url, page_id: what every record of the page starts with. */
static void
provenance(struct rec *prov, struct arena *tmp, const struct page *p,
    const char *url)
{
	rec_init(prov);
	rec_add(prov, tmp, "source", p->source, strlen(p->source),
	    REC_STRING);
	if (url != NULL)
		rec_add(prov, tmp, "url", url, strlen(url), REC_STRING);
	else
		rec_add(prov, tmp, "url", NULL, 0, REC_NULL);
	url = pages_id(url, tmp);
	if (url != NULL)
		rec_add(prov, tmp, "page_id", url, strlen(url), REC_STRING);
	else
		rec_add(prov, tmp, "page_id", NULL, 0, REC_NULL);
}

static xmlNodePtr
body(xmlDocPtr doc)
{
	xmlNodePtr root, n;

	if ((root = xmlDocGetRootElement(doc)) == NULL)
		return NULL;
	for (n = root->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    xmlStrcasecmp(n->name, (const xmlChar *)"body") == 0)
			return n;
	return root;
}

/*
 * Site chrome out, page content in: nav, aside and form go wherever they
 * are; header and footer go unless they belong to the <main> or <article>
 * (an article's own header holds its title).  libxml2 caps the depth of
 * the tree, so the recursion is bounded.
 */
static void
unchrome(xmlNodePtr n, int inside)
{
	xmlNodePtr c, nx;
	const char *name;

	for (c = n->children; c != NULL; c = nx) {
		nx = c->next;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		name = (const char *)c->name;
		if (strchr("nafhm", name[0]) == NULL) {
			unchrome(c, inside);	/* div, p, span, ... */
			continue;
		}
		if (strcmp(name, "nav") == 0 || strcmp(name, "aside") == 0 ||
		    strcmp(name, "form") == 0 || (!inside &&
		    (strcmp(name, "header") == 0 ||
		    strcmp(name, "footer") == 0))) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
			continue;
		}
		unchrome(c, inside || strcmp(name, "main") == 0 ||
		    strcmp(name, "article") == 0);
	}
}

/* What is said of a page libxml2 could not parse, or cut at its depth. */
static const char unparsed[] = "cannot parse the page as HTML";
static const char deeper[] = "page nested deeper than 256 elements: "
    "what lies deeper is not read";

/*
 * The research layout needs the lines of an HTML page, not its tree: they
 * come straight from the parser's events (htmllines), which is what makes
 * HTML pages fast.  --encoding and user fields take the tree's way.
 */
static int
research_html(const struct page *p, struct arena *tmp, struct ctx *c,
    const char **why)
{
	struct buf *text = &c->wk->text;
	struct rec prov;
	char *url;

	text->len = 0;
	if (htmllines(p->data, p->len, p->encoding, text, tmp, &url) == -1) {
		*why = unparsed;
		return -1;
	}
	provenance(&prov, tmp, p, p->url != NULL ? p->url : url);
	if (research_run(text->p, text->len, &prov, tmp, emit, c) == 0) {
		*why = "page matches no layout";
		return -1;
	}
	return 0;
}

/*
 * User fields that are plain paths come from the parser's events, with
 * only the matching elements' subtrees built (xstream.c).  Returns 1 when
 * the page must go the tree's way after all.
 */
static int
fields_html(const struct page *p, struct arena *tmp, struct ctx *c,
    const struct html_out *out, const char **why)
{
	struct xstream *xs;
	struct rec prov;
	const char *url;

	switch (xstream_parse(c->wk->spec, p->data, p->len,
	    encflag != NULL ? encflag : p->encoding, p->url == NULL, tmp,
	    &xs)) {
	case -1:
		*why = unparsed;
		return -1;
	case 1:
		return 1;
	}
	if (xstream_deep(xs))
		warn(c, deeper);
	url = p->url != NULL ? p->url : xstream_url(xs, tmp);
	provenance(&prov, tmp, p, url);
	xstream_emit(xs, &prov, tmp, out);
	xstream_free(xs);
	return 0;
}

/*
 * One page through its layout.  Returns 0, or -1 with *why set when the
 * page is bad (it matches no layout, it cannot be parsed).
 */
static int
page(const struct page *p, struct arena *tmp, struct ctx *c,
    const char **why)
{
	struct html_out out;
	struct rec prov;
	xmlDocPtr doc;
	xmlNodePtr b;
	const char *url;
	int rc = 0;

	out.emit = emit;
	out.warn = warn;
	out.ctx = c;
	if (p->kind == PAGE_TEXT) {
		provenance(&prov, tmp, p, p->url);
		if (lflag != L_AUTO && lflag != L_RESEARCH) {
			*why = "a text page has no HTML for this layout";
			return -1;
		}
		if (research_run(p->data, p->len, &prov, tmp, emit, c) == 0) {
			*why = "page matches no layout";
			return -1;
		}
		return 0;
	}
	if ((lflag == L_AUTO || lflag == L_RESEARCH) && !fflag &&
	    encflag == NULL)
		return research_html(p, tmp, c, why);
	/* plain-path fields without the tree, unless the page needs it */
	if (lflag == L_FIELDS && xspec_streams(c->wk->spec) &&
	    (rc = fields_html(p, tmp, c, &out, why)) != 1)
		return rc;
	rc = 0;
	c->wk->deep = 0;
	if ((doc = html_parse(p->data, p->len,
	    encflag != NULL ? encflag : p->encoding)) == NULL) {
		*why = unparsed;
		return -1;
	}
	/* meta lives in the head, which no depth reaches */
	if (c->wk->deep && (fflag || lflag == L_TABLE))
		warn(c, deeper);
	url = p->url != NULL ? p->url : html_page_url(doc, tmp);
	provenance(&prov, tmp, p, url);
	switch (lflag) {
	case L_AUTO:
	case L_RESEARCH:
		if ((b = body(doc)) == NULL) {
			*why = "page matches no layout";
			rc = -1;
			break;
		}
		unchrome(b, 0);
		c->wk->text.len = 0;
		html_text(b, 0, &c->wk->text);
		if (research_run(c->wk->text.p, c->wk->text.len, &prov, tmp,
		    emit, c) == 0) {
			*why = "page matches no layout";
			rc = -1;
		}
		break;
	case L_META:
		if (meta_run(doc, &prov, tmp, &out) == -1) {
			*why = "page has no root element";
			rc = -1;
		}
		break;
	case L_TABLE:
		if (table_run(doc, eflag, &prov, tmp, &out) == -1) {
			*why = "bad --each expression";
			rc = -1;
		} else if (c->nrec == 0)
			warn(c, "no table");
		break;
	}
	if (rc == 0 && fflag &&
	    xspec_run(c->wk->spec, doc, &prov, tmp, &out) == -1) {
		*why = "cannot evaluate the fields on this page";
		rc = -1;
	}
	xmlFreeDoc(doc);
	return rc;
}

static int
form(const char *s)
{
	if (strcmp(s, "auto") == 0)
		return PAGE_AUTO;
	if (strcmp(s, "html") == 0)
		return PAGE_HTML;
	if (strcmp(s, "text") == 0)
		return PAGE_TEXT;
	if (strcmp(s, "jsonl") == 0 || strcmp(s, "ndjson") == 0)
		return PAGE_JSONL;
	diag(NULL, 0, "-i: unknown input form '%s' (auto, html, text, jsonl)",
	    s);
	usage();
}

static int
layout(const char *s)
{
	if (strcmp(s, "research") == 0)
		return L_RESEARCH;
	if (strcmp(s, "meta") == 0)
		return L_META;
	if (strcmp(s, "table") == 0)
		return L_TABLE;
	diag(NULL, 0, "-l: unknown layout '%s' (research, meta, table)", s);
	usage();
}

static void
types(const char *s)
{
	size_t i, k, n;

	tflag = cli_list(s, &n);
	for (i = 0; i < n; i++) {
		for (k = 0; knowntypes[k] != NULL; k++)
			if (strcmp(knowntypes[k], tflag[i]) == 0)
				break;
		if (knowntypes[k] == NULL) {
			diag(NULL, 0, "-t: unknown record type '%s'",
			    tflag[i]);
			usage();
		}
	}
}

/* A page as pages_next() gave it, copied into tmp to outlive the call. */
static void
keep(struct page *p, struct arena *tmp)
{
	p->data = arena_strndup(tmp, p->data, p->len);
	if (p->encoding != NULL)
		p->encoding = arena_strdup(tmp, p->encoding);
	if (p->url != NULL)
		p->url = arena_strdup(tmp, p->url);
	p->source = arena_strdup(tmp, p->source);
	p->file = arena_strdup(tmp, p->file);
}

/* Runs a job's page on a worker's state: the records and messages stay in the job. */
static void
run(struct job *j, struct worker *wk)
{
	struct ctx c;

	memset(&c, 0, sizeof(c));
	c.file = j->p.file;
	c.line = j->p.line;
	c.source = j->p.source;
	c.tmp = j->tmp;
	c.html = j->p.kind == PAGE_HTML;
	c.job = j;
	c.wk = wk;
	j->why = NULL;
	/* page() frees what libxml2 made for the page before it returns */
	xmem_begin();
	if (page(&j->p, j->tmp, &c, &j->why) == -1 && j->why == NULL)
		j->why = "bad page";
	xmem_end();
}

static void *
worker(void *v)
{
	struct worker *wk = v;
	struct job *j;

	xmlSetStructuredErrorFunc(wk, xmlerr);
	pthread_mutex_lock(&lock);
	for (;;) {
		while (!quit && taken == queued)
			pthread_cond_wait(&work, &lock);
		if (quit)
			break;
		j = runq[taken++ % nring];
		pthread_mutex_unlock(&lock);
		run(j, wk);
		pthread_mutex_lock(&lock);
		j->done = 1;
		pthread_cond_broadcast(&ran);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* Does a bad page stop the run?  Not with --rejects or -k. */
static int
stops(void)
{
	return cli.rejects == NULL && !kflag;
}

/*
 * Tells a job: a page that could not be read, or a page's messages, then
 * its records, then why it was bad.  Returns 1 when the run stops there.
 */
static int
tell(struct job *j, struct pages *pg, unsigned long *npages)
{
	const struct msg *m;
	const char *s;
	size_t n;
	int stop = 0;

	if (j->st != PAGES_OK) {
		/* p.raw, p.file, p.line and why say what pages_next() did */
		if (j->st == PAGES_BAD) {
			cli_bad(j->p.file, j->p.line, j->p.raw, j->p.rawlen,
			    "%s", j->why);
			stop = stops();
		} else {
			diag(j->p.file, j->p.line, "%s", j->why);
			exitstatus(j->st == PAGES_NOINPUT ? EX_NOINPUT :
			    EX_IOERR);
		}
		return stop;
	}
	(*npages)++;
	if (j->p.nbad > 0)
		diag(j->p.file, j->p.badline,
		    "invalid UTF-8 replaced (%zu byte%s)", j->p.nbad,
		    j->p.nbad == 1 ? "" : "s");
	for (m = j->msgs; m != NULL; m = m->next)
		diag(j->p.file, m->line, "%s", m->text);
	s = rec_writer_data(j->w, &n);
	if (n > 0) {
		cli_put(s, n);
		if (cli.unbuffered && rec_writer_flush(cli.out) == -1)
			die(EX_IOERR, "<stdout>: %s", strerror(errno));
	}
	cli.nout += j->nout;
	if (j->why != NULL) {
		if (j->p.raw != NULL)
			cli_bad(j->p.file, j->p.line, j->p.raw, j->p.rawlen,
			    "%s", j->why);
		else
			cli_bad(j->p.file, 0, j->p.file, strlen(j->p.file),
			    "%s", j->why);
		stop = stops();
	}
	cli_progress_of(pages_done(pg), pages_inputs(pg), "files");
	cli_progress(pages_bytes(pg), *npages, "pages", 0);
	return stop;
}

/*
 * A JSON line too long to hold, once every page before it is told: said,
 * and copied to the rejects file as it is read past.  Returns 1 when it
 * stops the run.
 */
static int
toohuge(struct pages *pg)
{
	const char *file, *raw;
	unsigned long line;
	size_t rawlen;

	file = pages_where(pg, &line, &raw, &rawlen);
	cli_bad(file, line, NULL, 0, "%s", pages_error(pg));
	if (pages_skip(pg, cli.rejects) == -1) {
		diag(file, 0, "%s", pages_error(pg));
		exitstatus(EX_IOERR);
	}
	return stops();
}

/* Makes the job ready for the next page. */
static void
clear(struct job *j)
{
	scratch(j->tmp);
	rec_writer_clear(j->w);
	j->nout = 0;
	j->msgs = NULL;
	j->tail = &j->msgs;
	j->why = NULL;
	j->done = 0;
}

/*
 * An exit while workers run (a write error, say) must not free what they
 * use under them: the exit handlers of the XPath caches were set up before
 * this one, so this one runs first and lets each worker finish its page.
 */
static void
stopall(void)
{
	size_t i;

	if (running == NULL)
		return;
	pthread_mutex_lock(&lock);
	quit = 1;
	pthread_cond_broadcast(&work);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < nrunning; i++)
		if (!pthread_equal(running[i].tid, pthread_self()))
			pthread_join(running[i].tid, NULL);
	running = NULL;
}

/*
 * Reads every page and runs it, on nthreads threads: the main thread
 * reads pages ahead into a ring of jobs, the workers run them, and the
 * main thread tells them in order.  Returns the number of pages.
 */
static unsigned long
runall(struct pages *pg, size_t nthreads)
{
	struct worker *wk;
	struct job *j;
	unsigned long line, npages = 0;
	const char *file, *raw;
	size_t i, head, tail, rawlen;
	int reading = 1, stop = 0, huge = 0;

	nring = nthreads == 1 ? 1 : 2 * nthreads;
	jobs = arena_alloc(cli.perm, nring, sizeof(*jobs));
	runq = arena_alloc(cli.perm, nring, sizeof(*runq));
	for (i = 0; i < nring; i++) {
		jobs[i].tmp = arena_new();
		jobs[i].w = rec_writer_new(NULL);
		clear(&jobs[i]);
	}
	wk = arena_alloc(cli.perm, nthreads, sizeof(*wk));
	if (fflag)
		(void)xspec_streams(spec);	/* decided once, for the clones */
	for (i = 0; i < nthreads; i++) {
		wk[i].perm = arena_new();
		buf_init(&wk[i].text, wk[i].perm);
		/* compiled XPath is each thread's own */
		wk[i].spec = i == 0 ? spec : xspec_clone(spec, wk[i].perm);
	}
	if (nthreads == 1)
		xmlSetStructuredErrorFunc(&wk[0], xmlerr);
	else {
		if (lflag == L_TABLE && eflag != NULL)
			(void)table_prepare(eflag);
		atexit(stopall);
		for (i = 0; i < nthreads; i++) {
			if ((errno = pthread_create(&wk[i].tid, NULL, worker,
			    &wk[i])) != 0)
				die(EX_OSERR, "cannot start a thread: %s",
				    strerror(errno));
			running = wk;
			nrunning = i + 1;
		}
	}

	head = tail = 0;
	while (!stop) {
		if (!reading || head - tail == nring || (huge && tail < head)) {
			/* tell the oldest job, when it has run */
			if (tail == head)
				break;
			j = &jobs[tail % nring];
			pthread_mutex_lock(&lock);
			while (!j->done)
				pthread_cond_wait(&ran, &lock);
			pthread_mutex_unlock(&lock);
			stop = tell(j, pg, &npages);
			clear(j);
			tail++;
			continue;
		}
		if (huge) {
			huge = 0;
			stop = toohuge(pg);
			continue;
		}
		j = &jobs[head % nring];
		j->st = pages_next(pg, j->tmp, &j->p);
		if (j->st == PAGES_EOF) {
			reading = 0;
			continue;
		}
		if (j->st == PAGES_BAD && pages_huge(pg)) {
			/* a line too long to hold: the pages before it are
			 * told first, then it goes to the rejects as read */
			huge = 1;
			continue;
		}
		if (j->st != PAGES_OK) {
			file = pages_where(pg, &line, &raw, &rawlen);
			j->p.file = arena_strdup(j->tmp, file);
			j->p.line = line;
			j->p.raw = raw != NULL ?
			    arena_strndup(j->tmp, raw, rawlen) : NULL;
			j->p.rawlen = rawlen;
			j->why = arena_strdup(j->tmp, pages_error(pg));
			j->done = 1;
			/* no reading past a page that stops the run */
			if (j->st == PAGES_BAD && stops())
				reading = 0;
		} else {
			keep(&j->p, j->tmp);
			if (nthreads == 1) {
				run(j, &wk[0]);
				j->done = 1;
			} else {
				pthread_mutex_lock(&lock);
				runq[queued++ % nring] = j;
				pthread_cond_signal(&work);
				pthread_mutex_unlock(&lock);
			}
		}
		head++;
	}

	/* pages read after one that stopped the run are dropped */
	if (nthreads > 1) {
		stopall();
		for (i = 1; i < nthreads; i++)
			xspec_merge(spec, wk[i].spec);
	}
	for (i = 0; i < nthreads; i++)
		arena_free(wk[i].perm);
	for (i = 0; i < nring; i++) {
		arena_free(jobs[i].tmp);
		rec_writer_free(jobs[i].w);
	}
	return npages;
}

int
main(int argc, char *argv[])
{
	struct pages_opts po;
	struct pages *pg;
	struct ctx c;
	const char *err;
	unsigned long npages;
	size_t nthreads = 0;
	int ch;

	cli_init(argc, argv);
	html_init();
	memset(&po, 0, sizeof(po));
	memset(&c, 0, sizeof(c));
	spec = xspec_new(cli.perm);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "e:F:f:hi:J:j:kl:t:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'e':
			eflag = optarg;
			break;
		case OPT_ENCODING:
			encflag = optarg;
			break;
		case 'F':
			if (xspec_file(spec, optarg, &err) == -1) {
				diag(NULL, 0, "%s", err);
				usage();
			}
			fflag = 1;
			break;
		case 'f':
			if (xspec_field(spec, optarg, &err) == -1) {
				diag(NULL, 0, "%s", err);
				usage();
			}
			fflag = 1;
			break;
		case OPT_HTMLFIELD:
			po.htmlkey = optarg;
			break;
		case 'i':
			po.form = form(optarg);
			break;
		case 'J':
			nthreads = cli_threads(optarg, synopsis);
			break;
		case 'j':
			xspec_join(spec, optarg);
			break;
		case 'k':
			kflag = 1;
			break;
		case 'l':
			lflag = layout(optarg);
			break;
		case 't':
			types(optarg);
			break;
		case OPT_TEXTFIELD:
			po.textkey = optarg;
			break;
		case OPT_URLFIELD:
			po.urlkey = optarg;
			break;
		default:
			cli_option(ch, optarg, synopsis, help);
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (eflag != NULL && lflag != L_TABLE) {
		if (!fflag) {
			diag(NULL, 0, "-e needs -f or -F (or -l table)");
			usage();
		}
		if (xspec_each(spec, eflag, &err) == -1) {
			diag(NULL, 0, "%s", err);
			usage();
		}
	}
	if (lflag == L_AUTO && fflag)
		lflag = L_FIELDS;

	if (nthreads == 0)
		nthreads = cli.unbuffered ? 1 : cli_autothreads(AUTOTHREADS);
	po.max = cli.maxrec;
	pg = pages_open(argc, argv, &po);
	npages = runall(pg, nthreads);
	cli_progress_of(pages_done(pg), pages_inputs(pg), "files");
	cli_progress(pages_bytes(pg), npages, "pages", 1);
	if (fflag) {
		struct html_out out = { emit, warn, &c };

		memset(&c, 0, sizeof(c));
		xspec_unmatched(spec, &out);
	}
	pages_close(pg);
	return cli_finish();
}

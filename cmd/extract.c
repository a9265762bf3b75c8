/* extract - saved web pages (HTML, text renderings, JSON lines of pages) to
 * records: the research site's layout, page metadata, tables, XPath fields. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "rec.h"
#include "html.h"
#include "htmllines.h"
#include "pages.h"
#include "research.h"

#define SCRATCH	((size_t)4 << 20)	/* a page's scratch, kept */

enum { L_AUTO, L_RESEARCH, L_META, L_TABLE, L_FIELDS };
enum { OPT_ENCODING = OPT_TOOL, OPT_HTMLFIELD, OPT_TEXTFIELD, OPT_URLFIELD };

struct ctx {
	const char	*file;		/* where the page is */
	unsigned long	 line;
	const char	*source;
	unsigned long long nrec;	/* records this page gave */
	struct arena	*tmp;
	int		 html;		/* the page is HTML */
	int		 warned;	/* of invalid UTF-8, once a page */
};

static const char synopsis[] =
"glean-extract [-k] [-e xpath] [-F file] [-f spec] [-i form] [-j sep]\n"
"                     [-l layout] [-t types] [--encoding charset]\n"
"                     [--html-field name] [--text-field name]\n"
"                     [--url-field name] [file ...]";

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
static struct buf text;		/* a page's text, grown once, kept */
static int	 deep;			/* the parser cut this page's tree */

static void	usage(void) __attribute__((noreturn));

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
	(void)ctx;
	if (e != NULL && e->message != NULL &&
	    strstr(e->message, "Excessive depth") != NULL)
		deep = 1;
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
		diag(c->file, c->line, "invalid UTF-8 replaced");
		c->warned = 1;
	}
	cli_write(r);
}

static void
warn(void *vctx, const char *msg)
{
	struct ctx *c = vctx;

	diag(c->file, c->line, "%s", msg);
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

/*
 * The research layout needs the lines of an HTML page, not its tree: they
 * come straight from the parser's events (htmllines), which is what makes
 * HTML pages fast.  --encoding and user fields take the tree's way.
 */
static int
research_html(const struct page *p, struct arena *tmp, struct ctx *c,
    const char **why)
{
	struct rec prov;
	char *url;

	text.len = 0;
	if (htmllines(p->data, p->len, p->encoding, &text, tmp, &url) == -1) {
		*why = "cannot parse the page as HTML";
		return -1;
	}
	provenance(&prov, tmp, p, p->url != NULL ? p->url : url);
	if (research_run(text.p, text.len, &prov, tmp, emit, c) == 0) {
		*why = "page matches no layout";
		return -1;
	}
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
	deep = 0;
	if ((doc = html_parse(p->data, p->len,
	    encflag != NULL ? encflag : p->encoding)) == NULL) {
		*why = "cannot parse the page as HTML";
		return -1;
	}
	/* meta lives in the head, which no depth reaches */
	if (deep && (fflag || lflag == L_TABLE))
		warn(c, "page nested deeper than 256 elements: "
		    "what lies deeper is not read");
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
		text.len = 0;
		html_text(b, 0, &text);
		if (research_run(text.p, text.len, &prov, tmp, emit,
		    c) == 0) {
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
	if (rc == 0 && fflag && xspec_run(spec, doc, &prov, tmp, &out) == -1) {
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

int
main(int argc, char *argv[])
{
	struct pages_opts po;
	struct pages *pg;
	struct page p;
	struct arena *tmp;
	struct ctx c;
	const char *err, *why, *file, *raw;
	unsigned long line, npages = 0;
	size_t rawlen;
	int ch, st, stop = 0;

	cli_init(argc, argv);
	html_init();
	xmlSetStructuredErrorFunc(NULL, xmlerr);
	memset(&po, 0, sizeof(po));
	memset(&c, 0, sizeof(c));
	spec = xspec_new(cli.perm);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "e:F:f:hi:j:kl:t:", longopts,
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

	buf_init(&text, cli.perm);
	po.max = cli.maxrec;
	pg = pages_open(argc, argv, &po);
	tmp = arena_new();
	scratch(tmp);
	while (!stop && (st = pages_next(pg, tmp, &p)) != PAGES_EOF) {
		if (st != PAGES_OK) {
			file = pages_where(pg, &line, &raw, &rawlen);
			if (st == PAGES_BAD) {
				cli_bad(file, line, raw, rawlen, "%s",
				    pages_error(pg));
				stop = cli.rejects == NULL && !kflag;
			} else {
				diag(file, line, "%s", pages_error(pg));
				exitstatus(st == PAGES_NOINPUT ? EX_NOINPUT :
				    EX_IOERR);
			}
			scratch(tmp);
			continue;
		}
		npages++;
		if (p.nbad > 0)
			diag(p.file, p.badline,
			    "invalid UTF-8 replaced (%zu byte%s)", p.nbad,
			    p.nbad == 1 ? "" : "s");
		c.file = p.file;
		c.line = p.line;
		c.source = p.source;
		c.nrec = 0;
		c.tmp = tmp;
		c.html = p.kind == PAGE_HTML;
		c.warned = 0;
		if (page(&p, tmp, &c, &why) == -1) {
			if (p.raw != NULL)
				cli_bad(p.file, p.line, p.raw, p.rawlen,
				    "%s", why);
			else
				cli_bad(p.file, 0, p.file, strlen(p.file),
				    "%s", why);
			stop = cli.rejects == NULL && !kflag;
		}
		scratch(tmp);
		cli_progress_of(pages_done(pg), pages_inputs(pg), "files");
		cli_progress(pages_bytes(pg), npages, "pages", 0);
	}
	cli_progress_of(pages_done(pg), pages_inputs(pg), "files");
	cli_progress(pages_bytes(pg), npages, "pages", 1);
	if (fflag) {
		struct html_out out = { emit, warn, &c };

		c.file = NULL;
		c.line = 0;
		xspec_unmatched(spec, &out);
	}
	pages_close(pg);
	arena_free(tmp);
	return cli_finish();
}

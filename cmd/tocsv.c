/* tocsv - write NDJSON records as RFC 4180 CSV (or TSV) with a header row. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <xxhash.h>

#include "rec.h"
#include "csvw.h"

#define SYNOPSIS \
"glean-tocsv [-t] [-d delim] [-f fields | --keys-only] [option ...]\n" \
"       [file ...]"
#define OUTBUF	((size_t)64 << 10)	/* rows gathered before cli_put() */
#define CHUNK	((size_t)256 << 10)	/* rows gathered per spool chunk */
#define OUTSIDE	(SIZE_MAX ^ (SIZE_MAX >> 1))	/* cache: in outside */

enum {
	OPT_BOM = OPT_TOOL, OPT_CRLF, OPT_EXCEL, OPT_FLATSEP, OPT_JOIN,
	OPT_KEYSONLY, OPT_NOHEADER, OPT_QUOTEALL, OPT_SAFE, OPT_STRICT
};

/* A column name, or a field name outside --fields. */
struct col {
	const char	*name;
	size_t		 len;
	uint64_t	 h;
};

/* Names in first-seen order with an open-addressing index over them. */
struct keyset {
	size_t		*slot;		/* index into col + 1; 0: empty */
	size_t		 mask;
	struct col	*col;
	size_t		 n;
	size_t		 cap;
};

/* The value a column has in the record being written. */
struct cell {
	const char	*s;
	size_t		 n;
	int		 type;
	unsigned long long stamp;	/* set for the record of this stamp */
};

/* What the spool holds per chunk: rows made when there were k columns. */
struct chunkhdr {
	size_t		 k;
	size_t		 nrows;
	size_t		 nbytes;
};

static const char help[] =
"  -d, --delimiter C      separate cells with the character C (default ,)\n"
"      --bom              begin the output with a UTF-8 byte order mark\n"
"      --crlf             end lines with CR LF (default LF)\n"
"      --excel            the same as --bom --crlf --safe\n"
"  -f, --fields LIST      write only these columns, in this order, in one\n"
"                         pass; LIST is a,b,c or @FILE (one name a line)\n"
"      --flatsep SEP      join the keys of nested objects with SEP\n"
"                         (default .)\n"
"      --join SEP         write arrays as their members joined by SEP\n"
"                         (default: as JSON text)\n"
"      --keys-only        print the union of the keys, one a line, and no\n"
"                         CSV\n"
"      --no-header        do not write the header row\n"
"      --quote-all        quote every cell\n"
"      --safe             neutralise cells that start with = + - @ TAB or\n"
"                         CR with a leading '\n"
"      --strict           refuse a record with a field not in --fields\n"
"  -t, --tsv              write TSV: TAB separated, TAB LF CR and \\ as\n"
"                         \\t \\n \\r \\\\\n";

static const struct option longopts[] = {
	{ "bom", no_argument, NULL, OPT_BOM },
	{ "crlf", no_argument, NULL, OPT_CRLF },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "excel", no_argument, NULL, OPT_EXCEL },
	{ "fields", required_argument, NULL, 'f' },
	{ "flatsep", required_argument, NULL, OPT_FLATSEP },
	{ "join", required_argument, NULL, OPT_JOIN },
	{ "keys-only", no_argument, NULL, OPT_KEYSONLY },
	{ "no-header", no_argument, NULL, OPT_NOHEADER },
	{ "quote-all", no_argument, NULL, OPT_QUOTEALL },
	{ "safe", no_argument, NULL, OPT_SAFE },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "tsv", no_argument, NULL, 't' },
	CLI_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static int	 bflag;			/* --bom */
static int	 cflag;			/* --crlf */
static int	 dflag;			/* -d: the delimiter, or 0 */
static const char *fflag;		/* -f */
static const char *flatsep = ".";	/* --flatsep */
static size_t	 flatlen = 1;
static const char *jflag;		/* --join */
static size_t	 jlen;
static int	 kflag;			/* --keys-only */
static int	 nflag;			/* --no-header */
static int	 qflag;			/* --quote-all */
static int	 sflag;			/* --safe */
static int	 Sflag;			/* --strict */
static int	 tflag;			/* -t */

static struct csvw w;
static struct keyset cols;		/* the columns */
static struct keyset outside;		/* fields not in --fields, seen */
static unsigned long long ndropped;	/* values of those, dropped */
static struct cell *cells;		/* one per column */
static size_t	 ncells;
static unsigned long long stamp;	/* records begun */
static size_t	*cache;			/* leaf i of the last record: column */
static size_t	 ncache;
static size_t	 nleaf;			/* leaves of this record so far */
static const struct rec *currec;
static struct buf out;			/* rows not yet given to cli_put() */

/* Union of keys: rows wait in a spool until the header is known. */
static FILE	*spool;
static struct buf chunk;		/* rows of the chunk being made */
static size_t	*lens;			/* their lengths */
static size_t	 nrows, caprows;
static size_t	 chunkk;		/* their column count */

static size_t
ks_find(const struct keyset *ks, const char *s, size_t n, uint64_t h)
{
	const struct col *c;
	size_t i, j;

	if (ks->mask == 0)
		return SIZE_MAX;
	for (i = h & ks->mask; (j = ks->slot[i]) != 0;
	    i = (i + 1) & ks->mask) {
		c = &ks->col[j - 1];
		if (c->h == h && c->len == n && memcmp(c->name, s, n) == 0)
			return j - 1;
	}
	return SIZE_MAX;
}

/* Adds a name not in ks (a copy in cli.perm); returns its index. */
static size_t
ks_add(struct keyset *ks, const char *s, size_t n, uint64_t h)
{
	size_t i, j, size;
	struct col *c;

	if (2 * (ks->n + 1) > ks->mask + 1) {
		size = ks->mask == 0 ? 64 : 2 * (ks->mask + 1);
		ks->slot = arena_alloc(cli.perm, size, sizeof(*ks->slot));
		ks->mask = size - 1;
		for (j = 0; j < ks->n; j++) {
			i = ks->col[j].h & ks->mask;
			while (ks->slot[i] != 0)
				i = (i + 1) & ks->mask;
			ks->slot[i] = j + 1;
		}
	}
	if (ks->n == ks->cap) {
		size = ks->cap == 0 ? 64 : 2 * ks->cap;
		ks->col = arena_realloc(cli.perm, ks->col,
		    ks->cap * sizeof(*ks->col), size * sizeof(*ks->col));
		ks->cap = size;
	}
	c = &ks->col[ks->n];
	c->name = arena_strndup(cli.perm, s, n);
	c->len = n;
	c->h = h;
	for (i = h & ks->mask; ks->slot[i] != 0; i = (i + 1) & ks->mask)
		continue;
	ks->slot[i] = ks->n + 1;
	return ks->n++;
}

/* Adds a column; cells grows with the columns. */
static size_t
addcol(const char *s, size_t n, uint64_t h)
{
	size_t idx, cap;

	idx = ks_add(&cols, s, n, h);
	if (cols.n > ncells) {
		cap = cols.cap;
		cells = arena_realloc(cli.perm, cells, ncells * sizeof(*cells),
		    cap * sizeof(*cells));
		ncells = cap;
	}
	return idx;
}

/*
 * A field outside --fields: its index in outside, which is reported the
 * first time it is seen (unless --strict refuses the record instead).
 */
static size_t
outsider(const char *key, size_t klen, uint64_t h)
{
	size_t idx;

	if ((idx = ks_find(&outside, key, klen, h)) != SIZE_MAX)
		return idx;
	if (!Sflag)
		diag(cli_file(), currec->line,
		    "field \"%.*s\" is not in --fields: dropped", (int)klen,
		    key);
	return ks_add(&outside, key, klen, h);
}

/*
 * Gives the value to its column.  Records mostly have the keys of the
 * record before in the same order, so the column (or the outside name)
 * leaf i matched last time is tried before the hash.  When a record has a
 * key twice (also after flattening), the first value counts.
 */
static int
leaf(const char *key, size_t klen, const char *val, size_t vlen, int type)
{
	const struct keyset *ks;
	const struct col *c;
	struct cell *cell;
	size_t idx, ci, cap;
	uint64_t h;

	idx = SIZE_MAX;
	if (nleaf < ncache && (ci = cache[nleaf]) != SIZE_MAX) {
		ks = (ci & OUTSIDE) ? &outside : &cols;
		c = &ks->col[ci & ~OUTSIDE];
		if (c->len == klen && memcmp(c->name, key, klen) == 0)
			idx = ci;
	}
	if (idx == SIZE_MAX) {
		h = XXH3_64bits(key, klen);
		if ((idx = ks_find(&cols, key, klen, h)) == SIZE_MAX)
			idx = fflag == NULL ? addcol(key, klen, h) :
			    OUTSIDE | outsider(key, klen, h);
		if (nleaf >= ncache) {
			cap = ncache == 0 ? 64 : 2 * ncache;
			cache = arena_realloc(cli.perm, cache,
			    ncache * sizeof(*cache), cap * sizeof(*cache));
			memset(cache + ncache, 0xff,
			    (cap - ncache) * sizeof(*cache));
			ncache = cap;
		}
		cache[nleaf] = idx;
	}
	nleaf++;
	if (idx & OUTSIDE) {
		if (Sflag) {
			cli_reject(currec, "field \"%.*s\" is not in --fields",
			    (int)klen, key);
			return -1;
		}
		ndropped++;
		return 0;
	}
	cell = &cells[idx];
	if (cell->stamp == stamp)
		return 0;
	cell->stamp = stamp;
	if (type == REC_NULL) {
		val = "";
		vlen = 0;
	}
	cell->s = val;
	cell->n = vlen;
	cell->type = type;
	return 0;
}

/* --join: the members of an array, strings as text, null as nothing. */
static int
joined(struct arena *tmp, const struct field *f, const char **s, size_t *n)
{
	struct rec a;
	struct buf b;
	size_t i;

	if (rec_value_fields(tmp, f, &a) == -1)
		return -1;
	buf_init(&b, tmp);
	for (i = 0; i < a.nfields; i++) {
		if (i > 0)
			buf_put(&b, jflag, jlen);
		if (a.fields[i].type != REC_NULL)
			buf_put(&b, a.fields[i].val, a.fields[i].vlen);
	}
	*s = b.p;
	*n = b.len;
	return 0;
}

/*
 * Gives every leaf of r its column.  A nested object's members become
 * leaves named PREFIX.KEY; an empty one is the leaf "{}".  With --fields,
 * an object whose own name is a column is written whole, as JSON text.
 */
static int
flatten(const struct rec *r, const char *pre, size_t plen, struct arena *tmp)
{
	const struct field *f;
	struct rec sub;
	const char *key, *s;
	char *k;
	size_t i, klen, n;

	for (i = 0; i < r->nfields; i++) {
		f = &r->fields[i];
		key = f->key;
		klen = f->klen;
		if (pre != NULL) {
			k = arena_alloc(tmp, plen + flatlen + klen + 1, 1);
			memcpy(k, pre, plen);
			memcpy(k + plen, flatsep, flatlen);
			memcpy(k + plen + flatlen, key, klen);
			key = k;
			klen += plen + flatlen;
		}
		if (f->type == REC_OBJECT && (fflag == NULL ||
		    ks_find(&cols, key, klen, XXH3_64bits(key, klen)) ==
		    SIZE_MAX) && rec_value_fields(tmp, f, &sub) == 0 &&
		    sub.nfields > 0) {
			if (flatten(&sub, key, klen, tmp) == -1)
				return -1;
			continue;
		}
		if (f->type == REC_ARRAY && jflag != NULL &&
		    joined(tmp, f, &s, &n) == 0) {
			if (leaf(key, klen, s, n, REC_STRING) == -1)
				return -1;
			continue;
		}
		if (leaf(key, klen, f->val, f->vlen, f->type) == -1)
			return -1;
	}
	return 0;
}

/* Appends the cells of the first k columns and the line end to b. */
static void
row(struct buf *b, size_t k)
{
	const struct cell *c;
	size_t j, start;

	start = b->len;
	for (j = 0; j < k; j++) {
		if (j > 0)
			csvw_delim(&w, b);
		c = &cells[j];
		if (c->stamp == stamp)
			csvw_cell(&w, b, c->s, c->n, c->type == REC_STRING);
		else if (qflag)
			csvw_cell(&w, b, "", 0, 0);
	}
	if (k == 1 && b->len == start)
		csvw_empty_row(&w, b);
	csvw_eol(&w, b);
}

static void
header(struct buf *b)
{
	size_t j, start;

	start = b->len;
	for (j = 0; j < cols.n; j++) {
		if (j > 0)
			csvw_delim(&w, b);
		csvw_cell(&w, b, cols.col[j].name, cols.col[j].len, 1);
	}
	if (cols.n == 1 && b->len == start)
		csvw_empty_row(&w, b);
	csvw_eol(&w, b);
}

static void
flushout(void)
{
	if (out.len > 0)
		cli_put(out.p, out.len);
	out.len = 0;
	if (cli.unbuffered && rec_writer_flush(cli.out) == -1)
		die(EX_IOERR, "<stdout>: %s", strerror(errno));
}

static void
spool_open(void)
{
	spool = cli_tempfile();
	buf_init(&chunk, cli.perm);
}

static void
spool_flush(void)
{
	struct chunkhdr h;

	if (nrows == 0)
		return;
	h.k = chunkk;
	h.nrows = nrows;
	h.nbytes = chunk.len;
	if (fwrite(&h, sizeof(h), 1, spool) != 1 ||
	    fwrite(lens, sizeof(*lens), nrows, spool) != nrows ||
	    fwrite(chunk.p, 1, chunk.len, spool) != chunk.len)
		die(EX_IOERR, "temporary file: %s", strerror(errno));
	nrows = 0;
	chunk.len = 0;
}

static void
spool_row(size_t k)
{
	size_t start, cap;

	if (nrows > 0 && k != chunkk)
		spool_flush();
	chunkk = k;
	start = chunk.len;
	row(&chunk, k);
	if (nrows == caprows) {
		cap = caprows == 0 ? 1024 : 2 * caprows;
		lens = arena_realloc(cli.perm, lens, caprows * sizeof(*lens),
		    cap * sizeof(*lens));
		caprows = cap;
	}
	lens[nrows++] = chunk.len - start;
	if (chunk.len >= CHUNK)
		spool_flush();
}

static void
spool_read(void *p, size_t n)
{
	if (n > 0 && fread(p, n, 1, spool) != 1)
		die(EX_IOERR, "temporary file: %s", ferror(spool) ?
		    strerror(errno) : "short read");
}

/*
 * The header, then every spooled row.  Columns only ever join at the end,
 * so a row made when there were k columns is a row of all of them once
 * the missing last ones are added as empty cells.
 */
static void
replay(void)
{
	struct chunkhdr h;
	const char *p;
	char *rbuf;
	size_t i, j, n, cap, rcap;

	rbuf = NULL;
	rcap = 0;
	spool_flush();
	/* No keys at all: no header, and rows of no cells are not CSV. */
	if (cols.n == 0) {
		fclose(spool);
		return;
	}
	if (fflush(spool) == EOF || fseek(spool, 0, SEEK_SET) == -1)
		die(EX_IOERR, "temporary file: %s", strerror(errno));
	if (!nflag)
		header(&out);
	while (fread(&h, sizeof(h), 1, spool) == 1) {
		if (h.nrows > caprows) {
			cap = h.nrows;
			lens = arena_realloc(cli.perm, lens,
			    caprows * sizeof(*lens), cap * sizeof(*lens));
			caprows = cap;
		}
		spool_read(lens, h.nrows * sizeof(*lens));
		if (h.nbytes > rcap) {
			free(rbuf);
			if ((rbuf = malloc(h.nbytes)) == NULL)
				die(EX_OSERR, "out of memory");
			rcap = h.nbytes;
		}
		spool_read(rbuf, h.nbytes);
		if (h.k == cols.n) {
			flushout();
			cli_put(rbuf, h.nbytes);
			continue;
		}
		for (p = rbuf, i = 0; i < h.nrows; p += lens[i++]) {
			n = lens[i] - w.eollen;
			if (n == 2 && h.k == 1 && !w.tsv && memcmp(p, "\"\"",
			    2) == 0 && !qflag)
				n = 0;
			buf_put(&out, p, n);
			for (j = h.k; j < cols.n; j++) {
				if (j > 0)
					csvw_delim(&w, &out);
				if (qflag)
					csvw_cell(&w, &out, "", 0, 0);
			}
			if (h.k == 0 && cols.n == 1 && !qflag)
				csvw_empty_row(&w, &out);
			csvw_eol(&w, &out);
			if (out.len >= OUTBUF)
				flushout();
		}
	}
	if (ferror(spool))
		die(EX_IOERR, "temporary file: %s", strerror(errno));
	fclose(spool);
	free(rbuf);
}

static int
tocsv(struct rec *r, struct arena *tmp, void *ctx)
{
	(void)ctx;
	stamp++;
	nleaf = 0;
	currec = r;
	if (flatten(r, NULL, 0, tmp) == -1)
		return -1;
	if (kflag)
		return 0;
	if (fflag == NULL) {
		spool_row(cols.n);
		cli.nout++;
		return 0;
	}
	row(&out, cols.n);
	cli.nout++;
	if (out.len >= OUTBUF || cli.unbuffered)
		flushout();
	return 0;
}

static void
usage(void)
{
	cli_usage(SYNOPSIS);
}

static void
column(const char *s, size_t n, const char *from)
{
	uint64_t h;

	h = XXH3_64bits(s, n);
	if (ks_find(&cols, s, n, h) != SIZE_MAX) {
		diag(from, 0, "column \"%.*s\" named twice", (int)n, s);
		usage();
	}
	addcol(s, n, h);
}

/* -f: "a,b,c" (cli_list() rules), or @FILE with one name a line. */
static void
columns(const char *arg)
{
	char **v, *line;
	size_t i, n, cap;
	ssize_t len;
	FILE *fp;

	if (arg[0] != '@') {
		v = cli_list(arg, &n);
		for (i = 0; i < n; i++)
			column(v[i], strlen(v[i]), NULL);
	} else {
		if ((fp = fopen(arg + 1, "r")) == NULL) {
			diag(arg + 1, 0, "%s", strerror(errno));
			exit(EX_NOINPUT);
		}
		line = NULL;
		cap = 0;
		while ((len = getline(&line, &cap, fp)) != -1) {
			if (len > 0 && line[len - 1] == '\n')
				len--;
			if (len > 0 && line[len - 1] == '\r')
				len--;
			if (len > 0)
				column(line, (size_t)len, arg + 1);
		}
		if (ferror(fp)) {
			diag(arg + 1, 0, "%s", strerror(errno));
			exit(EX_IOERR);
		}
		free(line);
		fclose(fp);
	}
	if (cols.n == 0) {
		diag(NULL, 0, "no columns in -f %s", arg);
		usage();
	}
}

int
main(int argc, char *argv[])
{
	size_t j;
	int ch;

	cli_init(argc, argv);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":d:f:ht", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			dflag = cli_delim(optarg, SYNOPSIS);
			break;
		case 'f':
			fflag = optarg;
			break;
		case 't':
			tflag = 1;
			break;
		case OPT_BOM:
			bflag = 1;
			break;
		case OPT_CRLF:
			cflag = 1;
			break;
		case OPT_EXCEL:
			bflag = cflag = sflag = 1;
			break;
		case OPT_FLATSEP:
			flatsep = optarg;
			flatlen = strlen(optarg);
			break;
		case OPT_JOIN:
			jflag = optarg;
			jlen = strlen(optarg);
			break;
		case OPT_KEYSONLY:
			kflag = 1;
			break;
		case OPT_NOHEADER:
			nflag = 1;
			break;
		case OPT_QUOTEALL:
			qflag = 1;
			break;
		case OPT_SAFE:
			sflag = 1;
			break;
		case OPT_STRICT:
			Sflag = 1;
			break;
		default:
			cli_option(ch, optarg, SYNOPSIS, help);
			break;
		}
	}
	if (tflag && (dflag != 0 || qflag)) {
		diag(NULL, 0, "-t cannot go with %s", dflag != 0 ? "-d" :
		    "--quote-all");
		usage();
	}
	if (kflag && fflag != NULL) {
		diag(NULL, 0, "--keys-only cannot go with -f");
		usage();
	}
	argc -= optind;
	argv += optind;

	csvw_init(&w, dflag, tflag, qflag, sflag, cflag);
	buf_init(&out, cli.perm);
	if (fflag != NULL)
		columns(fflag);
	if (bflag && !kflag)
		buf_put(&out, "\xef\xbb\xbf", 3);
	if (fflag != NULL && !nflag)
		header(&out);
	if (fflag == NULL && !kflag)
		spool_open();

	cli_run(argc, argv, REC_NDJSON, tocsv, NULL);

	if (kflag) {
		for (j = 0; j < cols.n; j++) {
			buf_put(&out, cols.col[j].name, cols.col[j].len);
			buf_putc(&out, '\n');
			if (out.len >= OUTBUF)
				flushout();
		}
	} else if (fflag == NULL)
		replay();
	flushout();
	if (ndropped > 0)
		diag(NULL, 0, "%llu value%s of %zu field%s not in --fields "
		    "dropped", ndropped, ndropped == 1 ? "" : "s", outside.n,
		    outside.n == 1 ? "" : "s");
	return cli_finish();
}

/* dedupe - drop records whose key, folded key or text was already seen. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "rec.h"
#include "dedupe.h"

#define SYNOPSIS \
"glean-dedupe [-v] [-k fields | -n fields [-t j]] [--canonical]\n" \
"       [--fold[=how]] [--keep how] [-c field] [-d file] [--exact-keys]\n" \
"       [--shard i/n] [-J threads] [option ...] [file ...]"
#define NEAR_DEFAULT	0.5	/* --threshold: see glean-dedupe(1) */

enum {
	OPT_CANON = OPT_TOOL, OPT_EXACT, OPT_FOLD, OPT_KEEP, OPT_SHARD
};
enum { KEEP_FIRST, KEEP_LAST, KEEP_MAX, KEEP_MIN };

/* What the whole-input modes remember per distinct key. */
struct keystate {
	unsigned long long seq;		/* the record that survives */
	unsigned long long count;	/* records with this key */
	double		 val;		/* --keep max/min: its value */
	int		 hasval;
};

static const char help[] =
"  -c, --count FIELD      add FIELD: how many records had the key (reads\n"
"                         the whole input before writing)\n"
"      --canonical        compare JSON values, not their spelling: key\n"
"                         order, white space and number literals ignored\n"
"  -d, --dupes FILE       write every dropped record to FILE\n"
"      --exact-keys       keep the keys themselves, not 128-bit hashes\n"
"      --fold[=HOW]       fold strings before comparing: basic (default:\n"
"                         NFKC, case, punctuation, white space), accents\n"
"                         (basic, accents stripped), fingerprint (accents,\n"
"                         sorted unique words)\n"
"  -J, --threads N        --keep first: 2 or more reads lines ahead on a\n"
"                         second thread, 1 reads them on this one\n"
"                         (default: 2 with two or more processors)\n"
"  -k, --key FIELDS       the key: these fields (a.b for nested ones);\n"
"                         default the whole record\n"
"      --keep HOW         which record of a key survives: first (default),\n"
"                         last, max:FIELD, min:FIELD\n"
"  -n, --near FIELDS      near-duplicates: MinHash of the pairs of adjacent\n"
"                         words of these fields\n"
"      --shard I/N        handle only keys of shard I of N (1 <= I <= N)\n"
"  -t, --threshold J      --near: least estimated Jaccard similarity of\n"
"                         the word pairs of a near-duplicate (default 0.5)\n"
"  -v, --verbose          print counts on stderr at the end\n";

static const struct option longopts[] = {
	{ "canonical", no_argument, NULL, OPT_CANON },
	{ "count", required_argument, NULL, 'c' },
	{ "dupes", required_argument, NULL, 'd' },
	{ "exact-keys", no_argument, NULL, OPT_EXACT },
	{ "fold", optional_argument, NULL, OPT_FOLD },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "key", required_argument, NULL, 'k' },
	{ "near", required_argument, NULL, 'n' },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "threads", required_argument, NULL, 'J' },
	{ "threshold", required_argument, NULL, 't' },
	{ "verbose", no_argument, NULL, 'v' },
	CLI_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static const char *cflag;	/* --count field */
static int	 Cflag;		/* --canonical */
static const char *dflag;	/* --dupes file */
static int	 eflag;		/* --exact-keys */
static int	 fflag;		/* --fold */
static int	 keep = KEEP_FIRST;
static const char *keepfield;	/* --keep max:F, min:F */
static const char *kflag;	/* --key */
static const char *nflag;	/* --near */
static unsigned long shard_i, shard_n;
static double	 tflag = NEAR_DEFAULT;
static int	 vflag;
static size_t	 nthreads;	/* -J */

static struct dedupe_key key;
static char	**nearpaths;
static size_t	 nnear;
static struct dedupe_set *set;
static struct dedupe_near *near;
static struct rec_writer *dupes;
static FILE	*dupesfp;
static struct buf kb;		/* the key being built, in cli.perm */
static unsigned long long ndupes, nother, seq;
/* the whole-input modes */
static FILE	*spool, *idspool;
static struct rec_writer *spoolw;
static struct keystate *st;
static size_t	 nst, capst;

static void
usage(void)
{
	cli_usage(SYNOPSIS);
}

static void
dropped(const struct rec *r)
{
	ndupes++;
	if (dupes != NULL && rec_write(dupes, r) == -1)
		die(EX_IOERR, "%s: %s", dflag, strerror(errno));
}

/* Is a key of fingerprint h ours?  (--shard: counts the others.) */
static int
ours(struct dedupe_hash h)
{
	if (shard_n > 1 && h.lo % shard_n != shard_i - 1) {
		nother++;
		return 0;
	}
	return 1;
}

/* Builds the key of r in kb; returns 0 if r belongs to another shard. */
static int
mykey(const struct rec *r, struct arena *tmp, struct dedupe_hash *h)
{
	dedupe_key(&kb, &key, r, tmp);
	*h = dedupe_hash(kb.p, kb.len);
	return ours(*h);
}

/* --keep first: writes r, or drops it if its key k[0..n) was seen. */
static void
keepfirst(const struct rec *r, struct dedupe_hash h, const char *k, size_t n)
{
	if (dedupe_set_add(set, h, k, n, NULL))
		dropped(r);
	else
		cli_write(r);
}

static int
first(struct rec *r, struct arena *tmp, void *ctx)
{
	struct dedupe_hash h;

	(void)ctx;
	if (mykey(r, tmp, &h))
		keepfirst(r, h, kb.p, kb.len);
	return 0;
}

static int
nearfn(struct rec *r, struct arena *tmp, void *ctx)
{
	struct buf text, folded;
	uint32_t sig[DEDUPE_NPERM];
	size_t nwords;

	(void)ctx;
	buf_init(&text, tmp);
	buf_init(&folded, tmp);
	dedupe_text(&text, nearpaths, nnear, r, tmp);
	dedupe_fold(&folded, text.p, text.len,
	    fflag ? fflag : DEDUPE_FOLD_BASIC);
	dedupe_minhash(folded.p, folded.len, sig, &nwords);
	if (nwords > 0 && dedupe_near_add(near, sig))
		dropped(r);
	else
		cli_write(r);
	return 0;
}

/* The number --keep max/min compares: a JSON number or a numeric string. */
static int
value(const struct rec *r, struct arena *tmp, double *v)
{
	struct field f;
	char *end, *s;

	if (!dedupe_get(r, tmp, keepfield, &f))
		return 0;
	if (f.type != REC_NUMBER && f.type != REC_STRING)
		return 0;
	s = arena_strndup(tmp, f.val, f.vlen);
	errno = 0;
	*v = strtod(s, &end);
	if (end == s || *end != '\0' || errno == ERANGE || *v != *v)
		return 0;
	return 1;
}

static int
whole(struct rec *r, struct arena *tmp, void *ctx)
{
	struct dedupe_hash h;
	struct keystate *k;
	uint64_t id;
	double v;
	int has;

	(void)ctx;
	if (!mykey(r, tmp, &h))
		return 0;
	has = keep == KEEP_MAX || keep == KEEP_MIN ? value(r, tmp, &v) : 0;
	if (!dedupe_set_add(set, h, kb.p, kb.len, &id)) {
		if (nst == capst) {
			capst = capst == 0 ? 1024 : capst * 2;
			if ((st = realloc(st, capst * sizeof(*st))) == NULL)
				die(EX_OSERR, "out of memory");
		}
		k = &st[nst++];
		k->seq = seq;
		k->count = 1;
		k->hasval = has;
		k->val = has ? v : 0;
	} else {
		k = &st[id];
		k->count++;
		if (keep == KEEP_LAST)
			k->seq = seq;
		else if (has && (!k->hasval ||
		    (keep == KEEP_MAX && v > k->val) ||
		    (keep == KEEP_MIN && v < k->val))) {
			k->seq = seq;
			k->val = v;
			k->hasval = 1;
		}
	}
	if (rec_write(spoolw, r) == -1 ||
	    fwrite(&id, sizeof(id), 1, idspool) != 1)
		die(EX_IOERR, "temporary file: %s", strerror(errno));
	seq++;
	return 0;
}

/* A record fastrun() read: how as dedupe_read() and dedupe_lines give. */
static void
one(struct rec *rec, struct arena *tmp, struct dedupe_hash h, int how)
{
	if (how == DEDUPE_KNOWN)
		dropped(rec);	/* in the set: in this shard */
	else if (how == DEDUPE_HASHED) {
		if (ours(h))
			keepfirst(rec, h, rec->raw, rec->rawlen);
	} else if (how == DEDUPE_KEYED) {
		if (ours(h))	/* the key made ahead; not --exact-keys */
			keepfirst(rec, h, NULL, 0);
	} else
		first(rec, tmp, NULL);
}

/* Progress, every 1024 records. */
static void
tick(const struct rec_reader *r, unsigned long long done)
{
	if ((cli.nin & 1023) == 0)
		cli_progress(done + rec_reader_bytes(r), cli.nin, "records", 0);
}

/*
 * cli_run() for --keep first: the lines come read ahead (dedupe_lines, on
 * a second thread with -J 2).  For the whole-record key (whole) they come
 * hashed, and what is not a clean line is read by dedupe_read(), so that
 * a line already in the set is not even parsed; for other keys a clean
 * line is made a record by the fast path, and the rest is rec_read()'s.
 * The records, messages, rejects and counts are cli_run()'s.
 */
static int
run1(FILE *fp, const char *name, int whole, struct arena *tmp,
    unsigned long long *done)
{
	struct rec_reader *r;
	struct dedupe_lines *dl;
	struct dedupe_hash h;
	struct rec rec;
	int s, how, stop;

	r = rec_reader_new(fp, name, REC_NDJSON);
	rec_reader_set_max(r, cli.maxrec);
	rec_reader_set_flags(r, cli.flags);
	rec_reader_set_rejects(r, cli.rejects);
	dl = dedupe_lines_new(r, nthreads > 1, whole, eflag ? NULL : &key);
	stop = 0;
	for (;;) {
		while (dl != NULL &&
		    dedupe_lines_read(dl, set, tmp, &rec, &h, &how)) {
			cli.nin++;
			one(&rec, tmp, h, how);
			arena_reset(tmp);
			tick(r, *done);
		}
		how = 0;
		s = whole ? dedupe_read(r, tmp, &rec, set, &h, &how) :
		    rec_read(r, tmp, &rec);
		if (s == REC_EOF)
			break;
		if (s == REC_IOERR) {
			diag(name, 0, "%s", rec_reader_error(r));
			exitstatus(EX_IOERR);
			break;
		}
		cli.nin++;
		if (s == REC_BAD) {
			/* the reader wrote the rejects file itself */
			cli_bad(name, rec_reader_line(r), NULL, 0, "%s",
			    rec_reader_error(r));
			if (cli.rejects == NULL) {
				stop = 1;
				break;
			}
		} else
			one(&rec, tmp, h, how);
		arena_reset(tmp);
		tick(r, *done);
	}
	*done += rec_reader_bytes(r);
	dedupe_lines_free(dl);
	rec_reader_free(r);
	return stop;
}

static void
fastrun(int argc, char **argv, int whole)
{
	unsigned long long done = 0;
	struct arena *tmp;
	FILE *fp;
	int i;

	tmp = arena_new();
	if (argc == 0)
		run1(stdin, "<stdin>", whole, tmp, &done);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			if (run1(stdin, "<stdin>", whole, tmp, &done))
				break;
			continue;
		}
		if ((fp = fopen(argv[i], "r")) == NULL) {
			diag(argv[i], 0, "%s", strerror(errno));
			exitstatus(EX_NOINPUT);
			continue;
		}
		if (run1(fp, argv[i], whole, tmp, &done))
			break;	/* not closed: a reading thread may be in read() */
		fclose(fp);
	}
	cli_progress(done, cli.nin, "records", 1);
	arena_free(tmp);
}

/* The second pass of the whole-input modes: read the spool back. */
static void
replay(void)
{
	struct rec_reader *r;
	struct arena *tmp;
	struct rec rec;
	uint64_t id;
	unsigned long long i;
	int s;

	if (rec_writer_flush(spoolw) == -1 || fflush(idspool) == EOF)
		die(EX_IOERR, "temporary file: %s", strerror(errno));
	rewind(spool);
	rewind(idspool);
	tmp = arena_new();
	r = rec_reader_new(spool, "<spool>", REC_NDJSON);
	rec_reader_set_max(r, (size_t)-1 / 4);
	rec_reader_set_flags(r, REC_LAXUTF8);
	for (i = 0; (s = rec_read(r, tmp, &rec)) != REC_EOF; i++) {
		if (s != REC_OK)
			die(EX_SOFTWARE, "temporary file: %s",
			    rec_reader_error(r));
		if (fread(&id, sizeof(id), 1, idspool) != 1 || id >= nst)
			die(EX_IOERR, "temporary file: short read");
		if (st[id].seq != i) {
			dropped(&rec);
		} else {
			if (cflag != NULL)
				rec_set_int(&rec, tmp, cflag,
				    (long long)st[id].count);
			cli_write(&rec);
		}
		arena_reset(tmp);
	}
	rec_reader_free(r);
	arena_free(tmp);
	rec_writer_free(spoolw);
	fclose(spool);
	fclose(idspool);
}

static void
parse_keep(const char *s)
{
	if (strcmp(s, "first") == 0)
		keep = KEEP_FIRST;
	else if (strcmp(s, "last") == 0)
		keep = KEEP_LAST;
	else if (strncmp(s, "max:", 4) == 0 && s[4] != '\0') {
		keep = KEEP_MAX;
		keepfield = s + 4;
	} else if (strncmp(s, "min:", 4) == 0 && s[4] != '\0') {
		keep = KEEP_MIN;
		keepfield = s + 4;
	} else {
		diag(NULL, 0, "--keep: expected first, last, max:FIELD or "
		    "min:FIELD, not '%s'", s);
		usage();
	}
}

static void
parse_shard(const char *s)
{
	char *end;

	errno = 0;
	shard_i = strtoul(s, &end, 10);
	if (end != s && *end == '/' && *s != '-') {
		s = end + 1;
		shard_n = strtoul(s, &end, 10);
		if (errno == 0 && end != s && *end == '\0' && *s != '-' &&
		    shard_i >= 1 && shard_i <= shard_n)
			return;
	}
	diag(NULL, 0, "--shard: expected I/N with 1 <= I <= N");
	usage();
}

int
main(int argc, char *argv[])
{
	unsigned long long nin, nout, nbad;
	char *end;
	int ch, status;

	cli_init(argc, argv);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:d:hJ:k:n:t:v", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			cflag = optarg;
			break;
		case 'd':
			dflag = optarg;
			break;
		case 'J':
			nthreads = cli_threads(optarg, SYNOPSIS);
			break;
		case 'k':
			kflag = optarg;
			break;
		case 'n':
			nflag = optarg;
			break;
		case 't':
			errno = 0;
			tflag = strtod(optarg, &end);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    !(tflag > 0 && tflag <= 1)) {
				diag(NULL, 0, "--threshold: expected a number "
				    "above 0 and at most 1, not '%s'", optarg);
				usage();
			}
			break;
		case 'v':
			vflag = 1;
			break;
		case OPT_CANON:
			Cflag = 1;
			break;
		case OPT_EXACT:
			eflag = 1;
			break;
		case OPT_FOLD:
			fflag = DEDUPE_FOLD_BASIC;
			if (optarg != NULL &&
			    (fflag = dedupe_fold_parse(optarg)) == -1) {
				diag(NULL, 0, "--fold: expected basic, "
				    "accents or fingerprint, not '%s'",
				    optarg);
				usage();
			}
			break;
		case OPT_KEEP:
			parse_keep(optarg);
			break;
		case OPT_SHARD:
			parse_shard(optarg);
			break;
		default:
			cli_option(ch, optarg, SYNOPSIS, help);
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (nflag != NULL && (kflag != NULL || keep != KEEP_FIRST ||
	    cflag != NULL || shard_n > 0 || eflag || Cflag)) {
		diag(NULL, 0, "--near works alone: not with -k, --keep, "
		    "--count, --shard, --exact-keys or --canonical");
		usage();
	}

	if (nthreads == 0)
		nthreads = cli_autothreads(2);
	if (kflag != NULL)
		key.paths = cli_list(kflag, &key.npaths);
	key.canon = Cflag;
	key.fold = fflag;
	buf_init(&kb, cli.perm);
	if (dflag != NULL) {
		if ((dupesfp = fopen(dflag, "w")) == NULL)
			die(EX_IOERR, "%s: %s", dflag, strerror(errno));
		dupes = rec_writer_new(dupesfp);
	}
	if (nflag != NULL) {
		nearpaths = cli_list(nflag, &nnear);
		near = dedupe_near_new(tflag);
		cli_run(argc, argv, REC_NDJSON, nearfn, NULL);
	} else if (keep == KEEP_FIRST && cflag == NULL) {
		set = dedupe_set_new(eflag ? DEDUPE_SET_KEYS : 0);
		fastrun(argc, argv, kflag == NULL && !Cflag && !fflag);
	} else {
		set = dedupe_set_new(DEDUPE_SET_IDS |
		    (eflag ? DEDUPE_SET_KEYS : 0));
		spool = cli_tempfile();
		idspool = cli_tempfile();
		spoolw = rec_writer_new(spool);
		cli_run(argc, argv, REC_NDJSON, whole, NULL);
		replay();
	}
	if (dupes != NULL && (rec_writer_free(dupes) == -1 ||
	    fclose(dupesfp) == EOF)) {
		diag(dflag, 0, "%s", strerror(errno));
		exitstatus(EX_IOERR);
	}
	nin = cli.nin;
	nout = cli.nout;
	nbad = cli.nbad;
	dedupe_set_free(set);
	dedupe_near_free(near);
	free(st);
	status = cli_finish();
	/* after the output, so that 2>&1 shows the counts last */
	if (vflag && shard_n > 0)
		diag(NULL, 0, "%llu in, %llu out, %llu duplicates, %llu "
		    "rejected, %llu in other shards", nin, nout, ndupes, nbad,
		    nother);
	else if (vflag)
		diag(NULL, 0, "%llu in, %llu out, %llu duplicates, %llu "
		    "rejected", nin, nout, ndupes, nbad);
	return status;
}

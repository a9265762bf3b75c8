/* dedupe.h - keys, folds, fingerprint sets and MinHash for glean-dedupe. */
#ifndef DEDUPE_H
#define DEDUPE_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;
struct dedupe_set;
struct rec_reader;
struct field;
struct rec;

/*
 * Folds (dedupe_fold).  DEDUPE_FOLD_BASIC: NFKC, Unicode case folding,
 * default-ignorable code points dropped, punctuation (general category P)
 * and control characters dropped, runs of white space made one space,
 * leading and trailing space dropped.  DEDUPE_FOLD_ACCENTS: BASIC with
 * combining marks stripped after decomposition.  DEDUPE_FOLD_FINGERPRINT:
 * ACCENTS, then the words sorted bytewise, duplicates dropped, joined by
 * one space (OpenRefine's fingerprint keyer).
 */
#define DEDUPE_FOLD_BASIC	1
#define DEDUPE_FOLD_ACCENTS	2
#define DEDUPE_FOLD_FINGERPRINT	3

/* Returns the fold named s ("basic", "accents", "fingerprint"), or -1. */
int	 dedupe_fold_parse(const char *s);

/*
 * Appends the folded form of s[0..n) to out.  Invalid UTF-8 is folded as
 * if each bad byte were U+FFFD.  Never fails short of memory.
 */
void	 dedupe_fold(struct buf *out, const char *s, size_t n, int fold);

/*
 * What makes a record's key.  paths NULL: the whole record (its input
 * line when it is clean and nothing asks for more, else its compact JSON
 * text).  canon: key order, white space and number spelling do not
 * matter.  fold: a DEDUPE_FOLD_* applied to string values, or 0.
 */
struct dedupe_key {
	char	**paths;
	size_t	  npaths;
	int	  canon;
	int	  fold;
};

/*
 * dedupe_key() sets out to the key bytes of r (documented in
 * glean-dedupe(1), KEYS), using tmp for scratch.  dedupe_get() finds a
 * dotted path in r (a field whose name is the whole path wins, then
 * object members and array indexes, "a.b.0"), fills *out and returns 1,
 * or returns 0 if there is no such field.  dedupe_text() sets out to the
 * values of the paths joined by spaces (strings as text, others as JSON;
 * missing fields add nothing).  dedupe_json() appends r as compact JSON;
 * dedupe_number() appends the canonical spelling of a JSON number.
 */
void	 dedupe_key(struct buf *out, const struct dedupe_key *,
	    const struct rec *r, struct arena *tmp);
int	 dedupe_get(const struct rec *r, struct arena *tmp, const char *path,
	    struct field *out);
void	 dedupe_text(struct buf *out, char **paths, size_t npaths,
	    const struct rec *r, struct arena *tmp);
void	 dedupe_json(struct buf *out, const struct rec *r, int array,
	    int canon, int fold, struct arena *tmp);
void	 dedupe_number(struct buf *out, const char *s, size_t n);

/*
 * A key's fingerprint: XXH3 128-bit of the key bytes, seed 0.  The shard
 * of a key for --shard I/N is lo % N + 1 (lo: the low 64 bits, the last
 * 16 hex digits that xxh128sum prints).
 */
struct dedupe_hash {
	uint64_t	lo;
	uint64_t	hi;
};
struct dedupe_hash dedupe_hash(const char *key, size_t n);

/*
 * The fingerprint set: open addressing, 16 bytes a slot, at most 3/4
 * full, grown 7/5 at a time in 256 independent parts, so that it never
 * holds more than 30 bytes per key (plus 64 KiB).  DEDUPE_SET_KEYS keeps
 * each key verbatim and compares keys, not only fingerprints.
 * DEDUPE_SET_IDS numbers keys 0, 1, ... in the order they were added.
 * dedupe_set_add() returns 1 if the key was in the set already, 0 if it
 * was added; either way *id (if not NULL) gets the key's number.
 * dedupe_set_has() only looks; a dedupe_set_add() of the same key (the
 * same pointer) right after a miss takes the slot that look found, with
 * no second probe.  dedupe_set_prefetch() starts loading the slot where
 * a probe for h begins.  dedupe_set_bytes() is the memory the set holds
 * now.
 */
#define DEDUPE_SET_KEYS	0x01
#define DEDUPE_SET_IDS	0x02

struct dedupe_set *dedupe_set_new(int flags);
int	 dedupe_set_add(struct dedupe_set *, struct dedupe_hash,
	    const char *key, size_t n, uint64_t *id);
int	 dedupe_set_has(struct dedupe_set *, struct dedupe_hash,
	    const char *key, size_t n);
void	 dedupe_set_prefetch(const struct dedupe_set *, struct dedupe_hash);
size_t	 dedupe_set_count(const struct dedupe_set *);
size_t	 dedupe_set_bytes(const struct dedupe_set *);
void	 dedupe_set_free(struct dedupe_set *);

/*
 * dedupe_read() is rec_read() for the whole-record key (no --canonical,
 * no --fold) with --keep first.  A line whose fingerprint is in seen is
 * the key of a record read before, so it is that record's text, valid
 * and clean, and a duplicate: it is not parsed, and comes back as a clean
 * record with no fields whose raw is the line (in the reader's buffer:
 * valid until the next read); *how is DEDUPE_KNOWN.  Any
 * other line is read by rec_read()'s rules, with the same record, error
 * and line number; *how is DEDUPE_HASHED if the record is clean (its key
 * is its raw text, whose fingerprint is *h), else 0.
 */
#define DEDUPE_KNOWN	1
#define DEDUPE_HASHED	2
int	 dedupe_read(struct rec_reader *, struct arena *, struct rec *,
	    struct dedupe_set *seen, struct dedupe_hash *h, int *how);

/*
 * The --keep first fast path's reader (dedupelines.c), for dedupe_read()'s
 * caller: the lines of r's input, read in chunks ahead, on a second thread
 * if threaded.  dedupe_lines_read() gives the next line (counted as
 * consumed by r) as a record in out and returns 1, or returns 0 when the
 * next record is for r to read (a record that is not one clean line, r
 * holding bytes, a line over r's maximum, a BOM, the end of the input):
 * read one with dedupe_read() or rec_read(), then ask again.  *how says
 * what the record is:
 *   hashed (the whole-record key): out has only its raw text (the line,
 *   valid until the next call) and *h its fingerprint; *how is
 *   DEDUPE_KNOWN if it is in seen, else DEDUPE_HASHED (a clean record;
 *   dedupe_set_add() of out->raw next takes no second probe).
 *   not hashed: DEDUPE_KEYED if the second thread made the key (given key:
 *   it does so while the first thread is behind): out has only its raw
 *   text and *h is the fingerprint of its dedupe_key() bytes; else 0 and
 *   out is the record rec_read() would make, in tmp.
 * The set's slots are prefetched a few lines ahead.  NULL (no fast path)
 * for a reader of another format or with GLEAN_NO_FASTPATH.  Free it
 * before r.
 */
#define DEDUPE_KEYED	3
struct dedupe_lines;
struct dedupe_lines *dedupe_lines_new(struct rec_reader *, int threaded,
	    int hashed, const struct dedupe_key *key);
int	 dedupe_lines_read(struct dedupe_lines *, struct dedupe_set *seen,
	    struct arena *tmp, struct rec *out, struct dedupe_hash *h,
	    int *how);
void	 dedupe_lines_free(struct dedupe_lines *);

/*
 * Near-duplicates: MinHash with LSH.  dedupe_minhash() takes folded text
 * (words separated by one space) and computes DEDUPE_NPERM minimums, one
 * per hash function h_i(w) = high 32 bits of (x * a_i + b_i) mod 2^64,
 * where x is the word's XXH3 64-bit hash; *nwords gets the word count.
 * The near index stores, per kept record, the low byte of each minimum
 * and DEDUPE_NBAND band hashes (DEDUPE_ROWS minimums each): records that
 * share a band are candidates, and a candidate is a near-duplicate when
 * the share of equal low bytes, corrected for chance (1/256), is at least
 * the threshold: an estimate of the Jaccard similarity of the two word
 * sets.  dedupe_near_add() returns 1 if a stored record is a
 * near-duplicate of sig (sig is not stored), or stores sig and returns 0.
 */
#define DEDUPE_NPERM	64
#define DEDUPE_NBAND	16
#define DEDUPE_ROWS	(DEDUPE_NPERM / DEDUPE_NBAND)

struct dedupe_near;
void	 dedupe_minhash(const char *s, size_t n, uint32_t sig[DEDUPE_NPERM],
	    size_t *nwords);
double	 dedupe_similarity(const uint32_t *, const uint32_t *);
struct dedupe_near *dedupe_near_new(double threshold);
int	 dedupe_near_add(struct dedupe_near *, const uint32_t *sig);
size_t	 dedupe_near_bytes(const struct dedupe_near *);
void	 dedupe_near_free(struct dedupe_near *);

#endif

/* fuzz.h - helpers shared by the libFuzzer targets in tests/fuzz/. */
#ifndef FUZZ_H
#define FUZZ_H

#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Every target names itself in the lib's diagnostics. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	diag_init((*argv)[0]);
	return 0;
}

/* Stop with a message libFuzzer records as a finding. */
#define FUZZ_CHECK(c) do { \
	if (!(c)) { \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
		    __LINE__, #c); \
		abort(); \
	} \
} while (0)

/*
 * fuzz_copy returns a malloc'd NUL-terminated copy of data: the lib's
 * string functions may rely on the terminator, libFuzzer's buffer has none.
 */
static char *
fuzz_copy(const uint8_t *data, size_t size)
{
	char *p;

	if ((p = malloc(size + 1)) == NULL)
		abort();
	memcpy(p, data, size);
	p[size] = '\0';
	return p;
}

/*
 * fuzz_open returns a stream reading p[0..n); the caller fcloses it.  The
 * readers read(2) the stream's descriptor, so fmemopen() will not do: the
 * bytes go to a memfd.
 */
static FILE *
fuzz_open(const char *p, size_t n)
{
	FILE *fp;
	ssize_t w;
	int fd;

	if ((fd = memfd_create("fuzz", 0)) == -1)
		abort();
	while (n > 0) {
		if ((w = write(fd, p, n)) <= 0)
			abort();
		p += w;
		n -= (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) == -1 || (fp = fdopen(fd, "r")) == NULL)
		abort();
	return fp;
}

/* fuzz_memmem reports whether needle occurs in hay. */
static int
fuzz_memmem(const char *hay, size_t hn, const char *needle, size_t nn)
{
	size_t i;

	if (nn == 0)
		return 1;
	for (i = 0; i + nn <= hn; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, nn) == 0)
			return 1;
	return 0;
}

#ifdef REC_H
#include <cJSON.h>

/*
 * fuzz_check_rec writes r as NDJSON and checks that the text is one line
 * holding one JSON object, valid UTF-8, whose first key is first (unless
 * first is NULL).
 */
static void
fuzz_check_rec(const struct rec *r, const char *first)
{
	struct rec_writer *w;
	FILE *fp;
	char *p = NULL;
	size_t n = 0;
	const char *end;
	cJSON *j;

	if ((fp = open_memstream(&p, &n)) == NULL)
		abort();
	w = rec_writer_new(fp);
	FUZZ_CHECK(rec_write(w, r) == 0);
	FUZZ_CHECK(rec_writer_free(w) == 0);
	fclose(fp);
	FUZZ_CHECK(n > 0 && p[n - 1] == '\n');
	FUZZ_CHECK(memchr(p, '\n', n) == p + n - 1);
	FUZZ_CHECK(utf8_check(p, n) == n);
	j = cJSON_ParseWithLengthOpts(p, n - 1, &end, 0);
	FUZZ_CHECK(j != NULL && cJSON_IsObject(j));
	FUZZ_CHECK(end == p + n - 1);
	if (first != NULL) {
		FUZZ_CHECK(j->child != NULL && j->child->string != NULL);
		FUZZ_CHECK(strcmp(j->child->string, first) == 0);
	}
	cJSON_Delete(j);
	free(p);
}
#endif

#endif

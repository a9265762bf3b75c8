/* diag.c - the one place that formats diagnostics and keeps the exit status. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "rec.h"

const char *progname = "glean";
static int status = EX_OK;

/* progname becomes the last path component of argv0. */
void
diag_init(const char *argv0)
{
	const char *p;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	p = strrchr(argv0, '/');
	progname = p != NULL ? p + 1 : argv0;
}

static void
vdiag(const char *file, unsigned long line, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	if (file != NULL && line > 0)
		fprintf(stderr, "%s:%lu: ", file, line);
	else if (file != NULL)
		fprintf(stderr, "%s: ", file);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
diag(const char *file, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(file, line, fmt, ap);
	va_end(ap);
}

void
die(int st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(NULL, 0, fmt, ap);
	va_end(ap);
	exit(st);
}

/*
 * The sysexits codes rise with severity (65 data, 66 no input, 74 I/O),
 * so the largest one seen is the one to report.
 */
int
exitstatus(int st)
{
	if (st > status)
		status = st;
	return status;
}

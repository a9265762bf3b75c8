/* xpath.c - user fields: XPath expressions compiled once, run on each page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "rec.h"
#include "html.h"

struct xspec {
	struct arena	*perm;
	const char	*sep;
};

struct xspec *
xspec_new(struct arena *perm)
{
	struct xspec *x;

	x = arena_alloc(perm, 1, sizeof(*x));
	x->perm = perm;
	x->sep = "\n";
	return x;
}

int
xspec_field(struct xspec *x, const char *spec, const char **err)
{
	(void)x;
	(void)spec;
	*err = "not implemented yet";
	return -1;
}

int
xspec_file(struct xspec *x, const char *path, const char **err)
{
	(void)x;
	(void)path;
	*err = "not implemented yet";
	return -1;
}

int
xspec_each(struct xspec *x, const char *xpath, const char **err)
{
	(void)x;
	(void)xpath;
	*err = "not implemented yet";
	return -1;
}

void
xspec_join(struct xspec *x, const char *sep)
{
	x->sep = sep;
}

int
xspec_run(struct xspec *x, xmlDocPtr doc, const struct rec *prov,
    struct arena *tmp, const struct html_out *out)
{
	(void)x;
	(void)doc;
	(void)prov;
	(void)tmp;
	(void)out;
	return -1;
}

void
xspec_unmatched(struct xspec *x, const struct html_out *out)
{
	(void)x;
	(void)out;
}

/* meta.c - what a page declares about itself: meta tags and JSON-LD. */
#include <stdio.h>

#include "rec.h"
#include "html.h"

int
meta_run(xmlDocPtr doc, const struct rec *prov, struct arena *tmp,
    const struct html_out *out)
{
	(void)doc;
	(void)prov;
	(void)tmp;
	(void)out;
	return -1;
}

/*
 * htmlloop.c - the benchmark's baseline for HTML: read each file named on
 * the command line into memory, parse it with libxml2's htmlReadMemory()
 * (the options glean-extract uses) and free it.  Nothing else: the rate
 * of this loop is the ceiling for any libxml2-based page reader.
 *
 * usage: htmlloop file ...
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <libxml/HTMLparser.h>

int
main(int argc, char **argv)
{
	htmlDocPtr doc;
	char *p, *np;
	size_t cap, n;
	FILE *f;
	long pages;
	int i, opts;

	opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
	cap = 1 << 16;
	if ((p = malloc(cap)) == NULL)
		return EX_OSERR;
	pages = 0;
	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL) {
			fprintf(stderr, "htmlloop: %s: %s\n", argv[i],
			    strerror(errno));
			return EX_NOINPUT;
		}
		n = 0;
		for (;;) {
			if (n == cap) {
				cap *= 2;
				if ((np = realloc(p, cap)) == NULL)
					return EX_OSERR;
				p = np;
			}
			n += fread(p + n, 1, cap - n, f);
			if (feof(f) || ferror(f))
				break;
		}
		fclose(f);
		doc = htmlReadMemory(p, (int)n, argv[i], NULL, opts);
		if (doc != NULL) {
			pages++;
			xmlFreeDoc(doc);
		}
	}
	free(p);
	xmlCleanupParser();
	printf("%ld\n", pages);
	return 0;
}

/* fromcsv - read CSV (or TSV) with a header row and write NDJSON records. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"

#define SYNOPSIS \
"glean-fromcsv [-t] [-d delim] [--no-header] [option ...] [file ...]"

enum { OPT_NOHEADER = OPT_TOOL };

static const char help[] =
"  -d, --delimiter C      cells are separated by the character C\n"
"                         (default ,)\n"
"      --no-header        the first row is data; keys are col1, col2, ...\n"
"  -t, --tsv              read TSV: TAB separated, \\t \\n \\r \\\\ as\n"
"                         escapes, no quoting\n";

static const struct option longopts[] = {
	{ "delimiter", required_argument, NULL, 'd' },
	{ "no-header", no_argument, NULL, OPT_NOHEADER },
	{ "tsv", no_argument, NULL, 't' },
	CLI_LONGOPTS,
	{ NULL, 0, NULL, 0 }
};

static void
usage(void)
{
	cli_usage(SYNOPSIS);
}

static int
fromcsv(struct rec *r, struct arena *tmp, void *ctx)
{
	(void)tmp;
	(void)ctx;
	cli_write(r);
	return 0;
}

int
main(int argc, char *argv[])
{
	int ch, dflag = 0;

	cli_init(argc, argv);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":d:ht", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dflag = cli_delim(optarg, SYNOPSIS);
			break;
		case 't':
			cli.flags |= REC_TSV;
			break;
		case OPT_NOHEADER:
			cli.flags |= REC_NOHEADER;
			break;
		default:
			cli_option(ch, optarg, SYNOPSIS, help);
			break;
		}
	}
	if (dflag != 0 && (cli.flags & REC_TSV)) {
		diag(NULL, 0, "-t cannot go with -d");
		usage();
	}
	if (dflag != 0)
		cli.delim = dflag;
	cli_run(argc - optind, argv + optind, REC_CSV, fromcsv, NULL);
	return cli_finish();
}

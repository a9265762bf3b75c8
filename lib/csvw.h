/* csvw.h - the CSV and TSV cell writer of glean-tocsv (csvw.c). */
#ifndef CSVW_H
#define CSVW_H

#include <stddef.h>

struct buf;

/*
 * How cells are written.  CSV (RFC 4180): a cell is quoted only when it
 * holds the delimiter, a double quote, CR or LF, or always with quoteall;
 * a quote inside is doubled.  TSV: never quoted; TAB, LF, CR and backslash
 * become \t, \n, \r and \\.  safe: a string cell that starts with '=',
 * '+', '-', '@', TAB or CR gets a leading "'" so that no spreadsheet runs
 * it as a formula (the quoting or escaping then applies to the result).
 */
struct csvw {
	int		 delim;		/* the cell separator */
	int		 tsv;
	int		 quoteall;
	int		 safe;
	const char	*eol;		/* "\n" or "\r\n" */
	size_t		 eollen;
	unsigned char	 special[256];	/* bytes that force quoting/escapes */
};

/*
 * csvw_init() fills w; delim 0 means ',' (or TAB for tsv).
 * csvw_cell() appends the cell s[0..n) to b; isstr says whether it is a
 * string (only strings are neutralised by safe).  csvw_empty_row()
 * appends what a row of one empty cell must be so that it is not read as
 * a blank line ("" in CSV, nothing in TSV).  csvw_delim() and csvw_eol()
 * append the separator and the line end.  None can fail: buffers grow in
 * their arena, which exits on out of memory.
 */
void	 csvw_init(struct csvw *, int delim, int tsv, int quoteall, int safe,
	    int crlf);
void	 csvw_cell(const struct csvw *, struct buf *, const char *s,
	    size_t n, int isstr);
void	 csvw_empty_row(const struct csvw *, struct buf *);
void	 csvw_delim(const struct csvw *, struct buf *);
void	 csvw_eol(const struct csvw *, struct buf *);
int	 csvw_unsafe(const char *s, size_t n);

#endif

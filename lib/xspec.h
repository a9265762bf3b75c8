/* xspec.h - inside user fields: what xpath.c (the tree's way) and
 * xstream.c (the parser events' way) share.  Not for other files. */
#ifndef XSPEC_H
#define XSPEC_H

#include <stdint.h>

#include <libxml/xpath.h>

#include "rec.h"
#include "html.h"

#define F_ARRAY	0x01	/* NAME[]=: every match, as a JSON array */
#define F_HTML	0x02	/* NAME:html=: inner HTML */

/*
 * A field whose XPath is a plain path, evaluated on the parser's events:
 * steps from the document, each a child (/) or descendant (//) element
 * with a name or *, and predicates on its attributes ([@a], [@a="v"],
 * [contains(@a,"v")]); then the element itself, one of its attributes
 * (/@a) or its text children (/text()).
 */
enum { P_HAS, P_EQ, P_CONTAINS };
enum { T_NODE, T_ATTR, T_TEXT };

struct xpred {
	int		 op;
	const char	*attr;
	const char	*val;
	struct xpred	*next;
};

struct xstep {
	const char	*name;		/* NULL: any element */
	int		 desc;		/* reached by // */
	struct xpred	*preds;
};

struct xplan {
	struct xstep	*steps;
	int		 nsteps;
	int		 tail;		/* T_* */
	const char	*attr;		/* T_ATTR: its name */
};

struct xfield {
	const char		*name;
	const char		*expr;
	xmlXPathCompExprPtr	 comp;
	struct xplan		*plan;	/* NULL: needs the tree */
	int			 flags;
	unsigned long		 hits;	/* records it matched in */
	struct xfield		*next;
};

/* The steps of every field as bits of one automaton (xstream.c). */
struct xbits {
	int		 ready;
	int		 ok;		/* all fields fit in 64 states */
	uint64_t	 zero;		/* each field's start state */
	uint64_t	 child, desc;	/* states reached by / and by // */
	uint64_t	 final;		/* each field's last state */
	const struct xstep *step[64];	/* the step that reaches a state */
	int		 field[64];	/* whose final state it is, or -1 */
	const struct xplan *plan[64];	/* ... and that field's plan */
};

struct xspec {
	struct arena	*perm;
	struct xfield	*head, **tail;
	const char	*sep;
	const char	*eachexpr;
	xmlXPathCompExprPtr each;
	unsigned long	 runs;		/* records evaluated */
	size_t		 nfields;
	struct xbits	 bits;
};

/*
 * xpath.c: xspec_record() starts a record (prov's fields, index when
 * > 0); xspec_nodes() adds field f's value from the nodes it matched, in
 * document order, URLs resolved against base href bh (or NULL) and
 * pageurl.
 */
void	xspec_record(struct xspec *, struct rec *, const struct rec *prov,
	    long index, struct arena *);
void	xspec_nodes(struct xspec *, struct xfield *, xmlNodePtr *, int n,
	    const char *bh, const char *pageurl, struct rec *,
	    struct arena *);

/* xstream.c: the plan of expr, or NULL when it needs the tree. */
struct xplan *xplan_compile(const char *expr, struct arena *);

#endif

// SPDX-License-Identifier: MIT
/*
 * Boot logs: what a kernel printed about its reserved memory, its default CMA
 * area and its RAM, read from dmesg, `journalctl -k` or a serial console.
 *
 * The log is untrusted input. Each line's message (after its timestamp, level,
 * facility or journal prefix) is matched against one printk format of
 * drivers/of/of_reserved_mem.c, drivers/of/fdt.c, kernel/dma/{contiguous,coherent,
 * swiotlb}.c, mm/cma.c or mm/mm_init.c, from its first byte to its last: a line a
 * console cut short matches nothing and is dropped, it is never read as a
 * shorter value. %pa is printed with 8 or 16 hex digits (sizeof(phys_addr_t)),
 * and only those widths are taken.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* Distinct node names kept from one log; /reserved-memory holds far fewer. */
#define DMESG_MAX_REGIONS 4096
/* OVERLAP DETECTED pairs kept (__rmem_check_for_overlap() prints at most one per region). */
#define DMESG_MAX_OVERLAPS 4096
/* memblock's INIT_MEMBLOCK_MEMORY_REGIONS: more "node N: [mem]" lines than this are dropped. */
#define DMESG_MAX_BANKS 128
/* The longest node name kept: longer ones cannot be DT node names (dtc's limit is lower). */
#define DMESG_MAX_NAME 255
/* A message with its console-wrapped continuations joined: printk's LOG_LINE_MAX is 1024. */
#define DMESG_MAX_JOIN 2048
/* The first bytes looked at to tell a log from binary data. */
#define DMESG_SNIFF 65536

struct span {
	const char *s, *e;
};

struct parser {
	struct cvo_dmesg *log;
	int line;			/* 1-based number of the physical line being read */
	bool cut;			/* the message may be cut short (unterminated last line) */
	bool in_ranges;			/* after "Early memory node ranges" */
	bool overlap_next;		/* after "OVERLAP DETECTED!" */
	int slots_line;			/* "Not enough slots for CMA reserved regions!" not yet
					   known to be a region's: its line, else 0 */
	unsigned said_now;		/* the handler message the last message was, if any */
	/* handler messages printed before the line that names their node */
	enum cvo_boot_pool pend_pool;
	uint64_t pend_base, pend_size, pend_unit;
	int pend_line;
	unsigned pend_said;
	int err;			/* CVO_ERR_NOMEM once an allocation failed */
};

/* ------------------------------------------------------------------ scanning */

static bool lit(struct span *m, const char *text)
{
	size_t n = strlen(text);
	if ((size_t)(m->e - m->s) < n || memcmp(m->s, text, n) != 0)
		return false;
	m->s += n;
	return true;
}

static bool at_end(const struct span *m)
{
	return m->s == m->e;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "0x" and exactly `digits` hex digits (0: 8 or 16, as %pa prints) */
static bool hex(struct span *m, int digits, uint64_t *out)
{
	struct span t = *m;
	if (!lit(&t, "0x"))
		return false;
	uint64_t v = 0;
	int n = 0;
	while (t.s < t.e && hexval(*t.s) >= 0 && n < 17) {
		v = (v << 4) | (uint64_t)hexval(*t.s);
		t.s++;
		n++;
	}
	if (digits ? n != digits : (n != 8 && n != 16))
		return false;
	*m = t;
	*out = v;
	return true;
}

/* A decimal number printed by %ld/%lu/%d: up to 19 digits, so it never wraps. */
static bool dec(struct span *m, bool sign, int64_t *out)
{
	struct span t = *m;
	bool neg = sign && lit(&t, "-");
	int64_t v = 0;
	int n = 0;
	while (t.s < t.e && *t.s >= '0' && *t.s <= '9' && n < 19) {
		v = v * 10 + (*t.s - '0');
		t.s++;
		n++;
	}
	if (!n || (t.s < t.e && *t.s >= '0' && *t.s <= '9'))
		return false;
	*m = t;
	*out = neg ? -v : v;
	return true;
}

static bool udec(struct span *m, uint64_t *out)
{
	int64_t v;
	if (!dec(m, false, &v))
		return false;
	*out = (uint64_t)v;
	return true;
}

/* A node name as the kernel prints %s: up to the byte `stop` (or a space when stop is 0). */
static bool name(struct span *m, char stop, struct span *out)
{
	const char *p = m->s;
	while (p < m->e && (stop ? *p != stop : *p != ' '))
		p++;
	if (p == m->s || p - m->s > DMESG_MAX_NAME)
		return false;
	for (const char *q = m->s; q < p; q++)
		if ((unsigned char)*q < 0x21 || (unsigned char)*q == 0x7f)
			return false;
	out->s = m->s;
	out->e = p;
	m->s = p;
	return true;
}

static bool span_is(const struct span *a, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(a->e - a->s) == n && memcmp(a->s, s, n) == 0;
}

static char *span_dup(struct parser *ps, const struct span *a)
{
	size_t n = (size_t)(a->e - a->s);
	char *s = malloc(n + 1);
	if (!s) {
		ps->err = CVO_ERR_NOMEM;
		return NULL;
	}
	memcpy(s, a->s, n);
	s[n] = '\0';
	return s;
}

/* ------------------------------------------------------------------ prefixes */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "[    0.000000]" (printk time), "[Mon Jan  1 10:00:00 2024]" (dmesg -T), "[    T1]" and
 * "[C0]" (CONFIG_PRINTK_CALLER) at p: the byte after the ']' and one space, or NULL. */
static const char *bracket_stamp(const char *p, const char *e)
{
	if (p >= e || *p != '[')
		return NULL;
	const char *q = p + 1;
	bool digit = false, dot = false, colon = false, caller = false;
	while (q < e && *q == ' ')
		q++;
	if (q < e && (*q == 'T' || *q == 'C') && q + 1 < e && is_digit(q[1])) {
		caller = true;
		q++;
	}
	const char *start = q;
	while (q < e && q - start < 40 && *q != ']') {
		if (is_digit(*q))
			digit = true;
		else if (*q == '.')
			dot = true;
		else if (*q == ':')
			colon = true;
		else if (caller || !(*q == ' ' || (*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z')))
			return NULL;
		q++;
	}
	if (q >= e || *q != ']' || !digit || !(dot || colon || caller))
		return NULL;
	q++;
	if (q < e && *q == ' ')
		q++;
	return q;
}

/* "<6>" (dmesg -r, syslog(2)) */
static const char *level_prefix(const char *p, const char *e)
{
	if (p >= e || *p != '<')
		return NULL;
	const char *q = p + 1;
	while (q < e && is_digit(*q) && q - p <= 4)
		q++;
	if (q == p + 1 || q >= e || *q != '>')
		return NULL;
	return q + 1;
}

/* "6,1234,5678,-;" (a /dev/kmsg record) */
static const char *kmsg_prefix(const char *p, const char *e)
{
	const char *q = p;
	int commas = 0;
	while (q < e && q - p < 64 && *q != ';') {
		if (*q == ',')
			commas++;
		else if (commas < 3 && !is_digit(*q))
			return NULL;
		q++;
	}
	if (q >= e || *q != ';' || commas < 3 || !is_digit(*p))
		return NULL;
	return q + 1;
}

/* "kern  :info  : " (dmesg -x) */
static const char *facility_prefix(const char *p, const char *e)
{
	const char *q = p;
	for (int part = 0; part < 2; part++) {
		const char *w = q;
		while (q < e && *q >= 'a' && *q <= 'z')
			q++;
		if (q == w)
			return NULL;
		while (q < e && *q == ' ')
			q++;
		if (q >= e || *q != ':')
			return NULL;
		q++;
		if (q < e && *q == ' ')
			q++;
	}
	return q;
}

/* "Jan 01 10:00:00 host kernel: ", "2024-01-01T10:00:00+0100 host kernel: " (journalctl -k,
 * syslog), and "host kernel: " after a monotonic "[ 0.000000]" stamp: the byte after it. */
static const char *journal_prefix(const char *p, const char *e, bool stamped)
{
	const char *limit = e - p > 160 ? p + 160 : e;
	for (const char *q = p; q + 9 <= limit; q++) {
		if (*q != ' ' || memcmp(q, " kernel: ", 9) != 0)
			continue;
		/* what comes before is a date, a time and a host: no ": ", a HH:MM:SS time
		 * (unless a monotonic stamp came first), at most five words */
		bool time = false;
		int words = 1;
		for (const char *r = p; r < q; r++) {
			if (*r == ':' && r + 1 < q && r[1] == ' ')
				return NULL;
			if (*r == ' ')
				words++;
			if (r + 5 < q && is_digit(r[0]) && r[2] == ':' && is_digit(r[3]) && r[5] == ':')
				time = true;
		}
		if (words > 5 || !(time || (stamped && words == 1)))
			return NULL;
		return q + 9;
	}
	return NULL;
}

/* The message of a line and whether the line carried a prefix of some kind. */
static struct span message(const char *s, const char *e, bool *prefixed)
{
	const char *p = s, *q;
	bool stamped = false;
	*prefixed = false;
	for (int guard = 0; guard < 6; guard++) {
		if ((q = level_prefix(p, e)) || (q = kmsg_prefix(p, e)) ||
		    (q = facility_prefix(p, e))) {
			p = q;
			*prefixed = true;
		} else if ((q = bracket_stamp(p, e))) {
			p = q;
			*prefixed = stamped = true;
		} else if ((q = journal_prefix(p, e, stamped))) {
			p = q;
			*prefixed = true;
		} else {
			break;
		}
	}
	struct span m = { p, e };
	while (m.e > m.s && (m.e[-1] == ' ' || m.e[-1] == '\t'))
		m.e--;
	return m;
}

/* Where a second "[    0.000000]" stamp starts inside a message (two console lines run
 * together: the first was cut), or NULL. */
static const char *embedded_stamp(const struct span *m)
{
	for (const char *p = m->s + 1; p < m->e; p++) {
		if (*p != '[')
			continue;
		const char *q = bracket_stamp(p, m->e);
		if (q && p + 1 < m->e && (p[1] == ' ' || is_digit(p[1])))
			return p;
	}
	return NULL;
}

/* ------------------------------------------------------------------ records */

static struct cvo_boot_region *region_get(struct parser *ps, const struct span *nm)
{
	struct cvo_dmesg *log = ps->log;
	for (size_t i = 0; i < log->n_regions; i++)
		if (span_is(nm, log->regions[i].name))
			return &log->regions[i];
	if (log->n_regions >= DMESG_MAX_REGIONS)
		return NULL;
	struct cvo_boot_region *v =
		realloc(log->regions, (log->n_regions + 1) * sizeof(*log->regions));
	if (!v) {
		ps->err = CVO_ERR_NOMEM;
		return NULL;
	}
	log->regions = v;
	struct cvo_boot_region *r = &v[log->n_regions];
	memset(r, 0, sizeof(*r));
	r->name = span_dup(ps, nm);
	if (!r->name)
		return NULL;
	r->line = ps->line;
	log->n_regions++;
	return r;
}

static void pending_clear(struct parser *ps)
{
	ps->pend_pool = CVO_BOOT_POOL_NONE;
	ps->pend_said = 0;
}

/* The handler's messages belong to the node the next "initialized node" or "compatible
 * matching fail" line names (fdt_init_reserved_mem_node() prints after the handler). */
static void pending_take(struct parser *ps, struct cvo_boot_region *r, bool pool)
{
	/* a handler prints its pool only when it accepts the node */
	if (pool && ps->pend_pool != CVO_BOOT_POOL_NONE && r->pool == CVO_BOOT_POOL_NONE) {
		r->pool = ps->pend_pool;
		r->pool_base = ps->pend_base;
		r->pool_size = ps->pend_size;
		r->pool_unit = ps->pend_unit;
		r->pool_line = ps->pend_line;
	}
	r->said |= ps->pend_said;
	pending_clear(ps);
}

static void fail_at(struct parser *ps, struct cvo_boot_region *r, unsigned bit)
{
	/* the scan and allocation failures print before any handler runs for the node */
	if (bit != CVO_BOOT_MATCH_FAIL)
		pending_clear(ps);
	if (!(r->said & (CVO_BOOT_RESERVE_FAIL | CVO_BOOT_ALLOC_FAIL | CVO_BOOT_INVALID |
			 CVO_BOOT_TOO_MANY | CVO_BOOT_MATCH_FAIL)))
		r->fail_line = ps->line;
	r->said |= bit;
}

/* Forget what an earlier boot of the same log said. */
static void new_boot(struct parser *ps)
{
	struct cvo_dmesg *log = ps->log;
	for (size_t i = 0; i < log->n_regions; i++) {
		free(log->regions[i].name);
		free(log->regions[i].compatible);
	}
	log->n_regions = 0;
	for (size_t i = 0; i < log->n_overlaps; i++) {
		free(log->overlaps[i].a);
		free(log->overlaps[i].b);
	}
	log->n_overlaps = 0;
	free(log->version);
	free(log->cmdline);
	log->version = log->cmdline = NULL;
	log->kver_major = log->kver_minor = 0;
	log->version_line = log->cmdline_line = log->memory_line = 0;
	log->n_banks = 0;
	log->cma_skip_lines = 0;
	log->rmem_unsupported = log->table_full = log->complete = log->has_arch = false;
	log->default_cma = CVO_BOOT_CMA_NONE;
	log->default_cma_line = 0;
	ps->in_ranges = ps->overlap_next = false;
	pending_clear(ps);
}

/* ------------------------------------------------------------------ formats */

/* "s0@50000000 (0x0000000050000000--0x0000000050400000) overlaps with s1@50200000 (...)" */
static bool overlap_pair(struct parser *ps, struct span m)
{
	struct span a, b;
	uint64_t ab, ae, bb, be;
	if (!(name(&m, 0, &a) && lit(&m, " (") && hex(&m, 0, &ab) && lit(&m, "--") &&
	      hex(&m, 0, &ae) && lit(&m, ") overlaps with ") && name(&m, 0, &b) &&
	      lit(&m, " (") && hex(&m, 0, &bb) && lit(&m, "--") && hex(&m, 0, &be) &&
	      lit(&m, ")") && at_end(&m)))
		return false;
	struct cvo_dmesg *log = ps->log;
	if (log->n_overlaps >= DMESG_MAX_OVERLAPS)
		return true;
	struct cvo_boot_overlap *v =
		realloc(log->overlaps, (log->n_overlaps + 1) * sizeof(*log->overlaps));
	if (!v) {
		ps->err = CVO_ERR_NOMEM;
		return true;
	}
	log->overlaps = v;
	struct cvo_boot_overlap *o = &v[log->n_overlaps];
	*o = (struct cvo_boot_overlap){ .a = span_dup(ps, &a), .b = span_dup(ps, &b),
					.a_base = ab, .a_end = ae, .b_base = bb, .b_end = be,
					.line = ps->line };
	if (!o->a || !o->b) {
		free(o->a);
		free(o->b);
		return true;
	}
	log->n_overlaps++;
	return true;
}

/* "created CMA memory pool at %pa, size %ld MiB" and its DMA and restricted siblings */
static bool pool_line(struct parser *ps, struct span m)
{
	enum cvo_boot_pool kind;
	if (lit(&m, "created CMA memory pool at "))
		kind = CVO_BOOT_POOL_CMA;
	else if (lit(&m, "created DMA memory pool at "))
		kind = CVO_BOOT_POOL_DMA;
	else if (lit(&m, "created restricted DMA pool at ") ||
		 lit(&m, "created device swiotlb memory pool at "))
		kind = CVO_BOOT_POOL_RESTRICTED;
	else
		return false;
	uint64_t base, size, unit;
	if (!(hex(&m, 0, &base) && lit(&m, ", size ") && udec(&m, &size)))
		return false;
	if (lit(&m, " MiB"))
		unit = 1u << 20;
	else if (lit(&m, " KiB"))
		unit = 1u << 10;
	else
		return false;
	if (!at_end(&m) || size > UINT64_MAX / unit)
		return false;
	ps->pend_pool = kind;
	ps->pend_base = base;
	ps->pend_size = size * unit;
	ps->pend_unit = unit;
	ps->pend_line = ps->line;
	return true;
}

/* ">= 6.3: "0x...000..0x...fff (1024 KiB) nomap non-reusable d3" (fdt_init_reserved_mem_node()) */
static bool range_line(struct parser *ps, struct span m)
{
	uint64_t base, last, kib;
	struct span nm;
	bool nomap, reusable;
	if (!(hex(&m, 0, &base) && lit(&m, "..") && hex(&m, 0, &last) && lit(&m, " (") &&
	      udec(&m, &kib) && lit(&m, " KiB) ")))
		return false;
	if (lit(&m, "nomap "))
		nomap = true;
	else if (lit(&m, "map "))
		nomap = false;
	else
		return false;
	if (lit(&m, "non-reusable "))
		reusable = false;
	else if (lit(&m, "reusable "))
		reusable = true;
	else
		return false;
	/* the name ends the line: a cut line would read as a shorter name */
	if (ps->cut || !name(&m, 0, &nm) || !at_end(&m) || last < base)
		return false;
	/* the kernel prints the size rounded down to KiB: it must agree with the range */
	uint64_t size = last - base + 1;
	if (size == 0 || size >> 10 != kib)
		return false;
	struct cvo_boot_region *r = region_get(ps, &nm);
	if (!r)
		return true;
	if (!(r->said & CVO_BOOT_RANGE)) {
		r->said |= CVO_BOOT_RANGE;
		r->range_base = base;
		r->range_size = size;
		r->range_nomap = nomap;
		r->range_reusable = reusable;
		r->range_line = ps->line;
	}
	/* a region without a handler gets only this line: nothing pending is its */
	if (!(r->said & CVO_BOOT_INITIALIZED))
		pending_clear(ps);
	return true;
}

/* The messages of drivers/of/of_reserved_mem.c, drivers/of/fdt.c and the handlers, after
 * "OF: reserved mem: ", "OF: fdt: " and "Reserved memory: " (any of them, or none). */
static bool rmem_line(struct parser *ps, struct span m)
{
	struct span t = m, nm;
	struct cvo_boot_region *r;
	if (lit(&t, "OF: reserved mem: ") || lit(&t, "OF: fdt: "))
		m = t;
	t = m;
	if (lit(&t, "Reserved memory: "))
		m = t;

	if (pool_line(ps, m))
		return true;
	t = m;
	if (lit(&t, "initialized node ")) {
		/* node names hold commas ("linux,cma"): the name ends where ", compatible id "
		 * begins, and it has no space */
		static const char sep[] = ", compatible id ";
		const char *p = t.s;
		while (p + sizeof(sep) - 1 <= t.e && memcmp(p, sep, sizeof(sep) - 1) != 0)
			p++;
		struct span compat, before = { t.s, p };
		if (p + sizeof(sep) - 1 > t.e || !name(&before, 0, &nm) || !at_end(&before))
			return false;
		t.s = p + sizeof(sep) - 1;
		if (ps->cut || !name(&t, 0, &compat) || !at_end(&t))
			return false;
		if ((r = region_get(ps, &nm))) {
			r->said |= CVO_BOOT_INITIALIZED;
			if (!r->compatible)
				r->compatible = span_dup(ps, &compat);
			pending_take(ps, r, true);
		}
		return true;
	}
	t = m;
	if (lit(&t, "node ") && name(&t, 0, &nm) && lit(&t, " compatible matching fail") &&
	    at_end(&t)) {
		if ((r = region_get(ps, &nm))) {
			fail_at(ps, r, CVO_BOOT_MATCH_FAIL);
			pending_take(ps, r, false);
		}
		return true;
	}
	t = m;
	if (lit(&t, "failed to reserve memory for node '")) {
		uint64_t base, mib;
		if (!(name(&t, '\'', &nm) && lit(&t, "': base ") && hex(&t, 0, &base) &&
		      lit(&t, ", size ") && udec(&t, &mib) && lit(&t, " MiB") && at_end(&t)))
			return false;
		if ((r = region_get(ps, &nm))) {
			if (!(r->said & CVO_BOOT_RESERVE_FAIL))
				r->fail_base = base;
			fail_at(ps, r, CVO_BOOT_RESERVE_FAIL);
		}
		return true;
	}
	t = m;
	if (lit(&t, "failed to allocate memory for node '")) {
		uint64_t mib;
		if (!(name(&t, '\'', &nm) && lit(&t, "': size ") && udec(&t, &mib) &&
		      lit(&t, " MiB") && at_end(&t)))
			return false;
		if ((r = region_get(ps, &nm)))
			fail_at(ps, r, CVO_BOOT_ALLOC_FAIL);
		return true;
	}
	t = m;
	if (lit(&t, "invalid reg property in '") || lit(&t, "invalid size property in '") ||
	    lit(&t, "invalid alignment property in '") ||
	    lit(&t, "invalid alloc-ranges property in '")) {
		if (!(name(&t, '\'', &nm) && lit(&t, "'") &&
		      (lit(&t, ", skipping node.") || lit(&t, " node.")) && at_end(&t)))
			return false;
		if ((r = region_get(ps, &nm)))
			fail_at(ps, r, CVO_BOOT_INVALID);
		return true;
	}
	t = m;
	if (lit(&t, "too many defined dynamic regions, skip '")) {
		if (!(name(&t, '\'', &nm) && lit(&t, "'") && at_end(&t)))
			return false;
		if ((r = region_get(ps, &nm)))
			fail_at(ps, r, CVO_BOOT_TOO_MANY);
		return true;
	}
	t = m;
	if (lit(&t, "bypass ") && name(&t, 0, &nm) &&
	    lit(&t, " node, using cmdline CMA params instead") && at_end(&t)) {
		if ((r = region_get(ps, &nm)))
			r->said |= CVO_BOOT_BYPASS;
		/* the "compatible matching fail" that follows names it again */
		ps->pend_said |= CVO_BOOT_BYPASS;
		return true;
	}
	t = m;
	if (lit(&t, "OVERLAP DETECTED!")) {
		/* the pair is the record's second line; a console that wraps may join them */
		while (t.s < t.e && (*t.s == ' ' || *t.s == '\t'))
			t.s++;
		if (at_end(&t))
			ps->overlap_next = true;
		else if (!overlap_pair(ps, t))
			return false;
		return true;
	}
	/* fdt_scan_reserved_mem_reg_nodes(): "%s() ignores %d regions in node '%s'" */
	t = m;
	{
		const char *p = t.s;
		while (p < t.e && *p != '(' && *p != ' ')
			p++;
		struct span u = { p, t.e };
		int64_t n;
		if (p > t.s && lit(&u, "() ignores ") && dec(&u, false, &n) &&
		    lit(&u, " regions in node '") && name(&u, '\'', &nm) && lit(&u, "'") &&
		    at_end(&u)) {
			if ((r = region_get(ps, &nm)))
				r->said |= CVO_BOOT_REGS_IGNORED;
			return true;
		}
	}
	static const struct {
		const char *text;
		unsigned said;
	} handler_msgs[] = {
		{ "incorrect alignment of CMA region", CVO_BOOT_CMA_ALIGN },
		{ "regions without no-map are not yet supported", CVO_BOOT_NOMAP_UNSUPPORTED },
		{ "unable to setup CMA region", CVO_BOOT_CMA_SETUP_FAIL },
		{ "Restricted DMA pool must be accessible within the linear mapping.",
		  CVO_BOOT_LINEAR_MAP },
	};
	for (size_t i = 0; i < CVO_ARRAY_LEN(handler_msgs); i++) {
		t = m;
		if (lit(&t, handler_msgs[i].text) && at_end(&t)) {
			ps->pend_said |= handler_msgs[i].said;
			ps->said_now = handler_msgs[i].said;
			return true;
		}
	}
	t = m;
	if ((lit(&t, "Skipping dt linux,cma-default for \"cma=\" kernel param.") ||
	     lit(&t, "Skipping dt linux,cma-default node in favor for \"cma=\" kernel param.")) &&
	    at_end(&t)) {
		ps->log->cma_skip_lines++;
		return true;
	}
	t = m;
	if (lit(&t, "unsupported node format, ignoring") && at_end(&t)) {
		ps->log->rmem_unsupported = true;
		return true;
	}
	t = m;
	if (lit(&t, "not enough space for all defined regions.") && at_end(&t)) {
		ps->log->table_full = true;
		return true;
	}
	return range_line(ps, m);
}

/* mm/cma.c cma_declare_contiguous_nid(): "Reserved %ld MiB at %pa" (6.12: " on node %d") */
static bool cma_line(struct parser *ps, struct span m)
{
	struct cvo_dmesg *log = ps->log;
	if (!lit(&m, "cma: "))
		return false;
	uint64_t mib, base = 0;
	bool placed;
	if (lit(&m, "Reserved ")) {
		if (!(udec(&m, &mib) && lit(&m, " MiB at ") && hex(&m, 0, &base)))
			return false;
		placed = true;
	} else if (lit(&m, "Failed to reserve ")) {
		if (!(udec(&m, &mib) && lit(&m, " MiB")))
			return false;
		placed = false;
	} else {
		return false;
	}
	int64_t node = -1;
	if (lit(&m, " on node ") && (ps->cut || !dec(&m, true, &node)))
		return false;
	if (!at_end(&m) || mib > UINT64_MAX >> 20)
		return false;
	/* per-NUMA and hugetlb areas name their node; the default one is NUMA_NO_NODE */
	if (node != -1)
		return true;
	log->default_cma = placed ? CVO_BOOT_CMA_PLACED : CVO_BOOT_CMA_FAILED;
	log->default_cma_base = base;
	log->default_cma_size = mib << 20;
	log->default_cma_line = ps->line;
	return true;
}

/* Two pages of the largest page size: the most PFN rounding can take out between two pieces. */
#define DMESG_PFN_SLACK (UINT64_C(2) << 16)

/* mm/mm_init.c free_area_init(): "  node %3d: [mem %#018Lx-%#018Lx]" */
static bool bank_line(struct parser *ps, struct span m)
{
	int64_t node;
	uint64_t start, end;
	while (m.s < m.e && *m.s == ' ')
		m.s++;
	if (!lit(&m, "node "))
		return false;
	while (m.s < m.e && *m.s == ' ')
		m.s++;
	if (!(dec(&m, false, &node) && lit(&m, ": [mem ") && hex(&m, 16, &start) && lit(&m, "-") &&
	      hex(&m, 16, &end) && lit(&m, "]") && at_end(&m)) ||
	    end < start)
		return false;
	struct cvo_dmesg *log = ps->log;
	if (log->n_banks) {
		/* memblock splits RAM at every no-map region, and for_each_mem_pfn_range()
		 * prints each piece from PFN_UP(base) to PFN_DOWN(end): pieces less than two
		 * pages (of at most 64 KiB) apart are one bank again */
		struct cvo_range *last = &log->banks[log->n_banks - 1];
		uint64_t last_end = last->base + last->size;
		if (start >= last_end && start - last_end < DMESG_PFN_SLACK) {
			last->size = end - last->base + 1;
			return true;
		}
	}
	if (log->n_banks >= DMESG_MAX_BANKS || end - start == UINT64_MAX)
		return true;
	struct cvo_range *v = realloc(log->banks, (log->n_banks + 1) * sizeof(*v));
	if (!v) {
		ps->err = CVO_ERR_NOMEM;
		return true;
	}
	log->banks = v;
	v[log->n_banks++] = (struct cvo_range){ start, end - start + 1 };
	return true;
}

/*
 * "cma: Not enough slots for CMA reserved regions!" is a region's when rmem_cma_setup()'s
 * "Reserved memory: unable to setup CMA region" follows it (cma_init_reserved_mem() failed);
 * otherwise cma_declare_contiguous_nid() refused the default area, and
 * dma_contiguous_reserve() says nothing more.
 */
static void slots_settle(struct parser *ps, int slots_line)
{
	if (!slots_line || ps->said_now == CVO_BOOT_CMA_SETUP_FAIL)
		return;
	struct cvo_dmesg *log = ps->log;
	log->default_cma = CVO_BOOT_CMA_FAILED;
	log->default_cma_base = 0;
	log->default_cma_size = 0;
	log->default_cma_line = slots_line;
}

static bool parse_one(struct parser *ps, struct span m);

/* One message; whether it is a kernel message carveout knows. */
static bool parse_message(struct parser *ps, struct span m)
{
	int slots_line = ps->slots_line;
	ps->slots_line = 0;
	ps->said_now = 0;
	bool known = parse_one(ps, m);
	slots_settle(ps, slots_line);
	return known;
}

static bool parse_one(struct parser *ps, struct span m)
{
	struct cvo_dmesg *log = ps->log;
	struct span t = m;
	if (lit(&t, "cma: Not enough slots for CMA reserved regions!") && at_end(&t)) {
		ps->slots_line = ps->line;
		return true;
	}
	t = m;
	if (ps->overlap_next) {
		ps->overlap_next = false;
		struct span u = m;
		while (u.s < u.e && (*u.s == ' ' || *u.s == '\t'))
			u.s++;
		if (overlap_pair(ps, u))
			return true;
	}
	if (ps->in_ranges) {
		if (bank_line(ps, m))
			return true;
		ps->in_ranges = false;
	}
	if (lit(&t, "Linux version ")) {
		struct span v;
		if (!name(&t, 0, &v) || !lit(&t, " "))
			return false;
		if (log->n_boots++)
			new_boot(ps);
		log->version = span_dup(ps, &v);
		log->version_line = ps->line;
		struct span k = v;
		int64_t maj, min;
		if (dec(&k, false, &maj) && lit(&k, ".") && dec(&k, false, &min) && maj >= 2 &&
		    maj < 100 && min < 1000) {
			log->kver_major = (int)maj;
			log->kver_minor = (int)min;
		}
		return true;
	}
	t = m;
	if (lit(&t, "Kernel command line: ")) {
		/* free text to the end: a cut line would read as a shorter command line */
		if (ps->cut)
			return false;
		free(log->cmdline);
		log->cmdline = span_dup(ps, &t);
		log->cmdline_line = ps->line;
		log->complete = true;
		return true;
	}
	t = m;
	if (lit(&t, "Early memory node ranges") && at_end(&t)) {
		log->n_banks = 0;
		log->memory_line = ps->line;
		ps->in_ranges = true;
		return true;
	}
	if (lit(&t, "psci: ") || lit(&t, "percpu: ")) {
		/* setup_arch() has made every memory decision when it probes PSCI */
		log->complete = true;
		return true;
	}
	t = m;
	if (lit(&t, "Booting Linux on physical CPU ")) {
		/* arm64 smp_setup_processor_id(): "0x%010lx [0x%08x]"; arm: "0x%x" */
		uint64_t id;
		if (hex(&t, 10, &id) && lit(&t, " [")) {
			log->has_arch = true;
			log->arch = CVO_ARCH_ARM64;
		}
		return true;
	}
	t = m;
	if (lit(&t, "CPU: ARMv") && t.s < t.e && is_digit(*t.s)) {
		/* arch/arm/kernel/setup.c setup_processor() */
		log->has_arch = true;
		log->arch = CVO_ARCH_ARM;
		return true;
	}
	t = m;
	if (lit(&t, "riscv: ") || lit(&t, "SBI specification v")) {
		log->has_arch = true;
		log->arch = CVO_ARCH_RISCV;
		return true;
	}
	t = m;
	if (lit(&t, "OF: fdt: "))
		m = t;
	t = m;
	if (lit(&t, "Machine model: ") || lit(&t, "Zone ranges:"))
		return true;
	if (cma_line(ps, m))
		return true;
	return rmem_line(ps, m);
}

/* ------------------------------------------------------------------ lines */

struct line {
	const char *s, *e;	/* without the line break */
	bool terminated;	/* a line break followed */
};

/* The next physical line from *pos: "\n", "\r\n" and a lone "\r" end a line. */
static bool next_line(const char *buf, size_t len, size_t *pos, struct line *l)
{
	if (*pos >= len)
		return false;
	const char *s = buf + *pos, *end = buf + len, *p = s;
	while (p < end && *p != '\n' && *p != '\r')
		p++;
	l->s = s;
	l->e = p;
	l->terminated = p < end;
	if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
		p++;
	*pos = (size_t)(p - buf) + (p < end ? 1 : 0);
	return true;
}

/* Binary data: NUL and other control bytes (not tab, line breaks, escape for colours,
 * backspace, form feed) in more than one byte of 64 of the first DMESG_SNIFF bytes. */
static bool looks_binary(const unsigned char *b, size_t len)
{
	size_t n = len < DMESG_SNIFF ? len : DMESG_SNIFF, bad = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = b[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x1b && c != '\b' &&
		     c != '\f') || c == 0x7f)
			bad++;
	}
	return n && bad * 64 > n;
}

void cvo_dmesg_free(struct cvo_dmesg *log)
{
	if (!log)
		return;
	for (size_t i = 0; i < log->n_regions; i++) {
		free(log->regions[i].name);
		free(log->regions[i].compatible);
	}
	free(log->regions);
	for (size_t i = 0; i < log->n_overlaps; i++) {
		free(log->overlaps[i].a);
		free(log->overlaps[i].b);
	}
	free(log->overlaps);
	free(log->banks);
	free(log->version);
	free(log->cmdline);
	free(log->name);
	free(log);
}

int cvo_dmesg_parse(const void *buf, size_t len, const char *lname, struct cvo_dmesg **out,
		    struct cvo_error *err)
{
	if (!lname)
		lname = "<log>";
	*out = NULL;
	if (len > CVO_DMESG_MAX_BYTES)
		return cvo_error_set(err, CVO_ERR_INVALID, lname, 0, 0,
				     "not read: larger than %u MiB", CVO_DMESG_MAX_BYTES >> 20);
	if (looks_binary(buf, len))
		return cvo_error_set(err, CVO_ERR_INVALID, lname, 0, 0,
				     "not a kernel boot log (binary data, no kernel line)");
	struct cvo_dmesg *log = calloc(1, sizeof(*log));
	char *join = malloc(DMESG_MAX_JOIN);
	if (!log || !join || !(log->name = cvo_strdup(lname))) {
		free(join);
		cvo_dmesg_free(log);
		return cvo_error_set(err, CVO_ERR_NOMEM, lname, 0, 0, "out of memory");
	}
	struct parser ps = { .log = log };
	const char *text = buf;

	/* Pass 1: is this a log whose lines carry prefixes (timestamps, levels, a journal's)?
	 * Then a line without one continues the line before it (a console wrapped it). */
	size_t pos = 0, n_prefixed = 0, n_text = 0;
	struct line l;
	while (next_line(text, len, &pos, &l)) {
		bool pre;
		if (l.e == l.s)
			continue;
		message(l.s, l.e, &pre);
		n_text++;
		n_prefixed += pre;
	}
	bool prefixed_log = n_text && n_prefixed * 2 >= n_text;

	/* Pass 2 */
	pos = 0;
	struct line cur;
	bool have = next_line(text, len, &pos, &cur);
	int lineno = 0;
	while (have && !ps.err) {
		lineno++;
		log->n_lines++;
		ps.line = lineno;
		bool pre;
		struct span m = message(cur.s, cur.e, &pre);
		struct line nx;
		size_t npos = pos;
		bool have_next = next_line(text, len, &npos, &nx);
		bool terminated = cur.terminated;
		int extra = 0;
		/* join the continuations of a line a console wrapped: lines without a prefix in a
		 * prefixed log, that do not open with '[' (systemd's "[  OK  ]") */
		size_t jl = 0;
		while (prefixed_log && pre && have_next && nx.e > nx.s && *nx.s != '[' &&
		       cur.e - cur.s >= 40) {
			bool npre;
			message(nx.s, nx.e, &npre);
			if (npre)
				break;
			if (!jl) {
				/* the line as the console cut it: a space before the cut stays */
				if ((size_t)(cur.e - m.s) >= DMESG_MAX_JOIN)
					break;
				memcpy(join, m.s, (size_t)(cur.e - m.s));
				jl = (size_t)(cur.e - m.s);
			}
			if (jl + (size_t)(nx.e - nx.s) > DMESG_MAX_JOIN)
				break;
			memcpy(join + jl, nx.s, (size_t)(nx.e - nx.s));
			jl += (size_t)(nx.e - nx.s);
			terminated = nx.terminated;
			extra++;
			pos = npos;
			cur = nx;
			have_next = next_line(text, len, &npos, &nx);
		}
		if (jl) {
			m.s = join;
			m.e = join + jl;
			while (m.e > m.s && (m.e[-1] == ' ' || m.e[-1] == '\t'))
				m.e--;
		}
		/* two console lines run together: the first was cut */
		const char *second = prefixed_log ? embedded_stamp(&m) : NULL;
		if (second) {
			log->n_cut++;
			bool dummy;
			m = message(second, m.e, &dummy);
		}
		ps.cut = !terminated;
		if (m.e > m.s && parse_message(&ps, m))
			log->n_kernel_lines++;
		else if (ps.cut && m.e > m.s)
			log->n_cut++;
		log->n_lines += (size_t)extra;
		lineno += extra;
		have = next_line(text, len, &pos, &cur);
	}
	free(join);
	/* the log's last message */
	ps.said_now = 0;
	slots_settle(&ps, ps.slots_line);
	if (ps.err) {
		cvo_dmesg_free(log);
		return cvo_error_set(err, CVO_ERR_NOMEM, lname, 0, 0, "out of memory");
	}
	if (!log->n_kernel_lines) {
		cvo_dmesg_free(log);
		return cvo_error_set(err, CVO_ERR_INVALID, lname, 0, 0,
				     "not a kernel boot log (no \"Linux version\", \"Kernel command "
				     "line\" or reserved-memory line)");
	}
	*out = log;
	return 0;
}

int cvo_dmesg_load(const char *path, struct cvo_dmesg **out, struct cvo_error *err)
{
	*out = NULL;
	bool std = strcmp(path, "-") == 0;
	const char *shown = std ? "<stdin>" : path;
	int fd = std ? 0 : open(path, O_RDONLY);
	if (fd < 0)
		return cvo_error_set(err, CVO_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	int r = 0;
	while (buf) {
		if (n == cap) {
			if (cap > CVO_DMESG_MAX_BYTES) {
				r = cvo_error_set(err, CVO_ERR_INVALID, shown, 0, 0,
						  "not read: larger than %u MiB",
						  CVO_DMESG_MAX_BYTES >> 20);
				break;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			r = cvo_error_set(err, CVO_ERR_IO, shown, 0, 0, "cannot read: %s",
					  strerror(errno));
			break;
		}
		if (got == 0) {
			r = cvo_dmesg_parse(buf, n, shown, out, err);
			break;
		}
		n += (size_t)got;
	}
	if (!buf)
		r = cvo_error_set(err, CVO_ERR_NOMEM, shown, 0, 0, "out of memory");
	free(buf);
	if (!std)
		close(fd);
	return r;
}

const struct cvo_boot_region *cvo_dmesg_region(const struct cvo_dmesg *log, const char *nm)
{
	for (size_t i = 0; log && i < log->n_regions; i++)
		if (strcmp(log->regions[i].name, nm) == 0)
			return &log->regions[i];
	return NULL;
}

// SPDX-License-Identifier: MIT
/*
 * carveout map --svg: the map as a diagram. Addresses grow upwards on a
 * logarithmic axis; left to right: addresses, one DMA reach band per device,
 * the memory column (a strip naming each RAM bank, then the regions in lanes),
 * and a label column where region and zone labels are pushed apart. The legend
 * (only what was drawn) and the lists go under the map.
 *
 * All text is monospace, so its width is known without the font: DejaVu Sans
 * Mono advances 0.602 em per character, and 0.62 em is counted. The body is
 * drawn into memory first; the canvas is then sized to what was drawn.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "map.h"

#define CHAR_EM	 0.62
#define FS_TITLE 16.0
#define FS_TEXT	 12.0
#define FS_SMALL 11.0

enum {
	MARGIN = 20,
	MAX_W = 1600, /* longer text is cut with an ellipsis */
	MIN_W = 640,
	BAND_STEP = 28, /* a 10 px bar, then its label turned upright */
	STRIP = 18,	/* the bank strip at the left of the memory column */
	MEM_W = 250,
	LINE = 14,
};

/* What the legend can list: one entry per thing drawn, nothing else. */
enum key {
	K_RESERVED,
	K_COHERENT,
	K_CMA,
	K_RESTRICTED,
	K_MEMRESERVE,
	K_PLATFORM,
	K_DEFAULT_CMA,
	K_NOMAP,
	K_FAILED,
	K_OVERLAP,
	K_RAM,
	K_HOLE,
	K_UNKNOWN,
	K_ZONE,
	K_REACH,
	K_NOREACH,
	K_IOMMU,
	K_NOLIMIT,
	K_OK,
	K_BAD,
	K_N
};

static const struct {
	const char *id, *label;
} keys[K_N] = {
    [K_RESERVED] = {"reserved", "reserved"},
    [K_COHERENT] = {"coherent-pool", "coherent-pool"},
    [K_CMA] = {"cma", "cma"},
    [K_RESTRICTED] = {"restricted-pool", "restricted-pool"},
    [K_MEMRESERVE] = {"memreserve", "memreserve"},
    [K_PLATFORM] = {"platform", "platform"},
    [K_DEFAULT_CMA] = {"default-cma", "default CMA area"},
    [K_NOMAP] = {"no-map", "no-map"},
    [K_FAILED] = {"failed", "failed"},
    [K_OVERLAP] = {"overlap", "overlap"},
    [K_RAM] = {"ram", "RAM"},
    [K_HOLE] = {"hole", "no RAM"},
    [K_UNKNOWN] = {"unknown", "RAM not known"},
    [K_ZONE] = {"zone", "zone boundary"},
    [K_REACH] = {"reach", "DMA reach"},
    [K_NOREACH] = {"noreach", "out of reach"},
    [K_IOMMU] = {"iommu", "behind an IOMMU"},
    [K_NOLIMIT] = {"nolimit", "no DMA limit known"},
    [K_OK] = {"ok", "memory-region reachable"},
    [K_BAD] = {"bad", "memory-region NOT reachable"},
};

static enum key kind_key(enum cvo_kind k)
{
	switch (k) {
	case CVO_KIND_RESERVED:
		return K_RESERVED;
	case CVO_KIND_CMA:
		return K_CMA;
	case CVO_KIND_COHERENT_POOL:
		return K_COHERENT;
	case CVO_KIND_RESTRICTED_POOL:
		return K_RESTRICTED;
	case CVO_KIND_MEMRESERVE:
		return K_MEMRESERVE;
	case CVO_KIND_PLATFORM:
		return K_PLATFORM;
	}
	return K_RESERVED;
}

static const char *const kind_fill[] = {
    [K_RESERVED] = "#8d99a6",	[K_COHERENT] = "#1e88e5",   [K_CMA] = "#43a047",
    [K_RESTRICTED] = "#fb8c00", [K_MEMRESERVE] = "#8d6e63", [K_PLATFORM] = "#7e57c2",
};

/* ------------------------------------------------------------------ text */

struct svg {
	FILE *out;
	const struct map_mark *marks; /* what a plan did to regions (map_svg_marked()) */
	size_t n_marks;
	double max_x, max_y; /* what was drawn reaches this far */
	bool used[K_N];
	bool nomem;
};

static void extent(struct svg *g, double x, double y)
{
	if (x > g->max_x)
		g->max_x = x;
	if (y > g->max_y)
		g->max_y = y;
}

/* printf into a string to free with free(); NULL on out of memory. */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!s)
		return NULL;
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

/*
 * Untrusted bytes as XML character data: valid UTF-8 (cmd_esc_utf8()), and the
 * control bytes XML 1.0 forbids written as \xNN, as a terminal shows them.
 * Returns a string to free with free(), NULL on out of memory.
 */
static char *clean(const char *s)
{
	char *u = cmd_esc_utf8(s);
	if (!u)
		return NULL;
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		n += *p < 0x20 || *p == 0x7f ? 4 : 1;
	char *o = malloc(n + 1);
	if (!o) {
		free(u);
		return NULL;
	}
	static const char hex[] = "0123456789abcdef";
	char *q = o;
	for (const unsigned char *p = (const unsigned char *)u; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			*q++ = '\\';
			*q++ = 'x';
			*q++ = hex[*p >> 4];
			*q++ = hex[*p & 15];
		} else {
			*q++ = (char)*p;
		}
	}
	*q = '\0';
	free(u);
	return o;
}

/* Columns of one code point: East Asian wide and fullwidth forms take two. */
static int cp_cols(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
		       (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
		       (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
		       (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) ||
		       (c >= 0x20000 && c <= 0x3fffd)
		   ? 2
		   : 1;
}

/* Decode one code point of valid UTF-8 (clean() output); returns its length. */
static size_t cp_next(const unsigned char *p, uint32_t *c)
{
	if (p[0] < 0x80) {
		*c = p[0];
		return 1;
	}
	size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
	uint32_t v = p[0] & (0x7f >> n);
	for (size_t i = 1; i < n && p[i]; i++)
		v = v << 6 | (p[i] & 0x3f);
	*c = v;
	return n;
}

static double text_w(const char *s, double fs)
{
	size_t cols = 0;
	uint32_t c;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		p += cp_next(p, &c);
		cols += (size_t)cp_cols(c);
	}
	return (double)cols * fs * CHAR_EM;
}

/* Cut s (clean() output, freed here) to max_w with an ellipsis; a string to free. */
static char *fit(char *s, double fs, double max_w)
{
	if (!s || text_w(s, fs) <= max_w)
		return s;
	double room = max_w / (fs * CHAR_EM) - 1; /* the ellipsis takes one column */
	size_t o = 0, cols = 0;
	uint32_t c;
	while (s[o]) {
		size_t n = cp_next((const unsigned char *)s + o, &c);
		if ((double)(cols + (size_t)cp_cols(c)) > room)
			break;
		cols += (size_t)cp_cols(c);
		o += n;
	}
	char *t = malloc(o + 4);
	if (t) {
		memcpy(t, s, o);
		memcpy(t + o, "\xe2\x80\xa6", 4);
	}
	free(s);
	return t;
}

static void xml_put(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

/* Untrusted text as character data (a <title>): escaped, never cut. */
static void put_raw(struct svg *g, const char *raw)
{
	char *s = clean(raw ? raw : "");
	if (!s) {
		g->nomem = true;
		return;
	}
	xml_put(g->out, s);
	free(s);
}

/* A <title> child (the tooltip: the full text, whatever the label had to cut). */
static void put_title(struct svg *g, const char *raw)
{
	fputs("<title>", g->out);
	put_raw(g, raw);
	fputs("</title>", g->out);
}

enum anchor { START, END, MIDDLE };

/* Classes are one letter each, separated by spaces. */
static bool has_class(const char *cls, char c)
{
	for (; *cls; cls++)
		if (*cls == c && (cls[1] == ' ' || !cls[1]))
			return true;
	return false;
}

/*
 * One <text> line at (x, baseline y), cut to max_w; raw is freed. cls names its
 * font size ("s" small, "t" title, neither: 12 px). Returns the width drawn.
 */
static double text(struct svg *g, double x, double y, const char *cls, enum anchor an, double max_w,
		   char *raw)
{
	double fs = has_class(cls, 't') ? FS_TITLE : has_class(cls, 's') ? FS_SMALL : FS_TEXT;
	char *s = raw ? fit(clean(raw), fs, max_w) : NULL;
	free(raw);
	if (!s) {
		g->nomem = true;
		return 0;
	}
	double w = text_w(s, fs);
	double x0 = an == END ? x - w : an == MIDDLE ? x - w / 2 : x;
	fprintf(g->out, "<text x=\"%.1f\" y=\"%.1f\"%s%s%s%s>", x, y, cls[0] ? " class=\"" : "",
		cls, cls[0] ? "\"" : "",
		an == END      ? " text-anchor=\"end\""
		: an == MIDDLE ? " text-anchor=\"middle\""
			       : "");
	xml_put(g->out, s);
	fputs("</text>", g->out);
	free(s);
	extent(g, x0 + w, y + fs * 0.3);
	return w;
}

/* Upright text (read bottom to top) starting at (x, y), at most len long; raw is freed. */
static void vtext(struct svg *g, double x, double y, double len, char *raw)
{
	char *s = raw ? fit(clean(raw), FS_SMALL, len) : NULL;
	free(raw);
	if (!s) {
		g->nomem = true;
		return;
	}
	fprintf(g->out, "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" class=\"s\">", x, y);
	xml_put(g->out, s);
	fputs("</text>", g->out);
	free(s);
	extent(g, x + FS_SMALL * 0.3, y);
}

static void rect(struct svg *g, double x, double y, double w, double h, const char *attrs)
{
	fprintf(g->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" %s/>", x, y, w,
		h, attrs);
	extent(g, x + w, y + h);
}

/* ------------------------------------------------------------------ the axis */

/* Segments between interesting addresses, each as tall as the log of its size,
 * so a 4 KiB carve-out and a 4 GiB bank are both readable. */
struct seg {
	uint64_t base, last;
	double y0, y1; /* y0 > y1: addresses grow upwards */
	bool hole;
};

struct axis {
	struct seg *s;
	size_t n;
	double top, bottom;
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* log2 without libm: the integer part from the top bit, the rest linearly */
static double log2_approx(uint64_t v)
{
	if (!v)
		return 0;
	int top = 63;
	while (!(v >> top))
		top--;
	return top + ((double)v / (double)(UINT64_C(1) << top) - 1.0);
}

static double seg_height(uint64_t size, bool hole)
{
	if (hole)
		return 44;
	double l = log2_approx(size) - 12;
	double h = 12 + 4.5 * (l > 0 ? l : 0);
	return h < 16 ? 16 : h > 100 ? 100 : h;
}

static bool covered(const struct cvo_map *mp, uint64_t base, uint64_t last)
{
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct cvo_map_row *w = &mp->rows[i];
		if (w->what != CVO_MAP_HOLE && w->base <= base && last <= w->last)
			return true;
	}
	return false;
}

static int build_axis(const struct cvo_map *mp, struct axis *ax, double top, double min_h)
{
	ax->top = ax->bottom = top;
	if (!mp->n_rows)
		return 0;
	size_t cap = 2 * mp->n_rows + 8 + 2 * CVO_MAP_MAX_REACH * mp->n_devs;
	uint64_t *b = malloc(cap * sizeof(*b));
	if (!b)
		return -1;
	size_t n = 0;
#define PUT(v)                                                                                     \
	do {                                                                                       \
		if ((v) >= mp->lo && (v) <= mp->hi && n < cap)                                     \
			b[n++] = (v);                                                              \
	} while (0)
	for (size_t i = 0; i < mp->n_rows; i++) {
		PUT(mp->rows[i].base);
		if (mp->rows[i].last != UINT64_MAX)
			PUT(mp->rows[i].last + 1);
	}
	const struct cvo_map_marker *mk = mp->markers;
	size_t n_mk = mp->n_markers;
	for (size_t i = 0; i < n_mk; i++)
		PUT(mk[i].at);
	for (size_t i = 0; i < mp->n_devs; i++)
		for (size_t k = 0; k < mp->devs[i].n_reach; k++) {
			PUT(mp->devs[i].reach[k].base);
			if (mp->devs[i].reach[k].last != UINT64_MAX)
				PUT(mp->devs[i].reach[k].last + 1);
		}
#undef PUT
	qsort(b, n, sizeof(*b), cmp_u64);
	ax->s = calloc(n + 1, sizeof(*ax->s));
	if (!ax->s) {
		free(b);
		return -1;
	}
	ax->n = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && b[i] == b[i - 1])
			continue;
		uint64_t base = b[i], last = mp->hi;
		for (size_t k = i + 1; k < n; k++)
			if (b[k] > base) {
				last = b[k] - 1;
				break;
			}
		ax->s[ax->n++] = (struct seg){base, last, 0, 0, !covered(mp, base, last)};
	}
	free(b);
	/* one stretch of no RAM is one segment, whatever boundary lies inside it */
	size_t o = 0;
	for (size_t i = 0; i < ax->n; i++) {
		if (o && ax->s[i].hole && ax->s[o - 1].hole &&
		    ax->s[o - 1].last + 1 == ax->s[i].base)
			ax->s[o - 1].last = ax->s[i].last;
		else
			ax->s[o++] = ax->s[i];
	}
	ax->n = o;
	double h = 0;
	for (size_t i = 0; i < ax->n; i++)
		h += seg_height(map_span(ax->s[i].base, ax->s[i].last), ax->s[i].hole);
	/* stretched when a band's upright label needs more */
	double f = h < min_h ? min_h / h : 1;
	double y = top + h * f;
	ax->bottom = y;
	for (size_t i = 0; i < ax->n; i++) {
		ax->s[i].y0 = y;
		y -= f * seg_height(map_span(ax->s[i].base, ax->s[i].last), ax->s[i].hole);
		ax->s[i].y1 = y;
	}
	return 0;
}

/* y of an address (the bottom edge of the byte at addr); clamped to the axis. */
static double y_of(const struct axis *ax, uint64_t addr)
{
	if (!ax->n || addr <= ax->s[0].base)
		return ax->bottom;
	for (size_t i = 0; i < ax->n; i++) {
		const struct seg *g = &ax->s[i];
		if (addr >= g->base && addr <= g->last) {
			double f = (double)(addr - g->base) / ((double)(g->last - g->base) + 1.0);
			return g->y0 + (g->y1 - g->y0) * f;
		}
	}
	return ax->top;
}

/* y just above the last byte of a range */
static double y_end(const struct axis *ax, uint64_t last)
{
	return last == UINT64_MAX ? ax->top : y_of(ax, last + 1);
}

/* ------------------------------------------------------------------ the layout */

struct layout {
	struct axis ax;
	double addr_r;	/* address labels end here */
	double band_x;	/* the first reach band */
	double mem_x;	/* the memory column */
	double lanes_x; /* regions start here (right of the bank strip) */
	double label_x; /* the label column */
};

/* A size without the exact byte count cvo_fmt_size() adds to uneven ones. */
static const char *short_size(uint64_t size, char *buf, size_t len)
{
	cvo_fmt_size(size, buf, len);
	char *p = strstr(buf, " (");
	if (p)
		*p = '\0';
	return buf;
}

static void svg_defs(FILE *out)
{
	fputs(
	    "<defs>\n"
	    "<pattern id=\"hole\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
	    "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#ffffff\"/>"
	    "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#d0d0d0\" stroke-width=\"3\"/>"
	    "</pattern>\n"
	    "<pattern id=\"failed\" width=\"7\" height=\"7\" patternUnits=\"userSpaceOnUse\" "
	    "patternTransform=\"rotate(45)\"><rect width=\"7\" height=\"7\" fill=\"#ffebee\"/>"
	    "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"7\" stroke=\"#e53935\" stroke-width=\"2\"/>"
	    "</pattern>\n"
	    "<pattern id=\"nomap\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
	    "patternTransform=\"rotate(-45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
	    "stroke=\"#ffffff\" stroke-opacity=\"0.45\" stroke-width=\"2\"/></pattern>\n"
	    "<pattern id=\"overlap\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
	    "<rect width=\"6\" height=\"6\" fill=\"#ff1744\" fill-opacity=\"0.25\"/>"
	    "<path d=\"M0,0 L6,6 M6,0 L0,6\" stroke=\"#d50000\" stroke-width=\"1.2\"/></pattern>\n"
	    "<pattern id=\"iommu\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
	    "<rect width=\"6\" height=\"6\" fill=\"#b2dfdb\"/><circle cx=\"3\" cy=\"3\" r=\"1.2\" "
	    "fill=\"#00796b\"/></pattern>\n"
	    "</defs>\n",
	    out);
}

/* The swatch of a legend entry at (x, y): 14 x 12 px. */
static void swatch(FILE *out, enum key k, double x, double y)
{
	switch (k) {
	case K_DEFAULT_CMA:
		fprintf(out,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"#a5d6a7\" "
			"stroke=\"#37474f\" stroke-dasharray=\"3,2\"/>",
			x, y);
		break;
	case K_NOMAP:
		fprintf(
		    out,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"#78909c\"/>"
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"url(#nomap)\"/>",
		    x, y, x, y);
		break;
	case K_FAILED:
		fprintf(
		    out,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"url(#failed)\" "
		    "stroke=\"#e53935\" stroke-dasharray=\"3,2\"/>",
		    x, y);
		break;
	case K_OVERLAP:
		fprintf(out,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" "
			"fill=\"url(#overlap)\" stroke=\"#d50000\"/>",
			x, y);
		break;
	case K_RAM:
		fprintf(out,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"#eceff1\" "
			"stroke=\"#90a4ae\"/>",
			x, y);
		break;
	case K_HOLE:
		fprintf(
		    out,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"url(#hole)\" "
		    "stroke=\"#bbbbbb\"/>",
		    x, y);
		break;
	case K_UNKNOWN:
		fprintf(out,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"#ffffff\" "
			"stroke=\"#9e9e9e\" stroke-dasharray=\"3,2\"/>",
			x, y);
		break;
	case K_ZONE:
		fprintf(out,
			"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#8e24aa\" "
			"stroke-width=\"1.5\" stroke-dasharray=\"4,2\"/>",
			x, y + 6, x + 14, y + 6);
		break;
	case K_REACH:
	case K_NOREACH:
	case K_NOLIMIT:
	case K_IOMMU:
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"12\" fill=\"%s\"/>",
			x + 2, y,
			k == K_REACH	 ? "#26a69a"
			: k == K_NOREACH ? "#e0e0e0"
			: k == K_NOLIMIT ? "#80cbc4"
					 : "url(#iommu)");
		break;
	case K_OK:
	case K_BAD:
		fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>", x + 7, y + 6,
			k == K_OK ? "#2e7d32" : "#e53935");
		break;
	default:
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"12\" fill=\"%s\"/>",
			x, y, kind_fill[k]);
	}
}

/* The legend from y down, wrapped at width; returns the y under it. */
static double legend(struct svg *g, double y, double width)
{
	double x = MARGIN;
	bool any = false;
	for (int k = 0; k < K_N; k++) {
		if (!g->used[k])
			continue;
		double w = 18 + text_w(keys[k].label, FS_SMALL) + 16;
		if (any && x + w > width) {
			x = MARGIN;
			y += 18;
		}
		if (!any)
			text(g, MARGIN, y, "b", START, MAX_W, fmt("legend"));
		if (!any)
			y += 18;
		any = true;
		fprintf(g->out, "<g id=\"legend-%s\">", keys[k].id);
		swatch(g->out, (enum key)k, x, y - 10);
		text(g, x + 18, y, "s", START, MAX_W, fmt("%s", keys[k].label));
		fputs("</g>\n", g->out);
		x += w;
	}
	return any ? y + 14 : y;
}

/* ------------------------------------------------------------------ labels */

enum label_kind { LAB_ROW, LAB_ZONE };

struct label {
	double want, y; /* baselines */
	enum label_kind what;
	size_t i; /* row or marker */
	int lines;
};

static int cmp_label(const void *a, const void *b)
{
	const struct label *x = a, *y = b;
	return x->want < y->want ? -1 : x->want > y->want;
}

/* Push labels apart: none overlaps another, the first stays under the axis top,
 * and what does not fit on the axis runs on below it. */
static void spread(struct label *lab, size_t n, double top, double bottom)
{
	qsort(lab, n, sizeof(*lab), cmp_label);
	for (size_t i = 0; i < n; i++) {
		lab[i].y = lab[i].want;
		if (i && lab[i].y < lab[i - 1].y + LINE * lab[i - 1].lines)
			lab[i].y = lab[i - 1].y + LINE * lab[i - 1].lines;
	}
	for (size_t i = n; i-- > 0;) {
		double lim = i + 1 < n ? lab[i + 1].y - LINE * lab[i].lines
				       : bottom - LINE * (lab[i].lines - 1);
		if (lab[i].y > lim)
			lab[i].y = lim;
	}
	for (size_t i = 0; i < n; i++) {
		double min = i ? lab[i - 1].y + LINE * lab[i - 1].lines : top;
		if (lab[i].y < min)
			lab[i].y = min;
	}
}

static void row_label(struct svg *g, const struct cvo_map *mp, const struct layout *L,
		      const struct cvo_map_row *w, double y)
{
	const struct cvo_model *m = mp->m;
	const struct cvo_default_cma *dc = &mp->pl->default_cma;
	const struct cvo_region *r = w->r;
	char sz[48], fl[128];
	double room = MAX_W - MARGIN - L->label_x;
	bool failed = r && cvo_outcome(mp->pl, r)->status != CVO_STATUS_PLACED;
	short_size(map_span(w->base, w->last), sz, sizeof(sz));
	double nw;
	if (!r) {
		nw = text(g, L->label_x, y, "b", START, room, fmt("default CMA area"));
		text(g, L->label_x + nw + 7, y, "s d", START, room - nw - 7,
		     fmt("%s, %s", sz,
			 dc->source == CVO_CMA_SOURCE_CMDLINE ? "cma=" : "Kconfig"));
		return;
	}
	map_flags_str(fl, sizeof(fl), r);
	bool named_by_path = r->kind == CVO_KIND_MEMRESERVE || r->kind == CVO_KIND_PLATFORM;
	nw = text(g, L->label_x, y, failed ? "b f" : "b", START, room,
		  fmt("%s", named_by_path ? r->path : r->name));
	text(g, L->label_x + nw + 7, y, failed ? "s f" : "s d", START, room - nw - 7,
	     fmt("%s, %s%s%s%s%s", cvo_kind_name(r->kind), sz, fl[0] ? ", " : "", fl,
		 dc->region >= 0 && &m->regions[dc->region] == r ? ", default CMA" : "",
		 w->overlaps ? ", overlaps" : ""));
	for (size_t i = 0; i < g->n_marks; i++)
		if (!strcmp(g->marks[i].path, r->path)) {
			text(g, L->label_x + 10, y + LINE, "s m", START, room - 10,
			     fmt("planned: %s", g->marks[i].what));
			return;
		}
	if (failed)
		text(g, L->label_x + 10, y + LINE, "s f", START, room - 10,
		     fmt("%s: %s",
			 cvo_outcome(mp->pl, r)->status == CVO_STATUS_FAILED ? "failed" : "ignored",
			 cvo_region_why_text(mp->pl, r)));
}

/* Where a row is drawn: its lane of the memory column. */
static void row_box(const struct layout *L, const struct cvo_map_row *w, double *x, double *wd)
{
	double lane_w = (MEM_W - STRIP) / (double)w->lanes;
	*x = L->lanes_x + lane_w * w->lane + 3;
	*wd = lane_w - 6;
}

static void draw_labels(struct svg *g, const struct cvo_map *mp, const struct layout *L)
{
	const struct axis *ax = &L->ax;
	const struct cvo_map_marker *mk = mp->markers;
	size_t n_mk = mp->n_markers;
	struct label *lab = calloc(mp->n_rows + n_mk + 1, sizeof(*lab));
	if (!lab) {
		g->nomem = true;
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct cvo_map_row *w = &mp->rows[i];
		if (w->what != CVO_MAP_REGION && w->what != CVO_MAP_CMA)
			continue;
		double mid = (y_of(ax, w->base) + y_end(ax, w->last)) / 2;
		bool two = w->r && cvo_outcome(mp->pl, w->r)->status != CVO_STATUS_PLACED;
		for (size_t k = 0; w->r && k < g->n_marks; k++)
			two |= !strcmp(g->marks[k].path, w->r->path);
		lab[n++] = (struct label){mid + 4, 0, LAB_ROW, i, two ? 2 : 1};
	}
	for (size_t i = 0; i < n_mk; i++) {
		if (mk[i].at < mp->lo || (mk[i].at > mp->hi && mk[i].at - 1 != mp->hi))
			continue;
		lab[n++] = (struct label){y_of(ax, mk[i].at) + 4, 0, LAB_ZONE, i, 1};
	}
	spread(lab, n, ax->top + 10, ax->bottom + 4);
	char a[32];
	for (size_t i = 0; i < n; i++) {
		double want = lab[i].want - 4, y = lab[i].y;
		if (lab[i].what == LAB_ZONE) {
			const struct cvo_map_marker *k = &mk[lab[i].i];
			fprintf(g->out,
				"<line class=\"k-zone\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				"y2=\"%.1f\" stroke=\"#8e24aa\" stroke-width=\"1.5\" "
				"stroke-dasharray=\"8,4\"/>",
				L->addr_r + 2, want, L->label_x - 18, want);
			fprintf(g->out,
				"<polyline points=\"%.1f,%.1f %.1f,%.1f\" fill=\"none\" "
				"stroke=\"#8e24aa\"/>",
				L->label_x - 18, want, L->label_x - 4, y - 4);
			text(g, L->label_x, y, "s z", START, MAX_W - MARGIN - L->label_x,
			     fmt("%s below %s", k->name, map_hex(a, sizeof(a), k->at)));
			fputc('\n', g->out);
			g->used[K_ZONE] = true;
			continue;
		}
		const struct cvo_map_row *w = &mp->rows[lab[i].i];
		double x, wd;
		row_box(L, w, &x, &wd);
		fprintf(g->out,
			"<polyline points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"none\" "
			"stroke=\"#78909c\"/>",
			x + wd - 4, want, L->label_x - 18, y - 4, L->label_x - 4, y - 4);
		fprintf(g->out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.8\" fill=\"#37474f\"/>",
			x + wd - 4, want);
		row_label(g, mp, L, w, y);
		fputc('\n', g->out);
	}
	free(lab);
}

/* ------------------------------------------------------------------ the body */

static void draw_memory(struct svg *g, const struct cvo_map *mp, const struct layout *L)
{
	const struct cvo_model *m = mp->m;
	const struct axis *ax = &L->ax;
	char sz[48], a[48];
	text(g, L->mem_x, ax->top - 8, "s", START, MEM_W, fmt("memory"));
	text(g, L->addr_r, ax->top - 8, "s", END, L->addr_r - MARGIN, fmt("address"));
	fputc('\n', g->out);
	/* no RAM between banks; without any bank, what lies between regions is unknown */
	for (size_t i = 0; i < ax->n; i++) {
		const struct seg *s = &ax->s[i];
		if (!s->hole)
			continue;
		enum key k = m->n_banks ? K_HOLE : K_UNKNOWN;
		g->used[k] = true;
		fprintf(g->out, "<g class=\"k-%s\">", keys[k].id);
		put_title(g, map_range_str(a, sizeof(a), s->base, s->last));
		rect(g, L->mem_x, s->y1, MEM_W, s->y0 - s->y1,
		     k == K_HOLE ? "fill=\"url(#hole)\" stroke=\"#cccccc\""
				 : "fill=\"#ffffff\" stroke=\"#9e9e9e\" stroke-dasharray=\"4,3\"");
		text(g, L->mem_x + MEM_W / 2.0, (s->y0 + s->y1) / 2 + 4, "s", MIDDLE, MEM_W - 8,
		     fmt("%s (%s)", k == K_HOLE ? "no RAM" : "RAM not known",
			 short_size(map_span(s->base, s->last), sz, sizeof(sz))));
		fputs("</g>\n", g->out);
	}
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct cvo_map_row *w = &mp->rows[i];
		if (w->what != CVO_MAP_RAM)
			continue;
		double y0 = y_of(ax, w->base), y1 = y_end(ax, w->last);
		g->used[K_RAM] = true;
		fputs("<g class=\"k-ram\">", g->out);
		put_title(g, map_range_str(a, sizeof(a), w->base, w->last));
		rect(g, L->mem_x, y1, MEM_W, y0 - y1, "fill=\"#eceff1\" stroke=\"#90a4ae\"");
		rect(g, L->mem_x, y1, STRIP, y0 - y1, "fill=\"#cfd8dc\" stroke=\"#90a4ae\"");
		/* the bank's name in its strip, where no region is drawn */
		vtext(g, L->mem_x + STRIP / 2.0 + 4, y0 - 4, y0 - y1 - 8,
		      fmt("RAM %s", short_size(map_span(w->base, w->last), sz, sizeof(sz))));
		fputs("</g>\n", g->out);
	}
	/* regions, in lanes */
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct cvo_map_row *w = &mp->rows[i];
		if (w->what != CVO_MAP_REGION && w->what != CVO_MAP_CMA)
			continue;
		const struct cvo_region *r = w->r;
		double y0 = y_of(ax, w->base), y1 = y_end(ax, w->last), x, wd;
		if (y0 - y1 < 2)
			y1 = y0 - 2;
		row_box(L, w, &x, &wd);
		bool failed = r && cvo_outcome(mp->pl, r)->status != CVO_STATUS_PLACED;
		enum key k = failed ? K_FAILED : r ? kind_key(r->kind) : K_DEFAULT_CMA;
		g->used[k] = true;
		fprintf(g->out, "<g class=\"k-%s\">", keys[k].id);
		char *t =
		    r ? fmt("%s: %s %s, %s%s%s", r->path, cvo_kind_name(r->kind),
			    map_range_str(a, sizeof(a), w->base, w->last),
			    cvo_fmt_size(map_span(w->base, w->last), sz, sizeof(sz)),
			    failed ? ", failed: " : "",
			    failed ? cvo_region_why_text(mp->pl, r) : "")
		      : fmt("default CMA area %s", map_range_str(a, sizeof(a), w->base, w->last));
		put_title(g, t ? t : "");
		free(t);
		char attrs[160];
		snprintf(attrs, sizeof(attrs), "fill=\"%s\" stroke=\"%s\"%s",
			 failed ? "url(#failed)"
			 : r	? kind_fill[k]
				: "#a5d6a7",
			 failed ? "#e53935" : "#37474f",
			 failed ? " stroke-dasharray=\"4,2\" stroke-width=\"1.5\""
			 : !r	? " stroke-dasharray=\"5,3\""
				: "");
		rect(g, x, y1, wd, y0 - y1, attrs);
		if (r && r->no_map && !failed) {
			g->used[K_NOMAP] = true;
			fprintf(g->out,
				"<rect class=\"k-no-map\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				"height=\"%.1f\" fill=\"url(#nomap)\"/>",
				x, y1, wd, y0 - y1);
		}
		fputs("</g>\n", g->out);
	}
	/* overlaps, over both boxes: what two regions share */
	for (size_t i = 0; i < mp->n_rows; i++) {
		const struct cvo_map_row *w = &mp->rows[i];
		if (!w->overlaps || (w->what != CVO_MAP_REGION && w->what != CVO_MAP_CMA))
			continue;
		for (size_t k = i + 1; k < mp->n_rows && mp->rows[k].base <= w->last; k++) {
			const struct cvo_map_row *v = &mp->rows[k];
			if (v->what != CVO_MAP_REGION && v->what != CVO_MAP_CMA)
				continue;
			uint64_t lo = v->base, hi = v->last < w->last ? v->last : w->last;
			double y0 = y_of(ax, lo), y1 = y_end(ax, hi), x1, w1, x2, w2;
			if (y0 - y1 < 2)
				y1 = y0 - 2;
			row_box(L, w, &x1, &w1);
			row_box(L, v, &x2, &w2);
			double xl = x1 < x2 ? x1 : x2, xr = x1 + w1 > x2 + w2 ? x1 + w1 : x2 + w2;
			g->used[K_OVERLAP] = true;
			fputs("<g class=\"k-overlap\">", g->out);
			char *t =
			    fmt("%s and %s overlap: %s", w->r ? w->r->path : "default CMA area",
				v->r ? v->r->path : "default CMA area",
				map_range_str(a, sizeof(a), lo, hi));
			put_title(g, t ? t : "");
			free(t);
			rect(g, xl, y1, xr - xl, y0 - y1,
			     "fill=\"url(#overlap)\" stroke=\"#d50000\" stroke-width=\"1.5\"");
			fputs("</g>\n", g->out);
		}
	}
	/* addresses at segment edges, skipping any that would collide */
	double last_y = 1e9;
	for (size_t i = 0; i <= ax->n; i++) {
		uint64_t addr;
		double y;
		if (i < ax->n) {
			addr = ax->s[i].base;
			y = ax->s[i].y0;
		} else {
			if (!ax->n || ax->s[ax->n - 1].last == UINT64_MAX)
				break;
			addr = ax->s[ax->n - 1].last + 1;
			y = ax->top;
		}
		fprintf(g->out,
			"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#cfd8dc\"/>",
			L->addr_r + 2, y, L->mem_x, y);
		if (last_y - y >= 11 || !i)
			text(g, L->addr_r, y + 4, "s", END, L->addr_r - MARGIN,
			     fmt("%s", map_hex(a, sizeof(a), addr)));
		if (last_y - y >= 11 || !i)
			last_y = y;
		fputc('\n', g->out);
	}
}

/* A band's label: the device and its limit (the reach's end), to free with free(). */
static char *band_text(const struct cvo_map_device *d)
{
	char a[32];
	if (d->di.iommu)
		return fmt("%s: behind an IOMMU", d->path);
	if (d->all)
		return fmt("%s: no DMA limit known", d->path);
	if (!d->n_reach)
		return fmt("%s: reaches no memory", d->path);
	uint64_t last = d->reach[d->n_reach - 1].last;
	return fmt("%s: reaches %s%s (%s%s%s)", d->path,
		   last == UINT64_MAX ? "everything" : "below ",
		   last == UINT64_MAX ? "" : map_hex(a, sizeof(a), last + 1),
		   d->di.has_map ? "dma-ranges" : "", d->di.has_map && d->di.dma_bits ? ", " : "",
		   d->di.dma_bits ? "dma-bits" : "");
}

static void draw_bands(struct svg *g, const struct cvo_map *mp, const struct layout *L)
{
	const struct cvo_model *m = mp->m;
	const struct axis *ax = &L->ax;
	for (size_t i = 0; i < mp->n_devs; i++) {
		const struct cvo_map_device *d = &mp->devs[i];
		double x = L->band_x + (double)i * BAND_STEP, h = ax->bottom - ax->top;
		char *t = band_text(d);
		enum key k = d->di.iommu ? K_IOMMU : d->all ? K_NOLIMIT : K_REACH;
		g->used[k] = true;
		fprintf(g->out, "<g class=\"k-%s\">", keys[k].id);
		put_title(g, t ? t : "");
		if (k != K_REACH) {
			rect(g, x, ax->top, 10, h,
			     k == K_IOMMU ? "fill=\"url(#iommu)\"" : "fill=\"#80cbc4\"");
		} else {
			bool all = false;
			for (size_t r = 0; r < d->n_reach; r++)
				all |= d->reach[r].base <= mp->lo && d->reach[r].last >= mp->hi;
			/* grey where it does not reach */
			if (!all) {
				g->used[K_NOREACH] = true;
				rect(g, x, ax->top, 10, h, "class=\"k-noreach\" fill=\"#e0e0e0\"");
			}
			for (size_t r = 0; r < d->n_reach; r++) {
				uint64_t lo = d->reach[r].base < mp->lo ? mp->lo : d->reach[r].base;
				uint64_t hi = d->reach[r].last > mp->hi ? mp->hi : d->reach[r].last;
				if (lo > hi)
					continue;
				double y0 = y_of(ax, lo), y1 = y_end(ax, hi);
				rect(g, x, y1, 10, y0 - y1, "fill=\"#26a69a\"");
				/* the limit: a tick across the bar */
				if (hi != mp->hi)
					fprintf(
					    g->out,
					    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
					    "y2=\"%.1f\" stroke=\"#004d40\" stroke-width=\"2\"/>",
					    x - 2, y1, x + 12, y1);
			}
		}
		/* its memory-regions: a dot, green when reachable, red when not */
		for (size_t r = 0; d->c && r < d->c->n; r++) {
			int ti = d->c->targets[r];
			if (ti < 0)
				continue;
			const struct cvo_region *rg = &m->regions[ti];
			uint64_t base, size;
			if (!cvo_region_placed(mp->pl, rg, &base, &size))
				continue;
			bool ok = d->di.iommu || cvo_dma_reachable(&d->di, base, size);
			double y = (y_of(ax, base) + y_end(ax, cvo_range_last(base, size))) / 2;
			g->used[ok ? K_OK : K_BAD] = true;
			fprintf(g->out,
				"<circle class=\"k-%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" "
				"fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1.5\">",
				ok ? "ok" : "bad", x + 5, y, ok ? "#2e7d32" : "#e53935");
			char *c = fmt("%s -> %s: %s", d->path, rg->path,
				      ok ? "reachable" : "NOT reachable");
			put_title(g, c ? c : "");
			free(c);
			fputs("</circle>", g->out);
		}
		/* the device and its limit, upright beside the bar */
		vtext(g, x + 22, ax->bottom - 2, h - 4, t);
		fputs("</g>\n", g->out);
	}
}

static double draw_lists(struct svg *g, const struct cvo_map *mp, double y)
{
	const struct cvo_model *m = mp->m;
	char sz[48], a[48], fl[128];
	double room = MAX_W - 2 * MARGIN - 10;
	bool header = false;
	for (size_t i = 0; i < m->n_regions; i++) {
		const struct cvo_region *r = &m->regions[i];
		if (cvo_map_region_shown(mp->pl, r))
			continue;
		if (!header) {
			y += 10;
			text(g, MARGIN, y, "b f", START, room, fmt("not placed"));
			fputc('\n', g->out);
			y += 18;
			header = true;
		}
		map_flags_str(fl, sizeof(fl), r);
		bool sized = !r->is_static && r->has_size && r->size_len_ok;
		text(g, MARGIN + 10, y,
		     cvo_outcome(mp->pl, r)->status == CVO_STATUS_DISABLED ? "s" : "s f", START,
		     room,
		     fmt("%s (%s%s%s%s%s): %s%s%s", r->path, cvo_kind_name(r->kind),
			 fl[0] ? ", " : "", fl, sized ? ", " : "",
			 sized ? cvo_fmt_size(r->size, sz, sizeof(sz)) : "",
			 cvo_status_name(cvo_outcome(mp->pl, r)->status),
			 cvo_outcome(mp->pl, r)->why != CVO_WHY_NONE ? ": " : "",
			 cvo_region_why_text(mp->pl, r)));
		fputc('\n', g->out);
		y += LINE;
	}
	if (mp->n_devs) {
		y += 10;
		text(g, MARGIN, y, "b", START, room, fmt("devices"));
		fputc('\n', g->out);
		y += 18;
	}
	for (size_t i = 0; i < mp->n_devs; i++) {
		const struct cvo_map_device *d = &mp->devs[i];
		char *t;
		if (d->di.iommu)
			t = fmt("%s: behind an IOMMU", d->path);
		else if (d->all)
			t = fmt("%s: no DMA limit known", d->path);
		else if (d->n_reach)
			t = fmt("%s: reaches %s%s", d->path,
				map_range_str(a, sizeof(a), d->reach[0].base, d->reach[0].last),
				d->n_reach > 1 ? " and more" : "");
		else
			t = fmt("%s: reaches no memory", d->path);
		text(g, MARGIN + 10, y, "s", START, room, t);
		fputc('\n', g->out);
		y += LINE;
	}
	return y;
}

/* The header: title and two lines of facts, cut to the canvas width. */
static void draw_head(struct svg *g, const char *file, const struct cvo_map *mp, double width)
{
	const struct cvo_model *m = mp->m;
	const struct cvo_platform *p = mp->p;
	const struct cvo_default_cma *dc = &mp->pl->default_cma;
	char a[48], sz[48], ps[48];
	double room = width - 2 * MARGIN;
	text(g, MARGIN, 30, "t", START, room, fmt("carveout map: %s", file));
	fputc('\n', g->out);
	uint64_t total = 0;
	for (size_t i = 0; i < m->n_banks; i++)
		total += m->banks[i].size;
	char *plat =
	    p ? fmt("platform %s: %s, %s pages, Linux %d.%d; ", p->name, cvo_arch_name(p->arch),
		    cvo_fmt_size(p->page_size, ps, sizeof(ps)), p->kver_major, p->kver_minor)
	      : fmt("%s", "");
	char *ram = m->n_banks
			? fmt("RAM %s in %zu bank%s", cvo_fmt_size(total, sz, sizeof(sz)),
			      m->n_banks, m->n_banks == 1 ? "" : "s")
			: fmt("RAM not known (no usable /memory: the bootloader fills it in)");
	text(g, MARGIN, 50, "", START, room, plat && ram ? fmt("%s%s", plat, ram) : NULL);
	free(plat);
	free(ram);
	fputc('\n', g->out);
	char *cma, why[CVO_WHY_TEXT_MAX];
	cvo_default_cma_why_text(dc, why, sizeof(why));
	if (!dc->present)
		cma = fmt("default CMA: none");
	else if (!dc->placed)
		cma = fmt("default CMA: %s not placed: %s", cvo_fmt_size(dc->size, sz, sizeof(sz)),
			  why);
	else
		cma =
		    fmt("default CMA: %s at %s (%s)", cvo_fmt_size(dc->size, sz, sizeof(sz)),
			map_hex(a, sizeof(a), dc->base),
			dc->region >= 0				? m->regions[dc->region].path
			: dc->source == CVO_CMA_SOURCE_CMDLINE ? "cma= on the command line"
								: "Kconfig");
	text(g, MARGIN, 68, "", START, room, cma);
	fputc('\n', g->out);
}

/* The widest the header would be uncut. */
static double head_width(const char *file)
{
	char *t = fmt("carveout map: %s", file);
	char *c = t ? clean(t) : NULL;
	double w = c ? text_w(c, FS_TITLE) : 0;
	free(t);
	free(c);
	return w + 2 * MARGIN;
}

int map_svg(FILE *out, const char *file, const struct cvo_map *mp)
{
	return map_svg_marked(out, file, mp, NULL, 0);
}

int map_svg_marked(FILE *out, const char *file, const struct cvo_map *mp,
		   const struct map_mark *marks, size_t n_marks)
{
	struct layout L = {0};
	char *body = NULL;
	size_t body_len = 0;
	struct svg g = {0};
	g.marks = marks;
	g.n_marks = n_marks;
	g.out = open_memstream(&body, &body_len);
	if (!g.out)
		return CVO_ERR_NOMEM;

	double top = 118, min_h = 0;
	for (size_t i = 0; i < mp->n_devs; i++) {
		char *t = band_text(&mp->devs[i]);
		char *c = t ? clean(t) : NULL;
		double w = c ? text_w(c, FS_SMALL) + 8 : 0;
		min_h = w > min_h ? w : min_h;
		free(t);
		free(c);
	}
	if (min_h > MAX_W / 2)
		min_h = MAX_W / 2; /* longer ones are cut */
	if (build_axis(mp, &L.ax, top, min_h)) {
		fclose(g.out);
		free(body);
		return CVO_ERR_NOMEM;
	}
	char a[32];
	size_t addr_cols = strlen("address");
	size_t hw = strlen(map_hex(a, sizeof(a), mp->hi));
	if (hw > addr_cols)
		addr_cols = hw;
	L.addr_r = MARGIN + (double)addr_cols * FS_SMALL * CHAR_EM;
	L.band_x = L.addr_r + 14;
	L.mem_x = L.band_x + (double)mp->n_devs * BAND_STEP + (mp->n_devs ? 8 : 0);
	L.lanes_x = L.mem_x + STRIP;
	L.label_x = L.mem_x + MEM_W + 40;

	double y = L.ax.bottom;
	if (!L.ax.n) {
		text(&g, L.mem_x, top + 20, "s", START, MAX_W,
		     fmt("nothing to draw: no RAM and no region with an address"));
		fputc('\n', g.out);
		y = top + 30;
	} else {
		draw_memory(&g, mp, &L);
		draw_bands(&g, mp, &L);
		draw_labels(&g, mp, &L);
	}
	if (g.max_y > y)
		y = g.max_y;
	double wrap = g.max_x > MIN_W - MARGIN ? g.max_x : MIN_W - MARGIN;
	y = legend(&g, y + 30, wrap);
	y = draw_lists(&g, mp, y + 6);
	fflush(g.out);

	double width = g.max_x + MARGIN, hw_want = head_width(file);
	if (width < MIN_W)
		width = MIN_W;
	if (hw_want > width)
		width = hw_want < MAX_W ? hw_want : MAX_W;
	double height = (g.max_y > y ? g.max_y : y) + MARGIN;

	fprintf(out,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, "
		"monospace\">\n",
		width, height, width, height);
	fputs("<style>text{font-size:12px;fill:#222}.t{font-size:16px;font-weight:bold}"
	      ".s{font-size:11px}.b{font-weight:bold}.d{fill:#546e7a}.f{fill:#c62828}"
	      ".z{fill:#6a1b9a;font-style:italic}",
	      out);
	/* a plan's marks (map_svg_marked()) */
	if (n_marks)
		fputs(".m{fill:#2e7d32;font-weight:bold}", out);
	fputs("</style>\n", out);
	svg_defs(out);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", out);
	struct svg h = {.out = out};
	draw_head(&h, file, mp, width);
	fclose(g.out);
	if (body)
		fwrite(body, 1, body_len, out);
	fputs("</svg>\n", out);
	free(body);
	free(L.ax.s);
	return g.nomem || h.nomem ? CVO_ERR_NOMEM : 0;
}

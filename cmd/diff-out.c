// SPDX-License-Identifier: MIT
/*
 * carveout diff's renderers: the words for the library's codes live here, and
 * every byte of a node name is escaped for where it goes (terminal, JSON,
 * markdown).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "escape.h"
#include "output.h"

/* Rows of the markdown table per pair: a comment stays short; the rest is counted. */
#define MD_MAX_ROWS 40

/* ------------------------------------------------------------------ words */

static char *dup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *dup_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = n < 0 ? NULL : malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

static const char *addr(uint64_t v, char *buf, size_t len)
{
	snprintf(buf, len, "0x%08" PRIx64, v);
	return buf;
}

/* The highest address a reach end (exclusive) lets through. */
static const char *limit_words(uint64_t end, char *buf, size_t len)
{
	if (end == UINT64_MAX)
		snprintf(buf, len, "unlimited");
	else if (end == 0)
		snprintf(buf, len, "nothing");
	else
		snprintf(buf, len, "up to 0x%08" PRIx64, end - 1);
	return buf;
}

static const char *reach_words(enum cvo_reach r)
{
	switch (r) {
	case CVO_REACH_FULL: return "reachable";
	case CVO_REACH_PARTIAL: return "partly reachable";
	case CVO_REACH_NONE: return "unreachable";
	case CVO_REACH_IOMMU: return "behind an IOMMU";
	case CVO_REACH_NO_POOL: return "no pool in memory";
	}
	return "?";
}

/* "reserved, static, 0x90000000, 4 MiB, placed" */
static void side_words(char *buf, size_t len, const struct cvo_diff_side *s, bool is_cma)
{
	char a[24] = "", z[32] = "";
	size_t o = 0;
	if (!is_cma)
		o += (size_t)snprintf(buf + o, len - o, "%s, %s", cvo_kind_name(s->kind),
				      s->is_static ? "static" : "dynamic");
	if (s->has_base && o < len)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "",
				      addr(s->base, a, sizeof(a)));
	if (s->has_size && o < len)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "",
				      cvo_fmt_size(s->size, z, sizeof(z)));
	if (!is_cma && o < len)
		snprintf(buf + o, len - o, ", %s", cvo_status_name(s->status));
}

/* Why it moved, in words; NULL when there is nothing to say. Free with free(). */
static char *cause_words(const struct cvo_diff_change *c)
{
	const char *dir = c->new.base < c->old.base ? "below" : "above";
	const char *what = c->cause_static ? "static region" : "region";
	switch (c->cause) {
	case CVO_CAUSE_NONE: return NULL;
	case CVO_CAUSE_REG: return strdup("reg changed");
	case CVO_CAUSE_SIZE: return strdup("size changed");
	case CVO_CAUSE_ALIGNMENT: return strdup("alignment changed");
	case CVO_CAUSE_ALLOC_RANGES: return strdup("alloc-ranges changed");
	case CVO_CAUSE_MEMORY: return strdup("the memory banks changed");
	case CVO_CAUSE_INITRD: return strdup("the initrd changed");
	case CVO_CAUSE_DMA_LIMIT: return strdup("its DMA limit changed (ZONE_DMA)");
	case CVO_CAUSE_NEW_REGION:
		return dup_printf("allocated %s the new %s %s", dir, what, c->cause_path);
	case CVO_CAUSE_REGION_MOVED:
		return dup_printf("allocated %s %s, which moved into its place", dir,
				    c->cause_path);
	case CVO_CAUSE_FREED:
		return dup_printf("moved into the space %s left", c->cause_path);
	case CVO_CAUSE_OTHERS: return strdup("moved with the other placements");
	}
	return NULL;
}

/* The subject of a change: a node path, "default-cma", or "DEVICE -> POOL" for reach. */
static char *subject(const struct cvo_diff_change *c)
{
	if (!c->path)
		return strdup("default-cma");
	if (c->kind == CVO_DIFF_REACH)
		return dup_printf("%s -> %s", c->path, c->target ? c->target : "default-cma");
	if (c->finding && c->finding->property)
		return dup_printf("%s:%s", c->path, c->finding->property);
	return strdup(c->path);
}

/* The change's old and new values in words (either may be ""), and a note. */
struct words {
	char old[160], new[160];
	char *note; /* free with free() */
};

static void change_words(const struct cvo_diff_change *c, struct words *w)
{
	char a[24], z[32];
	bool cma = !c->path && c->kind >= CVO_DIFF_CMA_APPEARED && c->kind <= CVO_DIFF_CMA_RESIZED;
	w->old[0] = w->new[0] = '\0';
	w->note = NULL;
	switch (c->kind) {
	case CVO_DIFF_ADDED:
	case CVO_DIFF_CMA_APPEARED:
		side_words(w->new, sizeof(w->new), &c->new, cma);
		if (c->new.reason)
			w->note = strdup(c->new.reason);
		break;
	case CVO_DIFF_REMOVED:
	case CVO_DIFF_CMA_VANISHED:
		side_words(w->old, sizeof(w->old), &c->old, cma);
		if (c->kind == CVO_DIFF_CMA_VANISHED)
			snprintf(w->new, sizeof(w->new), "%s",
				 c->new.present ? "not placed" : "none");
		if (c->new.reason)
			w->note = strdup(c->new.reason);
		break;
	case CVO_DIFF_MOVED:
	case CVO_DIFF_CMA_MOVED:
		snprintf(w->old, sizeof(w->old), "%s", addr(c->old.base, a, sizeof(a)));
		snprintf(w->new, sizeof(w->new), "%s", addr(c->new.base, a, sizeof(a)));
		w->note = cause_words(c);
		break;
	case CVO_DIFF_RESIZED:
	case CVO_DIFF_CMA_RESIZED:
		snprintf(w->old, sizeof(w->old), "%s", cvo_fmt_size(c->old.size, z, sizeof(z)));
		snprintf(w->new, sizeof(w->new), "%s", cvo_fmt_size(c->new.size, z, sizeof(z)));
		break;
	case CVO_DIFF_STATUS:
		snprintf(w->old, sizeof(w->old), "%s", cvo_status_name(c->old.status));
		snprintf(w->new, sizeof(w->new), "%s", cvo_status_name(c->new.status));
		if (c->new.reason)
			w->note = strdup(c->new.reason);
		break;
	case CVO_DIFF_KIND:
		snprintf(w->old, sizeof(w->old), "%s", cvo_kind_name(c->old.kind));
		snprintf(w->new, sizeof(w->new), "%s", cvo_kind_name(c->new.kind));
		break;
	case CVO_DIFF_DMA_LIMIT:
		limit_words(c->old_limit, w->old, sizeof(w->old));
		limit_words(c->new_limit, w->new, sizeof(w->new));
		break;
	case CVO_DIFF_REACH:
		snprintf(w->old, sizeof(w->old), "%s", reach_words(c->old_reach));
		snprintf(w->new, sizeof(w->new), "%s", reach_words(c->new_reach));
		break;
	case CVO_DIFF_FINDING_NEW:
	case CVO_DIFF_FINDING_FIXED:
		break;
	}
	if (c->old_path) {
		char *n = w->note ? dup_printf("%s; was %s", w->note, c->old_path)
				  : dup_printf("was %s", c->old_path);
		free(w->note);
		w->note = n;
	}
}

/* ------------------------------------------------------------------ text */

static void platform_line(FILE *out, const struct diff_pair *p)
{
	cmd_fputs_esc(p->name, out);
	fputs(": platform ", out);
	cmd_fputs_esc(p->platform, out);
	if (p->platform_auto) {
		fputs(" (-p auto: the platform ", out);
		cmd_fputs_esc(p->new_name, out);
		fputs(" matches)\n", out);
	} else {
		fputs(" (-p)\n", out);
	}
}

void diff_out_text(FILE *out, const struct diff_pair *p, bool header)
{
	if (header)
		platform_line(out, p);
	const struct cvo_diff *d = p->diff;
	for (size_t i = 0; i < d->n; i++) {
		const struct cvo_diff_change *c = &d->changes[i];
		char *subj = subject(c);
		cmd_fputs_esc(p->name, out);
		fprintf(out, ": %s ", cvo_diff_kind_name(c->kind));
		if (c->finding) {
			fprintf(out, "%s (%s): ", cvo_severity_name(c->finding->severity),
				c->finding->check);
			cmd_fputs_esc(subj, out);
			fputs(": ", out);
			cmd_fputs_esc(c->finding->message, out);
			fputc('\n', out);
			free(subj);
			continue;
		}
		struct words w;
		change_words(c, &w);
		cmd_fputs_esc(subj, out);
		fputs(": ", out);
		if (w.old[0] && w.new[0])
			fprintf(out, "%s -> %s", w.old, w.new);
		else if (w.new[0])
			fputs(w.new, out);
		else
			fprintf(out, "was %s", w.old);
		if (w.note) {
			fputs(" (", out);
			cmd_fputs_esc(w.note, out);
			fputc(')', out);
		}
		fputc('\n', out);
		free(w.note);
		free(subj);
	}
	if (header && !d->n) {
		cmd_fputs_esc(p->name, out);
		fputs(": no change\n", out);
	}
}

/* ------------------------------------------------------------------ JSON */

static json_t *side_json(const struct cvo_diff_side *s, bool is_cma)
{
	json_t *o = json_object();
	if (!is_cma) {
		json_object_set_new(o, "kind", json_string(cvo_kind_name(s->kind)));
		json_object_set_new(o, "static", json_boolean(s->is_static));
		json_object_set_new(o, "status", json_string(cvo_status_name(s->status)));
	}
	if (s->has_base)
		json_object_set_new(o, "base", out_hex(s->base));
	if (s->has_size)
		json_object_set_new(o, "size", out_hex(s->size));
	if (s->reason)
		json_object_set_new(o, "reason", out_jstr(s->reason));
	return o;
}


static json_t *limit_json(uint64_t end)
{
	return end == UINT64_MAX ? json_null() : out_hex(end);
}

static json_t *change_json(const struct cvo_diff_change *c)
{
	json_t *o = json_object();
	bool cma = !c->path;
	json_object_set_new(o, "change", json_string(cvo_diff_kind_name(c->kind)));
	if (c->path)
		json_object_set_new(o, "path", out_jstr(c->path));
	if (c->old_path)
		json_object_set_new(o, "old-path", out_jstr(c->old_path));
	switch (c->kind) {
	case CVO_DIFF_DMA_LIMIT:
		json_object_set_new(o, "old", limit_json(c->old_limit));
		json_object_set_new(o, "new", limit_json(c->new_limit));
		break;
	case CVO_DIFF_REACH:
		if (c->target)
			json_object_set_new(o, "target", out_jstr(c->target));
		json_object_set_new(o, "old", json_string(cvo_reach_name(c->old_reach)));
		json_object_set_new(o, "new", json_string(cvo_reach_name(c->new_reach)));
		break;
	default:
		if (c->old.present)
			json_object_set_new(o, "old", side_json(&c->old, cma));
		if (c->new.present)
			json_object_set_new(o, "new", side_json(&c->new, cma));
		break;
	}
	if (c->cause != CVO_CAUSE_NONE) {
		json_t *k = json_object();
		json_object_set_new(k, "code", json_string(cvo_diff_cause_name(c->cause)));
		if (c->cause_path)
			json_object_set_new(k, "path", out_jstr(c->cause_path));
		char *t = cause_words(c);
		json_object_set_new(k, "text", out_jstr(t));
		free(t);
		json_object_set_new(o, "cause", k);
	}
	return o;
}

json_t *diff_out_json(const struct diff_pair *p)
{
	const struct cvo_diff *d = p->diff;
	json_t *o = json_object();
	json_object_set_new(o, "old", out_jstr(p->old_name));
	json_object_set_new(o, "new", out_jstr(p->new_name));
	json_object_set_new(o, "platform", out_jstr(p->platform));
	json_object_set_new(o, "platform-from", json_string(p->platform_auto ? "new" : "option"));
	json_t *changes = json_array(), *nf = json_array(), *ff = json_array();
	for (size_t i = 0; i < d->n; i++) {
		const struct cvo_diff_change *c = &d->changes[i];
		if (c->kind == CVO_DIFF_FINDING_NEW)
			json_array_append_new(nf, out_json_finding(c->finding));
		else if (c->kind == CVO_DIFF_FINDING_FIXED)
			json_array_append_new(ff, out_json_finding(c->finding));
		else
			json_array_append_new(changes, change_json(c));
	}
	json_object_set_new(o, "changes", changes);
	json_t *f = json_object();
	json_object_set_new(f, "new", nf);
	json_object_set_new(f, "fixed", ff);
	json_object_set_new(o, "findings", f);
	return o;
}

/* ------------------------------------------------------------------ markdown */

char *diff_md_esc(const char *s)
{
	char *t = cmd_esc_text(s);
	if (!t)
		return NULL;
	/* CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that
	 * mean something inside a line (GitHub: code, emphasis, links, HTML, table cells,
	 * strikethrough, entities, math). Nothing escaped starts a line: newlines are \x0a. */
	static const char special[] = "\\`*_[]<|~&$";
	size_t n = 0;
	for (const char *q = t; *q; q++)
		n += strchr(special, *q) ? 2 : 1;
	char *out = malloc(n + 1);
	if (out) {
		char *o = out;
		for (const char *q = t; *q; q++) {
			if (strchr(special, *q))
				*o++ = '\\';
			*o++ = *q;
		}
		*o = '\0';
	}
	free(t);
	return out;
}

static void md_puts(const char *s, FILE *out)
{
	char *e = diff_md_esc(s);
	if (e)
		fputs(e, out);
	free(e);
}

static void md_heading(FILE *out, int level)
{
	for (int i = 0; i < level; i++)
		fputc('#', out);
	fputc(' ', out);
}

static void md_counts(FILE *out, const size_t n[4])
{
	static const char *const word[4] = {"", "note", "warning", "error"};
	bool first = true;
	for (int s = CVO_SEV_ERROR; s >= CVO_SEV_NOTE; s--) {
		if (!n[s])
			continue;
		fprintf(out, "%s%zu %s%s", first ? "" : ", ", n[s], word[s], n[s] == 1 ? "" : "s");
		first = false;
	}
}

void diff_out_markdown(FILE *out, const struct diff_pair *p, int level)
{
	const struct cvo_diff *d = p->diff;
	md_heading(out, level);
	/* below a document heading (folder mode) the file name is the heading */
	if (level <= 3)
		fputs("carveout diff: ", out);
	md_puts(p->name, out);
	fputs("\n\n", out);
	md_puts(p->old_name, out);
	fputs(" → ", out);
	md_puts(p->new_name, out);
	fputs(", both placed with platform **", out);
	md_puts(p->platform, out);
	fputs(p->platform_auto ? "** (the platform the new tree matches).\n\n" : "** (-p).\n\n",
	      out);
	size_t rows = 0, nnew = 0, nfixed = 0;
	for (size_t i = 0; i < d->n; i++) {
		const struct cvo_diff_change *c = &d->changes[i];
		if (c->kind == CVO_DIFF_FINDING_NEW) {
			nnew++;
			continue;
		}
		if (c->kind == CVO_DIFF_FINDING_FIXED) {
			nfixed++;
			continue;
		}
		if (rows == 0)
			fputs("| change | node | old | new |\n| --- | --- | --- | --- |\n", out);
		if (rows++ >= MD_MAX_ROWS)
			continue;
		struct words w;
		change_words(c, &w);
		char *subj = subject(c);
		fprintf(out, "| %s | ", cvo_diff_kind_name(c->kind));
		md_puts(subj, out);
		fputs(" | ", out);
		md_puts(w.old[0] ? w.old : "–", out);
		fputs(" | ", out);
		md_puts(w.new[0] ? w.new : "–", out);
		if (w.note) {
			fputs(" (", out);
			md_puts(w.note, out);
			fputc(')', out);
		}
		fputs(" |\n", out);
		free(w.note);
		free(subj);
	}
	if (rows > MD_MAX_ROWS)
		fprintf(out, "\n…and %zu more changes (`carveout diff` prints them all).\n",
			rows - MD_MAX_ROWS);
	if (!rows && !nnew && !nfixed)
		fputs("No change to the reserved-memory layout, the default CMA area, DMA reach or "
		      "the findings.\n",
		      out);
	else if (!rows)
		fputs("No change to the reserved-memory layout, the default CMA area or DMA "
		      "reach.\n",
		      out);
	if (nnew) {
		fputs("\n**New findings (", out);
		md_counts(out, d->new_findings);
		fputs("):**\n\n", out);
		for (size_t i = 0; i < d->n; i++) {
			const struct cvo_diff_change *c = &d->changes[i];
			if (c->kind != CVO_DIFF_FINDING_NEW)
				continue;
			char *subj = subject(c);
			fprintf(out, "- **%s** `%s` ", cvo_severity_name(c->finding->severity),
				c->finding->check);
			md_puts(subj, out);
			fputs(": ", out);
			md_puts(c->finding->message, out);
			fputc('\n', out);
			free(subj);
		}
	}
	if (nfixed) {
		fprintf(out, "\nFixed findings: %zu (", nfixed);
		md_counts(out, d->fixed_findings);
		fputs(").\n", out);
	}
}

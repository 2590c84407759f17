// SPDX-License-Identifier: MIT
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "output.h"

/*
 * Where a rule's help lives: the section of carveout-checks(7) named by the
 * check id. The same host as the JSON report schema's $id.
 */
#define OUT_HELP_URI "https://carveout.invalid/man/carveout-checks.7.html#"
#define OUT_TOOL_URI "https://carveout.invalid/"
/* The base every SARIF artifact URI is relative to: where carveout check ran. */
#define OUT_URI_BASE "SRCROOT"
/* A clause shorter than this ("entry 0", "cannot be placed") does not stand alone. */
#define OUT_SENTENCE_MIN 20

/* ------------------------------------------------------------------ text */

/* The last word before a '.' that does not end a sentence. */
static bool is_abbrev(const char *msg, size_t dot)
{
	static const char *const abbrevs[] = { "e.g", "i.e", "etc", "vs", "cf" };
	for (size_t i = 0; i < sizeof(abbrevs) / sizeof(abbrevs[0]); i++) {
		size_t n = strlen(abbrevs[i]);
		if (dot >= n && !strncmp(msg + dot - n, abbrevs[i], n) &&
		    (dot == n || msg[dot - n - 1] == ' ' || msg[dot - n - 1] == '('))
			return true;
	}
	return false;
}

/*
 * A '(' or '"' opens an aside only at the start or after a space (or '('): one
 * inside a word is a call, "rmem_cma_setup()", or part of a node name, which
 * may hold any byte but '/'.
 */
static bool opens(const char *msg, size_t i)
{
	return i == 0 || msg[i - 1] == ' ' || msg[i - 1] == '(';
}

size_t out_first_sentence(const char *msg)
{
	/* the open brackets, innermost last: 'a' an aside, 'w' inside a word */
	char stack[32];
	size_t top = 0, asides = 0;
	bool quoted = false;
	size_t i;
	for (i = 0; msg[i]; i++) {
		char c = msg[i];
		if (c == '\\' && msg[i + 1]) {
			i++; /* \" inside a quoted kernel message */
			continue;
		}
		if (quoted) {
			quoted = c != '"';
			continue;
		}
		if (c == '"' && opens(msg, i)) {
			quoted = true;
		} else if (c == '(' || c == '[') {
			bool aside = opens(msg, i);
			if (top < sizeof(stack))
				stack[top++] = aside ? 'a' : 'w';
			asides += aside;
		} else if ((c == ')' || c == ']') && top > 0) {
			asides -= stack[--top] == 'a';
		} else if (asides == 0 && (c == ':' || c == ';' || c == '.') && msg[i + 1] == ' ' &&
			   i >= OUT_SENTENCE_MIN && !(c == '.' && is_abbrev(msg, i))) {
			return i;
		}
	}
	return i;
}

/* dtc's srcpos shape: "file:line.col-col: ", "file:line.col-line.col: ", or "file: ". */
static void print_where(FILE *out, const char *file, const struct cvo_finding *f)
{
	if (!f->has_loc || !f->loc.file || f->loc.line <= 0) {
		cmd_fputs_esc(file, out);
		fputs(": ", out);
		return;
	}
	const struct cvo_loc *l = &f->loc;
	cmd_fputs_esc(l->file, out);
	if (l->end_line == l->line && l->end_column > l->column)
		fprintf(out, ":%d.%d-%d: ", l->line, l->column, l->end_column);
	else if (l->end_line > l->line)
		fprintf(out, ":%d.%d-%d.%d: ", l->line, l->column, l->end_line, l->end_column);
	else
		fprintf(out, ":%d.%d: ", l->line, l->column);
}

/* dtc has two words (checks.c check_msg()): a note is the mildest, a Warning. */
static const char *dtc_word(enum cvo_severity s)
{
	return s == CVO_SEV_ERROR ? "ERROR" : "Warning";
}

void out_text(FILE *out, const char *file, const struct cvo_input *in,
	      const struct cvo_report *r, const struct out_opts *o)
{
	if (!o->quiet && !o->dtc && in && in->platform) {
		cmd_fputs_esc(file, out);
		fputs(": platform ", out);
		cmd_fputs_esc(in->platform->name, out);
		fputs(o->platform_auto ? " (auto)\n" : " (-p)\n", out);
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct cvo_finding *f = &r->findings[i];
		print_where(out, file, f);
		fprintf(out, "%s (%s): ", o->dtc ? dtc_word(f->severity) :
			cvo_severity_name(f->severity), f->check);
		cmd_fputs_esc(f->path, out);
		if (f->property) {
			fputc(':', out);
			cmd_fputs_esc(f->property, out);
		}
		fputs(": ", out);
		size_t n = o->verbose ? strlen(f->message) : out_first_sentence(f->message);
		char *msg = strndup(f->message, n);
		cmd_fputs_esc(msg ? msg : f->message, out);
		free(msg);
		fputc('\n', out);
	}
}

static void print_count(FILE *out, size_t n, const char *one, const char *many)
{
	fprintf(out, "%zu %s", n, n == 1 ? one : many);
}

void out_text_summary(FILE *out, const size_t counts[4], size_t files, size_t unreadable)
{
	print_count(out, counts[CVO_SEV_ERROR], "error", "errors");
	fputs(", ", out);
	print_count(out, counts[CVO_SEV_WARNING], "warning", "warnings");
	fputs(", ", out);
	print_count(out, counts[CVO_SEV_NOTE], "note", "notes");
	fputs(" in ", out);
	print_count(out, files, "file", "files");
	if (unreadable)
		fprintf(out, " (%zu unreadable)", unreadable);
	fputc('\n', out);
}

/* ------------------------------------------------------------------ JSON */

json_t *out_jstr(const char *s)
{
	char *e = cmd_esc_utf8(s);
	if (!e)
		return NULL;
	json_t *j = json_string(e);
	free(e);
	return j;
}

json_t *out_hex(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_string(buf);
}

static json_t *region_json(const struct cvo_placement *pl, const struct cvo_region *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "path", out_jstr(r->path));
	json_object_set_new(o, "kind", out_jstr(cvo_kind_name(r->kind)));
	json_object_set_new(o, "static", json_boolean(r->is_static));
	if (cvo_outcome(pl, r)->has_base)
		json_object_set_new(o, "base", out_hex(cvo_outcome(pl, r)->base));
	if (r->is_static && r->n_regs)
		json_object_set_new(o, "size", out_hex(r->regs[0].size));
	else if (!r->is_static && r->has_size && r->size_len_ok)
		json_object_set_new(o, "size", out_hex(r->size));
	if (!r->is_static && r->has_alignment && r->alignment_len_ok)
		json_object_set_new(o, "alignment", out_hex(r->alignment));
	json_object_set_new(o, "no-map", json_boolean(r->no_map));
	json_object_set_new(o, "reusable", json_boolean(r->reusable));
	if (cvo_outcome(pl, r)->status != CVO_STATUS_UNPLACED)
		json_object_set_new(o, "status",
				    out_jstr(cvo_status_name(cvo_outcome(pl, r)->status)));
	if ((cvo_outcome(pl, r)->status == CVO_STATUS_FAILED ||
	     cvo_outcome(pl, r)->status == CVO_STATUS_IGNORED) &&
	    cvo_outcome(pl, r)->why != CVO_WHY_NONE)
		json_object_set_new(o, "reason", out_jstr(cvo_region_why_text(pl, r)));
	return o;
}

json_t *out_json_finding(const struct cvo_finding *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "check", out_jstr(f->check));
	json_object_set_new(o, "severity", out_jstr(cvo_severity_name(f->severity)));
	json_object_set_new(o, "path", out_jstr(f->path));
	if (f->property)
		json_object_set_new(o, "property", out_jstr(f->property));
	json_object_set_new(o, "message", out_jstr(f->message));
	if (f->n_related) {
		json_t *a = json_array();
		/* where the related nodes are, for those the DTS source names */
		json_t *where = json_array();
		for (size_t k = 0; k < f->n_related; k++) {
			json_array_append_new(a, out_jstr(f->related[k]));
			const struct cvo_loc *l = f->related_loc ? &f->related_loc[k] : NULL;
			if (!l || !l->file || l->line <= 0)
				continue;
			json_t *w = json_object();
			json_object_set_new(w, "path", out_jstr(f->related[k]));
			json_object_set_new(w, "file", out_jstr(l->file));
			json_object_set_new(w, "line", json_integer(l->line));
			json_object_set_new(w, "column", json_integer(l->column > 0 ? l->column : 1));
			json_array_append_new(where, w);
		}
		json_object_set_new(o, "related", a);
		if (json_array_size(where))
			json_object_set_new(o, "related-locations", where);
		else
			json_decref(where);
	}
	if (f->has_loc && f->loc.file && f->loc.line > 0) {
		json_t *l = json_object();
		json_object_set_new(l, "file", out_jstr(f->loc.file));
		json_object_set_new(l, "line", json_integer(f->loc.line));
		json_object_set_new(l, "column", json_integer(f->loc.column > 0 ? f->loc.column : 1));
		json_object_set_new(o, "location", l);
	}
	return o;
}

json_t *out_json_regions(const struct cvo_input *in)
{
	json_t *regions = json_array();
	for (size_t i = 0; in->model && i < in->model->n_regions; i++)
		json_array_append_new(regions, region_json(&in->placement, &in->model->regions[i]));
	return regions;
}

json_t *out_json_file(const char *file, const struct cvo_input *in, const struct cvo_report *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "file", out_jstr(file));
	if (in->platform)
		json_object_set_new(o, "platform", out_jstr(in->platform->name));
	json_object_set_new(o, "regions", out_json_regions(in));
	const struct cvo_default_cma *dc = in->model ? &in->placement.default_cma : NULL;
	if (dc && dc->present) {
		json_t *d = json_object();
		if (dc->placed)
			json_object_set_new(d, "base", out_hex(dc->base));
		json_object_set_new(d, "size", out_hex(dc->size));
		json_object_set_new(d, "source", out_jstr(cvo_default_cma_source_name(dc->source)));
		if (!dc->placed && dc->why != CVO_CMA_WHY_NONE) {
			char why[CVO_WHY_TEXT_MAX];
			cvo_default_cma_why_text(dc, why, sizeof(why));
			json_object_set_new(d, "reason", out_jstr(why));
		}
		json_object_set_new(o, "default-cma", d);
	}
	json_t *fa = json_array();
	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(fa, out_json_finding(&r->findings[i]));
	json_object_set_new(o, "findings", fa);
	return o;
}

json_t *out_json_file_error(const char *file, const struct cvo_error *err)
{
	json_t *o = json_object();
	json_object_set_new(o, "file", out_jstr(file));
	json_t *e = json_object();
	json_object_set_new(e, "message", out_jstr(err->text[0] ? err->text : "unreadable"));
	if (err->source[0] && strcmp(err->source, file))
		json_object_set_new(e, "source", out_jstr(err->source));
	if (err->line > 0)
		json_object_set_new(e, "line", json_integer(err->line));
	if (err->line > 0 && err->column > 0)
		json_object_set_new(e, "column", json_integer(err->column));
	json_object_set_new(o, "error", e);
	return o;
}

json_t *out_json_report(json_t *files, const size_t counts[4])
{
	json_t *o = json_object();
	json_object_set_new(o, "version", json_integer(1));
	json_t *tool = json_object();
	json_object_set_new(tool, "name", json_string("carveout"));
	json_object_set_new(tool, "version", json_string(CVO_VERSION));
	json_object_set_new(o, "tool", tool);
	json_object_set_new(o, "files", files);
	json_t *s = json_object();
	json_object_set_new(s, "files", json_integer((json_int_t)json_array_size(files)));
	json_object_set_new(s, "errors", json_integer((json_int_t)counts[CVO_SEV_ERROR]));
	json_object_set_new(s, "warnings", json_integer((json_int_t)counts[CVO_SEV_WARNING]));
	json_object_set_new(s, "notes", json_integer((json_int_t)counts[CVO_SEV_NOTE]));
	json_object_set_new(o, "summary", s);
	return o;
}

/* ------------------------------------------------------------------ SARIF */

/*
 * An artifact location for a file name as the user gave it: a URI reference
 * relative to OUT_URI_BASE (RFC 3986: every byte but the unreserved ones and
 * '/' percent-encoded, so any name gives a valid URI), or a file: URI for an
 * absolute path.
 */
static json_t *sarif_artifact(const char *file)
{
	static const char hex[] = "0123456789ABCDEF";
	bool absolute = file[0] == '/';
	while (file[0] == '.' && file[1] == '/')
		file += 2;
	char *uri = malloc(strlen(file) * 3 + sizeof("file://"));
	json_t *a = json_object();
	if (!uri)
		return a;
	size_t o = 0;
	if (absolute) {
		memcpy(uri, "file://", 7);
		o = 7;
	}
	for (const unsigned char *p = (const unsigned char *)file; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/@", c)) {
			uri[o++] = (char)c;
		} else {
			uri[o++] = '%';
			uri[o++] = hex[c >> 4];
			uri[o++] = hex[c & 15];
		}
	}
	uri[o] = '\0';
	json_object_set_new(a, "uri", json_string(uri));
	if (!absolute)
		json_object_set_new(a, "uriBaseId", json_string(OUT_URI_BASE));
	free(uri);
	return a;
}

static json_t *sarif_text(const char *s)
{
	json_t *m = json_object();
	json_object_set_new(m, "text", out_jstr(s));
	return m;
}

/* The DTS position when known; a DTB has lines of its own to point at: line 1. */
static json_t *sarif_region(const struct cvo_finding *f)
{
	json_t *reg = json_object();
	const struct cvo_loc *l = &f->loc;
	if (!f->has_loc || !l->file || l->line <= 0) {
		json_object_set_new(reg, "startLine", json_integer(1));
		return reg;
	}
	json_object_set_new(reg, "startLine", json_integer(l->line));
	if (l->column > 0)
		json_object_set_new(reg, "startColumn", json_integer(l->column));
	if (l->end_line > l->line) {
		json_object_set_new(reg, "endLine", json_integer(l->end_line));
		if (l->end_column > 0)
			json_object_set_new(reg, "endColumn", json_integer(l->end_column));
	} else if (l->end_line == l->line && l->end_column > l->column) {
		json_object_set_new(reg, "endColumn", json_integer(l->end_column));
	}
	return reg;
}

/* "PATH:PROP: message", the words of a text line (the whole message, and a full stop). */
static char *sarif_message(const struct cvo_finding *f)
{
	size_t n = strlen(f->path) + (f->property ? strlen(f->property) + 1 : 0) +
		   strlen(f->message) + 4;
	char *s = malloc(n);
	if (!s)
		return NULL;
	size_t len = strlen(f->message);
	bool stop = len && f->message[len - 1] != '.';
	snprintf(s, n, "%s%s%s: %s%s", f->path, f->property ? ":" : "",
		 f->property ? f->property : "", f->message, stop ? "." : "");
	return s;
}

/* FNV-1a 64 of check, node path and property: the same finding on another line matches. */
static json_t *sarif_fingerprint(const struct cvo_finding *f)
{
	uint64_t h = 0xcbf29ce484222325u;
	const char *parts[] = { f->check, f->path, f->property ? f->property : "" };
	for (size_t i = 0; i < 3; i++)
		for (const unsigned char *p = (const unsigned char *)parts[i];; p++) {
			h = (h ^ *p) * 0x100000001b3u;
			if (!*p)
				break;
		}
	char buf[20];
	snprintf(buf, sizeof(buf), "%016" PRIx64, h);
	json_t *fp = json_object();
	json_object_set_new(fp, "carveoutFinding/v1", json_string(buf));
	return fp;
}

static json_t *sarif_logical(const char *path, const char *prop)
{
	json_t *l = json_object();
	size_t n = strlen(path) + (prop ? strlen(prop) + 2 : 1);
	char *fq = malloc(n);
	if (fq)
		snprintf(fq, n, "%s%s%s", path, prop ? ":" : "", prop ? prop : "");
	json_object_set_new(l, "fullyQualifiedName", out_jstr(fq ? fq : path));
	free(fq);
	json_object_set_new(l, "kind", json_string(prop ? "member" : "object"));
	json_t *a = json_array();
	json_array_append_new(a, l);
	return a;
}

json_t *out_sarif_results(const char *file, const struct cvo_report *r, const struct out_opts *o)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const struct cvo_finding *f = &r->findings[i];
		json_t *res = json_object();
		json_object_set_new(res, "ruleId", out_jstr(f->check));
		json_object_set_new(res, "level", out_jstr(cvo_severity_name(f->severity)));
		char *text = sarif_message(f);
		json_object_set_new(res, "message", sarif_text(text ? text : f->message));
		free(text);
		json_t *loc = json_object();
		json_t *phys = json_object();
		json_object_set_new(phys, "artifactLocation",
				    sarif_artifact(f->has_loc && f->loc.file && f->loc.line > 0 ?
						   f->loc.file : file));
		json_object_set_new(phys, "region", sarif_region(f));
		json_object_set_new(loc, "physicalLocation", phys);
		json_object_set_new(loc, "logicalLocations", sarif_logical(f->path, f->property));
		json_t *locs = json_array();
		json_array_append_new(locs, loc);
		json_object_set_new(res, "locations", locs);
		if (f->n_related) {
			json_t *rel = json_array();
			for (size_t k = 0; k < f->n_related; k++) {
				json_t *rl = json_object();
				json_object_set_new(rl, "id", json_integer((json_int_t)k));
				const struct cvo_loc *l = f->related_loc ? &f->related_loc[k] : NULL;
				if (l && l->file && l->line > 0) {
					json_t *rp = json_object();
					json_object_set_new(rp, "artifactLocation",
							    sarif_artifact(l->file));
					json_t *rr = json_object();
					json_object_set_new(rr, "startLine", json_integer(l->line));
					if (l->column > 0)
						json_object_set_new(rr, "startColumn",
								    json_integer(l->column));
					json_object_set_new(rp, "region", rr);
					json_object_set_new(rl, "physicalLocation", rp);
				}
				json_object_set_new(rl, "message", sarif_text(f->related[k]));
				json_object_set_new(rl, "logicalLocations",
						    sarif_logical(f->related[k], NULL));
				json_array_append_new(rel, rl);
			}
			json_object_set_new(res, "relatedLocations", rel);
		}
		json_object_set_new(res, "partialFingerprints", sarif_fingerprint(f));
		if (o->baseline)
			json_object_set_new(res, "baselineState", json_string("new"));
		json_array_append_new(a, res);
	}
	return a;
}

json_t *out_sarif_notification(const char *file, const struct cvo_error *err)
{
	json_t *n = json_object();
	json_object_set_new(n, "level", json_string("error"));
	size_t len = strlen(file) + strlen(err->text) + 4;
	char *text = malloc(len);
	if (text)
		snprintf(text, len, "%s: %s%s", file, err->text,
			 err->text[0] && err->text[strlen(err->text) - 1] == '.' ? "" : ".");
	json_object_set_new(n, "message", sarif_text(text ? text : err->text));
	free(text);
	json_t *phys = json_object();
	json_object_set_new(phys, "artifactLocation", sarif_artifact(file));
	if (err->line > 0) {
		json_t *reg = json_object();
		json_object_set_new(reg, "startLine", json_integer(err->line));
		if (err->column > 0)
			json_object_set_new(reg, "startColumn", json_integer(err->column));
		json_object_set_new(phys, "region", reg);
	}
	json_t *loc = json_object();
	json_object_set_new(loc, "physicalLocation", phys);
	json_t *locs = json_array();
	json_array_append_new(locs, loc);
	json_object_set_new(n, "locations", locs);
	return n;
}

/* Markdown special characters in explain text (function names have underscores). */
static void md_escape(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strchr("\\`*_{}[]<>#|!", s[i]))
			fputc('\\', f);
		fputc(s[i], f);
	}
}

/*
 * The explain text as Markdown: each "What:", "Why:", "Example:", "Fix:"
 * paragraph with its label in bold, the example as code.
 */
static json_t *rule_markdown(const struct cvo_check *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	const char *p = c->explain ? c->explain : c->summary;
	bool first = true;
	while (*p) {
		size_t n = strcspn(p, "\n");
		if (n) {
			if (!first)
				fputs("\n\n", f);
			first = false;
			const char *colon = memchr(p, ':', n);
			size_t label = colon && colon - p < 12 && colon[1] == ' ' ? (size_t)(colon - p) : 0;
			if (label) {
				fputs("**", f);
				md_escape(f, p, label);
				fputs(":** ", f);
			}
			const char *body = label ? p + label + 2 : p;
			size_t bn = label ? n - label - 2 : n;
			if (label == 7 && !strncmp(p, "Example", 7) && !memchr(body, '`', bn)) {
				fputc('`', f);
				fwrite(body, 1, bn, f);
				fputc('`', f);
			} else {
				md_escape(f, body, bn);
			}
		}
		p += n;
		if (*p)
			p++;
	}
	fclose(f);
	json_t *j = out_jstr(buf);
	free(buf);
	return j;
}

static json_t *sarif_rule(const struct cvo_check *c)
{
	json_t *rule = json_object();
	json_object_set_new(rule, "id", json_string(c->id));
	json_object_set_new(rule, "shortDescription", sarif_text(c->summary));
	json_object_set_new(rule, "fullDescription",
			    sarif_text(c->explain ? c->explain : c->summary));
	json_t *help = sarif_text(c->explain ? c->explain : c->summary);
	json_object_set_new(help, "markdown", rule_markdown(c));
	json_object_set_new(rule, "help", help);
	size_t n = sizeof(OUT_HELP_URI) + strlen(c->id);
	char *uri = malloc(n);
	if (uri) {
		snprintf(uri, n, "%s%s", OUT_HELP_URI, c->id);
		json_object_set_new(rule, "helpUri", json_string(uri));
		free(uri);
	}
	json_t *dc = json_object();
	json_object_set_new(dc, "level", json_string(cvo_severity_name(c->severity)));
	json_object_set_new(rule, "defaultConfiguration", dc);
	return rule;
}

/*
 * The rules the results use, in the order of the check table, each result's
 * ruleIndex pointing at its own: a log carries the help of what it reports.
 */
static json_t *sarif_rules(json_t *results)
{
	size_t n = cvo_check_count();
	int *index = malloc(n * sizeof(*index));
	json_t *rules = json_array();
	if (!index)
		return rules;
	size_t i;
	json_t *res;
	for (i = 0; i < n; i++)
		index[i] = -1;
	json_array_foreach(results, i, res) {
		const char *id = json_string_value(json_object_get(res, "ruleId"));
		int c = id ? cvo_check_index(id) : -1;
		if (c >= 0)
			index[c] = 0;
	}
	int next = 0;
	for (i = 0; i < n; i++) {
		if (index[i] < 0)
			continue;
		index[i] = next++;
		json_array_append_new(rules, sarif_rule(cvo_check_get(i)));
	}
	json_array_foreach(results, i, res) {
		const char *id = json_string_value(json_object_get(res, "ruleId"));
		int c = id ? cvo_check_index(id) : -1;
		if (c >= 0)
			json_object_set_new(res, "ruleIndex", json_integer(index[c]));
	}
	free(index);
	return rules;
}

json_t *out_sarif_log(json_t *results, json_t *notifications)
{
	json_t *rules = sarif_rules(results);
	json_t *driver = json_object();
	json_object_set_new(driver, "name", json_string("carveout"));
	json_object_set_new(driver, "version", json_string(CVO_VERSION));
	json_object_set_new(driver, "semanticVersion", json_string(CVO_VERSION));
	json_object_set_new(driver, "informationUri", json_string(OUT_TOOL_URI));
	json_object_set_new(driver, "rules", rules);
	json_t *tool = json_object();
	json_object_set_new(tool, "driver", driver);
	json_t *run = json_object();
	json_object_set_new(run, "tool", tool);
	/* No uri: the directory carveout check ran in is the consumer's checkout root. */
	json_t *bases = json_object();
	json_t *base = json_object();
	json_object_set_new(base, "description",
			    sarif_text("The directory carveout check ran in: input names are "
				       "relative to it."));
	json_object_set_new(bases, OUT_URI_BASE, base);
	json_object_set_new(run, "originalUriBaseIds", bases);
	json_t *inv = json_object();
	bool ok = !notifications || json_array_size(notifications) == 0;
	json_object_set_new(inv, "executionSuccessful", json_boolean(ok));
	if (!ok)
		json_object_set_new(inv, "toolExecutionNotifications", notifications);
	else
		json_decref(notifications);
	json_t *invs = json_array();
	json_array_append_new(invs, inv);
	json_object_set_new(run, "invocations", invs);
	json_object_set_new(run, "results", results);
	json_t *runs = json_array();
	json_array_append_new(runs, run);
	json_t *log = json_object();
	json_object_set_new(log, "$schema",
			    json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(log, "version", json_string("2.1.0"));
	json_object_set_new(log, "runs", runs);
	return log;
}

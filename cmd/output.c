// SPDX-License-Identifier: MIT
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

void out_text(FILE *out, const char *file, const struct cvo_report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct cvo_finding *f = &r->findings[i];
		cmd_print_where(out, file, f);
		fprintf(out, "%s (%s): %s%s%s: %s\n", cvo_severity_name(f->severity), f->check,
			f->path, f->property ? ":" : "", f->property ? f->property : "", f->message);
	}
}

json_t *out_hex(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_string(buf);
}

static json_t *region_json(const struct cvo_model *m, const struct cvo_region *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(r->path));
	json_object_set_new(o, "kind", json_string(cvo_kind_name(r->kind)));
	json_object_set_new(o, "static", json_boolean(r->is_static));
	if (r->has_base)
		json_object_set_new(o, "base", out_hex(r->base));
	if (r->is_static && r->n_regs)
		json_object_set_new(o, "size", out_hex(r->regs[0].size));
	else if (!r->is_static && r->has_size && r->size_len_ok)
		json_object_set_new(o, "size", out_hex(r->size));
	if (!r->is_static && r->has_alignment && r->alignment_len_ok)
		json_object_set_new(o, "alignment", out_hex(r->alignment));
	json_object_set_new(o, "no-map", json_boolean(r->no_map));
	json_object_set_new(o, "reusable", json_boolean(r->reusable));
	if (r->status != CVO_STATUS_UNPLACED)
		json_object_set_new(o, "status", json_string(cvo_status_name(r->status)));
	if ((r->status == CVO_STATUS_FAILED || r->status == CVO_STATUS_IGNORED) && r->reason[0])
		json_object_set_new(o, "reason", json_string(r->reason));
	(void)m;
	return o;
}

static json_t *finding_json(const struct cvo_finding *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "check", json_string(f->check));
	json_object_set_new(o, "severity", json_string(cvo_severity_name(f->severity)));
	json_object_set_new(o, "path", json_string(f->path));
	if (f->property)
		json_object_set_new(o, "property", json_string(f->property));
	json_object_set_new(o, "message", json_string(f->message));
	if (f->n_related) {
		json_t *a = json_array();
		for (size_t k = 0; k < f->n_related; k++)
			json_array_append_new(a, json_string(f->related[k]));
		json_object_set_new(o, "related", a);
	}
	if (f->has_loc && f->loc.file) {
		json_t *l = json_object();
		json_object_set_new(l, "file", json_string(f->loc.file));
		json_object_set_new(l, "line", json_integer(f->loc.line));
		json_object_set_new(l, "column", json_integer(f->loc.column));
		json_object_set_new(o, "location", l);
	}
	return o;
}

json_t *out_json_file(const char *file, const struct cmd_input *in, const struct cvo_report *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "file", json_string(file));
	if (in->platform)
		json_object_set_new(o, "platform", json_string(in->platform->name));
	json_t *regions = json_array();
	for (size_t i = 0; in->model && i < in->model->n_regions; i++)
		json_array_append_new(regions, region_json(in->model, &in->model->regions[i]));
	json_object_set_new(o, "regions", regions);
	const struct cvo_default_cma *dc = in->model ? &in->model->default_cma : NULL;
	if (dc && dc->present) {
		json_t *d = json_object();
		if (dc->placed)
			json_object_set_new(d, "base", out_hex(dc->base));
		json_object_set_new(d, "size", out_hex(dc->size));
		json_object_set_new(d, "source", json_string(dc->source ? dc->source : "kconfig"));
		if (!dc->placed && dc->reason[0])
			json_object_set_new(d, "reason", json_string(dc->reason));
		json_object_set_new(o, "default-cma", d);
	}
	json_t *fa = json_array();
	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(fa, finding_json(&r->findings[i]));
	json_object_set_new(o, "findings", fa);
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

json_t *out_sarif_results(const char *file, const struct cvo_report *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->n; i++) {
		const struct cvo_finding *f = &r->findings[i];
		json_t *res = json_object();
		json_object_set_new(res, "ruleId", json_string(f->check));
		int idx = cvo_check_index(f->check);
		if (idx >= 0)
			json_object_set_new(res, "ruleIndex", json_integer(idx));
		json_object_set_new(res, "level", json_string(cvo_severity_name(f->severity)));
		json_t *msg = json_object();
		json_object_set_new(msg, "text", json_string(f->message));
		json_object_set_new(res, "message", msg);
		json_t *loc = json_object();
		json_t *phys = json_object();
		json_t *art = json_object();
		json_object_set_new(art, "uri",
				    json_string(f->has_loc && f->loc.file ? f->loc.file : file));
		json_object_set_new(phys, "artifactLocation", art);
		if (f->has_loc && f->loc.file && f->loc.line > 0) {
			json_t *reg = json_object();
			json_object_set_new(reg, "startLine", json_integer(f->loc.line));
			if (f->loc.column > 0)
				json_object_set_new(reg, "startColumn", json_integer(f->loc.column));
			if (f->loc.end_line >= f->loc.line)
				json_object_set_new(reg, "endLine", json_integer(f->loc.end_line));
			if (f->loc.end_column > 0)
				json_object_set_new(reg, "endColumn", json_integer(f->loc.end_column));
			json_object_set_new(phys, "region", reg);
		}
		json_object_set_new(loc, "physicalLocation", phys);
		json_t *ll = json_array();
		json_t *l1 = json_object();
		char *fq = f->property ? malloc(strlen(f->path) + strlen(f->property) + 2) : NULL;
		if (fq)
			sprintf(fq, "%s:%s", f->path, f->property);
		json_object_set_new(l1, "fullyQualifiedName", json_string(fq ? fq : f->path));
		free(fq);
		json_object_set_new(l1, "kind", json_string(f->property ? "member" : "object"));
		json_array_append_new(ll, l1);
		json_object_set_new(loc, "logicalLocations", ll);
		json_t *locs = json_array();
		json_array_append_new(locs, loc);
		json_object_set_new(res, "locations", locs);
		if (f->n_related) {
			json_t *rel = json_array();
			for (size_t k = 0; k < f->n_related; k++) {
				json_t *rl = json_object();
				json_object_set_new(rl, "id", json_integer((json_int_t)k));
				json_t *lla = json_array();
				json_t *lo = json_object();
				json_object_set_new(lo, "fullyQualifiedName",
						    json_string(f->related[k]));
				json_array_append_new(lla, lo);
				json_object_set_new(rl, "logicalLocations", lla);
				json_array_append_new(rel, rl);
			}
			json_object_set_new(res, "relatedLocations", rel);
		}
		json_array_append_new(a, res);
	}
	return a;
}

json_t *out_sarif_log(json_t *results)
{
	json_t *rules = json_array();
	for (size_t i = 0; i < cvo_check_count(); i++) {
		const struct cvo_check *c = cvo_check_get(i);
		json_t *rule = json_object();
		json_object_set_new(rule, "id", json_string(c->id));
		json_t *sd = json_object();
		json_object_set_new(sd, "text", json_string(c->summary));
		json_object_set_new(rule, "shortDescription", sd);
		json_t *fd = json_object();
		json_object_set_new(fd, "text", json_string(c->explain ? c->explain : c->summary));
		json_object_set_new(rule, "fullDescription", fd);
		json_t *dc = json_object();
		json_object_set_new(dc, "level", json_string(cvo_severity_name(c->severity)));
		json_object_set_new(rule, "defaultConfiguration", dc);
		json_array_append_new(rules, rule);
	}
	json_t *driver = json_object();
	json_object_set_new(driver, "name", json_string("carveout"));
	json_object_set_new(driver, "version", json_string(CVO_VERSION));
	json_object_set_new(driver, "semanticVersion", json_string(CVO_VERSION));
	json_object_set_new(driver, "rules", rules);
	json_t *tool = json_object();
	json_object_set_new(tool, "driver", driver);
	json_t *run = json_object();
	json_object_set_new(run, "tool", tool);
	json_object_set_new(run, "results", results);
	json_t *runs = json_array();
	json_array_append_new(runs, run);
	json_t *log = json_object();
	json_object_set_new(log, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(log, "version", json_string("2.1.0"));
	json_object_set_new(log, "runs", runs);
	return log;
}

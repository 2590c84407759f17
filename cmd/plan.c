// SPDX-License-Identifier: MIT
/*
 * carveout plan and carveout fix: plan a layout (lib/plan.c), apply it to a copy of the
 * DT (lib/edit.c), re-parse and re-check the result, and print the plan (DTS, overlay
 * source or the plan JSON) or write the fixed DT atomically.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "cmd.h"
#include "escape.h"
#include "map.h"
#include "output.h"

enum fmt { FMT_DTS, FMT_OVERLAY, FMT_JSON };

/* One planned input: the DT as given, the plan, the DT as planned. */
struct planned {
	struct cvo_input in;	/* as given */
	struct cvo_report before;
	struct cvo_plan *plan;
	struct cvo_input after; /* the plan applied; .blob NULL when there is none */
	struct cvo_report after_findings;
	size_t before_counts[4], after_counts[4];
	bool confirmed;		/* every planned region is where the kernel puts it */
};

static void planned_fini(struct planned *p)
{
	cvo_report_fini(&p->after_findings);
	if (p->after.blob)
		cvo_input_fini(&p->after);
	cvo_plan_free(p->plan);
	cvo_report_fini(&p->before);
	cvo_input_fini(&p->in);
}

static void count(const struct cvo_report *r, size_t *c)
{
	memset(c, 0, 4 * sizeof(*c));
	for (size_t i = 0; i < r->n; i++)
		c[r->findings[i].severity]++;
}

/* Whether every region a change moves or adds is where the kernel of the planned DT
 * places it. */
static bool confirm(const struct cvo_plan *plan, const struct cvo_input *after)
{
	const struct cvo_model *m = after->model;
	for (size_t i = 0; i < plan->changes.n; i++) {
		const struct cvo_change *c = &plan->changes.v[i];
		bool add = c->action == CVO_CHANGE_ADD_NODE;
		if (!add && c->action != CVO_CHANGE_MOVE)
			continue;
		/* the range the change gives: reg or alloc-ranges, the first address cells */
		const struct cvo_prop *v = add ? NULL : &c->value;
		for (size_t k = 0; add && k < c->n_props; k++)
			if (!strcmp(c->props[k].name, "reg") || !strcmp(c->props[k].name, "alloc-ranges"))
				v = &c->props[k];
		if (!v || !v->len)
			continue; /* a node that is not a region (/reserved-memory itself) */
		/* a renamed node is found under its new name */
		const char *slash = strrchr(c->path, '/');
		size_t dir = (size_t)(slash - c->path);
		const struct cvo_region *r = NULL;
		for (size_t k = 0; k < m->n_regions && !r; k++) {
			const char *rp = m->regions[k].path;
			if (c->new_name ? !strncmp(rp, c->path, dir) && rp[dir] == '/' &&
						  !strcmp(rp + dir + 1, c->new_name)
					: !strcmp(rp, c->path))
				r = &m->regions[k];
		}
		if (!r)
			return false;
		const struct cvo_region_place *o = cvo_outcome(&after->placement, r);
		if (o->status != CVO_STATUS_PLACED || !o->has_base)
			return false;
		uint64_t base = 0;
		size_t ac = 4 * (size_t)m->root_addr_cells;
		for (size_t k = 0; k < ac && k < v->len; k++)
			base = base << 8 | ((const uint8_t *)v->value)[k];
		if (o->base != base)
			return false;
	}
	return true;
}

/* Load, check, plan, apply and re-check one file. returns: 0 or the exit status. */
static int plan_file(const char *file, const struct cvo_platform_set *ps,
		     const struct cvo_load *ld, const struct cvo_plan_opts *po, struct planned *p)
{
	memset(p, 0, sizeof(*p));
	cvo_report_init(&p->before);
	cvo_report_init(&p->after_findings);
	struct cvo_error err = { 0 };
	int r = cvo_input_load(file, ps, ld, &p->in, &err);
	if (r) {
		cmd_print_error(&err);
		return EXIT_INPUT;
	}
	if (cvo_check_run(&p->in.placement, NULL, &p->before)) {
		fprintf(stderr, "carveout: out of memory\n");
		return EXIT_INPUT;
	}
	count(&p->before, p->before_counts);
	r = cvo_plan_build(&p->in.placement, &p->before, po, &p->plan, &err);
	if (r) {
		cmd_print_error(&err);
		return EXIT_INPUT;
	}
	struct cvo_blob *nb = NULL;
	r = cvo_changes_apply(p->in.blob, &p->plan->changes, &nb, &err);
	if (r) {
		cmd_print_error(&err);
		return EXIT_INPUT;
	}
	/* the overlays are in the blob already */
	struct cvo_load again = { .incdirs = ld ? ld->incdirs : NULL,
				  .n_incdirs = ld ? ld->n_incdirs : 0 };
	r = cvo_input_from_blob(nb, ps, &again, &p->after, &err);
	if (r) {
		cmd_print_error(&err);
		return EXIT_INPUT;
	}
	if (cvo_check_run(&p->after.placement, NULL, &p->after_findings)) {
		fprintf(stderr, "carveout: out of memory\n");
		return EXIT_INPUT;
	}
	count(&p->after_findings, p->after_counts);
	p->confirmed = confirm(p->plan, &p->after);
	return 0;
}

/* ------------------------------------------------------------------ JSON */

static json_t *counts_json(const size_t *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "errors", json_integer((json_int_t)c[CVO_SEV_ERROR]));
	json_object_set_new(o, "warnings", json_integer((json_int_t)c[CVO_SEV_WARNING]));
	json_object_set_new(o, "notes", json_integer((json_int_t)c[CVO_SEV_NOTE]));
	return o;
}

static json_t *plan_json(const char *file, const struct planned *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "file", out_jstr(file));
	if (p->in.platform)
		json_object_set_new(o, "platform", out_jstr(p->in.platform->name));
	json_object_set_new(o, "feasible", json_boolean(p->plan->feasible && p->confirmed));
	json_t *ch = json_array();
	for (size_t i = 0; i < p->plan->changes.n; i++) {
		const struct cvo_change *c = &p->plan->changes.v[i];
		json_t *e = json_object();
		json_object_set_new(e, "action", json_string(cvo_change_action_name(c->action)));
		json_object_set_new(e, "path", out_jstr(c->path));
		if (c->new_name) {
			const char *slash = strrchr(c->path, '/');
			char *np = malloc((size_t)(slash - c->path) + strlen(c->new_name) + 2);
			if (np) {
				sprintf(np, "%.*s/%s", (int)(slash - c->path), c->path, c->new_name);
				json_object_set_new(e, "new-path", out_jstr(np));
				free(np);
			}
		}
		if (c->property)
			json_object_set_new(e, "property", out_jstr(c->property));
		if (c->old_text)
			json_object_set_new(e, "old", out_jstr(c->old_text));
		if (c->new_text)
			json_object_set_new(e, "new", out_jstr(c->new_text));
		json_t *fx = json_array();
		for (size_t k = 0; k < c->n_fixes; k++)
			json_array_append_new(fx, json_string(c->fixes[k]));
		json_object_set_new(e, "fixes", fx);
		if (c->request)
			json_object_set_new(e, "request", out_jstr(c->request));
		json_array_append_new(ch, e);
	}
	json_object_set_new(o, "changes", ch);
	json_object_set_new(o, "regions", out_json_regions(&p->after));
	json_t *cf = json_array();
	for (size_t i = 0; i < p->plan->n_conflicts; i++) {
		const struct cvo_plan_conflict *c = &p->plan->conflicts[i];
		json_t *e = json_object();
		json_object_set_new(e, "message", out_jstr(c->message));
		json_t *cs = json_array();
		for (size_t k = 0; k < c->n_constraints; k++)
			json_array_append_new(cs, out_jstr(c->constraints[k]));
		json_object_set_new(e, "constraints", cs);
		if (c->alternative)
			json_object_set_new(e, "alternative", out_jstr(c->alternative));
		json_array_append_new(cf, e);
	}
	if (p->plan->feasible && !p->confirmed) {
		json_t *e = json_object();
		json_object_set_new(e, "message",
				    json_string("the kernel would not place every planned region "
						"where the plan puts it (see regions)"));
		json_object_set_new(e, "constraints", json_array());
		json_array_append_new(cf, e);
	}
	json_object_set_new(o, "conflicts", cf);
	json_t *ad = json_array();
	for (size_t i = 0; i < p->plan->n_advice; i++) {
		const struct cvo_plan_advice *a = &p->plan->advice[i];
		json_t *e = json_object();
		json_object_set_new(e, "check", json_string(a->check));
		json_object_set_new(e, "path", out_jstr(a->path));
		json_object_set_new(e, "message", out_jstr(a->what));
		json_array_append_new(ad, e);
	}
	json_object_set_new(o, "unresolved", ad);
	json_object_set_new(o, "before", counts_json(p->before_counts));
	json_object_set_new(o, "after", counts_json(p->after_counts));
	return o;
}

/* ------------------------------------------------------------------ DTS */

static void indent(FILE *out, int depth)
{
	for (int i = 0; i < depth; i++)
		fputc('\t', out);
}

static void print_prop(FILE *out, int depth, const char *name, const void *v, size_t len)
{
	indent(out, depth);
	cmd_fputs_esc(name, out);
	if (len) {
		char *t = cvo_dts_value(v, len);
		fputs(" = ", out);
		cmd_fputs_esc(t ? t : "?", out);
		free(t);
	}
	fputs(";\n", out);
}

static void print_node(FILE *out, const void *fdt, int node, int depth)
{
	int len, prop;
	const char *name = fdt_get_name(fdt, node, &len);
	indent(out, depth);
	cmd_fputs_esc(depth ? name : "/", out);
	fputs(" {\n", out);
	fdt_for_each_property_offset(prop, fdt, node) {
		const char *pn;
		const void *v = fdt_getprop_by_offset(fdt, prop, &pn, &len);
		if (v)
			print_prop(out, depth + 1, pn, v, (size_t)len);
	}
	int child;
	fdt_for_each_subnode(child, fdt, node)
		print_node(out, fdt, child, depth + 1);
	indent(out, depth);
	fputs("};\n", out);
}

static void print_dts(FILE *out, const char *file, const struct planned *p)
{
	const void *fdt = p->after.blob->fdt;
	fputs("/* carveout plan for ", out);
	cmd_fputs_esc(file, out);
	fprintf(out, ": %zu change%s; errors %zu -> %zu, warnings %zu -> %zu */\n",
		p->plan->changes.n, p->plan->changes.n == 1 ? "" : "s",
		p->before_counts[CVO_SEV_ERROR], p->after_counts[CVO_SEV_ERROR],
		p->before_counts[CVO_SEV_WARNING], p->after_counts[CVO_SEV_WARNING]);
	for (size_t i = 0; i < p->plan->n_conflicts; i++) {
		fputs("/* infeasible: ", out);
		cmd_fputs_esc(p->plan->conflicts[i].message, out);
		if (p->plan->conflicts[i].alternative) {
			fputs("; ", out);
			cmd_fputs_esc(p->plan->conflicts[i].alternative, out);
		}
		fputs(" */\n", out);
	}
	for (size_t i = 0; i < p->plan->n_advice; i++) {
		fputs("/* not a DT change (", out);
		fputs(p->plan->advice[i].check, out);
		fputs("): ", out);
		cmd_fputs_esc(p->plan->advice[i].what, out);
		fputs(" */\n", out);
	}
	if (!p->plan->changes.n)
		return;
	int rm = fdt_path_offset(fdt, "/reserved-memory");
	fputs("/ {\n", out);
	if (rm >= 0)
		print_node(out, fdt, rm, 1);
	fputs("};\n", out);
	/* the other nodes a change names, with the properties it changed */
	for (size_t i = 0; i < p->plan->changes.n; i++) {
		const struct cvo_change *c = &p->plan->changes.v[i];
		if (!strncmp(c->path, "/reserved-memory/", 17) || !c->property)
			continue;
		if (i && !strcmp(p->plan->changes.v[i - 1].path, c->path))
			continue;
		fputs("&{", out);
		cmd_fputs_esc(c->path, out);
		fputs("} {\n", out);
		for (size_t k = i; k < p->plan->changes.n && !strcmp(p->plan->changes.v[k].path,
									 c->path); k++) {
			const struct cvo_change *d = &p->plan->changes.v[k];
			if (d->action == CVO_CHANGE_DELETE_PROPERTY) {
				fputs("\t/delete-property/ ", out);
				cmd_fputs_esc(d->property, out);
				fputs(";\n", out);
			} else {
				print_prop(out, 1, d->property, d->value.value, d->value.len);
			}
		}
		fputs("};\n", out);
	}
}

/* Write text (or bytes) to path atomically, or to stdout for NULL. */
static int emit(const char *path, const void *buf, size_t len)
{
	if (!path || !strcmp(path, "-")) {
		fwrite(buf, 1, len, stdout);
		return 0;
	}
	struct cvo_error err = { 0 };
	if (cvo_write_atomic(path, buf, len, NULL, &err)) {
		cmd_print_error(&err);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ --svg */

/* The planned map, the regions the plan changed marked; written atomically. */
static int write_plan_svg(const char *path, const char *file, const struct planned *p)
{
	const struct cvo_changes *c = &p->plan->changes;
	struct map_mark *mk = calloc(c->n ? c->n : 1, sizeof(*mk));
	char **own = calloc(c->n ? 2 * c->n : 1, sizeof(*own));
	size_t n = 0, n_own = 0;
	int r = -1;
	if (!mk || !own)
		goto out;
	for (size_t i = 0; i < c->n; i++) {
		const struct cvo_change *ch = &c->v[i];
		if (strncmp(ch->path, "/reserved-memory/", 17))
			continue;
		char *where = NULL, *what = NULL;
		if (ch->new_name) {
			const char *slash = strrchr(ch->path, '/');
			size_t dir = (size_t)(slash - ch->path);
			where = malloc(dir + strlen(ch->new_name) + 2);
			if (where)
				sprintf(where, "%.*s/%s", (int)dir, ch->path, ch->new_name);
		} else {
			where = strdup(ch->path);
		}
		const char *verb = ch->action == CVO_CHANGE_ADD_NODE ? "added"
				   : ch->action == CVO_CHANGE_MOVE   ? "moved"
				   : ch->action == CVO_CHANGE_RESIZE ? "resized"
				   : ch->action == CVO_CHANGE_DELETE_PROPERTY ? "deleted"
									     : "set";
		if (ch->property && ch->old_text && ch->new_text)
			what = malloc(strlen(verb) + strlen(ch->property) + strlen(ch->old_text) +
				      strlen(ch->new_text) + 16);
		else
			what = malloc(strlen(verb) + (ch->property ? strlen(ch->property) : 0) + 4);
		if (!where || !what) {
			free(where);
			free(what);
			goto out;
		}
		if (ch->property && ch->old_text && ch->new_text)
			sprintf(what, "%s %s %s -> %s", verb, ch->property, ch->old_text, ch->new_text);
		else if (ch->property)
			sprintf(what, "%s %s", verb, ch->property);
		else
			strcpy(what, verb);
		own[n_own++] = where;
		own[n_own++] = what;
		mk[n++] = (struct map_mark){ where, what };
	}
	struct cvo_map *mp = NULL;
	if (cvo_map_build(&p->after.placement, &mp)) {
		fprintf(stderr, "carveout: out of memory\n");
		goto out;
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f && !map_svg_marked(f, file, mp, mk, n) && !fclose(f)) {
		f = NULL;
		r = emit(path, buf, len);
	} else {
		if (f)
			fclose(f);
		fprintf(stderr, "carveout: out of memory\n");
	}
	free(buf);
	cvo_map_free(mp);
out:
	for (size_t i = 0; i < n_own; i++)
		free(own[i]);
	free(own);
	free(mk);
	return r;
}

/* ------------------------------------------------------------------ the commands */

struct common {
	struct cmd_dt_opts dt;
	const char *requests;
	bool fixed_reg;
};

static void usage_plan(FILE *out)
{
	fprintf(out, "usage: carveout plan [-p PLATFORM] [-r REQUESTS.yaml] [--static]\n"
		     "                     [-f dts|overlay|json] [-o OUT] [--svg OUT.svg] [-I DIR]...\n"
		     "                     [--apply OVERLAY]... [--kernel VERSION] [--config FILE]\n"
		     "                     [--cmdline ARGS] [--memory BASE:SIZE[,...]]\n"
		     "                     [--page-size 4K|16K|64K] FILE\n");
}

static void usage_fix(FILE *out)
{
	fprintf(out, "usage: carveout fix [-p PLATFORM] [-r REQUESTS.yaml] [--static]\n"
		     "                    (-o OUT.dtb | --overlay OUT.dtbo | --in-place | --diff)\n"
		     "                    [-I DIR]... [--apply OVERLAY]... [--kernel VERSION]\n"
		     "                    [--config FILE] [--cmdline ARGS] [--memory BASE:SIZE[,...]]\n"
		     "                    [--page-size 4K|16K|64K] FILE\n");
}

static int run(bool fix, int argc, char **argv)
{
	enum { OPT_STATIC = 256, OPT_OVERLAY, OPT_IN_PLACE, OPT_DIFF, OPT_SVG };
	static const struct option longopts[] = {
		CMD_DT_LONGOPTS,
		{ "requests", required_argument, NULL, 'r' },
		{ "static", no_argument, NULL, OPT_STATIC },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "overlay", required_argument, NULL, OPT_OVERLAY },
		{ "in-place", no_argument, NULL, OPT_IN_PLACE },
		{ "svg", required_argument, NULL, OPT_SVG },
		{ "diff", no_argument, NULL, OPT_DIFF },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *name = fix ? "fix" : "plan";
	void (*usage)(FILE *) = fix ? usage_fix : usage_plan;
	struct common co = { 0 };
	if (cmd_dt_opts_init(&co.dt, argc))
		return EXIT_INPUT;
	enum fmt fmt = FMT_DTS;
	const char *output = NULL, *overlay = NULL, *svg = NULL;
	bool in_place = false, diff = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CMD_DT_SHORTOPTS "r:f:o:h", longopts, NULL)) !=
	       -1) {
		if (cmd_dt_opt(&co.dt, c, optarg))
			continue;
		switch (c) {
		case 'r':
			co.requests = optarg;
			break;
		case OPT_STATIC:
			co.fixed_reg = true;
			break;
		case 'f':
			if (fix)
				goto bad;
			if (!strcmp(optarg, "dts"))
				fmt = FMT_DTS;
			else if (!strcmp(optarg, "overlay"))
				fmt = FMT_OVERLAY;
			else if (!strcmp(optarg, "json"))
				fmt = FMT_JSON;
			else {
				fprintf(stderr, "carveout: plan: unknown format '");
				cmd_fputs_esc(optarg, stderr);
				fprintf(stderr, "' (dts, overlay, json)\n");
				cmd_dt_opts_fini(&co.dt);
				return EXIT_USAGE;
			}
			break;
		case 'o':
			output = optarg;
			break;
		case OPT_OVERLAY:
			if (!fix)
				goto bad;
			overlay = optarg;
			break;
		case OPT_SVG:
			if (fix)
				goto bad;
			svg = optarg;
			break;
		case OPT_IN_PLACE:
			if (!fix)
				goto bad;
			in_place = true;
			break;
		case OPT_DIFF:
			if (!fix)
				goto bad;
			diff = true;
			break;
		case 'h':
			usage(stdout);
			cmd_dt_opts_fini(&co.dt);
			return cmd_finish_stdout(EXIT_CLEAN);
		default:
		bad:
			cmd_option_error(name, c, argv, longopts);
			usage(stderr);
			cmd_dt_opts_fini(&co.dt);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "carveout: %s: %s\n", name,
			optind >= argc ? "no input file" : "one input file at a time");
		usage(stderr);
		cmd_dt_opts_fini(&co.dt);
		return EXIT_USAGE;
	}
	const char *file = argv[optind];
	if (fix && (!!output + !!overlay + in_place + diff) != 1) {
		fprintf(stderr, "carveout: fix: give exactly one of -o OUT.dtb, --overlay OUT.dtbo, "
				"--in-place and --diff\n");
		usage(stderr);
		cmd_dt_opts_fini(&co.dt);
		return EXIT_USAGE;
	}
	if (fix && in_place && !strcmp(file, "-")) {
		fprintf(stderr, "carveout: fix: --in-place needs a file, not standard input\n");
		cmd_dt_opts_fini(&co.dt);
		return EXIT_USAGE;
	}
	int code = cmd_dt_opts_load(&co.dt);
	if (code) {
		cmd_dt_opts_fini(&co.dt);
		return code;
	}
	struct cvo_error err = { 0 };
	struct cvo_requests *rq = NULL;
	if (co.requests && cvo_requests_load(co.requests, &rq, &err)) {
		cmd_print_error(&err);
		cmd_dt_opts_fini(&co.dt);
		return EXIT_INPUT;
	}
	struct cvo_platform_set ps;
	int r = cvo_platform_set_init(&ps, co.dt.platform, co.dt.overrides, NULL, &err);
	if (r) {
		cmd_print_error(&err);
		cvo_requests_free(rq);
		cmd_dt_opts_fini(&co.dt);
		return cmd_platform_exit(r);
	}
	struct cvo_plan_opts po = { .fixed_reg = co.fixed_reg, .requests = rq };
	struct planned p;
	code = plan_file(file, &ps, &co.dt.load, &po, &p);
	if (code)
		goto out;
	const char *shown = p.in.blob->name ? p.in.blob->name : file;
	bool left = !p.plan->feasible || !p.confirmed || p.after_counts[CVO_SEV_ERROR];
	if (!fix) {
		code = EXIT_INPUT;
		if (svg && write_plan_svg(svg, shown, &p))
			goto out;
		if (fmt == FMT_JSON) {
			json_t *files = json_array();
			json_array_append_new(files, plan_json(shown, &p));
			json_t *doc = json_object();
			json_object_set_new(doc, "version", json_integer(1));
			json_t *tool = json_object();
			json_object_set_new(tool, "name", json_string("carveout"));
			json_object_set_new(tool, "version", json_string(CVO_VERSION));
			json_object_set_new(doc, "tool", tool);
			json_object_set_new(doc, "files", files);
			char *s = json_dumps(doc, JSON_INDENT(2));
			json_decref(doc);
			size_t n = s ? strlen(s) : 0;
			char *t = s ? realloc(s, n + 2) : NULL;
			if (!t) {
				free(s);
				fprintf(stderr, "carveout: out of memory\n");
				goto out;
			}
			t[n] = '\n';
			t[n + 1] = '\0';
			int w = emit(output, t, n + 1);
			free(t);
			if (w)
				goto out;
		} else if (fmt == FMT_OVERLAY) {
			char *s = NULL;
			if (cvo_changes_overlay_source(p.in.blob, &p.plan->changes, &s)) {
				fprintf(stderr, "carveout: out of memory\n");
				goto out;
			}
			int w = emit(output, s, strlen(s));
			free(s);
			if (w)
				goto out;
		} else {
			char *s = NULL;
			size_t n = 0;
			FILE *m = open_memstream(&s, &n);
			if (!m) {
				fprintf(stderr, "carveout: out of memory\n");
				goto out;
			}
			print_dts(m, shown, &p);
			if (fclose(m) || emit(output, s, n)) {
				free(s);
				goto out;
			}
			free(s);
		}
		code = cmd_finish_stdout(left ? EXIT_FINDINGS : EXIT_CLEAN);
		goto out;
	}
	/* fix: the re-parsed copy is what is written */
	code = EXIT_INPUT;
	if (diff) {
		/* --diff: the changes as a diff of the DTS sources on stdout; nothing written */
		char *s = NULL;
		if (!p.in.blob->srcmap) {
			fprintf(stderr, "carveout: fix: ");
			cmd_fputs_esc(shown, stderr);
			fprintf(stderr, ": --diff needs DTS input (this is a DTB): write the DT with "
					"-o or --in-place\n");
			code = EXIT_USAGE;
		} else if (cvo_changes_source_diff(p.in.blob, &p.plan->changes, &s, &err)) {
			cmd_print_error(&err);
		} else {
			fputs(s, stdout);
			code = cmd_finish_stdout(left ? EXIT_FINDINGS : EXIT_CLEAN);
		}
		free(s);
		goto out;
	}
	if (overlay) {
		for (size_t i = 0; i < p.plan->changes.n; i++) {
			const struct cvo_change *ch = &p.plan->changes.v[i];
			if (ch->new_name || ch->action == CVO_CHANGE_DELETE_PROPERTY) {
				fprintf(stderr, "carveout: fix: ");
				cmd_fputs_esc(shown, stderr);
				fprintf(stderr, ": the plan %s ", ch->new_name ? "renames" : "deletes");
				cmd_fputs_esc(ch->new_name ? ch->path : ch->property, stderr);
				fprintf(stderr, ", which an overlay cannot do: write the DT with -o\n");
				goto out;
			}
		}
		void *dtbo = NULL;
		size_t n = 0;
		if (cvo_changes_overlay_blob(p.in.blob, &p.plan->changes, &dtbo, &n, &err)) {
			cmd_print_error(&err);
			goto out;
		}
		int w = emit(overlay, dtbo, n);
		free(dtbo);
		if (w)
			goto out;
	} else {
		const char *dst = in_place ? file : output;
		if (cvo_write_atomic(dst, p.after.blob->fdt, fdt_totalsize(p.after.blob->fdt),
				     in_place ? file : NULL, &err)) {
			cmd_print_error(&err);
			goto out;
		}
	}
	fprintf(stderr, "carveout: fix: ");
	cmd_fputs_esc(shown, stderr);
	fprintf(stderr, ": %zu change%s; errors %zu -> %zu, warnings %zu -> %zu%s\n",
		p.plan->changes.n, p.plan->changes.n == 1 ? "" : "s",
		p.before_counts[CVO_SEV_ERROR], p.after_counts[CVO_SEV_ERROR],
		p.before_counts[CVO_SEV_WARNING], p.after_counts[CVO_SEV_WARNING],
		p.plan->feasible && p.confirmed ? "" : "; infeasible (carveout plan says why)");
	for (size_t i = 0; i < p.plan->changes.n; i++) {
		const struct cvo_change *ch = &p.plan->changes.v[i];
		fprintf(stdout, "%s ", cvo_change_action_name(ch->action));
		cmd_fputs_esc(ch->path, stdout);
		if (ch->property) {
			fputc(':', stdout);
			cmd_fputs_esc(ch->property, stdout);
		}
		if (ch->new_text) {
			fputs(" = ", stdout);
			cmd_fputs_esc(ch->new_text, stdout);
		}
		fputs(" (", stdout);
		for (size_t k = 0; k < ch->n_fixes; k++)
			fprintf(stdout, "%s%s", k ? ", " : "", ch->fixes[k]);
		if (ch->request) {
			fputs(ch->n_fixes ? ", request " : "request ", stdout);
			cmd_fputs_esc(ch->request, stdout);
		}
		fputs(")\n", stdout);
	}
	struct out_opts oo = { .quiet = true };
	out_text(stdout, shown, &p.after, &p.after_findings, &oo);
	code = cmd_finish_stdout(left ? EXIT_FINDINGS : EXIT_CLEAN);
out:
	planned_fini(&p);
	cvo_platform_set_fini(&ps);
	cvo_requests_free(rq);
	cmd_dt_opts_fini(&co.dt);
	return code;
}

int cmd_plan(int argc, char **argv)
{
	return run(false, argc, argv);
}

int cmd_fix(int argc, char **argv)
{
	return run(true, argc, argv);
}

// SPDX-License-Identifier: MIT
/* carveout explain, list-checks, platforms: what carveout knows, printed. */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "escape.h"

static const struct option help_only[] = {
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

/*
 * The options of a subcommand that takes only -h (and, for list-checks, -f):
 * EXIT_CLEAN after printing the usage for -h, EXIT_USAGE (printed) for a bad
 * option, -1 to go on.
 */
static int parse_simple(const char *cmd, const char *usage, int argc, char **argv,
			const char **format)
{
	static const struct option with_format[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const struct option *longopts = format ? with_format : help_only;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, format ? ":f:h" : ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			*format = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return cmd_finish_stdout(EXIT_CLEAN);
		default:
			cmd_option_error(cmd, c, argv, longopts);
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

int cmd_explain(int argc, char **argv)
{
	static const char usage[] = "usage: carveout explain ID\n";
	int code = parse_simple("explain", usage, argc, argv, NULL);
	if (code >= 0)
		return code;
	if (optind != argc - 1) {
		fprintf(stderr, "carveout: explain: %s\n",
			optind >= argc ? "no check id" : "one check id at a time");
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	const char *id = argv[optind];
	int i = cvo_check_index(id);
	if (i < 0) {
		fprintf(stderr, "carveout: unknown check '%s' (see carveout list-checks)\n", id);
		return EXIT_USAGE;
	}
	const struct cvo_check *c = cvo_check_get((size_t)i);
	printf("%s (%s, %s)\n%s\n\n%s\n", c->id, cvo_severity_name(c->severity), c->family,
	       c->summary, c->explain ? c->explain : "");
	bool fixes;
	const char *plan = cvo_plan_resolution(c->id, &fixes);
	printf("Plan: %s\n", plan ? plan : "carveout plan leaves it alone (not a layout it changes)");
	return cmd_finish_stdout(EXIT_CLEAN);
}

int cmd_list_checks(int argc, char **argv)
{
	static const char usage[] = "usage: carveout list-checks [-f text|json]\n";
	const char *format = "text";
	int code = parse_simple("list-checks", usage, argc, argv, &format);
	if (code >= 0)
		return code;
	if (optind < argc) {
		fprintf(stderr, "carveout: list-checks: unexpected argument '%s'\n", argv[optind]);
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (strcmp(format, "text") && strcmp(format, "json")) {
		fprintf(stderr, "carveout: unknown format '%s' (text, json)\n", format);
		return EXIT_USAGE;
	}
	bool json = !strcmp(format, "json");
	size_t n = cvo_check_count();
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++) {
			const struct cvo_check *c = cvo_check_get(i);
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(c->id));
			json_object_set_new(o, "severity", json_string(cvo_severity_name(c->severity)));
			json_object_set_new(o, "family", json_string(c->family));
			json_object_set_new(o, "summary", json_string(c->summary));
			json_object_set_new(o, "explain", json_string(c->explain ? c->explain : ""));
			bool fixes;
			const char *plan = cvo_plan_resolution(c->id, &fixes);
			json_object_set_new(o, "plan-resolves", json_boolean(fixes));
			if (plan)
				json_object_set_new(o, "plan", json_string(plan));
			json_array_append_new(a, o);
		}
		json_dumpf(a, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(a);
	} else {
		for (size_t i = 0; i < n; i++) {
			const struct cvo_check *c = cvo_check_get(i);
			printf("%-28s %-8s %s\n", c->id, cvo_severity_name(c->severity), c->summary);
		}
	}
	return cmd_finish_stdout(EXIT_CLEAN);
}

/* "FILE:LINE" of a value, or what set it; "-" when nothing did. */
static const char *origin_or(const char *o, const char *dflt)
{
	return o ? o : dflt;
}

static void show_row(const char *key, const char *value, const char *origin)
{
	printf("%-28s ", key);
	cmd_fputs_esc(value, stdout);
	if (*origin) {
		int pad = 26 - (int)strlen(value);
		printf("%*s  ", pad > 0 ? pad : 0, "");
		cmd_fputs_esc(origin, stdout);
	}
	fputc('\n', stdout);
}

static void show_symbols(const struct cvo_platform *p)
{
	size_t modelled = 0;
	printf("%-28s (from %s)\n", "kernel.config", origin_or(p->config_origin, "-"));
	for (size_t i = 0; cvo_kconfig_model(i); i++) {
		const struct cvo_kconfig_model *m = cvo_kconfig_model(i);
		const struct cvo_kconfig_symbol *y = cvo_platform_symbol(p, m->name);
		char key[80], value[80], origin[300];
		snprintf(key, sizeof(key), "  %s", m->name);
		if (y) {
			modelled++;
			snprintf(value, sizeof(value), "%.70s", y->value);
			snprintf(origin, sizeof(origin), "%s", y->origin);
		} else {
			snprintf(value, sizeof(value), "%.60s (not set)", m->unset);
			snprintf(origin, sizeof(origin), "not in %s", origin_or(p->config_origin, "-"));
		}
		show_row(key, value, origin);
		printf("%-30s %s\n", "", m->effect);
	}
	if (p->n_symbols > modelled)
		printf("  and %zu more symbols, kept but not modelled\n", p->n_symbols - modelled);
}

static void show_platform(const struct cvo_platform *p)
{
	char v[128], a[32];
	const char *file = p->file, *dir = cvo_boards_dir();
	size_t dl = strlen(dir);
	if (!strncmp(file, dir, dl) && file[dl] == '/')
		file += dl + 1; /* a bundled board, by its file name as in its origins */
	show_row("platform", p->name, file);
	if (p->extends)
		show_row("extends", p->extends, file);
	show_row("profile", p->profile ? p->profile : "-", "built-in");
	show_row("arch", cvo_arch_name(p->arch), origin_or(p->origin[CVO_ORIGIN_ARCH], "-"));
	show_row("page-size", cvo_fmt_size(p->page_size, a, sizeof(a)),
		 origin_or(p->origin[CVO_ORIGIN_PAGE_SIZE], "-"));
	if (p->kver_patch >= 0)
		snprintf(v, sizeof(v), "%d.%d.%d", p->kver_major, p->kver_minor, p->kver_patch);
	else
		snprintf(v, sizeof(v), "%d.%d (patch level unknown)", p->kver_major,
			 p->kver_minor);
	show_row("kernel.version", v, origin_or(p->origin[CVO_ORIGIN_VERSION], "-"));
	if (p->kver_release && strcmp(p->kver_release, v))
		show_row("  as written", p->kver_release, "");
	show_row("kernel.cmdline", p->cmdline ? p->cmdline : "(none)",
		 origin_or(p->origin[CVO_ORIGIN_CMDLINE], "-"));
	if (p->has_cmdline_cma) {
		snprintf(v, sizeof(v), "%s", cvo_fmt_size(p->cmdline_cma_size, a, sizeof(a)));
		if (p->cmdline_cma_base)
			snprintf(v + strlen(v), sizeof(v) - strlen(v), " at 0x%llx",
				 (unsigned long long)p->cmdline_cma_base);
		show_row("  cma=", v, "");
	}
	if (p->has_coherent_pool)
		show_row("  coherent_pool=", cvo_fmt_size(p->coherent_pool, a, sizeof(a)), "");
	if (p->has_mem)
		show_row("  mem=", cvo_fmt_size(p->mem, a, sizeof(a)), "");
	show_symbols(p);
	printf("derived\n");
	uint64_t align = cvo_platform_cma_min_align(p);
	show_row("  CMA minimum alignment", cvo_fmt_size(align, a, sizeof(a)),
		 "page size, HUGETLB_PAGE, TRANSPARENT_HUGEPAGE, ARCH_FORCE_MAX_ORDER, version");
	show_row("  phys_addr_t", cvo_platform_phys_max(p) == UINT64_MAX ? "64 bits" : "32 bits",
		 p->arch == CVO_ARCH_ARM ? "ARM_LPAE" : "arch");
	if (p->config.dma_cma) {
		static const char *const sel[] = { "CMA_SIZE_MBYTES", "CMA_SIZE_PERCENTAGE of RAM",
						   "the smaller of both", "the larger of both" };
		snprintf(v, sizeof(v), "%s", sel[p->config.cma_size_sel]);
		show_row("  default CMA size", v, "CMA_SIZE_SEL_*");
	} else {
		show_row("  default CMA area", "none", "DMA_CMA, CMA");
	}
	if (p->n_memory) {
		for (size_t i = 0; i < p->n_memory; i++) {
			snprintf(v, sizeof(v), "0x%llx %s", (unsigned long long)p->memory[i].base,
				 cvo_fmt_size(p->memory[i].size, a, sizeof(a)));
			show_row(i ? "" : "memory", v, i ? "" : origin_or(p->origin[CVO_ORIGIN_MEMORY], "-"));
		}
	} else {
		show_row("memory", "(the DT's /memory)", "-");
	}
	for (size_t i = 0; i < p->n_reserved; i++) {
		snprintf(v, sizeof(v), "%s 0x%llx %s", p->reserved[i].name,
			 (unsigned long long)p->reserved[i].base,
			 cvo_fmt_size(p->reserved[i].size, a, sizeof(a)));
		show_row(i ? "" : "reserved", v, origin_or(p->reserved[i].origin, "-"));
	}
	for (size_t i = 0; i < p->n_devices; i++) {
		const struct cvo_platform_device *d = &p->devices[i];
		snprintf(v, sizeof(v), "%s %s", d->match_compatible ? "compatible" : "path",
			 d->match_compatible ? d->match_compatible : d->match_path);
		show_row(i ? "" : "devices", v, origin_or(d->origin, "-"));
	}
	if (p->n_compatible) {
		for (size_t i = 0; i < p->n_compatible; i++)
			show_row(i ? "" : "compatible", p->compatible[i],
				 i ? "" : origin_or(p->origin[CVO_ORIGIN_COMPATIBLE], "-"));
	}
	for (size_t i = 0; i < p->n_sources; i++) {
		printf("%-28s ", i ? "" : "sources");
		cmd_fputs_esc(p->sources[i], stdout);
		fputc('\n', stdout);
	}
}

static int platforms_show(int argc, char **argv, int first)
{
	static const char usage[] =
	    "usage: carveout platforms show NAME|FILE [--kernel VERSION] [--config FILE]\n"
	    "                               [--cmdline ARGS] [--memory BASE:SIZE[,...]]\n"
	    "                               [--page-size 4K|16K|64K]\n";
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, CMD_OPT_KERNEL },
		{ "config", required_argument, NULL, CMD_OPT_CONFIG },
		{ "cmdline", required_argument, NULL, CMD_OPT_CMDLINE },
		{ "memory", required_argument, NULL, CMD_OPT_MEMORY },
		{ "page-size", required_argument, NULL, CMD_OPT_PAGE_SIZE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cmd_dt_opts dt;
	if (cmd_dt_opts_init(&dt, argc))
		return EXIT_INPUT;
	int c, code = EXIT_USAGE;
	optind = first;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c != 'h' && cmd_dt_opt(&dt, c, optarg))
			continue;
		if (c == 'h') {
			fputs(usage, stdout);
			code = cmd_finish_stdout(EXIT_CLEAN);
		} else {
			cmd_option_error("platforms", c, argv, longopts);
			fputs(usage, stderr);
		}
		goto out;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "carveout: platforms: show: %s\n",
			optind >= argc ? "no platform name" : "one platform at a time");
		fputs(usage, stderr);
		goto out;
	}
	if (!strcmp(argv[optind], "auto")) {
		fprintf(stderr, "carveout: platforms: show: auto depends on the DT: name a platform\n");
		goto out;
	}
	dt.platform = argv[optind];
	if ((code = cmd_dt_opts_load(&dt)))
		goto out;
	struct cvo_platform_set pl;
	if ((code = cmd_platforms_load(&dt, &pl)))
		goto out;
	show_platform(pl.fixed);
	cvo_platform_set_fini(&pl);
	code = cmd_finish_stdout(EXIT_CLEAN);
out:
	cmd_dt_opts_fini(&dt);
	return code;
}

int cmd_platforms(int argc, char **argv)
{
	static const char usage[] = "usage: carveout platforms [show NAME|FILE [OPTION]...]\n";
	if (argc > 1 && !strcmp(argv[1], "show"))
		return platforms_show(argc, argv, 2);
	int code = parse_simple("platforms", usage, argc, argv, NULL);
	if (code >= 0)
		return code;
	if (optind < argc) {
		fprintf(stderr, "carveout: platforms: unexpected argument '%s'\n", argv[optind]);
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	struct cvo_platform **list = NULL;
	size_t n = 0;
	struct cvo_error err = { 0 };
	int r = cvo_platform_list(cvo_boards_dir(), &list, &n, &err);
	if (r) {
		cmd_print_error(&err);
		return EXIT_INPUT;
	}
	for (size_t i = 0; i < n; i++) {
		printf("%-22s %-7s", list[i]->name, cvo_arch_name(list[i]->arch));
		for (size_t k = 0; k < list[i]->n_compatible; k++)
			printf("%s%s", k ? ", " : " ", list[i]->compatible[k]);
		printf("\n");
	}
	cvo_platform_list_free(list, n);
	/* the built-in profiles: what -p NAME and extends: NAME take besides the boards */
	const char *alias;
	for (size_t i = 0; cvo_platform_profile_name(i, &alias); i++) {
		const char *name = cvo_platform_profile_name(i, &alias);
		struct cvo_platform *p = NULL;
		if (cvo_platform_profile(name, &p, &err)) {
			cmd_print_error(&err);
			return EXIT_INPUT;
		}
		printf("%-22s %-7s built-in: %s%s%s\n", name, cvo_arch_name(p->arch),
		       alias ? "the profile " : "", alias ? alias : "", alias ? "" : p->sources[0]);
		cvo_platform_free(p);
	}
	return cmd_finish_stdout(EXIT_CLEAN);
}

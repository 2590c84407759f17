// SPDX-License-Identifier: MIT
/* carveout explain, list-checks, platforms: what carveout knows, printed. */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

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

int cmd_platforms(int argc, char **argv)
{
	static const char usage[] = "usage: carveout platforms\n";
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
	int r = cvo_platform_list(cmd_boards_dir(), &list, &n, &err);
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
	return cmd_finish_stdout(EXIT_CLEAN);
}

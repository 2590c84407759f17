// SPDX-License-Identifier: MIT
/* carveout explain, list-checks, platforms: what carveout knows, printed. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

int cmd_explain(int argc, char **argv)
{
	if (argc != 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fprintf(argc == 2 ? stdout : stderr, "usage: carveout explain ID\n");
		return argc == 2 ? cmd_finish_stdout(EXIT_CLEAN) : EXIT_USAGE;
	}
	int i = cvo_check_index(argv[1]);
	if (i < 0) {
		fprintf(stderr, "carveout: unknown check '%s' (see carveout list-checks)\n", argv[1]);
		return EXIT_USAGE;
	}
	const struct cvo_check *c = cvo_check_get((size_t)i);
	printf("%s (%s, %s)\n%s\n\n%s\n", c->id, cvo_severity_name(c->severity), c->family,
	       c->summary, c->explain ? c->explain : "");
	return cmd_finish_stdout(EXIT_CLEAN);
}

int cmd_list_checks(int argc, char **argv)
{
	bool json = false;
	if (argc == 3 && !strcmp(argv[1], "-f") && !strcmp(argv[2], "json"))
		json = true;
	else if (!(argc == 1 || (argc == 3 && !strcmp(argv[1], "-f") && !strcmp(argv[2], "text")))) {
		fprintf(stderr, "usage: carveout list-checks [-f text|json]\n");
		return EXIT_USAGE;
	}
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
	if (argc != 1) {
		fprintf(stderr, "usage: carveout platforms\n");
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

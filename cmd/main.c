// SPDX-License-Identifier: MIT
/* carveout: subcommand dispatch (one alphabetised table, git/sway style). */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct subcommand subcommands[] = {
	{ "check", cmd_check, "check device trees and report findings" },
	{ "diff", cmd_diff, "compare two trees: what a change does to the layout" },
	{ "explain", cmd_explain, "explain a check: what, why, example, fix" },
	{ "fix", cmd_fix, "apply the plan to a DT and write it (atomically)" },
	{ "list-checks", cmd_list_checks, "list every check id with its severity" },
	{ "map", cmd_map, "print the memory map the kernel will build (text or SVG)" },
	{ "plan", cmd_plan, "plan a reserved-memory layout that resolves what a DT change can" },
	{ "platforms", cmd_platforms, "list the bundled platform files" },
	{ "verify", cmd_verify, "compare a boot log (dmesg) with the prediction for its DT" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: carveout <command> [options] [FILE...]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %-12s %s\n", subcommands[i].name, subcommands[i].summary);
	fprintf(out, "\nSee carveout(1); 'carveout <command> -h' for its options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "carveout: no command given\n");
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "-h") || !strcmp(name, "--help") || !strcmp(name, "help")) {
		usage(stdout);
		return cmd_finish_stdout(EXIT_CLEAN);
	}
	if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
		printf("carveout %s\n", CVO_VERSION);
		return cmd_finish_stdout(EXIT_CLEAN);
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(name, subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "carveout: unknown command '%s'\n", name);
	usage(stderr);
	return EXIT_USAGE;
}

// SPDX-License-Identifier: MIT
/*
 * The options every subcommand that reads a DT takes (-p, -I, --apply, and
 * --kernel, --config, --cmdline, --memory, --page-size on top of -p), and
 * getopt's errors in carveout's own words: getopt would name argv[0], the
 * subcommand, and print "check: invalid option".
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "escape.h"

int cmd_dt_opts_init(struct cmd_dt_opts *o, int argc)
{
	memset(o, 0, sizeof(*o));
	/* no option appears more often than there are arguments */
	o->incdirs = calloc((size_t)argc + 1, sizeof(char *));
	o->apply = calloc((size_t)argc + 1, sizeof(char *));
	if (!o->incdirs || !o->apply) {
		cmd_dt_opts_fini(o);
		fprintf(stderr, "carveout: out of memory\n");
		return -1;
	}
	return 0;
}

bool cmd_dt_opt(struct cmd_dt_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'p':
		o->platform = arg;
		return true;
	case 'I':
		o->incdirs[o->n_incdirs++] = arg;
		return true;
	case CMD_OPT_APPLY:
		o->apply[o->n_apply++] = arg;
		return true;
	case CMD_OPT_KERNEL:
		o->popts.kernel = arg;
		return true;
	case CMD_OPT_CONFIG:
		o->popts.config = arg;
		return true;
	case CMD_OPT_CMDLINE:
		o->popts.cmdline = arg;
		return true;
	case CMD_OPT_MEMORY:
		o->popts.memory = arg;
		return true;
	case CMD_OPT_PAGE_SIZE:
		o->popts.page_size = arg;
		return true;
	default:
		return false;
	}
}

size_t cmd_dt_opts_stdin(const struct cmd_dt_opts *o)
{
	size_t n = 0;
	for (size_t i = 0; i < o->n_apply; i++)
		n += !strcmp(o->apply[i], "-");
	return n;
}

int cmd_dt_opts_load(struct cmd_dt_opts *o)
{
	o->load.incdirs = o->incdirs;
	o->load.n_incdirs = o->n_incdirs;
	struct cvo_error perr = {0};
	int r = cvo_overrides_new(&o->popts, &o->overrides, &perr);
	if (r) {
		cmd_print_error(&perr);
		return cmd_platform_exit(r);
	}
	if (!o->n_apply)
		return 0;
	o->overlays = calloc(o->n_apply, sizeof(*o->overlays));
	if (!o->overlays) {
		fprintf(stderr, "carveout: out of memory\n");
		return EXIT_INPUT;
	}
	for (size_t i = 0; i < o->n_apply; i++) {
		struct cvo_error err = {0};
		if (cvo_overlay_load(o->apply[i], o->incdirs, o->n_incdirs, &o->overlays[i], &err)) {
			cmd_print_error(&err);
			return EXIT_INPUT;
		}
	}
	o->load.overlays = (const struct cvo_blob *const *)o->overlays;
	o->load.n_overlays = o->n_apply;
	return 0;
}

void cmd_dt_opts_fini(struct cmd_dt_opts *o)
{
	for (size_t i = 0; o->overlays && i < o->n_apply; i++)
		cvo_blob_free(o->overlays[i]);
	free(o->overlays);
	cvo_overrides_free(o->overrides);
	free(o->incdirs);
	free(o->apply);
	memset(o, 0, sizeof(*o));
}

/* Whether the long option name (up to '=' in tok) has the value val. */
static bool long_is(const struct option *longopts, const char *tok, int val)
{
	size_t n = strcspn(tok, "=");
	for (const struct option *l = longopts; l && l->name; l++)
		if (strlen(l->name) >= n && !strncmp(l->name, tok, n) && l->val == val)
			return true;
	return false;
}

void cmd_option_error(const char *cmd, int c, char *const *argv, const struct option *longopts)
{
	const char *tok = optind > 0 ? argv[optind - 1] : "";
	bool is_long = !strncmp(tok, "--", 2) &&
		       (optopt == 0 || optopt > 255 || long_is(longopts, tok + 2, optopt));
	char shortname[3] = {'-', (char)optopt, '\0'};
	char *name = NULL;
	if (is_long) {
		name = malloc(strlen(tok) + 1);
		if (name)
			snprintf(name, strlen(tok) + 1, "%.*s", (int)strcspn(tok, "="), tok);
	}
	const char *shown = is_long ? (name ? name : "--") : shortname;
	fprintf(stderr, "carveout: %s: ", cmd);
	if (c == ':')
		fprintf(stderr, "option '");
	else if (is_long && optopt && strchr(tok, '='))
		fprintf(stderr, "option '");
	else
		fprintf(stderr, "unknown option '");
	cmd_fputs_esc(shown, stderr);
	if (c == ':')
		fprintf(stderr, "' needs an argument\n");
	else if (is_long && optopt && strchr(tok, '='))
		fprintf(stderr, "' takes no argument\n");
	else
		fprintf(stderr, "'\n");
	free(name);
}

// SPDX-License-Identifier: MIT
/*
 * The options every subcommand that reads a DT takes (-p, -I, --apply), and
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
	o->memory_args = calloc((size_t)argc + 1, sizeof(char *));
	o->memory = calloc((size_t)argc + 1, sizeof(*o->memory));
	if (!o->incdirs || !o->apply || !o->memory_args || !o->memory) {
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
	case CMD_OPT_MEMORY:
		o->memory_args[o->n_memory++] = arg;
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

/* A number (decimal or 0x hex) with an optional K, M, G or T suffix; false when malformed
 * or when it does not fit in 64 bits. */
static bool parse_amount(const char *s, size_t len, uint64_t *out)
{
	char buf[64];
	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	unsigned shift = 0;
	switch (buf[len - 1]) {
	case 'K': shift = 10; break;
	case 'M': shift = 20; break;
	case 'G': shift = 30; break;
	case 'T': shift = 40; break;
	default: break;
	}
	if (shift)
		buf[--len] = '\0';
	if (!len || buf[0] == '-' || buf[0] == '+')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(buf, &end, 0);
	if (errno || *end || (shift && v > (UINT64_MAX >> shift)))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

/* --memory BASE:SIZE: false when it is not of that form or SIZE is 0 or it wraps. */
static bool parse_memory(const char *arg, struct cvo_range *out)
{
	const char *colon = strchr(arg, ':');
	if (!colon || !parse_amount(arg, (size_t)(colon - arg), &out->base) ||
	    !parse_amount(colon + 1, strlen(colon + 1), &out->size) || !out->size)
		return false;
	return out->size - 1 <= UINT64_MAX - out->base;
}

int cmd_dt_opts_load(struct cmd_dt_opts *o)
{
	o->load.incdirs = o->incdirs;
	o->load.n_incdirs = o->n_incdirs;
	for (size_t i = 0; i < o->n_memory; i++) {
		if (!parse_memory(o->memory_args[i], &o->memory[i])) {
			fprintf(stderr, "carveout: --memory '");
			cmd_fputs_esc(o->memory_args[i], stderr);
			fprintf(stderr, "': expected BASE:SIZE, such as 0x40000000:4G\n");
			return EXIT_USAGE;
		}
	}
	o->load.memory = o->memory;
	o->load.n_memory = o->n_memory;
	if (!o->n_apply)
		return 0;
	o->overlays = calloc(o->n_apply, sizeof(*o->overlays));
	if (!o->overlays) {
		fprintf(stderr, "carveout: out of memory\n");
		return EXIT_INPUT;
	}
	for (size_t i = 0; i < o->n_apply; i++) {
		struct cvo_error err = {0};
		if (cvo_blob_load(o->apply[i], o->incdirs, o->n_incdirs, &o->overlays[i], &err)) {
			cmd_print_error(&err);
			return EXIT_INPUT;
		}
		if (!cvo_blob_is_overlay(o->overlays[i])) {
			fprintf(
			    stderr,
			    "carveout: %s: not a device tree overlay (no /fragment@N/__overlay__ "
			    "node): --apply takes a .dtbo, or a .dts with /plugin/\n",
			    o->overlays[i]->name);
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
	free(o->incdirs);
	free(o->apply);
	free(o->memory_args);
	free(o->memory);
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

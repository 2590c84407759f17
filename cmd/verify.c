// SPDX-License-Identifier: MIT
/*
 * carveout verify: a boot log against the prediction for the DT it booted. The
 * log's kernel version, command line and RAM replace the platform's (where the
 * platform file itself does not set them); every disagreement is a finding.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "escape.h"
#include "output.h"

enum fmt { FMT_TEXT, FMT_JSON, FMT_SARIF };

static void usage(FILE *out)
{
	fprintf(out,
		"usage: carveout verify [-p PLATFORM] [-f text|json|sarif] [-q] [-v] --dmesg LOG\n"
		"                       [--emit-platform OUT.yaml] [-I DIR]... [--apply OVERLAY]...\n"
		"                       [--kernel VERSION] [--config FILE] [--cmdline ARGS]\n"
		"                       [--memory BASE:SIZE[,...]] [--page-size 4K|16K|64K] FILE\n");
}

/* Write text to path through a temporary file and a rename: never half a file
 * (cvo_write_atomic(); errno says why it failed). */
static int write_file(const char *path, const char *text)
{
	return cvo_write_atomic(path, text, strlen(text), NULL, NULL) ? -1 : 0;
}

int cmd_verify(int argc, char **argv)
{
	enum { OPT_DMESG = 256, OPT_EMIT };
	static const struct option longopts[] = {
		CMD_DT_LONGOPTS,
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "dmesg", required_argument, NULL, OPT_DMESG },
		{ "emit-platform", required_argument, NULL, OPT_EMIT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	enum fmt fmt = FMT_TEXT;
	const char *logfile = NULL, *emit = NULL;
	struct cmd_dt_opts dt;
	struct out_opts oo = { 0 };
	struct cvo_input in = { 0 };
	int code = EXIT_USAGE;
	struct cvo_platform_set pl = { 0 };
	struct cvo_dmesg *log = NULL;
	struct cvo_platform *vp = NULL;
	struct cvo_model *model = NULL;
	struct cvo_placement placement = { 0 };
	struct cvo_report report;
	struct cvo_error err = { 0 };
	cvo_report_init(&report);
	if (cmd_dt_opts_init(&dt, argc))
		return EXIT_INPUT;
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":" CMD_DT_SHORTOPTS "f:qvh", longopts, NULL)) != -1) {
		if (cmd_dt_opt(&dt, c, optarg))
			continue;
		switch (c) {
		case 'q':
			oo.quiet = true;
			break;
		case 'v':
			oo.verbose = true;
			break;
		case 'f':
			if (!strcmp(optarg, "text"))
				fmt = FMT_TEXT;
			else if (!strcmp(optarg, "json"))
				fmt = FMT_JSON;
			else if (!strcmp(optarg, "sarif"))
				fmt = FMT_SARIF;
			else {
				fprintf(stderr, "carveout: unknown format '%s' (text, json, sarif)\n",
					optarg);
				goto out;
			}
			break;
		case OPT_DMESG:
			logfile = optarg;
			break;
		case OPT_EMIT:
			emit = optarg;
			break;
		case 'h':
			usage(stdout);
			code = cmd_finish_stdout(EXIT_CLEAN);
			goto out;
		default:
			cmd_option_error("verify", c, argv, longopts);
			usage(stderr);
			goto out;
		}
	}
	if (!logfile) {
		fprintf(stderr, "carveout: verify: --dmesg LOG is required\n");
		usage(stderr);
		goto out;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "carveout: verify: expected one device tree FILE\n");
		usage(stderr);
		goto out;
	}
	const char *file = argv[optind];
	if (cmd_stdin_twice("verify",
			    cmd_dt_opts_stdin(&dt) + !strcmp(logfile, "-") + !strcmp(file, "-")))
		goto out;
	code = EXIT_INPUT;
	if (cmd_dt_opts_load(&dt))
		goto out;
	int r = cvo_dmesg_load(logfile, &log, &err);
	if (r) {
		cmd_print_error(&err);
		goto out;
	}
	if ((code = cmd_platforms_load(&dt, &pl)))
		goto out;
	code = EXIT_INPUT;
	oo.platform_auto = !pl.fixed;
	/* the DT with its overlays applied, and the platform -p picks for it */
	if (cmd_input_load(file, &pl, &dt, &in))
		goto out;
	const struct cvo_blob *blob = in.blob;
	const struct cvo_platform *base = in.platform;
	/* -p auto guesses the arch from the DT; the log's own lines know it */
	if (!pl.fixed && log->has_arch && base->arch != log->arch)
		base = pl.generic[log->arch];
	if ((r = cvo_verify_platform(base, log, &vp, &err)) ||
	    (r = cvo_model_build(blob, vp, &model, &err))) {
		cmd_print_error(&err);
		goto out;
	}
	if ((r = cvo_place(model, NULL, &placement)) ||
	    (r = cvo_verify(&placement, log, NULL, &report))) {
		fprintf(stderr, "carveout: %s: %s\n", file, cmd_run_error_text(r));
		goto out;
	}
	if (emit) {
		char *yaml = NULL;
		if (cvo_verify_platform_yaml(base, log, &yaml)) {
			fprintf(stderr, "carveout: out of memory\n");
			goto out;
		}
		r = write_file(emit, yaml);
		free(yaml);
		if (r) {
			fprintf(stderr, "carveout: %s: cannot write: %s\n", emit, strerror(errno));
			goto out;
		}
	}
	size_t counts[4] = { 0 };
	for (size_t i = 0; i < report.n; i++)
		counts[report.findings[i].severity]++;
	const char *name = blob->name;
	struct cvo_input vin = {
	    .blob = in.blob, .platform = vp, .model = model, .placement = placement};
	if (fmt == FMT_TEXT) {
		out_text(stdout, name, &vin, &report, &oo);
		if (!oo.quiet)
			out_text_summary(stdout, counts, 1, 0);
	} else {
		json_object_seed(0);
		json_t *doc;
		if (fmt == FMT_JSON) {
			json_t *files = json_array();
			json_array_append_new(files, out_json_file(name, &vin, &report));
			doc = out_json_report(files, counts);
		} else {
			doc = out_sarif_log(out_sarif_results(name, &report, &oo), NULL);
		}
		json_dumpf(doc, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(doc);
	}
	fprintf(stderr, "carveout verify: ");
	cmd_fputs_esc(log->name, stderr);
	fprintf(stderr, ": %s", log->version ? "Linux " : "no kernel version");
	if (log->version)
		cmd_fputs_esc(log->version, stderr);
	fprintf(stderr, ", %zu regions named, %zu mismatches, %zu silent\n", log->n_regions,
		counts[CVO_SEV_ERROR], counts[CVO_SEV_NOTE]);
	code = cmd_finish_stdout(counts[CVO_SEV_ERROR] ? EXIT_FINDINGS : EXIT_CLEAN);
out:
	cvo_report_fini(&report);
	cvo_placement_fini(&placement);
	cvo_model_free(model);
	cvo_platform_free(vp);
	cvo_input_fini(&in);
	cvo_dmesg_free(log);
	cvo_platform_set_fini(&pl);
	cmd_dt_opts_fini(&dt);
	return code;
}

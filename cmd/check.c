// SPDX-License-Identifier: MIT
/*
 * carveout check: every FILE is loaded, simulated and checked in parallel
 * (-j), and the results are printed in input order.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baseline.h"
#include "cmd.h"
#include "output.h"

enum fmt { FMT_TEXT, FMT_DTC, FMT_JSON, FMT_SARIF };

struct job {
	const char *file;
	int rc;			/* CVO_OK or the load error */
	struct cvo_error err;
	char *text;
	size_t text_len;
	json_t *json;		/* files[] entry, or SARIF results */
	size_t counts[4];
	bool over_threshold;
};

struct run {
	struct job *jobs;
	size_t n;
	enum fmt fmt;
	struct cvo_platform_set platforms;
	const struct cvo_load *load;
	const struct cvo_check_config *config;
	enum cvo_severity fail_on;
	const struct cmd_baseline *baseline;
	struct out_opts out;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: carveout check [-p PLATFORM] [-f text|dtc|json|sarif] [-q] [-v]\n"
		"                      [-W [no-]ID] [-E [no-]ID] [--fail-on error|warning|note|none]\n"
		"                      [--baseline FILE [--baseline-root DIR]] [-I DIR]...\n"
		"                      [--apply OVERLAY]... [-j N] [--files-from LIST]... [FILE...]\n"
		"                      [--kernel VERSION] [--config FILE] [--cmdline ARGS]\n"
		"                      [--memory BASE:SIZE[,...]] [--page-size 4K|16K|64K]\n");
}

static void run_job(struct run *run, struct job *job)
{
	struct cvo_input in;
	job->rc = cvo_input_load(job->file, &run->platforms, run->load, &in, &job->err);
	if (job->rc)
		return;
	struct cvo_report report;
	cvo_report_init(&report);
	/* "<stdin>" for "-": the name the blob was loaded under */
	const char *name = in.blob->name;
	/* a run that failed inside a check holds only some findings: an error, never a report */
	job->rc = cvo_check_run(&in.placement, run->config, &report);
	if (job->rc) {
		cvo_error_set(&job->err, job->rc, name, 0, 0, "%s", cmd_run_error_text(job->rc));
		goto out;
	}
	cmd_baseline_filter(run->baseline, name, &report);
	for (size_t i = 0; i < report.n; i++) {
		enum cvo_severity s = report.findings[i].severity;
		job->counts[s]++;
		if (run->fail_on != CVO_SEV_NONE && s >= run->fail_on)
			job->over_threshold = true;
	}
	switch (run->fmt) {
	case FMT_TEXT:
	case FMT_DTC: {
		FILE *f = open_memstream(&job->text, &job->text_len);
		if (!f) {
			job->rc = cvo_error_set(&job->err, CVO_ERR_NOMEM, name, 0, 0,
						"out of memory");
			break;
		}
		out_text(f, name, &in, &report, &run->out);
		fclose(f);
		break;
	}
	case FMT_JSON:
		job->json = out_json_file(name, &in, &report);
		break;
	case FMT_SARIF:
		job->json = out_sarif_results(name, &report, &run->out);
		break;
	}
out:
	cvo_report_fini(&report);
	cvo_input_fini(&in);
}

static void job_fn(void *ctx, size_t i)
{
	struct run *run = ctx;
	run_job(run, &run->jobs[i]);
}

/*
 * -W ID, -W no-ID, -E ID, -E no-ID, with dtc's spellings: "no_" for "no-",
 * and -Wno-ID glued. -E no-ID takes the error status away as dtc's does: the
 * check goes on, its errors reported as warnings; on a check turned off or
 * made a warning it changes nothing.
 */
static int parse_check_option(struct cvo_check_config *config, int c, const char *arg)
{
	/* an id of its own wins over a "no_" spelling: ids are lower_snake_case */
	bool no = !strncmp(arg, "no-", 3) || (!strncmp(arg, "no_", 3) && cvo_check_index(arg) < 0);
	const char *id = no ? arg + 3 : arg;
	int i = cvo_check_index(id);
	if (i < 0) {
		fprintf(stderr, "carveout: unknown check '%s' (see carveout list-checks)\n",
			strncmp(arg, "no-", 3) ? arg : id);
		return -1;
	}
	int mode = c == 'W' ? (no ? CVO_MODE_OFF : CVO_MODE_WARNING)
			    : (no ? CVO_MODE_NO_ERROR : CVO_MODE_ERROR);
	int cur = config->mode[i];
	if (mode == CVO_MODE_NO_ERROR && (cur == CVO_MODE_OFF || cur == CVO_MODE_WARNING))
		mode = cur;
	return cvo_check_config_set(config, id, mode);
}

/* The paths of --files-from lists, in order (each malloc'd). */
struct list {
	char **path;
	size_t n, cap;
};

/*
 * --files-from LIST: one path a line, kept byte for byte (spaces included,
 * only the newline taken off); empty and blank lines are skipped. 0, or the
 * exit status (printed).
 */
static int read_list(const char *file, struct list *l)
{
	bool is_stdin = !strcmp(file, "-");
	FILE *f = is_stdin ? stdin : fopen(file, "r");
	const char *name = is_stdin ? "<stdin>" : file;
	if (!f) {
		fprintf(stderr, "carveout: %s: %s\n", name, strerror(errno));
		return EXIT_INPUT;
	}
	char *line = NULL;
	size_t lcap = 0, lineno = 0;
	ssize_t len;
	int code = 0;
	while ((len = getline(&line, &lcap, f)) >= 0) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if ((size_t)len != strlen(line)) {
			fprintf(stderr, "carveout: %s:%zu: a NUL byte in a path\n", name, lineno);
			code = EXIT_INPUT;
			break;
		}
		if (line[strspn(line, " \t\r")] == '\0')
			continue;
		if (l->n == l->cap) {
			size_t nc = l->cap ? l->cap * 2 : 256;
			char **np = realloc(l->path, nc * sizeof(*np));
			if (!np) {
				fprintf(stderr, "carveout: out of memory\n");
				code = EXIT_INPUT;
				break;
			}
			l->path = np;
			l->cap = nc;
		}
		l->path[l->n++] = line;
		line = NULL;
		lcap = 0;
	}
	if (!code && ferror(f)) {
		fprintf(stderr, "carveout: %s: %s\n", name, strerror(errno));
		code = EXIT_INPUT;
	}
	free(line);
	if (!is_stdin)
		fclose(f);
	return code;
}

int cmd_check(int argc, char **argv)
{
	enum { OPT_FAIL_ON = 256, OPT_BASELINE, OPT_BASELINE_ROOT, OPT_FILES_FROM };
	static const struct option longopts[] = {
		CMD_DT_LONGOPTS,
		{ "files-from", required_argument, NULL, OPT_FILES_FROM },
		{ "format", required_argument, NULL, 'f' },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "baseline-root", required_argument, NULL, OPT_BASELINE_ROOT },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct run run = { .fmt = FMT_TEXT, .fail_on = CVO_SEV_ERROR };
	struct cmd_dt_opts dt;
	struct cvo_check_config config;
	struct cmd_baseline *baseline = NULL;
	const char **lists = calloc((size_t)argc + 1, sizeof(char *));
	size_t n_lists = 0;
	struct list listed = { 0 };
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	const char *baseline_file = NULL, *baseline_root = NULL;
	int code = EXIT_USAGE;
	if (!lists || cmd_dt_opts_init(&dt, argc)) {
		free(lists);
		return EXIT_INPUT;
	}
	if (cvo_check_config_init(&config)) {
		free(lists);
		cmd_dt_opts_fini(&dt);
		fprintf(stderr, "carveout: out of memory\n");
		return EXIT_INPUT;
	}
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":" CMD_DT_SHORTOPTS "f:W:E:j:qvh", longopts, NULL)) !=
	       -1) {
		if (cmd_dt_opt(&dt, c, optarg))
			continue;
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				run.fmt = FMT_TEXT;
			else if (!strcmp(optarg, "dtc"))
				run.fmt = FMT_DTC;
			else if (!strcmp(optarg, "json"))
				run.fmt = FMT_JSON;
			else if (!strcmp(optarg, "sarif"))
				run.fmt = FMT_SARIF;
			else {
				fprintf(stderr, "carveout: unknown format '%s' (text, dtc, json, sarif)\n",
					optarg);
				goto out;
			}
			break;
		case 'W':
		case 'E':
			if (parse_check_option(&config, c, optarg))
				goto out;
			break;
		case OPT_FAIL_ON:
			if (cvo_severity_parse(optarg, &run.fail_on)) {
				fprintf(stderr,
					"carveout: --fail-on takes error, warning, note or none, not '%s'\n",
					optarg);
				goto out;
			}
			break;
		case OPT_BASELINE:
			baseline_file = optarg;
			break;
		case OPT_BASELINE_ROOT:
			baseline_root = optarg;
			break;
		case 'q':
			run.out.quiet = true;
			break;
		case 'v':
			run.out.verbose = true;
			break;
		case OPT_FILES_FROM:
			lists[n_lists++] = optarg;
			break;
		case 'j':
			if (cmd_parse_jobs(optarg, &jobs)) {
				fprintf(stderr, "carveout: -j takes a number from 1 to 1024\n");
				goto out;
			}
			break;
		case 'h':
			usage(stdout);
			code = cmd_finish_stdout(EXIT_CLEAN);
			goto out;
		default:
			cmd_option_error("check", c, argv, longopts);
			usage(stderr);
			goto out;
		}
	}
	/* with --files-from, an empty list is a run over nothing, not a mistake */
	if (optind >= argc && !n_lists) {
		fprintf(stderr, "carveout: check: no input files\n");
		usage(stderr);
		goto out;
	}
	size_t n_stdin = 0;
	for (int i = optind; i < argc; i++)
		n_stdin += !strcmp(argv[i], "-");
	for (size_t i = 0; i < n_lists; i++)
		n_stdin += !strcmp(lists[i], "-");
	n_stdin += cmd_dt_opts_stdin(&dt);
	if (cmd_stdin_twice("check", n_stdin))
		goto out;
	code = EXIT_INPUT;
	if (baseline_root && !baseline_file) {
		fprintf(stderr, "carveout: --baseline-root needs --baseline\n");
		code = EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < n_lists; i++)
		if ((code = read_list(lists[i], &listed)))
			goto out;
	code = EXIT_INPUT;
	for (size_t i = 0; i < listed.n; i++)
		if (!strcmp(listed.path[i], "-") && cmd_stdin_twice("check", n_stdin + 1)) {
			code = EXIT_USAGE;
			goto out;
		}
	if ((code = cmd_dt_opts_load(&dt)))
		goto out;
	code = EXIT_INPUT;
	if (baseline_file) {
		code = cmd_baseline_load(baseline_file, baseline_root, &baseline);
		if (code)
			goto out;
		code = EXIT_INPUT;
		run.baseline = baseline;
		run.out.baseline = true;
	}
	/* Platforms are loaded once per run, whatever the number of files. */
	if ((code = cmd_platforms_load(&dt, &run.platforms)))
		goto out;
	code = EXIT_INPUT;
	run.out.platform_auto = !run.platforms.fixed;
	run.out.dtc = run.fmt == FMT_DTC;
	json_object_seed(0);
	/* FILE arguments first, then the lists' paths, each in order */
	size_t n_args = (size_t)(argc - optind);
	run.n = n_args + listed.n;
	run.jobs = calloc(run.n ? run.n : 1, sizeof(*run.jobs));
	if (!run.jobs)
		goto out;
	for (size_t i = 0; i < n_args; i++)
		run.jobs[i].file = argv[optind + (int)i];
	for (size_t i = 0; i < listed.n; i++)
		run.jobs[n_args + i].file = listed.path[i];
	run.load = &dt.load;
	run.config = &config;
	cmd_parallel(run.n, jobs, job_fn, &run);

	/* Every input counts, in input order: an unreadable one is an entry of its own. */
	size_t counts[4] = { 0 }, unreadable = 0;
	bool any_over = false;
	bool text = run.fmt == FMT_TEXT || run.fmt == FMT_DTC;
	FILE *tout = run.fmt == FMT_DTC ? stderr : stdout; /* dtc's findings go to stderr */
	json_t *agg = text ? NULL : json_array();
	json_t *notes = run.fmt == FMT_SARIF ? json_array() : NULL;
	for (size_t i = 0; i < run.n; i++) {
		struct job *j = &run.jobs[i];
		if (j->rc) {
			const char *name = strcmp(j->file, "-") ? j->file : "<stdin>";
			unreadable++;
			cmd_print_error(&j->err);
			if (run.fmt == FMT_JSON)
				json_array_append_new(agg, out_json_file_error(name, &j->err));
			else if (notes)
				json_array_append_new(notes, out_sarif_notification(name, &j->err));
			continue;
		}
		for (int s = 0; s < 4; s++)
			counts[s] += j->counts[s];
		any_over |= j->over_threshold;
		if (j->text)
			fwrite(j->text, 1, j->text_len, tout);
		if (j->json) {
			if (run.fmt == FMT_SARIF)
				json_array_extend(agg, j->json);
			else
				json_array_append(agg, j->json);
		}
	}
	/* Nothing read, nothing to sum up: each unreadable input has its stderr line. */
	if (run.fmt == FMT_TEXT && !run.out.quiet && unreadable < run.n)
		out_text_summary(stdout, counts, run.n, unreadable);
	if (agg) {
		json_t *doc = run.fmt == FMT_SARIF ? out_sarif_log(agg, notes) :
			      out_json_report(agg, counts);
		json_dumpf(doc, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(doc);
	}
	bool any_fatal = unreadable > 0;
	code = any_fatal ? EXIT_INPUT : any_over ? EXIT_FINDINGS : EXIT_CLEAN;
	code = cmd_finish_stdout(code);
out:
	for (size_t i = 0; run.jobs && i < run.n; i++) {
		free(run.jobs[i].text);
		json_decref(run.jobs[i].json);
	}
	free(run.jobs);
	cvo_platform_set_fini(&run.platforms);
	cmd_baseline_free(baseline);
	cvo_check_config_fini(&config);
	cmd_dt_opts_fini(&dt);
	for (size_t i = 0; i < listed.n; i++)
		free(listed.path[i]);
	free(listed.path);
	free(lists);
	return code;
}

// SPDX-License-Identifier: MIT
/*
 * carveout diff OLD NEW: both trees placed with one platform (-p, or the one NEW
 * matches), checked, and compared (lib/diff.c). With two folders, every file
 * found under both by the same relative path is one pair, compared in
 * parallel (-j) and printed in path order.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diff.h"
#include "escape.h"
#include "output.h"

/* Folders nested deeper than this are not walked (a symlink loop ends here). */
#define DIFF_MAX_DEPTH 16

enum fmt { FMT_TEXT, FMT_JSON, FMT_MARKDOWN };

struct job {
	char *rel;		/* the relative path in folder mode, NULL for one pair */
	char *old_file, *new_file;
	int rc;
	struct cvo_error err;
	char *out;		/* text or markdown */
	size_t out_len;
	json_t *json;
	size_t n_changes;
	size_t new_findings[4], fixed;
};

struct run {
	struct job *jobs;
	size_t n;
	enum fmt fmt;
	bool folders;
	struct cvo_platform_set platforms;
	bool platform_auto;
	const struct cvo_load *load;
	const struct cvo_check_config *config;
};

static void usage(FILE *out)
{
	fprintf(out, "usage: carveout diff [-p PLATFORM] [-f text|json|markdown] [-I DIR]...\n"
		     "                     [--apply OVERLAY]... [-j N] OLD NEW | OLD_DIR NEW_DIR\n"
		     "                     [--kernel VERSION] [--config FILE] [--cmdline ARGS]\n"
		     "                     [--memory BASE:SIZE[,...]] [--page-size 4K|16K|64K]\n");
}

static void render(struct run *run, struct job *job, const struct diff_pair *pair)
{
	FILE *f;
	switch (run->fmt) {
	case FMT_TEXT:
	case FMT_MARKDOWN:
		/* in folder mode a pair with nothing to say prints nothing */
		if (run->folders && !pair->diff->n)
			return;
		f = open_memstream(&job->out, &job->out_len);
		if (!f)
			return;
		if (run->fmt == FMT_TEXT)
			diff_out_text(f, pair, !run->folders || pair->diff->n);
		else
			diff_out_markdown(f, pair, run->folders ? 4 : 3);
		fclose(f);
		break;
	case FMT_JSON:
		job->json = diff_out_json(pair);
		break;
	}
}

static void run_job(struct run *run, struct job *job)
{
	struct cvo_input in_new, in_old;
	struct cvo_report r_new, r_old;
	struct cvo_diff *d = NULL;
	job->rc = cvo_input_load(job->new_file, &run->platforms, run->load,
				 &in_new, &job->err);
	if (job->rc)
		return;
	/* OLD is placed with the platform NEW got */
	struct cvo_platform_set same = {.fixed = (struct cvo_platform *)in_new.platform};
	job->rc = cvo_input_load(job->old_file, &same, run->load, &in_old,
				 &job->err);
	if (job->rc) {
		cvo_input_fini(&in_new);
		return;
	}
	cvo_report_init(&r_new);
	cvo_report_init(&r_old);
	/* a check run that failed holds only some findings: the pair is an error */
	if (!(job->rc = cvo_check_run(&in_new.placement, run->config, &r_new)))
		job->rc = cvo_check_run(&in_old.placement, run->config, &r_old);
	if (!job->rc)
		job->rc = cvo_diff_build(&in_old.placement, &r_old, &in_new.placement, &r_new, &d);
	if (job->rc) {
		cvo_error_set(&job->err, job->rc, job->new_file, 0, 0, "%s",
			      cmd_run_error_text(job->rc));
	} else {
		struct diff_pair pair = {
		    .name = job->rel ? job->rel : in_new.blob->name,
		    .old_name = in_old.blob->name,
		    .new_name = in_new.blob->name,
		    .platform = in_new.platform->name ? in_new.platform->name : "?",
		    .platform_auto = run->platform_auto,
		    .diff = d,
		};
		job->n_changes = d->n;
		for (int s = 0; s < 4; s++) {
			job->new_findings[s] = d->new_findings[s];
			job->fixed += d->fixed_findings[s];
		}
		render(run, job, &pair);
	}
	cvo_diff_free(d);
	cvo_report_fini(&r_old);
	cvo_report_fini(&r_new);
	cvo_input_fini(&in_old);
	cvo_input_fini(&in_new);
}

static void job_fn(void *ctx, size_t i)
{
	struct run *run = ctx;
	run_job(run, &run->jobs[i]);
}

/* ------------------------------------------------------------------ folders */

struct names {
	char **v;
	size_t n, cap;
};

static void names_fini(struct names *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static bool is_tree_file(const char *name)
{
	size_t n = strlen(name);
	return (n > 4 && !strcmp(name + n - 4, ".dtb")) || (n > 4 && !strcmp(name + n - 4, ".dts"));
}

/* Every .dtb and .dts below root/rel, as paths relative to root (symlinks followed). */
static int walk(const char *root, const char *rel, int depth, struct names *out)
{
	size_t lr = strlen(root), ll = rel ? strlen(rel) : 0;
	char *dir = malloc(lr + ll + 2);
	if (!dir)
		return -ENOMEM;
	sprintf(dir, "%s%s%s", root, rel ? "/" : "", rel ? rel : "");
	DIR *dp = opendir(dir);
	if (!dp) {
		int e = errno;
		free(dir);
		return -e;
	}
	int r = 0;
	struct dirent *de;
	while (!r && (de = readdir(dp))) {
		const char *name = de->d_name;
		if (name[0] == '.')
			continue;
		char *sub = malloc(ll + strlen(name) + 2);
		char *full = malloc(lr + ll + strlen(name) + 3);
		if (!sub || !full) {
			free(sub);
			free(full);
			r = -ENOMEM;
			break;
		}
		sprintf(sub, "%s%s%s", rel ? rel : "", rel ? "/" : "", name);
		sprintf(full, "%s/%s", dir, name);
		struct stat st;
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth < DIFF_MAX_DEPTH)
				r = walk(root, sub, depth + 1, out);
			free(sub);
		} else if (is_tree_file(name)) {
			if (out->n == out->cap) {
				size_t cap = out->cap ? out->cap * 2 : 256;
				char **v = realloc(out->v, cap * sizeof(*v));
				if (!v) {
					free(sub);
					free(full);
					r = -ENOMEM;
					break;
				}
				out->v = v;
				out->cap = cap;
			}
			out->v[out->n++] = sub;
		} else {
			free(sub);
		}
		free(full);
	}
	closedir(dp);
	free(dir);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *rel)
{
	char *s = malloc(strlen(dir) + strlen(rel) + 2);
	if (s)
		sprintf(s, "%s/%s", dir, rel);
	return s;
}

/* The pairs of two folders; only_old / only_new get the unmatched relative paths. */
static int folder_pairs(struct run *run, const char *old_dir, const char *new_dir,
			struct names *only_old, struct names *only_new)
{
	struct names o = {0}, n = {0};
	int r = walk(old_dir, NULL, 0, &o);
	if (r) {
		fprintf(stderr, "carveout: %s: %s\n", old_dir, strerror(-r));
		goto out;
	}
	r = walk(new_dir, NULL, 0, &n);
	if (r) {
		fprintf(stderr, "carveout: %s: %s\n", new_dir, strerror(-r));
		goto out;
	}
	if (o.n)
		qsort(o.v, o.n, sizeof(*o.v), cmp_str);
	if (n.n)
		qsort(n.v, n.n, sizeof(*n.v), cmp_str);
	run->jobs = calloc(o.n < n.n ? o.n + 1 : n.n + 1, sizeof(*run->jobs));
	only_old->v = calloc(o.n + 1, sizeof(char *));
	only_new->v = calloc(n.n + 1, sizeof(char *));
	if (!run->jobs || !only_old->v || !only_new->v) {
		r = -ENOMEM;
		fprintf(stderr, "carveout: out of memory\n");
		goto out;
	}
	size_t i = 0, j = 0;
	while (i < o.n || j < n.n) {
		int c = i == o.n ? 1 : j == n.n ? -1 : strcmp(o.v[i], n.v[j]);
		if (c < 0) {
			only_old->v[only_old->n++] = o.v[i];
			o.v[i++] = NULL;
		} else if (c > 0) {
			only_new->v[only_new->n++] = n.v[j];
			n.v[j++] = NULL;
		} else {
			struct job *jb = &run->jobs[run->n++];
			jb->rel = o.v[i];
			jb->old_file = join(old_dir, o.v[i]);
			jb->new_file = join(new_dir, n.v[j]);
			o.v[i++] = NULL;
			if (!jb->old_file || !jb->new_file) {
				r = -ENOMEM;
				fprintf(stderr, "carveout: out of memory\n");
				goto out;
			}
			j++;
		}
	}
out:
	names_fini(&o);
	names_fini(&n);
	return r;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ------------------------------------------------------------------ output */

static json_t *names_json(const struct names *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->n; i++) {
		char *e = cmd_esc_utf8(s->v[i]);
		json_array_append_new(a, json_string(e ? e : ""));
		free(e);
	}
	return a;
}

static void print_only(FILE *out, const struct names *s, const char *side, enum fmt fmt)
{
	for (size_t i = 0; i < s->n; i++) {
		if (fmt == FMT_MARKDOWN) {
			char *e = diff_md_esc(s->v[i]);
			fprintf(out, "- %s\n", e ? e : "");
			free(e);
		} else {
			cmd_fputs_esc(s->v[i], out);
			fprintf(out, ": only in %s\n", side);
		}
	}
}

static void print_summary(struct run *run, const struct names *only_old,
			  const struct names *only_new, const size_t nf[4], size_t fixed,
			  size_t changed, size_t n_changes)
{
	size_t compared = 0;
	for (size_t i = 0; i < run->n; i++)
		compared += !run->jobs[i].rc;
	if (run->fmt == FMT_JSON) {
		json_t *pairs = json_array();
		for (size_t i = 0; i < run->n; i++)
			if (run->jobs[i].json)
				json_array_append(pairs, run->jobs[i].json);
		json_t *doc = json_object();
		json_object_set_new(doc, "version", json_integer(1));
		json_t *tool = json_object();
		json_object_set_new(tool, "name", json_string("carveout"));
		json_object_set_new(tool, "version", json_string(CVO_VERSION));
		json_object_set_new(doc, "tool", tool);
		json_object_set_new(doc, "pairs", pairs);
		if (run->folders) {
			json_object_set_new(doc, "only-in-old", names_json(only_old));
			json_object_set_new(doc, "only-in-new", names_json(only_new));
		}
		json_t *s = json_object();
		json_object_set_new(s, "pairs", json_integer((json_int_t)compared));
		json_object_set_new(s, "changed", json_integer((json_int_t)changed));
		json_object_set_new(s, "changes", json_integer((json_int_t)n_changes));
		json_object_set_new(s, "new-errors", json_integer((json_int_t)nf[CVO_SEV_ERROR]));
		json_object_set_new(s, "new-warnings",
				    json_integer((json_int_t)nf[CVO_SEV_WARNING]));
		json_object_set_new(s, "new-notes", json_integer((json_int_t)nf[CVO_SEV_NOTE]));
		json_object_set_new(s, "fixed", json_integer((json_int_t)fixed));
		json_object_set_new(doc, "summary", s);
		json_dumpf(doc, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(doc);
		return;
	}
	if (!run->folders)
		return;
	if (run->fmt == FMT_MARKDOWN) {
		if (only_old->n) {
			fprintf(stdout, "\nOnly in the old folder (%zu, not compared):\n\n",
				only_old->n);
			print_only(stdout, only_old, "old", run->fmt);
		}
		if (only_new->n) {
			fprintf(stdout, "\nOnly in the new folder (%zu, not compared):\n\n",
				only_new->n);
			print_only(stdout, only_new, "new", run->fmt);
		}
		return;
	}
	print_only(stdout, only_old, "old", run->fmt);
	print_only(stdout, only_new, "new", run->fmt);
	printf("carveout diff: %zu pairs compared, %zu changed, %zu changes; new: %zu errors, "
	       "%zu warnings, %zu notes; fixed: %zu; only in old: %zu, only in new: %zu\n",
	       compared, changed, n_changes, nf[CVO_SEV_ERROR], nf[CVO_SEV_WARNING],
	       nf[CVO_SEV_NOTE], fixed, only_old->n, only_new->n);
}

int cmd_diff(int argc, char **argv)
{
	static const struct option longopts[] = {
		CMD_DT_LONGOPTS,
		{"format", required_argument, NULL, 'f'},
		{"jobs", required_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct run run = {.fmt = FMT_TEXT};
	struct names only_old = {0}, only_new = {0};
	struct cmd_dt_opts dt;
	struct cvo_check_config config;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int code = EXIT_USAGE;
	if (cmd_dt_opts_init(&dt, argc))
		return EXIT_INPUT;
	if (cvo_check_config_init(&config)) {
		cmd_dt_opts_fini(&dt);
		fprintf(stderr, "carveout: out of memory\n");
		return EXIT_INPUT;
	}
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":" CMD_DT_SHORTOPTS "f:j:h", longopts, NULL)) != -1) {
		if (cmd_dt_opt(&dt, c, optarg))
			continue;
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "text"))
				run.fmt = FMT_TEXT;
			else if (!strcmp(optarg, "json"))
				run.fmt = FMT_JSON;
			else if (!strcmp(optarg, "markdown"))
				run.fmt = FMT_MARKDOWN;
			else {
				fprintf(stderr,
					"carveout: unknown format '%s' (text, json, markdown)\n",
					optarg);
				goto out;
			}
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
			cmd_option_error("diff", c, argv, longopts);
			usage(stderr);
			goto out;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "carveout: diff: give OLD and NEW (two files or two folders)\n");
		usage(stderr);
		goto out;
	}
	const char *old_arg = argv[optind], *new_arg = argv[optind + 1];
	bool od = is_dir(old_arg), nd = is_dir(new_arg);
	if (od != nd) {
		fprintf(stderr, "carveout: diff: %s is a folder and %s is not: give two files or "
				"two folders\n",
			od ? old_arg : new_arg, od ? new_arg : old_arg);
		goto out;
	}
	if (!strcmp(old_arg, "-") && !strcmp(new_arg, "-")) {
		fprintf(stderr, "carveout: diff: only one of OLD and NEW can be standard input\n");
		goto out;
	}
	if (cmd_stdin_twice("diff",
			    cmd_dt_opts_stdin(&dt) + !strcmp(old_arg, "-") + !strcmp(new_arg, "-")))
		goto out;
	code = EXIT_INPUT;
	if (cmd_dt_opts_load(&dt))
		goto out;
	run.load = &dt.load;
	if ((code = cmd_platforms_load(&dt, &run.platforms)))
		goto out;
	code = EXIT_INPUT;
	run.platform_auto = !run.platforms.fixed;
	run.folders = od;
	if (od) {
		if (folder_pairs(&run, old_arg, new_arg, &only_old, &only_new))
			goto out;
	} else {
		run.jobs = calloc(1, sizeof(*run.jobs));
		if (!run.jobs)
			goto out;
		run.n = 1;
		run.jobs[0].old_file = strdup(old_arg);
		run.jobs[0].new_file = strdup(new_arg);
		if (!run.jobs[0].old_file || !run.jobs[0].new_file)
			goto out;
	}
	json_object_seed(0);
	run.config = &config;
	cmd_parallel(run.n, jobs, job_fn, &run);

	bool any_fatal = false;
	size_t nf[4] = {0}, fixed = 0, changed = 0, n_changes = 0;
	if (run.fmt == FMT_MARKDOWN && run.folders) {
		for (size_t i = 0; i < run.n; i++)
			changed += !run.jobs[i].rc && run.jobs[i].n_changes;
		printf("### carveout diff: %zu of %zu files changed\n\n", changed, run.n);
		changed = 0;
	}
	for (size_t i = 0; i < run.n; i++) {
		struct job *j = &run.jobs[i];
		if (j->rc) {
			any_fatal = true;
			cmd_print_error(&j->err);
			continue;
		}
		for (int s = 0; s < 4; s++)
			nf[s] += j->new_findings[s];
		fixed += j->fixed;
		n_changes += j->n_changes;
		changed += j->n_changes > 0;
		if (j->out) {
			if (run.fmt == FMT_MARKDOWN && run.folders && changed > 1)
				fputc('\n', stdout);
			fwrite(j->out, 1, j->out_len, stdout);
		}
	}
	print_summary(&run, &only_old, &only_new, nf, fixed, changed, n_changes);
	code = any_fatal ? EXIT_INPUT : nf[CVO_SEV_ERROR] ? EXIT_FINDINGS : EXIT_CLEAN;
	code = cmd_finish_stdout(code);
out:
	for (size_t i = 0; run.jobs && i < run.n; i++) {
		free(run.jobs[i].rel);
		free(run.jobs[i].old_file);
		free(run.jobs[i].new_file);
		free(run.jobs[i].out);
		json_decref(run.jobs[i].json);
	}
	free(run.jobs);
	names_fini(&only_old);
	names_fini(&only_new);
	cvo_platform_set_fini(&run.platforms);
	cvo_check_config_fini(&config);
	cmd_dt_opts_fini(&dt);
	return code;
}

// SPDX-License-Identifier: MIT
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "config.h"
#include "escape.h"

const char *cmd_boards_dir(void)
{
	const char *env = getenv("CARVEOUT_BOARDS");
	if (env && *env)
		return env;
	struct stat st;
	if (stat(CVO_BOARDS_SRCDIR, &st) == 0 && S_ISDIR(st.st_mode))
		return CVO_BOARDS_SRCDIR;
	return CVO_BOARDS_DIR;
}

int cmd_platforms_init(struct cmd_platforms *pl, const struct cmd_dt_opts *o,
		       struct cvo_error *err)
{
	memset(pl, 0, sizeof(*pl));
	const char *spec = o ? o->platform : NULL;
	const struct cvo_overrides *ov = o ? o->overrides : NULL;
	int r;
	if (spec && *spec && strcmp(spec, "auto")) {
		r = cvo_platform_resolve(spec, NULL, cmd_boards_dir(), &pl->fixed, err);
		if (!r)
			r = cvo_platform_override(pl->fixed, ov, err);
		if (r)
			cmd_platforms_fini(pl);
		return r;
	}
	r = cvo_platform_list(cmd_boards_dir(), &pl->boards, &pl->n_boards, err);
	for (int a = 0; !r && a < 4; a++)
		r = cvo_platform_generic((enum cvo_arch)a, &pl->generic[a], err);
	if (!r && !(pl->board_err = calloc(pl->n_boards ? pl->n_boards : 1, sizeof(*err))))
		r = cvo_error_set(err, CVO_ERR_NOMEM, "", 0, 0, "out of memory");
	/* after matching, as for -p NAME: a board is matched by its compatible alone */
	for (size_t i = 0; !r && i < pl->n_boards; i++)
		if (cvo_platform_override(pl->boards[i], ov, &pl->board_err[i]) == CVO_ERR_NOMEM)
			r = cvo_error_set(err, CVO_ERR_NOMEM, "", 0, 0, "out of memory");
	for (int a = 0; !r && a < 4; a++)
		if (cvo_platform_override(pl->generic[a], ov, &pl->generic_err[a]) == CVO_ERR_NOMEM)
			r = cvo_error_set(err, CVO_ERR_NOMEM, "", 0, 0, "out of memory");
	if (r)
		cmd_platforms_fini(pl);
	return r;
}

const struct cvo_platform *cmd_platforms_pick(const struct cmd_platforms *pl, const void *fdt,
					      struct cvo_error *err)
{
	if (pl->fixed)
		return pl->fixed;
	const struct cvo_platform *p = cvo_platform_match(pl->boards, pl->n_boards, fdt);
	const struct cvo_error *e = NULL;
	for (size_t i = 0; p && pl->board_err && i < pl->n_boards; i++)
		if (pl->boards[i] == p)
			e = &pl->board_err[i];
	if (!p) {
		enum cvo_arch a = cvo_platform_guess_arch(fdt);
		p = pl->generic[a];
		e = &pl->generic_err[a];
	}
	if (e && e->text[0]) {
		if (err)
			*err = *e;
		return NULL;
	}
	return p;
}

void cmd_platforms_fini(struct cmd_platforms *pl)
{
	cvo_platform_free(pl->fixed);
	if (pl->boards)
		cvo_platform_list_free(pl->boards, pl->n_boards);
	for (int a = 0; a < 4; a++)
		cvo_platform_free(pl->generic[a]);
	free(pl->board_err);
	memset(pl, 0, sizeof(*pl));
}

int cmd_platform_exit(int err)
{
	return err == CVO_ERR_USAGE ? EXIT_USAGE : EXIT_INPUT;
}

int cmd_input_load(const char *file, const struct cmd_platforms *pl, const struct cmd_load *ld,
		   struct cmd_input *in, struct cvo_error *err)
{
	memset(in, 0, sizeof(*in));
	int r = cvo_blob_load(file, ld ? ld->incdirs : NULL, ld ? ld->n_incdirs : 0, &in->blob,
			      err);
	if (r)
		return r;
	if (cvo_blob_is_overlay(in->blob)) {
		r = cvo_error_set(err, CVO_ERR_INVALID, in->blob->name, 0, 0,
				  "is a device tree overlay; give it with --apply to a base DT");
		goto fail;
	}
	/* as the bootloader does, before anything reads the tree */
	for (size_t i = 0; ld && i < ld->n_overlays; i++) {
		r = cvo_blob_apply(in->blob, ld->overlays[i], err);
		if (r)
			goto fail;
	}
	in->platform = cmd_platforms_pick(pl, in->blob->fdt, err);
	if (!in->platform) {
		r = CVO_ERR_INVALID;
		goto fail;
	}
	r = cvo_model_build(in->blob, in->platform, &in->model, err);
	if (r)
		goto fail;
	r = cvo_place(in->model);
	if (r) {
		cvo_error_set(err, r, file, 0, 0, "placement failed (out of memory)");
		goto fail;
	}
	return 0;
fail:
	cmd_input_fini(in);
	return r;
}

void cmd_input_fini(struct cmd_input *in)
{
	cvo_model_free(in->model);
	cvo_blob_free(in->blob);
	memset(in, 0, sizeof(*in));
}

void cmd_print_where(FILE *out, const char *file, const struct cvo_finding *f)
{
	if (!f->has_loc || !f->loc.file) {
		fprintf(out, "%s: ", file);
		return;
	}
	const struct cvo_loc *l = &f->loc;
	if (l->end_line == l->line && l->end_column > l->column)
		fprintf(out, "%s:%d.%d-%d: ", l->file, l->line, l->column, l->end_column);
	else if (l->end_line > l->line)
		fprintf(out, "%s:%d.%d-%d.%d: ", l->file, l->line, l->column, l->end_line,
			l->end_column);
	else
		fprintf(out, "%s:%d.%d: ", l->file, l->line, l->column);
}

void cmd_print_error(const struct cvo_error *err)
{
	/* the file name and the text quote untrusted bytes (names in the input) */
	fputs("carveout: ", stderr);
	if (err->source[0]) {
		cmd_fputs_esc(err->source, stderr);
		if (err->line > 0)
			fprintf(stderr, ":%d", err->line);
		if (err->line > 0 && err->column > 0)
			fprintf(stderr, ":%d", err->column);
		fputs(": ", stderr);
	}
	cmd_fputs_esc(err->text, stderr);
	fputc('\n', stderr);
}

int cmd_finish_stdout(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "carveout: error writing standard output\n");
		return code > EXIT_INPUT ? code : EXIT_INPUT;
	}
	return code;
}

int cmd_parse_jobs(const char *s, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > 1024)
		return -1;
	*out = v;
	return 0;
}

struct pool {
	size_t n;
	atomic_size_t next;
	void (*fn)(void *ctx, size_t i);
	void *ctx;
};

static void *pool_worker(void *arg)
{
	struct pool *p = arg;
	for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < p->n;)
		p->fn(p->ctx, i);
	return NULL;
}

void cmd_parallel(size_t n, long jobs, void (*fn)(void *ctx, size_t i), void *ctx)
{
	struct pool p = { .n = n, .fn = fn, .ctx = ctx };
	atomic_init(&p.next, 0);
	if (jobs < 1 || (size_t)jobs > n)
		jobs = n ? (long)n : 1;
	/* when threads cannot be had, this one does the work alone */
	pthread_t *threads = calloc((size_t)jobs, sizeof(*threads));
	long started = 0;
	for (long t = 1; threads && t < jobs; t++, started++)
		if (pthread_create(&threads[t], NULL, pool_worker, &p))
			break;
	pool_worker(&p);
	for (long t = 1; t <= started; t++)
		pthread_join(threads[t], NULL);
	free(threads);
}

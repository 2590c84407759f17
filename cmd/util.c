// SPDX-License-Identifier: MIT
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "escape.h"

int cmd_platform_exit(int err)
{
	return err == CVO_ERR_USAGE ? EXIT_USAGE : EXIT_INPUT;
}

bool cmd_stdin_twice(const char *cmd, size_t n)
{
	if (n <= 1)
		return false;
	fprintf(stderr, "carveout: %s: '-' (standard input) given more than once\n", cmd);
	return true;
}

int cmd_platforms_load(const struct cmd_dt_opts *o, struct cvo_platform_set *ps)
{
	struct cvo_error err = {0};
	int r = cvo_platform_set_init(ps, o->platform, o->overrides, NULL, &err);
	if (r) {
		cmd_print_error(&err);
		return cmd_platform_exit(r);
	}
	return 0;
}

int cmd_input_load(const char *file, const struct cvo_platform_set *ps, const struct cmd_dt_opts *o,
		   struct cvo_input *in)
{
	struct cvo_error err = {0};
	if (cvo_input_load(file, ps, &o->load, in, &err)) {
		cmd_print_error(&err);
		return EXIT_INPUT;
	}
	return 0;
}

const char *cmd_run_error_text(int err)
{
	return err == CVO_ERR_NOMEM ? "out of memory" : "internal error";
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

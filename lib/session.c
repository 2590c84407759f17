// SPDX-License-Identifier: MIT
/*
 * What a run shares and how one input of it is loaded: the platform set (one
 * fixed platform for -p PATH|NAME, or the bundled boards and the generic
 * profiles for -p auto, each with the kernel options laid over it), the
 * overlays given with --apply, and an input taken from its file to a placed
 * model. Every command that reads a DT, and the fuzzers, go through here.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "util.h"

const char *cvo_boards_dir(void)
{
	const char *env = getenv("CARVEOUT_BOARDS");
	if (env && *env)
		return env;
	struct stat st;
	if (stat(CVO_BOARDS_SRCDIR, &st) == 0 && S_ISDIR(st.st_mode))
		return CVO_BOARDS_SRCDIR;
	return CVO_BOARDS_DIR;
}

int cvo_platform_set_init(struct cvo_platform_set *ps, const char *spec,
			  const struct cvo_overrides *ov, const char *boards_dir,
			  struct cvo_error *err)
{
	memset(ps, 0, sizeof(*ps));
	if (!boards_dir)
		boards_dir = cvo_boards_dir();
	int r;
	if (spec && *spec && strcmp(spec, "auto")) {
		r = cvo_platform_resolve(spec, NULL, boards_dir, &ps->fixed, err);
		if (!r)
			r = cvo_platform_override(ps->fixed, ov, err);
		if (r)
			cvo_platform_set_fini(ps);
		return r;
	}
	r = cvo_platform_list(boards_dir, &ps->boards, &ps->n_boards, err);
	for (int a = 0; !r && a < 4; a++)
		r = cvo_platform_generic((enum cvo_arch)a, &ps->generic[a], err);
	if (!r && !(ps->board_err = calloc(ps->n_boards ? ps->n_boards : 1, sizeof(*err))))
		r = cvo_error_set(err, CVO_ERR_NOMEM, "", 0, 0, "out of memory");
	/* after matching, as for -p NAME: a board is matched by its compatible alone */
	for (size_t i = 0; !r && i < ps->n_boards; i++)
		if (cvo_platform_override(ps->boards[i], ov, &ps->board_err[i]) == CVO_ERR_NOMEM)
			r = cvo_error_set(err, CVO_ERR_NOMEM, "", 0, 0, "out of memory");
	for (int a = 0; !r && a < 4; a++)
		if (cvo_platform_override(ps->generic[a], ov, &ps->generic_err[a]) == CVO_ERR_NOMEM)
			r = cvo_error_set(err, CVO_ERR_NOMEM, "", 0, 0, "out of memory");
	if (r)
		cvo_platform_set_fini(ps);
	return r;
}

const struct cvo_platform *cvo_platform_set_pick(const struct cvo_platform_set *ps,
						 const void *fdt, struct cvo_error *err)
{
	if (ps->fixed)
		return ps->fixed;
	const struct cvo_platform *p = cvo_platform_match(ps->boards, ps->n_boards, fdt);
	const struct cvo_error *e = NULL;
	for (size_t i = 0; p && ps->board_err && i < ps->n_boards; i++)
		if (ps->boards[i] == p)
			e = &ps->board_err[i];
	if (!p) {
		enum cvo_arch a = cvo_platform_guess_arch(fdt);
		p = ps->generic[a];
		e = &ps->generic_err[a];
	}
	if (e && e->text[0]) {
		if (err)
			*err = *e;
		return NULL;
	}
	return p;
}

void cvo_platform_set_fini(struct cvo_platform_set *ps)
{
	cvo_platform_free(ps->fixed);
	if (ps->boards)
		cvo_platform_list_free(ps->boards, ps->n_boards);
	for (int a = 0; a < 4; a++)
		cvo_platform_free(ps->generic[a]);
	free(ps->board_err);
	memset(ps, 0, sizeof(*ps));
}

int cvo_overlay_load(const char *file, const char *const *incdirs, size_t n_incdirs,
		     struct cvo_blob **out, struct cvo_error *err)
{
	*out = NULL;
	struct cvo_blob *b = NULL;
	int r = cvo_blob_load(file, incdirs, n_incdirs, &b, err);
	if (r)
		return r;
	if (!cvo_blob_is_overlay(b)) {
		r = cvo_error_set(err, CVO_ERR_INVALID, b->name, 0, 0,
				  "not a device tree overlay (no /fragment@N/__overlay__ node): "
				  "--apply takes a .dtbo, or a .dts with /plugin/");
		cvo_blob_free(b);
		return r;
	}
	*out = b;
	return 0;
}

/* The rest of cvo_input_load() once the blob is in: name is what errors call the input. */
static int input_finish(const char *name, const struct cvo_platform_set *ps,
			const struct cvo_load *ld, struct cvo_input *in, struct cvo_error *err)
{
	int r;
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
	in->platform = cvo_platform_set_pick(ps, in->blob->fdt, err);
	if (!in->platform) {
		r = CVO_ERR_INVALID;
		goto fail;
	}
	r = cvo_model_build(in->blob, in->platform, &in->model, err);
	if (r)
		goto fail;
	r = cvo_place(in->model, NULL, &in->placement);
	if (r) {
		cvo_error_set(err, r, name, 0, 0, "placement failed (out of memory)");
		goto fail;
	}
	return 0;
fail:
	cvo_input_fini(in);
	return r;
}

int cvo_input_load(const char *file, const struct cvo_platform_set *ps,
		   const struct cvo_load *ld, struct cvo_input *in, struct cvo_error *err)
{
	memset(in, 0, sizeof(*in));
	int r = cvo_blob_load(file, ld ? ld->incdirs : NULL, ld ? ld->n_incdirs : 0, &in->blob,
			      err);
	if (r)
		return r;
	return input_finish(file, ps, ld, in, err);
}

int cvo_input_from_blob(struct cvo_blob *blob, const struct cvo_platform_set *ps,
			const struct cvo_load *ld, struct cvo_input *in, struct cvo_error *err)
{
	memset(in, 0, sizeof(*in));
	in->blob = blob;
	return input_finish(blob->name, ps, ld, in, err);
}

void cvo_input_fini(struct cvo_input *in)
{
	cvo_placement_fini(&in->placement);
	cvo_model_free(in->model);
	cvo_blob_free(in->blob);
	memset(in, 0, sizeof(*in));
}

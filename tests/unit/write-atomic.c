// SPDX-License-Identifier: MIT
/*
 * cvo_write_atomic() and cvo_write_atomic_stream() from the command line, for
 * test-write-atomic to run under strace with failures injected.
 *   write-atomic [-s] PATH TEXT [MODE_FROM]
 * -s: through cvo_write_atomic_stream(). Exit 1 with the error on stderr.
 */
#include <stdio.h>
#include <string.h>

#include "carveout.h"

static int fill(FILE *f, void *arg)
{
	return fputs(arg, f) < 0;
}

int main(int argc, char **argv)
{
	int i = 1;
	bool stream = argc > 1 && !strcmp(argv[1], "-s");
	i += stream;
	if (argc - i < 2 || argc - i > 3) {
		fprintf(stderr, "usage: write-atomic [-s] PATH TEXT [MODE_FROM]\n");
		return 2;
	}
	const char *path = argv[i], *text = argv[i + 1], *mode_from = argv[i + 2];
	struct cvo_error err;
	int r = stream ? cvo_write_atomic_stream(path, fill, (void *)text, mode_from, &err)
		       : cvo_write_atomic(path, text, strlen(text), mode_from, &err);
	if (r) {
		fprintf(stderr, "write-atomic: %s: %s\n", err.source, err.text);
		return 1;
	}
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * The benchmark's baseline: the least any DTB checker must do. Reads each
 * file, validates it with fdt_check_full() and visits every node and every
 * property (name and value) with libfdt, in one process.
 *
 * usage: fdtwalk FILE...   prints "files nodes properties bytes"
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

/* Read a whole file into a malloc'd (so 8-byte aligned) buffer. */
static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		char *nb = realloc(buf, cap *= 2);
		if (!nb)
			free(buf);
		buf = nb;
	}
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	uint64_t nodes = 0, props = 0, bytes = 0;
	int bad = 0;
	for (int i = 1; i < argc; i++) {
		size_t len;
		void *fdt = slurp(argv[i], &len);
		if (!fdt) {
			fprintf(stderr, "fdtwalk: %s: %s\n", argv[i], strerror(errno));
			bad = 1;
			continue;
		}
		int r = fdt_check_full(fdt, len);
		if (r) {
			fprintf(stderr, "fdtwalk: %s: %s\n", argv[i], fdt_strerror(r));
			bad = 1;
			free(fdt);
			continue;
		}
		for (int node = 0; node >= 0; node = fdt_next_node(fdt, node, NULL)) {
			nodes++;
			int prop;
			fdt_for_each_property_offset(prop, fdt, node) {
				const char *name;
				int plen;
				const void *val = fdt_getprop_by_offset(fdt, prop, &name, &plen);
				if (val && name) {
					props++;
					bytes += (uint64_t)plen + (unsigned char)name[0];
				}
			}
		}
		free(fdt);
	}
	printf("%d %llu %llu %llu\n", argc - 1, (unsigned long long)nodes,
	       (unsigned long long)props, (unsigned long long)bytes);
	return bad;
}

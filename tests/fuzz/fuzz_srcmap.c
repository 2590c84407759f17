// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: one input is the annotated DTS `dtc -T -T -O dts` prints
 * for a DTS input, which lib/srcmap.c parses into source positions. dtc writes
 * it, but from the user's DTS: node names, labels, property values and file
 * names (with ':' or ", " in them) all reach the parser. Every parse is then
 * asked for the positions the checks ask for.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srcmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
	"/", "/memory@80000000", "/reserved-memory", "/reserved-memory/pool@90000000",
	"/soc", "/soc/video", "",
};
static const char *const props[] = { NULL, "reg", "size", "memory-region", "compatible" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy without a NUL: the parser must honour len */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	struct cvo_srcmap *map = cvo_srcmap_parse(text, size, "fuzz.dts");
	for (size_t i = 0; map && i < sizeof(paths) / sizeof(paths[0]); i++) {
		for (size_t k = 0; k < sizeof(props) / sizeof(props[0]); k++) {
			struct cvo_loc loc;
			if (cvo_srcmap_find(map, paths[i], props[k], &loc) && !loc.file)
				abort();
		}
	}
	cvo_srcmap_free(map);
	free(text);
	return 0;
}

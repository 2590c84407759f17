// SPDX-License-Identifier: MIT
/* Placeholder: carveout map. */
#include <stdio.h>

#include "cmd.h"

int cmd_map(int argc, char **argv)
{
	fprintf(stderr, "carveout map: not implemented yet\n");
	return 2;
}

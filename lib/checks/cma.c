// SPDX-License-Identifier: MIT
#include "checks.h"

const struct cvo_check cvo_checks_cma[] = {
	{ 0 },
};

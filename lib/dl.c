// SPDX-License-Identifier: GPL-2.0
/* Optional libraries opened at first use (lib/dl.h). */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

#include "dl.h"

static void dl_fail(struct tsm_dl *lib, const char *why)
{
	snprintf(lib->why, sizeof(lib->why), "%s", why ? why : "unknown");
	if (lib->handle)
		dlclose(lib->handle);
	lib->handle = NULL;
	lib->state = -ELIBACC;
}

int tsm_dl_load(struct tsm_dl *lib, struct tsm_err *e)
{
	size_t i;

	if (!lib->state) {
		lib->handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
		if (!lib->handle)
			dl_fail(lib, dlerror());
		for (i = 0; lib->handle && i < lib->nsyms; i++) {
			*lib->syms[i].ptr =
				dlsym(lib->handle, lib->syms[i].name);
			if (!*lib->syms[i].ptr)
				dl_fail(lib, dlerror());
		}
		if (lib->handle)
			lib->state = 1;
	}
	if (lib->state > 0)
		return 0;
	tsm_err_set(e, ELIBACC, NULL, lib->soname, "%s needs %s: %s",
		    lib->purpose, lib->soname, lib->why);
	tsm_err_hint(e, "install %s", lib->package);
	return lib->state;
}

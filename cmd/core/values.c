// SPDX-License-Identifier: GPL-2.0
/*
 * The values options accept, read from lib's own tables (opt.h): what
 * `tsmctl __metadata` lists for completions and what "accepted: ..."
 * messages name, so a new profile, op or code table appears everywhere
 * at once.
 */
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "nl.h"
#include "opt.h"
#include "tsmcode.h"

size_t tsmctl_values_abi(const char **out, size_t max,
			 const struct tsm_profile *p, enum tsm_arch arch)
{
	size_t i, n = 0;

	(void)p;
	(void)arch;
	if (n < max)
		out[n++] = TSM_AUTO_PROFILE;
	for (i = 0; i < tsm_profile_count() && n < max; i++)
		out[n++] = tsm_profile_at(i)->name;
	return n;
}

size_t tsmctl_values_arch(const char **out, size_t max,
			  const struct tsm_profile *p, enum tsm_arch arch)
{
	enum tsm_arch a;
	size_t n = 0;

	(void)p;
	(void)arch;
	for (a = TSM_ARCH_CCA; a <= TSM_ARCH_TDX && n < max; a++)
		out[n++] = tsm_arch_name(a);
	return n;
}

size_t tsmctl_values_cca_codes(const char **out, size_t max,
			       const struct tsm_profile *p, enum tsm_arch arch)
{
	size_t t, n = 0;

	(void)p;
	(void)arch;
	for (t = 0; t < TSM_CCA_TABLE_COUNT && n < max; t++)
		out[n++] = tsm_cca_table_name((enum tsm_cca_table)t);
	return n;
}

size_t tsmctl_values_ops(const char **out, size_t max,
			 const struct tsm_profile *p, enum tsm_arch arch)
{
	return tsm_catalog_op_names(out, max, p, arch);
}

size_t tsmctl_values_scope(const char **out, size_t max,
			   const struct tsm_profile *p, enum tsm_arch arch)
{
	uint32_t s;
	size_t n = 0;

	(void)p;
	(void)arch;
	for (s = TSM_SCOPE_INFO; s <= TSM_SCOPE_DEBUG_WRITE && n < max; s++)
		out[n++] = tsm_scope_name(s);
	return n;
}

size_t tsmctl_values_state(const char **out, size_t max,
			   const struct tsm_profile *p, enum tsm_arch arch)
{
	(void)p;
	(void)arch;
	return tsm_setrun_states(out, max);
}

size_t tsmctl_values_evidence(const char **out, size_t max,
			      const struct tsm_profile *p, enum tsm_arch arch)
{
	static const char *const groups[] = { "all", "none", "certs" };
	size_t i, n = 0;
	const char *name;

	(void)p;
	(void)arch;
	for (i = 0; i < ARRAY_SIZE(groups) && n < max; i++)
		out[n++] = groups[i];
	for (i = 0; (name = tsm_evidence_type_name((uint32_t)i)) && n < max;
	     i++)
		out[n++] = name;
	return n;
}

void tsmctl_values_join(tsmctl_values_fn fn, const char *sep, char *buf,
			size_t len)
{
	const char *v[TSMCTL_VALUES_MAX];
	size_t i, n = fn ? fn(v, ARRAY_SIZE(v), NULL, TSM_ARCH_NONE) : 0;
	size_t off = 0;

	buf[0] = 0;
	for (i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? sep : "", v[i]);
}

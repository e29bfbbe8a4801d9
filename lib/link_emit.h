/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sysfs steps around bind as JSON (lib/emit.h, either sink): a
 * device's state read back, and one planned write. The same members in a
 * command's document and in its trace records (docs/kernel-abi.md,
 * "sysfs writes"; tsmctl(8) JSON OUTPUT and TRACES).
 */
#ifndef TSMCTL_LINK_EMIT_H
#define TSMCTL_LINK_EMIT_H

#include "emit.h"
#include "link.h"

/* member @key: {bdf, exists, tsm, attributes, write_only, driver,
 * host_bridge} */
void tsm_link_emit_state(struct tsm_emit *em, const char *key,
			 const struct tsm_link_state *s);
/* members attr, path, data of @w (written into the open object) */
void tsm_link_emit_write(struct tsm_emit *em, const struct tsm_link_write *w);

#endif

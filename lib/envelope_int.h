/* SPDX-License-Identifier: GPL-2.0 */
/* Envelope keys, shared by envelope.c and envelope_fast.c (internal). */
#ifndef TSMCTL_ENVELOPE_INT_H
#define TSMCTL_ENVELOPE_INT_H

#include "envelope.h"

enum tsm_env_key {
	TSM_EK_COMMAND,
	TSM_EK_VDEVICE_ID,
	TSM_EK_ARCH,
	TSM_EK_OP,
	TSM_EK_SCOPE,
	TSM_EK_FIELDS,
	TSM_EK_PAYLOAD_HEX,
	TSM_EK_RESP_LEN,
	TSM_EK_STATE,
	TSM_EK_FORCE,
	TSM_EK_CCA_CODES,
	TSM_ENV_KEYS,
};

extern const char *const tsm_env_keys[TSM_ENV_KEYS];
/* The keys an envelope of @cmd may have, a bit per enum tsm_env_key. */
unsigned int tsm_env_allowed(enum tsm_env_cmd cmd);
/* The common envelope without a json-c tree: 0, or 1 when the strict
 * path is to read it (envelope_fast.c). */
int tsm_envelope_parse_fast(const char *buf, size_t len,
			    struct tsm_envelope *env);

#endif

// SPDX-License-Identifier: GPL-2.0
/* libcrypto opened at first use (lib/crypto.h). */
#include <errno.h>
#include <stdio.h>

#include "crypto.h"
#include "dl.h"

#define TSM_CRYPTO_DEFINE(name) typeof(&name) cr_##name;
TSM_CRYPTO_SYMS(TSM_CRYPTO_DEFINE)
#undef TSM_CRYPTO_DEFINE

#define TSM_CRYPTO_ENTRY(name) { #name, (void **)&cr_##name },
static const struct tsm_dl_sym crypto_syms[] = { TSM_CRYPTO_SYMS(
	TSM_CRYPTO_ENTRY) };
#undef TSM_CRYPTO_ENTRY

static struct tsm_dl crypto_lib = {
	.soname = "libcrypto.so.3",
	.package = "OpenSSL 3 (Debian: libssl3)",
	.syms = crypto_syms,
	.nsyms = ARRAY_SIZE(crypto_syms),
};

int tsm_crypto_load(const char *purpose, struct tsm_err *e)
{
	struct tsm_err ign;

	crypto_lib.purpose = purpose;
	return tsm_dl_load(&crypto_lib, e ? e : &ign);
}

int tsm_sha256(const void *data, size_t len, uint8_t out[32], struct tsm_err *e)
{
	unsigned int n = 0;

	if (tsm_crypto_load("SHA-256 of evidence", e))
		return -ELIBACC;
	if (!cr_EVP_Digest(data, len, out, &n, cr_EVP_sha256(), NULL) ||
	    n != 32)
		return -EINVAL;
	return 0;
}

void tsm_crypto_error(char *buf, size_t len)
{
	const char *r = cr_ERR_reason_error_string(cr_ERR_peek_last_error());

	snprintf(buf, len, "%s", r ? r : "");
	cr_ERR_clear_error();
}

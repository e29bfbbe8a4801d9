// SPDX-License-Identifier: GPL-2.0
/*
 * Certificates as the evidence families carry them, through the public
 * decoding API only (lib/x509.h: x509_chain_decode, which takes an SPDM
 * chain, concatenated DER or PEM; the internals are OpenSSL's): the first
 * byte picks whether the PEM path is tried too.
 */
#include <json-c/json.h>

#include "fuzz.h"
#include "x509.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *o;

	if (size < 1)
		return 0;
	o = x509_chain_decode(data + 1, size - 1, NULL);
	json_object_put(o);
	if ((data[0] & 1) && x509_is_pem(data + 1, size - 1)) {
		uint8_t *der = NULL;
		size_t n = 0;
		struct tsm_err e = { 0 };

		if (!x509_pem_to_der(data + 1, size - 1, "fuzz", &der, &n, &e))
			json_object_put(x509_chain_decode(der, n, NULL));
		free(der);
	}
	return 0;
}

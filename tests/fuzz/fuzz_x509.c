// SPDX-License-Identifier: GPL-2.0
/*
 * Certificates as pci-tsm evidence carries them, through the public
 * decoding API only (x509_chain_parse, x509_cert_parse; the internals
 * may change): the first byte picks the chain form.
 */
#include <string.h>

#include "evidence.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct x509_cert_info certs[4], one;
	static const int forms[] = { X509_CHAIN_AUTO, X509_CHAIN_PLAIN, 32,
				     48 };
	struct x509_chain ch;
	const char *why;
	char w[128];

	if (size < 1)
		return 0;
	memset(&ch, 0, sizeof(ch));
	x509_chain_parse(data + 1, size - 1, forms[data[0] & 3], certs, 4, &ch,
			 &why);
	x509_cert_parse(data + 1, size - 1, &one, w, sizeof(w));
	return 0;
}

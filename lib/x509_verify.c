// SPDX-License-Identifier: GPL-2.0
/*
 * Chain verification (lib/x509.h): the trust anchors of dump
 * --trust-anchor in one X509_STORE, each chain verified by
 * X509_verify_cert with its leaf as the target and the other
 * certificates as untrusted intermediates; every error OpenSSL reports is
 * kept per certificate (the callback lets the verification go on). An
 * SPDM chain's header carries the hash of its root certificate: it must
 * equal the hash (SHA-2, or SHA-3, of the header's size) of the chain's
 * first certificate when that one is self-signed, else of the trust
 * anchor the verification ended at.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "x509_int.h"

#define ANCHOR_FILE_MAX (1u << 20)

struct x509_anchors {
	X509_STORE *store;
	size_t n;
};

void x509_anchors_free(struct x509_anchors *a)
{
	if (!a)
		return;
	if (a->store)
		cr_X509_STORE_free(a->store);
	free(a);
}

/* Every certificate of one file into the store; how many, or -errno. */
static int add_file(struct x509_anchors *a, const char *path, const char *flag,
		    struct tsm_err *e)
{
	uint8_t *der = NULL;
	const uint8_t *p;
	size_t dlen = 0;
	char *buf = NULL;
	size_t len = 0;
	char what[300];
	int k = 0, rc;

	rc = tsm_load_file(path, flag, ANCHOR_FILE_MAX, &buf, &len, e);
	if (rc)
		return rc;
	snprintf(what, sizeof(what), "%s '%s'", flag, path);
	if (x509_is_pem((uint8_t *)buf, len)) {
		rc = x509_pem_to_der((uint8_t *)buf, len, what, &der, &dlen, e);
	} else {
		der = (uint8_t *)buf;
		dlen = len;
		buf = NULL;
	}
	for (p = der; !rc && p < der + dlen; k++) {
		X509 *x = cr_d2i_X509(NULL, &p, (long)(der + dlen - p));

		if (!x || !cr_X509_STORE_add_cert(a->store, x)) {
			tsm_err_set(e, EINVAL, flag, path, "%s '%s': %s", flag,
				    path,
				    x ? "cannot add the certificate" :
					"neither PEM nor DER certificates");
			rc = -EINVAL;
		}
		if (x)
			cr_X509_free(x);
	}
	cr_ERR_clear_error();
	free(der);
	free(buf);
	if (!rc && !k) {
		tsm_err_set(e, EINVAL, flag, path, "%s: no certificate", what);
		rc = -EINVAL;
	}
	return rc < 0 ? rc : k;
}

int x509_anchors_load(const char *const *paths, size_t n, const char *flag,
		      struct x509_anchors **out, struct tsm_err *e)
{
	struct x509_anchors *a;
	int rc = 0;

	*out = NULL;
	if (tsm_crypto_load("verifying certificate chains", e))
		return -ELIBACC;
	a = calloc(1, sizeof(*a));
	if (!a || !(a->store = cr_X509_STORE_new())) {
		free(a);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n && rc >= 0; i++) {
		rc = add_file(a, paths[i], flag, e);
		if (rc > 0)
			a->n += (size_t)rc;
	}
	if (rc < 0) {
		x509_anchors_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

/* The first error OpenSSL reported for each certificate of the chain. */
struct vstate {
	const struct x509_parsed *p;
	int err[X509_MAX_CERTS];
	int anchor_err; /* an error at a certificate not in the chain */
	int nerr;
};

static int verify_cb(int ok, X509_STORE_CTX *sc)
{
	struct vstate *v = cr_X509_STORE_CTX_get_ex_data(sc, 0);
	X509 *cur = cr_X509_STORE_CTX_get_current_cert(sc);
	int err = cr_X509_STORE_CTX_get_error(sc);
	size_t i;

	if (ok || !v)
		return ok;
	v->nerr++;
	for (i = 0; i < v->p->n && v->p->c[i].x != cur; i++)
		;
	if (i < v->p->n && !v->err[i])
		v->err[i] = err;
	else if (i == v->p->n && !v->anchor_err)
		v->anchor_err = err;
	return 1; /* go on: every certificate's errors are reported */
}

/* The leaf: the last certificate (SPDM order, root first), or the first
 * when only the last is self-signed (leaf-first order). */
static size_t leaf_index(const struct x509_parsed *p)
{
	size_t last = p->n - 1;

	if (p->n > 1 && cr_X509_self_signed(p->c[last].x, 0) == 1 &&
	    cr_X509_self_signed(p->c[0].x, 0) != 1)
		return 0;
	return last;
}

/* The DER of the last certificate of the verified chain (its anchor). */
static void top_der(STACK_OF(X509) * ch, unsigned char **der, int *len)
{
	int n = ch ? cr_OPENSSL_sk_num((OPENSSL_STACK *)ch) : 0;
	X509 *x = n > 0 ? cr_OPENSSL_sk_value((OPENSSL_STACK *)ch, n - 1) :
			  NULL;

	if (x)
		*len = cr_i2d_X509(x, der);
}

/* X509_verify_cert over the chain; 1 verified, 0 not; errors in @v. */
static int verify(const struct x509_parsed *p, const struct x509_anchors *a,
		  struct vstate *v, unsigned char **top, int *toplen)
{
	STACK_OF(X509) *untrusted = (STACK_OF(X509) *)cr_OPENSSL_sk_new_null();
	X509_STORE_CTX *sc = cr_X509_STORE_CTX_new();
	size_t leaf = leaf_index(p);
	int ok = 0;

	*top = NULL;
	*toplen = 0;
	for (size_t i = 0; untrusted && i < p->n; i++)
		if (i != leaf)
			cr_OPENSSL_sk_push((OPENSSL_STACK *)untrusted,
					   p->c[i].x);
	if (sc && untrusted &&
	    cr_X509_STORE_CTX_init(sc, a->store, p->c[leaf].x, untrusted)) {
		cr_X509_STORE_CTX_set_ex_data(sc, 0, v);
		cr_X509_STORE_CTX_set_verify_cb(sc, verify_cb);
		ok = cr_X509_verify_cert(sc) == 1 && !v->nerr;
		top_der(cr_X509_STORE_CTX_get0_chain(sc), top, toplen);
	}
	cr_ERR_clear_error();
	if (sc)
		cr_X509_STORE_CTX_free(sc);
	if (untrusted)
		cr_OPENSSL_sk_free((OPENSSL_STACK *)untrusted);
	return ok;
}

/* The hash of @der that the SPDM header holds, by name; NULL if none. */
static const char *root_hash_alg(const uint8_t *hash, size_t hlen,
				 const uint8_t *der, size_t dlen)
{
	const struct {
		size_t len;
		const char *name;
		const EVP_MD *(**md)(void);
	} algs[] = {
		{ 32, "SHA-256", &cr_EVP_sha256 },
		{ 48, "SHA-384", &cr_EVP_sha384 },
		{ 64, "SHA-512", &cr_EVP_sha512 },
		{ 32, "SHA3-256", &cr_EVP_sha3_256 },
		{ 48, "SHA3-384", &cr_EVP_sha3_384 },
		{ 64, "SHA3-512", &cr_EVP_sha3_512 },
	};
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n;

	for (size_t i = 0; i < ARRAY_SIZE(algs); i++) {
		if (algs[i].len != hlen ||
		    !cr_EVP_Digest(der, dlen, md, &n, (*algs[i].md)(), NULL))
			continue;
		if (n == hlen && !memcmp(md, hash, hlen))
			return algs[i].name;
	}
	return NULL;
}

/* "root_hash_matches" (and the algorithm) for the root's DER. */
static bool root_hash(struct json_object *chain, const struct x509_parsed *p,
		      const uint8_t *der, size_t len)
{
	const char *alg = root_hash_alg(p->buf + 4, p->hash_len, der, len);

	jadd(chain, "root_hash_matches", json_object_new_boolean(alg != NULL));
	if (alg)
		jadd(chain, "root_hash_algorithm", json_object_new_string(alg));
	return alg != NULL;
}

static void verdict(struct json_object *chain, bool ok, const char *text)
{
	jadd(chain, "verified", json_object_new_boolean(ok));
	jadd(chain, "verification", json_object_new_string(text));
}

/* The first error, for the chain's "verification" text. */
static void first_error(const struct vstate *v, char *buf, size_t len)
{
	for (size_t i = 0; i < v->p->n; i++)
		if (v->err[i]) {
			snprintf(buf, len, "failed: certificate %zu: %s", i,
				 cr_X509_verify_cert_error_string(v->err[i]));
			return;
		}
	snprintf(buf, len, "failed: %s",
		 cr_X509_verify_cert_error_string(v->anchor_err));
}

void x509_verify_json(struct json_object *chain, struct json_object *certs,
		      const struct x509_parsed *p, const struct x509_anchors *a)
{
	struct vstate v = { .p = p };
	unsigned char *top = NULL;
	bool self_root, hash_ok = true;
	char text[200];
	int toplen = 0, ok;

	if (!p)
		return verdict(chain, false,
			       "not verified: the chain is malformed");
	self_root = cr_X509_self_signed(p->c[0].x, 0) == 1;
	if (p->spdm && self_root)
		hash_ok =
			root_hash(chain, p, p->buf + p->c[0].off, p->c[0].len);
	if (!a)
		return verdict(chain, false,
			       "not verified: no trust anchor given");
	ok = verify(p, a, &v, &top, &toplen);
	if (p->spdm && !self_root)
		hash_ok = top && root_hash(chain, p, top, (size_t)toplen);
	cr_CRYPTO_free(top, __FILE__, __LINE__);
	for (size_t i = 0; i < p->n; i++)
		if (v.err[i])
			jadd(json_object_array_get_idx(certs, i),
			     "verify_error",
			     json_object_new_string(
				     cr_X509_verify_cert_error_string(
					     v.err[i])));
	if (ok && !hash_ok)
		snprintf(
			text, sizeof(text),
			"failed: the SPDM header's root hash is not the hash of the root certificate");
	else if (ok)
		snprintf(text, sizeof(text),
			 "verified against %zu trust anchor(s)%s", a->n,
			 p->spdm ? ", root hash checked" : "");
	else
		first_error(&v, text, sizeof(text));
	verdict(chain, ok && hash_ok, text);
}

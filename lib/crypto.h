/* SPDX-License-Identifier: GPL-2.0 */
/*
 * OpenSSL's libcrypto (libcrypto.so.3), opened at first use through
 * lib/dl.h: certificates (lib/x509*.c) and SHA-256 of evidence objects.
 * Linking it would cost every start of tsmctl about 2.95M instructions
 * (`make bench`, docs/performance.md).
 *
 * Each function used is listed once below; tsm_crypto_load() resolves
 * them into cr_NAME pointers of NAME's own type, so calls are checked
 * against OpenSSL's headers: cr_d2i_X509(NULL, &p, len). Internal to
 * lib/.
 */
#ifndef TSMCTL_CRYPTO_H
#define TSMCTL_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "util.h"

#define TSM_CRYPTO_SYMS(X)                 \
	X(ASN1_STRING_get0_data)           \
	X(ASN1_STRING_length)              \
	X(ASN1_STRING_to_UTF8)             \
	X(ASN1_STRING_type)                \
	X(ASN1_TIME_to_tm)                 \
	X(ASN1_TYPE_free)                  \
	X(ASN1_item_free)                  \
	X(BIO_ctrl)                        \
	X(BIO_free)                        \
	X(BIO_new)                         \
	X(BIO_new_mem_buf)                 \
	X(BIO_s_mem)                       \
	X(CRYPTO_free)                     \
	X(EC_curve_nid2nist)               \
	X(ERR_clear_error)                 \
	X(ERR_reason_error_string)         \
	X(ERR_get_error)                   \
	X(ERR_peek_last_error)             \
	X(EVP_Digest)                      \
	X(EVP_PKEY_get_bits)               \
	X(EVP_sha256)                      \
	X(EVP_sha384)                      \
	X(EVP_sha3_256)                    \
	X(EVP_sha3_384)                    \
	X(EVP_sha3_512)                    \
	X(EVP_sha512)                      \
	X(OBJ_nid2sn)                      \
	X(OBJ_obj2nid)                     \
	X(OBJ_obj2txt)                     \
	X(OPENSSL_sk_free)                 \
	X(OPENSSL_sk_new_null)             \
	X(OPENSSL_sk_num)                  \
	X(OPENSSL_sk_pop_free)             \
	X(OPENSSL_sk_push)                 \
	X(OPENSSL_sk_value)                \
	X(PEM_read_bio_X509)               \
	X(X509V3_EXT_d2i)                  \
	X(X509V3_EXT_get)                  \
	X(X509_ALGOR_cmp)                  \
	X(X509_ALGOR_get0)                 \
	X(X509_EXTENSION_get_critical)     \
	X(X509_EXTENSION_get_data)         \
	X(X509_EXTENSION_get_object)       \
	X(X509_NAME_print_ex)              \
	X(X509_PUBKEY_get0_param)          \
	X(X509_STORE_CTX_free)             \
	X(X509_STORE_CTX_get0_chain)       \
	X(X509_STORE_CTX_get_current_cert) \
	X(X509_STORE_CTX_get_error)        \
	X(X509_STORE_CTX_get_ex_data)      \
	X(X509_STORE_CTX_init)             \
	X(X509_STORE_CTX_new)              \
	X(X509_STORE_CTX_set_ex_data)      \
	X(X509_STORE_CTX_set_verify_cb)    \
	X(X509_STORE_add_cert)             \
	X(X509_STORE_free)                 \
	X(X509_STORE_new)                  \
	X(X509_free)                       \
	X(X509_get0_notAfter)              \
	X(X509_get0_notBefore)             \
	X(X509_get0_pubkey)                \
	X(X509_get0_serialNumber)          \
	X(X509_get0_signature)             \
	X(X509_get0_tbs_sigalg)            \
	X(X509_get_X509_PUBKEY)            \
	X(X509_get_ext)                    \
	X(X509_get_ext_count)              \
	X(X509_get_issuer_name)            \
	X(X509_get_subject_name)           \
	X(X509_get_version)                \
	X(X509_self_signed)                \
	X(X509_verify_cert)                \
	X(X509_verify_cert_error_string)   \
	X(d2i_ASN1_SEQUENCE_ANY)           \
	X(d2i_ASN1_SET_ANY)                \
	X(d2i_ASN1_TYPE)                   \
	X(d2i_X509)                        \
	X(i2d_X509)

#define TSM_CRYPTO_DECLARE(name) extern typeof(&name) cr_##name;
TSM_CRYPTO_SYMS(TSM_CRYPTO_DECLARE)
#undef TSM_CRYPTO_DECLARE

/* Open libcrypto.so.3 once; 0 or -ELIBACC with @e saying what needs it. */
int tsm_crypto_load(const char *purpose, struct tsm_err *e);

/*
 * SHA-256 of @len bytes into @out. 0, or -ELIBACC when libcrypto cannot
 * be loaded (@e may be NULL).
 */
int tsm_sha256(const void *data, size_t len, uint8_t out[32],
	       struct tsm_err *e);

/* The reason of OpenSSL's last queued error ("" when none), e.g. "wrong
 * tag"; clears the queue. */
void tsm_crypto_error(char *buf, size_t len);

#endif

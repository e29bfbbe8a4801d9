// SPDX-License-Identifier: GPL-2.0
/*
 * Strict number and hex parsing and error reports for the library.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

void tsm_err_set(struct tsm_err *e, int err, const char *field,
		 const char *value, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	e->err = err;
	if (!field)
		field = "";
	/* a JSON key quoted for a message ("\"payload_hex\"") is stored bare */
	if (field[0] == '"' && strlen(field) >= 2 &&
	    field[strlen(field) - 1] == '"')
		snprintf(e->field, sizeof(e->field), "%.*s",
			 (int)strlen(field) - 2, field + 1);
	else
		snprintf(e->field, sizeof(e->field), "%s", field);
	snprintf(e->value, sizeof(e->value), "%s", value ? value : "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->hint[0] = 0;
}

void tsm_err_hint(struct tsm_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(e->hint, sizeof(e->hint), fmt, ap);
	va_end(ap);
}

void tsm_err_prefix(struct tsm_err *e, const char *prefix)
{
	size_t plen = strlen(prefix), mlen = strlen(e->msg);

	if (plen + 2 >= sizeof(e->msg))
		return;
	if (plen + 2 + mlen >= sizeof(e->msg))
		mlen = sizeof(e->msg) - plen - 3;
	memmove(e->msg + plen + 2, e->msg, mlen);
	e->msg[plen + 2 + mlen] = 0;
	memcpy(e->msg, prefix, plen);
	e->msg[plen] = ':';
	e->msg[plen + 1] = ' ';
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int tsm_parse_u64(const char *s, uint64_t max, const char *field, uint64_t *out,
		  struct tsm_err *e)
{
	const char *p = s;
	uint64_t v = 0;
	unsigned int base = 10;
	int d;
	const char *what = max == UINT32_MAX ? "unsigned 32-bit" :
			   max == UINT64_MAX ? "unsigned 64-bit" :
					       "unsigned";

	if (!s || !*s) {
		tsm_err_set(
			e, EINVAL, field, s ? s : "",
			"%s: empty value: expected an %s integer (0..%llu, decimal or 0x-hex)",
			field, what, (unsigned long long)max);
		return -EINVAL;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		if (!*p)
			goto bad;
	}
	for (; *p; p++) {
		d = hexval((unsigned char)*p);
		if (d < 0 || (unsigned int)d >= base)
			goto bad;
		if (v > (max - (uint64_t)d) / base) {
			tsm_err_set(
				e, ERANGE, field, s,
				"%s '%s': out of range: accepted 0..%llu (%s)",
				field, s, (unsigned long long)max, what);
			return -EINVAL;
		}
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return 0;
bad:
	tsm_err_set(
		e, EINVAL, field, s,
		"%s '%s': not an %s integer (accepted 0..%llu, decimal or 0x-hex)",
		field, s, what, (unsigned long long)max);
	return -EINVAL;
}

int tsm_parse_u32(const char *s, const char *field, uint32_t *out,
		  struct tsm_err *e)
{
	uint64_t v;
	int rc = tsm_parse_u64(s, UINT32_MAX, field, &v, e);

	if (!rc)
		*out = (uint32_t)v;
	return rc;
}

long tsm_parse_hex(const char *s, uint8_t *out, size_t max, const char *field,
		   struct tsm_err *e)
{
	size_t n = 0, pos;
	int hi = -1, d;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (pos = 0; s[pos]; pos++) {
		unsigned char c = (unsigned char)s[pos];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == ':') {
			if (hi >= 0)
				goto odd;
			continue;
		}
		d = hexval(c);
		if (d < 0) {
			tsm_err_set(
				e, EINVAL, field, s,
				"%s: bad hex character '%c' at offset %zu (accepted: hex digit pairs, spaces and colons between bytes)",
				field, isprint(c) ? c : '?', pos);
			return -EINVAL;
		}
		if (hi < 0) {
			hi = d;
			continue;
		}
		if (n >= max) {
			tsm_err_set(e, E2BIG, field, NULL,
				    "%s: payload larger than %zu bytes", field,
				    max);
			return -EINVAL;
		}
		out[n++] = (uint8_t)(hi << 4 | d);
		hi = -1;
	}
	if (hi >= 0)
		goto odd;
	return (long)n;
odd:
	tsm_err_set(
		e, EINVAL, field, s,
		"%s: odd number of hex digits in a byte (each byte needs two digits)",
		field);
	return -EINVAL;
}

void tsm_hex(const uint8_t *b, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * len] = 0;
}

long tsm_read_fd(int fd, uint8_t *buf, size_t max)
{
	size_t got = 0;
	ssize_t n;
	uint8_t extra;

	while (got < max) {
		n = read(fd, buf + got, max - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return (long)got;
		got += (size_t)n;
	}
	do
		n = read(fd, &extra, 1);
	while (n < 0 && errno == EINTR);
	return n > 0 ? -E2BIG : (long)got;
}

int tsm_load_file(const char *path, const char *flag, size_t max, char **buf,
		  size_t *len, struct tsm_err *e)
{
	__cleanup_fd int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	long n;
	int err;

	*buf = NULL;
	if (fd < 0 || fstat(fd, &st)) {
		err = errno;
		tsm_err_set(e, err, flag, path, "%s '%s': cannot open: %s",
			    flag, path, strerror(err));
		return -err;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
		tsm_err_set(e, EINVAL, flag, path,
			    "%s '%s': not a regular file of at most %zu bytes",
			    flag, path, max);
		return -EINVAL;
	}
	*buf = malloc(max + 1);
	if (!*buf)
		return -ENOMEM;
	n = tsm_read_fd(fd, (uint8_t *)*buf, max);
	if (n < 0) {
		free(*buf);
		*buf = NULL;
		err = n == -E2BIG ? EINVAL : (int)-n;
		tsm_err_set(e, err, flag, path, "%s '%s': %s", flag, path,
			    n == -E2BIG ?
				    "grew past the size limit while read" :
				    strerror(err));
		return -err;
	}
	(*buf)[n] = 0;
	*len = (size_t)n;
	return 0;
}

/*
 * The one errno table: every Linux errno value (1..133, as in
 * <asm-generic/errno*.h>), by its primary name (EAGAIN, not EWOULDBLOCK;
 * EDEADLK, not EDEADLOCK; EOPNOTSUPP, not ENOTSUP).
 */
const char *tsm_errno_name(int err, char *buf, size_t len)
{
	/* a table, packed */
/* clang-format off */
#define E(e) [e] = #e
	static const char *const names[] = {
		[0] = "OK", E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO),
		E(ENXIO), E(E2BIG), E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN),
		E(ENOMEM), E(EACCES), E(EFAULT), E(ENOTBLK), E(EBUSY),
		E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR), E(EISDIR),
		E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY), E(ETXTBSY),
		E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE),
		E(EDOM), E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK),
		E(ENOSYS), E(ENOTEMPTY), E(ELOOP), E(ENOMSG), E(EIDRM),
		E(ECHRNG), E(EL2NSYNC), E(EL3HLT), E(EL3RST), E(ELNRNG),
		E(EUNATCH), E(ENOCSI), E(EL2HLT), E(EBADE), E(EBADR),
		E(EXFULL), E(ENOANO), E(EBADRQC), E(EBADSLT), E(EBFONT),
		E(ENOSTR), E(ENODATA), E(ETIME), E(ENOSR), E(ENONET),
		E(ENOPKG), E(EREMOTE), E(ENOLINK), E(EADV), E(ESRMNT),
		E(ECOMM), E(EPROTO), E(EMULTIHOP), E(EDOTDOT), E(EBADMSG),
		E(EOVERFLOW), E(ENOTUNIQ), E(EBADFD), E(EREMCHG), E(ELIBACC),
		E(ELIBBAD), E(ELIBSCN), E(ELIBMAX), E(ELIBEXEC), E(EILSEQ),
		E(ERESTART), E(ESTRPIPE), E(EUSERS), E(ENOTSOCK),
		E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT),
		E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT), E(EOPNOTSUPP),
		E(EPFNOSUPPORT), E(EAFNOSUPPORT), E(EADDRINUSE),
		E(EADDRNOTAVAIL), E(ENETDOWN), E(ENETUNREACH), E(ENETRESET),
		E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS), E(EISCONN),
		E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT),
		E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY),
		E(EINPROGRESS), E(ESTALE), E(EUCLEAN), E(ENOTNAM), E(ENAVAIL),
		E(EISNAM), E(EREMOTEIO), E(EDQUOT), E(ENOMEDIUM),
		E(EMEDIUMTYPE), E(ECANCELED), E(ENOKEY), E(EKEYEXPIRED),
		E(EKEYREVOKED), E(EKEYREJECTED), E(EOWNERDEAD),
		E(ENOTRECOVERABLE), E(ERFKILL), E(EHWPOISON),
	};
#undef E
	/* clang-format on */

	if (err >= 0 && (size_t)err < ARRAY_SIZE(names) && names[err])
		return names[err];
	snprintf(buf, len, "E%d", err);
	return buf;
}

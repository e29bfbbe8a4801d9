// SPDX-License-Identifier: GPL-2.0
/*
 * The evidence netlink client's words (lib/nl.c): object names, the
 * --evidence type list, the device name check, libnl codes as errno and
 * kernel errors explained. No I/O.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netlink/errno.h>

#include "nl.h"

static const char *const type_names[PCI_TSM_EVIDENCE_TYPES] = {
	"cert0", "cert1", "cert2", "cert3",	   "cert4",  "cert5",
	"cert6", "cert7", "vca",   "measurements", "report",
};

const char *tsm_evidence_type_name(uint32_t type)
{
	return type < ARRAY_SIZE(type_names) ? type_names[type] : NULL;
}

int tsm_nl_dev_name_check(const char *dev, struct tsm_err *e)
{
	size_t n = dev ? strlen(dev) : 0;

	if (!n || n > PCI_TSM_DEV_NAME_MAX ||
	    strspn(dev, "0123456789abcdefABCDEF:.") != n) {
		tsm_err_set(
			e, EINVAL, "--bdf", dev ? dev : "",
			"invalid PCI device name '%.40s%s': expected 1..%d characters of [0-9a-fA-F:.] such as 0000:01:00.0",
			dev ? dev : "", n > 40 ? "..." : "",
			PCI_TSM_DEV_NAME_MAX);
		return -EINVAL;
	}
	return 0;
}

int tsm_evidence_mask_parse(const char *list, uint32_t *mask, struct tsm_err *e)
{
	char bad[200] = "";
	size_t blen = 0;
	uint32_t m = 0;
	const char *p = list;

	*mask = 0;
	if (!list || !*list) {
		tsm_err_set(
			e, EINVAL, "--evidence", "",
			"empty evidence type list: expected all, none, certs, cert0..cert7, vca, measurements, report, or a bit mask such as 0x600 (bit N = type N)");
		return -EINVAL;
	}
	if (list[0] >= '0' && list[0] <= '9') {
		uint32_t v;

		if (tsm_parse_u32(list, "--evidence", &v, e))
			return -EINVAL;
		if (!v || v & ~PCI_TSM_EVIDENCE_MASK_ALL) {
			tsm_err_set(
				e, EINVAL, "--evidence", list,
				"evidence type mask %s %s: expected 0x1..0x7ff (bit N = type N)",
				list,
				v ? "has unknown type bits" :
				    "selects nothing");
			return -EINVAL;
		}
		*mask = v;
		return 0;
	}
	for (;;) {
		size_t len = strcspn(p, ",");
		uint32_t bit = 0;

		if (len == 3 && !strncmp(p, "all", 3)) {
			bit = PCI_TSM_EVIDENCE_MASK_ALL;
		} else if (len == 5 && !strncmp(p, "certs", 5)) {
			bit = PCI_TSM_EVIDENCE_MASK_CERTS;
		} else {
			for (uint32_t t = 0; t < ARRAY_SIZE(type_names); t++)
				if (strlen(type_names[t]) == len &&
				    !strncmp(p, type_names[t], len))
					bit = 1u << t;
		}
		if (!bit && blen < sizeof(bad) - 1) {
			int w = snprintf(bad + blen, sizeof(bad) - blen,
					 "%s'%.*s'", blen ? ", " : "",
					 (int)(len > 40 ? 40 : len), p);

			if (w > 0)
				blen += (size_t)w;
			if (blen >= sizeof(bad))
				blen = sizeof(bad) - 1;
		}
		m |= bit;
		p += len;
		if (!*p)
			break;
		p++; /* the comma; an empty name follows if none */
	}
	if (blen) {
		tsm_err_set(
			e, EINVAL, "--evidence", list,
			"unknown evidence type %s: expected all, none, certs, cert0..cert7, vca, measurements, report, or a bit mask such as 0x600 (bit N = type N)",
			bad);
		return -EINVAL;
	}
	*mask = m;
	return 0;
}


/* libnl error codes back to errno, for calls that only return NLE_*. */
int tsm_nlerr_to_errno(int nle)
{
	static const struct {
		int nle, err;
	} map[] = {
		{ NLE_INTR, EINTR },
		{ NLE_AGAIN, EAGAIN },
		{ NLE_NOMEM, ENOMEM },
		{ NLE_EXIST, EEXIST },
		{ NLE_INVAL, EINVAL },
		{ NLE_RANGE, ERANGE },
		{ NLE_MSGSIZE, EMSGSIZE },
		{ NLE_OPNOTSUPP, EOPNOTSUPP },
		{ NLE_AF_NOSUPPORT, EAFNOSUPPORT },
		{ NLE_PROTO_MISMATCH, EPROTONOSUPPORT },
		{ NLE_OBJ_NOTFOUND, ENOENT },
		{ NLE_NOACCESS, EACCES },
		{ NLE_PERM, EPERM },
		{ NLE_NODEV, ENODEV },
		{ NLE_BUSY, EBUSY },
		{ NLE_DUMP_INTR, EAGAIN }, /* NLM_F_DUMP_INTR: restart */
		{ NLE_SEQ_MISMATCH, EPROTO },
		{ NLE_MSG_TRUNC, EPROTO },
		{ NLE_MSG_TOOSHORT, EPROTO },
		{ NLE_MSG_OVERFLOW, EPROTO },
		{ NLE_MSGTYPE_NOSUPPORT, EPROTO },
		{ NLE_PARSE_ERR, EPROTO },
	};

	if (nle < 0)
		nle = -nle;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (map[i].nle == nle)
			return map[i].err;
	return EIO;
}

void tsm_nl_kernel_error(struct tsm_err *e, const char *fam, int err,
			 const char *dev, uint32_t mask, const char *kmsg,
			 unsigned int restarts)
{
	char name[24];
	const char *en = tsm_errno_name(err, name, sizeof(name));
	const char *sep = *kmsg ? ": " : "";

	switch (err) {
	case ENODEV:
		tsm_err_set(e, err, "--bdf", dev,
			    "%s evidence read: device %s not found (ENODEV)%s%s",
			    fam, dev, sep, kmsg);
		tsm_err_hint(e, "check the name with ls /sys/bus/pci/devices");
		break;
	case ENXIO:
		tsm_err_set(
			e, err, "--bdf", dev,
			"%s evidence read: device %s has no TSM context or no evidence yet (ENXIO)%s%s",
			fam, dev, sep, kmsg);
		tsm_err_hint(
			e,
			"connect the device to its TSM first (echo TSM > /sys/bus/pci/devices/%s/tsm/connect)",
			dev);
		break;
	case EOPNOTSUPP:
		tsm_err_set(
			e, err, NULL, NULL,
			"%s evidence read of %s: not supported (EOPNOTSUPP)%s%s",
			fam, dev, sep, kmsg);
		tsm_err_hint(
			e,
			"the kernel has no evidence refresh for a nonce (read without --nonce), or does not know the device's subsystem");
		break;
	case EAGAIN:
		tsm_err_set(
			e, err, "--bdf", dev,
			"%s evidence read: evidence updated during read, gave up after %u restart%s (EAGAIN)%s%s",
			fam, restarts, restarts == 1 ? "" : "s", sep, kmsg);
		tsm_err_hint(e, "retry when the device's TSM state is stable");
		break;
	case EPERM:
	case EACCES:
		tsm_err_set(e, err, NULL, NULL,
			    "%s evidence read: permission denied (%s)%s%s", fam,
			    en, sep, kmsg);
		tsm_err_hint(e, "evidence READ needs CAP_NET_ADMIN; run as root");
		break;
	case EINVAL:
		tsm_err_set(
			e, err, "--evidence", NULL,
			"%s evidence read: kernel refused the request for %s, mask 0x%x (EINVAL)%s%s",
			fam, dev, mask, sep, kmsg);
		break;
	default:
		tsm_err_set(e, err, NULL, NULL,
			    "%s evidence read of %s failed: %s (%s)%s%s", fam,
			    dev, strerror(err), en, sep, kmsg);
		break;
	}
}


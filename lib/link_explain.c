// SPDX-License-Identifier: GPL-2.0
/*
 * What an errno from a sysfs write around bind means, per attribute
 * (docs/kernel-abi.md, "sysfs writes": the errnos each store returns).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "link.h"

static const char *holder(const struct tsm_link_state *a, enum tsm_link_attr x)
{
	return a && a->attr[x].value[0] ? a->attr[x].value : NULL;
}

static bool explain_connect(const struct tsm_link_plan *p, int err,
			    const struct tsm_link_state *a, char *buf,
			    size_t len)
{
	const char *c = holder(a, TSM_LA_CONNECT);

	switch (err) {
	case EINVAL:
		snprintf(buf, len,
			 "the kernel did not take '%s' as a TSM name (tsmN)",
			 p->tsm);
		return true;
	case EBUSY:
		snprintf(
			buf, len,
			"%s already has a TSM context%s%s: disconnect it first",
			p->bdf, c ? ", connected to " : "", c ? c : "");
		return true;
	case ENXIO:
		snprintf(
			buf, len,
			"%s is not a link TSM (pci_mode link), or its driver declined %s (no CMA/DOE mailbox, or no DSM found)",
			p->tsm, p->bdf);
		return true;
	case EIO:
	case ETIMEDOUT:
	case ECONNRESET:
	case EPROTO:
		snprintf(
			buf, len,
			"the SPDM session or the IDE set-up between %s and %s failed (the TSM driver logs why in the kernel log: certificate, measurement or key programming)",
			p->tsm, p->bdf);
		return true;
	}
	return false;
}

static bool explain_disconnect(const struct tsm_link_plan *p, int err,
			       const struct tsm_link_state *a, char *buf,
			       size_t len)
{
	const char *c = holder(a, TSM_LA_CONNECT);

	switch (err) {
	case ENXIO:
		snprintf(buf, len, "%s is not connected to any TSM", p->bdf);
		return true;
	case EINVAL:
		snprintf(buf, len, "%s is connected to %s, not to %s", p->bdf,
			 c ? c : "another TSM", p->tsm);
		return true;
	}
	return false;
}

static bool explain_guest(const struct tsm_link_plan *p, int err,
			  const struct tsm_link_state *a, char *buf, size_t len)
{
	const char *op = tsm_link_op_name(p->op), *l = holder(a, TSM_LA_LOCK);

	switch (err) {
	case EBUSY:
		if (a && a->driver[0])
			snprintf(
				buf, len,
				"driver %s is bound to %s: the kernel refuses %s while a driver is bound (--unbind-driver)",
				a->driver, p->bdf, op);
		else if (p->op == TSM_LINK_LOCK && l)
			snprintf(buf, len, "%s is already locked to %s", p->bdf,
				 l);
		else
			snprintf(
				buf, len,
				"%s is busy: a driver was bound, or it is already locked",
				p->bdf);
		return true;
	case EINVAL:
		if (p->op == TSM_LINK_LOCK)
			snprintf(
				buf, len,
				"the kernel did not take '%s' as a TSM name (tsmN)",
				p->tsm);
		else
			snprintf(
				buf, len,
				"%s is not locked%s%s (the kernel %ss a locked TDI only)",
				p->bdf, p->op == TSM_LINK_UNLOCK ? " to " : "",
				p->op == TSM_LINK_UNLOCK ? p->tsm : "", op);
		return true;
	case ENXIO:
		snprintf(
			buf, len,
			"%s is not a devsec TSM (pci_mode devsec), or it declined %s",
			p->tsm, p->bdf);
		return true;
	case ENOMEM:
		snprintf(
			buf, len,
			"the kernel could not claim %s's MMIO ranges as encrypted resources",
			p->bdf);
		return true;
	case EIO:
		snprintf(
			buf, len,
			"the TSM refused to %s %s (TDISP %s, or the device's report or measurements were rejected)",
			op, p->bdf,
			p->op == TSM_LINK_ACCEPT ? "START_INTERFACE" :
			p->op == TSM_LINK_LOCK	 ? "LOCK_INTERFACE" :
						   "STOP_INTERFACE");
		return true;
	}
	return false;
}

static bool explain_driver(const struct tsm_link_plan *p,
			   const struct tsm_link_write *w, int err, char *buf,
			   size_t len)
{
	if (w->kind == TSM_LW_UNBIND && err == ENODEV) {
		snprintf(buf, len, "%s is no longer bound to driver %s", p->bdf,
			 p->driver);
		return true;
	}
	if (w->kind == TSM_LW_PROBE && err == ENODEV) {
		snprintf(buf, len, "the PCI bus has no device %s", p->bdf);
		return true;
	}
	if (w->kind == TSM_LW_PROBE) {
		snprintf(
			buf, len,
			"reprobing %s failed: the driver's probe refused the device (its kernel log says why)",
			p->bdf);
		return true;
	}
	return false;
}

void tsm_link_explain(const struct tsm_link_plan *p,
		      const struct tsm_link_write *w, int err,
		      const struct tsm_link_state *after, char *buf, size_t len)
{
	bool done = false;

	if (err == ENOENT) {
		snprintf(buf, len, "%s does not exist", w->path);
		return;
	}
	if (err == EACCES || err == EPERM) {
		snprintf(buf, len, "writing %s needs root", w->path);
		return;
	}
	if (err == EINTR) {
		snprintf(
			buf, len,
			"interrupted: the %s may or may not have happened; check the state shown before retrying",
			w->attr);
		return;
	}
	if (w->kind != TSM_LW_ATTR)
		done = explain_driver(p, w, err, buf, len);
	else if (p->op == TSM_LINK_CONNECT)
		done = explain_connect(p, err, after, buf, len);
	else if (p->op == TSM_LINK_DISCONNECT)
		done = explain_disconnect(p, err, after, buf, len);
	else
		done = explain_guest(p, err, after, buf, len);
	if (!done)
		snprintf(buf, len, "writing %s failed: %s", w->path,
			 strerror(err));
}

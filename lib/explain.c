// SPDX-License-Identifier: GPL-2.0
/*
 * errno explanations for the vdevice TSM ioctls (docs/cli-contract.md §4.1,
 * docs/kernel-abi.md and §2) and the completion/exit-status rules of
 * docs/cli-contract.md §5.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"

const char *tsm_completion_name(enum tsm_completion c)
{
	switch (c) {
	case TSM_DONE:
		return "done";
	case TSM_NOT_STARTED:
		return "not_started";
	case TSM_INVALID:
		return "invalid";
	default:
		return "uncertain";
	}
}

const char *tsm_call_kind_name(enum tsm_call_kind k)
{
	switch (k) {
	case TSM_CALL_BIND:
		return "bind";
	case TSM_CALL_UNBIND:
		return "unbind";
	case TSM_CALL_REQ:
		return "request";
	default:
		return "state change";
	}
}

/*
 * errnos that the dispatcher or the argument checks return before anything
 * happens (docs/kernel-abi.md).
 */
static bool rejected_before_start(int err)
{
	switch (err) {
	case ENOTTY:
	case EINVAL:
	case E2BIG:
	case EOPNOTSUPP:
	case ENOENT:
	case ENODEV:
	case ENXIO:
	case EBUSY:
	case EPERM:
	case EACCES:
	case EBADF:
	case ENOMEM:
	case EOVERFLOW:
		return true;
	default:
		return false;
	}
}

enum tsm_completion tsm_classify(enum tsm_call_kind k, int err)
{
	if (!err)
		return TSM_DONE;
	if (k == TSM_CALL_REQ)
		return TSM_NOT_STARTED;
	/*
	 * A state change that failed in any other way may have committed:
	 * EFAULT on the copy-back after the TSM acted, EINTR, or a device
	 * error after the kernel recorded the new state (S5).
	 */
	return rejected_before_start(err) ? TSM_NOT_STARTED : TSM_UNCERTAIN;
}

enum tsm_exit tsm_exit_for(enum tsm_completion c, int err, uint64_t tsm_code)
{
	if (c == TSM_UNCERTAIN)
		return TSM_EXIT_UNCERTAIN;
	if (err == ENOTTY)
		return TSM_EXIT_UNSUPPORTED;
	if (tsm_code)
		return TSM_EXIT_TSM;
	if (err)
		return TSM_EXIT_FAIL;
	return TSM_EXIT_OK;
}

static void explain_op(enum tsm_call_kind k, int err, uint32_t vdev,
		       const struct tsm_profile *p, char *buf, size_t len)
{
	const char *what = k == TSM_CALL_BIND ? "bind" : "unbind";

	switch (err) {
	case ENOENT:
		snprintf(
			buf, len,
			"no vdevice %u in this iommufd context: object IDs belong to one open file of /dev/iommu and a fresh open sees none; use the VMM's descriptor: --fd N when inherited, or --pid PID",
			vdev);
		break;
	case ENODEV:
		snprintf(
			buf, len,
			"the vIOMMU of vdevice %u has no KVM: the VMM must add the VFIO device to the VM (KVM_DEV_VFIO_FILE_ADD) before binding it to iommufd and allocating the vIOMMU",
			vdev);
		break;
	case EBUSY:
		snprintf(
			buf, len,
			"the TDI is bound to another VM: unbind it there (or destroy that vdevice) first");
		break;
	case EINVAL:
		snprintf(
			buf, len,
			"the kernel refused the %s: the device is not PCI, has no TSM, or its DSM is not connected: tsmctl list shows it, tsmctl connect --bdf BDF connects it; or profile %s does not match this kernel: select another with --abi",
			what, p->name);
		break;
	case ENXIO:
		snprintf(
			buf, len,
			"the TSM driver declined: no link TSM owns this device");
		break;
	case EOPNOTSUPP:
		snprintf(
			buf, len,
			"the kernel was built without CONFIG_TSM, or it does not support a flag of this request");
		break;
	case EINTR:
		snprintf(
			buf, len,
			"interrupted; the %s may or may not have happened: check tsm/bound in sysfs before retrying",
			what);
		break;
	case EFAULT:
		snprintf(
			buf, len,
			"the kernel could not copy the struct back; the %s may have happened: check tsm/bound in sysfs before retrying",
			what);
		break;
	default:
		buf[0] = 0;
	}
}

static bool is_op(enum tsm_call_kind k)
{
	return k == TSM_CALL_BIND || k == TSM_CALL_UNBIND;
}

/*
 * Only what is known is said: BTF without TSM types means no profile can
 * reach a TSM on this kernel; BTF matching another profile names it; no
 * BTF leaves both open.
 */
bool tsm_explain_enotty(enum tsm_call_kind k, const struct tsm_profile *p,
			const struct tsm_enotty_facts *f, char *buf, size_t len)
{
	const char *ioc = is_op(k) ? "IOMMU_VDEVICE_TSM_OP" :
				     "IOMMU_VDEVICE_TSM_REQ";
	uint32_t nr = is_op(k) ? p->op.nr : p->req.nr;

	if (!f || !f->btf_read) {
		snprintf(
			buf, len,
			"this kernel has no %s at ioctl nr 0x%x (profile %s); without its BTF tsmctl cannot tell whether it has the vdevice TSM ioctls under another profile (--abi) or none at all",
			ioc, nr, p->name);
		return false;
	}
	if (!f->btf_has_tsm) {
		snprintf(
			buf, len,
			"this kernel has no vdevice TSM ioctls: its BTF declares none of their types, so no profile reaches a TSM here (%s of profile %s is ioctl nr 0x%x)",
			ioc, p->name, nr);
		return false;
	}
	if (f->matching && strcmp(f->matching, p->name)) {
		snprintf(
			buf, len,
			"this kernel has no %s at ioctl nr 0x%x (profile %s): its BTF matches profile %s; run with --abi %s",
			ioc, nr, p->name, f->matching, f->matching);
		return true;
	}
	if (!f->matching) {
		snprintf(
			buf, len,
			"this kernel has no %s at ioctl nr 0x%x (profile %s), and its BTF matches no compiled-in profile: describe its layout with --abi-file (tsmctl dump shows the evidence)",
			ioc, nr, p->name);
		return true;
	}
	snprintf(
		buf, len,
		"%s at ioctl nr 0x%x answered ENOTTY although this kernel's BTF matches profile %s: report it with --trace",
		ioc, nr, p->name);
	return false;
}

/* Any other errno: what it means for the state, never its text again */
static void explain_other(enum tsm_call_kind k, int err, uint32_t vdev,
			  char *buf, size_t len)
{
	if (k == TSM_CALL_REQ)
		snprintf(
			buf, len,
			"nothing changed: a read-only request; if it persists, report it with --trace");
	else if (tsm_classify(k, err) == TSM_UNCERTAIN)
		snprintf(
			buf, len,
			"the %s may have happened: inspect the TDI state with tsmctl dump --vdevice %u before retrying",
			tsm_call_kind_name(k), vdev);
	else
		snprintf(buf, len,
			 "refused before anything happened: nothing changed");
}

void tsm_explain(enum tsm_call_kind k, int err, uint32_t vdev,
		 const struct tsm_profile *p, char *buf, size_t len)
{
	buf[0] = 0;
	if (is_op(k))
		explain_op(k, err, vdev, p, buf, len);
	if (buf[0])
		return;
	switch (err) {
	case ENOTTY:
		tsm_explain_enotty(k, p, NULL, buf, len);
		break;
	case E2BIG:
		snprintf(
			buf, len,
			"the kernel's struct is smaller than profile %s's %u bytes and saw non-zero bytes past its end: the profile does not match this kernel (--abi)",
			p->name, is_op(k) ? p->op.size : p->req.size);
		break;
	case EINVAL:
		if (k == TSM_CALL_REQ_STATE)
			snprintf(
				buf, len,
				"the kernel or TSM refused this state change in the TDI's current state or for vdevice %u's arch: a TDI is locked before it runs, and tsmctl list --vdevice %u shows the TDI states; a kernel that profile %s does not match gives EINVAL too, and tsmctl dump shows which profile it matches",
				vdev, vdev, p->name);
		else if (k == TSM_CALL_REQ)
			snprintf(
				buf, len,
				"the kernel or TSM rejected a field value, or the op in vdevice %u's state or arch: tsmctl list --vdevice %u shows the TDI states; a kernel that profile %s does not match gives EINVAL too, and tsmctl dump shows which profile it matches",
				vdev, vdev, p->name);
		else
			snprintf(
				buf, len,
				"the kernel rejected a field value, or the struct is shorter than its minimum: profile %s may not match this kernel (see tsmctl dump)",
				p->name);
		break;
	case ENOENT:
		snprintf(
			buf, len,
			"no vdevice %u in this iommufd context: object IDs belong to one open file of /dev/iommu; use --fd or --pid to reach the VMM's context",
			vdev);
		break;
	case ENXIO:
		if (p->bind_absent_hint[0]) /* v7: no bind ioctl */
			snprintf(
				buf, len,
				"no TDI is bound for vdevice %u: under profile %s the VMM binds when it allocates the vdevice",
				vdev, p->name);
		else
			snprintf(
				buf, len,
				"no TDI is bound for vdevice %u: bind it first with tsmctl bind --vdevice %u",
				vdev, vdev);
		break;
	case EOPNOTSUPP:
		snprintf(
			buf, len,
			"a flag or reserved field is not supported, or the kernel lacks CONFIG_TSM");
		break;
	case EFAULT:
		snprintf(
			buf, len,
			"the kernel could not copy memory to or from tsmctl; a state change may have happened");
		break;
	case EPERM:
	case EACCES:
		snprintf(buf, len, "permission denied by the kernel");
		break;
	case ENOSPC:
		snprintf(
			buf, len,
			"the object is larger than the response buffer offered: a read returns it whole, so drop --resp-len and tsmctl sizes the buffer from object-info");
		break;
	case ENODATA:
		snprintf(buf, len,
			 "the TSM has no such object for vdevice %u yet", vdev);
		break;
	default:
		explain_other(k, err, vdev, buf, len);
	}
}

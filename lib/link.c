// SPDX-License-Identifier: GPL-2.0
/*
 * The sysfs steps around bind: TSM choice, preconditions, the plan of
 * writes, one write, and the judgement of its outcome from the readback
 * (docs/kernel-abi.md, "sysfs writes"; tsmctl-connect(8), tsmctl-lock(8)).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "link.h"
#include "sysfs.h"

static const char *const op_names[] = {
	[TSM_LINK_CONNECT] = "connect", [TSM_LINK_DISCONNECT] = "disconnect",
	[TSM_LINK_LOCK] = "lock",	[TSM_LINK_UNLOCK] = "unlock",
	[TSM_LINK_ACCEPT] = "accept",
};

const char *tsm_link_op_name(enum tsm_link_op op)
{
	return (unsigned int)op < ARRAY_SIZE(op_names) ? op_names[op] : "?";
}

bool tsm_link_op_guest(enum tsm_link_op op)
{
	return op == TSM_LINK_LOCK || op == TSM_LINK_UNLOCK ||
	       op == TSM_LINK_ACCEPT;
}

static int refuse(enum tsm_exit *exit, enum tsm_exit code, struct tsm_err *e,
		  const char *field, const char *value, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static int refuse(enum tsm_exit *exit, enum tsm_exit code, struct tsm_err *e,
		  const char *field, const char *value, const char *fmt, ...)
{
	char msg[sizeof(e->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tsm_err_set(e, 0, field, value, "%s", msg);
	*exit = code;
	return -1;
}

static const char *val(const struct tsm_link_state *s, enum tsm_link_attr a)
{
	return s->attr[a].value;
}

/* "tsm0 (link), tsm1 (devsec)" */
static void tsm_list(const struct tsm_link_tsms *t, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	for (unsigned int i = 0; i < t->n && o < len; i++)
		o += snprintf(buf + o, len - o, "%s%s%s%s%s", i ? ", " : "",
			      t->name[i], t->pci_mode[i][0] ? " (" : "",
			      t->pci_mode[i], t->pci_mode[i][0] ? ")" : "");
}

static int tsm_index(const struct tsm_link_tsms *t, const char *name)
{
	for (unsigned int i = 0; i < t->n; i++)
		if (!strcmp(t->name[i], name))
			return (int)i;
	return -1;
}

/* connect and lock: --tsm, else the only TSM */
static int choose_tsm(const struct tsm_link_req *rq,
		      const struct tsm_link_tsms *t, struct tsm_link_plan *p,
		      enum tsm_exit *exit, struct tsm_err *e)
{
	char list[300];

	tsm_list(t, list, sizeof(list));
	if (rq->tsm) {
		if (tsm_index(t, rq->tsm) < 0)
			return refuse(
				exit, TSM_EXIT_USAGE, e, "--tsm", rq->tsm,
				"--tsm '%s': no such TSM in %s/sys/class/tsm (there: %s)",
				rq->tsm, p->root, list);
		tsm_strscpy(p->tsm, rq->tsm, sizeof(p->tsm));
		p->tsm_source = "option";
		return 0;
	}
	if (t->n > 1)
		return refuse(
			exit, TSM_EXIT_USAGE, e, "--tsm", "",
			"%u TSMs are registered (%s%s): name one with --tsm",
			t->n, list, t->more ? ", ..." : "");
	tsm_strscpy(p->tsm, t->name[0], sizeof(p->tsm));
	p->tsm_source = "only";
	return 0;
}

/* disconnect and unlock: the TSM the device is connected or locked to */
static int held_tsm(const struct tsm_link_req *rq, const char *holder,
		    const char *source, struct tsm_link_plan *p,
		    enum tsm_exit *exit, struct tsm_err *e)
{
	if (rq->tsm && holder[0] && strcmp(rq->tsm, holder))
		return refuse(exit, TSM_EXIT_USAGE, e, "--tsm", rq->tsm,
			      "--tsm '%s': %s is %s to %s, not to %s", rq->tsm,
			      p->bdf, source, holder, rq->tsm);
	tsm_strscpy(p->tsm,
		    holder[0] ? holder :
		    rq->tsm   ? rq->tsm :
				"",
		    sizeof(p->tsm));
	p->tsm_source = holder[0] ? source : "option";
	return 0;
}

/* index of the TSM that matters: @tsm, else the only one; -1 */
static int tsm_of(const struct tsm_link_tsms *t, const char *tsm)
{
	return tsm[0] ? tsm_index(t, tsm) : t->n == 1 ? 0 : -1;
}

static bool any_pci_mode(const struct tsm_link_tsms *t)
{
	for (unsigned int i = 0; i < t->n; i++)
		if (t->pci_mode[i][0])
			return true;
	return false;
}

/* connect/disconnect run on the host, lock/unlock/accept in a guest */
static int check_side(const struct tsm_link_req *rq,
		      const struct tsm_link_tsms *t, struct tsm_link_plan *p,
		      const struct tsm_link_state *s, enum tsm_exit *exit,
		      struct tsm_err *e)
{
	int i = tsm_of(t, p->tsm);
	const char *mode = i < 0 ? "" : t->pci_mode[i];
	const char *name = i < 0 ? "the TSM" : t->name[i];
	const char *op = tsm_link_op_name(rq->op);

	if (!tsm_link_op_guest(rq->op)) {
		if (strcmp(mode, "devsec"))
			return 0;
		return refuse(
			exit, TSM_EXIT_UNSUPPORTED, e, NULL, NULL,
			"%s has pci_mode devsec: this is a guest (TVM), and %s is a host step (the host connects the device's DSM before the VMM binds it); in a guest the steps are tsmctl lock, accept and unlock",
			name, op);
	}
	if (!s->attr[TSM_LA_LOCK].present && !any_pci_mode(t))
		return refuse(
			exit, TSM_EXIT_UNSUPPORTED, e, NULL, NULL,
			"this kernel has the mainline PCI TSM sysfs (no tsm/lock, no pci_mode): the guest-side %s exists only in staging trees; on the host, a guest's lock and run reach the TSM through the VMM (tsmctl set-run --state lock|run)",
			op);
	if (!strcmp(mode, "link"))
		return refuse(
			exit, TSM_EXIT_UNSUPPORTED, e, NULL, NULL,
			"%s has pci_mode link: this is the host, and %s is a guest step; the host-side forwarding of a guest's lock and run is tsmctl set-run --vdevice ID --state lock|run",
			name, op);
	if (!s->attr[TSM_LA_LOCK].present)
		return refuse(
			exit, TSM_EXIT_USAGE, e, "--bdf", p->bdf,
			"%s has no tsm/lock: it is not a TDISP (TEE-IO) function the guest's TSM manages",
			p->bdf);
	return 0;
}

/* connect/disconnect only on the DSM: name the DSM otherwise */
static int check_dsm(const struct tsm_link_req *rq,
		     const struct tsm_link_state *s, struct tsm_link_plan *p,
		     enum tsm_exit *exit, struct tsm_err *e)
{
	struct tsm_link_state f0;
	char dsm[16] = "";

	if (s->attr[TSM_LA_CONNECT].present)
		return 0;
	if (val(s, TSM_LA_DSM)[0]) {
		tsm_strscpy(dsm, val(s, TSM_LA_DSM), sizeof(dsm));
	} else if (p->bdf[11] != '0') {
		snprintf(dsm, sizeof(dsm), "%.11s0", p->bdf);
		tsm_link_read_state(p->root, dsm, NULL, &f0);
		if (!f0.attr[TSM_LA_CONNECT].present)
			dsm[0] = 0;
	}
	if (!dsm[0])
		return refuse(
			exit, TSM_EXIT_USAGE, e, "--bdf", p->bdf,
			"%s has no tsm/connect: it is not a DSM, and its DSM is not known (tsm/dsm is empty, function 0 has no tsm/connect)",
			p->bdf);
	return refuse(
		exit, TSM_EXIT_USAGE, e, "--bdf", p->bdf,
		"%s is not its own DSM (no tsm/connect): its DSM is %s; %s that one: tsmctl %s --bdf %s",
		p->bdf, dsm, tsm_link_op_name(rq->op), tsm_link_op_name(rq->op),
		dsm);
}

static void nothing(struct tsm_link_plan *p, const char *fmt, const char *a)
{
	p->nothing_to_do = true;
	snprintf(p->note, sizeof(p->note), fmt, p->bdf, a);
}

/* already there (nothing to do), or a state that forbids the step */
static int check_state(const struct tsm_link_req *rq,
		       const struct tsm_link_state *s, struct tsm_link_plan *p,
		       enum tsm_exit *exit, struct tsm_err *e)
{
	const char *conn = val(s, TSM_LA_CONNECT), *lock = val(s, TSM_LA_LOCK);

	switch (rq->op) {
	case TSM_LINK_CONNECT:
		if (!strcmp(conn, p->tsm))
			nothing(p, "%s is already connected to %s", conn);
		else if (conn[0])
			return refuse(
				exit, TSM_EXIT_FAIL, e, "--bdf", p->bdf,
				"%s is connected to %s, not %s: disconnect it first (tsmctl disconnect --bdf %s)",
				p->bdf, conn, p->tsm, p->bdf);
		break;
	case TSM_LINK_DISCONNECT:
		if (!conn[0])
			nothing(p, "%s is not connected%s", "");
		break;
	case TSM_LINK_LOCK:
		if (!strcmp(lock, p->tsm))
			nothing(p, "%s is already locked to %s", lock);
		else if (lock[0])
			return refuse(
				exit, TSM_EXIT_FAIL, e, "--bdf", p->bdf,
				"%s is locked to %s, not %s: unlock it first (tsmctl unlock --bdf %s)",
				p->bdf, lock, p->tsm, p->bdf);
		break;
	case TSM_LINK_UNLOCK:
		if (!lock[0])
			nothing(p, "%s is not locked%s", "");
		break;
	case TSM_LINK_ACCEPT:
		if (!strcmp(val(s, TSM_LA_ACCEPT), "1"))
			nothing(p, "%s is already accepted (RUN)%s", "");
		else if (!lock[0])
			return refuse(
				exit, TSM_EXIT_FAIL, e, "--bdf", p->bdf,
				"%s is not locked: accept moves a locked TDI to RUN; lock it first (tsmctl lock --bdf %s)",
				p->bdf, p->bdf);
		break;
	}
	return 0;
}

static void add_write(struct tsm_link_plan *p, enum tsm_link_write_kind k,
		      const char *attr, const char *rel, const char *data)
{
	struct tsm_link_write *w = &p->w[p->nw++];

	w->kind = k;
	w->attr = attr;
	snprintf(w->path, sizeof(w->path), "%s/sys/%s", p->root, rel);
	w->len = (size_t)snprintf(w->data, sizeof(w->data), "%s\n", data);
}

static void plan_writes(const struct tsm_link_req *rq,
			const struct tsm_link_state *s, struct tsm_link_plan *p)
{
	const char *op = tsm_link_op_name(rq->op);
	char rel[160];

	if (tsm_link_op_guest(rq->op) && s->driver[0]) {
		tsm_strscpy(p->driver, s->driver, sizeof(p->driver));
		snprintf(rel, sizeof(rel), "bus/pci/drivers/%s/unbind",
			 s->driver);
		add_write(p, TSM_LW_UNBIND, "unbind", rel, p->bdf);
	}
	snprintf(rel, sizeof(rel), "bus/pci/devices/%s/tsm/%s", p->bdf, op);
	add_write(p, TSM_LW_ATTR, op, rel,
		  rq->op == TSM_LINK_ACCEPT ? "1" : p->tsm);
	if (rq->op == TSM_LINK_ACCEPT && rq->unbind_driver)
		add_write(p, TSM_LW_PROBE, "drivers_probe",
			  "bus/pci/drivers_probe", p->bdf);
}

static int plan_checks(const struct tsm_link_req *rq, struct tsm_link_plan *p,
		       struct tsm_link_state *s, enum tsm_exit *exit,
		       struct tsm_err *e)
{
	struct tsm_link_tsms t;

	if (!s->exists)
		return refuse(
			exit, TSM_EXIT_USAGE, e, "--bdf", p->bdf,
			"--bdf %s: no such PCI device (%s/sys/bus/pci/devices/%s)",
			p->bdf, p->root, p->bdf);
	if (!s->has_tsm)
		return refuse(
			exit, TSM_EXIT_USAGE, e, "--bdf", p->bdf,
			"%s has no tsm/: the kernel offers TSM steps only on functions with CMA-SPDM or TDISP, once a TSM driver is registered",
			p->bdf);
	tsm_link_list_tsms(p->root, &t);
	if (!t.n)
		return refuse(
			exit, TSM_EXIT_UNSUPPORTED, e, NULL, NULL,
			"no TSM is registered (%s/sys/class/tsm has no tsmN): load the platform's TSM driver",
			p->root);
	if (rq->op == TSM_LINK_CONNECT || rq->op == TSM_LINK_LOCK) {
		if (choose_tsm(rq, &t, p, exit, e))
			return -1;
	} else if (rq->op == TSM_LINK_DISCONNECT) {
		if (held_tsm(rq, val(s, TSM_LA_CONNECT), "connected", p, exit,
			     e))
			return -1;
	} else if (held_tsm(rq, val(s, TSM_LA_LOCK), "locked", p, exit, e)) {
		return -1;
	}
	if (check_side(rq, &t, p, s, exit, e))
		return -1;
	if (!tsm_link_op_guest(rq->op) && check_dsm(rq, s, p, exit, e))
		return -1;
	return check_state(rq, s, p, exit, e);
}

int tsm_link_plan(const struct tsm_link_req *rq, struct tsm_link_plan *p,
		  struct tsm_link_state *before, enum tsm_exit *exit,
		  struct tsm_err *e)
{
	memset(p, 0, sizeof(*p));
	memset(before, 0, sizeof(*before));
	*exit = TSM_EXIT_OK;
	p->op = rq->op;
	p->tsm_source = "";
	if (rq->root && strcmp(rq->root, "/"))
		tsm_strscpy(p->root, rq->root, sizeof(p->root));
	if (!rq->bdf || tsm_bdf_check(rq->bdf))
		return refuse(
			exit, TSM_EXIT_USAGE, e, "--bdf",
			rq->bdf ? rq->bdf : "",
			"--bdf '%s': not a PCI device name like 0000:01:00.0",
			rq->bdf ? rq->bdf : "");
	tsm_strscpy(p->bdf, rq->bdf, sizeof(p->bdf));
	tsm_link_read_state(p->root, p->bdf, rq->tsm, before);
	if (plan_checks(rq, p, before, exit, e))
		return -1;
	if (p->nothing_to_do)
		return 0;
	if (tsm_link_op_guest(rq->op) && before->driver[0] &&
	    !rq->unbind_driver)
		return refuse(
			exit, TSM_EXIT_FAIL, e, "--bdf", p->bdf,
			"driver %s is bound to %s: the kernel answers EBUSY to %s while a driver is bound; unbind it first, or pass --unbind-driver (tsmctl unbinds it%s)",
			before->driver, p->bdf, tsm_link_op_name(rq->op),
			rq->op == TSM_LINK_ACCEPT ?
				" and reprobes with drivers_probe after accept" :
				"; accept --unbind-driver reprobes");
	plan_writes(rq, before, p);
	return 0;
}

int tsm_link_write(const struct tsm_link_write *w)
{
	ssize_t n;
	int fd, err = 0;

	fd = open(w->path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = write(fd, w->data, w->len);
	if (n < 0)
		err = errno;
	else if ((size_t)n != w->len)
		err = EIO; /* a sysfs store takes all bytes or fails */
	close(fd);
	return err;
}

static bool changed(const struct tsm_link_plan *p,
		    const struct tsm_link_write *w,
		    const struct tsm_link_state *a)
{
	switch (w->kind) {
	case TSM_LW_UNBIND:
		return !a->driver[0];
	case TSM_LW_PROBE:
		return a->driver[0];
	case TSM_LW_ATTR:
		break;
	}
	switch (p->op) {
	case TSM_LINK_CONNECT:
		return !strcmp(val(a, TSM_LA_CONNECT), p->tsm);
	case TSM_LINK_DISCONNECT:
		return !val(a, TSM_LA_CONNECT)[0];
	case TSM_LINK_LOCK:
		return !strcmp(val(a, TSM_LA_LOCK), p->tsm);
	case TSM_LINK_UNLOCK:
		return !val(a, TSM_LA_LOCK)[0];
	case TSM_LINK_ACCEPT:
		return !strcmp(val(a, TSM_LA_ACCEPT), "1");
	}
	return false;
}

void tsm_link_judge(const struct tsm_link_plan *p,
		    const struct tsm_link_write *w, int err,
		    const struct tsm_link_state *after,
		    struct tsm_link_outcome *o)
{
	o->err = err;
	o->changed = changed(p, w, after);
	if (err)
		/* a failed write whose change shows anyway may have done
		 * more than the readback tells: never retry it */
		o->completion = o->changed ? TSM_UNCERTAIN : TSM_NOT_STARTED;
	else
		/* drivers_probe succeeds when no driver matches, too */
		o->completion = o->changed || w->kind == TSM_LW_PROBE ?
					TSM_DONE :
					TSM_UNCERTAIN;
}

enum tsm_exit tsm_link_exit(const struct tsm_link_outcome *o)
{
	if (o->completion == TSM_UNCERTAIN)
		return TSM_EXIT_UNCERTAIN;
	return o->err ? TSM_EXIT_FAIL : TSM_EXIT_OK;
}

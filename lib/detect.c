// SPDX-License-Identifier: GPL-2.0
/*
 * ABI profile detection from BTF. The facts (struct layouts, command
 * enumerators) are gathered once, then judged against every compiled-in
 * profile. Strong evidence (a struct that exists with another layout, an
 * enumerator with another value) contradicts; weak evidence (a struct
 * missing from BTF) is reported but never contradicts on its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf.h"
#include "detect.h"

#define S_OP "iommu_vdevice_tsm_op"
#define S_REQ "iommu_vdevice_tsm_req"
#define S_REQ_ALT "iommu_vdevice_tsm_guest_request"
#define E_OP "IOMMUFD_CMD_VDEVICE_TSM_OP"
#define E_REQ "IOMMUFD_CMD_VDEVICE_TSM_REQ"
#define E_REQ_ALT "IOMMUFD_CMD_VDEVICE_TSM_GUEST_REQUEST"
#define E_NOIOMMU "IOMMUFD_CMD_IOAS_NOIOMMU_GET_PA"

#define NO_TSM_REASON \
	"no iommu_vdevice_tsm_* types in BTF: this kernel has no vdevice TSM ioctls"

struct facts {
	bool has_op, has_req, has_eop, has_ereq, has_enoiommu;
	struct tsm_btf_struct op, req;
	int64_t eop, ereq, enoiommu;
	const char *ereq_name;
};

/* Evidence under construction: disagreements and agreements apart. */
struct judge {
	unsigned int nbad, ngood;
	char bad[TSM_DETECT_EVIDENCE_MAX][TSM_DETECT_LINE];
	char good[TSM_DETECT_EVIDENCE_MAX][TSM_DETECT_LINE];
	unsigned int lost_bad, lost_good;
	bool strong_good; /* at least one positive agreement */
};

static void __attribute__((format(printf, 3, 4)))
ev(struct judge *j, bool bad, const char *fmt, ...)
{
	unsigned int *n = bad ? &j->nbad : &j->ngood;
	char(*lines)[TSM_DETECT_LINE] = bad ? j->bad : j->good;
	va_list ap;

	if (*n >= TSM_DETECT_EVIDENCE_MAX) {
		(*(bad ? &j->lost_bad : &j->lost_good))++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(lines[*n], TSM_DETECT_LINE, fmt, ap);
	va_end(ap);
	(*n)++;
}

static void gather(const struct tsm_btf *b, struct facts *f)
{
	static const char *const snames[] = { S_OP, S_REQ, S_REQ_ALT };
	static const char *const enames[] = { E_OP, E_REQ, E_REQ_ALT,
					      E_NOIOMMU };
	struct tsm_btf_struct s[ARRAY_SIZE(snames)];
	bool sf[ARRAY_SIZE(snames)], ef[ARRAY_SIZE(enames)];
	int64_t ev_[ARRAY_SIZE(enames)] = { 0 };

	memset(f, 0, sizeof(*f));
	tsm_btf_find_structs(b, snames, ARRAY_SIZE(snames), s, sf);
	tsm_btf_find_enumerators(b, enames, ARRAY_SIZE(enames), ev_, ef);
	f->has_op = sf[0];
	if (sf[0])
		f->op = s[0];
	f->has_req = sf[1] || sf[2];
	if (f->has_req)
		f->req = s[sf[1] ? 1 : 2];
	f->has_eop = ef[0];
	f->eop = ev_[0];
	f->has_ereq = ef[1] || ef[2];
	f->ereq_name = ef[1] || !ef[2] ? E_REQ : E_REQ_ALT;
	f->ereq = ev_[ef[1] ? 1 : 2];
	f->has_enoiommu = ef[3];
	f->enoiommu = ev_[3];
}

/* Compare a BTF struct with a profile layout. */
static void judge_struct(struct judge *j, const char *pname,
			 const struct tsm_btf_struct *s,
			 const struct tsm_layout *l)
{
	unsigned int before = j->nbad + j->lost_bad;
	uint32_t i;
	int f;

	if (s->size != l->size)
		ev(j, true, "struct %s is %u bytes, profile %s expects %u",
		   s->name, s->size, pname, l->size);
	for (f = 0; f < TSM_F_COUNT; f++) {
		const char *fname = tsm_field_name((enum tsm_fid)f);
		const struct tsm_btf_member *m;

		if (!l->f[f].size)
			continue;
		m = tsm_btf_member(s, fname);
		if (!m && s->n < s->vlen)
			continue; /* beyond what was copied: unknown */
		if (!m)
			ev(j, true,
			   "struct %s: member %s absent (profile %s has it at offset %u)",
			   s->name, fname, pname, l->f[f].off);
		else if (m->off != l->f[f].off || m->bit_off % 8)
			ev(j, true,
			   "struct %s: member %s at offset %u, profile %s expects %u",
			   s->name, fname, m->off, pname, l->f[f].off);
		else if (m->size && m->size != l->f[f].size)
			ev(j, true,
			   "struct %s: member %s is %u bytes, profile %s expects %u",
			   s->name, fname, m->size, pname, l->f[f].size);
	}
	for (i = 0; i < s->n; i++) {
		enum tsm_fid fid;

		if (!tsm_field_from_name(s->m[i].name, &fid) && l->f[fid].size)
			continue;
		ev(j, true,
		   "struct %s: member %s (offset %u) not in profile %s",
		   s->name, s->m[i].name[0] ? s->m[i].name : "(anonymous)",
		   s->m[i].off, pname);
	}
	if (j->nbad + j->lost_bad == before) {
		ev(j, false,
		   "struct %s is %u bytes with the expected %u members",
		   s->name, s->size, s->vlen);
		j->strong_good = true;
	}
}

static void judge_enum(struct judge *j, const char *pname, const char *ename,
		       int64_t val, uint32_t nr, const char *what)
{
	if (!nr) {
		ev(j, true, "enum %s = 0x%llx, profile %s has no %s", ename,
		   (long long)val, pname, what);
	} else if (val != (int64_t)nr) {
		ev(j, true, "enum %s = 0x%llx, profile %s expects 0x%x", ename,
		   (long long)val, pname, nr);
	} else {
		ev(j, false, "enum %s = 0x%llx", ename, (long long)val);
		j->strong_good = true;
	}
}

static void judge_profile(const struct facts *f, const struct tsm_profile *p,
			  struct tsm_detect_profile *out)
{
	struct judge j;
	unsigned int i;

	memset(&j, 0, sizeof(j));
	/* TSM_OP */
	if (f->has_op && p->op.nr)
		judge_struct(&j, p->name, &f->op, &p->op);
	else if (f->has_op)
		ev(&j, false,
		   "struct %s present, profile %s has no TSM_OP (not conclusive without the enum)",
		   S_OP, p->name);
	else if (f->has_req && p->op.nr)
		ev(&j, false, "struct %s absent from BTF (not conclusive)",
		   S_OP);
	else if (f->has_req)
		ev(&j, false, "struct %s absent, as profile %s expects", S_OP,
		   p->name);
	if (f->has_eop)
		judge_enum(&j, p->name, E_OP, f->eop, p->op.nr, "TSM_OP");
	else if (f->has_ereq && p->op.nr)
		ev(&j, true,
		   "enum has %s but no %s, profile %s expects TSM_OP 0x%x",
		   f->ereq_name, E_OP, p->name, p->op.nr);

	/* TSM_REQ */
	if (f->has_req)
		judge_struct(&j, p->name, &f->req, &p->req);
	else if (f->has_op)
		ev(&j, false, "struct %s absent from BTF (not conclusive)",
		   S_REQ);
	if (f->has_ereq)
		judge_enum(&j, p->name, f->ereq_name, f->ereq, p->req.nr,
			   "TSM_REQ");

	/* Another command at the profile's numbers. */
	if (f->has_enoiommu) {
		if (p->op.nr && f->enoiommu == p->op.nr)
			ev(&j, true,
			   "enum %s = 0x%llx, profile %s puts TSM_OP there",
			   E_NOIOMMU, (long long)f->enoiommu, p->name);
		else if (f->enoiommu == p->req.nr)
			ev(&j, true,
			   "enum %s = 0x%llx, profile %s puts TSM_REQ there",
			   E_NOIOMMU, (long long)f->enoiommu, p->name);
	}

	snprintf(out->name, sizeof(out->name), "%s", p->name);
	if (j.nbad)
		out->verdict = TSM_DETECT_CONTRADICTS;
	else if (j.strong_good)
		out->verdict = TSM_DETECT_MATCHES;
	else
		out->verdict = TSM_DETECT_UNKNOWN;
	out->n_evidence = 0;
	out->n_against = j.nbad;
	for (i = 0; i < j.nbad; i++)
		memcpy(out->evidence[out->n_evidence++], j.bad[i],
		       TSM_DETECT_LINE);
	for (i = 0; i < j.ngood && out->n_evidence < TSM_DETECT_EVIDENCE_MAX;
	     i++)
		memcpy(out->evidence[out->n_evidence++], j.good[i],
		       TSM_DETECT_LINE);
	if (j.lost_bad)
		snprintf(out->evidence[TSM_DETECT_EVIDENCE_MAX - 1],
			 TSM_DETECT_LINE, "... and %u more disagreements",
			 j.lost_bad + (j.nbad == TSM_DETECT_EVIDENCE_MAX));
}

/* Every profile "unknown", with @reason. */
static void all_unknown(struct tsm_detect *out, const char *reason)
{
	size_t i;

	out->n = 0;
	for (i = 0; i < tsm_profile_count() && i < TSM_DETECT_PROFILES_MAX;
	     i++) {
		struct tsm_detect_profile *dp = &out->p[out->n++];

		memset(dp, 0, sizeof(*dp));
		snprintf(dp->name, sizeof(dp->name), "%s",
			 tsm_profile_at(i)->name);
		dp->verdict = TSM_DETECT_UNKNOWN;
		snprintf(dp->evidence[0], TSM_DETECT_LINE, "%s", reason);
		dp->n_evidence = 1;
	}
	snprintf(out->reason, sizeof(out->reason), "%s", reason);
}

/* Whether the string section of @b (its whole bytes if it has none that
 * parses, e.g. a module blob) names a TSM struct or command. */
static bool mentions_tsm(const uint8_t *b, size_t len)
{
	const char *s = (const char *)b;
	size_t n = len;

	tsm_btf_strings(b, len, &s, &n);
	return memmem(s, n, "iommu_vdevice_tsm_", 18) ||
	       memmem(s, n, "IOMMUFD_CMD_VDEVICE_TSM_", 24);
}

int tsm_detect_btf_split(const uint8_t *base, size_t blen, const uint8_t *mod,
			 size_t mlen, struct tsm_detect *out)
{
	struct tsm_btf b, m;
	struct tsm_err err = { 0 };
	const char *strs;
	size_t slen;
	struct facts f;
	size_t i;
	int ret;

	memset(out, 0, sizeof(*out));
	/*
	 * Fast path: a kernel whose BTF never names the TSM types cannot
	 * match or contradict any profile. Checking every type of a 5 MB
	 * vmlinux BTF costs ~15M instructions per state change; a scan of
	 * the raw bytes for the names costs a fraction of it. Only BTF with
	 * a sound header qualifies; the verdicts stay "unknown", which never
	 * refuses anything.
	 */
	if (base && tsm_btf_strings(base, blen, &strs, &slen) &&
	    !mentions_tsm(base, blen) && (!mod || !mentions_tsm(mod, mlen))) {
		out->have_btf = true;
		all_unknown(out, NO_TSM_REASON);
		return 0;
	}
	ret = tsm_btf_parse(base, blen, NULL, &b, &err);
	if (ret) {
		all_unknown(out, err.msg);
		return ret;
	}
	if (mod) {
		ret = tsm_btf_parse(mod, mlen, &b, &m, &err);
		if (ret) {
			tsm_btf_free(&b);
			tsm_err_prefix(&err, "module BTF");
			all_unknown(out, err.msg);
			return ret;
		}
	}
	out->have_btf = true;
	gather(mod ? &m : &b, &f);
	if (mod)
		tsm_btf_free(&m);
	tsm_btf_free(&b);

	out->have_tsm = f.has_op || f.has_req || f.has_eop || f.has_ereq;
	if (!out->have_tsm) {
		all_unknown(out, NO_TSM_REASON);
		return 0;
	}
	out->n = 0;
	for (i = 0; i < tsm_profile_count() && i < TSM_DETECT_PROFILES_MAX; i++)
		judge_profile(&f, tsm_profile_at(i), &out->p[out->n++]);

	{
		char *r = out->reason;
		size_t left = sizeof(out->reason), k;
		int w = snprintf(r, left,
				 "BTF declares vdevice TSM types; matching:");
		bool any = false;

		for (k = 0; k < out->n && w > 0 && (size_t)w < left; k++) {
			if (out->p[k].verdict != TSM_DETECT_MATCHES)
				continue;
			r += w;
			left -= (size_t)w;
			w = snprintf(r, left, " %s", out->p[k].name);
			any = true;
		}
		if (!any && w > 0 && (size_t)w < left)
			snprintf(r + w, left - (size_t)w, " none");
	}
	return 0;
}

int tsm_detect_btf(const uint8_t *btf, size_t len, struct tsm_detect *out)
{
	return tsm_detect_btf_split(btf, len, NULL, 0, out);
}

/* Read a whole file of at most TSM_DETECT_BTF_MAX bytes; -errno (-EFBIG
 * when larger). *buf is malloc'd. */
static int read_all(const char *path, uint8_t **buf, size_t *len)
{
	__cleanup_fd int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap, n = 0;
	struct stat st;
	uint8_t *b;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		return -errno;
	if (st.st_size > TSM_DETECT_BTF_MAX)
		return -EFBIG;
	cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 1 << 20;
	b = malloc(cap);
	if (!b)
		return -ENOMEM;
	for (;;) {
		ssize_t r;

		if (n == cap) { /* never more than the limit and a byte */
			size_t ncap = cap * 2 > TSM_DETECT_BTF_MAX + 1 ?
					      TSM_DETECT_BTF_MAX + 1 :
					      cap * 2;
			uint8_t *nb = cap <= TSM_DETECT_BTF_MAX ?
					      realloc(b, ncap) :
					      NULL;

			if (!nb) {
				free(b);
				return cap > TSM_DETECT_BTF_MAX ? -EFBIG :
								  -ENOMEM;
			}
			b = nb;
			cap = ncap;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = -errno;

			free(b);
			return e;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	*buf = b;
	*len = n;
	return 0;
}

int tsm_detect_file(const char *path, struct tsm_detect *out)
{
	__cleanup_free uint8_t *base = NULL;
	__cleanup_free uint8_t *mod = NULL;
	const char *p = path ? path : TSM_DETECT_VMLINUX;
	size_t blen = 0, mlen = 0;
	char reason[TSM_DETECT_LINE * 2];
	int ret;

	memset(out, 0, sizeof(*out));
	ret = read_all(p, &base, &blen);
	if (ret == -ENOENT) {
		snprintf(
			reason, sizeof(reason),
			"%s absent: kernel without BTF (CONFIG_DEBUG_INFO_BTF), cannot detect",
			p);
		all_unknown(out, reason);
		snprintf(out->source, sizeof(out->source), "%s", p);
		return 0;
	}
	if (ret) {
		snprintf(reason, sizeof(reason), "cannot read %s: %s", p,
			 strerror(-ret));
		all_unknown(out, reason);
		snprintf(out->source, sizeof(out->source), "%s", p);
		return ret;
	}
	if (path || read_all(TSM_DETECT_MODULE, &mod, &mlen))
		mod = NULL;
	ret = tsm_detect_btf_split(base, blen, mod, mlen, out);
	snprintf(out->source, sizeof(out->source), "%s%s%s", p,
		 mod ? " + " : "", mod ? TSM_DETECT_MODULE : "");
	if (!ret && !out->have_tsm && !path && !mod &&
	    access("/sys/module/iommufd", F_OK)) {
		snprintf(reason, sizeof(reason),
			 "%s (or iommufd is a module that is not loaded)",
			 NO_TSM_REASON);
		all_unknown(out, reason);
	}
	return ret;
}

const char *tsm_detect_verdict_name(enum tsm_detect_verdict v)
{
	switch (v) {
	case TSM_DETECT_MATCHES:
		return "matches";
	case TSM_DETECT_CONTRADICTS:
		return "contradicts";
	default:
		return "unknown";
	}
}

const struct tsm_detect_profile *tsm_detect_find(const struct tsm_detect *d,
						 const char *profile_name)
{
	const struct tsm_profile *p = tsm_profile_find(profile_name);
	const char *name = p ? p->name : profile_name;
	size_t i;

	for (i = 0; i < d->n && i < TSM_DETECT_PROFILES_MAX; i++)
		if (!strcmp(d->p[i].name, name))
			return &d->p[i];
	return NULL;
}

bool tsm_detect_contradicts(const struct tsm_detect *d,
			    const char *profile_name, char *why, size_t len,
			    const char **matching)
{
	const struct tsm_detect_profile *dp = tsm_detect_find(d, profile_name);
	size_t i, used = 0;

	if (matching) {
		*matching = NULL;
		for (i = 0; i < d->n && i < TSM_DETECT_PROFILES_MAX; i++)
			if (d->p[i].verdict == TSM_DETECT_MATCHES) {
				*matching = d->p[i].name;
				break;
			}
	}
	if (why && len)
		why[0] = 0;
	if (!dp || dp->verdict != TSM_DETECT_CONTRADICTS)
		return false;
	/* whole evidence lines only, then how many did not fit */
	for (i = 0; why && i < dp->n_against && i < dp->n_evidence; i++) {
		size_t need = strlen(dp->evidence[i]) + (i ? 2 : 0);

		if (used + need + sizeof("; and 99 more") > len) {
			if (i)
				snprintf(why + used, len - used,
					 "; and %u more",
					 dp->n_against - (unsigned int)i);
			break;
		}
		used += (size_t)snprintf(why + used, len - used, "%s%s",
					 i ? "; " : "", dp->evidence[i]);
	}
	return true;
}

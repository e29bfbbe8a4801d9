/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal, bounds-checked reader of the kernel BTF format
 * (/sys/kernel/btf/vmlinux and module split BTF). It answers two
 * questions: the size and members of a named struct, and the value of a
 * named enumerator. One allocation (the type index). Names returned point
 * into the caller's buffer, which must outlive the reader.
 *
 * Why not libbpf (measured with callgrind on this project's build host,
 * 5.5 MB vmlinux BTF without TSM types, docs/performance.md):
 *   - linking libbpf (with libelf and libz) costs every start 252k
 *     instructions: `tsmctl --version` 282k becomes 534k, against a
 *     budget of 300k;
 *   - btf__parse of that vmlinux costs 14.5M instructions, while
 *     detection here settles a BTF that never names the TSM types with a
 *     scan of its string section: a state-changing command spends 3.3M
 *     in all on this host.
 * libbpf is this reader's test oracle instead: tests/cli/btf_oracle.bats
 * builds BTF with pahole and checks that both read the same structs and
 * enumerators and that detection agrees with them.
 */
#ifndef TSMCTL_BTF_H
#define TSMCTL_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define TSM_BTF_MAGIC 0xeB9F

enum tsm_btf_kind {
	TSM_BTF_KIND_UNKN,
	TSM_BTF_KIND_INT,
	TSM_BTF_KIND_PTR,
	TSM_BTF_KIND_ARRAY,
	TSM_BTF_KIND_STRUCT,
	TSM_BTF_KIND_UNION,
	TSM_BTF_KIND_ENUM,
	TSM_BTF_KIND_FWD,
	TSM_BTF_KIND_TYPEDEF,
	TSM_BTF_KIND_VOLATILE,
	TSM_BTF_KIND_CONST,
	TSM_BTF_KIND_RESTRICT,
	TSM_BTF_KIND_FUNC,
	TSM_BTF_KIND_FUNC_PROTO,
	TSM_BTF_KIND_VAR,
	TSM_BTF_KIND_DATASEC,
	TSM_BTF_KIND_FLOAT,
	TSM_BTF_KIND_DECL_TAG,
	TSM_BTF_KIND_TYPE_TAG,
	TSM_BTF_KIND_ENUM64,
	TSM_BTF_KIND_MAX = TSM_BTF_KIND_ENUM64,
};

/*
 * A parsed blob. @base is set for split BTF (a module's BTF on top of
 * vmlinux): type ids and string offsets continue those of the base.
 */
struct tsm_btf {
	const uint8_t *types; /* type section */
	const char *strs; /* string section (NUL-terminated at its end) */
	uint32_t types_len;
	uint32_t strs_len;
	uint32_t nr_types; /* types in this blob, id 0 (void) excluded */
	uint32_t start_id; /* first id in this blob: 1, or base ids + 1 */
	uint32_t start_str; /* first string offset: 0, or base strs_len */
	uint32_t *index; /* offset into @types of each type */
	const struct tsm_btf *base;
};

/* The string section of a standalone BTF blob whose header and strings
 * are sound (cheap: the types are not walked); false otherwise. */
bool tsm_btf_strings(const uint8_t *buf, size_t len, const char **strs,
		     size_t *strs_len);

/*
 * Validate the header and every type record against @len and build the
 * index. @base: NULL, or the parsed vmlinux BTF for a module blob.
 * Returns 0, -EINVAL (corrupt or truncated, reason in @err), -ENOTSUP
 * (other byte order or version) or -ENOMEM.
 */
int tsm_btf_parse(const uint8_t *buf, size_t len, const struct tsm_btf *base,
		  struct tsm_btf *btf, struct tsm_err *err);
void tsm_btf_free(struct tsm_btf *btf);

/* The name at a string offset; NULL if out of range. */
const char *tsm_btf_str(const struct tsm_btf *btf, uint32_t off);

#define TSM_BTF_MEMBERS_MAX 32

struct tsm_btf_member {
	const char *name; /* "" for an anonymous member */
	uint32_t off; /* byte offset (bit offset / 8) */
	uint32_t bit_off; /* bit offset within the struct */
	uint32_t size; /* byte size of the type; 0 if unresolved */
	uint8_t bitfield; /* bitfield width in bits, 0: not a bitfield */
};

struct tsm_btf_struct {
	const char *name;
	uint32_t id;
	uint32_t size;
	uint32_t vlen; /* members declared */
	uint32_t n; /* members copied into @m */
	bool is_union;
	struct tsm_btf_member m[TSM_BTF_MEMBERS_MAX];
};

/*
 * Find a struct (or union) by name; the first complete definition wins.
 * Returns 0 or -ENOENT.
 */
int tsm_btf_find_struct(const struct tsm_btf *btf, const char *name,
			struct tsm_btf_struct *out);
/* Member by name; NULL if absent. */
const struct tsm_btf_member *tsm_btf_member(const struct tsm_btf_struct *s,
					    const char *name);

/*
 * Find an enumerator by name in any ENUM or ENUM64 type. @enum_name (may
 * be NULL) receives the enum's name ("" for an anonymous enum). Returns 0
 * or -ENOENT.
 */
int tsm_btf_find_enumerator(const struct tsm_btf *btf, const char *name,
			    int64_t *val, const char **enum_name);

/*
 * Several lookups in one pass over the types: @found[k] says whether
 * @names[k] was found (then @out[k] / @val[k] hold it). The blob is
 * searched before its base; the first definition wins.
 */
void tsm_btf_find_structs(const struct tsm_btf *btf, const char *const *names,
			  size_t n, struct tsm_btf_struct *out, bool *found);
void tsm_btf_find_enumerators(const struct tsm_btf *btf,
			      const char *const *names, size_t n, int64_t *val,
			      bool *found);

/* Byte size of a type after typedef/qualifier resolution; 0 if unknown. */
uint32_t tsm_btf_type_size(const struct tsm_btf *btf, uint32_t id);

#endif

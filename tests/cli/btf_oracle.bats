#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# libbpf as the oracle of tsmctl's BTF reader and ABI detection: C files
# declaring each profile's structs and enum are compiled with -g, pahole
# encodes their BTF (vmlinux-like, and a module's split BTF on a base),
# and tests/tools/btf_oracle checks that tsmctl reads the same facts as
# libbpf's btf__parse / btf__find_by_name_kind and that detection matches
# exactly the profile the file declares.

load helpers

ORACLE="$BATS_TEST_DIRNAME/../../build/tools/btf_oracle"

setup() {
	[ -x "$ORACLE" ] || fail "not built: $ORACLE (make check builds it)"
	command -v pahole >/dev/null || fail "pahole (dwarves) is not installed"
	D="$BATS_TEST_TMPDIR"
}

# tsm_types FORM OPNR REQNR: the uapi of one profile (FORM scope or op;
# OPNR 0: no TSM_OP, as in v7)
tsm_types() {
	cat <<-EOF
		typedef unsigned int __u32;
		typedef unsigned long long __aligned_u64 __attribute__((aligned(8)));
	EOF
	[ "$2" = 0 ] || cat <<-EOF
		struct iommu_vdevice_tsm_op {
			__u32 size; __u32 type; __u32 flags; __u32 vdevice_id;
		};
		struct iommu_vdevice_tsm_op op_v;
	EOF
	if [ "$1" = scope ]; then
		cat <<-EOF
			struct iommu_vdevice_tsm_req {
				__u32 size; __u32 vdevice_id; __u32 scope; __u32 req_len;
				__u32 resp_len; __u32 __reserved;
				__aligned_u64 req_uptr; __aligned_u64 resp_uptr;
			};
		EOF
	else
		cat <<-EOF
			struct iommu_vdevice_tsm_req {
				__u32 size; __u32 vdevice_id; __u32 op; __u32 tvm_arch;
				__u32 req_len; __u32 resp_len;
				__aligned_u64 req_uptr; __aligned_u64 resp_uptr;
				__aligned_u64 tsm_code;
			};
		EOF
	fi
	echo 'struct iommu_vdevice_tsm_req req_v;'
	echo 'enum iommufd_cmd { IOMMUFD_CMD_BASE = 0x80, IOMMUFD_CMD_DESTROY = 0x80,'
	[ "$2" = 0 ] || echo "IOMMUFD_CMD_VDEVICE_TSM_OP = $2,"
	echo "IOMMUFD_CMD_VDEVICE_TSM_REQ = $3 }; enum iommufd_cmd cmd_v;"
}

# vmlinux-like types a kernel has besides
other_types() {
	cat <<-EOF
		struct list_head { struct list_head *next, *prev; };
		struct task_struct { int pid; struct list_head tasks; char comm[16]; };
		enum pid_type { PIDTYPE_PID, PIDTYPE_TGID, PIDTYPE_MAX };
		struct task_struct init_task; enum pid_type pt_v;
	EOF
}

# btf NAME [--btf_base BASE.o]: NAME.c -> NAME.o with BTF -> NAME.btf (raw)
btf() {
	local n=$1
	shift
	cc -g -c -o "$D/$n.o" "$D/$n.c" &&
		pahole -J "$@" "$D/$n.o" &&
		objcopy --dump-section .BTF="$D/$n.btf" "$D/$n.o" &&
		[ -s "$D/$n.btf" ]
}

@test "btf oracle: vmlinux-like BTF of each profile, read alike by tsmctl and libbpf, detected as that profile" {
	local p form op req
	for p in v5:scope:0x95:0x96 v5-op:op:0x95:0x96 v6:op:0x96:0x97 v7:op:0:0x96; do
		IFS=: read -r p form op req <<<"$p"
		{ other_types; tsm_types "$form" "$op" "$req"; } >"$D/$p.c"
		btf "$p"
		run "$ORACLE" "$D/$p.btf" "$p"
		[ "$status" -eq 0 ] || fail "$p: $output"
		assert_output --partial "ok 1 - iommu_vdevice_tsm_op"
	done
}

@test "btf oracle: a module's split BTF on a base without the TSM types" {
	other_types >"$D/base.c"
	btf base
	tsm_types op 0x96 0x97 >"$D/iommufd.c"
	btf iommufd --btf_base "$D/base.o"
	run "$ORACLE" --base "$D/base.btf" "$D/iommufd.btf" v6
	[ "$status" -eq 0 ] || fail "$output"
	# the base alone declares none: no profile matches
	run "$ORACLE" "$D/base.btf" none
	[ "$status" -eq 0 ] || fail "$output"
}

@test "btf oracle: it can fail: a layout off by one field is no profile" {
	{ other_types; tsm_types op 0x96 0x97 | sed 's/__u32 tvm_arch;/__u32 tvm_arch; __u32 extra;/'; } >"$D/odd.c"
	btf odd
	run "$ORACLE" "$D/odd.btf" none
	[ "$status" -eq 0 ] || fail "$output"
	run "$ORACLE" "$D/odd.btf" v6
	assert_failure 1
	assert_output --partial "not ok"
}

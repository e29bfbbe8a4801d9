#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0
# connect, disconnect (host) and lock, unlock, accept (guest) through the
# tsm-emu sysfs fixture (tests/emu/scenarios/sysfs_*.json): each command on
# the mainline and staging shapes, every refusal, -n writing nothing, the
# write-ahead trace records, the readback, uncertain writes, replay, and
# the same tree as a plain --sysfs directory.

bats_load_library bats-support
bats_load_library bats-assert
load helpers
load emu_helpers

SYS_SCN="$BATS_TEST_DIRNAME/../emu/scenarios"
D0=0000:01:00.0
G=0000:00:03.0

setup() {
	emu_setup
	if [ "$(id -u)" != 0 ] && ! unshare -Urm true 2>/dev/null; then
		skip "needs root or unprivileged user namespaces"
	fi
	TR="$BATS_TEST_TMPDIR/trace.jsonl"
}

# link SCENARIO [--faults SPEC] -- ARGS...: tsmctl ARGS under tsm-emu
link() {
	local scn=$1 opts=()
	shift
	while [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	# shellcheck disable=SC2086 # TSMCTL_WRAP is a word list on purpose
	run --separate-stderr "$TSM_EMU" --scenario "$scn" --log "$EMU_LOG" \
		"${opts[@]}" -- ${TSMCTL_WRAP-} "$TSMCTL" "$@"
	_filter_wrap_stderr
}

host() { link "$SYS_SCN/sysfs_host.json" "$@"; }
guest() { link "$SYS_SCN/sysfs_guest.json" "$@"; }

# a variant of a scenario: sed EXPR applied
variant() {
	sed "$2" "$1" >"$BATS_TEST_TMPDIR/v.json"
	echo "$BATS_TEST_TMPDIR/v.json"
}

writes() { jq -c 'select(.call=="sysfs_write") | [.path, .data, .errno]' "$EMU_LOG"; }

@test "connect (mainline): one write of the TSM name, state before and after, IDE stream" {
	host -- -j --trace "$TR" connect --bdf $D0
	assert_success
	assert_stderr_empty
	validate_json
	assert_equal "$(json_get .result.tsm)" tsm0
	assert_equal "$(json_get .result.tsm_source)" only
	assert_equal "$(json_get '.result.before.attributes.connect')" ""
	assert_equal "$(json_get '.result.after.attributes.connect')" tsm0
	assert_equal "$(json_get '.result.after.attributes.authenticated')" tsm0
	assert_equal "$(json_get '.result.after.attributes.dsm')" $D0
	assert_equal "$(json_get '.result.before.host_bridge.available_secure_streams')" 2
	assert_equal "$(json_get '.result.after.host_bridge.available_secure_streams')" 1
	assert_equal "$(json_get '.result.after.host_bridge.streams[0]')" stream0.0.0
	assert_equal "$(json_get '.result.after.host_bridge.tsm_link')" null
	assert_equal "$(json_get '.result.writes | length')" 1
	assert_equal "$(json_get '.result.writes[0].data | @json')" '"tsm0\n"'
	assert_equal "$(json_get '.result.writes[0].completion')" done
	assert_equal "$(writes)" "[\"/sys/bus/pci/devices/$D0/tsm/connect\",\"tsm0\\n\",0]"
	# write-ahead: intent (path and bytes) before the write, result after
	run jq -c 'select(.call=="sysfs") | [.phase, .seq, .sysfs.path, .sysfs.data, .errno // null]' "$TR"
	assert_line --index 0 "[\"intent\",2,\"/sys/bus/pci/devices/$D0/tsm/connect\",\"tsm0\\n\",null]"
	assert_line --index 1 "[\"result\",2,\"/sys/bus/pci/devices/$D0/tsm/connect\",\"tsm0\\n\",0]"
	[ "$(jq -r 'select(.call=="sysfs" and .phase=="result") | .readback.attributes.connect' "$TR")" = tsm0 ]
}

@test "connect on the staging shape: the TSM class links the host bridge" {
	link "$(variant "$SYS_SCN/sysfs_host.json" 's/"mainline"/"staging"/')" -- -j connect --bdf $D0
	assert_success
	validate_json
	assert_equal "$(json_get '.result.after.host_bridge.tsm_link')" tsm0
}

@test "connect text mode: the resulting state on stdout, nothing on stderr off a terminal" {
	host -- connect --bdf $D0
	assert_success
	assert_output --partial "connect:"
	assert_output --partial "stream0.0.0"
	assert_equal "$stderr" ""
}

@test "connect refusals: not the DSM, no tsm/, unknown device, several TSMs, unknown --tsm; nothing written" {
	host -- connect --bdf 0000:01:00.1
	assert_failure 2
	assert_stderr_has "its DSM is $D0" "tsmctl connect --bdf $D0"
	host -- -j connect --bdf 0000:02:00.0
	assert_failure 2
	validate_json
	assert_equal "$(json_get .error.field)" --bdf
	assert_equal "$(json_get .error.message | grep -c 'has no tsm/')" 1
	host -- connect --bdf 0000:09:00.0
	assert_failure 2
	host -- connect --bdf 1:0.0
	assert_failure 2
	link "$(variant "$SYS_SCN/sysfs_host.json" 's/"streams": 2,/"streams": 2, "tsms": ["tsm0", "tsm1"],/')" -- connect --bdf $D0
	assert_failure 2
	assert_stderr_has "2 TSMs are registered (tsm0, tsm1)" "--tsm"
	host -- connect --bdf $D0 --tsm tsm7
	assert_failure 2
	assert_stderr_has "no such TSM"
	[ -z "$(writes)" ]
}

@test "connect: already connected to the same TSM is exit 0, to another is refused" {
	local scn
	scn=$(variant "$SYS_SCN/sysfs_host.json" 's/"connected": null/"connected": "tsm1"/; s/"streams": 2,/"streams": 2, "tsms": ["tsm0", "tsm1"],/')
	link "$scn" -- connect --bdf $D0 --tsm tsm1
	assert_success
	assert_output --partial "already connected to tsm1"
	link "$scn" -- connect --bdf $D0 --tsm tsm0
	assert_failure 1
	assert_stderr_has "connected to tsm1, not tsm0"
	[ -z "$(writes)" ]
}

@test "connect -n prints the write and makes none" {
	host -- -n connect --bdf $D0
	assert_success
	assert_output --partial "/sys/bus/pci/devices/$D0/tsm/connect"
	host -- -j -n --trace "$TR" connect --bdf $D0
	assert_success
	validate_json
	assert_equal "$(json_get .dry_run)" true
	assert_equal "$(json_get '.result.writes[0].path')" "/sys/bus/pci/devices/$D0/tsm/connect"
	[ -z "$(writes)" ]
	! grep -q '"call":"sysfs"' "$TR"
}

@test "connect failures: EIO from the SPDM exchange is exit 1, a failure that happened anyway is uncertain (4)" {
	host --faults 'connect:1:EIO' -- -j connect --bdf $D0
	assert_failure 1
	validate_json
	assert_equal "$(json_get .error.errno_name)" EIO
	assert_equal "$(json_get '.error.message' | grep -c 'SPDM')" 1
	assert_equal "$(json_get '.result.writes[0].completion')" not_started
	host --faults 'connect:1:ETIMEDOUT+after_commit' -- -j connect --bdf $D0
	assert_failure 4
	validate_json
	assert_equal "$(json_get '.result.writes[0].completion')" uncertain
	assert_equal "$(json_get '.result.after.attributes.connect')" tsm0
}

@test "disconnect: writes the connected TSM, unbinds the TDI; not connected is exit 0" {
	local scn
	scn=$(variant "$SYS_SCN/sysfs_host.json" 's/"connected": null/"connected": "tsm0"/')
	link "$scn" -- -j disconnect --bdf $D0
	assert_success
	validate_json
	assert_equal "$(json_get '.result.writes[0].data | @json')" '"tsm0\n"'
	assert_equal "$(json_get '.result.after.attributes.connect')" ""
	assert_equal "$(json_get '.result.after.host_bridge.streams | length')" 0
	host -- disconnect --bdf $D0
	assert_success
	assert_output --partial "not connected"
	host -- disconnect --bdf 0000:01:00.1
	assert_failure 2
}

@test "guest lock: a bound driver is refused naming it; --unbind-driver unbinds first (two traced writes)" {
	guest -- lock --bdf $G
	assert_failure 1
	assert_stderr_has "driver virtio-pci is bound" "--unbind-driver"
	[ -z "$(writes)" ]
	guest -- -j --trace "$TR" lock --bdf $G --unbind-driver
	assert_success
	validate_json
	assert_equal "$(json_get '.result.writes | map(.attr) | join(",")')" unbind,lock
	assert_equal "$(json_get '.result.after.attributes.lock')" tsm0
	assert_equal "$(json_get '.result.after.driver')" null
	assert_equal "$(jq -r 'select(.call=="sysfs") | .phase' "$TR" | tr '\n' ,)" intent,result,intent,result,
}

@test "guest accept --unbind-driver reprobes after accept; accept when unlocked is refused" {
	local scn
	scn=$(variant "$SYS_SCN/sysfs_guest.json" 's/{ "driver": "virtio-pci" }/{ "driver": null, "probe_driver": "virtio-pci", "state": "LOCKED" }/')
	link "$scn" -- -j accept --bdf $G --unbind-driver
	assert_success
	validate_json
	assert_equal "$(json_get '.result.writes | map(.attr) | join(",")')" accept,drivers_probe
	assert_equal "$(json_get '.result.after.attributes.accept')" 1
	assert_equal "$(json_get '.result.after.driver')" virtio-pci
	guest -- accept --bdf $G --unbind-driver
	assert_failure 1
	assert_stderr_has "is not locked"
}

@test "guest unlock; lock/unlock/accept on the mainline shape and on a host exit 5 naming set-run" {
	local scn
	scn=$(variant "$SYS_SCN/sysfs_guest.json" 's/{ "driver": "virtio-pci" }/{ "state": "RUN" }/')
	link "$scn" -- -j unlock --bdf $G
	assert_success
	validate_json
	assert_equal "$(json_get '.result.after.attributes.lock')" ""
	rm -f "$EMU_LOG"
	for c in lock unlock accept; do
		host -- $c --bdf $D0
		assert_failure 5
		assert_stderr_has "mainline" "set-run"
	done
	link "$(variant "$SYS_SCN/sysfs_host.json" 's/"mainline"/"staging"/')" -- lock --bdf $D0
	assert_failure 5
	assert_stderr_has "pci_mode link" "set-run --vdevice ID --state"
	guest -- connect --bdf $G
	assert_failure 5
	assert_stderr_has "this is a guest"
	[ -z "$(writes)" ]
}

# plain_tree DIR: a copied host sys/ tree (mainline shape, no emulator):
# tsm0, DSM D0 under host bridge pci0000:00 bound to vfio-pci
plain_tree() {
	local s=$1/sys dev=$1/sys/devices/pci0000:00/$D0
	mkdir -p "$s/class/tsm/tsm0" "$dev/tsm" "$s/bus/pci/devices" \
		"$s/bus/pci/drivers/vfio-pci"
	echo 2 >"$s/devices/pci0000:00/available_secure_streams"
	: >"$dev/tsm/connect"
	: >"$dev/tsm/disconnect"
	: >"$dev/tsm/dsm"
	: >"$dev/tsm/bound"
	: >"$dev/authenticated"
	ln -s ../../../devices/pci0000:00/$D0 "$s/bus/pci/devices/$D0"
	ln -s ../../../bus/pci/drivers/vfio-pci "$dev/driver"
}

# tree_sum DIR: every file's path and bytes, every link's target
tree_sum() {
	(cd "$1" && find . -printf '%p %y %l\n' | sort && find . -type f -exec md5sum {} + | sort)
}

@test "--sysfs DIR and TSMCTL_SYSFS: connect -n plans below DIR and writes nothing (tree compared)" {
	local d=$BATS_TEST_TMPDIR/root before
	plain_tree "$d"
	before=$(tree_sum "$d")
	run --separate-stderr tsmctl --sysfs "$d" -n connect --bdf $D0
	assert_success
	assert_output --partial "$d/sys/bus/pci/devices/$D0/tsm/connect"
	assert_equal "$stderr" "tsmctl: connect: dry run: nothing sent"
	TSMCTL_SYSFS=$d run --separate-stderr tsmctl -j -n --trace "$TR" connect --bdf $D0
	assert_success
	validate_json
	assert_equal "$(json_get .result.sysfs_root)" "$d"
	assert_equal "$(json_get '.result.writes[0].path')" "$d/sys/bus/pci/devices/$D0/tsm/connect"
	assert_equal "$(json_get '.result.writes[0].completion')" null
	assert_equal "$(json_get '.result.after')" null
	assert_equal "$(json_get '.result.before.host_bridge.available_secure_streams')" 2
	assert_equal "$(json_get '.result.before.driver')" vfio-pci
	assert_equal "$(tree_sum "$d")" "$before"
	[ ! -s "$TR" ] || ! grep -q '"call":"sysfs"' "$TR"
}

@test "--sysfs: not a directory is exit 2 naming the flag (or TSMCTL_SYSFS); dump --sysfs after the command still works" {
	local d=$BATS_TEST_TMPDIR/root
	run --separate-stderr tsmctl --sysfs "$BATS_TEST_TMPDIR/nope" connect --bdf $D0
	assert_failure 2
	assert_stderr_has "--sysfs" "not a directory"
	TSMCTL_SYSFS=$BATS_TEST_TMPDIR/nope run --separate-stderr tsmctl -j lock --bdf $D0
	assert_failure 2
	assert_equal "$(json_get .error.field)" TSMCTL_SYSFS
	plain_tree "$d"
	run --separate-stderr tsmctl -A v6 -j dump --evidence none --sysfs "$d"
	assert_success
	assert_equal "$(json_get .result.sysfs.root)" "$d"
	assert_equal "$(json_get '.result.sysfs.pci_devices[0].bdf')" $D0
	TSMCTL_SYSFS=$d run --separate-stderr tsmctl -A v6 -j dump --evidence none
	assert_success
	assert_equal "$(json_get .result.sysfs.root)" "$d"
}

@test "replay re-issues the sysfs writes and compares errno and readback" {
	guest -- --trace "$TR" lock --bdf $G --unbind-driver
	assert_success
	rm -f "$EMU_LOG"
	# where the writes go is said on purpose: not a real device by accident
	guest -- replay "$TR"
	assert_failure 2
	assert_stderr_has "2 sysfs write(s)" "--sysfs /"
	[ -z "$(writes)" ]
	guest -- -j --sysfs / --trace "$BATS_TEST_TMPDIR/re.jsonl" replay "$TR"
	assert_success
	validate_json
	validate_trace "$TR"
	validate_trace "$BATS_TEST_TMPDIR/re.jsonl"
	assert_equal "$(jq -r 'select(.call=="sysfs" and .phase=="result") | "\(.replay_of):\(.sysfs.attr):\(.completion)"' "$BATS_TEST_TMPDIR/re.jsonl" | tr '\n' ,)" 2:unbind:done,3:lock:done,
	assert_equal "$(json_get .result.sysfs_writes)" 2
	assert_equal "$(json_get .result.ioctls)" 0
	assert_equal "$(json_get .result.match)" true
	assert_equal "$(writes | jq -r '.[0]' | tr '\n' ,)" "/sys/bus/pci/drivers/virtio-pci/unbind,/sys/bus/pci/devices/$G/tsm/lock,"
	# against a TDI already locked: the unbind fails, the readbacks differ
	rm -f "$EMU_LOG"
	TSMCTL_SYSFS=/ link "$(variant "$SYS_SCN/sysfs_guest.json" 's/{ "driver": "virtio-pci" }/{ "driver": null, "state": "LOCKED" }/')" -- -j replay "$TR"
	assert_failure 1
	validate_json
	assert_equal "$(json_get '[.result.differences[] | "\(.seq):\(.field):\(.now_name)"] | join(",")')" 2:errno:ENOENT,2:readback:null,3:errno:EBUSY
	assert_equal "$(json_get '.result.differences[1].recorded.attributes.lock')" ""
	assert_equal "$(json_get '.result.differences[1].now.attributes.lock')" tsm0
}

@test "replay of a sysfs write: -n writes nothing; below --sysfs DIR; a record outside its root is bad input" {
	local d=$BATS_TEST_TMPDIR/root before
	host -- --trace "$TR" connect --bdf $D0
	assert_success
	rm -f "$EMU_LOG"
	host -- -j -n replay "$TR"
	assert_success
	validate_json
	assert_equal "$(json_get .result.sysfs_writes)" 1
	[ -z "$(writes)" ]
	# a plain tree takes the bytes but is no kernel: the readback differs
	plain_tree "$d"
	run --separate-stderr tsmctl -j --sysfs "$d" replay "$TR"
	assert_failure 1
	validate_json
	assert_equal "$(json_get '.result.differences[0].field')" readback
	assert_equal "$(json_get '.result.differences[0].now.attributes.dsm')" ""
	assert_equal "$(json_get '.result.differences[0].recorded.attributes.dsm')" $D0
	assert_equal "$(cat "$d/sys/devices/pci0000:00/$D0/tsm/connect")" tsm0
	sed 's|"path":"/sys/bus|"path":"/etc/../sys/bus|' "$TR" >"$BATS_TEST_TMPDIR/bad.jsonl"
	before=$(tree_sum "$d")
	run --separate-stderr tsmctl --sysfs "$d" replay "$BATS_TEST_TMPDIR/bad.jsonl"
	assert_failure 2
	assert_stderr_has "sysfs.path"
	assert_equal "$(tree_sum "$d")" "$before"
}

# trace_pairs: each sysfs write of $TR as "seq:attr", intent and result
# adjacent with the same seq and path (write-ahead)
trace_pairs() {
	jq -rs '[.[] | select(.call=="sysfs")] as $r
		| if ($r | length) % 2 != 0 then "odd" else
		  [range(0; $r | length; 2) | . as $i
		   | if $r[$i].phase == "intent" and $r[$i+1].phase == "result"
			and $r[$i].seq == $r[$i+1].seq
			and $r[$i].sysfs.path == $r[$i+1].sysfs.path
		     then "\($r[$i].seq):\($r[$i].sysfs.attr)" else "bad" end]
		  | join(",") end' "$TR"
}

@test "every write of every command: an intent record before it, its result after, in the emulator's order" {
	local locked run_ connected
	connected=$(variant "$SYS_SCN/sysfs_host.json" 's/"connected": null/"connected": "tsm0"/')
	locked=$(sed 's/{ "driver": "virtio-pci" }/{ "driver": null, "probe_driver": "virtio-pci", "state": "LOCKED" }/' "$SYS_SCN/sysfs_guest.json" >"$BATS_TEST_TMPDIR/l.json" && echo "$BATS_TEST_TMPDIR/l.json")
	run_=$(sed 's/{ "driver": "virtio-pci" }/{ "state": "RUN" }/' "$SYS_SCN/sysfs_guest.json" >"$BATS_TEST_TMPDIR/r.json" && echo "$BATS_TEST_TMPDIR/r.json")
	for c in "$SYS_SCN/sysfs_host.json|connect --bdf $D0|2:connect" \
		"$connected|disconnect --bdf $D0|2:disconnect" \
		"$SYS_SCN/sysfs_guest.json|lock --bdf $G --unbind-driver|2:unbind,3:lock" \
		"$locked|accept --bdf $G --unbind-driver|2:accept,3:drivers_probe" \
		"$run_|unlock --bdf $G|2:unlock"; do
		rm -f "$TR" "$EMU_LOG"
		IFS='|' read -r scn args want <<<"$c"
		# shellcheck disable=SC2086
		link "$scn" -- --trace "$TR" $args
		assert_success
		assert_equal "$(trace_pairs)" "$want"
		validate_trace "$TR"
		assert_equal "$(jq -r 'select(.call=="sysfs" and .phase=="intent") | .sysfs.path' "$TR")" \
			"$(writes | jq -r '.[0]')"
	done
}

@test "-n for the guest steps and disconnect: the planned writes, none made" {
	local connected
	connected=$(variant "$SYS_SCN/sysfs_host.json" 's/"connected": null/"connected": "tsm0"/')
	guest -- -j -n --trace "$TR" lock --bdf $G --unbind-driver
	assert_success
	validate_json
	assert_equal "$(json_get '.result.writes | map(.attr) | join(",")')" unbind,lock
	assert_equal "$(json_get '.result.writes | map(has("completion")) | any')" false
	link "$connected" -- -n disconnect --bdf $D0
	assert_success
	assert_output --partial "/sys/bus/pci/devices/$D0/tsm/disconnect"
	[ -z "$(writes)" ]
	! grep -q '"call":"sysfs"' "$TR"
}

@test "disconnect on the staging shape; a failed lock after the unbind says the driver stays unbound" {
	link "$(variant "$SYS_SCN/sysfs_host.json" 's/"mainline"/"staging"/; s/"connected": null/"connected": "tsm0"/')" -- -j disconnect --bdf $D0
	assert_success
	validate_json
	assert_equal "$(json_get '.result.before.host_bridge.tsm_link')" tsm0
	assert_equal "$(json_get '.result.after.attributes.connect')" ""
	guest --faults lock:1:EIO -- lock --bdf $G --unbind-driver
	assert_failure 1
	assert_stderr_has "refused to lock" "virtio-pci was unbound before and stays unbound" "drivers_probe"
}

@test "errno explained per attribute: EBUSY, ENXIO, EINVAL on connect and lock" {
	host --faults connect:1:EBUSY -- connect --bdf $D0
	assert_failure 1
	assert_stderr_has "already has a TSM context"
	host --faults connect:1:ENXIO -- connect --bdf $D0
	assert_failure 1
	assert_stderr_has "not a link TSM"
	host --faults connect:1:EINVAL -- connect --bdf $D0
	assert_failure 1
	assert_stderr_has "as a TSM name"
	guest --faults lock:1:EBUSY -- lock --bdf $G --unbind-driver
	assert_failure 1
	assert_stderr_has "is busy"
	guest --faults lock:1:ENXIO -- lock --bdf $G --unbind-driver
	assert_failure 1
	assert_stderr_has "not a devsec TSM"
}

@test "progress on stderr only when it is a terminal" {
	command -v script >/dev/null || skip "script(1) not installed"
	run script -qec "'$TSM_EMU' --scenario '$SYS_SCN/sysfs_host.json' --faults connect:1:delay=300 -- '$TSMCTL' connect --bdf $D0 >'$BATS_TEST_TMPDIR/out'" /dev/null
	assert_success
	assert_output --partial "writing tsm0 to /sys/bus/pci/devices/$D0/tsm/connect ... done"
	# the write took the emulated SPDM exchange's 300 ms
	assert_output --regexp 'done \((0\.[3-9]|[1-9][0-9.]*) s\)'
	refute_output --partial "step:"
	grep -q "completion: done" "$BATS_TEST_TMPDIR/out"
	! grep -q "writing tsm0" "$BATS_TEST_TMPDIR/out"
}

@test "--help: the guest steps and set-run (the host's forwarding) point at each other" {
	for c in lock unlock accept; do
		run tsmctl $c --help
		assert_success
		assert_output --partial "set-run --state"
		assert_output --partial "--unbind-driver"
	done
	run tsmctl set-run --help
	assert_success
	assert_output --partial "tsmctl lock, accept"
	run tsmctl connect --help
	assert_output --partial "its own DSM"
}

@test "--sysfs DIR with a kernel BTF: ABI detection reads it (a copied tree is detected as its machine)" {
	local d=$BATS_TEST_TMPDIR/root fx=$BATS_TEST_DIRNAME/../unit/fixtures/btf
	plain_tree "$d"
	run --separate-stderr tsmctl -j dump --evidence none --sysfs "$d"
	assert_success
	refute_output --partial "$d/sys/kernel/btf"
	mkdir -p "$d/sys/kernel/btf"
	for p in v5 v6; do
		cp "$fx/$p.btf" "$d/sys/kernel/btf/vmlinux"
		run --separate-stderr tsmctl -j --sysfs "$d" dump --evidence none
		assert_success
		assert_equal "$(json_get .abi)/$(json_get .abi_source)" "$p/btf"
		assert_equal "$(json_get .result.abi_detection.source)" "$d/sys/kernel/btf/vmlinux"
	done
	# --btf and TSMCTL_BTF still win
	TSMCTL_BTF=$fx/v7.btf TSMCTL_SYSFS=$d run --separate-stderr tsmctl -j dump --evidence none
	assert_equal "$(json_get .abi)" v7
}

@test "-j refusals for the device's state carry that state (before, no writes); bad input carries none" {
	local scn
	guest -- -j lock --bdf $G
	assert_failure 1
	validate_json
	assert_equal "$(json_get .result.before.driver)" virtio-pci
	assert_equal "$(json_get '.result.writes | length')" 0
	assert_equal "$(json_get .result.completion)" not_started
	scn=$(variant "$SYS_SCN/sysfs_host.json" 's/"connected": null/"connected": "tsm1"/; s/"streams": 2,/"streams": 2, "tsms": ["tsm0", "tsm1"],/')
	link "$scn" -- -j connect --bdf $D0 --tsm tsm0
	assert_failure 1
	validate_json
	assert_equal "$(json_get .result.before.attributes.connect)" tsm1
	host -- -j connect --bdf 0000:01:00.1
	assert_failure 2
	validate_json
	assert_equal "$(json_get .result)" null
	[ -z "$(writes)" ]
}

@test "bind needs the DSM connected from the start: refused before connect (the hint names connect), bound after it" {
	# shellcheck disable=SC2016 # expanded by the emulated command's shell
	run --separate-stderr "$TSM_EMU" --scenario "$SYS_SCN/sysfs_host.json" \
		--log "$EMU_LOG" -- sh -c '"$0" -A v6 --fd 7 bind --vdevice 3; echo "rc=$?"
		"$0" connect --bdf 0000:01:00.0 >/dev/null &&
		"$0" -A v6 --fd 7 bind --vdevice 3 && echo bound' "$TSMCTL"
	assert_success
	assert_line --index 0 rc=1
	assert_line --index 1 bound
	assert_regex "$stderr" "Invalid argument \(EINVAL\).*tsmctl connect --bdf BDF connects it"
	# the first bind reached the kernel and was refused there
	assert_equal "$(jq -r 'select(.call=="ioctl" and .ioctl=="TSM_OP") | "\(.fields.type) \(.errno_name // "OK")"' "$EMU_LOG" | xargs)" \
		"1 EINVAL 1 OK"
}

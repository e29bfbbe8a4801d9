# SPDX-License-Identifier: GPL-2.0
# tsmctl build. GNU make; json-c and libnl-genl-3.0 through pkg-config.
#
#   make                 build ./tsmctl
#   make check           C unit tests + bats CLI tests (TAP through prove)
#   make check-asan      the same suite against an ASan+UBSan build
#   make check-valgrind  the CLI suite with tsmctl under valgrind
#   make check-kernel    the real-kernel tier: a Linux 6.12 with iommufd and
#                        BTF under QEMU (tests/kernel; the kernel build is
#                        cached in ~/.cache/tsmctl-kernel)
#   make bench           callgrind instruction counts (start-up, dry-run,
#                        batch per request against a raw ioctl loop,
#                        a bundle of a 10,000-line trace) and the peak
#                        RSS of dump with a 16 MiB evidence object
#   make fuzz            every libFuzzer target for FUZZ_S seconds (default
#                        60), FUZZ_JOBS processes each; summary in
#                        build-fuzz/summary.md (tests/fuzz/README.md)
#   make install         PREFIX=/usr/local DESTDIR=
#   make clean

VERSION := 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/tsmctl
LIBEXECDIR ?= $(PREFIX)/libexec/tsmctl
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

CC ?= gcc
PKG_CONFIG ?= pkg-config
PKGS := json-c libnl-genl-3.0
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS))

WARN := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
	-Wformat-security -Wno-missing-field-initializers
CFLAGS ?= -O2 -g
BASE_CFLAGS := -std=gnu11 $(WARN) -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 \
	-DTSMCTL_VERSION='"$(VERSION)"' -Ilib -Icmd $(PKG_CFLAGS)
LDFLAGS ?=
# --as-needed keeps libraries a command does not use out of start-up
BASE_LDFLAGS := -Wl,--as-needed -Wl,-O1

SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

LIB_SRCS := $(sort $(wildcard lib/*.c))
CMD_SRCS := $(sort $(wildcard cmd/*.c cmd/*/*.c))
HDRS := $(wildcard lib/*.h cmd/*.h cmd/*/*.h)
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))

BUILD := build
OBJDIR := $(BUILD)/obj
# `tsmctl --schema`: tests/schema bundled into one schema, a C string
SCHEMA_SRCS := $(sort $(wildcard tests/schema/*.json))
SCHEMA_C := $(BUILD)/gen/schema_json.c
LIB_OBJS := $(LIB_SRCS:%.c=$(OBJDIR)/%.o)
CMD_OBJS := $(CMD_SRCS:%.c=$(OBJDIR)/%.o) $(SCHEMA_C:%.c=$(OBJDIR)/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%)

ASAN := build-asan
ASAN_LIB_OBJS := $(LIB_SRCS:%.c=$(ASAN)/obj/%.o)
ASAN_CMD_OBJS := $(CMD_SRCS:%.c=$(ASAN)/obj/%.o) $(SCHEMA_C:%.c=$(ASAN)/obj/%.o)
ASAN_UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(ASAN)/unit/%)

BATS_FILES := $(sort $(wildcard tests/cli/*.bats))
PROVE_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PROVE := prove -j$(PROVE_JOBS) --exec tests/run-test

.PHONY: all check check-unit check-cli check-asan check-valgrind \
	check-kernel bench demo install clean completions lint-man fuzz \
	fuzz-build

all: tsmctl

tsmctl: $(CMD_OBJS) $(LIB_OBJS)
	$(CC) $(BASE_LDFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(OBJDIR)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -c -o $@ $<

$(SCHEMA_C): $(SCHEMA_SRCS) tests/tools/bundle-schema.py
	@mkdir -p $(dir $@)
	python3 tests/tools/bundle-schema.py --c tests/schema > $@.tmp
	mv $@.tmp $@

$(BUILD)/unit/%: tests/unit/%.c $(LIB_OBJS) tests/unit/tap.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJS) \
		$(BASE_LDFLAGS) $(PKG_LIBS)

$(ASAN)/tsmctl: $(ASAN_CMD_OBJS) $(ASAN_LIB_OBJS)
	$(CC) $(SAN_FLAGS) $(BASE_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(ASAN)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O1 -g $(SAN_FLAGS) -c -o $@ $<

$(ASAN)/unit/%: tests/unit/%.c $(ASAN_LIB_OBJS) tests/unit/tap.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O1 -g $(SAN_FLAGS) -Itests/unit -o $@ $< \
		$(ASAN_LIB_OBJS) $(PKG_LIBS)

# libbpf as the oracle of the BTF reader (tests/cli/btf_oracle.bats)
BTF_ORACLE := $(BUILD)/tools/btf_oracle

$(BTF_ORACLE): tests/tools/btf_oracle.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $< $(LIB_OBJS) $(BASE_LDFLAGS) \
		$(PKG_LIBS) $(shell $(PKG_CONFIG) --libs libbpf)

-include tests/emu/emu.mk

# `make` builds the emulator too: README's bug-report path runs it
all: $(EMU_BIN) $(EMU_MKBTF)

# Fuzz targets (tests/fuzz/): clang libFuzzer builds for `make fuzz`, and
# gcc ASan+UBSan builds against tests/fuzz/driver.c that replay every
# corpus and crash file in `make check`. They link cmd/ too (the trace
# reader is replay's), with tsmctl.c's main renamed.
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES := $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
FUZZ_CC ?= clang-14
FUZZ_S ?= 60
FUZZ_JOBS ?= 1
FUZZ := build-fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
FUZZ_OBJS := $(filter-out %/cmd/tsmctl.o,$(LIB_OBJS:$(OBJDIR)/%=$(FUZZ)/obj/%) \
	$(CMD_OBJS:$(OBJDIR)/%=$(FUZZ)/obj/%)) $(FUZZ)/obj/tsmctl_nomain.o
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ)/fuzz_%)
FUZZ_REG_OBJS := $(filter-out %/cmd/tsmctl.o,$(ASAN_LIB_OBJS) \
	$(ASAN_CMD_OBJS)) $(ASAN)/obj/tsmctl_nomain.o
FUZZ_REG_BINS := $(FUZZ_NAMES:%=$(ASAN)/fuzz/fuzz_%)

$(FUZZ)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASE_CFLAGS) -Wno-error -O1 -g $(FUZZ_SAN) \
		-fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ)/obj/tsmctl_nomain.o: cmd/tsmctl.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASE_CFLAGS) -Wno-error -O1 -g $(FUZZ_SAN) \
		-fsanitize=fuzzer-no-link -Dmain=tsmctl_main \
		-Wno-missing-prototypes -c -o $@ $<

$(FUZZ)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJS)
	$(FUZZ_CC) $(BASE_CFLAGS) -Wno-error -Itests/fuzz -O1 -g $(FUZZ_SAN) \
		-fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS)

$(ASAN)/obj/tsmctl_nomain.o: cmd/tsmctl.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -O1 -g $(SAN_FLAGS) -Dmain=tsmctl_main \
		-Wno-missing-prototypes -c -o $@ $<

$(ASAN)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c tests/fuzz/fuzz.h \
		$(FUZZ_REG_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) -Itests/fuzz -O1 -g $(SAN_FLAGS) -o $@ $< \
		tests/fuzz/driver.c $(FUZZ_REG_OBJS) $(PKG_LIBS)

# objects named only by the pattern rules above: keep them between runs
.SECONDARY: $(FUZZ_OBJS) $(FUZZ_REG_OBJS)

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	FUZZ_S=$(FUZZ_S) FUZZ_JOBS=$(FUZZ_JOBS) FUZZ_DIR=$(FUZZ) \
		tests/fuzz/run.sh $(FUZZ_NAMES)

EMU_DEP := $(if $(EMU_BIN),$(EMU_BIN),)
EMU_TEST_BINS := $(EMU_TEST_MODEL) $(EMU_TEST_SYSFS) $(EMU_TARGET) \
	$(EMU_NLCLIENT) $(EMU_MKBTF) $(BTF_ORACLE)
EMU_TAP_TESTS := $(EMU_TEST_MODEL) $(EMU_TEST_SYSFS) \
	$(wildcard tests/emu/*.bats)
EMU_CLEAN := $(EMU_BIN) $(EMU_TEST_BINS)

FUZZ_REGRESS := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	FUZZ_REG_DIR=$(CURDIR)/$(ASAN)/fuzz

# The test files, the slowest first (prove --timer): with -j2 the long
# ones overlap the many short ones instead of ending the run alone
SLOW_TESTS := tests/cli/emu_replay.bats tests/cli/emu_dump.bats \
	tests/cli/x509.bats tests/cli/cli.bats tests/cli/emu_bind.bats \
	tests/cli/schema.bats tests/cli/emu_req.bats tests/badinput/run.py
CHECK_TESTS := $(SLOW_TESTS) $(filter-out $(SLOW_TESTS), $(UNIT_BINS) \
	$(EMU_TAP_TESTS) tests/fuzz/regress.sh tests/badinput/run.py \
	tests/tools/structure.py $(BATS_FILES))

check: tsmctl $(UNIT_BINS) $(EMU_DEP) $(EMU_TEST_BINS) $(FUZZ_REG_BINS)
	$(FUZZ_REGRESS) TSMCTL=$(CURDIR)/tsmctl TSM_EMU=$(CURDIR)/$(EMU_BIN) \
		$(PROVE) --timer $(CHECK_TESTS)

check-unit: $(UNIT_BINS)
	$(PROVE) $(UNIT_BINS)

check-cli: tsmctl $(EMU_DEP) $(EMU_TEST_BINS)
	TSMCTL=$(CURDIR)/tsmctl TSM_EMU=$(CURDIR)/$(EMU_BIN) \
		$(PROVE) --timer $(filter $(SLOW_TESTS), $(BATS_FILES)) \
		$(filter-out $(SLOW_TESTS), $(BATS_FILES))

check-asan: $(ASAN)/tsmctl $(ASAN_UNIT_BINS) $(EMU_DEP) $(EMU_TEST_BINS) \
		$(FUZZ_REG_BINS)
	$(FUZZ_REGRESS) TSMCTL=$(CURDIR)/$(ASAN)/tsmctl TSM_EMU=$(CURDIR)/$(EMU_BIN) \
		$(PROVE) --timer $(SLOW_TESTS) $(filter-out $(SLOW_TESTS), \
		$(ASAN_UNIT_BINS) tests/fuzz/regress.sh tests/badinput/run.py \
		$(BATS_FILES))

check-valgrind: tsmctl $(UNIT_BINS) $(EMU_DEP) $(EMU_TEST_BINS)
	TSMCTL_WRAP="valgrind -q --sim-hints=lax-ioctls --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
	TSMCTL=$(CURDIR)/tsmctl TSM_EMU=$(CURDIR)/$(EMU_BIN) \
		$(PROVE) $(BATS_FILES)
	for t in $(UNIT_BINS); do \
		valgrind -q --error-exitcode=99 --leak-check=full $$t >/dev/null || exit 1; \
	done

# Static: the guest's initramfs has no loader path for it to rely on.
KTHELPER := $(BUILD)/kernel/kthelper

$(KTHELPER): tests/kernel/kthelper.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O2 -static -o $@ $<

check-kernel: tsmctl $(KTHELPER)
	TSMCTL=$(CURDIR)/tsmctl KTHELPER=$(CURDIR)/$(KTHELPER) \
		prove -v --exec tests/run-test tests/kernel/run

RAWLOOP := $(BUILD)/bench/rawloop

$(RAWLOOP): tests/bench/rawloop.c lib/uapi.h
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $<

bench: tsmctl $(RAWLOOP) $(EMU_DEP)
	tests/bench/startup.sh ./tsmctl
	tests/bench/batch.sh ./tsmctl $(RAWLOOP) $(EMU_BIN)
	tests/bench/bundle.sh ./tsmctl $(EMU_BIN)
	tests/bench/evidence.sh ./tsmctl $(EMU_BIN)

completions: tsmctl
	./tsmctl __metadata | tests/tools/gen-completions.py bash > completions/tsmctl.bash
	./tsmctl __metadata | tests/tools/gen-completions.py zsh > completions/_tsmctl
	./tsmctl __metadata | tests/tools/gen-completions.py fish > completions/tsmctl.fish

lint-man:
	tests/tools/lint-man.sh man/*.8 tests/emu/tsm-emu.8

# tsm-emu (and the mkbtf it runs) off the PATH: a maintainer replays a
# bug report's bundle with it, without the source tree
install: tsmctl $(EMU_BIN) $(EMU_MKBTF)
	install -D -m 0755 tsmctl $(DESTDIR)$(BINDIR)/tsmctl
	install -D -m 0755 $(EMU_BIN) $(DESTDIR)$(LIBEXECDIR)/tsm-emu
	install -D -m 0755 $(EMU_MKBTF) $(DESTDIR)$(LIBEXECDIR)/mkbtf
	install -d $(DESTDIR)$(MANDIR)/man8
	install -m 0644 man/*.8 tests/emu/tsm-emu.8 $(DESTDIR)$(MANDIR)/man8/
	install -D -m 0644 completions/tsmctl.bash $(DESTDIR)$(BASHCOMPDIR)/tsmctl
	install -D -m 0644 completions/_tsmctl $(DESTDIR)$(ZSHCOMPDIR)/_tsmctl
	install -D -m 0644 completions/tsmctl.fish $(DESTDIR)$(FISHCOMPDIR)/tsmctl.fish
	install -d $(DESTDIR)$(DATADIR)
	./tsmctl --schema > $(DESTDIR)$(DATADIR)/tsmctl.schema.json
	chmod 0644 $(DESTDIR)$(DATADIR)/tsmctl.schema.json
	install -m 0644 tests/emu/README.md $(DESTDIR)$(DATADIR)/tsm-emu.md

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ) tsmctl $(EMU_CLEAN)

demo: tsmctl $(EMU_DEP) $(EMU_MKBTF)
	TSMCTL=$(CURDIR)/tsmctl TSM_EMU=$(CURDIR)/$(EMU_BIN) tests/demo/bringup.sh

# test_detect includes the BTF fixture writer
$(BUILD)/unit/test_detect $(ASAN)/unit/test_detect: tests/tools/mkbtf.c

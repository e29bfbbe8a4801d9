# SPDX-License-Identifier: GPL-2.0
#
# tsm-emu make fragment. Included by the top-level Makefile, or standalone:
#   make -f tests/emu/emu.mk emu-check      (from the repository root)
# Paths are relative to the repository root.

EMU_DIR := tests/emu
EMU_BIN := $(EMU_DIR)/tsm-emu
EMU_TEST_MODEL := $(EMU_DIR)/test_model
EMU_TEST_SYSFS := $(EMU_DIR)/test_sysfs_model
EMU_TARGET := $(EMU_DIR)/target
EMU_NLCLIENT := $(EMU_DIR)/nlclient
# BTF generator for the sysfs fixture (tests/tools/mkbtf.c, uses lib/abi.c)
EMU_MKBTF := $(EMU_DIR)/mkbtf

CC ?= gcc
EMU_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -g
EMU_PKG_CFLAGS := $(shell pkg-config --cflags libseccomp json-c)
EMU_PKG_LIBS := $(shell pkg-config --libs libseccomp json-c)
EMU_NL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0)
EMU_NL_LIBS := $(shell pkg-config --libs libnl-genl-3.0)

EMU_MODEL_SRCS := $(EMU_DIR)/model.c $(EMU_DIR)/model_req.c
# tsmctl's trace reader and strict JSON reader, for traces and scenarios
EMU_LIB_SRCS := lib/trace_read.c lib/jsonstrict.c lib/utf8.c lib/util.c
EMU_SUP_SRCS := $(EMU_DIR)/main.c $(EMU_DIR)/sup.c $(EMU_DIR)/log.c \
	$(EMU_DIR)/nlsock.c $(EMU_DIR)/nlmodel.c $(EMU_DIR)/scenario.c \
	$(EMU_DIR)/sysfs.c $(EMU_DIR)/sysfs_model.c $(EMU_DIR)/sysfs_store.c \
	$(EMU_DIR)/sup_sysfs.c $(EMU_DIR)/replay.c $(EMU_DIR)/sup_replay.c \
	$(EMU_MODEL_SRCS) $(EMU_LIB_SRCS)
EMU_HDRS := $(EMU_DIR)/model.h $(EMU_DIR)/model_int.h $(EMU_DIR)/sup.h \
	$(EMU_DIR)/scenario.h $(EMU_DIR)/nlmodel.h $(EMU_DIR)/sysfs.h \
	$(EMU_DIR)/replay.h

.PHONY: emu-all emu-check emu-clean

emu-all: $(EMU_BIN) $(EMU_TEST_MODEL) $(EMU_TEST_SYSFS) $(EMU_TARGET) $(EMU_NLCLIENT) $(EMU_MKBTF)

$(EMU_BIN): $(EMU_SUP_SRCS) $(EMU_HDRS) lib/trace.h lib/jsonstrict.h lib/utf8.h \
		lib/util.h
	$(CC) $(EMU_CFLAGS) -Ilib $(EMU_PKG_CFLAGS) -o $@ \
		$(EMU_SUP_SRCS) $(EMU_PKG_LIBS)

$(EMU_TEST_MODEL): $(EMU_DIR)/test_model.c $(EMU_MODEL_SRCS) $(EMU_DIR)/nlmodel.c $(EMU_HDRS)
	$(CC) $(EMU_CFLAGS) -o $@ $(EMU_DIR)/test_model.c $(EMU_MODEL_SRCS) \
		$(EMU_DIR)/nlmodel.c

# the sysfs model without the supervisor
EMU_SYSFS_SRCS := $(EMU_DIR)/sysfs.c $(EMU_DIR)/sysfs_model.c \
	$(EMU_DIR)/sysfs_store.c $(EMU_MODEL_SRCS)
$(EMU_TEST_SYSFS): $(EMU_DIR)/test_sysfs_model.c $(EMU_SYSFS_SRCS) $(EMU_HDRS)
	$(CC) $(EMU_CFLAGS) $(EMU_PKG_CFLAGS) -o $@ $< $(EMU_SYSFS_SRCS) \
		$(EMU_PKG_LIBS)

$(EMU_TARGET): $(EMU_DIR)/target.c
	$(CC) $(EMU_CFLAGS) -pthread -o $@ $<

$(EMU_NLCLIENT): $(EMU_DIR)/nlclient.c
	$(CC) $(EMU_CFLAGS) $(EMU_NL_CFLAGS) -o $@ $< $(EMU_NL_LIBS)

$(EMU_MKBTF): tests/tools/mkbtf.c lib/abi.c lib/util.c lib/abi.h
	$(CC) $(EMU_CFLAGS) -Ilib -o $@ tests/tools/mkbtf.c lib/abi.c lib/util.c

emu-check: emu-all
	$(EMU_TEST_MODEL)
	$(EMU_TEST_SYSFS)
	bats $(wildcard $(EMU_DIR)/*.bats)

emu-clean:
	rm -f $(EMU_BIN) $(EMU_TEST_MODEL) $(EMU_TEST_SYSFS) $(EMU_TARGET) $(EMU_NLCLIENT) \
		$(EMU_MKBTF)

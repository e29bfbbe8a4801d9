#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The structure docs/architecture.md describes, checked (TAP on stdout).

usage: structure.py [ROOT]     (ROOT: the repository, default: this one)

1. layers: every #include "..." of cmd/ and lib/ points down or sideways:
   lib/ includes lib/ only; cmd/core/ includes lib/ and cmd/core/; a
   command (cmd/X.c, cmd/X/...) includes lib/, cmd/core/, cmd/builtin.h
   and its own folder cmd/X/, never another command's; only main
   (cmd/tsmctl.c) is above the commands.
2. no cycle between modules (a module: the .c and .h of one name in one
   folder; an edge: a file of one includes the header of another).
3. no function in cmd/ or lib/ longer than 80 lines (kernel style: the
   name at column 0, the body from "{" to "}" at column 0).
4. comments cite the project's own docs: every NAME.md named in cmd/,
   lib/ or tests/emu/ exists under docs/ (or at the path given); no
   machine path (/work/) anywhere in the tree.
5. op names are data of lib/abi.h (TSM_OPNAME_*): none is a string
   literal anywhere else in cmd/ or lib/.
"""
import os
import re
import subprocess
import sys

MAX_FN = 80
ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                       os.path.join(os.path.dirname(__file__), "..", ".."))
INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

tests = []


def check(name, problems):
    tests.append((name, problems))


def sources(*dirs, exts=(".c", ".h")):
    out = []
    for d in dirs:
        for base, _, files in os.walk(os.path.join(ROOT, d)):
            for f in sorted(files):
                if f.endswith(exts):
                    out.append(os.path.relpath(os.path.join(base, f), ROOT))
    return sorted(out)


def resolve(src, inc):
    """The repository file @src's #include "@inc" names, or None (system)."""
    for d in (os.path.dirname(src), "lib", "cmd"):
        p = os.path.normpath(os.path.join(d, inc))
        if os.path.isfile(os.path.join(ROOT, p)):
            return p
    return None


def layer(path):
    """(rank, unit) of a file: lib 0, core 1, a command 2, main 3."""
    parts = path.split("/")
    if parts[0] == "lib":
        return 0, "lib"
    if parts[:2] == ["cmd", "core"]:
        return 1, "core"
    if path == "cmd/tsmctl.c":
        return 3, "main"
    if path == "cmd/builtin.h":
        return 2, "builtin"
    if len(parts) == 2:  # cmd/X.c: the command X
        return 2, os.path.splitext(parts[1])[0]
    return 2, parts[1]  # cmd/X/...: command X's parts


def include_edges():
    edges = []
    for src in sources("cmd", "lib"):
        with open(os.path.join(ROOT, src), errors="replace") as f:
            text = f.read()
        for inc in INC.findall(text):
            dst = resolve(src, inc)
            if dst:
                edges.append((src, dst))
    return edges


def check_layers(edges):
    bad = []
    for src, dst in edges:
        (rs, us), (rd, ud) = layer(src), layer(dst)
        if rd > rs:
            bad.append("%s includes %s: upward (%s above %s)" %
                       (src, dst, ud, us))
        elif rs == rd == 2 and ud not in (us, "builtin"):
            bad.append("%s includes %s: another command's part" % (src, dst))
    check("includes point down: lib < cmd/core < commands < main", bad)


def module(path):
    """x.c and x.h; an internal header x_int.h belongs to x too"""
    m = os.path.splitext(path)[0]
    return m[:-4] if m.endswith("_int") else m


def check_cycles(edges):
    graph = {}
    for src, dst in edges:
        a, b = module(src), module(dst)
        if a != b:
            graph.setdefault(a, set()).add(b)
    bad, state = [], {}

    def visit(n, stack):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                bad.append(" -> ".join(stack[stack.index(m):] + [m]))
            elif not state.get(m):
                visit(m, stack)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if not state.get(n):
            visit(n, [])
    check("no include cycle between modules", bad)


FN_START = re.compile(r"^[A-Za-z_].*\(")


def check_functions():
    bad = []
    for src in sources("cmd", "lib", exts=(".c",)):
        with open(os.path.join(ROOT, src), errors="replace") as f:
            lines = f.read().split("\n")
        name, start = None, None
        for i, line in enumerate(lines, 1):
            if FN_START.match(line) and not line.rstrip().endswith(";"):
                name = line.strip()
            elif line.startswith("{") and name:
                start = i
            elif line.startswith("}") and start:
                n = i - start + 1
                if n > MAX_FN:
                    bad.append("%s:%d: %d lines: %s" % (src, start, n, name))
                name, start = None, None
    check("no function in cmd/ or lib/ over %d lines" % MAX_FN, bad)


MACHINE = re.compile(rb"(^|[\s\"'`(=:])/work/", re.M)
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
DOC = re.compile(r"([A-Za-z0-9_./-]*[A-Za-z0-9_-]+\.md)\b")


def tracked():
    try:
        out = subprocess.run(["git", "-C", ROOT, "ls-files"], check=True,
                             capture_output=True, text=True).stdout
        return [f for f in out.split("\n") if f]
    except (OSError, subprocess.CalledProcessError):
        return sources(".", exts=("",))


def check_docs():
    bad = []
    for src in sources("cmd", "lib", "tests/emu",
                       exts=(".c", ".h", ".md", ".mk")):
        with open(os.path.join(ROOT, src), errors="replace") as f:
            text = f.read()
        for ref in sorted(set(DOC.findall(text))):
            cands = [ref, os.path.join("docs", os.path.basename(ref)),
                     os.path.join(os.path.dirname(src), ref)]
            if not any(os.path.isfile(os.path.join(ROOT, c))
                       for c in cands):
                bad.append("%s cites %s: not in the repository" % (src, ref))
    check("comments cite documents of the repository", bad)
    bad = []
    me = os.path.relpath(os.path.abspath(__file__), ROOT)
    for f in tracked():
        p = os.path.join(ROOT, f)
        if f == me or not os.path.isfile(p) or "/fuzz/corpus/" in f:
            continue
        with open(p, "rb") as fh:
            data = fh.read()
        if MACHINE.search(data):
            bad.append("%s names a machine path (/work/)" % f)
    check("no machine path in the tree", bad)


def check_op_names():
    with open(os.path.join(ROOT, "lib/abi.h")) as f:
        abi = f.read()
    names = re.findall(r'#define TSM_OPNAME_\w+ "([a-z0-9-]+)"', abi)
    bad = [] if names else ["lib/abi.h: no TSM_OPNAME_ macros found"]
    for src in sources("cmd", "lib"):
        if src == "lib/abi.h":
            continue
        with open(os.path.join(ROOT, src), errors="replace") as f:
            text = COMMENT.sub("", f.read())
        for n in names:
            if '"%s"' % n in text:
                bad.append('%s: op name "%s" as a literal (use '
                           "TSM_OPNAME_ or tsm_opid_name())" % (src, n))
    check("op names are written once (lib/abi.h)", bad)


def main():
    edges = include_edges()
    check_layers(edges)
    check_cycles(edges)
    check_functions()
    check_docs()
    check_op_names()
    print("1..%d" % len(tests))
    failed = 0
    for i, (name, problems) in enumerate(tests, 1):
        print("%s %d - %s" % ("not ok" if problems else "ok", i, name))
        for p in problems:
            print("#   " + p)
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

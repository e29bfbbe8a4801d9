#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The bad-input corpus: every case of cases.txt, run under tsm-emu.

Each case runs twice, in text mode and with -j, and must:
  - exit as the case says (2 for bad input);
  - text: say so on stderr (stdout for batch, whose lines are JSON), the
    case's NEEDLE included;
  - JSON: write nothing on stderr and exactly one document on stdout (one
    per input line for batch), valid against tests/schema, with
    "ok": false and the NEEDLE in its error (exit 0 cases: ok true);
  - send nothing: no ioctl, netlink message or sysfs write in the
    emulator's log
    (tsmctl writes no sysfs attribute; an open of /dev/iommu is allowed).
TAP on stdout, one line per case. Environment: TSMCTL, TSM_EMU (the
binaries under test), BADINPUT_JOBS (parallel cases, default 2),
BADINPUT_ONLY (a substring of the case ids to run).

cases.txt (see its head): "file NAME = EXPR" and "dir NAME = {REL: EXPR}"
define fixtures (EXPR is a Python bytes expression; rep, zeros, deep,
readf and hexb help); "case ID | EXIT | NEEDLE | STDIN | ARGS" a case.
STDIN is "-" (/dev/null), "@NAME" (a fixture) or a bytes EXPR; ARGS are
shell words where "@NAME" is a fixture's path and \\xNN a raw byte.
"""

import concurrent.futures
import importlib.util
import json
import os
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
SCN = os.path.join(ROOT, "tests", "cli", "scenarios")

spec = importlib.util.spec_from_file_location(
    "vj", os.path.join(ROOT, "tests", "tools", "validate-json.py"))
vj = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vj)
# every document against `tsmctl --schema` alone ($TSMCTL's)
VALS = vj.Validators(vj.load_bundle())


def rep(b, n):
    return b * n


def zeros(n):
    return b"\0" * n


def deep(n, inner=b"1"):
    return b"[" * n + inner + b"]" * n


def readf(rel):
    with open(os.path.join(ROOT, rel), "rb") as f:
        return f.read()


def hexb(s):
    return bytes.fromhex(s)


ENV = {"rep": rep, "zeros": zeros, "deep": deep, "readf": readf,
       "hexb": hexb, "__builtins__": {"len": len, "bytes": bytes, "range": range}}


def load(path, tmp):
    fixtures, cases = {}, []
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            kind, _, rest = line.partition(" ")
            if kind in ("file", "dir"):
                name, _, expr = rest.partition(" = ")
                name = name.strip()
                p = os.path.join(tmp, name)
                val = eval(expr, ENV)  # the corpus's own data file
                if kind == "file":
                    with open(p, "wb") as g:
                        g.write(val)
                else:
                    for rel, data in val.items():
                        q = os.path.join(os.fsencode(p), os.fsencode(rel))
                        os.makedirs(os.path.dirname(q), exist_ok=True)
                        with open(q, "wb") as g:
                            g.write(data)
                fixtures[name] = p
            elif kind == "case":
                parts = [x.strip() for x in rest.split(" | ", 4)]
                if len(parts) != 5:
                    sys.exit("cases.txt:%d: expected 5 fields" % no)
                cases.append((no, parts))
            else:
                sys.exit("cases.txt:%d: unknown line kind %r" % (no, kind))
    return fixtures, cases


def word(w, fixtures):
    if w.startswith("@") and w[1:] in fixtures:
        return os.fsencode(fixtures[w[1:]])
    if "\\x" in w:
        return w.encode("latin-1").decode("unicode_escape").encode("latin-1")
    return os.fsencode(w)


def run_one(args, stdin, profile, log):
    if os.path.exists(log):
        os.unlink(log)
    cmd = [os.environ["TSM_EMU"], "--scenario",
           os.path.join(SCN, "emu_%s.json" % profile), "--log", log, "--",
           os.environ["TSMCTL"]] + args
    p = subprocess.run(cmd, input=stdin, capture_output=True, timeout=60)
    sent = []
    if os.path.exists(log):
        with open(log, "rb") as f:
            for line in f:
                rec = json.loads(line)
                if rec.get("call") in ("ioctl", "netlink", "sysfs_write"):
                    sent.append(rec.get("call"))
    return p.returncode, p.stdout, p.stderr, sent


def check(case, fixtures, tmp):
    no, (cid, exit_s, needle, stdin_s, args_s) = case
    text_only = exit_s.endswith("t")
    want = int(exit_s.rstrip("t"))
    args = [word(w, fixtures) for w in shlex.split(args_s)]
    profile = "v6"
    for i, a in enumerate(args[:-1]):
        if a in (b"-A", b"--abi") and args[i + 1].decode(
                "latin-1") in ("v5", "v5-op", "v6", "v7"):
            profile = args[i + 1].decode()
    if stdin_s == "-":
        stdin = b""
    elif stdin_s.startswith("@"):
        with open(fixtures[stdin_s[1:]], "rb") as f:
            stdin = f.read()
    else:
        stdin = eval(stdin_s, ENV)
    batch = b"batch" in args
    log = os.path.join(tmp, "log.%d" % no)
    errs = []
    rc, out, err, sent = run_one(args, stdin, profile, log)
    if rc != want:
        errs.append("text: exit %d, want %d" % (rc, want))
    if sent:
        errs.append("text: sent %s" % sent)
    said = (out + err) if batch else err
    if want and not said.strip():
        errs.append("text: no message")
    if needle.encode() not in said and needle.encode() not in out:
        errs.append("text: %r not in the output" % needle)
    if want and b"\0" in err:
        errs.append("text: a NUL byte on stderr")
    if not text_only:
        rc, out, err, sent = run_one([b"-j"] + args, stdin, profile, log)
        if rc != want:
            errs.append("json: exit %d, want %d" % (rc, want))
        if sent:
            errs.append("json: sent %s" % sent)
        if err:
            errs.append("json: stderr %r" % err[:200])
        try:
            docs = vj.split_documents(out.decode("utf-8"))
        except (vj.Bad, UnicodeDecodeError) as e:
            docs = []
            errs.append("json: stdout: %s: %r" % (e, out[:200]))
        if docs and not batch and len(docs) != 1:
            errs.append("json: %d documents" % len(docs))
        found = False
        for d in docs:
            for m in VALS.errors(d):
                errs.append("json: schema: %s" % m)
            if want and d.get("ok") is not False:
                errs.append("json: ok is not false")
            if needle in json.dumps(d, ensure_ascii=False):
                found = True
        if docs and not found:
            errs.append("json: %r not in the document" % needle)
    return cid, errs


def main():
    cases_file = os.path.join(HERE, "cases.txt")
    only = os.environ.get("BADINPUT_ONLY", "")
    jobs = int(os.environ.get("BADINPUT_JOBS", "2"))
    with tempfile.TemporaryDirectory(prefix="tsmctl-badinput.") as tmp:
        fixtures, cases = load(cases_file, tmp)
        cases = [c for c in cases if only in c[1][0]]
        ids = [c[1][0] for c in cases]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            sys.exit("cases.txt: duplicate ids %s" % sorted(dup))
        with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
            results = list(ex.map(lambda c: check(c, fixtures, tmp), cases))
    failed = 0
    for n, (cid, errs) in enumerate(results, 1):
        print("%sok %d - %s" % ("not " if errs else "", n, cid))
        for e in errs:
            print("#   %s" % e)
        failed += bool(errs)
    print("1..%d" % len(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

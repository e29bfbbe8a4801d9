#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Validate tsmctl JSON output against `tsmctl --schema` alone.

usage: validate-json.py [--schema-file FILE] [--schema NAME] [FILE]
       validate-json.py [--schema-file FILE] --trace FILE
       validate-json.py [--schema-file FILE] --serve DIR

The schema is the one `tsmctl --schema` prints (JSON Schema 2020-12, no
external $ref; $TSMCTL, else the tsmctl of the source tree), or FILE. It
chooses the document kind itself; pick_schema() below names the kind the
same way, for tests that check the choice.

Input (FILE or stdin) is either one whole JSON document (e.g. --pretty
output) or JSON Lines (one document per line, e.g. batch). Every document
is validated against the whole schema.

--schema NAME validates against {"$ref": "#/$defs/NAME"} of it instead.
--trace FILE validates a --trace file: every line one JSON object valid
against #/$defs/trace (docs/cli-contract.md, "Traces").
--serve DIR answers requests on the FIFO DIR/req ("FILE<TAB>NAME<TAB>MODE"
lines; NAME may be empty, MODE "doc" or "trace") with a status line on
DIR/resp (0 valid, 1 not; the messages in FILE.err), loading the schema
once: the test suite's helpers start one per test file. It exits when DIR
is removed or after 10 idle minutes.

Besides the schema, the input must be strict JSON: no empty input, no
trailing garbage, no duplicate keys, no NaN/Infinity, no non-integer
numbers (docs/cli-contract.md: numbers are integers), and in ioctl objects
request_hex must equal request and struct_len the length of struct_hex.

Exit 0 when every document is valid; 1 (with the document number and the
JSON path of each error on stderr) otherwise; 2 on bad usage.
"""

import json
import os
import select
import subprocess
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover
    sys.stderr.write("validate-json: python3-jsonschema is not installed "
                     "(apt-get install python3-jsonschema; run with "
                     "/usr/bin/python3)\n")
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")


class Bad(Exception):
    pass


def _pairs(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise Bad("duplicate key %r" % k)
        seen[k] = v
    return seen


def _const(name):
    raise Bad("non-standard JSON constant %s" % name)


def _float(text):
    raise Bad("non-integer number %s (numbers must be integers)" % text)


def _loads(text):
    return json.loads(text, object_pairs_hook=_pairs,
                      parse_constant=_const, parse_float=_float)


def split_documents(text):
    """Return the list of documents in text, or raise Bad."""
    if not text.strip():
        raise Bad("empty input: expected a JSON document")
    try:
        return [_loads(text)]
    except Bad:
        raise
    except ValueError as whole_err:
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if len(lines) < 2:
            raise Bad("not a JSON document: %s" % whole_err)
        docs = []
        for i, line in enumerate(lines, 1):
            if not line.strip():
                raise Bad("line %d: empty line in JSON Lines input" % i)
            try:
                docs.append(_loads(line))
            except Bad as e:
                raise Bad("line %d: %s" % (i, e))
            except ValueError as e:
                raise Bad("line %d: not JSON (%s); as one document: %s"
                          % (i, e, whole_err))
        return docs


def load_bundle(path=None):
    """The schema of `tsmctl --schema` (or of the file @path)."""
    if path:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    exe = os.environ.get("TSMCTL") or os.path.join(ROOT, "tsmctl")
    out = subprocess.run([exe, "--schema"], capture_output=True, check=True)
    return json.loads(out.stdout)


class Validators:
    """The whole schema and, by name, its $defs (checked once)."""

    def __init__(self, bundle):
        Draft202012Validator.check_schema(bundle)
        self.bundle = bundle
        self.whole = Draft202012Validator(bundle)
        self.named = {}

    def get(self, name):
        if name is None:
            return self.whole
        if name not in self.named:
            if name not in self.bundle["$defs"]:
                raise KeyError(name)
            self.named[name] = Draft202012Validator(
                {"$defs": self.bundle["$defs"],
                 "$ref": "#/$defs/" + name})
        return self.named[name]

    def errors(self, doc, name=None):
        """Messages for @doc, schema errors and the semantic checks."""
        v = self.get(name)
        errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
        msgs = ["%s: %s" % (path_str(e.absolute_path), e.message)
                for e in errs]
        return msgs + semantic_errors(doc)


def pick_schema(doc):
    if not isinstance(doc, dict):
        return "common"
    if "command" not in doc:
        return "metadata" if "program" in doc else "common"
    cmd = doc["command"]
    if "line" in doc:
        return "batch"
    if cmd in ("bind", "unbind"):
        return "bind"
    if cmd in ("connect", "disconnect", "lock", "unlock", "accept"):
        return "link"
    if cmd == "help":
        return "help"
    if cmd == "req":
        res = doc.get("result")
        if isinstance(res, dict) and "hex" in res and "request" not in res:
            return "decode"
        return "req"
    if cmd in ("set-run", "replay", "dump", "batch", "list"):
        return cmd
    if cmd == "":
        res = doc.get("result")
        if isinstance(res, dict) and "version" in res:
            return "version"
        return "error"
    return "error"


def split_trace(text):
    """Every line of a --trace file is one JSON document."""
    if not text.strip():
        raise Bad("empty trace: expected JSON Lines")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    else:
        raise Bad("line %d: trace does not end with a newline" % len(lines))
    docs = []
    for i, line in enumerate(lines, 1):
        try:
            docs.append(_loads(line))
        except Bad as e:
            raise Bad("line %d: %s" % (i, e))
        except ValueError as e:
            raise Bad("line %d: not JSON (%s)" % (i, e))
    return docs


def path_str(path):
    s = "$"
    for p in path:
        s += "[%d]" % p if isinstance(p, int) else "." + str(p)
    return s


def semantic_errors(doc):
    """Checks a schema cannot express."""
    errs = []
    io = doc.get("ioctl") if isinstance(doc, dict) else None
    if isinstance(io, dict):
        req, rhex = io.get("request"), io.get("request_hex")
        if isinstance(req, int) and isinstance(rhex, str) and \
                "0x%04x" % req != rhex:
            errs.append("$.ioctl.request_hex: %r does not match request %d"
                        % (rhex, req))
        sl, sh = io.get("struct_len"), io.get("struct_hex")
        if isinstance(sl, int) and isinstance(sh, str) and len(sh) != 2 * sl:
            errs.append("$.ioctl.struct_hex: %d bytes, struct_len says %d"
                        % (len(sh) // 2, sl))
        flds = io.get("fields")
        if isinstance(flds, dict) and isinstance(sl, int) and \
                isinstance(flds.get("size"), int) and flds["size"] != sl:
            errs.append("$.ioctl.fields.size: %d, struct_len says %d"
                        % (flds["size"], sl))
    return errs


def check_text(vals, text, forced, trace):
    """[messages] for the documents (or trace lines) of @text."""
    try:
        docs = split_trace(text) if trace else split_documents(text)
    except Bad as e:
        return ["%s" % e]
    what = "line" if trace else "document"
    out = []
    for n, doc in enumerate(docs, 1):
        for m in vals.errors(doc, "trace" if trace else forced):
            out.append("%s %d: %s" % (what, n, m))
    return out


def serve(vals, d):
    """The --serve loop (see the usage above)."""
    req = os.path.join(d, "req")
    fd = os.open(req, os.O_RDWR)  # never sees EOF between clients
    buf = b""
    idle = 0
    while os.path.isdir(d) and idle < 600:
        r, _, _ = select.select([fd], [], [], 1.0)
        if not r:
            idle += 1
            continue
        idle = 0
        buf += os.read(fd, 65536)
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            path, name, mode = (line.decode() + "\t\t").split("\t")[:3]
            try:
                with open(path, "rb") as f:
                    text = f.read().decode("utf-8")
                msgs = check_text(vals, text, name or None, mode == "trace")
            except (OSError, UnicodeDecodeError, KeyError) as e:
                msgs = ["cannot validate: %s" % e]
            with open(path + ".err", "w", encoding="utf-8") as f:
                f.write("".join("validate-json: %s\n" % m for m in msgs))
            with open(os.path.join(d, "resp"), "w") as f:
                f.write("%d\n" % (1 if msgs else 0))
    os.close(fd)
    return 0


def main(argv):
    schema_file = None
    forced = None
    trace = False
    serve_dir = None
    args = list(argv[1:])
    files = []
    while args:
        a = args.pop(0)
        if a == "--schema-file" and args:
            schema_file = args.pop(0)
        elif a == "--schema" and args:
            forced = args.pop(0)
        elif a == "--trace":
            trace = True
        elif a == "--serve" and args:
            serve_dir = args.pop(0)
        elif a in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        elif a.startswith("-") and a != "-":
            sys.stderr.write("validate-json: unknown option %s\n" % a)
            return 2
        else:
            files.append(a)
    if len(files) > 1 or (trace and forced is not None):
        sys.stderr.write("validate-json: at most one FILE; --trace and "
                         "--schema exclude each other\n")
        return 2
    vals = Validators(load_bundle(schema_file))
    if serve_dir:
        return serve(vals, serve_dir)
    if forced is not None and forced not in vals.bundle["$defs"]:
        sys.stderr.write("validate-json: no schema %r (have: %s)\n"
                         % (forced, ", ".join(sorted(vals.bundle["$defs"]))))
        return 2
    try:
        if files and files[0] != "-":
            with open(files[0], "rb") as f:
                raw = f.read()
        else:
            raw = sys.stdin.buffer.read()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        sys.stderr.write("validate-json: cannot read input: %s\n" % e)
        return 1
    msgs = check_text(vals, text, forced, trace)
    for m in msgs:
        sys.stderr.write("validate-json: %s\n" % m)
    return 1 if msgs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

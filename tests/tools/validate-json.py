#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Validate tsmctl JSON output against tests/schema (JSON Schema 2020-12).

usage: validate-json.py [--schema-dir DIR] [--schema NAME] [FILE]
       validate-json.py [--schema-dir DIR] --trace FILE

Input (FILE or stdin) is either one whole JSON document (e.g. --pretty
output) or JSON Lines (one document per line, e.g. batch). The schema is
chosen per document from its "command" key:

  bind, unbind        bind.json
  help                help.json
  req                 decode.json when result has "hex" and no "request"
                      (req --decode-tsm-code), otherwise req.json
  set-run             set-run.json
  replay              replay.json
  dump                dump.json
  batch               batch.json (a batch line that could not be run, or
                      an error of the batch command itself)
  "" (empty)          version.json when result.version is present,
                      otherwise error.json (global usage error)
  no "command" key    metadata.json when "program" is present (__metadata)
  anything else       error.json (only usage errors have no own schema)

A document with a top-level "line" key is a batch output line: it is
checked against batch.json and, when its command is bind, unbind, req or
set-run, also against that command's schema with "line" removed (the
envelope itself has no "line").

--schema NAME forces one schema (file name without .json).

--trace FILE validates a --trace file instead: every line must be one JSON
object valid against trace.json (docs/cli-contract.md §7).

Besides the schema, the input must be strict JSON: no empty input, no
trailing garbage, no duplicate keys, no NaN/Infinity, no non-integer
numbers (docs/cli-contract.md §6: numbers are integers), and in ioctl objects
request_hex must equal request and struct_len the length of struct_hex.

Exit 0 when every document is valid; 1 (with the document number and the
JSON path of each error on stderr) otherwise; 2 on bad usage.
"""

import json
import os
import sys

try:
    from jsonschema import Draft202012Validator, RefResolver
except ImportError:  # pragma: no cover
    sys.stderr.write("validate-json: python3-jsonschema is not installed "
                     "(apt-get install python3-jsonschema; run with "
                     "/usr/bin/python3)\n")
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMA_DIR = os.path.join(HERE, "..", "schema")


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


def load_schemas(schema_dir):
    store = {}
    by_name = {}
    for fn in sorted(os.listdir(schema_dir)):
        if not fn.endswith(".json"):
            continue
        with open(os.path.join(schema_dir, fn), encoding="utf-8") as f:
            s = json.load(f)
        Draft202012Validator.check_schema(s)
        by_name[fn[:-5]] = s
        store[s["$id"]] = s
    return by_name, store


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
    if cmd in ("set-run", "replay", "dump", "batch"):
        return cmd
    if cmd == "":
        res = doc.get("result")
        if isinstance(res, dict) and "version" in res:
            return "version"
        return "error"
    return "error"


BATCH_COMMANDS = ("bind", "unbind", "req", "set-run")


def checks_for(doc, forced):
    """[(schema name, document)] to validate doc against."""
    if forced is not None:
        return [(forced, doc)]
    name = pick_schema(doc)
    out = [(name, doc)]
    if name == "batch" and doc.get("command") in BATCH_COMMANDS:
        inner = {k: v for k, v in doc.items() if k != "line"}
        out.append((pick_schema(inner), inner))
    return out


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


def main(argv):
    schema_dir = DEFAULT_SCHEMA_DIR
    forced = None
    trace = False
    args = list(argv[1:])
    files = []
    while args:
        a = args.pop(0)
        if a == "--schema-dir" and args:
            schema_dir = args.pop(0)
        elif a == "--schema" and args:
            forced = args.pop(0)
        elif a == "--trace":
            trace = True
        elif a in ("-h", "--help"):
            sys.stdout.write(__doc__)
            return 0
        elif a.startswith("-") and a != "-":
            sys.stderr.write("validate-json: unknown option %s\n" % a)
            return 2
        else:
            files.append(a)
    if len(files) > 1:
        sys.stderr.write("validate-json: at most one FILE\n")
        return 2
    if trace:
        if forced is not None:
            sys.stderr.write("validate-json: --trace and --schema exclude "
                             "each other\n")
            return 2
        forced = "trace"
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

    by_name, store = load_schemas(schema_dir)
    if forced is not None and forced not in by_name:
        sys.stderr.write("validate-json: no schema %r (have: %s)\n"
                         % (forced, ", ".join(sorted(by_name))))
        return 2
    try:
        docs = split_trace(text) if trace else split_documents(text)
    except Bad as e:
        sys.stderr.write("validate-json: %s\n" % e)
        return 1

    failed = False
    what = "line" if trace else "document"
    for n, doc in enumerate(docs, 1):
        for name, sub in checks_for(doc, forced):
            schema = by_name[name]
            resolver = RefResolver(schema["$id"], schema, store=store)
            v = Draft202012Validator(schema, resolver=resolver)
            errors = sorted(v.iter_errors(sub), key=lambda e: list(e.path))
            msgs = ["%s: %s" % (path_str(e.absolute_path), e.message)
                    for e in errors]
            if sub is doc:
                msgs += semantic_errors(doc)
            for m in msgs:
                failed = True
                sys.stderr.write("validate-json: %s %d (schema %s): %s\n"
                                 % (what, n, name, m))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

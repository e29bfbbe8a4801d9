#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the man pages document exactly what the binary accepts.

usage: check-man-drift.py METADATA.json|- MANDIR

METADATA is the output of `tsmctl __metadata` ('-' reads stdin). Fails
(exit 1, one line per problem on stderr) when
  - a global option (long form, and short form if any) is not in a .TP
    tag (or .IP) of the GLOBAL OPTIONS section of MANDIR/tsmctl.8;
  - a command option is not in a .TP tag (or .IP) of the OPTIONS section
    of MANDIR/tsmctl-CMD.8;
  - a non-hidden command has no page, or is not in the COMMANDS section
    of tsmctl.8;
  - a page documents an option the binary does not have: a --name on a
    tag or font-macro line (.TP tag, .IP, .B, .BI, .BR, ...) of the
    GLOBAL OPTIONS section of tsmctl.8 (not a global option) or of the
    OPTIONS section of a command page (neither a command nor a global
    option);
  - a tsmctl-X.8 page exists for no command (or a hidden one).
Exit 2 on bad usage, unreadable input or an unknown metadata schema.
"""
import json
import os
import re
import sys

SUPPORTED_SCHEMAS = (1,)

FONT_MACROS = {"B", "I", "BI", "IB", "BR", "RB", "IR", "RI", "SB", "SM"}
LONG_RE = re.compile(r"(?<![\w-])--([A-Za-z0-9][A-Za-z0-9_-]*)")


def die(msg, code=2):
    sys.stderr.write("check-man-drift: %s\n" % msg)
    sys.exit(code)


def untroff(text):
    """Turn troff escapes into plain text, enough to find option names."""
    text = re.sub(r"\\f(\[[^\]]*\]|\(..|.)", "", text)
    text = re.sub(r"\\s[+-]?\d", "", text)
    repl = {
        r"\-": "-", r"\(aq": "'", r"\(dq": '"', r"\(em": "--",
        r"\(en": "-", r"\(hy": "-", r"\e": "\\", r"\&": "", r"\%": "",
        r"\:": "", r"\ ": " ", r"\~": " ", r"\|": "", r"\^": "",
    }
    for k, v in repl.items():
        text = text.replace(k, v)
    return text


def read_page(path):
    """Return {SECTION NAME: [(kind, plain text)]} for a man(7) page.

    kind is "tag" for .TP tags and .IP/.TQ arguments, "macro" for font
    macro lines, "text" for everything else. .SS belongs to its .SH.
    """
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    sections = {}
    cur = None
    tp_pending = False
    for raw in lines:
        if raw.startswith('.\\"') or raw.startswith("'\\\""):
            continue
        m = re.match(r"^[.']\s*(\S+)\s*(.*)$", raw)
        macro, args = (m.group(1), m.group(2)) if m else (None, raw)
        if macro == "SH":
            cur = untroff(args).strip().strip('"').upper()
            sections.setdefault(cur, [])
            tp_pending = False
            continue
        if cur is None:
            continue
        if macro in ("TP", "TQ"):
            tp_pending = True
            continue
        if macro == "IP":
            kind, text = "tag", args
        elif tp_pending:
            kind, text = "tag", (args if macro else raw)
            tp_pending = False
        elif macro in FONT_MACROS:
            kind, text = "macro", args
        else:
            kind, text = "text", args if macro else raw
        sections[cur].append((kind, untroff(text)))
    return sections


def section_text(sections, name, kinds=None):
    return "\n".join(t for k, t in sections.get(name, [])
                     if kinds is None or k in kinds)


def has_long(text, name):
    return re.search(r"(?<![\w-])--%s(?![\w-])" % re.escape(name),
                     text) is not None


def has_short(text, short):
    return re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(short),
                     text) is not None


def has_word(text, word):
    return re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(word),
                     text) is not None


def documented_longs(sections, name):
    text = section_text(sections, name, ("tag", "macro"))
    return set(LONG_RE.findall(text))


def load_metadata(arg):
    try:
        if arg == "-":
            meta = json.load(sys.stdin)
        else:
            with open(arg, encoding="utf-8") as f:
                meta = json.load(f)
    except (OSError, ValueError) as e:
        die("cannot read metadata %s: %s" % (arg, e))
    if not isinstance(meta, dict):
        die("metadata: top level is not an object")
    sv = meta.get("schema_version")
    if sv not in SUPPORTED_SCHEMAS:
        die("metadata schema_version %r is not supported (supported: %s)"
            % (sv, ", ".join(map(str, SUPPORTED_SCHEMAS))))
    for key in ("global_options", "commands"):
        if not isinstance(meta.get(key), list):
            die("metadata: '%s' missing or not a list" % key)
    return meta


def main(argv):
    if len(argv) != 3:
        die("usage: check-man-drift.py METADATA.json|- MANDIR")
    meta = load_metadata(argv[1])
    mandir = argv[2]
    prog = meta.get("program", "tsmctl")
    problems = []

    main_page = os.path.join(mandir, prog + ".8")
    if not os.path.isfile(main_page):
        die("%s: no such page" % main_page, 1)
    top = read_page(main_page)
    for sec in ("GLOBAL OPTIONS", "COMMANDS"):
        if sec not in top:
            problems.append("%s: no %s section" % (main_page, sec))

    gopts = meta["global_options"]
    glongs = {o["long"] for o in gopts}
    gtext = section_text(top, "GLOBAL OPTIONS", ("tag",))
    for o in gopts:
        if not has_long(gtext, o["long"]):
            problems.append("%s: global option --%s is not documented "
                            "in GLOBAL OPTIONS" % (main_page, o["long"]))
        short = o.get("short")
        if short and not has_short(gtext, short):
            problems.append("%s: short form %s of global option --%s is "
                            "not documented in GLOBAL OPTIONS"
                            % (main_page, short, o["long"]))
    for name in sorted(documented_longs(top, "GLOBAL OPTIONS") - glongs):
        problems.append("%s: GLOBAL OPTIONS documents --%s, which %s "
                        "does not have" % (main_page, name, prog))

    ctext = section_text(top, "COMMANDS", ("tag", "macro"))
    visible = set()
    for c in meta["commands"]:
        if c.get("hidden"):
            continue
        name = c["name"]
        visible.add(name)
        if not has_word(ctext, name):
            problems.append("%s: command '%s' is not in COMMANDS"
                            % (main_page, name))
        page = os.path.join(mandir, "%s-%s.8" % (prog, name))
        if not os.path.isfile(page):
            problems.append("%s: missing page for command '%s'"
                            % (page, name))
            continue
        secs = read_page(page)
        if "OPTIONS" not in secs:
            problems.append("%s: no OPTIONS section" % page)
        otext = section_text(secs, "OPTIONS", ("tag",))
        clongs = {o["long"] for o in c.get("options", [])}
        for o in c.get("options", []):
            if not has_long(otext, o["long"]):
                problems.append("%s: option --%s of '%s' is not "
                                "documented in OPTIONS"
                                % (page, o["long"], name))
            short = o.get("short")
            if short and not has_short(otext, short):
                problems.append("%s: short form %s of --%s is not "
                                "documented in OPTIONS"
                                % (page, short, o["long"]))
        extra = documented_longs(secs, "OPTIONS") - clongs - glongs
        for opt in sorted(extra):
            problems.append("%s: OPTIONS documents --%s, which '%s %s' "
                            "does not have" % (page, opt, prog, name))

    prefix = prog + "-"
    for fn in sorted(os.listdir(mandir)):
        if fn.startswith(prefix) and fn.endswith(".8"):
            cmd = fn[len(prefix):-2]
            if cmd not in visible:
                problems.append("%s: page for '%s', which is not a "
                                "command of %s"
                                % (os.path.join(mandir, fn), cmd, prog))

    for p in problems:
        sys.stderr.write("check-man-drift: %s\n" % p)
    if problems:
        sys.stderr.write("check-man-drift: %d problem(s)\n" % len(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

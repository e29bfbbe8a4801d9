#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write a bash, zsh or fish completion script for tsmctl from its metadata.

usage: tsmctl __metadata | gen-completions.py bash|zsh|fish > SCRIPT

Completion follows context: --op offers the ops of the --arch and profile
(-A/--abi, else $TSMCTL_ABI) given on the line, --field the fields of the
--op given (NAME=, then the value names of NAME), `help` the commands,
--pid the processes holding /dev/iommu (metadata "ops" and "args").

The metadata (the hidden `tsmctl __metadata` command) is the only source:
this script only formats it, and refuses a metadata schema_version it does
not know, so that a changed format cannot silently produce a wrong script.
"""
import json
import re
import sys

SUPPORTED_SCHEMAS = (1,)
SAFE = re.compile(r"^[A-Za-z0-9_.,+-]+$")
SHORT = re.compile(r"^-[A-Za-z0-9]$")


def die(msg):
    sys.stderr.write("gen-completions: %s\n" % msg)
    sys.exit(2)


def check_word(what, w):
    if not isinstance(w, str) or not SAFE.match(w):
        die("metadata: unsafe or empty %s %r" % (what, w))
    return w


def check_opt(where, o):
    if not isinstance(o, dict):
        die("metadata: %s: option is not an object" % where)
    check_word("option name in " + where, o.get("long"))
    if "short" in o and not (isinstance(o["short"], str)
                             and SHORT.match(o["short"])):
        die("metadata: %s: bad short option %r" % (where, o["short"]))
    for v in o.get("values", []) or []:
        check_word("value of --%s" % o["long"], v)
    if o.get("complete") not in (None, "", "file", "pid", "tsm-bdf"):
        die("metadata: %s: --%s: unknown complete kind %r"
            % (where, o["long"], o["complete"]))
    return o


def load(stream):
    try:
        meta = json.load(stream)
    except ValueError as e:
        die("metadata is not valid JSON: %s" % e)
    if not isinstance(meta, dict):
        die("metadata: top level is not an object")
    sv = meta.get("schema_version")
    if sv not in SUPPORTED_SCHEMAS:
        die("metadata schema_version %r is not supported (supported: %s)"
            % (sv, ", ".join(map(str, SUPPORTED_SCHEMAS))))
    check_word("program name", meta.get("program"))
    if not isinstance(meta.get("global_options"), list) or \
            not isinstance(meta.get("commands"), list):
        die("metadata: global_options and commands must be lists")
    for o in meta["global_options"]:
        check_opt("global options", o)
    for c in meta["commands"]:
        if not isinstance(c, dict):
            die("metadata: command is not an object")
        check_word("command name", c.get("name"))
        for o in c.get("options", []) or []:
            check_opt("command " + c["name"], o)
        if c.get("args") not in (None, "command", "file"):
            die("metadata: command %s: unknown args kind %r"
                % (c["name"], c["args"]))
    if not isinstance(meta.get("ops", []), list):
        die("metadata: ops must be a list")
    for op in meta.get("ops", []):
        check_word("op name", op.get("name"))
        check_word("op arch", op.get("arch"))
        for p in op.get("profiles", []):
            check_word("profile of op " + op["name"], p)
        for f in op.get("fields", []):
            check_word("field of op " + op["name"], f.get("name"))
            for v in f.get("values", []) or []:
                check_word("value of field " + f["name"], v)
    return meta


def op_table(meta):
    """ "name:arch:p1,p2" per op, for --op in context"""
    return " ".join("%s:%s:%s" % (o["name"], o["arch"],
                                  ",".join(o.get("profiles", [])))
                    for o in meta.get("ops", []))


def field_words(meta):
    """{(op, arch): ["NAME=", "NAME=value", ...]} for --field in context"""
    out = {}
    for o in meta.get("ops", []):
        words = out.setdefault((o["name"], o["arch"]), [])
        for f in o.get("fields", []):
            if f["name"] + "=" not in words:
                words.append(f["name"] + "=")
            for v in f.get("values", []) or []:
                w = f["name"] + "=" + v
                if w not in words:
                    words.append(w)
    return out


def field_words_fn(meta, fn):
    """A shell function (bash and zsh): the --field words of op $1 for
    arch $2 (any arch when $2 is empty)"""
    out = ["# the --field words of op $1 for arch $2 (NAME= and NAME=VALUE)",
           "%s_field_words()" % fn, "{", "\tcase $1:$2 in"]
    for (name, arch), words in field_words(meta).items():
        if words:
            pat = name + (":*" if arch == "any" else
                          ":%s|%s:" % (arch, name))
            out.append("\t%s) echo '%s' ;;" % (pat, " ".join(words)))
    return out + ["\tesac", "}", ""]


def arg_commands(meta, kind):
    return [c["name"] for c in meta["commands"] if c.get("args") == kind]


def visible_commands(meta):
    return [c for c in meta["commands"] if not c.get("hidden")]


def arg_kind(o):
    """How to complete an option's argument; None for a flag."""
    if not o.get("arg"):
        return None
    if o["long"] in ("op", "field"):
        return o["long"]
    if o.get("values"):
        return "values " + " ".join(o["values"])
    if o.get("complete") in ("file", "pid", "tsm-bdf"):
        return o["complete"]
    return "any"


def names(o):
    return ["--" + o["long"]] + ([o["short"]] if o.get("short") else [])


def header(meta, shell):
    comment = "#"
    return [
        comment + " SPDX-License-Identifier: GPL-2.0",
        comment + " %s completion for %s %s." % (
            shell, meta["program"], meta.get("version", "")),
        comment + " Generated by tests/tools/gen-completions.py from '%s "
        "__metadata'" % meta["program"],
        comment + " (schema %d). Do not edit: run 'make completions'."
        % meta["schema_version"],
    ]


def gen_bash(meta):
    prog = meta["program"]
    fn = "_" + prog.replace("-", "_")
    gopts = meta["global_options"]
    out = header(meta, "bash")
    out.append("")
    out.append("%s_commands='%s'" % (fn, " ".join(
        c["name"] for c in visible_commands(meta))))
    out.append("%s_global_opts='%s'" % (fn, " ".join(
        n for o in gopts for n in names(o))))
    out.append("# op:arch:profiles of the catalogue, for --op in context")
    out.append("%s_op_table='%s'" % (fn, op_table(meta)))
    out.append("")
    out += field_words_fn(meta, fn)
    out.append("# commands whose argument is a command name or a file")
    out.append("%s_arg_command='%s'" % (fn, " ".join(
        arg_commands(meta, "command"))))
    out.append("%s_arg_file='%s'" % (fn, " ".join(
        arg_commands(meta, "file"))))
    out.append("")
    out.append("# the options of COMMAND ($1)")
    out.append("%s_cmd_opts()" % fn)
    out.append("{")
    out.append("\tcase $1 in")
    for c in meta["commands"]:
        opts = c.get("options") or []
        if opts:
            out.append("\t%s) echo '%s' ;;" % (c["name"], " ".join(
                n for o in opts for n in names(o))))
    out.append("\tesac")
    out.append("}")
    out.append("")
    out.append("# how to complete the argument of option $2 of COMMAND $1:")
    out.append("# 'values V...', 'file', 'pid', 'tsm-bdf', 'any'; nothing for a flag")
    out.append("%s_optarg()" % fn)
    out.append("{")
    out.append("\tcase $1 in")
    for c in meta["commands"]:
        arms = [(names(o), arg_kind(o)) for o in c.get("options") or []
                if arg_kind(o)]
        if not arms:
            continue
        out.append("\t%s)" % c["name"])
        out.append("\t\tcase $2 in")
        for ns, kind in arms:
            out.append("\t\t%s) echo '%s'; return ;;" % ("|".join(ns), kind))
        out.append("\t\tesac")
        out.append("\t\t;;")
    out.append("\tesac")
    out.append("\tcase $2 in")
    for o in gopts:
        kind = arg_kind(o)
        if kind:
            out.append("\t%s) echo '%s' ;;" % ("|".join(names(o)), kind))
    out.append("\tesac")
    out.append("}")
    out.append("")
    out.append(BASH_HELPERS.replace("@FN@", fn))
    out.append("%s()" % fn)
    out.append("{")
    out.append(BASH_BODY.replace("@FN@", fn))
    out.append("}")
    out.append("complete -F %s %s" % (fn, prog))
    return "\n".join(out) + "\n"


# Plain bash: no dependency on the bash-completion package's helpers.
# COMP_WORDBREAKS normally contains '=', so "--abi=v6" arrives as three
# words: --abi, =, v6.
BASH_BODY = r'''	local cur=${COMP_WORDS[COMP_CWORD]} prev= opt= kind= cmd= w i skip=
	local pos=0 arch= abi=${TSMCTL_ABI-} op= name=

	COMPREPLY=()
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# the command: the first word that is neither an option nor the
	# argument of one; on the way, the --arch, -A/--abi and --op given
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ -n $skip ]]; then
			skip=
			continue
		fi
		case $w in
		=) skip=1 ;;
		--*=*) @FN@_ctx "${w%%=*}" "${w#*=}" ;;
		-*)
			[[ -n $(@FN@_optarg "$cmd" "$w") ]] || continue
			if [[ ${COMP_WORDS[i + 1]} == = ]]; then
				((i + 2 < COMP_CWORD)) &&
					@FN@_ctx "$w" "${COMP_WORDS[i + 2]}"
			else
				skip=1
				((i + 1 < COMP_CWORD)) &&
					@FN@_ctx "$w" "${COMP_WORDS[i + 1]}"
			fi
			;;
		*)
			if [[ -z $cmd ]]; then
				cmd=$w
			else
				((pos++))
			fi
			;;
		esac
	done

	# the argument of an option? (--field NAME=VALUE arrives as NAME, =,
	# VALUE when '=' breaks words, as it does by default)
	if [[ $cur == = ]]; then
		opt=$prev
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		opt=${cur%%=*}
		cur=${cur#*=}
	elif [[ $prev == -* ]]; then
		opt=$prev
	fi
	if [[ $opt != -* && -n $opt ]] && ((COMP_CWORD > 2)) &&
		[[ ${COMP_WORDS[COMP_CWORD - 2]} == --field ||
			${COMP_WORDS[COMP_CWORD - 3]} == --field ]]; then
		name=$opt
		kind=fieldvalue
	elif [[ -n $opt ]]; then
		kind=$(@FN@_optarg "$cmd" "$opt")
	fi
	case $kind in
	values\ *)
		COMPREPLY=($(compgen -W "${kind#values }" -- "$cur"))
		return 0
		;;
	op)
		COMPREPLY=($(compgen -W "$(@FN@_ops)" -- "$cur"))
		return 0
		;;
	field)
		compopt -o nospace 2>/dev/null
		if [[ $cur == *=* ]]; then
			w=$(@FN@_field_words "$op" "$arch")
		else
			w=$(printf '%s\n' $(@FN@_field_words "$op" "$arch") |
				grep '=$')
		fi
		COMPREPLY=($(compgen -W "$w" -- "$cur"))
		return 0
		;;
	fieldvalue)
		COMPREPLY=($(compgen -W "$(printf '%s\n' \
			$(@FN@_field_words "$op" "$arch") |
			sed -n "s/^$name=\(..*\)/\1/p")" -- "$cur"))
		return 0
		;;
	file)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	pid)
		# only the processes that hold an iommufd (/dev/iommu open)
		COMPREPLY=($(compgen -W "$(find /proc/[0-9]*/fd -maxdepth 1 \
			-lname /dev/iommu 2>/dev/null | cut -d/ -f3 | sort -un)" \
			-- "$cur"))
		return 0
		;;
	tsm-bdf)
		# the PCI functions with a tsm/ directory (below TSMCTL_SYSFS)
		COMPREPLY=($(compgen -W "$(cd "${TSMCTL_SYSFS:-}/sys/bus/pci/devices" \
			2>/dev/null && for w in *; do
				[[ -d $w/tsm ]] && printf '%s\n' "$w"
			done)" -- "$cur"))
		return 0
		;;
	any)
		return 0
		;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$@FN@_global_opts $(@FN@_cmd_opts "$cmd")" \
			-- "$cur"))
	elif [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$@FN@_commands" -- "$cur"))
	elif ((pos == 0)) && [[ " $@FN@_arg_command " == *" $cmd "* ]]; then
		COMPREPLY=($(compgen -W "$@FN@_commands" -- "$cur"))
	elif ((pos == 0)) && [[ " $@FN@_arg_file " == *" $cmd "* ]]; then
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
	else
		COMPREPLY=($(compgen -W "$(@FN@_cmd_opts "$cmd")" -- "$cur"))
	fi
	return 0'''

# helpers of the completion function (dynamic scope: they read and set
# its locals arch, abi, op)
BASH_HELPERS = r'''# remember the values given for --arch, -A/--abi, --op ($1 = $2)
@FN@_ctx()
{
	case $1 in
	--arch) arch=$2 ;;
	-A | --abi) abi=$2 ;;
	--op) op=$2 ;;
	esac
}

# the ops of the catalogue for the --arch and profile given (all without)
@FN@_ops()
{
	local r n a p
	for r in $@FN@_op_table; do
		IFS=: read -r n a p <<<"$r"
		[[ -n $arch && $a != any && $a != "$arch" ]] && continue
		[[ -n $abi && $abi != auto && ,$p, != *,"$abi",* ]] && continue
		echo "$n"
	done | awk '!seen[$0]++'
}
'''


# zsh helpers: the words of the whole line give --arch, -A/--abi, --op
ZSH_HELPERS = r'''@FN@_ctx()
{
	local -a w
	local i
	w=(${(z)BUFFER})
	for ((i = 1; i <= $#w; i++)); do
		case $w[i] in
		--arch) arch=$w[i+1] ;;
		--arch=*) arch=${w[i]#*=} ;;
		-A | --abi) abi=$w[i+1] ;;
		--abi=*) abi=${w[i]#*=} ;;
		--op) op=$w[i+1] ;;
		--op=*) op=${w[i]#*=} ;;
		esac
	done
}

# the ops of the catalogue for the --arch and profile given
@FN@_ops()
{
	local arch= abi=${TSMCTL_ABI-} op= r n a p
	local -a ops
	@FN@_ctx
	for r in ${=@FN@_op_table}; do
		n=${r%%:*} a=${${r#*:}%%:*} p=${r##*:}
		[[ -n $arch && $a != any && $a != $arch ]] && continue
		[[ -n $abi && $abi != auto && ,$p, != *,$abi,* ]] && continue
		ops+=($n)
	done
	ops=(${(u)ops})
	compadd -a ops
}

# --field NAME=VALUE for the --op (and --arch) given
@FN@_fields()
{
	local arch= abi= op= w
	local -a words names
	@FN@_ctx
	words=(${=$(@FN@_field_words $op $arch)})
	if compset -P '*='; then
		names=(${${(M)words:#${IPREFIX}?*}#${IPREFIX}})
		compadd -a names
	else
		names=(${(M)words:#*=})
		compadd -S '' -a names
	fi
}

# the processes that hold an iommufd (/dev/iommu open)
@FN@_pids()
{
	local -a p
	p=(${(f)"$(find /proc/[0-9]*/fd -maxdepth 1 -lname /dev/iommu \
		2>/dev/null | cut -d/ -f3 | sort -un)"})
	compadd -a p
}
'''


def zq(s):
    """Quote a string for zsh in single quotes."""
    return "'" + s.replace("'", "'\\''") + "'"


def zdesc(s):
    """Escape an _arguments/_describe description."""
    s = " ".join((s or "").split())
    return s.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]") \
        .replace(":", "\\:")


def zspec(o):
    """_arguments specs (a list of words, already quoted) for option o."""
    doc = "[" + zdesc(o.get("doc", "")) + "]"
    kind = arg_kind(o)
    if kind is None:
        action = ""
    else:
        msg = o["arg"]
        if kind.startswith("values "):
            act = "(" + kind[len("values "):] + ")"
        elif kind == "file":
            act = "_files"
        elif kind == "pid":
            act = "_tsmctl_pids"
        elif kind == "op":
            act = "_tsmctl_ops"
        elif kind == "field":
            act = "_tsmctl_fields"
        elif kind == "tsm-bdf":
            act = "_tsmctl_tsm_bdfs"
        else:
            act = " "
        action = ":" + zdesc(msg) + ":" + act
    long_ = "--" + o["long"] + ("=" if kind else "")
    short = o.get("short")
    rep = "*" if o["long"] == "verbose" else ""
    if short:
        excl = "" if rep else "(%s --%s)" % (short, o["long"])
        sh = short + ("+" if kind else "")
        return ["%s%s{%s,%s}%s" % (zq(excl) if excl else "",
                                   zq(rep) if rep else "", sh, long_,
                                   zq(doc + action))]
    return [zq(rep + long_ + doc + action)]


def gen_zsh(meta):
    prog = meta["program"]
    fn = "_" + prog.replace("-", "_")
    out = ["#compdef " + prog]
    out += header(meta, "zsh")
    out.append("")
    # the PCI functions with a tsm/ directory (below TSMCTL_SYSFS)
    out.append("_tsmctl_tsm_bdfs()")
    out.append("{")
    out.append("\tlocal -a d")
    out.append("\td=(${TSMCTL_SYSFS:-}/sys/bus/pci/devices/*/tsm(N/:h:t))")
    out.append("\tcompadd -a d")
    out.append("}")
    out.append("")
    out.append("%s_commands()" % fn)
    out.append("{")
    out.append("\tlocal -a cmds")
    out.append("\tcmds=(")
    for c in visible_commands(meta):
        summary = c.get("summary", "")
        if c.get("available") is False:
            summary += " (not yet available)"
        out.append("\t\t%s" % zq(c["name"] + ":" +
                                 " ".join(summary.split())))
    out.append("\t)")
    out.append("\t_describe -t commands %s cmds" % zq(prog + " command"))
    out.append("}")
    out.append("")
    out.append("%s_op_table=%s" % (fn, zq(op_table(meta))))
    out.append("")
    out += field_words_fn(meta, fn)
    out.append(ZSH_HELPERS.replace("@FN@", fn))
    out.append("%s()" % fn)
    out.append("{")
    out.append("\tlocal curcontext=$curcontext state line ret=1")
    out.append("\tlocal -a globals")
    out.append("\ttypeset -A opt_args")
    out.append("")
    out.append("\tglobals=(")
    for o in meta["global_options"]:
        for spec in zspec(o):
            out.append("\t\t" + spec)
    out.append("\t)")
    out.append("\t_arguments -C -s $globals \\")
    out.append("\t\t'1: :%s_commands' \\" % fn)
    out.append("\t\t'*:: :->args' && ret=0")
    out.append("")
    out.append("\tcase $state in")
    out.append("\targs)")
    out.append("\t\tcurcontext=${curcontext%%:*:*}:%s-$words[1]:" % prog)
    out.append("\t\tcase $words[1] in")
    for c in meta["commands"]:
        opts = c.get("options") or []
        if not opts:
            continue
        specs = [s for o in opts for s in zspec(o)]
        out.append("\t\t%s)" % c["name"])
        out.append("\t\t\t_arguments -s $globals \\")
        for s in specs[:-1]:
            out.append("\t\t\t\t%s \\" % s)
        out.append("\t\t\t\t%s && ret=0" % specs[-1])
        out.append("\t\t\t;;")
    for kind, act in (("command", fn + "_commands"), ("file", "_files")):
        for name in arg_commands(meta, kind):
            if any(c["name"] == name and c.get("options")
                   for c in meta["commands"]):
                die("metadata: %s: args with options is not supported"
                    % name)
            out.append("\t\t%s)" % name)
            out.append("\t\t\t_arguments -s $globals '1: :%s' && ret=0"
                       % act)
            out.append("\t\t\t;;")
    out.append("\t\t*)")
    out.append("\t\t\t_arguments -s $globals && ret=0")
    out.append("\t\t\t;;")
    out.append("\t\tesac")
    out.append("\t\t;;")
    out.append("\tesac")
    out.append("\treturn ret")
    out.append("}")
    out.append("")
    out.append('%s "$@"' % fn)
    return "\n".join(out) + "\n"


def fq(s):
    """Quote a string for fish in single quotes."""
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


# fish helpers: the command word, option values on the line, --op and
# --field in context, processes holding /dev/iommu
FISH_HELPERS = r'''function @FN@_cmd --description 'the command of the line'
    set -l skip 0
    for w in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case '--*=*'
            case '-*'
                contains -- $w $@FN@_argopts; and set skip 1
            case '*'
                echo $w
                return 0
        end
    end
    return 1
end

function @FN@_is --description 'the command of the line is $argv[1]'
    test "$(@FN@_cmd)" = $argv[1]
end

function @FN@_val --description 'the value given for option $argv'
    set -l words (commandline -opc)
    set -l v
    for i in (seq (count $words))
        for o in $argv
            if test "$words[$i]" = $o; and test $i -lt (count $words)
                set v $words[(math $i + 1)]
            else if string match -q -- "$o=*" $words[$i]
                set v (string replace -- "$o=" '' $words[$i])
            end
        end
    end
    echo $v
end

function @FN@_ops --description 'the ops for the --arch and profile given'
    set -l arch (@FN@_val --arch)
    set -l abi (@FN@_val -A --abi)
    test -z "$abi"; and set abi $TSMCTL_ABI
    for r in $@FN@_op_table
        set -l f (string split : $r)
        if test -n "$arch"; and test $f[2] != any; and test $f[2] != $arch
            continue
        end
        if test -n "$abi"; and test "$abi" != auto
            contains -- $abi (string split , $f[3]); or continue
        end
        echo $f[1]
    end | awk '!seen[$0]++'
end

function @FN@_pids --description 'the processes holding /dev/iommu'
    find /proc -mindepth 3 -maxdepth 3 -path '/proc/[0-9]*/fd/*' \
        -lname /dev/iommu 2>/dev/null | cut -d/ -f3 | sort -un
end

function @FN@_tsm_bdfs --description 'the PCI functions with a tsm/ directory'
    for d in $TSMCTL_SYSFS/sys/bus/pci/devices/*/tsm
        basename (dirname $d)
    end
end
'''


def fish_arg(o):
    kind = arg_kind(o)
    if kind is None:
        return ""
    if kind.startswith("values "):
        return " -x -a " + fq(kind[len("values "):])
    if kind == "file":
        return " -r -F"
    if kind in ("pid", "op", "field", "tsm-bdf"):
        what = {"pid": "pids", "op": "ops", "field": "fields",
                "tsm-bdf": "tsm_bdfs"}[kind]
        return " -x -a " + fq("(__%s_%s)" % ("tsmctl", what))
    return " -x"


def fish_opt(prog, o, cond):
    line = "complete -c %s" % prog
    if cond:
        line += " -n " + fq(cond)
    line += " -l " + o["long"]
    if o.get("short"):
        line += " -s " + o["short"][1]
    line += fish_arg(o)
    return line + " -d " + fq(" ".join((o.get("doc") or "").split()))


def gen_fish(meta):
    prog = meta["program"]
    fn = "__" + prog.replace("-", "_")
    out = header(meta, "fish")
    out.append("")
    out.append("complete -c %s -f" % prog)
    argopts = []
    for o in meta["global_options"] + [o for c in meta["commands"]
                                       for o in c.get("options") or []]:
        if arg_kind(o):
            for n in names(o):
                if n not in argopts:
                    argopts.append(n)
    out.append("set -g %s_argopts %s" % (fn, " ".join(fq(a) for a in argopts)))
    out.append("set -g %s_op_table %s" % (fn, op_table(meta)))
    out.append("")
    out.append(FISH_HELPERS.replace("@FN@", fn))
    out.append("function %s_fields --description "
               "'--field NAME= and NAME=VALUE for the --op given'" % fn)
    out.append("    switch (%s_val --op):(%s_val --arch)" % (fn, fn))
    for (name, arch), words in field_words(meta).items():
        if words:
            pats = [name + ":*"] if arch == "any" else \
                [name + ":" + arch, name + ":"]
            out.append("        case %s" % " ".join(fq(p) for p in pats))
            out.append("            printf '%%s\\n' %s" % " ".join(words))
    out.append("    end")
    out.append("end")
    out.append("")
    for c in visible_commands(meta):
        out.append("complete -c %s -n 'not %s_cmd >/dev/null' -a %s -d %s"
                   % (prog, fn, c["name"],
                      fq(" ".join(c.get("summary", "").split()))))
    for o in meta["global_options"]:
        out.append(fish_opt(prog, o, None))
    for c in meta["commands"]:
        cond = "%s_is %s" % (fn, c["name"])
        for o in c.get("options") or []:
            out.append(fish_opt(prog, o, cond))
        if c.get("args") == "command":
            out.append("complete -c %s -n %s -a %s" % (
                prog, fq(cond), fq(" ".join(
                    x["name"] for x in visible_commands(meta)))))
        elif c.get("args") == "file":
            out.append("complete -c %s -n %s -F" % (prog, fq(cond)))
    return "\n".join(out) + "\n"


GENERATORS = {"bash": gen_bash, "zsh": gen_zsh, "fish": gen_fish}


def main(argv):
    if len(argv) != 2 or argv[1] not in GENERATORS:
        die("usage: tsmctl __metadata | gen-completions.py bash|zsh|fish")
    meta = load(sys.stdin)
    sys.stdout.write(GENERATORS[argv[1]](meta))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""PO files: read strictly, with positions, and written exactly as GNU gettext writes them.

Translators' tools (Poedit, Weblate, Lokalize, msgmerge) wrap long strings the way GNU gettext
does: at 79 columns, after spaces and hyphens, with the space kept at the end of the line. polib
wraps differently, so every round trip between an editor and our commands would rewrap whole
files and bury the real changes in the diff. :func:`po_text` writes what ``msgcat --width=79``
writes (the tests compare the two), and :func:`same_content` tells a rewrapped file from a
changed one.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import polib

from ..files import characters_refused, read_text_input
from ..problems import InputError, Problem

WRAP_WIDTH = 79

# A PO file line is blank, a comment, a keyword with a quoted string, or a quoted continuation.
_PO_LINE = re.compile(
    r'^(\s*|#.*|(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+"(?:[^"\\]|\\.)*"\s*|'
    r'"(?:[^"\\]|\\.)*"\s*)$')
# Control characters (NUL, escape …) are never part of a translation; the line and paragraph
# separators would break lines in polib where editors do not.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# Where a line holds a quoted string: a keyword's, a continuation's, and those of the obsolete
# (#~) and previous (#|) entries, which gettext reads too.
_QUOTED_STRING = re.compile(
    r'^(?:#~\|?|#\|)?\s*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"'
    r'((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(?:(?P<code>[0-7]{1,3}|x[0-9a-fA-F]+)|.)")
# The escapes a translator's editor writes. GNU msgfmt reads a few more, all refused here: \r \a
# \b \f \v are control characters, which a text never holds, and a character written by its code
# (\101, \x41) is a byte to msgfmt but the characters as written to polib, so that one file would
# print two different texts; anything else msgfmt refuses.
_KNOWN_ESCAPES = ("\\\\", '\\"', "\\n", "\\t")
_CONTROL_ESCAPES = {"\\r": "\r", "\\a": "\a", "\\b": "\b", "\\f": "\f", "\\v": "\v"}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a",
            "\b": "\\b", "\f": "\\f", "\v": "\\v"}


# ------------------------------------------------------------------ reading

def read_po(path: Path, shown: str) -> polib.POFile:
    """Parse a .po or .pot file; every syntax error or duplicate entry is a positioned problem."""
    po = parse_po(path, shown)
    if problems := duplicate_problems(po, shown):
        raise InputError(problems)
    return po


def parse_po(path: Path, shown: str) -> polib.POFile:
    """Parse a .po or .pot file; a file over the size limit, text that is not UTF-8 or holds
    control characters, every syntax error and every escape other than ``\\\\ \\" \\n \\t``
    are positioned problems."""
    # A byte order mark is harmless.
    text = read_text_input(path, shown, byte_order_mark=True)
    if problems := characters_refused(text, _CONTROL, shown, "the control character {code} "
                                      "is not allowed: remove it (write a line break as \\n)"):
        raise InputError(problems)
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if not _PO_LINE.match(line):
            problems.append(Problem(shown, number, None, "", "syntax error: expected a comment, "
                                    "a keyword (msgid, msgstr, msgctxt) with a quoted string, "
                                    "or a quoted line"))
        problems += escape_problems(line, number, shown)
    if problems:
        raise InputError(problems)
    try:
        po = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError) as error:
        match = re.search(r"line (\d+)", str(error))
        raise InputError([Problem(shown, int(match.group(1)) if match else None, None, "",
                                  "syntax error: an entry needs msgid then msgstr, each with "
                                  "a quoted string")]) from None
    return po


def escape_problems(line: str, number: int, shown: str) -> list[Problem]:
    """The first escape in the line's quoted string that is not one a translator's editor writes
    (``\\\\ \\" \\n \\t``), at its column, with how many more the line holds: one problem a
    line, so that a hostile file of a million escapes is not a million messages."""
    if "\\" not in line:
        return []  # no escape: most lines, read quickly
    match = _QUOTED_STRING.match(line)
    if match is None:
        return []
    refused = [(escape, message) for escape in _ESCAPE.finditer(match.group(1))
               if (message := _escape_problem(escape))]
    if not refused:
        return []
    escape, message = refused[0]
    if len(refused) > 1:
        message += f" (and {len(refused) - 1} more escapes on this line)"
    return [Problem(shown, number, match.start(1) + escape.start() + 1, "", message, line)]


def _escape_problem(match: re.Match) -> str | None:
    escape = match.group()
    if escape in _KNOWN_ESCAPES:
        return None
    if escape in _CONTROL_ESCAPES:
        return (f"the escape {escape} is the control character "
                f"U+{ord(_CONTROL_ESCAPES[escape]):04X}, which is not allowed: remove it (write "
                "a line break as \\n)")
    if match.group("code"):
        return (f"the escape {escape} writes a character by its code, which GNU gettext reads as "
                "a byte and other tools as the characters written: type the character itself")
    return (f"unknown escape {escape}: GNU gettext refuses it; write the character itself, and "
            "a backslash as \\\\")


def duplicate_problems(po: polib.POFile, shown: str) -> list[Problem]:
    """Entries with the same msgctxt and msgid: gettext refuses such a file."""
    problems = []
    first_seen: dict[tuple, int] = {}
    for entry in po:
        key = (entry.msgctxt, entry.msgid, entry.obsolete)
        if key in first_seen:
            problems.append(Problem(shown, entry.linenum, None, "",
                                    f"duplicate entry {excerpt(entry.msgid)} (first at line "
                                    f"{first_seen[key]}): remove one of them"))
        else:
            first_seen[key] = entry.linenum
    return problems


def excerpt(text: str, length: int = 40) -> str:
    """A msgid short enough to name an entry in a message."""
    shown = text if len(text) <= length else text[:length - 1].rstrip() + "…"
    return '"' + shown.replace("\n", " ") + '"'


# ------------------------------------------------------------------ writing

def po_text(po: polib.POFile) -> str:
    """The file as GNU gettext would write it (``msgcat --width=79``)."""
    blocks = [_header_lines(po), *(_entry_lines(e) for e in po if not e.obsolete),
              *(_entry_lines(e) for e in po if e.obsolete)]
    return "\n".join("\n".join(lines) + "\n" for lines in blocks)


def same_content(a: polib.POFile, b: polib.POFile) -> bool:
    """Whether two catalogs hold the same header and entries, however their lines are wrapped."""
    return po_text(a) == po_text(b)


def _header_lines(po: polib.POFile) -> list[str]:
    lines = [f"# {line}".rstrip() for line in po.header.split("\n")] if po.header else []
    if po.metadata_is_fuzzy:
        lines.append("#, fuzzy")
    value = "".join(f"{key}: {value}\n" for key, value in po.metadata.items())
    return lines + _string_lines("msgid", "") + _string_lines("msgstr", value)


def _entry_lines(entry: polib.POEntry) -> list[str]:
    lines = [f"# {line}".rstrip() for line in entry.tcomment.split("\n")] if entry.tcomment \
        else []
    if not entry.obsolete:
        lines += [f"#. {line}".rstrip() for line in entry.comment.split("\n")] \
            if entry.comment else []
        lines += _reference_lines([f"{file}:{line}" if line else file
                                   for file, line in entry.occurrences])
    flags = sorted(set(entry.flags), key=lambda flag: (flag != "fuzzy", entry.flags.index(flag)))
    if flags:
        lines.append("#, " + ", ".join(flags))
    previous_prefix = "#~| " if entry.obsolete else "#| "
    for keyword, value in (("msgctxt", entry.previous_msgctxt), ("msgid", entry.previous_msgid),
                           ("msgid_plural", entry.previous_msgid_plural)):
        if value is not None:
            lines += _string_lines(keyword, value, previous_prefix)
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        lines += _string_lines("msgctxt", entry.msgctxt, prefix)
    lines += _string_lines("msgid", entry.msgid, prefix)
    if entry.msgid_plural:
        lines += _string_lines("msgid_plural", entry.msgid_plural, prefix)
        for index in sorted(entry.msgstr_plural):
            lines += _string_lines(f"msgstr[{index}]", entry.msgstr_plural[index], prefix)
    else:
        lines += _string_lines("msgstr", entry.msgstr, prefix)
    return lines


def _reference_lines(references: list[str]) -> list[str]:
    lines: list[str] = []
    for reference in references:
        if lines and len(lines[-1]) + 1 + len(reference) <= WRAP_WIDTH:
            lines[-1] += " " + reference
        else:
            lines.append("#: " + reference)
    return lines


def _string_lines(keyword: str, value: str, prefix: str = "") -> list[str]:
    """``keyword "value"``, wrapped like GNU gettext: the string is cut after each ``\\n`` and
    where a line would pass the width; a string that needs more than one line starts with
    ``keyword ""``."""
    width = WRAP_WIDTH - 2 - len(prefix)  # room left for the text between the quotes
    portions = re.findall(r"[^\n]*\n|[^\n]+$", value) or [""]
    first = _wrap(portions[0], width, len(keyword) + 1)
    if len(portions) == 1 and len(first) == 1:
        return [f'{prefix}{keyword} "{first[0]}"']
    lines = [f'{prefix}{keyword} ""']
    for portion in portions:
        lines += [f'{prefix}"{line}"' for line in _wrap(portion, width, 0)]
    return lines


def _wrap(text: str, width: int, start: int) -> list[str]:
    """Escaped lines of ``text``: greedy, breaking only where Unicode line breaking allows."""
    lines = [""]
    column = start
    for piece in _pieces(text):
        escaped = "".join(_ESCAPES.get(c, c) for c in piece)
        piece_width = sum(_column_width(c) for c in escaped)
        if lines[-1] and column + piece_width > width:
            lines.append("")
            column = 0
        lines[-1] += escaped
        column += piece_width
    return lines


def _pieces(text: str) -> list[str]:
    """``text`` cut at its line-break opportunities (a simplified Unicode line breaking, UAX 14,
    as GNU libunistring applies it to the scripts and punctuation of our texts)."""
    pieces, start = [], 0
    for index in range(1, len(text)):
        if _break_before(text, index):
            pieces.append(text[start:index])
            start = index
    pieces.append(text[start:])
    return [p for p in pieces if p]


# Where GNU gettext (libunistring's line breaking) allows a break between two characters that
# touch, by the kind of the first: the kinds the second may be. Measured against msgcat 0.21.
_BREAKS_BETWEEN = {
    "IS": {"AL", "OP", "QUOTE", "PR"},  # , . : ;
    "HY": {"AL", "OP", "QUOTE", "PR"},  # -
    "SY": {"AL", "OP", "QUOTE", "PR"},  # /
    "EX": {"AL", "NU", "OP", "QUOTE", "PR"},  # ! ?
    "BA": {"AL", "NU", "OP", "QUOTE", "PR"},  # … –
    "B2": {"AL", "NU", "OP", "QUOTE", "PR"},  # —
    "CP": {"OP"},  # ) ]
    "CL": {"AL", "NU", "OP"},  # }
    "PR": {"QUOTE", "PR"},  # % +
}
_KINDS = {**dict.fromkeys(",.:;", "IS"), "-": "HY", "/": "SY", **dict.fromkeys("!?", "EX"),
          **dict.fromkeys("…–", "BA"), "—": "B2",
          **dict.fromkeys(")]", "CP"), "}": "CL", **dict.fromkeys("([{", "OP"), '"': "QUOTE",
          **dict.fromkeys("«»'‘’“”„‚‹›", "QU"), **dict.fromkeys("%+", "PR"), " ": "SP", "\n": "NL"}
_NEVER_AFTER_SPACE = {"IS", "SY", "EX", "CP", "CL", "NL"}  # a space does not make a break
# An em dash may also start a line after anything but an opening bracket, a quote, a space or
# another em dash.
_BEFORE_EM_DASH = {"AL", "NU", "IS", "HY", "SY", "EX", "BA", "CP", "CL", "PR"}


def _kind(char: str) -> str:
    if char in _KINDS:
        return _KINDS[char]
    if char.isdigit():
        return "NU"
    return "CM" if _column_width(char) == 0 else "AL"


def _break_before(text: str, index: int) -> bool:
    before, char = _kind(text[index - 1]), _kind(text[index])
    if before != "SP":
        return char in _BREAKS_BETWEEN.get(before, ()) or (char == "B2" and
                                                           before in _BEFORE_EM_DASH)
    if char in _NEVER_AFTER_SPACE or char == "SP" or not text[:index].strip(" "):
        return False  # nor do the spaces a line starts with
    opener = _kind(text[:index].rstrip(" ")[-1:] or " ")
    return opener != "OP" and not (opener in ("QU", "QUOTE") and char == "OP")


def _column_width(char: str) -> int:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1

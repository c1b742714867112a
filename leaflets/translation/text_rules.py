"""What every printed text obeys, the English of campaigns/*.yaml and each translation alike: one
reading of its placeholders, and the rules that keep the number a placeholder prints whole.

A number reaches a page only from the hotline registry, through a placeholder: ``{hotline}`` (the
campaign's main hotline) or ``{hotline:ID}`` (hotline ID of the campaign's ``hotlines:`` list), in
Python's format syntax, where ``{{`` and ``}}`` are literal braces. The campaign checks, the
translation checks and the rendering all read texts with ``parse``, so they cannot disagree on
what is a placeholder and what is printed as it is.

On the page the number is an isolated unit (render.py), yet people read it together with what
stands around it. A digit, a letter, a ``+`` or an invisible joining character right against it,
another number only a space or a dash away, or a letter that looks like a digit (Cyrillic З reads
as 3) changes the number people dial: ``{hotline}24`` prints 91624. These are refused, and so are
invisible format characters anywhere (a right-to-left override turns 24 into 42 on the page).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# ------------------------------------------------------------------ placeholders

@dataclass(frozen=True)
class Placeholder:
    """A ``{…}`` field of a text, where it is (braces included)."""

    field: str  # what stands between the braces: "hotline", "hotline:migration-service"
    start: int
    end: int

    @property
    def text(self) -> str:
        return "{" + self.field + "}"

    @property
    def name(self) -> str:
        """``hotline`` for ``{hotline:migration-service}``."""
        return self.field.partition(":")[0]

    @property
    def spec(self) -> str:
        """``migration-service`` for ``{hotline:migration-service}``; empty for ``{hotline}``."""
        return self.field.partition(":")[2]


class BrokenBraces(ValueError):
    """A ``{`` or ``}`` that neither opens or closes a placeholder nor is doubled."""


_BRACES = re.compile(r"\{\{|\}\}|\{[^{}]*\}|[{}]")


def parse(text: str) -> list[str | Placeholder]:
    """The text as printed pieces: literal strings (``{{`` read as ``{``) and placeholders, in
    order. Raises BrokenBraces for a lone brace or a brace inside a placeholder."""
    pieces: list[str | Placeholder] = []
    literal, position = "", 0
    for match in _BRACES.finditer(text):
        literal += text[position:match.start()]
        token = match.group()
        if token in ("{{", "}}"):
            literal += token[0]
        elif len(token) == 1:
            raise BrokenBraces(f"a lone '{token}' at character {match.start() + 1}")
        else:
            if literal:
                pieces.append(literal)
            literal = ""
            pieces.append(Placeholder(token[1:-1], match.start(), match.end()))
        position = match.end()
    literal += text[position:]
    if literal:
        pieces.append(literal)
    return pieces


def placeholders(text: str) -> list[Placeholder]:
    """The placeholders of a text, in order; raises BrokenBraces."""
    return [piece for piece in parse(text) if isinstance(piece, Placeholder)]


def has_placeholders(text: str) -> bool:
    """Whether a text holds a placeholder (broken braces are reported by the text checks)."""
    try:
        return bool(placeholders(text))
    except BrokenBraces:
        return False


def literal_text(text: str) -> str:
    """The words of a text without its placeholders (the text itself when its braces are
    broken), for counting words."""
    try:
        return " ".join(piece for piece in parse(text) if isinstance(piece, str))
    except BrokenBraces:
        return text


# What people read as part of one number between its digits: spaces, brackets, dots and dashes
# of every kind (12–34–56 with en dashes, or with figure dashes or minus signs, is dialled like
# 12-34-56), underscores and middle dots. Not a slash: 24/7 is no number to dial.
# (After NFKC, which folds the small and full-width hyphens into "-".)
NUMBER_JOINERS = r"().\-\u2010-\u2015\u2212_\u00b7\u2027\u2219\u2022"
# Three or more digits, possibly after a + and split by those joiners: a phone number in the
# making. Numbers come from the hotline registry only, never from text that translators handle.
# The campaign, registry and translation checks all look for these, in ``number_reading``.
PHONE_LIKE_LENGTH = 3  # digits that can be dialled: short codes have three
PHONE_LIKE = re.compile(rf"\+?\d[\d\s{NUMBER_JOINERS}]*\d[\d\s{NUMBER_JOINERS}]*\d")


class _WithoutMarks(dict):
    """A ``str.translate`` table that drops every mark (Unicode category M), filled as
    characters are met, up to ``KEPT`` of them (a catalog could hold every character there is):
    a build reads every text several times over, character by character."""

    KEPT = 4096

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)).startswith("M") else code
        if len(self) < self.KEPT:
            self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks()


def number_reading(text: str) -> str:
    """The text as its digits are read: compatibility forms folded (superscript and full-width
    digits are digits) and combining marks dropped (1̣2̣3̣ with a dot below each digit still
    reads 123)."""
    return unicodedata.normalize("NFKC", text).translate(_WITHOUT_MARKS)


def typed_numbers(text: str) -> list[str]:
    """The phone-like numbers written into a text, as ``number_reading`` reads it."""
    return [match.group().strip(" ().-") for match in PHONE_LIKE.finditer(number_reading(text))]


# ------------------------------------------------------------------ characters

# Letters (and a few symbols) that a hurried reader takes for a digit in Noto Sans at leaflet
# sizes, grouped by the digit they pass for: next to a number they read as part of it
# (З{hotline}б looks like 39166). Taken from Unicode's confusables for the digits, in the scripts
# the leaflets are written in (Latin, Cyrillic, Greek, Armenian, Arabic). Lower-case letters that
# pass for a digit only in other typefaces (b, g, q, s, z) are left out: every word that begins
# with one would otherwise be refused beside a number.
# The letters Noto Sans draws as a digit with a tail, a stroke or two dots (Ꝫ as 3, Ꝯ as 9,
# Ӟ, Ҙ, Ӵ, Ƅ) pass for it too.
ZERO_LOOK_ALIKES = "OoОоΟοՕօ○◯ᴏӨөΘθѲѳ"
DIGIT_LOOK_ALIKES = frozenset(
    ZERO_LOOK_ALIKES +  # 0
    "lIІӀӏΙǀ|اıιɩɪ"  # 1
    "ZƧƨΖƻ"  # 2
    "ЗзƷʒȜȝӠӡɜꝪꝫҘҙӞӟ"  # 3
    "ЧчӴӵҶҷҸҹ"  # 4
    "SƼƽЅ"  # 5
    "бБGƄƅ"  # 6
    "BВΒȢȣ"  # 8
    "ցꝮꝯ"  # 9
)
# Characters that change what is dialled when they stand against a number (+916, *916#).
DIAL_SYMBOLS = frozenset("+*#")
# Joiners a script needs between two of its letters (Persian writes ZWNJ inside words).
SCRIPT_JOINERS = frozenset("\u200c\u200d")
# Characters drawn as nothing although Unicode calls them letters, marks or symbols.
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
# What may join a grammatical ending to a number: {hotline}-ya, {hotline}'a.
SUFFIX_JOINERS = frozenset("-'’ʼ‐‑")
# Format, control, private-use and surrogate characters, and the line and paragraph separators
# (U+2028, U+2029: a line break nobody sees in an editor, which balanced lines cannot measure).
_INVISIBLE_CATEGORIES = ("Cf", "Cc", "Co", "Cs", "Zl", "Zp")


def _is_variation_selector(char: str) -> bool:
    return "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef"


# What str.isprintable() lets through that _is_invisible flags: it refuses every character of
# the categories C and Z but the space, so a printable text without these has nothing invisible.
_PRINTABLE_YET_INVISIBLE = re.compile("[" + "".join(map(re.escape, sorted(BLANK_LOOKING)))
                                      + "\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def _is_invisible(char: str) -> bool:
    return (unicodedata.category(char) in _INVISIBLE_CATEGORIES and char not in "\n\t") \
        or char in BLANK_LOOKING or _is_variation_selector(char)


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _kind(char: str) -> str:
    """How a character reads beside a number: digit, look-alike, letter, mark (a combining
    mark: part of the letter before it), dial, invisible, or separator (spaces, punctuation,
    other symbols)."""
    normal = unicodedata.normalize("NFKC", char)
    category = unicodedata.category(char)
    if category.startswith("N") or any(c.isdigit() for c in normal):
        return "digit"  # ² and ９ and Ⅳ too
    if char in DIGIT_LOOK_ALIKES or (normal and normal[0] in DIGIT_LOOK_ALIKES):
        return "look-alike"  # Ｏ and 𝐎 too
    if _is_invisible(char):
        return "invisible"
    if category.startswith("M"):
        return "mark"  # part of the letter before it; alone, it is no word
    if _is_letter(char):
        return "letter"
    if normal in DIAL_SYMBOLS:
        return "dial"
    return "separator"


def shorten(text: str, length: int = 30) -> str:
    """A piece of a text short enough to quote in a message."""
    return text if len(text) <= length else text[:length - 1] + "…"


def character_name(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: how a message names a character that may not show."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'without a name')}"


def has_visible_text(text: str) -> bool:
    """Whether the text shows anything: a msgstr of spaces, U+200B or other invisible characters
    is not a translation."""
    return any(unicodedata.category(c)[0] in "LNPS" and c not in BLANK_LOOKING for c in text)


def invisible_character_problems(text: str) -> list[str]:
    """Invisible format and control characters: they can reorder what the page shows (U+202E),
    join text to a number (U+00AD, U+2060) or hide words. A joiner between two letters, which
    some scripts need, is allowed."""
    if text.isprintable() and not _PRINTABLE_YET_INVISIBLE.search(text):
        return []  # most texts: judged without a look at each character
    found = []
    for index, char in enumerate(text):
        if not _is_invisible(char):
            continue
        if char in SCRIPT_JOINERS and 0 < index < len(text) - 1 \
                and _is_letter(text[index - 1]) and _is_letter(text[index + 1]):
            continue
        found.append(f"the invisible character {character_name(char)} can change what the "
                     "page shows (reorder or join the words around it, or hide them): delete "
                     "it; your editor may show it as nothing at all")
    return list(dict.fromkeys(found))


# ------------------------------------------------------------------ around a number

def number_neighbour_problems(text: str, found: list[Placeholder],
                              right_to_left: bool = False) -> list[str]:
    """What stands around each placeholder of ``text`` (``found``, from ``parse``) and would be
    read as part of its number, on a page written left to right or ``right_to_left``. The side
    before a placeholder is read on the mirrored text, so that one scan serves both sides."""
    mirrored, size = text[::-1], len(text)
    starts = {p.start: p for p in found}
    mirrored_starts = {size - p.end: p for p in found}
    problems = []
    for placeholder in found:
        problems += _following_problems(text, placeholder.end, starts, placeholder, "after",
                                        right_to_left)
        problems += _following_problems(mirrored, size - placeholder.start, mirrored_starts,
                                        placeholder, "before", right_to_left)
    return list(dict.fromkeys(problems))


@dataclass(frozen=True)
class _Side:
    """One side of a placeholder, read forwards from it: for the side before it, ``text`` is
    the mirrored text (``side`` is "before") and ``starts`` where placeholders start in it."""

    text: str
    starts: dict[int, Placeholder]
    placeholder: Placeholder
    side: str
    right_to_left: bool

    @property
    def where(self) -> str:
        return f"{self.side} {self.placeholder.text}"

    def shown(self, part: str) -> str:
        """A part of ``text`` as the sentence writes it."""
        return shorten(part[::-1] if self.side == "before" else part)

    def next_word(self, position: int) -> int:
        """Past the spaces, punctuation, symbols and invisible characters (reported on their
        own) from ``position``: they do not separate two numbers, only a word does."""
        text = self.text
        while position < len(text) and position not in self.starts \
                and _kind(text[position]) in ("separator", "invisible", "dial", "mark"):
            position += 1
        return position

    def separating_word(self, index: int) -> int:
        """Where the nearest word, number or placeholder from ``index`` starts. Words in the
        other writing direction are reordered by the page (a Hebrew word between {hotline} and
        24 in a Russian sentence shows as 916 24 א): they do not separate either."""
        text, end = self.text, self.next_word(index)
        while end < len(text) and end not in self.starts and _kind(text[end]) != "digit" \
                and _other_direction(word := _word(text, end), self.right_to_left) \
                and not _looks_like_digits(word):
            end = self.next_word(end + len(word))
        return end


def _following_problems(text: str, index: int, starts: dict[int, Placeholder],
                        placeholder: Placeholder, side: str, right_to_left: bool) -> list[str]:
    """What follows a placeholder that ends at ``index``, up to the nearest word, number or
    placeholder. ``side`` is "before" when ``text`` is mirrored."""
    around = _Side(text, starts, placeholder, side, right_to_left)
    if index < len(text) and index not in starts:
        touching = _touching_problem(around, index)
        if touching is not None:
            return [touching]
    return _problems_across_gap(around, index, around.separating_word(index))


def _touching_problem(around: _Side, index: int) -> str | None:
    """What is wrong with the character right beside the placeholder, at ``index``."""
    touching, kind, where = around.text[index], _kind(around.text[index]), around.where
    if kind == "digit":
        return (f"the number '{around.shown(_word(around.text, index))}' is written right "
                f"{where}, so the page shows it as part of the number: delete it")
    if kind == "look-alike":
        return (f"'{touching}' right {where} looks like a digit and would be read as part of "
                "the number: rewrite the sentence so that a word stands between them")
    if kind in ("letter", "mark"):
        return (f"the letter '{touching}' is written right {where}: put a space between "
                "them (a grammatical ending may follow a hyphen or an apostrophe: "
                f"{around.placeholder.text}-ya)")
    if kind == "dial":
        return f"'{touching}' right {where} changes the number people dial: delete it"
    return None


def _problems_across_gap(around: _Side, index: int, end: int) -> list[str]:
    """What is wrong with the number, placeholder or word at ``end``, seen from the placeholder
    across the gap from ``index``, which holds no word."""
    text, where = around.text, around.where
    gap = around.shown(text[index:end])
    between = _described_gap(gap)
    if end in around.starts:
        return [f"{around.placeholder.text} and {around.starts[end].text} stand with {between} "
                "between them, so their numbers read as one: put words between them"] \
            if around.side == "after" else []
    if end == index or end == len(text):
        return []
    word = _word(text, end)
    if _kind(word[0]) == "digit":
        return [f"the number '{around.shown(word)}' stands {where} with {between} between "
                "them, so it reads as part of the number: put at least one word between them, "
                "or delete it"]
    if _looks_like_digits(word):
        return [f"'{around.shown(word)}' {where} looks like digits and would be read as part of "
                "the number: rewrite the sentence so that a word that cannot pass for digits "
                "stands between them"]
    if gap in SUFFIX_JOINERS and _kind(word[0]) == "look-alike":
        return [f"the ending '{around.shown(text[index:end] + word)}' {where} starts with "
                f"'{word[0]}', which looks like a digit, so the number seems to go on: write the "
                "ending as a separate word, or rewrite the sentence"]
    return []


def _described_gap(gap: str) -> str:
    """The gap between a placeholder and what follows it, in words for a message."""
    between = "nothing" if not gap else "only a space" if not gap.strip() else "only '{}'".format(
        "".join(f"<{character_name(c)}>" if _is_invisible(c) else c for c in gap))
    if any(_is_letter(c) for c in gap):
        between += " (words in the other writing direction, which the page moves aside)"
    return between


# Words made only of digits and letters that pass for digits, joined as a number's digits are
# (9 l 6, 9–l–6), each a whole word: part of a longer word is read as a word.
_DIGIT_LIKE = "[\\d" + re.escape("".join(sorted(DIGIT_LOOK_ALIKES))) + "]+(?![^\\W_])"
_DIGIT_LIKE_RUN = re.compile(rf"(?<![^\W_]){_DIGIT_LIKE}(?:[\s{NUMBER_JOINERS}]{{1,3}}{_DIGIT_LIKE})*")


def disguised_numbers(text: str) -> list[str]:
    """Numbers of three characters or more spelt with letters that pass for digits (ІОЗ reads
    as 103), alone or among digits (9l6, 1O2, 9 l 6): a number that no digit check sees. Noughts
    alone (ООО, a Russian company's abbreviation) dial nothing. Read as ``number_reading`` reads
    digits: a mark on each letter (З́l̃З́) hides nothing."""
    found = []
    for run in _DIGIT_LIKE_RUN.finditer(number_reading(text)):
        characters = [c for c in run.group() if _kind(c) in ("digit", "look-alike")]
        if len(characters) >= PHONE_LIKE_LENGTH and not set(characters) <= set(ZERO_LOOK_ALIKES) \
                and any(_kind(c) == "look-alike" for c in characters):
            found.append(run.group())
    return found


# The texts the templates print in capitals (CSS ``text-transform: uppercase``: a cover's kicker,
# the title; a directory's column headings), by their catalog context. In capitals a word can
# read as a number that it does not read as written: bio is printed BIO, 810.
CAPITALS_CONTEXTS = frozenset({"campaign title", "directory column"})


def disguised_in_capitals(text: str) -> list[str]:
    """The words of ``text`` that read as a number once printed in capitals, and not as
    written (see ``disguised_numbers``), as printed."""
    as_written = {word.upper() for word in disguised_numbers(text)}
    return [word for word in dict.fromkeys(disguised_numbers(text.upper()))
            if word not in as_written]


def _looks_like_digits(word: str) -> bool:
    return all(_kind(c) == "look-alike" for c in word)


def _other_direction(word: str, right_to_left: bool) -> bool:
    """Whether a word is written only in the direction opposite to the page's."""
    strong = {unicodedata.bidirectional(c) for c in word} - {"NSM"}
    return bool(strong) and strong <= ({"L"} if right_to_left else {"R", "AL"})


def _word(text: str, index: int) -> str:
    """The digits, or the letters (look-alikes included), that start at ``index``."""
    def same(char: str) -> bool:
        kind = _kind(char)
        return kind == "digit" if digits else kind in ("letter", "look-alike", "mark")

    digits = _kind(text[index]) == "digit"
    end = index
    while end < len(text) and text[end] not in "{}" and same(text[end]):
        end += 1
    return text[index:end]

"""Typography per language: the rules a text follows before it is printed, and balanced lines.

**Rules per language.** ``RULES`` holds one ``TypographyRules`` per language, as data: the short
words that never end a line, the words kept with a phone number, no-break spaces before dashes,
the quotation marks that replace straight ones, and the CLDR locale whose long date format prints
the edition date. A new language adds its own entry here; a language without one is printed as
written, with its own CLDR date format. ``render.py`` applies a leaflet's rules to every
translated text (``LeafletTexts.escape_literal``) and to the edition date.

**Balanced lines.** Headlines, headings and calls to action never end on a single word, and their
lines are balanced. The breaks are chosen by measuring, in two passes over the same template:

1. The leaflet is rendered with each such text (the ``no_widow`` filter) wrapped in
   ``<span data-balance="N">`` and laid out by WeasyPrint. ``balanced_line_breaks`` reads, for
   each marked text, the width of the block its lines were set in, how many lines they took, and
   its words with their computed styles (the number inside a call to action is bolder and larger
   than the words around it).
2. Each candidate line is measured with WeasyPrint's own Pango text layout (the font in use, its
   weight, size, letter spacing and kerning); of the breaks that keep the same number of lines,
   the one whose lines are most even is kept, with at least two words on the last line. The
   leaflet is rendered again with ``<br>`` at those breaks.

Measuring the laid-out page, rather than passing widths and sizes from the templates to the
filter, keeps one source of truth: a template's CSS (flex items, padding, a QR code beside the
text) decides the width, and the template only says which texts to balance. A ``<br>`` forces a
break but forbids none: if a line were ever measured too short, WeasyPrint would still wrap it
rather than let it overflow.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from babel.dates import format_date
from markupsafe import Markup
from weasyprint import Document
from weasyprint.formatting_structure import boxes

from .weasyprint_internals import children, page_box, text_width

NBSP = "\u00a0"
DASHES = "\u2014\u2013"  # an em dash, and an en dash set with spaces as a dash


@dataclass(frozen=True)
class TypographyRules:
    """How one language is set. Words are matched whole and in any case ("В" as "в")."""

    # Short prepositions, conjunctions and particles that never end a line: each is kept with
    # the word after it by a no-break space.
    bound_to_next: frozenset[str] = frozenset()
    # Enclitic particles that never start a line: kept with the word before them.
    bound_to_previous: frozenset[str] = frozenset()
    # Words kept with the phone number that follows them ("по номеру 916"); the number is the
    # value of a placeholder, so these words are the last of the text before it.
    before_number: frozenset[str] = frozenset()
    # Words kept with the phone number before them ("916 nömrəsinə").
    after_number: frozenset[str] = frozenset()
    # A no-break space before a dash set between spaces, so that no line starts with a dash.
    space_before_dash: bool = False
    # Straight quotes "…" and '…' become these: opening and closing double, then single; a
    # straight apostrophe inside a word becomes the closing single quote (’).
    quotes: tuple[str, str, str, str] | None = None
    # The CLDR locale whose long date format prints dates; None: the leaflet's own locale.
    date_locale: str | None = None

    def apply(self, text: str) -> str:
        """``text`` (plain, before escaping) set by these rules. ``text`` may be the literal
        part of a translation before or after a placeholder: a space at its end or start is
        then where the number goes."""
        if self.quotes:
            text = _curl_quotes(text, self.quotes)
        if self.space_before_dash:
            text = re.sub(f" ([{DASHES}])(?= |$)", f"{NBSP}\\1", text)
        if self._next_word:
            text = self._next_word.sub(f"\\1{NBSP}", text)
        if self._previous_word:
            text = self._previous_word.sub(f"{NBSP}\\1", text)
        if self._before_number:
            text = self._before_number.sub(f"\\1{NBSP}", text)
        if self._after_number:
            text = self._after_number.sub(f"{NBSP}\\1", text)
        return text

    def format_date(self, date: dt.date, locale: str) -> str:
        return format_date(date, "long", locale=self.date_locale or locale)

    @cached_property
    def _next_word(self) -> re.Pattern | None:
        return _word_pattern(self.bound_to_next, r"(?<![\w-])({}) (?=\S|$)")  # $: a number follows

    @cached_property
    def _previous_word(self) -> re.Pattern | None:
        return _word_pattern(self.bound_to_previous, r"(?<=\w) ({})(?![\w-])")

    @cached_property
    def _before_number(self) -> re.Pattern | None:
        return _word_pattern(self.before_number, r"(?<![\w-])({}) $")

    @cached_property
    def _after_number(self) -> re.Pattern | None:
        return _word_pattern(self.after_number, r"^ ({})(?![\w-])")


def _word_pattern(words: frozenset[str], pattern: str) -> re.Pattern | None:
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(pattern.format(alternatives), re.IGNORECASE)


_OPENS_AFTER = " \u00a0([{\u2014\u2013-/"  # a quote after these (or first) opens
_CLOSES_BEFORE = " \u00a0.,;:!?)]}\u2026\u2014\u2013-"  # a quote before these (or last) closes


def _curl_quotes(text: str, quotes: tuple[str, str, str, str]) -> str:
    """Straight quotes that open or close a quotation in prose curled, and apostrophes between
    letters; any other (``src="x"``) left as written."""
    open_double, close_double, open_single, close_single = quotes
    out = []
    for i, char in enumerate(text):
        if char in "\"'":
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            double = char == '"'
            if before in _OPENS_AFTER and not after.isspace():
                char = open_double if double else open_single
            elif not before.isspace() and after in _CLOSES_BEFORE:
                char = close_double if double else close_single
            elif not double and before.isalpha() and after.isalpha():
                char = close_single  # an apostrophe: employer’s
        out.append(char)
    return "".join(out)


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


RULES: dict[str, TypographyRules] = {
    "ru": TypographyRules(
        # Prepositions, conjunctions and particles of one to three letters, and the personal
        # pronouns of one or two that open a clause ("я", "вы"): a line never ends on them.
        bound_to_next=_set("""
            в во к ко с со о об обо у по на за до от ото из изо без для при про над под меж
            вне из-за из-под и а но да или ни не что как чем то я мы вы ты он
        """),
        bound_to_previous=_set("ли ль же ж бы б"),
        before_number=_set("номеру номер телефону телефон тел."),
        space_before_dash=True,
        quotes=("«", "»", "„", "“"),
    ),
    "az": TypographyRules(
        bound_to_next=_set("və ya"),  # and, or
        bound_to_previous=_set("da də"),
        after_number=_set("nömrəsinə nömrəsi nömrəyə"),
        space_before_dash=True,
        quotes=("“", "”", "‘", "’"),
    ),
    "en": TypographyRules(
        before_number=_set("call dial"),
        quotes=("“", "”", "‘", "’"),
        date_locale="en_GB",  # 1 December 2026: the British style, not December 1, 2026
    ),
}
AS_WRITTEN = TypographyRules()


def rules_for(locale: str) -> TypographyRules:
    """The rules of ``locale`` ("ru", or "pt_BR" then "pt"); none for a language without its
    own entry in ``RULES``."""
    return RULES.get(locale) or RULES.get(re.split("[_-]", locale)[0]) or AS_WRITTEN


# --- Balanced lines -----------------------------------------------------------------------

BALANCE_ATTRIBUTE = "data-balance"
_TOKENS = re.compile(r"<[^>]*>|[^<]+")
_GAP = re.compile(r" +")
_VOID = re.compile(r"<(br|img|wbr)\b|/>$")
FIT_TOLERANCE_PX = 0.5  # a candidate line must leave this much room: rounding in the layout


@dataclass(frozen=True)
class LineBreaks:
    """Where one marked text breaks: its word count when it was measured, and the gaps between
    words (0: the one after the first word) that end a line."""

    words: int
    after: tuple[int, ...]


@dataclass
class BalancedTexts:
    """The ``no_widow`` filter's state for one rendering: the texts are numbered in the order
    the template prints them, the same in both passes."""

    plan: Mapping[int, LineBreaks] = field(default_factory=dict)
    count: int = 0

    def mark(self, html: Markup) -> Markup:
        """``html`` wrapped in its numbered marker, with ``<br>`` where the plan breaks it."""
        number = self.count
        self.count += 1
        breaks = self.plan.get(number)
        if breaks is not None:
            html = _break_at(html, breaks)
        return Markup('<span {}="{}">').format(BALANCE_ATTRIBUTE, number) + html + \
            Markup("</span>")


def _break_at(html: Markup, breaks: LineBreaks) -> Markup:
    """``<br>`` after the chosen gaps between words: the spaces outside any element (the
    number's own spaces are not places to break). The space stays, dropped at the line's end by
    layout, so that the text read from the element (a booklet's running foot, a PDF's text)
    keeps its words apart. Unchanged if the text has not as many words
    as were measured."""
    pieces: list[str] = []
    gaps: list[int] = []  # indices in pieces of the gaps
    depth = 0
    for token in _TOKENS.findall(str(html)):
        if token.startswith("<"):
            pieces.append(token)
            if token.startswith("</"):
                depth -= 1
            elif not _VOID.search(token):
                depth += 1
            continue
        if depth:
            pieces.append(token)
            continue
        for index, part in enumerate(_GAP.split(token)):
            if index:
                gaps.append(len(pieces))
                pieces.append(" ")
            pieces.append(part)
    words = len(gaps) + 1 - (html.startswith(" ")) - (html.endswith(" "))
    if words != breaks.words:
        return html
    for gap in breaks.after:
        pieces[gaps[gap]] = " <br>"
    return Markup("".join(pieces))


Style = Mapping[str, Any]  # a box's computed style: WeasyPrint's, CSS property → value
Word = list[tuple[str, Style]]  # a word's runs of text, each with its computed style


@dataclass
class _Marked:
    """A marked text as laid out: its lines, the width they were set in, its words as styled
    runs of text."""

    width: float = 0.0
    lines: int = 0
    words: list[Word] = field(default_factory=list)


def balanced_line_breaks(document: Document) -> dict[int, LineBreaks]:
    """For each text marked ``data-balance`` set on two lines or more, the breaks that keep its
    number of lines, leave at least two words on the last and make the lines most even. A text
    whose words allow no such breaks (two long words on a narrow line) is left as laid out."""
    plan = {}
    for number, marked in _read_marked(document).items():
        # Two words that may part on the last line if possible, else two bound together
        # ("или задержали").
        breaks = _best_breaks(marked, _separate_words) or _best_breaks(marked, _bound_words)
        if breaks is not None:
            plan[number] = LineBreaks(len(marked.words), breaks)
    return plan


def _read_marked(document: Document) -> dict[int, _Marked]:
    found: dict[int, _Marked] = {}
    for page in document.pages:
        for line, block in _lines(page_box(page), None):
            for marker in _markers(line):
                marked = found.setdefault(int(marker.element.get(BALANCE_ATTRIBUTE)), _Marked())
                marked.width = max(marked.width, block.width)
                marked.lines += 1
                marked.words.append([])  # a line's end always ends a word
                for text, style in _runs(marker):
                    breakable = style["white_space"] in ("normal", "pre-wrap", "pre-line")
                    for index, part in enumerate(text.split(" ") if breakable else [text]):
                        if index:
                            marked.words.append([])
                        if part:
                            marked.words[-1].append((part, style))
    for marked in found.values():
        marked.words = [word for word in marked.words if word]
    return found


def _lines(box, block) -> Iterator[tuple[boxes.LineBox, boxes.BlockContainerBox]]:
    if isinstance(box, boxes.LineBox):
        yield box, block
        return
    if isinstance(box, boxes.BlockContainerBox):
        block = box
    for child in children(box):
        yield from _lines(child, block)


def _markers(box) -> Iterator[boxes.InlineBox]:
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.InlineBox) and child.element is not None \
                and child.element_tag == "span" and child.element.get(BALANCE_ATTRIBUTE):
            yield child
        elif isinstance(child, boxes.InlineBox):
            yield from _markers(child)


def _runs(box) -> Iterator[tuple[str, Style]]:
    for child in box.children:
        if isinstance(child, boxes.TextBox):
            yield child.text, child.style
        elif isinstance(child, boxes.ParentBox):
            yield from _runs(child)


# A break after a word ending a clause may leave its lines this much less even (in the squared
# share of the width left empty): "A job abroad? / Check before you go" rather than
# "A job abroad? Check / before you go".
CLAUSE_END = re.compile(r"[.?!:;\u2014\u2013]$")
CLAUSE_BONUS = 0.15
COMMA_BONUS = 0.05


def _separate_words(line: list[Word]) -> int:
    return len(line)


def _bound_words(line: list[Word]) -> int:
    """Words on a line, counting those bound by a no-break space one by one."""
    return sum(1 + sum(text.count(NBSP) for text, _ in word) for word in line)


def _best_breaks(marked: _Marked, count_words: Callable[[list[Word]], int]
                 ) -> tuple[int, ...] | None:
    """The gaps to break at, by dynamic programming over where each line starts: every line
    fits, the last has two words or more (as ``count_words`` counts them), and the sum of the squared shares of the width each
    line leaves empty is least (so the lines are as even as they can be), less a bonus for each
    break after a clause."""
    words, lines = marked.words, marked.lines
    count = len(words)
    if lines < 2:
        return None
    room = marked.width - FIT_TOLERANCE_PX
    widths: dict[tuple[int, int], float] = {}

    def width(start: int, end: int) -> float:
        if (start, end) not in widths:
            widths[start, end] = _measure(words[start:end])
        return widths[start, end]

    # best[k][i]: (cost, breaks) of setting words[:i] on k lines.
    best: list[dict[int, tuple[float, tuple[int, ...]]]] = [{0: (0.0, ())}]
    for k in range(1, lines + 1):
        last = k == lines
        row = {}
        for end in ([count] if last else range(k, count - (lines - k) + 1)):
            options = []
            for start, (cost, breaks) in best[k - 1].items():
                if start >= end or (last and count_words(words[start:end]) < 2):
                    continue
                line = width(start, end)
                if line > room:
                    continue
                empty = ((room - line) / room) ** 2
                bonus = 0 if last else _bonus(words[end - 1])
                options.append((cost + empty - bonus, breaks + ((start - 1,) if start else ())))
            if options:
                row[end] = min(options)
        best.append(row)
    return best[lines][count][1] if count in best[lines] else None


def _bonus(word: Word) -> float:
    """The bonus for breaking after ``word``."""
    text = word[-1][0]
    return CLAUSE_BONUS if CLAUSE_END.search(text) else COMMA_BONUS if text.endswith(",") else 0


def _measure(words: list[Word]) -> float:
    """The width of ``words`` set on one line, in CSS pixels: each run of one style measured by
    Pango as WeasyPrint sets it, the space between two words in the style of the first."""
    runs: list[list] = []
    for index, word in enumerate(words):
        for position, (text, style) in enumerate(word):
            if index and not position:
                runs[-1][0] += " "
            if runs and runs[-1][1] is style:
                runs[-1][0] += text
            else:
                runs.append([text, style])
    return sum(text_width(text, style) for text, style in runs)

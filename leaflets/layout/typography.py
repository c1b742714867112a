"""Typography per language: the rules a text follows before it is printed, and balanced lines.

**Rules per language.** ``RULES`` holds one ``TypographyRules`` per language, as data: the short
words that never end a line, the words kept with a phone number, no-break spaces before dashes,
the quotation marks that replace straight ones, and the CLDR locale whose long date format prints
the edition date. A new language adds its own entry here; a language without one is printed as
written, with its own CLDR date format. ``render.py`` applies a leaflet's rules to every
translated text (``LeafletTexts.escape_literal``) and to the edition date.

**Balanced lines.** Headlines, headings and calls to action never end on a single word, and their
lines are balanced. The breaks are chosen while WeasyPrint lays the leaflet out, once:

1. The ``no_widow`` filter wraps each such text in ``<span data-balance="">`` (``MARKER``).
2. When WeasyPrint sets the lines of a block holding one, ``BALANCER`` (installed by
   ``weasyprint_internals.amend_layout``) sees the lines it set greedily, and reads the width of
   the block, how many lines the text took, and its words with their computed styles (the
   number inside a call to action is bolder and larger than the words around it).
3. Each candidate line is measured with WeasyPrint's own Pango text layout (the font in use, its
   weight, size, letter spacing and kerning); of the breaks that keep the same number of lines,
   the one whose lines are most even is kept, with at least two words on the last line. The
   block's lines are set again with a forced break (as ``<br>`` makes) at each.

Measuring the block as it is laid out, rather than passing widths and sizes from the templates to
the filter, keeps one source of truth: a template's CSS (flex items, padding, a QR code beside the
text) decides the width, and the template only says which texts to balance. A forced break
forbids no other: if a line were ever measured too short, WeasyPrint would still wrap it rather
than let it overflow. The HTML itself carries no breaks, so a text read from its element (a
booklet's running foot) is the text as written.
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
from weasyprint.formatting_structure import boxes

from .weasyprint_internals import LineBalancer, text_width

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
FIT_TOLERANCE_PX = 0.5  # a candidate line must leave this much room: rounding in the layout
# What the no_widow filter wraps a text in: marked, it is set by BALANCER.
MARKER = Markup('<span {}="">').format(BALANCE_ATTRIBUTE), Markup("</span>")


Style = Mapping[str, Any]  # a box's computed style: WeasyPrint's, CSS property → value
Word = list[tuple[str, Style]]  # a word's runs of text, each with its computed style


@dataclass
class _Marked:
    """A marked text as laid out: its lines, the width they were set in, its words as styled
    runs of text, and how many of them each line after the first started with."""

    width: float = 0.0
    lines: int = 0
    words: list[Word] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)


def _marked_in(line_box: boxes.LineBox) -> bool:
    return next(_markers(line_box), None) is not None


def _rebalanced(line_box: boxes.LineBox, lines: list[boxes.LineBox],
                width: float) -> boxes.LineBox | None:
    """The block's inline content with a forced break where each marked text it holds, set on
    two lines or more, breaks best: the same number of lines, at least two words on the last,
    the lines most even. None when every marked text stays as laid out: already so, or its words
    allow no such breaks (two long words on a narrow line)."""
    plan = {}
    for element, marked in _read_marked(lines, width).items():
        # Two words that may part on the last line if possible, else two bound together
        # ("или задержали").
        breaks = _best_breaks(marked, _separate_words) or _best_breaks(marked, _bound_words)
        if breaks is not None and list(breaks) != [start - 1 for start in marked.line_starts]:
            plan[element] = (len(marked.words), breaks)
    if not plan:
        return None
    rebroken = line_box.deepcopy()
    for marker in _markers(rebroken):
        if marker.element in plan:
            _break_marker(marker, *plan[marker.element])
    return rebroken


# A headline, heading or call to action takes a few lines (4 at most in the sample campaigns,
# pseudo-translated too). A marked text set on more is prose a translator made of it (a QR
# caption has no length budget, and a budget noted in a catalog can be deleted): it is left as
# laid out, unread, so that a long one costs no more than a short one.
MOST_BALANCED_LINES = 10
BALANCER = LineBalancer(wants=_marked_in, rebreak=_rebalanced, most_lines=MOST_BALANCED_LINES)


def _read_marked(lines: list[boxes.LineBox], width: float) -> dict[Any, _Marked]:
    """Each marked text on a block's laid-out ``lines`` (by its element), read as words."""
    found: dict[Any, _Marked] = {}
    for line in lines:
        for marker in _markers(line):
            marked = found.setdefault(marker.element, _Marked(width))
            if marked.lines:
                marked.line_starts.append(len([word for word in marked.words if word]))
            marked.lines += 1
            marked.words.append([])  # a line's end always ends a word
            for text, style in _runs(marker):
                for index, part in enumerate(_words_of(text, style)):
                    if index:
                        marked.words.append([])
                    if part:
                        marked.words[-1].append((part, style))
    for marked in found.values():
        marked.words = [word for word in marked.words if word]
    return found


def _words_of(text: str, style: Style) -> list[str]:
    """A run's text split where a line may break between words: at spaces, unless its style
    keeps it on one line (the number)."""
    breakable = style["white_space"] in ("normal", "pre-wrap", "pre-line")
    return text.split(" ") if breakable else [text]


def _break_marker(marker: boxes.InlineBox, words: int, after: tuple[int, ...]) -> None:
    """Force a line break, as ``<br>`` does, at each gap in ``after`` (0: the one after the
    first word) of the marked text, in place. The break goes before the gap's space, which
    layout drops at the start of the next line: a space before it would count in the width of
    the line it ends, and could push its last word onto a line of its own. Left as it is if the
    text has not as many words as were measured (a word broken inside by the layout)."""
    gaps: dict[int, tuple[boxes.TextBox, int]] = {}  # gap → the text box and index of its space
    count, in_word = 0, False
    for text_box in _text_boxes(marker):
        offset = 0
        for index, part in enumerate(_words_of(text_box.text, text_box.style)):
            if index:
                in_word = False
                gaps.setdefault(count - 1, (text_box, offset - 1))
            if part and not in_word:
                count, in_word = count + 1, True
            offset += len(part) + 1
    if count != words:
        return
    cuts: dict[int, list[int]] = {}
    for gap in after:
        text_box, space = gaps[gap]
        cuts.setdefault(id(text_box), []).append(space)
    _cut_text_boxes(marker, cuts)


def _text_boxes(box) -> Iterator[boxes.TextBox]:
    for child in box.children:
        if isinstance(child, boxes.TextBox):
            yield child
        elif isinstance(child, boxes.ParentBox):
            yield from _text_boxes(child)


def _cut_text_boxes(box, cuts: dict[int, list[int]]) -> None:
    """Split each text box named in ``cuts`` (by id) at its offsets, with a forced line break
    (a text box of one newline, set ``white-space: pre-line`` like ``<br>``'s) between."""
    pieces = []
    for child in box.children:
        if isinstance(child, boxes.ParentBox):
            _cut_text_boxes(child, cuts)
        if not isinstance(child, boxes.TextBox) or id(child) not in cuts:
            pieces.append(child)
            continue
        bounds = [0, *sorted(cuts[id(child)]), len(child.text)]
        for number, (start, end) in enumerate(zip(bounds, bounds[1:])):
            if number:
                pieces.append(_forced_break(child))
            if end > start:
                pieces.append(child.copy_with_text(child.text[start:end]))
    box.children = pieces


def _forced_break(text_box: boxes.TextBox) -> boxes.TextBox:
    newline = text_box.copy_with_text("\n")
    newline.style = text_box.style.copy()
    newline.style["white_space"] = "pre-line"
    return newline


def _markers(box) -> Iterator[boxes.InlineBox]:
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.InlineBox) and child.element is not None \
                and child.element_tag == "span" and child.element.get(BALANCE_ATTRIBUTE) is not None:
            yield child
        elif isinstance(child, boxes.InlineBox):
            yield from _markers(child)


def _runs(box) -> Iterator[tuple[str, Style]]:
    for text_box in _text_boxes(box):
        yield text_box.text, text_box.style


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
    fits, the last has two words or more (as ``count_words`` counts them), and the sum of the
    squared shares of the width each line leaves empty is least (so the lines are as even as
    they can be), less a bonus for each break after a clause. Lines are measured from their end
    back, only while the words fit (every run of words: a 400-word caption took minutes)."""
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
            for start in range(end - 1, -1, -1):
                line = width(start, end)
                if line > room:
                    break
                if start not in best[k - 1] or (last and count_words(words[start:end]) < 2):
                    continue
                cost, breaks = best[k - 1][start]
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

"""The rules a translation must follow, and the check of whole catalogs against them.

Translations are untrusted text. Two kinds of rule:

- safety: placeholders kept as they are; nothing around a placeholder that would be read as part
  of its number (text_rules.py); no invisible format characters; and no number, address, e-mail
  or phone number that the English does not have (people call what the leaflet says; a typo or a
  planted number in a translation must never reach print). Plural forms as CLDR counts them for
  the language: a Plural-Forms header that picks others, or a plural entry with another number
  of forms, was written for another rule. The build refuses a catalog that breaks one.
- quality: no markup (it would print as characters), within the length budget of the space the
  text must fit, and a header that names the folder's language and has a Plural-Forms.
  ``translations check`` reports these too.
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polib
from babel import Locale
from babel.core import get_global, parse_locale
from babel.messages.plurals import get_plural

from ..problems import InputError, Problem
from .pofile import duplicate_problems, excerpt, parse_po
from .text_rules import (
    CAPITALS_CONTEXTS,
    PHONE_LIKE,
    BrokenBraces,
    Placeholder,
    disguised_in_capitals,
    disguised_numbers,
    has_visible_text,
    invisible_character_problems,
    literal_text,
    number_neighbour_problems,
    number_reading,
    placeholders,
    shorten,
)

BUDGET_NOTE = "Length budget: {} characters"
_BUDGET = re.compile(r"^Length budget: (\d+) characters$", re.MULTILINE)
_DIGITS = re.compile(r"\d+")
# Each starts only where a run of the characters it is made of starts (the look-behinds), so that
# a long run that is no address costs one attempt, not one per character: translations are
# untrusted, and a check must not take minutes on a hostile one.
_URL = re.compile(r"(?<![a-z0-9+.-])(?:[a-z][a-z0-9+.-]*://|www\.|(?:mailto|tel|sms):)"
                  r"[^\s<>\"']*"
                  r"|(?<![a-z0-9.-])(?:[a-z0-9-]+\.)+[a-z]{2,24}\b(?:/[^\s<>\"']*)?",
                  re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MARKUP = re.compile(r"</?[a-z!][^<>]*>|&(?:[a-z][a-z0-9]*|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
NO_NEW_NUMBERS = ("delete it: a translation never adds a number (the numbers come from the "
                  "hotline registry, through the English's placeholders)")


# ------------------------------------------------------------------ rules for one text

def safety_problems(source: str, translation: str, right_to_left: bool = False,
                    in_capitals: bool = False) -> list[str]:
    """What the build refuses in a translation for a page written left to right (or
    ``right_to_left``): changed placeholders, anything beside a placeholder that would be read as
    part of its number, invisible format characters, and numbers (also as printed
    ``in_capitals``), addresses or e-mails that are not in the English."""
    found = invisible_character_problems(translation)
    found += [f"{word!r} mixes the letters of two scripts ({letters}) beside a number: a "
              "look-alike letter there may be read as part of the number; write the word in "
              "one script" for word, letters, near_number in mixed_script_words(translation)
              if near_number and word not in source]
    found += [f"'{word}' is written with letters that look like digits, so it reads as a "
              "number: never add a number; write the word with its own letters"
              for word in dict.fromkeys(disguised_numbers(translation))
              if word not in disguised_numbers(source)]
    if in_capitals:
        found += [f"'{word}' reads as a number where this text is printed, in capitals: its "
                  "capitals look like digits; never add a number: write another word"
                  for word in disguised_in_capitals(translation)
                  if word not in disguised_in_capitals(source)]
    try:
        kept = placeholders(translation)
    except BrokenBraces:
        found.append("broken placeholder braces: keep each {…} exactly as in the English, and "
                     "write a literal brace as {{ or }}")
    else:
        found += _placeholder_problems(source, kept)
        found += number_neighbour_problems(translation, kept, right_to_left)
    # Read as digits are: superscript and full-width digits (¹⁵², １５２) are numbers too, and a
    # mark on a digit hides nothing (1̣2̣3̣).
    return found \
        + _number_problems(number_reading(source), number_reading(translation)) \
        + _added(_addresses, "the address", source, translation, "links are never translated") \
        + _added(_emails, "the e-mail address", source, translation, "addresses are never "
                 "translated")


def quality_problems(source: str, translation: str, budget: int | None) -> list[str]:
    found = [f"markup {m!r} would be printed as characters: leaflets print translations as "
             "plain text" for m in sorted(_found(_MARKUP, translation) - _found(_MARKUP, source))]
    if budget is not None and len(translation) > budget:
        found.append(f"the translation is {len(translation)} characters long; its length "
                     f"budget is {budget}: it must fit a fixed space on the leaflet")
    return found


def _placeholder_problems(source: str, kept: list[Placeholder]) -> list[str]:
    try:
        wanted = {p.text for p in placeholders(source)}
    except BrokenBraces:
        return []
    got = {p.text for p in kept}
    if wanted == got:
        return _order_problems(source, kept)
    dropped, added = sorted(wanted - got), sorted(got - wanted)
    if len(dropped) == 1 and len(added) == 1:
        return [f"the translation renames {dropped[0]} to {added[0]}: keep {dropped[0]} "
                "exactly as in the English: the number goes there"]
    return ([f"the translation drops {', '.join(dropped)}: keep it exactly as in the English: "
             "the number goes there"] if dropped else []) + \
        ([f"the translation adds {', '.join(added)}, which the English does not have: delete "
          "it"] if added else [])


def _order_problems(source: str, kept: list[Placeholder]) -> list[str]:
    """Two numbers kept in the English order: the translation names the services in its own
    words, which no check can match with the registry, so the order is what keeps each number
    with the service the sentence names ("the Ombudsman on {hotline}, the Migration Service on
    {hotline:migration-service}" swapped would send people to the wrong place)."""
    english = list(dict.fromkeys(p.text for p in placeholders(source)))
    translated = list(dict.fromkeys(p.text for p in kept))
    if len(english) < 2 or translated == english:
        return []
    return [f"the translation puts the numbers in another order ({', '.join(translated)}) than "
            f"the English ({', '.join(english)}): keep them in the English order, each with the "
            "service the English names beside it, and reorder the words around them"]


def _number_problems(source: str, translation: str) -> list[str]:
    """Each digit run of the translation must be one of the English's, as a whole, and no more
    of them than the English has: ``24`` twice where the English has it once is a new number.
    A phone-like number must be one of the English's (a year), not put together from its
    smaller numbers: ``1–2–3`` from "steps 1, 2 and 3" is a new number to dial."""
    in_english = Counter(_ascii_digits(d) for d in _DIGITS.findall(source))
    english_phones = Counter(_all_digits(phone) for phone in PHONE_LIKE.findall(source))
    available = in_english.copy()
    found = []
    rest = translation
    for phone in PHONE_LIKE.findall(translation):
        if english_phones[_all_digits(phone)]:
            english_phones[_all_digits(phone)] -= 1
            available -= Counter(_ascii_digits(d) for d in _DIGITS.findall(phone))
        else:
            found.append(f"the phone number {shorten(phone.strip())!r} is not in the English: "
                         + NO_NEW_NUMBERS)
        rest = rest.replace(phone, " ", 1)
    for digits in _DIGITS.findall(rest):
        number = _ascii_digits(digits)
        if available[number]:
            available[number] -= 1
        elif number in in_english:
            found.append(f"the number {shorten(digits)!r} appears more often than in the English: "
                         + NO_NEW_NUMBERS)
        else:
            found.append(f"the number {shorten(digits)!r} is not in the English: "
                         + NO_NEW_NUMBERS)
    return list(dict.fromkeys(found))


def _all_digits(phone: str) -> str:
    """A phone-like number's digits, as ASCII, without what joins them."""
    return "".join(_ascii_digits(d) for d in _DIGITS.findall(phone))


def _ascii_digits(digits: str) -> str:
    """``۲۴`` and ``24`` are the same number."""
    return "".join(str(unicodedata.digit(d)) for d in digits)


def _found(pattern: re.Pattern, text: str) -> set[str]:
    """The matches, lower-case, without the sentence punctuation that may follow an address."""
    return {m.group().lower() if m.group().endswith(("&", ";", ">"))
            else m.group().rstrip(".,;:!?)").lower() for m in pattern.finditer(text)}


def _addresses(text: str) -> set[str]:
    """The web addresses of a text; the domain of an e-mail address is none."""
    return _found(_URL, _EMAIL.sub(" ", text) if "@" in text else text)


def _emails(text: str) -> set[str]:
    return _found(_EMAIL, text) if "@" in text else set()  # none is searched for without an @


def _added(found: Callable[[str], set[str]], what: str, source: str, translation: str,
           why: str) -> list[str]:
    """What ``found`` finds in the translation and not in the English."""
    added = found(translation)
    if added:  # the English is searched only for a translation that has any
        added -= found(source)
    return [f"{what} {shorten(item)!r} is not in the English: {why}" for item in sorted(added)]


def noted_budget(entry: polib.POEntry) -> int | None:
    """The budget noted in the entry's ``#.`` comments by extraction, if any."""
    budgets = [int(b) for b in _BUDGET.findall(entry.comment or "")]
    return min(budgets) if budgets else None


def translated_forms(entry: polib.POEntry) -> list[str]:
    """The translations of an entry that show something (msgstr, or each plural form): one of
    spaces or invisible characters only is not a translation."""
    forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
    return [form for form in forms if has_visible_text(form)]


# ------------------------------------------------------------------ whole catalogs

def entry_source(entry: polib.POEntry) -> str:
    """The English an entry's translations are checked against: both forms of a plural."""
    return f"{entry.msgid}\n{entry.msgid_plural}" if entry.msgid_plural else entry.msgid


def entry_problems(entry: polib.POEntry, shown: str, messages: list[str]) -> list[Problem]:
    """Messages about an entry, at its line, after its English: ``x.po:40: "Call…": …``."""
    return [Problem(shown, entry.linenum, None, excerpt(entry.msgid), message)
            for message in dict.fromkeys(messages)]


def in_use(entry: polib.POEntry) -> bool:
    """Whether the build would print one of the entry's translations: not obsolete, not fuzzy,
    and showing something."""
    return not entry.obsolete and "fuzzy" not in entry.flags and bool(translated_forms(entry))


# The scripts CLDR writes right to left; a locale is written in the script it names, else in its
# language's likely script (az: Latn, fa: Arab, az_Arab: Arab).
RIGHT_TO_LEFT_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"})


@functools.cache
def is_right_to_left(locale: str) -> bool:
    """Whether a locale's pages are written right to left: ``Locale.text_direction == "rtl"``
    (what the page is laid out by) without loading the locale's data for it, which would cost
    a build with nothing to do 15 ms. The tests hold the two equal for every locale Babel has."""
    parsed = Locale.parse(locale)
    likely = get_global("likely_subtags").get(parsed.language)  # az → az_Latn_AZ
    script = parsed.script or (parse_locale(likely)[2] if likely else None)
    return script in RIGHT_TO_LEFT_SCRIPTS


def catalog_safety_problems(po: polib.POFile, shown: str, locale: str) -> list[Problem]:
    """What the build refuses in a locale's catalog (see ``safety_problems``)."""
    right_to_left = is_right_to_left(locale)
    return [problem for entry in po if in_use(entry)
            for problem in entry_problems(entry, shown, [
                message for form in translated_forms(entry)
                for message in _judged_once(entry_source(entry), form, right_to_left,
                                            entry.msgctxt in CAPITALS_CONTEXTS)])]


@functools.lru_cache(maxsize=4096)
def _judged_once(source: str, translation: str, right_to_left: bool, in_capitals: bool
                 ) -> tuple[str, ...]:
    """``safety_problems``, judged once per process for the same texts: every campaign's
    leaflets read the templates' catalog, and the preview server reads every catalog again at
    each rebuild."""
    return tuple(safety_problems(source, translation, right_to_left, in_capitals))


@dataclass
class CatalogCheck:
    """What ``translations check`` found in one catalog: problems (exit status 1), warnings
    (a QA tool's findings, to look at), and the catalog as read (None when it cannot be)."""

    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)
    po: polib.POFile | None = None


def check_catalog(path: Path, shown: str, locale: str,
                  budgets: Mapping[tuple[str | None, str], int | None] | None = None
                  ) -> CatalogCheck:
    """Every problem and warning of one locale's catalog, each at the line of its entry.
    ``budgets``: each entry's length budget as its POT notes it (the POT is written from the
    campaign's formats; the catalog is the translator's, whose notes can be deleted); an entry
    the POT does not hold keeps the budget its own notes give."""
    try:
        po = parse_po(path, shown)
    except InputError as error:
        return CatalogCheck(error.problems)
    problems = duplicate_problems(po, shown) + [
        Problem(shown, line, None, "", message)
        for line, message in header_problems(po, path, locale)]
    problems += plural_problems(po, path, shown, locale)
    problems += catalog_safety_problems(po, shown, locale)
    warnings = []
    for entry in filter(in_use, po):
        messages, qa = [], []
        key = (entry.msgctxt, entry.msgid)
        budget = budgets[key] if budgets is not None and key in budgets else noted_budget(entry)
        for form in translated_forms(entry):
            messages += quality_problems(entry_source(entry), form, budget)
            qa += qa_warnings(entry_source(entry), form)
        problems += entry_problems(entry, shown, messages)
        warnings += entry_problems(entry, shown, [f"warning: {message}" for message in qa])
    return CatalogCheck(problems, warnings, po)


def header_problems(po: polib.POFile, path: Path, locale: str) -> list[tuple[int | None, str]]:
    """The header's Language against the folder's locale, and the Language or Plural-Forms a
    translator's editor writes and this header lacks (``plural_problems`` checks a Plural-Forms
    that is there)."""
    found: list[tuple[int | None, str]] = []
    language = po.metadata.get("Language")
    if language is None:
        found.append((1, f"the header has no Language: add \"Language: {locale}\\n\""))
    elif language != locale:
        found.append((_header_line(path, "Language"), f"the header says Language: {language}, "
                      f"but the catalog is in the folder for '{locale}': write Language: "
                      f"{locale}"))
    if "Plural-Forms" not in po.metadata:
        found.append((1, f"the header has no Plural-Forms: add \"Plural-Forms: "
                      f"{get_plural(locale)}\\n\""))
    return found


def plural_problems(po: polib.POFile, path: Path, shown: str, locale: str) -> list[Problem]:
    """A Plural-Forms header that picks other forms than CLDR's rule for the locale, and each
    plural entry in use with another number of forms than the rule has. The build refuses them
    as ``translations check`` does: a translator's editor asks for the forms its header names,
    so forms written under another rule sit where CLDR's rule looks for another one and would
    print "1 страниц"."""
    found = []
    plural = po.metadata.get("Plural-Forms")
    if plural is not None and (disagreement := plural_forms_disagreement(plural, locale)):
        found.append(Problem(shown, _header_line(path, "Plural-Forms"), None, "",
                             f"Plural-Forms disagrees with CLDR for {_language_name(locale)} "
                             f"({disagreement}): write Plural-Forms: {get_plural(locale)}"))
    count = get_plural(locale).num_plurals
    found += [problem for entry in po if entry.msgid_plural and in_use(entry)
              and sorted(entry.msgstr_plural) != list(range(count))
              for problem in entry_problems(entry, shown, [
                  f"{_forms_written(entry.msgstr_plural)}; {_language_name(locale)} has "
                  f"{count} (msgstr[0] to msgstr[{count - 1}])"])]
    return found


def _forms_written(forms: dict) -> str:
    """``3 plural forms``, or which ones, when they are not numbered from 0 in turn."""
    numbers = sorted(forms)
    if numbers == list(range(len(numbers))):
        return f"{len(numbers)} plural forms"
    return f"plural forms {', '.join(f'msgstr[{n}]' for n in numbers)}"


# The counts at which a Plural-Forms expression must pick CLDR's form: every count below 1000,
# and a few large ones (CLDR's rules look at the last two digits, six at most).
_COUNTS = (*range(1000), 1001, 10_000, 100_000, 1_000_000, 1_000_001, 2_000_000)


@functools.lru_cache(maxsize=64)  # a few headers per build; `serve` sees each one edited
def plural_forms_disagreement(plural_forms: str, locale: str) -> str | None:
    """How a ``Plural-Forms`` header picks other forms than CLDR's rule for ``locale``, or None
    where it picks the same form for every count, however it is written (Weblate and Poedit
    bracket the expression differently)."""
    expected = get_plural(locale)
    # Stripped first: a pattern that ended in \s* backtracked over every space of the header
    # for each character of its expression.
    match = re.fullmatch(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=(.*?);?", plural_forms.strip())
    try:
        if match is None:
            raise ValueError
        nplurals = int(match.group(1))  # ValueError past 4300 digits
        # The standard library's reader of gettext's C expressions, which admits only their
        # operators: the header is untrusted text.
        choose = gettext.c2py(match.group(2))
        chosen = [choose(n) for n in _COUNTS]
    except (ValueError, ArithmeticError):
        return "it cannot be read"
    if nplurals != expected.num_plurals:
        return (f"nplurals={nplurals}; {_language_name(locale)} has "
                f"{_forms(expected.num_plurals)}")
    cldr = gettext.c2py(expected.plural_expr)
    for n, form in zip(_COUNTS, chosen):
        if form != cldr(n):
            return f"it picks form {form} for {n}; {_language_name(locale)} takes form {cldr(n)}"
    return None


def _forms(count: int) -> str:
    return f"{count} form" if count == 1 else f"{count} forms"


def _header_line(path: Path, field: str) -> int | None:
    """The line of the header where ``field`` is written."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next((n for n, text in enumerate(lines, 1) if text.startswith(f'"{field}:')), None)


def _language_name(locale: str) -> str:
    """The language's English name, or its code when CLDR has none."""
    return Locale.parse(locale).get_display_name("en") or locale


# ------------------------------------------------------------------ what a QA tool flags

# The scripts whose look-alike letters are mixed up (Latin e, Cyrillic е, Greek ε): a word written
# in two of them looks right and is wrong for search, spelling checks and hyphenation, and beside a
# number it is a letter nobody can vouch for.
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
_TOKENS = re.compile(r"\{[^{}]*\}|\d+|[^\W\d_]+")
_DOUBLED_WORD = re.compile(r"(?<!\w)([^\W\d_]+)(\s+)\1(?!\w)", re.IGNORECASE)
_CLOSING = "»“”\"'’)]›"
_END_MARKS = {".": ".", "!": "!", "?": "?", ":": ":", ";": ";", "…": "…", "؟": "?", "۔": ".",
              "。": "."}
# Openers and what closes each; “ opens in English (closed by ”) and closes „ in Russian.
_BRACKETS = {"(": ")", "[": "]", "«": "»", "‹": "›", "„": "“", "“": "”", '"': '"'}


@functools.cache
def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    return next((script for script in _SCRIPTS if name.startswith(script)), None)


def mixed_script_words(text: str) -> list[tuple[str, str, bool]]:
    """Each word written with letters of two scripts: the word, the letters of its smaller
    script (``Запомнитe`` → ``e``), and whether it stands beside a number (a placeholder or
    digits, with only spaces or punctuation between them)."""
    if len(set(map(_script, text)) - {None}) < 2:
        return []  # no word of it can mix two scripts: most texts, read at once
    tokens = list(_TOKENS.finditer(text))
    in_text: Counter[str] | None = None  # counted for the rare text that has such a word
    found = []
    for index, token in enumerate(tokens):
        word = token.group()
        if len(set(map(_script, word)) - {None}) < 2:
            continue
        scripts = Counter(s for s in map(_script, word) if s)
        if in_text is None:
            in_text = Counter(s for s in map(_script, literal_text(text)) if s)
        # The stray letters are those of the script the text as a whole uses least.
        rare = min(scripts, key=lambda s: (in_text[s], scripts[s], s))
        letters = "".join(dict.fromkeys(c for c in word if _script(c) == rare))
        beside = [tokens[i].group() for i in (index - 1, index + 1) if 0 <= i < len(tokens)]
        near_number = any(n[0] == "{" or n[0].isdigit() for n in beside)
        found.append((word, f"{rare.title()} {letters!r}", near_number))
    return found


def qa_warnings(source: str, translation: str) -> list[str]:
    """What an agency's QA tool (translate-toolkit's pofilter) flags and a translator should look
    at, though the leaflet can be printed with it: a doubled word, end punctuation unlike the
    English's, unbalanced brackets or quotes, a word mixing scripts, two spaces in a row."""
    found = []
    doubled = {m.group(1).lower() for m in _DOUBLED_WORD.finditer(source)}
    found += [f"the word {m.group(1)!r} is written twice in a row" for m in
              _DOUBLED_WORD.finditer(translation) if m.group(1).lower() not in doubled]
    english_end, translated_end = _end_mark(source), _end_mark(translation)
    if english_end != translated_end:
        found.append(f"the English ends with {_mark_name(english_end)}, the translation with "
                     f"{_mark_name(translated_end)}")
    if _unbalanced(source) is None and (unbalanced := _unbalanced(translation)):
        found.append(f"unbalanced brackets or quotes: {unbalanced}")
    found += [f"{word!r} mixes the letters of two scripts ({letters}): write the word in one "
              "script (a look-alike letter breaks search, spelling checks and hyphenation)"
              for word, letters, near_number in mixed_script_words(translation)
              if not near_number]
    if "  " in translation and "  " not in source:
        found.append(f"two spaces in a row (at character {translation.index('  ') + 1})")
    return found


def _end_mark(text: str) -> str:
    """The sentence mark a text ends with, after any closing quote or bracket: '.', '?' … or ''."""
    text = text.rstrip().rstrip(_CLOSING).rstrip()
    if text.endswith("..."):
        return "…"
    return _END_MARKS.get(text[-1:], "")


def _mark_name(mark: str) -> str:
    return f"'{mark}'" if mark else "no punctuation mark"


def _unbalanced(text: str) -> str | None:
    """What leaves the brackets and double quotes of a text unbalanced, or None. Single quotes
    are left alone: ’ and ' are apostrophes too."""
    open_marks: list[str] = []
    closers = {closer for closer in _BRACKETS.values()}
    for char in text:
        if open_marks and char == _BRACKETS[open_marks[-1]]:
            open_marks.pop()
        elif char in _BRACKETS:
            open_marks.append(char)
        elif char in closers:
            return f"'{char}' closes nothing"
    return f"'{open_marks[-1]}' is never closed" if open_marks else None

"""The rules that keep a hotline number whole in every text, English or translated
(leaflets/translation/text_rules.py, the translation checks, the campaign checks): families of hostile texts,
and properties over any text."""

from __future__ import annotations

import string
import sys
import tempfile
import time
import unicodedata
from datetime import timedelta
from pathlib import Path

import polib
import pytest
from babel import Locale, localedata
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from leaflets.inputs.campaigns import text_problems
from leaflets.inputs.hotlines import Hotline
from leaflets.layout.render import LeafletTexts
from leaflets.translation.text_rules import (DIGIT_LOOK_ALIKES, BrokenBraces, has_visible_text, parse,
                                 placeholders)
from leaflets.problems import Problem
from leaflets.translation import text_rules
from leaflets.translation.text_rules import number_reading
from leaflets.translation.translation_checks import (check_catalog, is_right_to_left, qa_warnings,
                                         safety_problems, translated_forms)
from leaflets.translation.translations import is_translated

ENGLISH = "Call {hotline} free of charge, 24 hours a day."
RUSSIAN = "Звоните по номеру {hotline} бесплатно и круглосуточно."
AZERBAIJANI = "{hotline} nömrəsinə sutkaboyu pulsuz zəng edin."
# The English's own 24, as a translator may type it: Persian, Arabic-Indic, full-width,
# superscript and mathematical digits are read as 24 too.
TWENTY_FOUR = ["24", "۲۴", "٢٤", "２４", "²⁴", "𝟐𝟒"]
# What may stand between two numbers without separating them: only a word separates.
GAPS = ["-", "/", ", ", " ", ".", ":", " – ", "\u00a0", "\u2009", "\u202f", " (", ")-", " +",
        "\u00ad", "\u200b", "\u2060", "\u200d", "\u202e", "\u2066"]
# Invisible characters that reorder, join or hide text.
INVISIBLE = ["\u00ad", "\u200b", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d",
             "\u202e", "\u2060", "\u2066", "\u2067", "\u2068", "\u2069", "\u061c", "\ufeff",
             "\U000e0041", "\u180e", "\u3164", "\x07", "\u2028", "\u2029"]


def problems_beside_the_number(translation: str, source: str = ENGLISH) -> list[str]:
    return [m for m in safety_problems(source, translation) if "{hotline}" in m]


def with_number(translation: str, before: str = "", after: str = "") -> str:
    return translation.replace("{hotline}", before + "{hotline}" + after)


def test_the_sample_translations_pass():
    assert safety_problems(ENGLISH, RUSSIAN) == []
    assert safety_problems(ENGLISH, AZERBAIJANI) == []


# ------------------------------------------------------------------ around the number

@pytest.mark.parametrize("digits", TWENTY_FOUR)
@pytest.mark.parametrize("side", ["before", "after"])
@pytest.mark.parametrize("gap", ["", *GAPS])
def test_a_number_beside_the_number_is_refused(digits, side, gap):
    translation = with_number(RUSSIAN, **({"after": gap + digits} if side == "after"
                                          else {"before": digits + gap}))
    found = problems_beside_the_number(translation)
    assert any(f"{side} {{hotline}}" in m for m in found), (translation, found)


@pytest.mark.parametrize("letter", sorted(DIGIT_LOOK_ALIKES))
@pytest.mark.parametrize("before, after", [("", "{}"), ("{}", ""), ("", " {}"), ("{} ", ""),
                                           ("", "-{}"), ("", "'{}"), ("", "-{}a"),
                                           ("{}", "{}")])
def test_a_letter_that_looks_like_a_digit_beside_the_number_is_refused(letter, before, after):
    translation = with_number(AZERBAIJANI, before.format(letter), after.format(letter))
    assert "looks like" in " ".join(problems_beside_the_number(translation)), translation


@pytest.mark.parametrize("touching", ["a", "я", "ə", "ş", "ک", "\u0301", "\u20e3", "+", "*", "#",
                                      "\u200d", "\u200c"])
@pytest.mark.parametrize("side", ["before", "after"])
def test_a_letter_mark_dial_symbol_or_joiner_against_the_number_is_refused(touching, side):
    translation = with_number(AZERBAIJANI, **{side: touching})
    assert safety_problems(ENGLISH, translation), translation


@pytest.mark.parametrize("translation", [
    "{hotline}-ya zəng edin.", "{hotline}'a zəng edin.", "{hotline}’ya zəng edin.",
    "{hotline}-dan soruşun.", "Zəng edin: {hotline}.", "({hotline}) nömrəsinə zəng edin.",
    "«{hotline}» nömrəsinə zəng edin.", "Звоните: {hotline}, бесплатно.",
    "Звоните\u00a0{hotline} — бесплатно.", "امروز با {hotline} تماس بگیرید.",
    "می\u200cتوانید با {hotline} تماس بگیرید.",
])
def test_punctuation_words_and_grammatical_endings_are_allowed(translation):
    assert safety_problems("Call {hotline} now.", translation) == []


@pytest.mark.parametrize("translation, expected", [
    ("{hotline} или 24-24-24", "the phone number '24-24-24' is not in the English"),
    ("Звоните {hotline}: 24 часа, 24 дня", "the number '24' appears more often"),
    ("Звоните {hotline} круглосуточно, 2 4", "the number '2' is not in the English"),
    ("Звоните {hotline} круглосуточно, 240 дней", "the phone number '240' is not in"),
    ("Звоните {hotline} 24 часа, 7 дней", "the number '7' is not in the English"),
])
def test_a_translation_has_the_english_digit_runs_whole_and_no_more(translation, expected):
    found = safety_problems(ENGLISH, translation)
    assert any(m.startswith(expected) for m in found), found
    assert not any("write {hotline}" in m for m in found)  # advice: delete it
    assert any("delete it" in m for m in found)


def test_the_english_digit_runs_may_be_kept_or_dropped():
    assert safety_problems(ENGLISH, "Звоните {hotline} бесплатно, 24 часа в сутки.") == []
    assert safety_problems(ENGLISH, "Звоните {hotline} бесплатно, ۲۴ часа в сутки.") == []


@pytest.mark.parametrize("invisible", INVISIBLE)
def test_invisible_characters_are_refused_anywhere(invisible):
    translation = RUSSIAN.replace("бесплатно", f"бес{invisible}платно")
    found = safety_problems(ENGLISH, translation)
    assert any(f"U+{ord(invisible):04X}" in m for m in found), found


def test_two_numbers_only_a_word_apart_are_not_one_number():
    source = "Call {hotline} or {hotline:migration-service}."
    assert safety_problems(source, "Звоните {hotline} или {hotline:migration-service}.") == []
    for gap in ["", " ", "/", ", ", " - "]:
        found = safety_problems(source, "Звоните {hotline}" + gap + "{hotline:migration-service}")
        assert any("read as one" in m for m in found), (gap, found)


@pytest.mark.parametrize("translation, right_to_left", [
    ("Звоните {hotline} א 24 часа.", False),  # shows as 916 24 א: Hebrew is moved aside
    ("Звоните {hotline} שלום עולם, 24 часа.", False),
    ("Zəng edin: {hotline} ب 24 saat.", False),
    ("Звоните {hotline} א {hotline:migration-service}.", False),
    ("با {hotline} call 24 تماس بگیرید.", True),  # shows as call 24 916 on a Persian page
])
def test_a_word_in_the_other_direction_does_not_separate_two_numbers(translation, right_to_left):
    source = "Call {hotline} or {hotline:migration-service}, 24 hours a day."
    found = [m for m in safety_problems(source, translation, right_to_left) if "{hotline}" in m]
    assert any("other writing direction" in m for m in found), found


def test_a_word_in_the_page_s_direction_separates():
    source = "Call {hotline}, 24 hours a day."
    assert safety_problems(source, "با {hotline} تماس بگیرید، 24 ساعته.", True) == []
    assert safety_problems(source, "Звоните {hotline} круглосуточно, 24 часа.") == []


# ------------------------------------------------------------------ placeholders

@pytest.mark.parametrize("source, translation, expected", [
    ("Call {hotline:migration-service}.", "Звоните {hotline}.",
     "the translation renames {hotline:migration-service} to {hotline}"),
    ("Call {hotline:migration-service}.", "Звоните {hotline:ombudsman}.",
     "the translation renames {hotline:migration-service} to {hotline:ombudsman}"),
    ("Call {hotline} or {hotline:migration-service}.", "Звоните {hotline}.",
     "the translation drops {hotline:migration-service}"),
    ("Call {hotline}.", "Звоните {hotline} или {hotline:migration-service}.",
     "the translation adds {hotline:migration-service}"),
    ("Call {hotline}.", "Звоните {hotline:}.", "the translation renames {hotline} to {hotline:}"),
])
def test_a_translation_keeps_each_placeholder_exactly(source, translation, expected):
    assert any(m.startswith(expected) for m in safety_problems(source, translation))


def test_render_fills_each_hotline_placeholder_with_its_own_number():
    values = {"hotline": Markup("<bdi>916</bdi>"), "hotline:ombudsman": Markup("<bdi>916</bdi>"),
              "hotline:migration-service": Markup("<bdi>919</bdi>")}
    texts = LeafletTexts(None, values, "en")
    assert texts.fill("{hotline}, or {hotline:migration-service} {{not}} <b>") == \
        "<bdi>916</bdi>, or <bdi>919</bdi> {not} &lt;b&gt;"


# ------------------------------------------------------------------ what counts as translated

BLANK = ["", " ", "\t", "\u00a0", "\u200b", "\u2060 \u200b", "\u3000", "\u3164", "\u00ad",
         "\u202e", "\u0301"]


@pytest.mark.parametrize("msgstr", BLANK)
def test_a_translation_that_shows_nothing_is_untranslated(msgstr):
    entry = polib.POEntry(msgid="A headline", msgstr=msgstr)
    assert not has_visible_text(msgstr)
    assert not is_translated(entry, 2) and translated_forms(entry) == []
    plural = polib.POEntry(msgid="{n} text", msgid_plural="{n} texts",
                           msgstr_plural={0: "{n} текст", 1: msgstr, 2: "{n} текстов"})
    assert not is_translated(plural, 3)


# ------------------------------------------------------------------ properties

REGISTRY = {id_: Hotline(name=name, number=number, hours="24 hours a day",
                         source="test").listed_as(id_)
            for id_, name, number in [
                ("ombudsman", "Human Rights Commissioner (Ombudsman) call centre", "916"),
                ("migration-service", "State Migration Service call centre", "919"),
                ("city-line", "A city line", "+994 12 555 55 55")]}
HOSTILE_PIECES = ["{hotline}", "{hotline:migration-service}", "{", "}", "{{", "}}", "24", "916",
                  "-", "'", " ", "\u00ad", "\u202e", "\u200d", "З", "б", "O", "l", "ya",
                  "State Migration Service", "+994 12 555 55 55", "example.org", "a@b.cd", "<b>"]
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=8)),
                        max_size=30).map("".join)
# Words of one script each: a word mixing Latin and Cyrillic letters beside a number is refused.
SAFE_WORDS = st.one_of(*(st.text(alphabet=sorted(set(letters) - DIGIT_LOOK_ALIKES), min_size=1,
                                 max_size=8)
                         for letters in ("абвгдежзийклмнопрстуфхцчшщыэюя", "abcdefghəğışçöü")))


@pytest.mark.slow
@settings(deadline=timedelta(seconds=1), max_examples=300)
@given(source=hostile_text, translation=hostile_text)
def test_translation_checks_return_messages_for_any_text(source, translation):
    found = safety_problems(source, translation)
    assert isinstance(found, list) and all(isinstance(m, str) for m in found)


@settings(deadline=timedelta(seconds=1), max_examples=300)
@given(text=hostile_text, listed=st.lists(st.sampled_from(sorted(REGISTRY)), unique=True))
def test_campaign_text_checks_return_messages_for_any_text(text, listed):
    found = text_problems(text, listed, REGISTRY)
    assert isinstance(found, list) and all(isinstance(m, str) for m in found)


@settings(deadline=timedelta(seconds=2), max_examples=100)
@given(entries=st.lists(st.tuples(hostile_text, hostile_text), min_size=1, max_size=4),
       locale=st.sampled_from(["ru", "az", "fa"]))
def test_checking_a_whole_catalog_returns_positioned_problems(entries, locale):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "test.po"
        po = polib.POFile()
        po.metadata = {"Language": locale, "Content-Type": "text/plain; charset=UTF-8"}
        for number, (source, translation) in enumerate(entries):
            po.append(polib.POEntry(msgctxt=str(number), msgid=source or "x", msgstr=translation))
        po.save(str(path))
        checked = check_catalog(path, "locales/test.po", locale)
    found = checked.problems + checked.warnings
    assert all(isinstance(p, Problem) and p.file == "locales/test.po" and p.line
               for p in found), found


@pytest.mark.slow
def test_checks_of_long_hostile_texts_take_bounded_time():
    for text in ["1-" * 20000 + "x", "a." * 20000, "a" * 40000 + "@", ("{hotline} " * 4000),
                 ("{hotline}" + "." * 100) * 400, "З" * 40000, "\u202e" * 40000]:
        started = time.perf_counter()
        safety_problems(ENGLISH, text)
        qa_warnings(ENGLISH, text)
        text_problems(text, ["ombudsman"], REGISTRY)
        assert time.perf_counter() - started < 2, text[:20]


@given(words=st.lists(SAFE_WORDS, min_size=1, max_size=6), at=st.integers(0, 6),
       side=st.sampled_from(["before", "after"]),
       inserted=st.one_of(st.sampled_from(sorted(DIGIT_LOOK_ALIKES)),
                          st.characters(categories=("Nd", "No", "Nl"))))
def test_any_digit_or_look_alike_against_the_number_is_refused(words, at, side, inserted):
    words.insert(min(at, len(words)), "{hotline}")
    valid = " ".join(words) + "."
    assert safety_problems("Call {hotline} now.", valid) == []
    translation = with_number(valid, **{side: inserted})
    assert problems_beside_the_number(translation, "Call {hotline} now."), translation


@given(gap=st.text(alphabet=" .,:;/()-–—+\u00a0\u2009\u202f", max_size=4),
       digits=st.sampled_from(TWENTY_FOUR), side=st.sampled_from(["before", "after"]))
def test_a_digit_run_without_a_word_between_it_and_the_number_is_refused(gap, digits, side):
    translation = with_number(RUSSIAN, **({"after": gap + digits} if side == "after"
                                          else {"before": digits + gap}))
    assert problems_beside_the_number(translation), translation


@given(text=st.text(alphabet=st.sampled_from("{}ab :-x"), max_size=20))
def test_the_one_parser_never_reads_a_text_otherwise_than_python(text):
    """Where ``parse`` accepts a text, Python's format syntax reads the same placeholders and
    the same literal text (``parse`` is stricter: no nested braces)."""
    try:
        pieces = parse(text)
    except BrokenBraces:
        return
    python = list(string.Formatter().parse(text))
    assert "".join(literal for literal, *_ in python) == \
        "".join(p for p in pieces if isinstance(p, str))
    assert [(name, spec) for _, name, spec, _ in python if name is not None] == \
        [(p.name, p.spec) for p in placeholders(text)]


@given(text=st.text(alphabet=st.characters(categories=("Zs", "Cf", "Cc", "Mn"))))
def test_a_msgstr_of_invisible_characters_is_never_translated(text):
    assume(text.strip("\n") == text)
    assert not is_translated(polib.POEntry(msgid="A headline", msgstr=text), 2)


# ------------------------------------------------------------------ found by attacking the merge

CTA = "Call {hotline} free of charge, 24 hours a day."


@pytest.mark.parametrize("mark", ["\u0323", "\u0301", "\u0308", "\u20dd"])
def test_a_combining_mark_alone_is_no_word_between_two_numbers(mark):
    # "916 ̣24" printed as "916. 24": a mark that follows no letter separates nothing.
    found = safety_problems(CTA, f"Звоните по номеру {{hotline}} {mark}24 часа в сутки.")
    assert any("reads as part of the number" in m for m in found), found


def test_a_combining_mark_on_a_word_still_makes_it_a_word():
    assert safety_problems(CTA, "Звоните по номеру {hotline} бесплатно, 24 часа в сутки.") == []


@pytest.mark.parametrize("selector", ["\ufe00", "\ufe0f", "\U000e0100"])
def test_a_variation_selector_is_invisible_and_refused(selector):
    found = safety_problems(CTA, f"Звоните {{hotline}}{selector} бесплатно, 24 часа в сутки.")
    assert found, selector


@pytest.mark.parametrize("letter", list("ɜıιɩɪᴏөθց"))
def test_more_letters_that_pass_for_digits_are_refused_beside_the_number(letter):
    found = safety_problems(CTA, f"Звоните {{hotline}}-{letter} бесплатно, 24 часа в сутки.")
    assert found, letter


def test_two_numbers_keep_the_english_order():
    source = "Abuse: the Ombudsman on {hotline}; visas: the Migration Service on " \
             "{hotline:migration-service}."
    # The words in the English order, the numbers swapped: 919 printed as the Ombudsman's.
    swapped = "Жалобы: омбудсмен, {hotline:migration-service}; визы: Миграционная служба, " \
              "{hotline}."
    found = safety_problems(source, swapped)
    assert any("in another order" in m for m in found), found
    kept = "Жалобы: омбудсмен, {hotline}; визы: Миграционная служба, " \
           "{hotline:migration-service}."
    assert safety_problems(source, kept) == []


@pytest.mark.parametrize("word", ["ІОЗ", "ЗОБ", "lOЗ", "БІО"])
def test_a_number_spelt_with_look_alike_letters_is_refused_anywhere(word):
    found = safety_problems("Ambulance: call your doctor.", f"Скорая помощь: {word}.")
    assert any(f"'{word}' is written with letters that look like digits" in m for m in found)


def test_noughts_alone_and_the_english_s_own_words_are_not_numbers():
    assert safety_problems("A law firm", "ООО «Право»") == []
    assert safety_problems("Call SOS now", "SOS: звоните сейчас") == []



def _read_written_out(text: str) -> str:
    """number_reading as it is defined: the NFKC form without its marks (Unicode category M)."""
    return "".join(char for char in unicodedata.normalize("NFKC", text)
                   if not unicodedata.category(char).startswith("M"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40))
def test_a_number_is_read_without_the_marks_on_its_characters(text):
    assert number_reading(text) == _read_written_out(text)
    assert number_reading("1\u03232\u03233\u0323 ¹⁵²") == "123 152"


def test_the_table_of_characters_read_stays_bounded(monkeypatch):
    """The characters number_reading has met are kept up to a bound (a catalog could hold every
    character there is); past it, each is read as before."""
    monkeypatch.setattr(text_rules._WithoutMarks, "KEPT", 10)
    monkeypatch.setattr(text_rules, "_WITHOUT_MARKS", text_rules._WithoutMarks())
    cyrillic = "".join(map(chr, range(0x400, 0x490))) + "1\u03232\u0323"
    assert number_reading(cyrillic) == _read_written_out(cyrillic) != cyrillic
    assert len(text_rules._WITHOUT_MARKS) == 10


# ------------------------------------------------------------------ quick paths, same verdicts

def _direction_agrees(locale: str) -> bool:
    return is_right_to_left(locale) == (Locale.parse(locale).text_direction == "rtl")


@pytest.mark.parametrize("locale", ["az", "ru", "en", "ka", "uz", "fa", "ar", "he", "ur", "ps",
                                    "ckb", "dv", "syr", "az_Arab", "uz_Arab", "pa_Arab",
                                    "pa", "ff_Adlm", "sr_Latn"])
def test_a_catalog_is_checked_in_the_direction_its_pages_are_laid_out_in(locale):
    """The catalog checks find a locale's writing direction without loading its locale data;
    the page is laid out in Babel's (render.py): the two are the same."""
    assert _direction_agrees(locale)


@pytest.mark.slow
def test_every_locale_babel_has_is_checked_in_the_direction_of_its_pages():
    assert [locale for locale in map(str, map(Locale.parse, localedata.locale_identifiers()))
            if not _direction_agrees(locale)] == []


@pytest.mark.slow
def test_the_quick_look_for_invisible_characters_misses_none():
    """A printable text without the few printable characters that show nothing has no invisible
    character: every character _is_invisible flags is one of those or not printable."""
    flagged = [char for char in map(chr, range(sys.maxunicode + 1))
               if text_rules._is_invisible(char)]
    assert len(flagged) > 130_000  # the private use areas among them
    assert [char for char in flagged if char.isprintable()
            and not text_rules._PRINTABLE_YET_INVISIBLE.match(char)] == []
    assert text_rules.invisible_character_problems("ok\u2800") != []

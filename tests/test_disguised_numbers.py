"""A number typed into a text in a form the number checks did not read as one: its digit groups
joined by en dashes, figure dashes, minus signs, underscores or middle dots (12–34–56), or a
combining mark on each digit (1̣2̣3̣). The page prints them as a number to dial; the preflight,
which takes the digits the HTML prints as the leaflet's own, let them through."""

from __future__ import annotations

import polib
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaflets.translation.text_rules import typed_numbers
from samples import CAMPAIGN, HOTLINES

JOINERS = ["\u2013", "\u2012", "\u2212", "\u2011", "\u2010", "\u2014", "\u2015", "\ufe63", "_",
           "\u00b7", "\u2022", "\u2027", "\u2219", " \u2013 "]
MARKS = ["", "\u0323", "\u0307", "\u0332", "\u0301\u0301"]


@given(groups=st.lists(st.text("0123456789", min_size=1, max_size=2), min_size=2, max_size=5)
       .filter(lambda groups: sum(map(len, groups)) >= 3),
       joiner=st.sampled_from(JOINERS), mark=st.sampled_from(MARKS))
def test_digits_joined_or_marked_in_any_way_are_a_typed_number(groups, joiner, mark):
    written = joiner.join("".join(digit + mark for digit in group) for group in groups)
    found = typed_numbers(f"If the line is busy, call {written} instead.")
    assert ["".join(groups)] == ["".join(c for c in number if c.isdigit()) for number in found]


@pytest.mark.parametrize("text", ["24/7", "open 9:00 to 18:00", "steps 1, 2 and 3", "since 2019"])
def test_what_is_no_number_to_dial_stays_allowed(text):
    assert [n for n in typed_numbers(text) if n != "2019"] == []


def refused_lead(project, lead: str) -> list[str]:
    """Build the test campaign with ``lead``: refused, nothing built; the problems printed."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace("lead: A lead paragraph.",
                                                          f"lead: {lead}"))
    run = project.run("build", "--locale", "en")
    assert run.status == 1 and "Traceback" not in run.err
    assert project.pdfs() == []
    return run.err.splitlines()


def refused_hotline_words(project, original: str, changed: str, registry: str = HOTLINES
                          ) -> list[str]:
    """Build with the ``registry``'s ``original`` line ``changed``: refused; the problems
    printed."""
    project.write("campaigns/hotlines.yaml", registry.replace(original, changed))
    run = project.run("build", "--locale", "en")
    assert run.status == 1 and "Traceback" not in run.err
    return run.err.splitlines()


@pytest.mark.parametrize("written", ["12–34–56", "1–1–2", "12‒34‒56", "12−34−56", "12_34_56",
                                     "12·34·56", "1\u03232\u03233\u0323"])
def test_a_number_typed_into_a_campaign_with_other_joiners_is_refused(project, written):
    lines = refused_lead(project, f"If the line is busy, call {written}.")
    assert any(line.startswith("campaigns/test.yaml:8:9: content.lead: the number '")
               and "is written into the text" in line for line in lines), lines


def test_a_number_in_a_hotline_s_hours_with_en_dashes_is_refused(project):
    lines = refused_hotline_words(project, "hours: 24 hours a day",
                                  "hours: 24 hours a day; at night 1–1–2")
    assert any(line.startswith("campaigns/hotlines.yaml:") and "ombudsman.hours" in line
               for line in lines), lines


STEPS = "Three steps, 1, 2 and 3. Call {hotline} today."


def translated(project, english: str, msgstr: str):
    """The test campaign's call to action as ``english``, translated into Russian as
    ``msgstr``."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace("Call {hotline} today.", english))
    project.run("translations", "update", "--locale", "ru")
    path = project.root / "locales/ru/LC_MESSAGES/test.po"
    po = polib.pofile(str(path))
    po.find(english).msgstr = msgstr
    po.save()
    return project


@pytest.mark.parametrize("msgstr", ["Три шага. Звоните {hotline} или 1–2–3.",
                                    "Три шага. Звоните {hotline} или 1-2-3.",
                                    "Три шага. Звоните {hotline} или 1\u03232\u03233\u0323."])
def test_a_translation_does_not_make_a_number_of_the_english_s_small_ones(project, msgstr):
    """The English's 1, 2 and 3 are each allowed in the translation, but not as one number."""
    translated(project, STEPS, msgstr)
    check = project.run("translations", "check", "--locale", "ru")
    assert check.status == 1 and "is not in the English: delete it" in check.err, check.err
    build = project.run("build", "--locale", "ru")
    assert build.status == 1 and "is not in the English: delete it" in build.err, build.err
    assert project.pdfs() == []


def test_a_year_the_english_has_may_stay_in_the_translation(project):
    translated(project, "Call {hotline} today, as since 2019.",
               "Звоните {hotline} сегодня, как с 2019 года.")
    check = project.run("translations", "check", "--locale", "ru")
    assert "2019" not in check.err, check.err


@pytest.mark.parametrize("address", ["https://wa.me/994125551234", "https://t.me/+994125551234",
                                     "https://api.whatsapp.com/send?phone=%2B994%2012%20555%2012%2034",
                                     "https://wa.me/９９４１２５５５１２３４"])
def test_a_qr_address_that_dials_a_number_is_refused(project, address):
    """A code that opens a messenger's chat with a number dials a number the registry does not
    hold, while its caption says it opens a website."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", f'hotlines: [ombudsman]\nqr: "{address}"'))
    run = project.run("build", "--locale", "en")
    assert run.status == 1 and "Traceback" not in run.err
    assert any(line.startswith("campaigns/test.yaml:6:5: qr: the address holds the number ")
               for line in run.err.splitlines()), run.err
    assert project.pdfs() == []


@pytest.mark.parametrize("address", ["https://example.org/help", "https://ombudsman.az/en/pages/113",
                                     "https://example.org/2026-11-22/help"])
def test_a_qr_address_with_a_page_s_numbers_is_kept(project, address):
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", f'hotlines: [ombudsman]\nqr: "{address}"'))
    assert "qr:" not in project.run("translations", "status").err


# Letters Noto Sans draws as digits: ꝫ as 3, ꝯ as 9, Ӟ and Ҙ as 3, Ӵ as 4, Ƅ as 6, ѳ as 0; the
# look-alikes known before, under a mark each; and look-alikes among digits (9l6 reads 916).
DISGUISED = ["ЗlЗ", "ꝫꝯꝫ", "ӞӞӞ", "ҘӴƄ", "lѳl", "З\u0301l\u0303З\u0301", "ＯＩＯ", "9l6", "1O2",
             "1ОО", "9 l 6", "9–l–6"]


@pytest.mark.parametrize("word", DISGUISED)
def test_a_number_spelt_with_look_alike_letters_in_a_campaign_is_refused(project, word):
    lines = refused_lead(project, f"If the line is busy, call {word}.")
    assert any(line.startswith("campaigns/test.yaml:8:9: content.lead: '")
               and "is written with letters that look like digits" in line for line in lines), \
        lines


def test_a_number_spelt_with_look_alike_letters_in_a_hotline_s_name_is_refused(project):
    lines = refused_hotline_words(project, "name: Ombudsman call centre",
                                  "name: Ombudsman call centre ꝫꝯꝫ")
    assert any(line.startswith("campaigns/hotlines.yaml:") and "ombudsman.name" in line
               and "letters that look like digits" in line for line in lines), lines


@pytest.mark.parametrize("word", DISGUISED)
def test_a_number_spelt_with_look_alike_letters_in_a_translation_is_refused(project, word):
    translated(project, "Call {hotline} today.", f"Звоните {{hotline}} или {word} сегодня.")
    check = project.run("translations", "check", "--locale", "ru")
    assert check.status == 1 and "written with letters that look like digits" in check.err, \
        check.err


@pytest.mark.parametrize("lead", ["The OOO that hired you is a company.",
                                  "Bosses lie; call the Ombudsman today."])
def test_words_that_only_begin_like_digits_are_allowed(project, lead):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("lead: A lead paragraph.",
                                                          f"lead: {lead}"))
    assert "look like digits" not in project.run("translations", "status").err


@pytest.mark.parametrize("first, copy", [("916", "916"),
                                         ("+994 12 000 00 09", "+994 12 000 00 09"),
                                         ("+994 12 000 00 09", "(012) 000-00-09")])
def test_two_registry_entries_with_one_number_are_refused(project, first, copy):
    """An entry copied and not changed: a leaflet printed the Ombudsman's 916 under the State
    Migration Service's name, and no check noticed."""
    lines = refused_hotline_words(project, 'number: "919"', f'number: "{copy}"',
                                  HOTLINES.replace('number: "916"', f'number: "{first}"'))
    assert any(line.startswith("campaigns/hotlines.yaml:9:11: migration-service.number: ")
               and "is the number of ombudsman too" in line for line in lines), lines


# Words that read as a number only in capitals, as the cover's kicker prints the title (and a
# directory its column headings): bio is printed BIO (810), sos SOS (505), zoo ZOO (200).
IN_CAPITALS = ["bio", "zoo", "Bio-Gas", "sos", "ozs"]


@pytest.mark.parametrize("word", IN_CAPITALS)
def test_a_title_that_reads_as_a_number_in_capitals_is_refused(project, word):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("title: Test campaign",
                                                          f"title: Test {word} campaign"))
    run = project.run("build", "--locale", "en")
    assert run.status == 1 and project.pdfs() == []
    assert any(line.startswith("campaigns/test.yaml:") and ": title: '" in line
               and "reads as a number where this text is printed, in capitals" in line
               for line in run.err.splitlines()), run.err


@pytest.mark.parametrize("word", IN_CAPITALS)
def test_the_same_word_where_it_is_not_printed_in_capitals_is_allowed(project, word):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("lead: A lead paragraph.",
                                                          f"lead: A {word} paragraph."))
    assert "look like digits" not in project.run("translations", "status").err


@pytest.mark.parametrize("context, english", [("campaign title", "Test campaign"),
                                              ("directory column", "Region")])
def test_a_translation_printed_in_capitals_that_reads_as_a_number_is_refused(
        project, context, english):
    project.run("translations", "update", "--locale", "ru")
    domain = "test" if context == "campaign title" else "templates"
    path = project.root / f"locales/ru/LC_MESSAGES/{domain}.po"
    po = polib.pofile(str(path))
    po.find(english, msgctxt=context).msgstr = "Кампания bio"
    po.save()
    check = project.run("translations", "check", "--locale", "ru")
    assert check.status == 1 and "'BIO' reads as a number where this text is printed, in " \
        "capitals" in check.err, check.err

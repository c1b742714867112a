"""Nobody can change the number people read: not a translator (``translations check`` and the
build refuse what would be read as part of a number, each at its line), not an empty-looking
translation (it is untranslated), not a right-to-left page (the number is one unit), and not the
tool's own advice (each hotline has its own placeholder, and a sentence that names a service
prints that service's number)."""

from __future__ import annotations

import json
import re
import textwrap

import polib
import pytest

from samples import CAMPAIGN, HOTLINES
from pdfcheck import text

CALL = "Call {hotline} free of charge, 24 hours a day."
FULL_NUMBER = textwrap.dedent("""\
    city-line:
      name: A city line
      number: "+994 12 000 00 09"
      hours: Weekdays
      source: test registry
      verified: 2026-11-22
    """)


def catalog(project, locale="ru"):
    return project.root / f"locales/{locale}/LC_MESSAGES/test.po"


def translate(project, translations: dict[str, str], locale="ru") -> dict[str, int]:
    """Write translations into the locale's catalog; the line of each entry."""
    po = polib.pofile(str(catalog(project, locale)))
    for msgid, msgstr in translations.items():
        po.find(msgid).msgstr = msgstr
    po.save()
    return {msgid: polib.pofile(str(catalog(project, locale))).find(msgid).linenum
            for msgid in translations}


@pytest.fixture
def call_project(project):
    """The test campaign with the call to action of know-the-signs, and Russian started."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace("Call {hotline} today.", CALL))
    project.run("translations", "update", "--locale", "ru")
    return project


# ------------------------------------------------------------------ 1. what a translator writes

@pytest.mark.parametrize("msgstr, message", [
    ("Звоните по номеру {hotline}24 бесплатно.",
     "the number '24' is written right after {hotline}"),
    ("Звоните по номеру 24{hotline} бесплатно.",
     "the number '24' is written right before {hotline}"),
    ("Звоните по номеру {hotline}-24 бесплатно.",
     "the number '24' stands after {hotline} with only '-' between them"),
    ("Звоните по номеру {hotline}\u00ad24 бесплатно.",
     "the invisible character U+00AD SOFT HYPHEN"),
    ("Звоните по номеру {hotline}\u202e24\u202c бесплатно.",
     "the invisible character U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("Звоните по номеру {hotline} или 24-24-24 бесплатно.",
     "the phone number '24-24-24' is not in the English: delete it"),
    ("Звоните по номеру З{hotline}б бесплатно.",
     "'З' right before {hotline} looks like a digit"),
    ("Звоните по номеру {hotline} 24 бесплатно.",
     "the number '24' stands after {hotline} with only a space between them"),
    ("Звоните по номеру {hotline}/24 бесплатно.",
     "the number '24' stands after {hotline} with only '/' between them"),
    ("Звоните по номеру {hotline}, 24 бесплатно.",
     "the number '24' stands after {hotline} with only ', ' between them"),
    ("Звоните по номеру {hotline}\u200d бесплатно.",
     "the invisible character U+200D ZERO WIDTH JOINER"),
    ("Звоните по номеру +{hotline} бесплатно.", "'+' right before {hotline} changes the number"),
])
def test_check_and_build_refuse_what_would_be_read_as_part_of_the_number(call_project, msgstr,
                                                                         message):
    line = translate(call_project, {CALL: msgstr})[CALL]
    expected = f'locales/ru/LC_MESSAGES/test.po:{line}: "Call {{hotline}} free of charge, 24 hours…": ' \
        + message
    check = call_project.run("translations", "check")
    assert check.status == 1
    assert any(entry.startswith(expected) for entry in check.err.splitlines()), check.err
    build = call_project.run("build", "--locale", "ru", "--variant", "print")
    assert build.status == 1 and "Traceback" not in build.err
    assert any(entry.startswith(expected) for entry in build.err.splitlines()), build.err
    assert call_project.pdfs() == []


def test_a_word_in_the_other_writing_direction_does_not_separate_a_number(call_project):
    """On a left-to-right page a Hebrew or Arabic word between the number and 24 is reordered
    (916 24 א); on a Persian page a Latin word is (call 24 916)."""
    translate(call_project, {CALL: "Звоните {hotline} א 24 часа в сутки."})
    check = call_project.run("translations", "check")
    assert check.status == 1 and "with only ' א ' (words in the other writing direction" in \
        check.err
    call_project.run("translations", "init", "fa")
    translate(call_project, {CALL: "با {hotline} تماس بگیرید، 24 ساعته."}, "fa")
    line = translate(call_project, {CALL: "با {hotline} call 24 ساعته."}, "fa")[CALL]
    build = call_project.run("build", "--locale", "fa")
    assert f"locales/fa/LC_MESSAGES/test.po:{line}: " in build.err
    assert "with only ' call ' (words in the other writing direction" in build.err
    assert build.status == 1 and call_project.pdfs() == []


def test_the_advice_to_a_translator_who_adds_a_number_is_to_delete_it(call_project):
    translate(call_project, {CALL: "Звоните {hotline} или 050 123 45 67, круглосуточно."})
    check = call_project.run("translations", "check")
    assert check.status == 1
    assert "the phone number '050 123 45 67' is not in the English: delete it" in check.err
    assert "write {hotline}" not in check.err


@pytest.mark.slow
@pytest.mark.parametrize("blank", [" ", "\u200b", "\u00a0\u3000", "\u2060", "\t", "\u3164"])
def test_a_translation_that_shows_nothing_is_untranslated_everywhere(project, blank):
    project.run("translations", "update", "--locale", "ru")

    def untranslated() -> int:
        rows = json.loads(project.run("translations", "status", "--json").out)
        return next(r["untranslated"] for r in rows if (r["domain"], r["locale"]) ==
                    ("test", "ru"))

    def drafted() -> str:
        run = project.run("build", "--locale", "ru", "--variant", "print")
        assert run.status == 0, run.err
        return re.search(r"test a5-leaflet ru: (\d+) texts? (?:is|are) not translated", run.out)[1]

    translate(project, {"Test campaign": "Проверка", "A headline": ""})
    empty, empty_on_leaflet = untranslated(), drafted()
    translate(project, {"A headline": blank})
    assert untranslated() == empty
    assert drafted() == empty_on_leaflet
    printed = text(project.root / "output/test/test_a5-leaflet_ru.pdf")
    assert "A headline" in printed  # the English, as for any untranslated text
    assert re.search(rf"untranslated texts\W*{empty_on_leaflet}\b", printed), printed
    assert project.run("build", "--locale", "ru", "--strict").status == 1


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["print", "screen"])
def test_a_full_number_is_one_unit_on_a_right_to_left_page(project, variant):
    project.write("campaigns/hotlines.yaml", HOTLINES + FULL_NUMBER)
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", "hotlines: [city-line, ombudsman]"))
    project.run("translations", "init", "fa")
    translate(project, {"Call {hotline} today.": "امروز با {hotline} تماس بگیرید.",
                        "A headline": "آیا کسی پاسپورت شما را گرفته است؟"}, "fa")
    run = project.run("build", "--locale", "fa", "--variant", variant, "--keep-html")
    assert run.status == 0, run.err
    pdf = next(project.root.glob("output/test/*.pdf"))
    printed = text(pdf)
    # Every place the leaflet prints it (the sentence, the big number, the QR caption, the
    # list): each whole, in order, on one line.
    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    numbers = re.findall(r'<bdi class="(?:big-)?number" dir="ltr">(.*?)</bdi>', html)
    places = sum("(012) 000 00 09" in n for n in numbers)
    assert places >= 3, numbers
    assert printed.count("(012)") == printed.count("(012) 000 00 09") == places, printed
    assert all(("<a href=" in n) == (variant == "screen") for n in numbers)


# ------------------------------------------------------------------ 5. the tool's own advice

def campaign_errors(project, text: str, hotlines: str = "[ombudsman, migration-service]",
                    registry: str = HOTLINES) -> list[str]:
    project.write("campaigns/hotlines.yaml", registry)
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", f"hotlines: {hotlines}").replace("A lead paragraph.",
                                                                  json.dumps(text)))
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert "Traceback" not in run.err
    errors = [line for line in run.err.splitlines() if line.startswith("campaigns/")]
    assert (run.status, project.pdfs() == []) == ((1, True) if errors else (0, False)), run.err
    return errors


@pytest.mark.parametrize("lead, hotlines, advice", [
    ("Call the State Migration Service on 919.", "[ombudsman, migration-service]",
     "the number '919' is written into the text; it is State Migration Service call centre "
     "(migration-service) in campaigns/hotlines.yaml: write {hotline:migration-service}"),
    ("Call the State Migration Service on 919.", "[ombudsman]",
     "the number '919' is written into the text; it is State Migration Service call centre "
     "(migration-service) in campaigns/hotlines.yaml: write {hotline:migration-service}, after "
     "adding migration-service to this campaign's hotlines:"),
    ("Call the Ombudsman on 916.", "[ombudsman, migration-service]",
     "the number '916' is written into the text; it is Ombudsman call centre (ombudsman) in "
     "campaigns/hotlines.yaml: write {hotline}"),
    ("Call the city line on (012) 000-00-09.", "[ombudsman, city-line]",
     "the number '012) 000-00-09' is written into the text; it is A city line (city-line) in "
     "campaigns/hotlines.yaml: write {hotline:city-line}"),
    ("Call the city line on +994 12 000 00 09.", "[ombudsman, city-line]",
     "the number '+994 12 000 00 09' is written into the text; it is A city line (city-line) "
     "in campaigns/hotlines.yaml: write {hotline:city-line}"),
    ("Call the police on 102 at once.", "[ombudsman]",
     "the number '102' is written into the text; it is not in campaigns/hotlines.yaml: add it "
     "there first"),
])
def test_a_typed_number_is_answered_with_the_placeholder_that_prints_it(project, lead, hotlines,
                                                                        advice):
    errors = campaign_errors(project, lead, hotlines, HOTLINES + FULL_NUMBER)
    assert any(line.startswith("campaigns/test.yaml:8:9: content.lead: " + advice)
               for line in errors), errors


@pytest.mark.parametrize("lead, hotlines, expected", [
    ("Call the State Migration Service on {hotline}.", "[ombudsman, migration-service]",
     "write {hotline:migration-service} for its number, or {hotline:ombudsman} if you mean"),
    ("Call the state migration service on {hotline}.", "[ombudsman, migration-service]",
     "write {hotline:migration-service}"),
    ("Ask the STATE MIGRATION SERVICE CALL CENTRE: {hotline}.", "[ombudsman]",
     "write {hotline:migration-service} for its number, after adding migration-service to this "
     "campaign's hotlines:"),
    ("Call the Ombudsman on {hotline}.", "[migration-service, ombudsman]",
     "write {hotline:ombudsman}"),
    ("Call the State Migration Service on {hotline:ombudsman}.", "[ombudsman, migration-service]",
     "but {hotline:ombudsman} prints the number of Ombudsman call centre: write "
     "{hotline:migration-service}"),
])
def test_a_sentence_that_names_a_service_prints_that_service_s_number(project, lead, hotlines,
                                                                      expected):
    errors = campaign_errors(project, lead, hotlines)
    assert any(line.startswith("campaigns/test.yaml:8:9: content.lead: the text names ")
               and expected in line for line in errors), errors


@pytest.mark.slow
@pytest.mark.parametrize("lead", [
    "Call the State Migration Service on {hotline:migration-service}.",
    "Call the Ombudsman on {hotline}, or the State Migration Service on "
    "{hotline:migration-service}.",
    "Call the Ombudsman on {hotline:ombudsman}, not the State Migration Service.",
])
def test_following_the_advice_prints_the_right_number(project, lead):
    assert campaign_errors(project, lead) == []
    printed = text(project.root / "output/test/test_a5-leaflet_en.pdf")
    for name, number in [("State Migration Service on", "919"), ("Ombudsman on", "916")]:
        if name in lead:
            assert f"{name} {number}" in " ".join(printed.split()), printed


@pytest.mark.parametrize("placeholder, message", [
    ("{hotline:police}", "{hotline:police}: 'police' is not one of this campaign's hotlines "
     "(known: {hotline}, {hotline:ombudsman}, {hotline:migration-service})"),
    ("{hotline:unverified-line}", "{hotline:unverified-line}: 'unverified-line' is not one of "
     "this campaign's hotlines (known: {hotline}, {hotline:ombudsman}, "
     "{hotline:migration-service}); add unverified-line to its hotlines: list"),
    ("{hotline:}", "unknown placeholder {hotline:} (known: {hotline}, {hotline:ombudsman}"),
    ("{hotline!r}", "unknown placeholder {hotline!r}"),
    ("{hotline[0]}", "unknown placeholder {hotline[0]}"),
    ("{ hotline }", "unknown placeholder { hotline }"),
    ("{hotline:{x}}", "broken placeholder braces"),
])
def test_only_the_campaign_s_own_hotlines_have_placeholders(project, placeholder, message):
    errors = campaign_errors(project, f"Call now: {placeholder}.")
    assert any(line.startswith("campaigns/test.yaml:8:9: content.lead: " + message)
               for line in errors), errors


@pytest.mark.slow
def test_a_translation_keeps_each_hotline_s_placeholder(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman, migration-service]").replace(
        "A lead paragraph.", '"Ask the State Migration Service: {hotline:migration-service}."'))
    project.run("translations", "update", "--locale", "ru")
    lead = "Ask the State Migration Service: {hotline:migration-service}."
    for msgstr, message in [
            ("Спросите Миграционную службу: {hotline}.",
             "the translation renames {hotline:migration-service} to {hotline}"),
            ("Спросите Миграционную службу.", "the translation drops "
             "{hotline:migration-service}")]:
        line = translate(project, {lead: msgstr})[lead]
        run = project.run("translations", "check")
        assert f'test.po:{line}: "Ask the State Migration Service: {{hotli…": {message}' \
            in run.err, run.err
    translate(project, {lead: "Спросите Миграционную службу: {hotline:migration-service}."})
    run = project.run("build", "--locale", "ru", "--variant", "print")
    assert run.status == 0, run.err
    assert "Миграционную службу: 919" in text(project.root / "output/test/test_a5-leaflet_ru.pdf")

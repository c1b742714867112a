"""The translator's commands: status, check, init and where; new scripts and right-to-left
languages in the build; every translated element marked with its entry."""

from __future__ import annotations

import json
import re
import textwrap
import time

import polib
import pytest

from conftest import assert_msgfmt_accepts
from samples import BOOKLET_CONTENT, CAMPAIGN, HOTLINES, POSTER_SIGNS
from leaflets.inputs.formats import FORMATS
from leaflets.pipeline import BuildOptions, plan, render_job
from leaflets.project import Project
from leaflets.translation.translations import word_count
from pdfcheck import fonts, text


def po_path(project, locale="ru", domain="test"):
    return project.root / f"locales/{locale}/LC_MESSAGES/{domain}.po"


def line_of(path, needle: str) -> int:
    """The 1-based line of the first line of ``path`` that starts with ``needle``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(needle))


# ------------------------------------------------------------------ status

def template_entries(project) -> list[polib.POEntry]:
    """The templates' own strings (they change with the design)."""
    project.run("translations", "extract")
    return list(polib.pofile(str(project.root / "locales/templates.pot")))


def test_status_before_any_catalog_counts_everything_as_untranslated(project):
    templates = template_entries(project)
    words = sum(word_count(e.msgid) for e in templates)  # "embassy's" is one word
    rows = json.loads(project.run("translations", "status", "--json").out)
    assert [(r["domain"], r["locale"], r["exists"], r["untranslated"], r["words_left"])
            for r in rows] == [("test", "az", False, 9, 21),
                               ("templates", "az", False, len(templates), words),
                               ("test", "ru", False, 9, 21),
                               ("templates", "ru", False, len(templates), words)]


def test_status_counts_fuzzy_empty_plural_forms_and_obsolete_entries_correctly(project):
    project.run("translations", "update")
    ru = polib.pofile(str(po_path(project)))
    for msgid, msgstr in [("Test campaign", "Проверка"), ("A headline", "Заголовок"),
                          ("First point.", "Первый пункт."), ("Signs", "Признаки")]:
        ru.find(msgid).msgstr = msgstr
    ru.find("Signs").flags.append("fuzzy")  # fuzzy: not translated, its words still to do
    ru.append(polib.POEntry(msgid="Gone.", msgstr="Ушло.", obsolete=True))  # never counted
    ru.save()
    templates = polib.pofile(str(po_path(project, domain="templates")))
    templates.append(polib.POEntry(msgid="{count} text", msgid_plural="{count} texts",
                                   msgstr_plural={0: "{count} текст", 1: "", 2: "{count} текстов"}))
    templates.append(polib.POEntry(msgid="{count} day", msgid_plural="{count} days",
                                   msgstr_plural={0: "{count} день", 1: "{count} дня",
                                                  2: "{count} дней"}))
    templates.save()
    run = project.run("translations", "status", "--json")
    rows = {(r["domain"], r["locale"]): r for r in json.loads(run.out)}
    test, templates_row = rows["test", "ru"], rows["templates", "ru"]
    assert (test["translated"], test["fuzzy"], test["untranslated"]) == (3, 1, 5)
    assert test["words_left"] == 1 + 3 + 2 + 2 + 3 + 4  # Signs, lead, point, call, name, hours
    assert (test["out_of_date"], test["complete"]) == (False, False)
    assert (templates_row["translated"], templates_row["fuzzy"],
            templates_row["untranslated"]) == (1, 0, len(template_entries(project)) + 1)
    # ^ the entry with an empty plural form counts as untranslated
    assert templates_row["out_of_date"]  # it has entries the templates do not

    table = project.run("translations", "status").out
    assert re.search(r"test\s+ru\s+3\s+1\s+5\s+15\s+in progress", table), table
    assert re.search(r"templates\s+ru\s+1\s+0\s+\d+\s+\d+\s+out of date", table), table


# ------------------------------------------------------------------ check

RU_HEADER = '''\
msgid ""
msgstr ""
"Language: ru\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

'''

RU_BAD = RU_HEADER + '''\
#. content.call_to_action
msgid "Call {hotline} today."
msgstr "Звоните сегодня."

msgid "A headline"
msgstr "Заголовок 7"

msgid "A lead paragraph."
msgstr "Звоните +994 12 555 55 55."

msgid "First point."
msgstr "Подробнее: example.org/help."

msgid "Second point."
msgstr "Пишите: help@example.org"

msgctxt "section heading"
msgid "Signs"
msgstr "<b>Признаки</b> &amp;"

#. title
#. Length budget: 48 characters
msgctxt "campaign title"
msgid "Test campaign"
msgstr "Очень длинное название кампании, которое не помещается на листовке"

msgctxt "hotline name"
msgid "Ombudsman call centre"
msgstr "Колл-центр {phone}"

msgctxt "hotline hours"
msgid "24 hours a day"
msgstr "{часы"

#, fuzzy
msgid "Fuzzy entries are not checked."
msgstr "Звоните 12345"
'''

RU_TEMPLATES_BAD = RU_HEADER + '''\
msgid "{count} text"
msgid_plural "{count} texts"
msgstr[0] "{count} текст"
msgstr[1] "{count} текста"

msgctxt "stamp"
msgid "DRAFT"
msgstr "ЧЕРНОВИК"

msgctxt "stamp"
msgid "DRAFT"
msgstr "ЧЕРНОВИК"
'''

AZ_HEADER_BAD = '''\
msgid ""
msgstr ""
"Language: tr\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "A headline"
msgstr "Başlıq"
'''


def test_check_reports_every_rule_at_the_line_of_its_entry(project):
    ru, templates = po_path(project), po_path(project, domain="templates")
    az, az_templates = po_path(project, "az"), po_path(project, "az", "templates")
    project.write("locales/ru/LC_MESSAGES/test.po", RU_BAD)
    project.write("locales/ru/LC_MESSAGES/templates.po", RU_TEMPLATES_BAD)
    project.write("locales/az/LC_MESSAGES/templates.po", AZ_HEADER_BAD)
    project.write("locales/az/LC_MESSAGES/test.po", 'msgid "x"\nmsgstr "y"\nmsgid\n')
    run = project.run("translations", "check")
    assert run.status == 1
    lines = run.err.splitlines()

    def reported(path, line, fragment):
        prefix = f"{path.relative_to(project.root).as_posix()}:{line}: "
        return any(entry.startswith(prefix) and fragment in entry for entry in lines)

    first_draft = line_of(templates, 'msgctxt "stamp"')
    expected = [
        (ru, line_of(ru, "#. content.call_to_action"), "the translation drops {hotline}"),
        (ru, line_of(ru, 'msgid "A headline"'), "the number '7' is not in the English"),
        (ru, line_of(ru, 'msgid "A lead'), "the phone number '+994 12 555 55 55'"),
        (ru, line_of(ru, 'msgid "First point'), "the address 'example.org/help'"),
        (ru, line_of(ru, 'msgid "Second point'), "the e-mail address 'help@example.org'"),
        (ru, line_of(ru, 'msgctxt "section heading"'), "markup '<b>'"),
        (ru, line_of(ru, 'msgctxt "section heading"'), "markup '&amp;'"),
        (ru, line_of(ru, 'msgctxt "section heading"'), "markup '</b>'"),
        (ru, line_of(ru, "#. title"), "is 66 characters long; its length budget is 48"),
        (ru, line_of(ru, 'msgctxt "hotline name"'), "the translation adds {phone}"),
        (ru, line_of(ru, 'msgctxt "hotline hours"'), "broken placeholder braces"),
        (templates, line_of(templates, 'msgid "{count} text"'), "2 plural forms; Russian has 3"),
        (templates, first_draft + 4, f'duplicate entry "DRAFT" (first at line {first_draft})'),
        (az_templates, 3, "Language: tr, but the catalog is in the folder for 'az'"),
        (az_templates, 4, "Plural-Forms disagrees with CLDR for Azerbaijani (nplurals=1; "
         "Azerbaijani has 2 forms): write Plural-Forms: nplurals=2; plural=(n != 1);"),
        (az, 3, "syntax error"),
    ]
    missing = [(path.name, line, fragment) for path, line, fragment in expected
               if not reported(path, line, fragment)]
    assert not missing, run.err
    assert not any("12345" in line for line in lines)  # fuzzy entries are not in use
    assert len(lines) == len(expected) + 1, run.err
    assert lines[-1] == (f"{len(expected)} problems in 4 files (4 catalogs checked; 2 warnings; "
                         "1 fuzzy entry and 1 untranslated in 2 catalogs: the leaflets stay "
                         "DRAFTs until each is translated and confirmed).")


def test_a_length_budget_holds_though_a_translator_deleted_its_note(project):
    """The budget is read from the POT, which the tool writes from the campaign's formats, not
    from the translator's own catalog, whose ``#.`` notes an editor can delete."""
    project.run("translations", "update")
    catalog = polib.pofile(str(po_path(project)))
    title = next(entry for entry in catalog if "Length budget" in entry.comment)
    title.comment = "\n".join(line for line in title.comment.splitlines()
                               if not line.startswith("Length budget"))
    title.msgstr = "Очень длинный заголовок " * 8
    catalog.save(str(po_path(project)))
    run = project.run("translations", "check")
    assert run.status == 1
    assert "characters long; its length budget is" in run.err, run.err


def test_check_passes_catalogs_the_tool_wrote(project):
    project.run("translations", "update")
    run = project.run("translations", "check")
    assert run.status == 0 and run.err == ""
    untranslated = sum(1 for path in (project.root / "locales").rglob("*.po")
                       for entry in polib.pofile(str(path)) if not entry.msgstr)
    assert untranslated > 0
    assert run.out.splitlines()[-1] == (
        f"4 catalogs checked: no errors, but 0 fuzzy entries and {untranslated} untranslated in "
        "4 catalogs: the leaflets stay DRAFTs until each is translated and confirmed.")


def test_renamed_placeholder(project):
    project.write("locales/ru/LC_MESSAGES/test.po", RU_HEADER + textwrap.dedent('''\
        msgid "Call {hotline} today."
        msgstr "Звоните {nomer} сегодня."
        '''))
    run = project.run("translations", "check")
    assert run.status == 1
    assert run.err.startswith("locales/ru/LC_MESSAGES/test.po:8: \"Call {hotline} today.\": the "
                              "translation renames {hotline} to {nomer}")


# ------------------------------------------------------------------ plural forms

RU_PLURAL_FORMS = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
                   "(n%100<10 || n%100>=20) ? 1 : 2);")


def with_plural_forms(plural_forms: str, entries: str = "") -> str:
    return ('msgid ""\nmsgstr ""\n"Language: ru\\n"\n'
            f'"Plural-Forms: {plural_forms}\\n"\n\nmsgid "A headline"\nmsgstr "Заголовок"\n'
            + entries)


@pytest.mark.parametrize("plural_forms, reason", [
    ("nplurals=2; plural=(n != 1);", "nplurals=2; Russian has 3 forms"),
    # Three forms, but Polish's rule: 21 is "few" there, "one" in Russian.
    ("nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
     "it picks form 2 for 21; Russian takes form 0"),
    (RU_PLURAL_FORMS.replace("? 1 : 2", "? 2 : 1"), "it picks form 1 for 0; Russian takes form 2"),
    ("nplurals=3; plural=(n%10==1 ? 0 : 1) + 5;", "it picks form 6 for 0; Russian takes form 2"),
    ("nplurals=3; plural=n/0;", "it cannot be read"),
    ("nplurals=3; plural=__import__('os').system('true');", "it cannot be read"),
    ("nplurals=3; plural=" + "(" * 30 + "n" + ")" * 30 + ";", "it cannot be read"),
    ("plural=(n != 1);", "it cannot be read"),
    # More digits than Python converts to a number (4300): the build stopped with a traceback.
    ("nplurals=" + "3" * 5000 + "; plural=n;", "it cannot be read"),
])
def test_the_build_refuses_plural_forms_that_disagree_with_cldr_as_check_does(
        project, plural_forms, reason):
    project.write("locales/ru/LC_MESSAGES/test.po", with_plural_forms(plural_forms))
    expected = (f"locales/ru/LC_MESSAGES/test.po:4: Plural-Forms disagrees with CLDR for Russian "
                f"({reason}): write Plural-Forms: {RU_PLURAL_FORMS}")
    build = project.run("build", "--locale", "ru")
    assert build.status == 1 and "Traceback" not in build.err, build
    assert build.err.splitlines()[0] == expected
    assert not (project.root / "output").exists() or not project.pdfs()
    check = project.run("translations", "check", "--locale", "ru")
    assert check.status == 1 and expected in check.err.splitlines(), check.err


@pytest.mark.parametrize("padding", [" ", "\t"])
def test_a_plural_forms_header_of_any_length_is_read_in_a_moment(padding):
    """A hostile header is refused as soon as a short one: it was matched by a pattern that
    backtracked over the spaces in it, for a time that grew with their square (a megabyte of
    them, as a catalog may hold, took most of an hour)."""
    from leaflets.translation.translation_checks import plural_forms_disagreement

    header = "nplurals=3; plural=n" + padding * 30_000 + "x"
    started = time.process_time()
    assert plural_forms_disagreement(header, "ru") == "it cannot be read"
    assert time.process_time() - started < 1


@pytest.mark.parametrize("plural_forms", [
    # Weblate writes the expression without brackets; others space it or drop the last ';'.
    RU_PLURAL_FORMS.replace("plural=(", "plural=").replace(");", ";"),
    RU_PLURAL_FORMS.replace("nplurals=3;", "nplurals = 3 ;").replace(" ? ", "?")
    .replace(" && ", "&&").rstrip(";"),
    "nplurals=3; plural=(n%10==1 && n%100!=11) ? 0 : ((n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20)) ? 1 : 2);"])
def test_plural_forms_written_another_way_for_the_same_rule_pass(project, plural_forms):
    project.write("locales/ru/LC_MESSAGES/test.po", with_plural_forms(plural_forms))
    run = project.run("translations", "check", "--locale", "ru")
    assert "Plural-Forms" not in run.err, run.err


@pytest.mark.parametrize("numbers, written", [
    ((0, 1), "2 plural forms"), ((0, 1, 2, 3), "4 plural forms"),
    # Three forms, but not those the rule picks: msgstr[2] would be looked for and not found.
    ((0, 1, 5), "plural forms msgstr[0], msgstr[1], msgstr[5]")])
def test_the_build_refuses_a_plural_entry_with_other_forms(project, numbers, written):
    plural = '\nmsgid "{count} text"\nmsgid_plural "{count} texts"\n' + "".join(
        f'msgstr[{i}] "{{count}} текст"\n' for i in numbers)
    catalog = project.write("locales/ru/LC_MESSAGES/test.po",
                            with_plural_forms(RU_PLURAL_FORMS, plural))
    line = line_of(catalog, 'msgid "{count} text"')
    build = project.run("build", "--locale", "ru")
    assert build.status == 1, build
    assert build.err.splitlines()[0] == (
        f'locales/ru/LC_MESSAGES/test.po:{line}: "{{count}} text": {written}; '
        "Russian has 3 (msgstr[0] to msgstr[2])")


def test_a_plural_entry_never_blanks_the_singular_text_it_shares_its_msgid_with(project):
    """The leaflets print no plural; a plural entry's msgstr is empty, and printed it would
    erase the call to action and its number."""
    plural = ('\nmsgid "Call {hotline} today."\nmsgid_plural "Call {hotline} today!"\n'
              + "".join(f'msgstr[{i}] "Звоните {{hotline}} сегодня."\n' for i in range(3)))
    project.write("locales/ru/LC_MESSAGES/test.po", with_plural_forms(RU_PLURAL_FORMS, plural))
    run = project.run("build", "--locale", "ru", "--variant", "screen")
    assert run.status == 0, run.err
    assert "Call 916 today." in text(project.pdfs()[0])
    assert "DRAFT" in run.out


# ------------------------------------------------------------------ a new language

OTHER = CAMPAIGN.replace("locales: [az, ru, en]", "locales: [en]").replace(
    "A headline", "Another headline")


@pytest.mark.slow
def test_init_starts_a_language_for_every_campaign(project):
    project.write("campaigns/other.yaml", OTHER)
    run = project.run("translations", "init", "uz")
    assert run.status == 0, run.err
    assert run.out.splitlines()[:3] == ["created: locales/uz/LC_MESSAGES/other.po",
                                        "created: locales/uz/LC_MESSAGES/test.po",
                                        "created: locales/uz/LC_MESSAGES/templates.po"]
    uz = polib.pofile(str(po_path(project, "uz", "other")))
    assert (uz.metadata["Language"], uz.metadata["Plural-Forms"]) == (
        "uz", "nplurals=2; plural=(n != 1);")
    assert uz.find("Another headline").msgstr == ""
    assert_msgfmt_accepts(project.root / "locales")
    assert "exists: locales/uz/LC_MESSAGES/test.po" in project.run(
        "translations", "init", "uz").out
    assert "unchanged: locales/uz/LC_MESSAGES/test.po" in project.run(
        "translations", "update", "--locale", "uz").out

    run = project.run("build", "--variant", "print", "--locale", "uz")
    assert run.status == 0, run.err
    assert "2 leaflets built, 2 drafts, 0 failed" in run.out
    assert "drafts, not for print:\n" \
        "  other a5-leaflet uz: 10 texts are not translated: 9 in locales/uz/LC_MESSAGES/other.po, " \
        "1 in locales/uz/LC_MESSAGES/templates.po\n" \
        "  test a5-leaflet uz: 10 texts are not translated: 9 in locales/uz/LC_MESSAGES/test.po, " \
        "1 in locales/uz/LC_MESSAGES/templates.po\n" \
        in run.out
    assert "untranslated texts : 10" in " ".join(text(project.root / "output/other/"
                                                    "other_a5-leaflet_uz.pdf").split())


def test_init_refuses_an_unknown_locale_and_english(project):
    for name, message in [("xx", "xx: unknown locale 'xx' (use a CLDR code"),
                          ("en", "en: English is the source language"),
                          ("pt-BR", "pt-BR: write the locale as 'pt_BR'")]:
        run = project.run("translations", "init", name)
        assert run.status == 1 and run.err.startswith(message), run.err
        assert "Traceback" not in run.err
    assert not (project.root / "locales").exists()


@pytest.mark.slow
def test_a_script_the_fonts_lack_fails_with_the_characters_named(project):
    project.run("translations", "init", "ka")
    ka = polib.pofile(str(po_path(project, "ka")))
    ka.find("A headline").msgstr = "ქართული სათაური და ტექსტი"
    ka.save()
    run = project.run("build", "--variant", "print", "--locale", "ka")
    assert run.status == 1
    assert ("test a5-leaflet ka: Noto Sans or Noto Sans Arabic has no glyphs for 'ქ', 'ა', "
            "'რ', 'თ', 'უ', 'ლ', 'ი', 'ს' … (11 characters): add a font for this script") in run.err
    assert project.pdfs() == []


FULL_NUMBER = """\
city-line:
  name: A city line
  number: "+994 12 555 55 55"
  hours: Weekdays
  source: test registry
  verified: 2026-11-22
"""


@pytest.mark.slow
def test_right_to_left_language_is_laid_out_right_to_left(project):
    project.write("campaigns/hotlines.yaml", HOTLINES + FULL_NUMBER)
    project.write("campaigns/test.yaml", CAMPAIGN.replace("hotlines: [ombudsman]",
                                                          "hotlines: [ombudsman, city-line]"))
    project.run("translations", "init", "fa")
    fa = polib.pofile(str(po_path(project, "fa")))
    fa.find("A headline").msgstr = "آیا کسی پاسپورت شما را گرفته است؟"
    fa.find("Call {hotline} today.").msgstr = "امروز با {hotline} تماس بگیرید."
    fa.save()
    run = project.run("build", "--variant", "print", "--locale", "fa", "--keep-html")
    assert run.status == 0, run.err  # laid out, QR code decoded
    pdf = project.root / "output/test/test_a5-leaflet_fa.pdf"
    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    assert '<html lang="fa" dir="rtl">' in html
    assert any("NotoSansArabic" in name.replace("-", "") for name in fonts(pdf)), fonts(pdf)
    assert "(012) 555 55 55" in text(pdf)  # a number reads left to right, in any language


# ------------------------------------------------------------------ where, and marked elements

@pytest.mark.slow
def test_where_names_the_leaflets_and_pages(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "formats: [a5-leaflet]", "formats: [a5-leaflet, a3-poster]").replace(
        "  sections:", POSTER_SIGNS + "  sections:"))
    run = project.run("translations", "where", "content.sections[0].points[1]")
    assert run.status == 0, run.err
    assert run.out.splitlines() == ['"Second point.":',
                                    "  test a5-leaflet page 2 (content.sections[0].points[1])"]
    run = project.run("translations", "where", "Another sign.")
    assert run.out.splitlines() == ['"Another sign.":',
                                    "  test a3-poster page 1 (content.key_points.points[1])"]
    run = project.run("translations", "where", "Ombudsman call centre")
    assert run.out.splitlines() == ['"Ombudsman call centre" (msgctxt \'hotline name\'):',
                                    "  test a5-leaflet page 1 (hotlines.ombudsman.name)",
                                    "  test a5-leaflet page 2 (hotlines.ombudsman.name)",
                                    "  test a3-poster page 1 (hotlines.ombudsman.name)"]


def test_where_answers_a_misspelt_text_with_the_entry_it_may_mean(project):
    run = project.run("translations", "where", "Second pont.")
    assert run.status == 1 and not (project.root / "output").exists()
    assert "Did you mean: 'Second point.'" in run.err


@pytest.mark.slow
def test_every_translated_element_of_every_format_is_marked_with_its_entry(project):
    formats = ", ".join(FORMATS)
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "formats: [a5-leaflet]", f"formats: [{formats}]").replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman, unverified-line]\nedition: 2026-12-01"
        "\nprint_run:\n  - {site: x, format: a5-leaflet, copies: {az: 10}}").replace(
        "  sections:", BOOKLET_CONTENT + "  sections:").replace(
        "  sections:", textwrap.indent(textwrap.dedent("""\
            key_points: {heading: Key, points: [One., Two.]}
            sections:
              - heading: Where to go
                directory:
                  - {region: Baku, organisation: An office, address: A street,
                     hotline: migration-service, hours: Weekdays}"""), "  ")))
    root = Project(project.root)
    jobs = plan(root, BuildOptions(locales=("az",)))
    assert sorted({job.format.name for job in jobs}) == sorted(FORMATS)
    assert {job.variant for job in jobs} == {"print", "screen"}
    for job in jobs:
        rendered, _ = render_job(root, job)
        printed = set(rendered.missing)  # with no catalog, every text the leaflet prints
        marked = {(context or None, msgid) for msgid, context in re.findall(
            r'data-msgid="([^"]*)"(?: data-msgctxt="([^"]*)")?', rendered.html)}
        assert printed == marked, job.name
        assert {("stamp", "DRAFT"), ("stamp", "UNVERIFIED NUMBER: NOT FOR PRINT")} <= marked
    # The poster prints the main hotline only: the other's name and hours are not counted.
    poster, = plan(root, BuildOptions(locales=("az",), formats=("a3-poster",),
                                      variants=("print",)))
    assert ("hotline name", "A line nobody has checked") not in render_job(root, poster)[0].missing

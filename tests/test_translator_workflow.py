"""What a new translator meets (issue 15): `translations check` and its summary, `where` by a
translation or a part of a sentence, entries filled in from another catalog, hotline names
translated one way, `init` of a started language, a QA tool's warnings."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest

from samples import CAMPAIGN
from leaflets.translation.translations import pseudo_translate
from pdfcheck import text

REPOSITORY = Path(__file__).resolve().parent.parent


def catalog(project, locale="ru", domain="test") -> polib.POFile:
    return polib.pofile(str(project.root / f"locales/{locale}/LC_MESSAGES/{domain}.po"))


def translate(project, translations: dict[str, str], locale="ru", domain="test",
              fuzzy: tuple[str, ...] = ()) -> None:
    po = catalog(project, locale, domain)
    for entry in po:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if entry.msgid in fuzzy:
                entry.flags.append("fuzzy")
    po.save()


RU_TEST = {"Test campaign": "Проверка", "Testers": "Тестировщики", "A headline": "Заголовок",
           "A lead paragraph.": "Вводный абзац.", "Signs": "Признаки",
           "First point.": "Первый пункт.", "Second point.": "Второй пункт.",
           "Call {hotline} today.": "Позвоните на {hotline} сегодня.",
           "Ombudsman call centre": "Колл-центр Омбудсмена", "24 hours a day": "Круглосуточно"}


# ------------------------------------------------------------------ check: what is left to do

def test_check_ends_with_the_fuzzy_and_untranslated_entries_of_each_catalog(project):
    project.run("translations", "update")
    translate(project, RU_TEST, fuzzy=("Signs",))
    run = project.run("translations", "check", "--locale", "ru")
    assert run.status == 0, run.err
    lines = run.out.splitlines()
    assert "locales/ru/LC_MESSAGES/test.po: 1 fuzzy entry, 0 untranslated" in lines
    assert lines[-1].startswith("2 catalogs checked: no errors, but 1 fuzzy entry and ")
    assert "no problems" not in run.out
    assert not any("/az/" in line for line in lines)  # --locale ru: only Russian

    run = project.run("translations", "check", "locales/ru/LC_MESSAGES/test.po")
    assert run.out.splitlines() == ["locales/ru/LC_MESSAGES/test.po: 1 fuzzy entry, 0 "
                                    "untranslated", "1 catalog checked: no errors, but 1 fuzzy "
                                    "entry and 0 untranslated in 1 catalog: the leaflets stay "
                                    "DRAFTs until each is translated and confirmed."]

    po = catalog(project)
    po.find("Signs").flags.remove("fuzzy")
    po.save()
    run = project.run("translations", "check", "locales/ru/LC_MESSAGES/test.po")
    assert (run.status, run.out) == (0, "1 catalog checked: no problems.\n")


def test_check_refuses_what_is_no_catalog_of_a_started_language(project):
    project.run("translations", "update")
    run = project.run("translations", "check", "--locale", "de", "campaigns/test.yaml",
                      "locales/ru/LC_MESSAGES/gone.po")
    assert run.status == 1
    assert "--locale de: no catalogs for 'de' (started: az, ru)" in run.err
    assert "campaigns/test.yaml: not a catalog: give a .po file of locales/<locale>/" \
        "LC_MESSAGES/ for de, as `translations status` lists them" in run.err
    assert "locales/ru/LC_MESSAGES/gone.po: not a catalog" in run.err  # not of 'de'
    run = project.run("translations", "check", "locales/ru/LC_MESSAGES/gone.po")
    assert run.status == 1 and "locales/ru/LC_MESSAGES/gone.po: no such catalog" in run.err
    assert "Traceback" not in run.err


def test_a_hotline_name_translated_two_ways_in_one_language_is_reported(project):
    project.write("campaigns/second.yaml", CAMPAIGN.replace("A headline", "Another headline"))
    project.run("translations", "update")
    translate(project, RU_TEST)
    translate(project, {"Ombudsman call centre": "Горячая линия омбудсмена"}, domain="second")
    run = project.run("translations", "check", "--locale", "ru")
    assert run.status == 1
    second = catalog(project, domain="second").find("Ombudsman call centre",
                                                    msgctxt="hotline name").linenum
    first = catalog(project).find("Ombudsman call centre", msgctxt="hotline name").linenum
    # Each translation that differs from the first catalog's (in file order) is reported.
    assert (f'locales/ru/LC_MESSAGES/test.po:{first}: "Ombudsman call centre": translated as '
            f'"Колл-центр Омбудсмена" here but as "Горячая линия омбудсмена" in '
            f"locales/ru/LC_MESSAGES/second.po:{second}: a hotline name is printed beside its "
            "number on every leaflet; use one translation in every catalog") in run.err
    # A file of its own is judged against the language's other catalogs all the same.
    run = project.run("translations", "check", "locales/ru/LC_MESSAGES/test.po")
    assert run.status == 1 and "translated as" in run.err


def test_an_entry_filled_in_from_another_catalog_names_it(project):
    project.run("translations", "update")
    translate(project, RU_TEST)
    project.write("campaigns/second.yaml", CAMPAIGN.replace("A headline", "Another headline"))
    project.run("translations", "update")
    text = (project.root / "locales/ru/LC_MESSAGES/second.po").read_text(encoding="utf-8")
    assert ('# Filled in from locales/ru/LC_MESSAGES/test.po (the same text there): check it '
            'here, then delete this comment\n#. hotlines.ombudsman.name') in text


def test_init_of_a_started_language_says_so(project):
    project.run("translations", "init", "ru")
    run = project.run("translations", "init", "ru")
    assert run.status == 0
    assert "exists: locales/ru/LC_MESSAGES/test.po" in run.out
    assert "now also built" not in run.out
    assert ("'ru' was already started: existing catalogs were left as they are. To bring them "
            "up to date with the English, run `python build.py translations update --locale "
            "ru`.") in run.out
    project.write("campaigns/second.yaml", CAMPAIGN)
    run = project.run("translations", "init", "ru")
    assert "created: locales/ru/LC_MESSAGES/second.po" in run.out
    assert "'ru' was already started: created the catalogs it lacked (above)" in run.out


def test_the_mo_file_an_editor_writes_is_ignored_by_git():
    if not (REPOSITORY / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(["git", "check-ignore", "--no-index",
                              "locales/ru/LC_MESSAGES/know-the-signs.mo"],
                             cwd=REPOSITORY, capture_output=True, text=True)
    assert ignored.returncode == 0, ignored.stderr


# ------------------------------------------------------------------ where

@pytest.mark.slow
def test_where_finds_an_entry_by_its_translation_and_by_a_part_of_a_sentence(project):
    project.run("translations", "update")
    translate(project, RU_TEST)
    run = project.run("translations", "where", "Позвоните на {hotline} сегодня.")
    assert run.status == 0, run.err
    assert run.out.splitlines() == [
        '"Call {hotline} today." (ru "Позвоните на {hotline} сегодня."):',
        "  test a5-leaflet page 2 (content.call_to_action)"]
    run = project.run("translations", "where", "point")  # a part of the English
    assert [line for line in run.out.splitlines() if not line.startswith(" ")] == [
        '"First point.":', '"Second point.":']
    run = project.run("translations", "where", "вводный")  # a part of a translation
    assert run.out.splitlines()[0] == '"A lead paragraph." (ru "Вводный абзац."):'
    run = project.run("translations", "where", "nowhere at all")
    assert run.status == 1 and "nor a part of one" in run.err


# ------------------------------------------------------------------ a QA tool's warnings

def test_check_warns_of_what_a_qa_tool_flags_and_refuses_mixed_scripts_beside_a_number(project):
    project.run("translations", "update")
    translate(project, {**RU_TEST,
                        "A headline": "Запомнитe это",  # a Latin e in a Cyrillic word
                        "A lead paragraph.": "Вводный вводный абзац.",
                        "First point.": "Первый пункт (важно.",
                        "Second point.": "Второй  пункт.",
                        "Signs": "Признаки!"})
    run = project.run("translations", "check", "--locale", "ru")
    assert run.status == 0, run.err
    po = catalog(project)

    def warning(msgid, message):
        return (f'locales/ru/LC_MESSAGES/test.po:{po.find(msgid).linenum}: "{msgid}": '
                f"warning: {message}")
    lines = run.out.splitlines()
    for msgid, message in [
            ("A headline", "'Запомнитe' mixes the letters of two scripts (Latin 'e'): write the "
             "word in one script (a look-alike letter breaks search, spelling checks and "
             "hyphenation)"),
            ("A lead paragraph.", "the word 'Вводный' is written twice in a row"),
            ("First point.", "unbalanced brackets or quotes: '(' is never closed"),
            ("Second point.", "two spaces in a row (at character 7)"),
            ("Signs", "the English ends with no punctuation mark, the translation with '!'")]:
        assert warning(msgid, message) in lines, run.out
    assert lines[-1].startswith("2 catalogs checked: no errors, but 5 warnings; ")

    # Beside a number, a letter of another script is an error, and the build refuses it.
    translate(project, {"Call {hotline} today.": "Позвоните нa {hotline} сегодня."})
    run = project.run("translations", "check", "--locale", "ru")
    assert run.status == 1
    assert ("\"Call {hotline} today.\": 'нa' mixes the letters of two scripts (Latin 'a') "
            "beside a number") in run.err
    run = project.run("build", "--locale", "ru", "--variant", "print")
    assert run.status == 1 and "'нa' mixes the letters of two scripts" in run.err
    assert project.pdfs() == []


# ------------------------------------------------------------------ the fit before translating

LONG_SECTION = CAMPAIGN.replace("locales: [az, ru, en]", "locales: [en]").replace(
    "        - First point.\n        - Second point.",
    "\n".join(["        - This point is a sentence of some length that fills the page."] * 14))


@pytest.mark.slow
def test_a_pseudo_translation_shows_what_will_not_fit_before_anyone_translates(project):
    project.write("campaigns/test.yaml", LONG_SECTION)
    run = project.run("build", "--variant", "print")
    assert run.status == 0, run.err  # the English fits
    run = project.run("build", "--pseudo", "--variant", "print")
    assert run.status == 1
    assert re.search(r"^test a5-leaflet en-XA: content\.sections\[0\] overflows page 2 by \d+ mm "
                     r"\(runs into \.back-footer\)$", run.err, re.MULTILINE), run.err
    assert (project.root / "output/test/test_a5-leaflet_en.pdf").is_file()  # left as it was


@pytest.mark.slow
def test_a_pseudo_leaflet_is_a_draft_whose_numbers_come_from_the_registry(project):
    run = project.run("build", "--pseudo", "--variant", "print", "--keep-html")
    assert run.status == 0, run.err
    assert "built output/test/test_a5-leaflet_en-XA.pdf (2 pages; DRAFT: pseudo-translation" \
        in run.out
    pdf = project.root / "output/test/test_a5-leaflet_en-XA.pdf"
    printed = " ".join(text(pdf).split())
    assert "[ÅÅ ĥééääðĺîîñé]" in printed  # "A headline": a third longer, in look-alikes
    call = pseudo_translate("Call {hotline} today.")
    assert call.startswith("[ÇÇääĺĺ {hotline} ţöö")
    assert call.replace("{hotline}", "916") in printed  # the number from the registry
    assert "DRAFT" in printed  # the stamps print the English always
    assert pseudo_translate("{{x}} at {hotline:a}, 24/7") == "[{{хх}} ääţ {hotline:a}, 24/7]"
    run = project.run("build", "--pseudo", "--locale", "ru", "--strict")
    assert run.status == 1 and "--pseudo: the pseudo-translation is a language of its own " \
        "(en-XA): leave out --locale" in run.err
    assert "--pseudo: a pseudo-translation is a DRAFT, never final: leave out --strict" in run.err


@pytest.mark.slow
def test_untranslated_english_on_a_draft_page_keeps_english_rules(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("title: Test campaign",
                                                          "title: Your rights"))
    run = project.run("build", "--locale", "az", "--variant", "print", "--keep-html")
    assert run.status == 0, run.err
    pdf = project.root / "output/test/test_a5-leaflet_az.pdf"
    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    assert '<p class="kicker" data-msgid="Your rights" data-msgctxt="campaign title" ' \
        'lang="en" dir="ltr">' in html
    assert "YOUR RIGHTS" in text(pdf) and "RİGHTS" not in text(pdf)  # not Azerbaijani's İ

"""Catalogs: extraction, merging across updates, and the round trip through a translator's editor."""

from __future__ import annotations

import shutil
import subprocess

import polib
import pytest

from conftest import CAMPAIGN
from pdfcheck import text


def catalog(project, locale="ru", domain="test") -> polib.POFile:
    return polib.pofile(str(project.root / f"locales/{locale}/LC_MESSAGES/{domain}.po"))


def test_extract_writes_pots_with_notes_contexts_and_flags(project):
    run = project.run("translations", "extract")
    assert run.status == 0, run.err
    assert "written: locales/test.pot" in run.out and "written: locales/templates.pot" in run.out
    pot = polib.pofile(str(project.root / "locales/test.pot"))
    heading = pot.find("Signs", msgctxt="section heading")
    assert heading.comment.splitlines() == ["content.sections[0].heading", "Audience: Testers",
                                            "Length budget: 40 characters"]
    assert heading.occurrences == [("campaigns/test.yaml", "")]
    call = pot.find("Call {hotline} today.")
    assert "python-brace-format" in call.flags
    assert pot.find("Ombudsman call centre", msgctxt="hotline name") is not None
    templates = polib.pofile(str(project.root / "locales/templates.pot"))
    assert templates.find("Edition", msgctxt="edition line") is not None


def test_extract_twice_is_byte_identical(project):
    project.run("translations", "extract")
    first = (project.root / "locales/test.pot").read_bytes()
    again = project.run("translations", "extract")
    assert "unchanged: locales/test.pot" in again.out
    assert (project.root / "locales/test.pot").read_bytes() == first


def test_update_creates_catalogs_with_the_locale_header(project):
    run = project.run("translations", "update")
    assert "created: locales/ru/LC_MESSAGES/test.po" in run.out
    assert "created: locales/az/LC_MESSAGES/templates.po" in run.out
    assert not (project.root / "locales/en").exists()  # English is the source
    ru = catalog(project)
    assert ru.metadata["Language"] == "ru"
    assert ru.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert catalog(project, "az").metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_written_catalogs_pass_msgfmt_check(project):
    project.run("translations", "update")
    for po in (project.root / "locales").rglob("*.po"):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)


def test_round_trip_edit_fuzzy_confirm(project):
    project.run("translations", "update")
    ru = catalog(project)
    translations = {"Test campaign": "Проверка", "A headline": "Заголовок",
                    "A lead paragraph.": "Вводный абзац.", "Signs": "Признаки",
                    "First point.": "Первый пункт.", "Second point.": "Второй пункт.",
                    "Call {hotline} today.": "Звоните {hotline} сегодня.",
                    "Ombudsman call centre": "Колл-центр Омбудсмена",
                    "24 hours a day": "Круглосуточно"}
    for entry in ru:
        entry.msgstr = translations[entry.msgid]
    ru.find("A lead paragraph.").tcomment = "checked with the Baku office"
    ru.save()
    # Poedit and friends: the leaflet now shows the translation, and is not a draft.
    run = project.run("build", "--locale", "ru")
    assert "0 drafts" in run.out, run.out
    assert "Заголовок" in text(project.root / "output/test/test_a5-leaflet_ru.pdf")
    before = (project.root / "locales/ru/LC_MESSAGES/test.po").read_bytes()
    assert "unchanged: locales/ru/LC_MESSAGES/test.po" in project.run(
        "translations", "update").out
    assert (project.root / "locales/ru/LC_MESSAGES/test.po").read_bytes() == before

    # The English headline is edited: exactly that entry becomes fuzzy, with the old English.
    project.write("campaigns/test.yaml", CAMPAIGN.replace("A headline", "A better headline"))
    project.run("translations", "update")
    ru = catalog(project)
    fuzzy = [e for e in ru if "fuzzy" in e.flags]
    assert [(e.msgid, e.msgstr, e.previous_msgid) for e in fuzzy] == [
        ("A better headline", "Заголовок", "A headline")]
    assert ru.find("A lead paragraph.").tcomment == "checked with the Baku office"
    # A second update keeps the previous msgid (Babel would turn it into a comment).
    project.run("translations", "update")
    assert catalog(project).find("A better headline").previous_msgid == "A headline"

    # Until a translator confirms it, the leaflet is a draft showing the English.
    run = project.run("build", "--locale", "ru")
    assert "DRAFT: 1 untranslated" in run.out
    assert "A better headline" in text(project.root / "output/test/test_a5-leaflet_ru.pdf")
    ru = catalog(project)
    entry = ru.find("A better headline")
    entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    ru.save()
    assert "0 drafts" in project.run("build", "--locale", "ru").out


def test_removed_text_becomes_obsolete(project):
    project.run("translations", "update")
    ru = catalog(project)
    ru.find("Second point.").msgstr = "Второй пункт."
    ru.save()
    project.write("campaigns/test.yaml", CAMPAIGN.replace("        - Second point.\n", ""))
    project.run("translations", "update")
    obsolete = [e for e in catalog(project) if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in obsolete] == [("Second point.", "Второй пункт.")]


def test_template_syntax_error_is_an_error_not_zero_strings(project):
    templates = project.root / "templates"
    shutil.copytree(__import__("leaflets.project").project.BUILTIN_TEMPLATES, templates)
    (templates / "partials/broken.html").write_text("{{ _('x') }}\n{% if %}\n")
    run = project.run("translations", "extract")
    assert run.status == 1
    assert "templates/partials/broken.html:2: template syntax error:" in run.err

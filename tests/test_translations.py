"""Catalogs: extraction, merging across updates, and the round trip through a translator's editor."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess

import polib
import pytest

from conftest import assert_msgfmt_accepts
from samples import BOOKLET_CONTENT, CAMPAIGN, POSTER_SIGNS
from leaflets.translation.pofile import po_text
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
                                            "Length budget: 60 characters"]
    assert heading.occurrences == [("campaigns/test.yaml", "")]
    call = pot.find("Call {hotline} today.")
    assert "python-brace-format" in call.flags
    assert pot.find("Ombudsman call centre", msgctxt="hotline name") is not None
    templates = polib.pofile(str(project.root / "locales/templates.pot"))
    assert templates.find("Edition", msgctxt="edition line") is not None


def test_extract_notes_the_smallest_length_budget_of_the_campaign_formats(project):
    project.run("translations", "extract")
    pot = polib.pofile(str(project.root / "locales/test.pot"))
    assert "Length budget: 50 characters" in pot.find("A headline").comment.splitlines()
    assert "Length budget" not in pot.find("First point.").comment  # flowing text: no budget
    assert "Length budget: 60 characters" in pot.find(
        "Ombudsman call centre", msgctxt="hotline name").comment
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "formats: [a5-leaflet]", "formats: [a5-leaflet, a3-poster]").replace(
        "  sections:", POSTER_SIGNS + "  sections:"))
    project.run("translations", "extract")
    pot = polib.pofile(str(project.root / "locales/test.pot"))
    assert pot.find("A headline").comment.splitlines()[-1] == "Length budget: 45 characters"


def test_editing_one_sentence_changes_only_that_entry(project):
    project.run("translations", "extract")
    pot_path = project.root / "locales/test.pot"
    before = pot_path.read_text(encoding="utf-8").splitlines()
    project.write("campaigns/test.yaml", CAMPAIGN.replace("Second point.", "Second point, edited."))
    assert "written: locales/test.pot" in project.run("translations", "extract").out
    after = pot_path.read_text(encoding="utf-8").splitlines()
    changed = [line for line in difflib.unified_diff(before, after, n=0, lineterm="")
               if line[:1] in "+-" and line[:3] not in ("+++", "---")
               and "POT-Creation-Date" not in line]
    assert changed == ['-msgid "Second point."', '+msgid "Second point, edited."']
    assert "unchanged: locales/templates.pot" in project.run("translations", "extract").out


def test_extract_twice_is_byte_identical(project):
    project.run("translations", "extract")
    first = (project.root / "locales/test.pot").read_bytes()
    again = project.run("translations", "extract")
    assert again.status == 0 and "unchanged: locales/test.pot" in again.out
    assert (project.root / "locales/test.pot").read_bytes() == first


def test_update_creates_catalogs_with_the_locale_header(project):
    run = project.run("translations", "update")
    assert run.status == 0, run.err
    assert "created: locales/ru/LC_MESSAGES/test.po" in run.out
    assert "created: locales/az/LC_MESSAGES/templates.po" in run.out
    assert not (project.root / "locales/en").exists()  # English is the source
    ru = catalog(project)
    assert ru.metadata["Language"] == "ru"
    assert ru.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert catalog(project, "az").metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"




@pytest.mark.slow
def test_round_trip_edit_fuzzy_confirm(project):
    assert project.run("translations", "extract").status == 0
    assert project.run("translations", "update").status == 0
    assert_msgfmt_accepts(project.root / "locales")
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
    templates = catalog(project, domain="templates")  # the QR code's caption
    templates.find("Scan to call {hotline}").msgstr = "Наведите камеру, чтобы позвонить на {hotline}"
    templates.save()
    # Poedit and friends: the leaflet now shows the translation, and is not a draft.
    run = project.run("build", "--variant", "print", "--locale", "ru")
    assert run.status == 0 and "0 drafts" in run.out, run.out + run.err
    assert "Заголовок" in text(project.root / "output/test/test_a5-leaflet_ru.pdf")
    before = (project.root / "locales/ru/LC_MESSAGES/test.po").read_bytes()
    assert "unchanged: locales/ru/LC_MESSAGES/test.po" in project.run(
        "translations", "update").out
    assert (project.root / "locales/ru/LC_MESSAGES/test.po").read_bytes() == before

    # The English headline is edited: exactly that entry becomes fuzzy, with the old English.
    project.write("campaigns/test.yaml", CAMPAIGN.replace("A headline", "A better headline"))
    assert "updated: locales/ru/LC_MESSAGES/test.po" in project.run(
        "translations", "update").out
    ru = catalog(project)
    fuzzy = [e for e in ru if "fuzzy" in e.flags]
    assert [(e.msgid, e.msgstr, e.previous_msgid) for e in fuzzy] == [
        ("A better headline", "Заголовок", "A headline")]
    assert ru.find("A lead paragraph.").tcomment == "checked with the Baku office"
    assert_msgfmt_accepts(project.root / "locales")
    # Edited again before anyone translated it: the catalog is rewritten, and #| still shows the
    # English the translation was made from (Babel would turn it into a comment).
    project.write("campaigns/test.yaml", CAMPAIGN.replace("A headline", "The best headline"))
    assert "updated: locales/ru/LC_MESSAGES/test.po" in project.run(
        "translations", "update").out
    entry = catalog(project).find("The best headline")
    assert (entry.msgstr, entry.previous_msgid, "fuzzy" in entry.flags) == (
        "Заголовок", "A headline", True)
    assert "#| msgid \"A headline\"" in (
        project.root / "locales/ru/LC_MESSAGES/test.po").read_text(encoding="utf-8")
    assert_msgfmt_accepts(project.root / "locales")
    status = json.loads(project.run("translations", "status", "--json").out)
    ru_test = next(row for row in status if (row["locale"], row["domain"]) == ("ru", "test"))
    assert (ru_test["translated"], ru_test["fuzzy"], ru_test["untranslated"],
            ru_test["words_left"]) == (8, 1, 0, 3)

    # Until a translator confirms it, the leaflet is a draft showing the English.
    run = project.run("build", "--variant", "print", "--locale", "ru")
    assert run.status == 0, run.err
    assert "DRAFT: 1 text is not translated: 1 in locales/ru/LC_MESSAGES/test.po" in run.out
    assert "drafts, not for print:\n  test a5-leaflet ru: 1 text is not translated: 1 in " \
        "locales/ru/LC_MESSAGES/test.po\n" in run.out
    assert "The best headline" in text(project.root / "output/test/test_a5-leaflet_ru.pdf")
    ru = catalog(project)
    entry = ru.find("The best headline")
    entry.flags.remove("fuzzy")
    entry.previous_msgid = None
    ru.save()
    run = project.run("build", "--variant", "print", "--locale", "ru")
    assert run.status == 0 and "0 drafts" in run.out and "not for print" not in run.out


LONG_RU = ("Никто не вправе удерживать ваши документы, отбирать заработок или не отпускать вас. "
           "Это признаки торговли людьми, а в Азербайджане это преступление.")


def test_update_leaves_a_catalog_rewrapped_by_an_editor_untouched(project):
    project.run("translations", "update")
    path = project.root / "locales/ru/LC_MESSAGES/test.po"
    ru = polib.pofile(str(path))
    ru.find("A lead paragraph.").msgstr = LONG_RU
    ru.save()  # polib wraps long lines its own way, unlike GNU gettext and our writer
    saved = path.read_bytes()
    assert saved.decode() != po_text(polib.pofile(str(path)))
    assert "unchanged: locales/ru/LC_MESSAGES/test.po" in project.run(
        "translations", "update").out
    assert path.read_bytes() == saved


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext is not installed")
def test_written_catalogs_are_wrapped_as_gnu_gettext_wraps_them(project, tmp_path):
    project.run("translations", "update")
    path = project.root / "locales/ru/LC_MESSAGES/test.po"
    ru = polib.pofile(str(path))
    ru.find("A lead paragraph.").msgstr = LONG_RU + " «Агент» — (анти-трафик) и/или {hotline}."
    ru.find("A lead paragraph.").tcomment = "a translator's note"
    ru.save()
    path.write_text(po_text(polib.pofile(str(path))), encoding="utf-8")
    written = sorted((project.root / "locales").rglob("*.po*"))
    assert len(written) == 6  # az and ru: test.po, templates.po; two POTs
    for file in written:
        subprocess.run(["msgcat", "--width=79", str(file), "-o", str(tmp_path / "gnu.po")],
                       check=True)
        assert file.read_text(encoding="utf-8") == (tmp_path / "gnu.po").read_text(
            encoding="utf-8"), file


def test_removed_text_becomes_obsolete_and_comes_back_with_its_translation(project):
    project.run("translations", "update")
    ru = catalog(project)
    ru.find("Second point.").msgstr = "Второй пункт."
    ru.save()
    project.write("campaigns/test.yaml", CAMPAIGN.replace("        - Second point.\n", ""))
    project.run("translations", "update")
    obsolete = [e for e in catalog(project) if e.obsolete]
    assert [(e.msgid, e.msgstr) for e in obsolete] == [("Second point.", "Второй пункт.")]
    project.write("campaigns/test.yaml", CAMPAIGN)
    project.run("translations", "update")
    entry = catalog(project).find("Second point.")
    assert (entry.msgstr, entry.obsolete, entry.flags) == ("Второй пункт.", False, [])
    assert not [e for e in catalog(project) if e.obsolete]


def test_template_syntax_error_is_an_error_not_zero_strings(project):
    templates = project.root / "templates"
    shutil.copytree(__import__("leaflets.project").project.BUILTIN_TEMPLATES, templates)
    (templates / "partials/broken.html").write_text("{{ _('x') }}\n{% if %}\n")
    run = project.run("translations", "extract")
    assert run.status == 1
    assert "templates/partials/broken.html:2: template syntax error:" in run.err


@pytest.mark.parametrize("call", ["_(name)", "gettext(name)", 'pgettext("link", name)',
                                  'pgettext(context, "Call")', 'pgettext("Call")'])
def test_a_template_text_that_is_no_written_string_is_a_positioned_error(project, call):
    templates = project.root / "templates"
    shutil.copytree(__import__("leaflets.project").project.BUILTIN_TEMPLATES, templates)
    (templates / "partials/variable.html").write_text(f"<p>\n{{{{ {call} }}}}</p>\n")
    run = project.run("translations", "extract")
    assert run.status == 1
    function = call.split("(")[0]
    assert f"templates/partials/variable.html:2: {function}() is given no text written out " \
        "in quotes" in run.err
    assert "Traceback" not in run.err
    assert not list((project.root / "locales").glob("*.pot"))


def test_keyword_values_of_a_template_text_are_not_texts(project):
    templates = project.root / "templates"
    shutil.copytree(__import__("leaflets.project").project.BUILTIN_TEMPLATES, templates)
    (templates / "partials/named.html").write_text('{{ _("Call {n}", n=1) }}\n')
    assert project.run("translations", "extract").status == 0
    pot = polib.pofile(str(project.root / "locales/templates.pot"))
    assert pot.find("Call {n}") is not None


FIXED_SPACE_KINDS = {"title", "headline", "lead", "heading", "call_to_action", "hotline_name",
                     "hotline_hours", "key_points.heading", "key_points.points", "for_whom",
                     "subheading"}


@pytest.mark.slow
def test_every_format_declares_a_length_budget_for_each_fixed_space_text_it_prints(project):
    from leaflets.inputs.formats import FORMATS, LENGTH_BUDGETS
    from leaflets.pipeline import BuildOptions, plan, render_job
    from leaflets.project import Project
    from leaflets.translation.translations import field_kind
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "formats: [a5-leaflet]", f"formats: [{', '.join(FORMATS)}]").replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman, migration-service]").replace(
        "  sections:", "  key_points: {heading: Key, points: [One., Two.]}\n" + BOOKLET_CONTENT
        + "  sections:"))
    root = Project(project.root)
    unbudgeted = {}
    for job in plan(root, BuildOptions(locales=("az",))):  # no catalog: every text is missing
        kinds = {(m.context, m.text): field_kind(m.path) for m in job.campaign.messages()}
        kinds |= {(f"hotline {a}", getattr(h, a)): f"hotline_{a}"
                  for h in job.campaign.hotlines for a in ("name", "hours")}
        printed = {kinds[key] for key in render_job(root, job)[0].missing if key in kinds}
        unbudgeted[job.format.name] = printed & FIXED_SPACE_KINDS - set(
            LENGTH_BUDGETS.get(job.format.name, {}))
    assert set(unbudgeted) == set(FORMATS)
    assert unbudgeted == {name: set() for name in FORMATS}


def test_a_new_campaign_reuses_the_language_s_translations_of_shared_texts(project):
    project.run("translations", "update")
    ru = catalog(project)
    ru.find("Ombudsman call centre", msgctxt="hotline name").msgstr = "Колл-центр Омбудсмена"
    ru.find("24 hours a day", msgctxt="hotline hours").msgstr = "Круглосуточно"
    ru.save()
    project.write("campaigns/second.yaml", CAMPAIGN.replace("A headline", "Another headline"))
    assert "created: locales/ru/LC_MESSAGES/second.po" in project.run(
        "translations", "update").out
    second = catalog(project, domain="second")
    name = second.find("Ombudsman call centre", msgctxt="hotline name")
    assert name.msgstr == "Колл-центр Омбудсмена" and "fuzzy" not in name.flags
    # Visible as copied, in the translator's comment Poedit shows above the entry.
    assert name.tcomment == ("Filled in from locales/ru/LC_MESSAGES/test.po (the same text "
                             "there): check it here, then delete this comment")
    assert "# Filled in from locales/ru/LC_MESSAGES/test.po" in (
        project.root / "locales/ru/LC_MESSAGES/second.po").read_text(encoding="utf-8")
    assert second.find("24 hours a day", msgctxt="hotline hours").msgstr == "Круглосуточно"
    assert second.find("Another headline").msgstr == ""

"""What a new communications officer sees when something is missing or wrong (issue 15, 1–4):
each test runs the command they would run and reads the message they would read."""

from __future__ import annotations

import polib

from conftest import CAMPAIGN


def fill_catalog(project, locale: str, domain: str, skip: tuple[str, ...] = ()) -> None:
    """Translate every entry of one catalog (as 'XX …'), but those whose English is in ``skip``."""
    path = project.root / f"locales/{locale}/LC_MESSAGES/{domain}.po"
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid not in skip:
            if entry.msgid_plural:
                entry.msgstr_plural = {i: f"XX {entry.msgid_plural}" for i in range(3)}
            else:
                entry.msgstr = f"XX {entry.msgid}"
    po.save()


# ------------------------------------------------------------------ 1. the catalogs to open

def test_a_draft_names_the_catalog_that_holds_the_missing_texts(project):
    project.run("translations", "update", "--locale", "ru")
    fill_catalog(project, "ru", "templates")  # the layout's words are all done
    fill_catalog(project, "ru", "test", skip=("A headline", "Second point."))

    run = project.run("build", "--locale", "ru", "--variant", "print")
    assert run.status == 0, run.err
    assert "drafts, not for print:\n  test a5-leaflet ru: 2 texts are not translated: 2 in " \
        "locales/ru/LC_MESSAGES/test.po\n" in run.out
    assert "templates.po" not in run.out

    bundle = project.run("bundle", "test")
    assert bundle.status == 1
    assert "  test a5-leaflet ru: DRAFT: 2 texts are not translated: 2 in " \
        "locales/ru/LC_MESSAGES/test.po" in bundle.err.splitlines()


def test_texts_that_no_catalog_holds_yet_are_counted_where_update_will_put_them(project):
    project.run("translations", "update", "--locale", "ru")
    fill_catalog(project, "ru", "templates")
    fill_catalog(project, "ru", "test")
    project.write("campaigns/test.yaml", CAMPAIGN.replace("        - Second point.\n",
                                                          "        - Second point.\n"
                                                          "        - A third point.\n"))

    run = project.run("build", "--locale", "ru", "--variant", "print", "--strict")
    assert run.status == 1
    assert "test a5-leaflet ru: 1 text is not translated (--strict): 1 in " \
        "locales/ru/LC_MESSAGES/test.po (1 not in it yet: run `python build.py translations " \
        "update`)" in run.err

    project.run("translations", "init", "uz")  # a new language: both catalogs, all empty
    (project.root / "locales/uz/LC_MESSAGES/test.po").unlink()
    run = project.run("build", "--locale", "uz", "--variant", "print")
    assert "test a5-leaflet uz: 11 texts are not translated: 10 in " \
        "locales/uz/LC_MESSAGES/test.po (not created yet: run `python build.py translations " \
        "update`), 1 in locales/uz/LC_MESSAGES/templates.po\n" in run.out

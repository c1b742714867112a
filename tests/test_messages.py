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


# ------------------------------------------------------------------ 2. the English's own budget

CARD = CAMPAIGN.replace("formats: [a5-leaflet]", "formats: [a5-leaflet, a6-card]").replace(
    "  sections:", "  key_points:\n    heading: Your rights\n    points:\n"
    "      - Your passport is yours.\n  sections:")
LONG_POINT = ("Your passport is yours, nobody may keep it, not your employer, not an agency, not "
              "a landlord, nobody at all.")


def test_english_over_its_length_budget_is_an_error_in_the_yaml(project):
    assert len(LONG_POINT) == 108
    project.write("campaigns/test.yaml", CARD.replace("Your passport is yours.", LONG_POINT))
    run = project.run("build")
    assert run.status == 1
    assert run.err.splitlines()[0] == (
        "campaigns/test.yaml:12:9: content.key_points.points[0]: this text is 108 characters "
        "long, and the a6-card has room for 100 (its length budget): shorten it; its "
        "translations are held to the same budget")
    assert project.pdfs() == []
    # translations update refuses it too: no translator is given a budget the English breaks
    assert project.run("translations", "update").status == 1
    assert not (project.root / "locales/ru/LC_MESSAGES/test.po").exists()


def test_a_hotline_name_over_the_budget_of_the_campaign_s_formats(project):
    long_name = "State Migration Service call centre for foreigners and stateless persons"
    hotlines = (project.root / "campaigns/hotlines.yaml").read_text(encoding="utf-8")
    project.write("campaigns/hotlines.yaml", hotlines.replace(
        "State Migration Service call centre", long_name))
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman, migration-service]"))
    run = project.run("build")
    assert run.status == 1
    assert "campaigns/test.yaml:5:23: hotlines[1]: the name of migration-service in " \
        f"campaigns/hotlines.yaml is {len(long_name)} characters long, and the a5-leaflet has " \
        "room for 60 (its length budget)" in run.err

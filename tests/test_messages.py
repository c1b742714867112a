"""What a new communications officer sees when something is missing or wrong (issue 15, 1–4):
each test runs the command they would run and reads the message they would read."""

from __future__ import annotations

import polib
import pytest

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


# ------------------------------------------------------------------ 3. filters that match nothing

@pytest.mark.parametrize("arguments, message", [
    (("test", "--locale", "RU"),
     "--locale: no leaflet is built in 'RU': did you mean 'ru'? (test is built in az, ru, en)"),
    (("--locale", "de"),
     "--locale: no leaflet is built in 'de' (German): the campaigns are built in az, ru, en; to "
     "start German, run `python build.py translations init de`"),
    (("--locale", "xx"),
     "--locale: unknown locale 'xx' (use a CLDR code such as az, ru, en, ka); the campaigns are "
     "built in az, ru, en"),
    (("test", "--format", "a3-poster"),
     "--format: test has no a3-poster (its formats: a5-leaflet): add it to formats: in "
     "campaigns/test.yaml to make one"),
    (("--format", "a3-posters"),
     "--format: unknown format 'a3-posters': did you mean 'a3-poster'? (known: a5-leaflet, "
     "a3-poster, a6-card, dl-trifold)"),
    (("tset",), "campaigns/tset.yaml: no campaign 'tset': did you mean 'test'? (known: test)"),
    (("campaigns/hotlines.yaml",),
     "campaigns/hotlines.yaml: this is the hotline registry, not a campaign: name a campaign, "
     "e.g. `python build.py build know-the-signs`"),
])
def test_a_filter_that_matches_nothing_fails_and_lists_what_there_is(project, arguments,
                                                                      message):
    run = project.run("build", *arguments)
    assert run.status == 1
    assert run.err.splitlines() == [message, "1 problem in "
                                    + ("1 file" if message.startswith("campaigns/")
                                       else "the command line") + "; nothing was built."]
    assert project.pdfs() == []


def test_a_campaign_named_by_its_file_is_built_as_by_its_id(project, monkeypatch):
    monkeypatch.chdir(project.root)
    run = project.run("build", "campaigns/test.yaml", "--locale", "en", "--variant", "print")
    assert run.status == 0, run.err
    assert [p.name for p in project.pdfs()] == ["test_a5-leaflet_en.pdf"]

    project.write("drafts/new.yaml", CAMPAIGN)
    run = project.run("build", "drafts/new.yaml")
    assert run.status == 1
    assert run.err.splitlines()[0] == (
        "drafts/new.yaml: not a campaign of this project: a campaign is a file in campaigns/, "
        "named by its id; copy it to campaigns/new.yaml and run `python build.py build new`")

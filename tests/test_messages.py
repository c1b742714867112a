"""What a new communications officer sees when something is missing or wrong (issue 15, 1–4):
each test runs the command they would run and reads the message they would read."""

from __future__ import annotations

import polib
import pytest

from conftest import problem_lines
from samples import CAMPAIGN


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

@pytest.mark.slow
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


@pytest.mark.slow
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
     "a3-poster, a6-card, dl-trifold, a5-booklet)"),
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


@pytest.mark.slow
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


# ------------------------------------------------------------------ 4. YAML in a person's words

def build_errors(project, campaign: str) -> str:
    project.write("campaigns/test.yaml", campaign)
    run = project.run("build")
    assert run.status == 1
    assert "Traceback" not in run.err
    assert project.pdfs() == []
    return run.err


@pytest.mark.parametrize("change, expected", [
    (("  headline: A headline", "  headline: Warning: your passport"),
     "campaigns/test.yaml:7:20: a value that contains ': ' must be in quotes: write "
     "headline: \"Warning: your passport\"\n"
     "    7 |   headline: Warning: your passport\n"
     "      |                    ^\n"),
    # in a list it is no syntax error: YAML reads a mapping where a text should be
    (("        - Second point.", "        - Warning: your passport"),
     "campaigns/test.yaml:13:11: content.sections[0].points[1]: a value that contains ': ' must "
     "be in quotes: write - \"Warning: your passport\"\n"
     "   13 |         - Warning: your passport\n"
     "      |           ^\n"),
    (("  lead: A lead paragraph.", "\tlead: A lead paragraph."),
     "campaigns/test.yaml:8:1: use spaces, not tabs: YAML does not accept a tab to indent or to "
     "separate\n"
     "    8 | \tlead: A lead paragraph.\n"
     "      | ^\n"),
    (("        - Second point.", "       - Second point."),
     "campaigns/test.yaml:13:8: the '-' items of a list must line up: this '-' is in column 8, "
     "the one on line 12 in column 9; indent them with the same number of spaces\n"
     "   13 |        - Second point.\n"
     "      |        ^\n"),
    # further in, YAML reads it as more of the text above ("First point. - Second point.")
    (("        - Second point.", "          - Second point."),
     "campaigns/test.yaml:13:11: the '-' items of a list must line up: this '-' is in column 11, "
     "the one on line 12 in column 9, so it is read as more of that item's text; indent them "
     "with the same number of spaces\n"),
    (("  lead: A lead paragraph.", "   lead: A lead paragraph."),
     "campaigns/test.yaml:8:4: the keys of a mapping must line up: 'lead' is in column 4, "
     "'headline' on line 7 in column 3; indent them with the same number of spaces\n"),
    (("  headline: A headline", "  headlin: A headline"),
     "campaigns/test.yaml:7:3: content.headlin: unknown key 'headlin': did you mean "
     "'headline'?\n"
     "    7 |   headlin: A headline\n"
     "      |   ^\n"),
    # a key that looks like pydantic's own location parts is still the user's key, in its place
    (("locales: [az, ru, en]", "locales[: [az, ru, en]"),
     "campaigns/test.yaml:4:1: locales[: unknown key 'locales[': did you mean 'locales'?\n"),
    (("locales: [az, ru, en]", "locales: [az, ru, eng]"),
     "campaigns/test.yaml:4:19: locales[2]: write the locale as 'en' (English)\n"
     "    4 | locales: [az, ru, eng]\n"
     "      |                   ^\n"),
    (("formats: [a5-leaflet]", "formats: a5-leaflet"),
     "campaigns/test.yaml:3:10: formats: expected a list such as [a5-leaflet, a6-card], got "
     "the text 'a5-leaflet': write [a5-leaflet]\n"),
])
def test_yaml_and_schema_messages_say_what_to_write(project, change, expected):
    old, new = change
    assert old in CAMPAIGN
    err = build_errors(project, CAMPAIGN.replace(old, new))
    assert expected in err, err
    assert "missing required key" not in err  # a misspelt key is one mistake, told once


def test_a_card_has_room_for_three_key_points(project):
    err = build_errors(project, CARD.replace(
        "      - Your passport is yours.\n",
        "      - Your passport is yours.\n      - Rest.\n      - Pay.\n      - Leave.\n"))
    assert "campaigns/test.yaml:15:9: content.key_points.points[3]: a6-card has room for 3 key " \
        "points, not 4: keep the 3 that matter most\n" \
        "   15 |       - Leave.\n" \
        "      |         ^\n" in err


def test_every_problem_at_once_each_under_its_line(project):
    campaign = (CAMPAIGN.replace("formats: [a5-leaflet]", "formats: a5-leaflet")
                .replace("locales: [az, ru, en]", "locales: [az, ru, eng]")
                .replace("  headline: A headline", "  headlin: A headline")
                .replace("        - Second point.", "        - Warning: your passport"))
    err = build_errors(project, campaign)
    assert [line.split(":")[1] for line in problem_lines(err)[:-1]] == ["3", "4", "7", "13"]
    assert problem_lines(err)[-1] == "4 problems in 1 file; nothing was built."
    assert len(err.splitlines()) == 4 * 3 + 1  # each problem, its line and its caret


def test_every_line_indented_with_a_tab_is_named(project):
    campaign = CAMPAIGN.replace("  lead: A lead", "\tlead: A lead").replace(
        "        - First point.", "    \t    - First point.")
    err = build_errors(project, campaign)
    assert [line.split(": ", 1)[0] for line in problem_lines(err)[:-1]] == [
        "campaigns/test.yaml:8:1", "campaigns/test.yaml:12:5"]


def test_bundle_names_its_campaign_by_id_or_file_too(project):
    run = project.run("bundle", "campaigns/tset.yaml")
    assert run.status == 1
    assert problem_lines(run.err) == [
        "campaigns/tset.yaml: no campaign 'tset': did you mean 'test'? (known: test)",
        "1 problem in 1 file; no bundle was written."]
    run = project.run("bundle", "/etc/passwd.yaml")
    assert run.status == 1
    assert run.err.startswith("/etc/passwd.yaml: not a campaign of this project")


def test_the_line_the_message_suggests_is_accepted(project):
    err = build_errors(project, CAMPAIGN.replace("        - Second point.",
                                                 "        - Warning: it's \"free\""))
    fix = err.split(" must be in quotes: write ", 1)[1].split("\n", 1)[0]
    assert fix == "- 'Warning: it''s \"free\"'"
    project.write("campaigns/test.yaml", CAMPAIGN.replace("- Second point.", fix))
    run = project.run("translations", "extract")
    assert run.status == 0, run.err
    assert 'msgid "Warning: it\'s \\"free\\""' in (project.root / "locales/test.pot").read_text(
        encoding="utf-8")

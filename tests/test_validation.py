"""Every kind of bad input: reported with its position, all at once, exit 1, nothing written."""

from __future__ import annotations

import pytest

from conftest import problem_lines
from samples import CAMPAIGN, HOTLINES


def errors_of(project, campaign_text=None, hotlines_text=None):
    if campaign_text is not None:
        project.write("campaigns/test.yaml", campaign_text)
    if hotlines_text is not None:
        project.write("campaigns/hotlines.yaml", hotlines_text)
    run = project.run("build")
    assert run.status == 1
    assert "Traceback" not in run.err
    assert project.pdfs() == []
    lines = problem_lines(run.err)
    assert lines[-1].endswith("nothing was built.")
    return lines[:-1]


@pytest.mark.parametrize("change, expected", [
    (("formats: [a5-leaflet]", "formats: [a5-leaflet, a9-card]"),
     "campaigns/test.yaml:3:23: formats[1]: unknown format 'a9-card' (known: a5-leaflet, a3-poster"),
    (("locales: [az, ru, en]", "locales: [az, xx-nowhere]"),
     "campaigns/test.yaml:4:15: locales[1]: unknown locale 'xx-nowhere'"),
    # Babel parses this as ru; as a folder name it would write outside locales/ and output/.
    (("locales: [az, ru, en]", "locales: [az, 'ru.x/../../../escaped']"),
     "campaigns/test.yaml:4:15: locales[1]: write the locale as 'ru' (Russian)"),
    (("title: Test campaign", "title: Call ¹⁵² now"),
     "campaigns/test.yaml:1:8: title: the number '152' is written into the text"),
    (("hotlines: [ombudsman]", "hotlines: [ombudsman, police]"),
     "campaigns/test.yaml:5:23: hotlines[1]: unknown hotline 'police'"),
    (("hotlines: [ombudsman]", "hotlines: [ombudsman]\npartners: [acme]"),
     "campaigns/test.yaml:6:12: partners[0]: unknown partner 'acme': no logo "
     "templates/assets/partners/acme.svg"),
    (("hotlines: [ombudsman]", "hotlines: [ombudsman]\naccent: [0, 85, 180, 0]"),
     "campaigns/test.yaml:6:17: accent[2]: 180 is not a percentage from 0 to 100"),
    (("hotlines: [ombudsman]", "hotlines: [ombudsman]\naccent: [0, 85]"),
     "campaigns/test.yaml:6:9: accent: the accent colour needs 4 CMYK percentages"),
    (("hotlines: [ombudsman]", "hotlines: [ombudsman]\naccent: [0, 85, 80, 0]"),
     "campaigns/test.yaml:6:9: accent: white text on this colour has a contrast of 3.4:1, and "
     "small text needs 4.5:1"),
    (("  sections:", "  key_points:\n    heading: Signs\n    points: [One., Two.]\n"
      "    icons: [passport, ../../etc/passwd]\n  sections:"),
     "campaigns/test.yaml:12:23: content.key_points.icons[1]: unknown icon '../../etc/passwd'"),
    (("  sections:", "  key_points:\n    heading: Signs\n    points: [One., Two.]\n"
      "    icons: [passport]\n  sections:"),
     "campaigns/test.yaml:10:5: content.key_points: icons: 1 icon(s) for 2 point(s)"),
    (("  lead: A lead paragraph.", "  lead: A lead paragraph.\n  icon: warn"),
     "campaigns/test.yaml:9:9: content.icon: unknown icon 'warn'"),
    (("hotlines: [ombudsman]", "hotlines: [ombudsman]\nqr: migration-service"),
     "campaigns/test.yaml:6:5: qr: 'migration-service' is neither one of this campaign's "
     "hotlines (ombudsman) nor an https:// address"),
    (("title: Test campaign", "title: Test campaign\ncolour: red"),
     "campaigns/test.yaml:2:1: colour: unknown key 'colour' (known: title, audience,"),
    (("audience: Testers\n", ""),
     "campaigns/test.yaml:1:1: missing required key 'audience'"),
    (("title: Test campaign", "title: 42"),
     "campaigns/test.yaml:1:8: title: expected text, got the number 42"),
    (("    - heading: Signs\n", "    - heading: Signs\n      text: Both.\n"),
     "campaigns/test.yaml:10:7: content.sections[0]: a section has a heading and exactly one of: "
     "points, steps, text, directory (found points, text)"),
    (("Call {hotline} today.", "Call {phone} today."),
     "campaigns/test.yaml:14:19: content.call_to_action: unknown placeholder {phone} "
     "(known: {hotline}, {hotline:ombudsman})"),
    (("Call {hotline} today.", "Call 050 123 45 67 today."),
     "campaigns/test.yaml:14:19: content.call_to_action: the number '050 123 45 67' is written "
     "into the text"),
    (("hotlines: [ombudsman]", "hotlines: [ombudsman]\naudience_abroad: sometimes"),
     "campaigns/test.yaml:6:18: audience_abroad: expected true or false, got the text"),
    (("        - Second point.", "        - Second point.\n      icon: rocket"),
     "campaigns/test.yaml:14:13: content.sections[0].icon: unknown icon 'rocket'"),
])
def test_campaign_problem_is_positioned(project, change, expected):
    old, new = change
    assert old in CAMPAIGN
    lines = errors_of(project, CAMPAIGN.replace(old, new))
    assert any(line.startswith(expected) for line in lines), lines


def test_print_run_must_match_formats_and_locales(project):
    lines = errors_of(project, CAMPAIGN + (
        "print_run:\n"
        "  - site: Somewhere\n"
        "    format: a3-poster\n"
        "    copies: {az: 10, ka: 5}\n"))
    assert "campaigns/test.yaml:17:13: print_run[0].format: format 'a3-poster' is not in this " \
           "campaign's formats (a5-leaflet)" in lines
    assert "campaigns/test.yaml:18:22: print_run[0].copies.ka: locale 'ka' is not in this " \
           "campaign's locales (az, ru, en)" in lines


def test_yaml_syntax_error_is_positioned(project):
    lines = errors_of(project, "title: [unclosed\naudience: x\n")
    assert lines == ["campaigns/test.yaml:1:8: YAML syntax error in the [...] list that starts "
                     "here: expected ',' or ']', but got ':' at line 2, column 9"]


def test_duplicate_key_is_an_error(project):
    lines = errors_of(project, CAMPAIGN + "title: Again\n")
    assert "campaigns/test.yaml:15:1: title: duplicate key 'title'" in lines


def test_every_problem_of_every_file_is_reported_at_once(project):
    project.write("campaigns/second.yaml", CAMPAIGN.replace("formats: [a5-leaflet]",
                                                            "formats: [a0]"))
    lines = errors_of(project, CAMPAIGN.replace("title: Test campaign", "title: 42")
                      .replace("Call {hotline}", "Call {nope}"))
    assert [line.split(":")[0] for line in lines] == [
        "campaigns/second.yaml", "campaigns/test.yaml", "campaigns/test.yaml"]


@pytest.mark.parametrize("change, expected", [
    (('number: "916"', 'number: "12345"'),
     "campaigns/hotlines.yaml:3:11: ombudsman.number: '12345' is not a valid number"),
    (('number: "916"', 'number: 916'),
     "campaigns/hotlines.yaml:3:11: ombudsman.number: expected text, got the number 916"),
    (("name: State Migration Service call centre", "name: 24 hours migration line"),
     "campaigns/hotlines.yaml:8:9: migration-service.name: a hotline's name is printed beside "
     "its number, so a name that starts with a digit reads as part of the number"),
    (("verified: 2026-11-22\nmigration", "verified: last week\nmigration"),
     "campaigns/hotlines.yaml:6:13: ombudsman.verified: expected a date (YYYY-MM-DD)"),
    (("source: test registry\n  verified: 2026-11-22\nmigration",
      "source: test registry\n  verified: 2026-11-22\n  fax: yes\nmigration"),
     "campaigns/hotlines.yaml:7:3: ombudsman.fax: unknown key 'fax'"),
    # A number for callers abroad: international form only, a real number, known keys.
    (("verified: 2026-11-22\nmigration", "verified: 2026-11-22\n  abroad:\n"
      "    number: \"012 404 00 00\"\n    source: test\nmigration"),
     "campaigns/hotlines.yaml:8:13: ombudsman.abroad.number: '012 404 00 00' is not in "
     "international form"),
    (("verified: 2026-11-22\nmigration", "verified: 2026-11-22\n  abroad:\n"
      "    number: \"+916\"\n    source: test\nmigration"),
     "campaigns/hotlines.yaml:8:13: ombudsman.abroad.number: '+916' is not a phone number"),
    (("verified: 2026-11-22\nmigration", "verified: 2026-11-22\n  abroad:\n"
      "    number: \"+994 12 000\"\n    source: test\nmigration"),
     "campaigns/hotlines.yaml:8:13: ombudsman.abroad.number: '+994 12 000' is not a valid "
     "number"),
    (("verified: 2026-11-22\nmigration", "verified: 2026-11-22\n  abroad:\n"
      "    number: \"+994 12 404 00 00\"\nmigration"),
     "campaigns/hotlines.yaml:8:5: ombudsman.abroad: missing required key 'source'"),
    (("verified: 2026-11-22\nmigration", "verified: 2026-11-22\n  abroad:\n"
      "    number: \"+994 12 404 00 00\"\n    source: test\n    verified: soon\nmigration"),
     "campaigns/hotlines.yaml:10:15: ombudsman.abroad.verified: expected a date (YYYY-MM-DD)"),
    (("verified: 2026-11-22\nmigration", "verified: 2026-11-22\n  abroad: \"+994 12 404 00 00\""
      "\nmigration"),
     "campaigns/hotlines.yaml:7:11: ombudsman.abroad: expected a mapping"),
    (("source: none found\n", "source: none found\n  example: true\n  abroad:\n"
      "    number: \"+994 12 404 00 00\"\n    source: test\n    verified: 2026-11-22\n"),
     "campaigns/hotlines.yaml:14:3: unverified-line: an example entry cannot be verified: "
     "remove 'abroad.verified'"),
])
def test_registry_problem_is_positioned(project, change, expected):
    old, new = change
    assert old in HOTLINES
    lines = errors_of(project, hotlines_text=HOTLINES.replace(old, new))
    assert any(line.startswith(expected) for line in lines), lines


def test_full_numbers_are_checked_and_formatted(project):
    from leaflets.inputs.hotlines import load_hotlines
    from leaflets.project import Project

    project.write("campaigns/hotlines.yaml", HOTLINES + (
        "example-landline:\n"
        "  name: An example landline (not a real service)\n"
        "  number: \"+994 12 404 00 00\"\n"
        "  hours: test\n"
        "  source: test\n"))
    hotlines = load_hotlines(Project(project.root))
    assert hotlines["example-landline"].tel_uri == "tel:+994124040000"
    assert hotlines["example-landline"].display_number == "(012) 404 00 00"
    assert hotlines["ombudsman"].tel_uri == "tel:916"


def test_a_number_for_callers_abroad_is_printed_in_international_form(project):
    from leaflets.inputs.hotlines import load_hotlines
    from leaflets.project import Project

    project.write("campaigns/hotlines.yaml", HOTLINES.replace(
        "verified: 2026-11-22\nmigration", "verified: 2026-11-22\n  abroad:\n"
        "    number: \"+994 12 404 00 00\"\n    source: test\n    verified: 2026-11-23\n"
        "migration"))
    hotlines = load_hotlines(Project(project.root))
    abroad = hotlines["ombudsman"].verified_abroad
    assert (abroad.display_number, abroad.tel_uri) == ("+994 12 404 00 00", "tel:+994124040000")
    assert abroad.verified.isoformat() == "2026-11-23"
    assert hotlines["ombudsman"].number == "916"
    assert hotlines["migration-service"].abroad is None


def test_catalog_syntax_error_is_positioned(project):
    project.write("locales/ru/LC_MESSAGES/test.po", (
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'
        'msgid "A headline"\nmsgstr "Заголовок\n'))
    lines = errors_of(project)
    assert lines == ["locales/ru/LC_MESSAGES/test.po:6: syntax error: expected a comment, a "
                     "keyword (msgid, msgstr, msgctxt) with a quoted string, or a quoted line"]


def test_translation_that_changes_the_placeholder_is_positioned(project):
    project.write("locales/ru/LC_MESSAGES/test.po", (
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'
        'msgid "Call {hotline} today."\nmsgstr "Звоните сегодня: {phone}."\n\n'
        'msgid "A headline"\nmsgstr "Звоните 0501234567"\n\n'
        'msgid "First point."\nmsgstr "Звоните ¹⁵²"\n'))
    lines = errors_of(project)
    assert lines[0].startswith('locales/ru/LC_MESSAGES/test.po:5: "Call {hotline} today.": the '
                               "translation renames {hotline} to {phone}")
    assert lines[1].startswith('locales/ru/LC_MESSAGES/test.po:8: "A headline": the phone number '
                               "'0501234567'")
    # Superscript digits are digits too.
    assert lines[2].startswith('locales/ru/LC_MESSAGES/test.po:11: "First point.": the phone '
                               "number '152' is not in the English"), lines


def test_unknown_campaign_on_the_command_line(project):
    run = project.run("build", "nothing-here")
    assert run.status == 1
    assert "campaigns/nothing-here.yaml: no campaign 'nothing-here' (known: test)" in run.err


def test_registry_campaign_and_catalog_problems_are_reported_together(project):
    project.write("campaigns/second.yaml", CAMPAIGN)
    project.write("locales/ru/LC_MESSAGES/second.po", (
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'
        'msgid "A headline"\nmsgstr "Звоните 0501234567"\n'))
    project.write("campaigns/third.yaml", CAMPAIGN.replace("hotlines: [ombudsman]",
                                                           "hotlines: [migration-service]"))
    lines = errors_of(project, CAMPAIGN.replace("formats: [a5-leaflet]", "formats: [a0]"),
                      HOTLINES.replace('number: "919"', 'number: "12"'))
    files = [line.split(":")[0] for line in lines]
    assert files == ["campaigns/hotlines.yaml", "campaigns/test.yaml",
                     "locales/ru/LC_MESSAGES/second.po"], lines
    # The campaign that uses the broken entry is not told its hotline is unknown.
    assert not any("unknown hotline" in line for line in lines)


@pytest.mark.parametrize("locale, problem", [
    ("ga", None),  # Irish: a code CLDR knows, though "Ga" is also the English name of gaa
    ("az", None), ("pt_BR", None),
    ("English", "write the locale as 'en' (English)"),
    ("eng", "write the locale as 'en' (English)"),
    ("iw", "write the locale as 'he' (Hebrew)"),
    ("RU", "write the locale as 'ru' (Russian)"),
    # Irish's code in capitals is still Irish's code, not the name of Ga (gaa).
    ("GA", "write the locale as 'ga' (Irish)"), ("Ga", "write the locale as 'ga' (Irish)"),
    ("ga-ie", "write the locale as 'ga_IE' (Irish (Ireland))"),
    ("pt-BR", "write the locale as 'pt_BR' (Portuguese (Brazil))"),
    ("xx", "unknown locale 'xx' (use a CLDR code such as az, ru, en, ka)"),
    # What no locale is, written as Python writes nothing, is no locale either.
    *[(name, f"unknown locale '{name}' (use a CLDR code such as az, ru, en, ka)")
      for name in ("None", "none", "NONE")],
])
def test_a_locale_is_a_cldr_code_as_babel_writes_it(locale, problem):
    from leaflets.inputs.campaigns import locale_problem
    assert locale_problem(locale) == problem


def test_a_campaign_in_the_locale_none_is_refused_not_a_traceback(project):
    """``None``, which a locale that fails to parse becomes as text, once passed for a locale
    Babel writes so: the build then stopped in Babel with a traceback."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [az, None]"))
    run = project.run("build", "--variant", "print")
    assert run.status == 1 and "Traceback" not in run.err, run.err
    assert any(line.startswith("campaigns/test.yaml:") and "unknown locale 'None'" in line
               for line in problem_lines(run.err)), run.err
    assert project.pdfs() == []

"""Readers abroad: a short code cannot be dialled there, so a campaign for them prints the main
hotline's verified number for callers abroad, or a line to write their embassy's number in."""

from __future__ import annotations

import pytest

from samples import CAMPAIGN, HOTLINES, POSTER_SIGNS
from pdfcheck import text

ABROAD_CAMPAIGN = CAMPAIGN.replace("hotlines: [ombudsman]",
                                   "hotlines: [ombudsman]\naudience_abroad: true")
WITH_ABROAD_NUMBER = HOTLINES.replace(
    "verified: 2026-11-22\nmigration",
    "verified: 2026-11-22\n  abroad:\n    number: \"+994 12 404 00 00\"\n    source: test\n"
    "{verified}migration")
WRITE_IN = 'Your embassy’s number</span>: <span class="write-in"></span>'


def leaflet_html(project, campaign: str, hotlines: str = HOTLINES, variant: str = "print",
                 format_name: str = "a5-leaflet") -> str:
    from leaflets.inputs.campaigns import load_campaigns
    from leaflets.inputs.formats import FORMATS
    from leaflets.inputs.hotlines import load_hotlines
    from leaflets.project import Project
    from leaflets.layout.render import LeafletRequest, make_environment, render_leaflet
    from leaflets.translation.translations import LocaleCatalogs
    from leaflets.layout.typeset import font_face_urls

    project.write("campaigns/test.yaml", campaign)
    project.write("campaigns/hotlines.yaml", hotlines)
    root = Project(project.root)
    leaflet, = load_campaigns(root, load_hotlines(root))
    return render_leaflet(make_environment(root.templates_dir), LeafletRequest(
        leaflet, FORMATS[format_name], "en", LocaleCatalogs(root, "test", "en"),
        font_face_urls(), variant)).html


def test_without_a_verified_number_abroad_the_reader_gets_a_line_to_write_one_in(project):
    html = leaflet_html(project, ABROAD_CAMPAIGN)
    assert html.count(WRITE_IN) == 1
    # An abroad number nobody has verified is not printed either.
    html = leaflet_html(project, ABROAD_CAMPAIGN, WITH_ABROAD_NUMBER.format(verified=""))
    assert html.count(WRITE_IN) == 1 and "+994" not in html


@pytest.mark.parametrize("variant, printed", [
    ("print", '<bdi class="abroad-number" dir="ltr"><span class="full-number">'
              '+994 12 404 00 00</span></bdi>'),
    ("screen", '<bdi class="abroad-number" dir="ltr"><span class="full-number">'
               '<a href="tel:+994124040000" aria-label="Call\xa0Ombudsman call centre, '
               '+994 12 404 00 00" data-msgid="Call {hotline}" data-msgctxt="link">'
               '+994 12 404 00 00</a></span></bdi>'),
])
def test_a_verified_number_abroad_is_printed_beside_the_short_code(project, variant, printed):
    html = leaflet_html(project, ABROAD_CAMPAIGN,
                        WITH_ABROAD_NUMBER.format(verified="    verified: 2026-11-22\n"), variant)
    assert html.count(printed) == 1
    assert "From abroad</span>: " + printed in html
    assert "write-in" not in html.split("<body", 1)[1]


def test_a_campaign_for_readers_at_home_prints_neither(project):
    html = leaflet_html(project, CAMPAIGN,
                        WITH_ABROAD_NUMBER.format(verified="    verified: 2026-11-22\n"))
    body = html.split("<body", 1)[1]
    assert "+994" not in body and "write-in" not in body and "embassy" not in body


@pytest.mark.slow
def test_the_write_in_line_is_on_the_built_card_in_the_readers_language(project):
    project.write("campaigns/test.yaml", ABROAD_CAMPAIGN.replace(
        "formats: [a5-leaflet]", "formats: [a6-card]").replace("locales: [az, ru, en]",
                                                               "locales: [ru, en]").replace(
        "  sections:", "  key_points:\n    heading: Remember\n    points: [One.]\n  sections:"))
    project.write("locales/ru/LC_MESSAGES/templates.po", (
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'
        'msgctxt "abroad line"\nmsgid "Your embassy\'s number"\n'
        'msgstr "Номер вашего посольства"\n'))
    run = project.run("build", "--locale", "ru", "--locale", "en", "--variant", "print")
    assert run.status == 0, run.err
    output = project.root / "output" / "test"
    assert "Your embassy’s number:" in text(output / "test_a6-card_en.pdf")
    assert "Номер вашего посольства:" in text(output / "test_a6-card_ru.pdf")


@pytest.mark.slow
def test_check_requires_the_number_for_callers_abroad_and_its_verification(project):
    """The number for callers abroad is a registry number like any: required in the file, and
    part of the identity, so a file built before its check date changed is stale."""
    project.write("campaigns/test.yaml", ABROAD_CAMPAIGN.replace("locales: [az, ru, en]",
                                                                 "locales: [en]"))
    project.write("campaigns/hotlines.yaml",
                  WITH_ABROAD_NUMBER.format(verified="    verified: 2026-11-22\n"))
    assert project.run("build", "--variant", "print").status == 0
    run = project.run("check")
    assert run.status == 0, run.err
    assert "916, +994 12 404 00 00" in " ".join(run.out.split())
    project.write("campaigns/hotlines.yaml",
                  WITH_ABROAD_NUMBER.format(verified="    verified: 2026-11-23\n"))
    run = project.run("check")
    assert run.status == 1
    assert "identity: stale registry" in run.err


def test_a_number_in_a_key_point_links_with_words_on_the_screen_twin(project):
    """Every number of the twin says whom it calls, also one in a key point (looked up before
    the words were known, it linked without them)."""
    html = leaflet_html(project, CAMPAIGN.replace("formats: [a5-leaflet]", "formats: [a3-poster]")
                        .replace("  sections:", POSTER_SIGNS.replace(
                            "One sign.", '"Call {hotline} at any hour."') + "  sections:"),
                        variant="screen", format_name="a3-poster")
    point = html.split('data-msgid="Call {hotline} at any hour."', 1)[1].split("</li>", 1)[0]
    assert '<a href="tel:916" aria-label="Call\xa0Ombudsman call centre, 916"' in point

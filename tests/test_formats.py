"""The formats beyond the A5 leaflet: the pocket card and the roll-folded tri-fold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from samples import CAMPAIGN, HOTLINES, RU_TEMPLATES
from leaflets.inputs.campaigns import load_campaigns
from leaflets.inputs.formats import FORMATS
from leaflets.inputs.hotlines import load_hotlines
from leaflets.layout.render import LeafletRequest, make_environment, render_leaflet
from leaflets.layout.typeset import font_face_urls, layout
from leaflets.pipeline import render_slot
from leaflets.project import Project
from leaflets.translation.translations import LocaleCatalogs
from pdfcheck import boxes_mm, qr_codes, text
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder

ROOT = Path(__file__).resolve().parent.parent

PX_PER_MM = 96 / 25.4
KEY_POINTS = """\
  key_points:
    heading: Remember
    points: [One., Two., Three.]
"""


def with_format(name: str, extra_sections: int = 0) -> str:
    campaign = CAMPAIGN.replace("formats: [a5-leaflet]", f"formats: [{name}]")
    campaign = campaign.replace("  sections:\n", KEY_POINTS + "  sections:\n")
    for index in range(extra_sections):
        campaign = campaign.replace("  call_to_action:", (
            f"    - heading: Extra {index}\n"
            f"      text: A paragraph of some length that fills a column of the inside, "
            f"sentence after sentence, so that the flow must cross the folds.\n"
            f"  call_to_action:"))
    return campaign


def element_boxes(page) -> dict[str, tuple[float, float, float, float]]:
    """x, y, width, height in mm of every laid-out element that has an id."""
    found = {}
    pending = [page._page_box]
    while pending:
        box = pending.pop()
        element = getattr(box, "element", None)
        if element is not None and element.get("id") and element.get("id") not in found:
            found[element.get("id")] = tuple(round(v / PX_PER_MM, 1) for v in (
                box.position_x, box.position_y, box.margin_width(), box.margin_height()))
        pending += list(getattr(box, "children", []))
    return found


def laid_out(project, format_name: str, variant: str = "print"):
    """The English leaflet laid out as a build lays it out (after the measuring pass)."""
    root = Project(project.root)
    campaign = load_campaigns(root, load_hotlines(root))[0]
    html = render_slot(root, campaign, FORMATS[format_name], "en", variant)
    return layout(html, root.templates_dir)[0]


def test_card_needs_key_points(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("formats: [a5-leaflet]",
                                                          "formats: [a6-card]"))
    run = project.run("build", "--variant", "print")
    assert run.status == 1
    assert ("campaigns/test.yaml:3:11: formats[0]: format 'a6-card' needs content.key_points: "
            "a heading and up to 3 short points for the card") in run.err


def test_card_allows_at_most_three_key_points(project):
    project.write("campaigns/test.yaml", with_format("a6-card").replace(
        "[One., Two., Three.]", "[One., Two., Three., Four.]"))
    run = project.run("build", "--variant", "print")
    assert run.status == 1 and not project.pdfs()
    assert "content.key_points.points[3]: a6-card has room for 3 key points, not 4: keep the 3 " \
        "that matter most" in run.err


@pytest.mark.slow
def test_card_is_an_a6_with_hotlines_and_key_points(project):
    project.write("campaigns/test.yaml", with_format("a6-card").replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman, migration-service]"))
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert run.status == 0, run.err
    pdf = project.root / "output/test/test_a6-card_en.pdf"
    pages = boxes_mm(pdf)
    assert len(pages) == 2
    x0, y0, x1, y1 = pages[0]["trimbox"]
    assert (x1 - x0, y1 - y0) == (105.0, 148.0)
    content = text(pdf)
    assert "916" in content and "919" in content and "Three." in content
    assert qr_codes(pdf) == ["tel:916"]


@pytest.mark.slow
def test_card_qr_is_printed_at_26_mm(project):
    """The README's formats table: at least 20 mm, printed at 26 mm, quiet zone included."""
    project.write("campaigns/test.yaml", with_format("a6-card"))
    qr = element_boxes(laid_out(project, "a6-card").pages[0])["qr"]
    assert (qr[2], qr[3]) == (26.0, 26.0)


@pytest.mark.slow
def test_trifold_panels_are_in_folding_order_with_the_right_widths(project):
    project.write("campaigns/test.yaml", with_format("dl-trifold", extra_sections=6))
    document = laid_out(project, "dl-trifold")
    assert len(document.pages) == 2
    outside, inside = (element_boxes(page) for page in document.pages)
    # Outside, left to right: the fold-in panel (97 mm), the back (100), the cover (100).
    assert [(outside[p][0], outside[p][2]) for p in ("panel-fold-in", "panel-back",
                                                     "panel-cover")] == [
        (0.0, 97.0), (97.0, 100.0), (197.0, 100.0)]
    # Inside, left to right: 100, 100 and the 97 mm panel that folds in.
    assert [(inside[p][0], inside[p][2]) for p in ("panel-inside-1", "panel-inside-2",
                                                   "panel-inside-3")] == [
        (0.0, 100.0), (100.0, 100.0), (200.0, 97.0)]
    # The cover carries the headline; the back carries the QR code.
    assert 197 <= outside["panel-cover"][0] and 97 <= outside["qr"][0] < 197
    # The sections flow across all three inside panels and keep clear of the folds.
    columns = set()
    for name, (x, _, width, _) in inside.items():
        if name.startswith("section-"):
            panel = int(x // 100)
            columns.add(panel)
            assert x >= panel * 100 + 5 and x + width <= min(panel * 100 + 95, 292), name
    assert columns == {0, 1, 2}


# The tri-fold's inside as it was laid out before the panels: the flow as three balanced CSS
# columns, 77 mm wide with 23 mm between them, 186 mm tall under 12 mm, 10 mm from the sheet's
# edges, in the page's flow; put over the measuring layout, where the whole flow is in the
# first panel.
BALANCED_COLUMNS = """
.page.inside { page: auto !important; }
[data-panel="1"] { position: static !important; box-sizing: content-box !important;
  margin: 0 10mm; padding: 12mm 0 0 !important; width: 277mm !important;
  height: 186mm !important; columns: 3; column-gap: 23mm; column-fill: balance; }
.section li, .section .text, .inside-numbers { break-inside: avoid-column; }
.section-heading { break-after: avoid-column; }
"""


def inside_lines(document) -> dict[str, list[tuple[str, float, float]]]:
    """Each part of the tri-fold's inside (lead, section-N, numbers) → its lines of text with
    where they start, in mm."""
    found: dict[str, list[tuple[str, float, float]]] = {}

    def visit(box, part: str | None) -> None:
        if box.element is not None and box.element_tag != "#text":
            part = box.element.get("data-panel-unit", part)
        if isinstance(box, boxes.TextBox) and box.text.strip() and part:
            found.setdefault(part, []).append(
                (box.text, round(box.position_x / PX_PER_MM, 1),
                 round(box.position_y / PX_PER_MM, 1)))
        for child in getattr(box, "children", ()):
            visit(child._box if isinstance(child, AbsolutePlaceholder) else child, part)

    visit(document.pages[-1]._page_box, None)  # the inside: the measuring layout has no outside
    return {part: sorted(lines) for part, lines in found.items()}


def panels_of(lines: dict[str, list[tuple[str, float, float]]]) -> dict[str, list[int]]:
    """Each part → the inside panels (0, 1, 2 from the left) its lines are in."""
    return {part: sorted({int(x // 100) for _, x, _ in found}) for part, found in lines.items()}


def assert_reads_as_balanced_columns(root: Path, campaign_id: str, locale: str) -> dict:
    """The built tri-fold's inside, line by line, where WeasyPrint's balanced columns put it
    (with the same balanced line breaks); returns the parts' panels."""
    project = Project(root)
    campaign = next(c for c in load_campaigns(project, load_hotlines(project))
                    if c.id == campaign_id)
    built = inside_lines(layout(render_slot(project, campaign, FORMATS["dl-trifold"], locale,
                                            "print"), project.templates_dir)[0])

    measuring_html = render_leaflet(make_environment(project.templates_dir), LeafletRequest(
        campaign, FORMATS["dl-trifold"], locale, LocaleCatalogs(project, campaign.id, locale),
        font_face_urls())).html
    columns = inside_lines(layout(measuring_html, project.templates_dir, BALANCED_COLUMNS)[0])
    assert panels_of(built) == panels_of(columns)
    assert built == columns
    return panels_of(built)


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["az", "ru", "en"])
def test_trifold_panel_positions_are_unchanged_for_the_samples(locale):
    panels = assert_reads_as_balanced_columns(ROOT, "rights-at-the-border", locale)
    assert panels == {"lead": [0], "section-0": [0], "section-1": [1], "section-2": [1],
                      "section-3": [2], "numbers": [2]}


@pytest.mark.slow
@pytest.mark.parametrize("body", [
    "      text: A paragraph of some length that fills a column of the inside, sentence after "
    "sentence, so that the flow must cross the folds.\n",
    "      points:\n" + "        - A point long enough to be set on two lines of a panel.\n" * 5,
    "      steps:\n" + "        - A step long enough to be set on two lines of a panel.\n" * 5,
], ids=["text", "points", "steps"])
@pytest.mark.parametrize("extra", [0, 2, 4])
def test_trifold_panel_positions_are_unchanged_with_extra_sections(project, body, extra):
    campaign = with_format("dl-trifold").replace("locales: [az, ru, en]", "locales: [en]")
    for index in range(extra):
        campaign = campaign.replace("  call_to_action:",
                                    f"    - heading: Extra {index}\n{body}  call_to_action:")
    project.write("campaigns/test.yaml", campaign)
    panels = assert_reads_as_balanced_columns(project.root, "test", "en")
    # Lists split between panels, the steps numbered on, the heading with the first item.
    if extra == 2 and "text" not in body:
        assert panels["section-1"] == [0, 1] and panels["section-2"] == [1, 2]
        continued = [line for line in inside_lines(laid_out(project, "dl-trifold"))["section-2"]
                     if line[1] >= 200]
        assert ("Extra 1" not in {t for t, _, _ in continued}
                and ("steps" not in body or "3" in {t for t, _, _ in continued}))


@pytest.mark.slow
def test_trifold_too_long_for_its_panels_fails_naming_what_overruns(project):
    points = "      points:\n" + "        - A point long enough to be set on two lines.\n" * 5
    campaign = with_format("dl-trifold").replace("locales: [az, ru, en]", "locales: [en]")
    for index in range(8):
        campaign = campaign.replace("  call_to_action:",
                                    f"    - heading: Extra {index}\n{points}  call_to_action:")
    project.write("campaigns/test.yaml", campaign)
    run = project.run("build", "--variant", "print")
    assert run.status == 1
    overflows = re.findall(r"test dl-trifold en: (content\.sections\[\d\]) overflows page 2 by "
                           r"(\d+) mm \(([^)]*)\)", run.err)
    assert overflows, run.err
    assert all("past the foot of its panel" in why for _, _, why in overflows)
    # Every section that does not fit is named, the last one furthest past the foot.
    named = [part for part, _, _ in overflows]
    assert named[-1] == "content.sections[8]" and named == sorted(named)
    assert int(overflows[-1][1]) > int(overflows[0][1]) > 0
    # What follows the sections is named as the campaign names it, not by a template's class.
    overrunning = re.findall(r"test dl-trifold en: (.*?) overflows page 2", run.err)
    assert overrunning == named + ["hotlines"], run.err
    assert not project.pdfs()


@pytest.mark.slow
def test_trifold_builds_and_decodes(project):
    project.write("campaigns/test.yaml", with_format("dl-trifold"))
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert run.status == 0, run.err
    pdf = project.root / "output/test/test_dl-trifold_en.pdf"
    x0, y0, x1, y1 = boxes_mm(pdf)[0]["trimbox"]
    assert (x1 - x0, y1 - y0) == (297.0, 210.0)
    assert qr_codes(pdf) == ["tel:916"]


DIRECTORY = """\
    - heading: Where to get advice
      directory:
        - region: Ganja
          organisation: An office (example)
          address: Example Avenue
          hotline: example-office
          hours: Mondays
"""
EXAMPLE_HOTLINE = """\
example-office:
  name: Example office
  number: "+994 12 000 00 02"
  hours: Example hours
  source: invented
  example: true
"""


@pytest.mark.slow
def test_directory_numbers_come_from_the_registry_and_examples_are_stamped(project):
    from samples import HOTLINES
    project.write("campaigns/hotlines.yaml", HOTLINES + EXAMPLE_HOTLINE)
    project.write("campaigns/test.yaml", CAMPAIGN.replace("  call_to_action:",
                                                          DIRECTORY + "  call_to_action:"))
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert run.status == 0, run.err
    assert "EXAMPLE: invented data, not for print" in run.out and "1 drafts" in run.out
    content = text(project.root / "output/test/test_a5-leaflet_en.pdf")
    assert "(012) 000 00 02" in content and "An office (example)" in content
    assert "EXAMPLE DATA: NOT FOR PRINT" in " ".join(content.split())
    strict = project.run("build", "--variant", "print", "--locale", "en", "--strict")
    assert strict.status == 1 and "the campaign holds example data (--strict)" in strict.err


def test_directory_entry_with_unknown_hotline_is_positioned(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("  call_to_action:",
                                                          DIRECTORY + "  call_to_action:"))
    run = project.run("build", "--variant", "print")
    assert run.status == 1 and not project.pdfs()
    assert ("campaigns/test.yaml:19:20: content.sections[1].directory[0].hotline: unknown "
            "hotline 'example-office'") in run.err


def test_example_entry_cannot_be_verified(project):
    from samples import HOTLINES
    project.write("campaigns/hotlines.yaml", HOTLINES + EXAMPLE_HOTLINE
                  + "  verified: 2026-01-01\n")
    run = project.run("build", "--variant", "print")
    assert run.status == 1 and not project.pdfs()
    assert ("campaigns/hotlines.yaml:19:3: example-office: an example entry cannot be verified"
            in run.err), run.err


@pytest.mark.slow
def test_trifold_fold_marks_lie_on_the_folds_outside_the_bleed(project):
    from pdfcheck import stroked_lines
    project.write("campaigns/test.yaml", with_format("dl-trifold").replace(
        "locales: [az, ru, en]", "locales: [en]"))
    assert project.run("build", "--variant", "print", "--marks").status == 0
    pdf = project.root / "output/test/test_dl-trifold_en.pdf"
    mm = 72 / 25.4
    for index, folds in enumerate(((97, 197), (100, 200))):
        bleed_top = boxes_mm(pdf)[index]["bleedbox"][3]
        vertical = sorted({round(x0 / mm, 1) for colour, (x0, y0, x1, y1) in
                           stroked_lines(pdf, index) if colour == "1 1 1 1" and x0 == x1
                           and min(y0, y1) / mm >= bleed_top})
        # Crop marks at the trim edges, fold marks at the folds: none inside the bleed.
        assert vertical == [0.0, *folds, 297.0], (index, vertical)


# ------------------------------------------------------------------ the redesign of issue 9

def font_sizes_pt(page, css_class: str) -> list[float]:
    """The type size of every text laid out inside an element of ``css_class`` (or tag)."""
    found, pending = [], [(page._page_box, False)]
    while pending:
        box, inside = pending.pop()
        element = getattr(box, "element", None)
        classes = (element.get("class") or "").split() if element is not None else []
        inside = inside or css_class in classes or (
            element is not None and element.tag == css_class)
        if inside and type(box).__name__ == "TextBox" and box.text.strip():
            found.append(round(box.style["font_size"] * 72 / 96, 1))
        pending += [(child, inside) for child in getattr(box, "children", [])]
    return found


@pytest.mark.slow
def test_poster_sets_its_essentials_for_reading_at_a_distance(project):
    project.write("campaigns/test.yaml", with_format("a3-poster"))
    page = laid_out(project, "a3-poster").pages[0]
    # Noto Sans capitals are 0.714 em: 40 pt gives the 10 mm a reader 3.5 m away needs.
    for css_class, least in (("big-number", 150), ("hotline-name", 40), ("hotline-hours", 40),
                             ("cta", 40), ("h1", 80), ("signs", 30)):
        sizes = font_sizes_pt(page, css_class)
        assert sizes and min(sizes) >= least, (css_class, sizes)


def test_key_points_print_their_pictograms(project):
    project.write("campaigns/test.yaml", with_format("a6-card").replace(
        "[One., Two., Three.]", "[One., Two., Three.]\n    icons: [passport, money, padlock]"))
    root = Project(project.root)
    campaign = load_campaigns(root, load_hotlines(root))[0]
    html = render_leaflet(make_environment(root.templates_dir), LeafletRequest(
        campaign, FORMATS["a6-card"], "en", LocaleCatalogs(root, campaign.id, "en"),
        font_face_urls())).html
    key_points = html[html.index('class="key-points"'):]
    assert [name for name in ("icon-passport", "icon-money", "icon-padlock")
            if name in key_points] == ["icon-passport", "icon-money", "icon-padlock"]


@pytest.mark.slow
def test_qr_caption_names_the_number_the_code_dials(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman, migration-service]\n"
        "qr: migration-service"))
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert run.status == 0, run.err
    pdf = project.root / "output/test/test_a5-leaflet_en.pdf"
    assert qr_codes(pdf) == ["tel:919"]
    assert "Scan to call 919" in text(pdf) and "Scan to call 916" not in text(pdf)


@pytest.mark.slow
@pytest.mark.parametrize("translation", [" ", "\u200b", "Всё в порядке", "ЧЕРНОВИК"])
def test_a_stamp_prints_its_english_whatever_the_translation(project, translation):
    project.write("locales/ru/LC_MESSAGES/templates.po", RU_TEMPLATES + (
        f'\nmsgctxt "stamp"\nmsgid "DRAFT"\nmsgstr "{translation}"\n'))
    run = project.run("build", "--variant", "print", "--locale", "ru")
    assert run.status == 0, run.err
    content = text(project.root / "output/test/test_a5-leaflet_ru.pdf")
    # The test campaign has no Russian catalog: every page is a draft, stamped in English too.
    assert content.count("DRAFT") == 2
    if translation.strip("\u200b "):
        assert re.search(f"DRAFT\\s*·\\s*{translation}", content), content


@pytest.mark.slow
def test_an_unverified_number_is_marked_beside_it_in_a_list(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman, unverified-line]"))
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert run.status == 0, run.err
    content = text(project.root / "output/test/test_a5-leaflet_en.pdf")
    assert re.search(r"152\s*A line nobody has checked\s*UNVERIFIED\n", content), content


LEGAL_AID = ("legal-aid:\n  name: Legal aid office\n  number: \"+994 12 000 00 01\"\n"
             "  hours: Weekdays\n  source: test registry\n  verified: 2026-11-22\n")


@pytest.mark.slow
@pytest.mark.parametrize("format_name", ["a5-leaflet", "a6-card", "a3-poster", "dl-trifold"])
def test_a_full_main_number_stays_the_largest_beside_a_short_code(project, format_name):
    """A main hotline that is a full number is set at half the size made for 916: another
    hotline's short code beside it is set no larger (the tri-fold's fold-in set 916 at 40 pt
    beside a main number at 30 pt, and the preflight refused every such tri-fold)."""
    project.write("campaigns/hotlines.yaml", HOTLINES + LEGAL_AID)
    project.write("campaigns/test.yaml", with_format(format_name).replace(
        "hotlines: [ombudsman]", "hotlines: [legal-aid, ombudsman]").replace(
        "locales: [az, ru, en]", "locales: [en]"))
    run = project.run("build", "--variant", "print")
    assert run.status == 0, run.out + run.err


@pytest.mark.slow
def test_trifold_sets_a_full_number_smaller_and_above_its_name(project):
    """A full number, (012) 000 00 01, is wider than a panel at the size made for 916: the
    fold-in panel sets it at half that size, and the inside list above its name instead of
    beside it (beside it, it ran over the name, and the fold-in panel into the next one)."""
    project.write("campaigns/hotlines.yaml", HOTLINES + LEGAL_AID)
    project.write("campaigns/test.yaml", with_format("dl-trifold").replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman, legal-aid]").replace(
        "locales: [az, ru, en]", "locales: [en]"))
    run = project.run("build", "--variant", "print")
    assert run.status == 0, run.out + run.err
    texts = {line[0].strip(): line for line in inside_lines(
        laid_out(project, "dl-trifold"))["numbers"]}
    number, name = texts["(012) 000 00 01"], texts["Legal aid office"]
    assert number[1] == name[1] and number[2] < name[2]  # above it, where the name starts

"""Print production: PDF/X-4 in CMYK, reproducible bytes, crop marks, layout fit."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from samples import CAMPAIGN
from leaflets.press.preflight import read_identity
from pdfcheck import boxes_mm, output_intent, rgb_uses, stroked_lines

ROOT = Path(__file__).resolve().parent.parent

# Every part of the templates: points, steps, a text, icons, partner marks, an accent, an
# edition, a print run, two hotlines (one unverified: its stamp too), and a DRAFT (az).
FULL_CAMPAIGN = """\
title: Test campaign
audience: Testers
formats: [a5-leaflet, a3-poster]
locales: [en, az]
hotlines: [ombudsman, unverified-line]
partners: [iom, ombudsman, migration-service]
accent: [0, 100, 90, 20]
edition: 2026-12-01
content:
  headline: A headline
  lead: A lead paragraph.
  key_points:
    heading: Signs
    points: [One sign., Another sign.]
    icons: [passport, padlock]
  sections:
    - heading: Signs
      icon: warning
      points: [First point., Second point.]
    - heading: Steps
      icon: phone
      steps: [First step., Second step.]
    - heading: Words
      text: A paragraph of text.
  call_to_action: Call {hotline} today.
print_run:
  - site: Somewhere
    format: a5-leaflet
    copies: {en: 100, az: 200}
"""


@pytest.mark.slow
def test_print_pdfs_are_cmyk_only_with_an_output_intent(project):
    project.write("campaigns/test.yaml", FULL_CAMPAIGN)
    run = project.run("build", "--variant", "print")
    assert run.status == 0, run.err
    pdfs = project.pdfs()
    assert len(pdfs) == 4
    for pdf in pdfs:
        assert rgb_uses(pdf) == [], pdf.name
        intent = output_intent(pdf)
        assert intent["S"] == "/GTS_PDFX" and intent["N"] == 4
        assert intent["condition"] == "Artifex CMYK SWOP Profile"
        assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in intent["xmp"]
        assert "<xmp:CreateDate>2026-12-01T00:00:00Z</xmp:CreateDate>" in intent["xmp"]


@pytest.mark.slow
def test_rgb_in_a_template_is_found(project):
    """The scan the test above relies on does find RGB: a template colour given as #f00."""
    templates = project.root / "templates"
    _copy_templates(templates)
    css = templates / "leaflet.css"
    css.write_text(css.read_text().replace("--ink: device-cmyk(0 0 0 1);", "--ink: #f00;"))
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    run = project.run("build", "--variant", "print")
    assert run.status == 1
    assert "test a5-leaflet en: preflight: colour: DeviceRGB is used (page 1, page 2)" in run.err
    assert project.pdfs() == []


def _build_in_a_new_process(root: Path, *arguments: str, epoch: str | None = None) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch is not None:
        environment["SOURCE_DATE_EPOCH"] = epoch
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(root), *arguments],
                   check=True, capture_output=True, env=environment, timeout=120)


@pytest.mark.slow
def test_builds_in_two_processes_are_byte_identical(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    pdf = project.root / "output/test/test_a5-leaflet_en.pdf"
    screen = project.root / "output/test/test_a5-leaflet_en_screen.pdf"
    _build_in_a_new_process(project.root, "build")
    first, first_screen = pdf.read_bytes(), screen.read_bytes()
    pdf.unlink()
    screen.unlink()
    _build_in_a_new_process(project.root, "build")
    assert pdf.read_bytes() == first and screen.read_bytes() == first_screen
    # The identity in both variants' XMP, written the same way each time.
    for built, variant in ((pdf, "print"), (screen, "screen")):
        with pikepdf.open(built) as document:
            assert read_identity(document).variant == variant
    document_id = re.search(rb"xmp\.did:([0-9a-f-]{36})", first).group(1)
    assert document_id != b"0" * 36
    # SOURCE_DATE_EPOCH sets the dates, and so the bytes; without an edition the newest hotline
    # check dates the file (the test campaign has no edition). SOURCE_DATE_EPOCH may not be
    # before a hotline's check date: that date would be in the future.
    assert b"<xmp:CreateDate>2026-11-22T00:00:00Z</xmp:CreateDate>" in first
    _build_in_a_new_process(project.root, "build", epoch="1796083200")
    dated = pdf.read_bytes()
    assert b"<xmp:CreateDate>2026-12-01T00:00:00Z</xmp:CreateDate>" in dated
    assert re.search(rb"xmp\.did:([0-9a-f-]{36})", dated).group(1) != document_id


@pytest.mark.slow
def test_no_marks_by_default_and_marks_outside_the_bleed_on_request(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    pdf = project.root / "output/test/test_a5-leaflet_en.pdf"
    assert project.run("build", "--variant", "print").status == 0
    assert all(page["mediabox"] == page["bleedbox"] for page in boxes_mm(pdf))
    assert [line for line in stroked_lines(pdf) if line[0] == "1 1 1 1"] == []

    assert project.run("build", "--variant", "print", "--marks").status == 0
    mm = 72 / 25.4
    for index, page in enumerate(boxes_mm(pdf)):
        bx0, by0, bx1, by1 = page["bleedbox"]
        mx0, my0, mx1, my1 = page["mediabox"]
        assert (bx0 - mx0, by0 - my0, mx1 - bx1, my1 - by1) == (10.0, 10.0, 10.0, 10.0)
        marks = [coordinates for colour, coordinates in stroked_lines(pdf, index)
                 if colour == "1 1 1 1"]
        assert len(marks) == 8  # two at each corner, in registration colour
        for x0, y0, x1, y1 in marks:
            segment = [round(v / mm, 2) for v in (min(x0, x1), min(y0, y1), max(x0, x1),
                                                  max(y0, y1))]
            outside = (segment[2] <= bx0 or segment[0] >= bx1 or segment[3] <= by0
                       or segment[1] >= by1)
            inside_media = (segment[0] >= mx0 and segment[1] >= my0 and segment[2] <= mx1
                            and segment[3] <= my1)
            assert outside and inside_media, (segment, page)


def _copy_templates(target: Path) -> None:
    import shutil
    shutil.copytree(ROOT / "templates", target)


# ------------------------------------------------------------------ fit

LONG_TEXT = " ".join(["Another sentence that makes this section longer than it should be."] * 24)


@pytest.mark.slow
def test_back_page_overflow_names_the_section_and_millimetres(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "locales: [az, ru, en]", "locales: [en]").replace(
        "  call_to_action:", f"    - heading: More\n      text: {LONG_TEXT}\n  call_to_action:"))
    run = project.run("build", "--variant", "print")
    assert run.status == 1
    assert re.search(r"^test a5-leaflet en: content\.sections\[1\] overflows page 2 by \d+ mm "
                     r"\((.*; )?runs into \.back-footer\)$", run.err, re.M), run.err
    assert project.pdfs() == []


@pytest.mark.slow
def test_poster_signs_running_into_the_hotline_band_fail(project):
    # The English keeps its length budget (it is checked when the campaign is read): a
    # translation that does not is what runs over.
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "locales: [az, ru, en]", "locales: [ru]").replace(
        "formats: [a5-leaflet]", "formats: [a3-poster]").replace(
        "  sections:", "  key_points:\n    heading: Signs\n    points: [One sign.]\n"
        "  sections:"))
    project.run("translations", "update")
    catalog = project.root / "locales/ru/LC_MESSAGES/test.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(
        'msgid "One sign."\nmsgstr ""', f'msgid "One sign."\nmsgstr "{LONG_TEXT}"'),
        encoding="utf-8")
    run = project.run("build", "--variant", "print")
    assert run.status == 1
    assert re.search(r"test a3-poster ru: content\.key_points\.points\[0\] overflows page 1 by "
                     r"\d+ mm \(.*runs into \.hotline-band",
                     run.err), run.err
    assert project.pdfs() == []


def _fit(html: str):
    from leaflets.layout.fit import check_fit
    from leaflets.inputs.formats import FORMATS
    from leaflets.layout.typeset import PrintSettings, typeset_print

    page = typeset_print(html, ROOT / "templates",
                         PrintSettings(3, False, dt.datetime(2026, 1, 1)))
    return [str(problem) for problem in check_fit(page.document, FORMATS["a5-leaflet"],
                                                  {"Hello": "content.lead"})]


PAGE = """<style>@page {{ size: 148mm 210mm; margin: 0 }} body {{ margin: 0 }}
.page {{ position: relative; height: 210mm; padding: 12mm; box-sizing: border-box }}
svg {{ display: block; width: 20mm }}</style>
<div class="page">{}</div>"""


@pytest.mark.slow
def test_overflow_is_measured_to_the_millimetre():
    # The section's picture ends 12 + 150 = 162 mm from the top; the footer starts at 148 mm.
    html = PAGE.format('<section id="section-0"><svg style="height: 150mm"></svg></section>'
                       '<div class="footer" style="position: absolute; top: 148mm; left: 12mm">'
                       '<p style="font-size: 10pt">Footer</p></div>')
    assert _fit(html) == ["content.sections[0] overflows page 1 by 14 mm (runs into .footer)"]


@pytest.mark.slow
def test_content_past_the_safe_area_and_small_type_are_found():
    html = PAGE.format('<p data-msgid="Hello" style="font-size: 6pt">Hello</p>'
                       '<div class="low" style="position: absolute; top: 200mm; left: 12mm">'
                       '<svg style="height: 12mm"></svg></div>')
    assert _fit(html) == [
        ".low overflows page 1 by 5 mm (past the safe area inside the trim)",
        "content.lead is set in 6.0 pt type on page 1, below the format's minimum of 7 pt"]


@pytest.mark.slow
def test_backgrounds_a_block_sits_on_are_fine_but_running_onto_one_is_not():
    band = ('<div class="band" style="position: absolute; top: 100mm; left: 0; right: 0; '
            'height: 110mm; background: device-cmyk(0 0 0 0.1)"></div>')
    on_band = ('<div class="on-band" style="position: absolute; top: 120mm; left: 12mm">'
               '<svg style="height: 20mm"></svg></div>')
    assert _fit(PAGE.format(band + on_band)) == []
    into_band = '<section id="section-2"><svg style="height: 95mm"></svg></section>'
    assert _fit(PAGE.format(into_band + band)) == [
        "content.sections[2] overflows page 1 by 7 mm (runs into .band)"]

"""Legibility: the cap height of the number, its label, the headline and the body, against the
format's reading distance, on the laid-out boxes (build) and in the PDF (check)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from conftest import SampleProject
from samples import BOOKLET_CONTENT, CAMPAIGN, POSTER_SIGNS, HOTLINES
from leaflets.inputs.formats import FORMATS
from leaflets.layout.legibility import (ROLES, check_legibility, font_cap_height_ratio, measure,
                                 millimetres, requirement)
from leaflets.pipeline import BuildOptions, plan, render_job
from leaflets.press.preflight import Expectation, preflight
from leaflets.project import BUILTIN_TEMPLATES, Project
from leaflets.layout.fonts import MAIN_FONT
from leaflets.layout.typeset import PrintSettings, typeset_print

ROOT = Path(__file__).resolve().parent.parent
PT_FOR_5_MM = 5 / (0.714 * 25.4 / 72)  # Noto Sans: cap height 714 / 1000 em; 19.85 pt


def test_the_rule_derives_cap_heights_from_the_distance():
    ratio = font_cap_height_ratio(MAIN_FONT.path())
    assert ratio == 0.714
    poster, a5 = FORMATS["a3-poster"], FORMATS["a5-leaflet"]
    essential, body = requirement(poster, True), requirement(poster, False)
    assert (essential.distance_m, essential.cap_height_mm(ratio), essential.size_pt(ratio)) == \
        (3.5, 10, 40)
    assert (body.distance_m, body.cap_height_mm(ratio), body.size_pt(ratio)) == (1.75, 5, 20)
    # At arm's length the rule asks 1.1 mm (4.5 pt): the format's 7 pt minimum is stricter.
    at_arms_length = requirement(a5, True)
    assert round(at_arms_length.by_distance_mm, 2) == 1.14
    assert (round(at_arms_length.cap_height_mm(ratio), 2), at_arms_length.size_pt(ratio)) == \
        (1.76, 7)


POSTER_PAGE = """<style>@page {{ size: 297mm 420mm; margin: 0 }} body {{ margin: 0 }}</style>
<h1 data-msgid="Headline" style="font-size: 80pt">Headline</h1>
<p class="lead" data-msgid="Lead" style="font-size: 20pt">A lead paragraph.</p>
<p class="cta" style="font-size: 40pt">Call us.</p>
<div class="call">
  <span class="big-number" style="font-size: 110pt">916</span>
  <span class="hotline-name" style="font-size: {label}">Ombudsman call centre</span>
</div>
<p class="hotline-name" style="font-size: 10pt">A hotline listed away from the number</p>"""


def _poster_problems(html: str) -> list[str]:
    laid_out = typeset_print(html, ROOT / "templates",
                             PrintSettings(3, False, dt.datetime(2026, 1, 1)))
    return check_legibility(laid_out.document, FORMATS["a3-poster"],
                            {"Headline": "content.headline", "Lead": "content.lead"})


@pytest.mark.slow
def test_a_poster_label_of_5_mm_fails_naming_it_and_a_40_pt_label_passes():
    assert _poster_problems(POSTER_PAGE.format(label=f"{PT_FOR_5_MM:.2f}pt")) == [
        'the hotline name ("Ombudsman call centre") has a cap height of 5 mm; read at 3.5 m it '
        'needs 10 mm (set it at least 40 pt)']
    # Essentials at 10 mm and the body at 5 mm: a poster designed for its distance passes.
    assert _poster_problems(POSTER_PAGE.format(label="40pt")) == []
    # The call to action says whom to call and when, wherever it stands: essential too.
    small_call = POSTER_PAGE.format(label="40pt").replace(
        '<p class="cta" style="font-size: 40pt">', '<p class="cta" style="font-size: 20pt">')
    assert _poster_problems(small_call) == [
        'the call to action ("Call us.") has a cap height of 5 mm; read at 3.5 m it needs 10 mm '
        '(set it at least 40 pt)']


@pytest.mark.slow
def test_body_text_is_held_to_half_the_distance_and_shortfalls_are_grouped():
    html = POSTER_PAGE.format(label="40pt").replace("font-size: 20pt", "font-size: 16.5pt") + \
        '<section class="section"><ul><li style="font-size: 16.5pt">A point.</li></ul></section>'
    assert _poster_problems(html) == [
        'the lead (content.lead: "A lead paragraph.") has a cap height of 4.2 mm; read at '
        '1.75 m it needs 5 mm (set it at least 20 pt)',
        'the body text ("A point.") has a cap height of 4.2 mm; read at 1.75 m it needs 5 mm '
        '(set it at least 20 pt)']
    two_points = html.replace("<li", '<li style="font-size: 16.5pt">Another.</li><li', 1)
    assert _poster_problems(two_points)[1] == (
        'the body text ("Another." and 1 more) has a cap height of 4.2 mm; read at 1.75 m it '
        'needs 5 mm (set it at least 20 pt)')


@pytest.mark.slow
def test_a_role_the_layout_does_not_mark_fails_instead_of_passing_unmeasured():
    html = POSTER_PAGE.format(label="40pt").replace('class="big-number"', 'class="huge"')
    number, label = _poster_problems(html)
    assert number == ("no text is marked as the hotline number (.big-number): its legibility "
                      "cannot be measured; the template must keep these classes")
    # Without the number, nothing is beside it: the label is unmarked too.
    assert label.startswith("no text is marked as the label beside the number")


@pytest.mark.slow
def test_a_number_pushed_off_the_page_is_said_to_be_on_no_page_not_unmarked():
    """A translation too long for its panel pushes the number off every page: the template
    still marks it, and the message must not send the reader to the template."""
    too_long = '<p style="font-size: 40pt; flex: none">' + "Scan the code to call. " * 120 + "</p>"
    html = POSTER_PAGE.format(label="40pt").replace(
        '<div class="call">',
        f'<div style="display: flex; flex-direction: column; height: 400mm">{too_long}'
        '<div class="call">').replace('</div>\n<p class="hotline-name"',
                                     '</div></div>\n<p class="hotline-name"')
    number, label = _poster_problems(html)
    assert number == ("the hotline number (.big-number) is on no page: other text pushed it off "
                      "(see the overflow) or the template hides it, so its legibility cannot be "
                      "measured")
    assert label.startswith("the label beside the number (")


@pytest.mark.slow
def test_every_format_marks_every_role(project):
    """The templates keep the classes ROLES selects: each role is measured on every format."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "formats: [a5-leaflet]", f"formats: [{', '.join(FORMATS)}]").replace(
        "  sections:", "  key_points: {heading: Key, points: [One., Two.]}\n" + BOOKLET_CONTENT
        + "  sections:"))
    root = Project(project.root)
    jobs = plan(root, BuildOptions(locales=("en",), variants=("print",)))
    assert sorted(job.format.name for job in jobs) == sorted(FORMATS)
    for job in jobs:
        laid_out = typeset_print(render_job(root, job)[0].html, root.templates_dir,
                                 PrintSettings(3, False, dt.datetime(2026, 1, 1)))
        measured = {entry.role.title for entry in measure(laid_out.document, {})}
        assert measured == {role.title for role in ROLES}, job.name


def _poster_project(project, style: str):
    """The shipped templates, with ``style`` added to the poster's, and a poster campaign."""
    shutil.copytree(BUILTIN_TEMPLATES, project.root / "templates")
    poster = project.root / "templates/formats/a3-poster.html"
    template = poster.read_text(encoding="utf-8")
    poster.write_text(template.replace("{% endblock %}", f"{style}\n{{% endblock %}}", 1),
                      encoding="utf-8")
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "formats: [a5-leaflet]", "formats: [a3-poster]").replace(
        "locales: [az, ru, en]", "locales: [en]").replace("  sections:",
                                                            POSTER_SIGNS + "  sections:"))


@pytest.mark.slow
def test_building_a_poster_with_a_5_mm_label_fails_naming_it(project):
    _poster_project(project, f".poster .hotline-name {{ font-size: {PT_FOR_5_MM:.2f}pt; }}")
    run = project.run("build")
    assert run.status == 1
    assert ('test a3-poster en: the hotline name ("Ombudsman call centre") has a cap height of '
            '5 mm; read at 3.5 m it needs 10 mm (set it at least 40 pt)') in run.err.splitlines()
    # The print file is refused; its screen twin, read up close, is not judged by distance.
    assert [p.name for p in project.pdfs()] == ["test_a3-poster_en_screen.pdf"]


@pytest.mark.slow
def test_a_poster_set_for_its_distance_builds_and_passes_check(project):
    _poster_project(project, """
        .poster .big-number { font-size: 120pt; }
        .poster .cta, .poster .hotline-name, .poster .hotline-hours { font-size: 40pt;
            line-height: 1.1; }
        .poster .lead, .poster .section li { font-size: 20pt; }""")
    run = project.run("build", "--variant", "print")
    assert run.status == 0, run.err
    check = project.run("check")
    assert check.status == 0, check.err
    assert re.search(r"✓ number 30\.2, headline [\d.]+, body [\d.]+ mm \(3\.5 m\)",
                     " ".join(check.out.split())), check.out


@pytest.mark.slow
def test_an_a5_leaflet_passes_and_check_reports_its_figures(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    assert project.run("build", "--variant", "print").status == 0
    run = project.run("check")
    assert run.status == 0, run.err
    figures = re.search(r"✓ number (\d+(?:\.\d)?), headline (\d+(?:\.\d)?), +body +"
                        r"(\d+(?:\.\d)?) mm \(0\.4 m\)", " ".join(run.out.split()))
    assert figures, run.out
    # The A5 number is set far above what arm's length needs.
    assert float(figures[1]) > 5


@pytest.fixture(scope="module")
def a5_pdf(tmp_path_factory) -> Path:
    sample = SampleProject(tmp_path_factory.mktemp("a5"))
    sample.write("campaigns/hotlines.yaml", HOTLINES)
    sample.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                         "locales: [en]"))
    assert sample.run("build", "--variant", "print").status == 0
    return sample.root / "output/test/test_a5-leaflet_en.pdf"


def _legibility(pdf: Path, format_name: str):
    report = preflight(pdf, Expectation(FORMATS[format_name], "tel:916", "916"))
    return next(check for check in report.checks if check.name == "legibility")


@pytest.mark.slow
def test_check_reads_the_sizes_from_the_pdf_as_the_build_measured_them(a5_pdf):
    project = Project(a5_pdf.parents[2])
    job, = plan(project, BuildOptions(locales=("en",), variants=("print",)))
    laid_out = typeset_print(render_job(project, job)[0].html, project.templates_dir,
                             PrintSettings(3, False, dt.datetime(2026, 1, 1)))
    largest = {}
    for entry in measure(laid_out.document, {}):
        largest[entry.what] = max(largest.get(entry.what, 0), entry.size_pt)
    check = _legibility(a5_pdf, "a5-leaflet")
    assert check.ok
    for figure, what in (("number", "the hotline number"), ("headline", "the headline")):
        cap_mm = largest[what] * 0.714 * 25.4 / 72
        assert f"{figure} {millimetres(cap_mm)}," in check.summary


@pytest.mark.slow
def test_check_judges_a_pdf_against_its_format_distance(a5_pdf):
    """The A5 leaflet held to the poster's distance: its headline and body are too small."""
    check = _legibility(a5_pdf, "a3-poster")
    assert not check.ok
    assert re.fullmatch(r"number [\d.]+, headline [\d.]+, body [\d.]+ mm \(3\.5 m\)",
                        check.summary), check.summary
    headline, body = check.problems
    assert re.fullmatch(r'the headline \(the largest text, [\d.]+ pt: "A headline"\) has a cap '
                        r'height of [\d.]+ mm; read at 3\.5 m it needs 10 mm \(set it at least '
                        r'40 pt\)', headline), headline
    assert re.fullmatch(r'the body text \(the size of most of the text, [\d.]+ pt: ".+"\) has a '
                        r'cap height of [\d.]+ mm; read at 1\.75 m it needs 5 mm \(set it at '
                        r'least 20 pt\)', body), body


@pytest.mark.slow
def test_a_pdf_not_ours_is_measured_not_judged(a5_pdf, tmp_path):
    proof = tmp_path / "proof.pdf"
    shutil.copy(a5_pdf, proof)
    check = next(c for c in preflight(proof).checks if c.name == "legibility")
    assert check.ok and re.fullmatch(r"headline [\d.]+, body [\d.]+ mm", check.summary)


@pytest.mark.slow
def test_a_damaged_font_program_falls_back_to_the_declared_cap_height(a5_pdf, tmp_path):
    def damage(declared, folder: str):
        with pikepdf.open(a5_pdf) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                    obj.FontFile2.write(b"not a font")
                    obj.CapHeight = declared
            path = tmp_path / folder / a5_pdf.name
            path.parent.mkdir()
            pdf.save(path)
        return _legibility(path, "a5-leaflet")

    def number_mm(summary: str) -> float:
        return float(re.match(r"number ([\d.]+),", summary)[1])

    # Noto Sans's own cap height is 714 units; the descriptor now declares 800.
    from_os2 = number_mm(_legibility(a5_pdf, "a5-leaflet").summary)
    assert number_mm(damage(800, "declared").summary) / from_os2 == pytest.approx(800 / 714, rel=0.01)
    assert damage(pikepdf.Name("/Tall"), "no-number").summary == "number ?, headline ?, body ? mm (0.4 m)"

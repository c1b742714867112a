"""Printer's spreads and office printer sheets (imposition.py), read back from the PDFs they
write: which page stands where, and where each back lands behind its front."""

from __future__ import annotations

import csv
import ctypes
import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium
import pytest

from samples import CAMPAIGN, POSTER_SIGNS
from leaflets.press import bundle
from leaflets.inputs.formats import FORMATS
from leaflets.press.imposition import (PageGeometry, make_n_up, make_spreads, n_up,
                                 saddle_stitch_order)
from leaflets.press.pdfx import PT_PER_MM
from leaflets.press.preflight import colour_spaces, preflight, preflight_office_sheet
from leaflets.inputs.printconfig import Imposition, Paper, load_imposition
from leaflets.project import BUILTIN_TEMPLATES, Project
from leaflets.layout.typeset import PrintSettings, font_face_urls, typeset_print

CORNERS = {"top: 10mm; left: 10mm": 0, "top: 10mm; right: 10mm": 1,
           "bottom: 10mm; left: 10mm": 2, "bottom: 10mm; right: 10mm": 3}
# One letter per corner (top left, top right, bottom left, bottom right) of each side.
FRONT_LETTERS, BACK_LETTERS = "ABCD", "EFGH"


def sample_pdf(path: Path, width_mm: float, height_mm: float, pages: list[list[str]]) -> Path:
    """A PDF/X-4 with 3 mm bleed typeset like a leaflet, in CMYK: each page prints its number
    as ``[N]`` and, at its corners, the letters given (top left, top right, bottom left,
    bottom right)."""
    sections = []
    for number, letters in enumerate(pages, 1):
        corners = "".join(f'<p class="corner" style="{where}">{letters[index]}</p>'
                          for where, index in CORNERS.items()) if letters else ""
        sections.append(f'<section><p class="number">[{number}]</p>{corners}</section>')
    html = f"""<html><head><style>
      @font-face {{ font-family: Noto Sans; src: url("{font_face_urls()["Noto Sans"][400]}") }}
      @page {{ size: {width_mm}mm {height_mm}mm; bleed: 3mm; margin: 0 }}
      body {{ margin: 0; font-family: Noto Sans; color: device-cmyk(0 0 0 1) }}
      section {{ position: relative; width: {width_mm}mm; height: {height_mm}mm;
                 page-break-after: always; background: device-cmyk(0.2 0 0 0) }}
      .number {{ position: absolute; top: 40mm; left: 20mm; font-size: 24pt; margin: 0 }}
      .corner {{ position: absolute; font-size: 12pt; margin: 0; line-height: 1 }}
    </style></head><body>{''.join(sections)}</body></html>"""
    result = typeset_print(html, BUILTIN_TEMPLATES,
                           PrintSettings(3, False,
                                         dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)))
    assert result.page_count == len(pages), result.warnings
    path.write_bytes(result.pdf)
    return path


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("samples")
    two_sided = [list(FRONT_LETTERS), list(BACK_LETTERS)]
    return {
        "booklet": sample_pdf(folder / "booklet.pdf", 148, 210, [[]] * 20),
        "a6": sample_pdf(folder / "a6.pdf", 105, 148, two_sided),
        "a5": sample_pdf(folder / "a5.pdf", 148, 210, two_sided),
        "dl": sample_pdf(folder / "dl.pdf", 297, 210, two_sided),
    }


def written(sheets, folder: Path) -> Path:
    assert sheets.error is None, sheets.error
    path = folder / sheets.path.name
    path.write_bytes(sheets.data)
    return path


def char_centres(pdf: Path) -> list[dict[str, list[tuple[float, float]]]]:
    """Per page, each character printed and the centres of its boxes, in mm."""
    document = pypdfium2.PdfDocument(str(pdf))
    pages = []
    try:
        for page in document:
            text = page.get_textpage()
            found: dict[str, list[tuple[float, float]]] = {}
            for index in range(text.count_chars()):
                char = text.get_text_range(index, 1)
                left, bottom, right, top = text.get_charbox(index)
                found.setdefault(char, []).append(((left + right) / 2 / PT_PER_MM,
                                                   (bottom + top) / 2 / PT_PER_MM))
            pages.append(found)
    finally:
        document.close()
    return pages


def page_numbers(pdf: Path) -> list[list[tuple[int, float]]]:
    """Per page of ``pdf``, the ``[N]`` page numbers it shows and their x positions (mm), left
    to right."""
    document = pypdfium2.PdfDocument(str(pdf))
    result = []
    try:
        for page in document:
            text = page.get_textpage()
            shown = text.get_text_range()
            numbers = []
            start = shown.find("[")
            while start != -1:
                end = shown.index("]", start)
                left, _, _, _ = text.get_charbox(start)
                numbers.append((int(shown[start + 1:end]), left / PT_PER_MM))
                start = shown.find("[", end)
            result.append(sorted(numbers, key=lambda n: n[1]))
    finally:
        document.close()
    return result


def boxes_mm(pdf: Path) -> list[dict[str, tuple[float, ...]]]:
    with pikepdf.open(pdf) as document:
        return [{name: tuple(round(float(v) / PT_PER_MM, 2) for v in page.obj[f"/{name}"])
                 for name in ("MediaBox", "TrimBox", "BleedBox")} for page in document.pages]


# ------------------------------------------------------------------ printer's spreads

def test_saddle_stitch_pairs_the_last_page_with_the_first():
    assert saddle_stitch_order(4) == [((4, 1), (2, 3))]
    assert saddle_stitch_order(8) == [((8, 1), (2, 7)), ((6, 3), (4, 5))]


@pytest.mark.slow
def test_spreads_read_back_in_saddle_stitch_order_with_bleed_and_marks(samples, tmp_path):
    spreads = written(make_spreads(samples["booklet"], Imposition()), tmp_path)
    assert spreads.name == "booklet_spreads.pdf"
    shown = page_numbers(spreads)
    assert [[number for number, _ in page] for page in shown] == [
        [20, 1], [2, 19], [18, 3], [4, 17], [16, 5], [6, 15], [14, 7], [8, 13], [12, 9],
        [10, 11]]
    for page, boxes in zip(shown, boxes_mm(spreads)):
        left, bottom, right, top = boxes["TrimBox"]
        assert (round(right - left, 1), round(top - bottom, 1)) == (296, 210)
        assert boxes["BleedBox"] == (left - 3, bottom - 3, right + 3, top + 3)
        media = boxes["MediaBox"]
        assert media[0] < left - 3 and media[2] > right + 3  # room for the crop marks
        # Each page on its own half: its number 20 mm (and a side bearing) from its own left
        # trim edge.
        (_, left_number), (_, right_number) = page
        assert left_number - left == pytest.approx(20, abs=1)
        assert right_number - left_number == pytest.approx(148, abs=0.01)


@pytest.mark.slow
def test_check_preflights_spreads_as_print_files_and_n_up_sheets_by_their_colour(samples,
                                                                                   tmp_path):
    spreads = written(make_spreads(samples["booklet"], Imposition()), tmp_path)
    report = preflight(spreads)
    assert report.ok, report.failures
    sheet = written(make_n_up(samples["a6"], FORMATS["a6-card"], Paper.parse("A4"), "rgb"),
                    tmp_path)
    assert not preflight(sheet).ok  # no bleed, RGB: no file for a press
    report = preflight_office_sheet(sheet, "rgb")
    assert report.ok, report.failures
    assert not preflight_office_sheet(sheet, "cmyk").ok


@pytest.mark.slow
def test_creep_moves_each_inner_sheet_toward_the_spine(samples, tmp_path):
    flat = page_numbers(written(make_spreads(samples["booklet"], Imposition()), tmp_path))
    (tmp_path / "creep").mkdir()
    crept = page_numbers(written(make_spreads(samples["booklet"], Imposition(0.4)),
                                 tmp_path / "creep"))
    for side, (before, after) in enumerate(zip(flat, crept)):
        sheet = side // 2
        (_, left_before), (_, right_before) = before
        (_, left_after), (_, right_after) = after
        assert left_after - left_before == pytest.approx(0.4 * sheet, abs=0.02)
        assert right_after - right_before == pytest.approx(-0.4 * sheet, abs=0.02)


@pytest.mark.slow
def test_creep_that_the_bleed_cannot_cover_is_refused_at_its_place_in_print_yaml(samples,
                                                                               tmp_path):
    (tmp_path / "print.yaml").write_text("imposition:\n  creep_mm: 1.0\n", encoding="utf-8")
    sheets = make_spreads(samples["booklet"], load_imposition(Project(tmp_path)))
    assert sheets.error == (
        "print.yaml:2:13: imposition.creep_mm: 1 mm per sheet moves the pages of the innermost "
        "of 5 sheets 4 mm toward the spine, more than the 3 mm bleed covers: at most 0.75 mm "
        "for a booklet of 20 pages")
    (tmp_path / "print.yaml").write_text("imposition:\n  creep_mm: 0.75\n", encoding="utf-8")
    assert make_spreads(samples["booklet"], load_imposition(Project(tmp_path))).error is None


@pytest.mark.slow
def test_spreads_and_sheets_are_the_same_bytes_when_made_again(samples):
    assert make_spreads(samples["booklet"], Imposition(0.1)).data == \
        make_spreads(samples["booklet"], Imposition(0.1)).data
    paper = Paper.parse("A4")
    assert make_n_up(samples["a6"], FORMATS["a6-card"], paper, "rgb").data == \
        make_n_up(samples["a6"], FORMATS["a6-card"], paper, "rgb").data


@pytest.mark.slow
def test_a_leaflet_is_no_booklet_to_impose(samples):
    sheets = make_spreads(samples["a6"], Imposition())
    assert sheets.error == "2 pages: a saddle-stitched booklet has a multiple of 4"


# ------------------------------------------------------------------ n-up sheets

@pytest.mark.parametrize("size, count, landscape", [
    ((105, 148), 4, False),  # A6 cards
    ((148, 210), 2, True),  # A5 leaflets
    ((99, 210), 3, True),  # DL
])
def test_the_paper_holds_the_usual_number_of_pieces(size, count, landscape):
    width, height = (v * PT_PER_MM for v in size)
    layout = n_up(Paper.parse("A4"), PageGeometry(width, height, 3 * PT_PER_MM, (0, 0)), 2)
    assert (layout.count, layout.landscape) == (count, landscape)
    assert 0.85 < layout.scale < 1  # shrunk to keep the printer's margin and the marks free
    for side in layout.sides:
        for placement in side.placements:
            left, bottom, right, top = (v / PT_PER_MM for v in placement.clip)
            paper_width, paper_height = (v / PT_PER_MM for v in layout.size)
            assert min(left, bottom, paper_width - right, paper_height - top) >= 5 + 4 - 1e-6


def flipped(point: tuple[float, float], paper: tuple[float, float]) -> tuple[float, float]:
    """Where a point of the front lies on the back (as the back page shows it) when the sheet
    is turned over its long edge."""
    x, y = point
    width, height = paper
    return (width - x, y) if height >= width else (x, height - y)


@pytest.mark.slow
@pytest.mark.parametrize("sample, leaflet_format, pieces", [
    ("a6", "a6-card", 4), ("a5", "a5-leaflet", 2)])
def test_each_back_lies_behind_its_front_when_printed_duplex_on_the_long_edge(
        samples, tmp_path, sample, leaflet_format, pieces):
    sheets = make_n_up(samples[sample], FORMATS[leaflet_format], Paper.parse("A4"), "rgb")
    path = written(sheets, tmp_path)
    front, back = char_centres(path)
    boxes = boxes_mm(path)[0]["MediaBox"]
    paper = (boxes[2] - boxes[0], boxes[3] - boxes[1])
    # Turned over like a page, a card's top left corner is behind its back's top right one.
    behind = dict(zip("ABCD", "FEHG"))
    for front_letter, back_letter in behind.items():
        assert len(front[front_letter]) == len(back[back_letter]) == pieces
        for point in front[front_letter]:
            target = flipped(point, paper)
            nearest = min(back[back_letter], key=lambda p: abs(p[0] - target[0])
                          + abs(p[1] - target[1]))
            assert nearest == pytest.approx(target, abs=2.0), (front_letter, back_letter)


@pytest.mark.slow
def test_sheets_are_in_the_colour_asked_for(samples, tmp_path):
    paper = Paper.parse("A4")
    rgb = written(make_n_up(samples["a6"], FORMATS["a6-card"], paper, "rgb"), tmp_path)
    cmyk = written(make_n_up(samples["a6"], FORMATS["a6-card"], paper, "cmyk"), tmp_path)
    assert (rgb.name, cmyk.name) == ("a6_4-up-a4-rgb.pdf", "a6_4-up-a4-cmyk.pdf")
    with pikepdf.open(rgb) as document:
        assert not [s for s in colour_spaces(document) if "CMYK" in s]
        assert "/OutputIntents" not in document.Root
    with pikepdf.open(cmyk) as document:
        assert [s for s in colour_spaces(document) if "CMYK" in s]
        assert not [s for s in colour_spaces(document) if "RGB" in s]
        assert "/OutputIntents" in document.Root
    # The background (20 % cyan) is a light cyan in RGB, not black or white.
    document = pypdfium2.PdfDocument(str(rgb))
    try:
        image = document[0].render(scale=1).to_pil().convert("RGB")
    finally:
        document.close()
    red, green, blue = image.getpixel((image.width // 2 - 60, image.height // 2 - 60))
    assert red < green <= 255 and red < blue and red > 150


def crafted_print_pdf(path: Path, content: bytes, image: bool = False,
                      gradient: bool = False) -> Path:
    """A one-page A6 print PDF with 3 mm bleed that draws ``content``, with a CMYK image
    (/Im0) and a CMYK gradient (/Sh0) among its resources if asked."""
    bleed, width, height = 3 * PT_PER_MM, 105 * PT_PER_MM, 148 * PT_PER_MM
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(width + 2 * bleed, height + 2 * bleed))
        page = pdf.pages[0].obj
        page.TrimBox = [bleed, bleed, bleed + width, bleed + height]
        page.BleedBox = [0, 0, width + 2 * bleed, height + 2 * bleed]
        page.Contents = pdf.make_stream(content)
        page.Resources = pikepdf.Dictionary()
        if image:
            page.Resources.XObject = pikepdf.Dictionary(Im0=pdf.make_stream(
                b"\x00\x00\x00\xff", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                Width=1, Height=1, BitsPerComponent=8, ColorSpace=pikepdf.Name.DeviceCMYK))
        if gradient:
            page.Resources.Shading = pikepdf.Dictionary(Sh0=pikepdf.Dictionary(
                ShadingType=2, ColorSpace=pikepdf.Name.DeviceCMYK, Coords=[0, 0, 100, 0],
                Function=pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0],
                                            C1=[1, 0, 0, 0], N=1)))
        pdf.save(path)
    return path


@pytest.mark.parametrize("drawing, refused", [
    ({"content": b"q 9 0 0 9 20 20 cm BI /W 1 /H 1 /CS /CMYK /BPC 8 ID \x00\x00\x00\xff EI Q"},
     "an inline image cannot be converted to RGB"),
    ({"content": b"q 9 0 0 9 20 20 cm /Im0 Do Q", "image": True},
     "a CMYK image cannot be converted to RGB"),
    ({"content": b"/Sh0 sh", "gradient": True}, "a CMYK gradient cannot be converted to RGB"),
])
def test_what_cannot_be_converted_to_rgb_is_refused_and_made_in_cmyk(tmp_path, drawing, refused):
    leaflet = crafted_print_pdf(tmp_path / "a6.pdf", **drawing)
    rgb = make_n_up(leaflet, FORMATS["a6-card"], Paper.parse("A4"), "rgb")
    assert rgb.error is not None and refused in rgb.error
    assert make_n_up(leaflet, FORMATS["a6-card"], Paper.parse("A4"), "cmyk").error is None


@pytest.mark.slow
def test_shrinking_that_would_print_the_qr_code_too_small_is_refused(samples):
    on_a4 = make_n_up(samples["dl"], FORMATS["dl-trifold"], Paper.parse("A4"), "rgb")
    assert on_a4.error is not None
    assert "its QR code at 24.7 mm, under the 25 mm it needs: name larger paper" in on_a4.error
    assert make_n_up(samples["dl"], FORMATS["dl-trifold"], Paper.parse("A3"), "rgb").error \
        is None


def test_paper_is_named_or_measured():
    assert Paper.parse("a4") == Paper("a4", 210, 297)
    assert Paper.parse("450x320") == Paper("450x320", 320, 450)
    with pytest.raises(ValueError, match="unknown paper 'A9': name one of A4, A3"):
        Paper.parse("A9")


# ------------------------------------------------------------------ from the command line

@pytest.mark.slow
def test_build_n_up_writes_checked_sheets_and_a_later_build_removes_them(project):
    leaflet = ("build", "--locale", "en", "--variant", "print", "--jobs", "1")
    run = project.run(*leaflet, "--n-up")
    assert run.status == 0, run.err
    sheet = project.root / "output/test/test_a5-leaflet_en_2-up-a4-rgb.pdf"
    assert f"sheets output/test/{sheet.name} (2 × a5-leaflet on a4 landscape, RGB, at 91 %" \
        .replace(" %", "%") in run.out
    assert "no printer's spreads" not in run.out  # --impose was not asked for
    first = sheet.read_bytes()
    check = project.run("check")
    assert check.status == 0, check.err
    assert sheet.name in check.out
    assert project.run(*leaflet, "--n-up", "--sheet-colour", "cmyk", "--force").status == 0
    assert not sheet.exists()  # one build's sheets replace those of the build before
    cmyk = sheet.with_name("test_a5-leaflet_en_2-up-a4-cmyk.pdf")
    assert cmyk.is_file()
    assert project.run(*leaflet, "--n-up", "--force").status == 0
    assert sheet.read_bytes() == first and not cmyk.exists()
    assert project.run(*leaflet, "--force").status == 0
    assert not sheet.exists()  # the leaflet may have changed: no sheet of an older one stays


def text_colours(pdf: Path, words: str) -> set[tuple[int, int, int]]:
    """The fill colours (RGB, 0–255, as pdfium shows them) of the text objects of ``pdf`` that
    print ``words``, forms included."""
    document = pypdfium2.PdfDocument(str(pdf))
    found = set()
    try:
        for page in document:
            text_page = page.get_textpage()
            for item in page.get_objects(max_depth=4):
                if item.type != pdfium.FPDF_PAGEOBJ_TEXT:
                    continue
                length = pdfium.FPDFTextObj_GetText(item.raw, text_page.raw, None, 0)
                buffer = (ctypes.c_ushort * max(length // 2, 1))()
                pdfium.FPDFTextObj_GetText(item.raw, text_page.raw, buffer, length)
                text = bytes(buffer)[:max(length - 2, 0)].decode("utf-16-le")
                if text.strip() and text.strip() in words:
                    red, green, blue, alpha = (ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(),
                                               ctypes.c_uint())
                    pdfium.FPDFPageObj_GetFillColor(item.raw, red, green, blue, alpha)
                    found.add((red.value, green.value, blue.value))
    finally:
        document.close()
    return found


@pytest.mark.slow
def test_black_text_on_rgb_sheets_is_the_screen_twins_black(project):
    """The lead is 100 % K (--ink): the RGB sheet converts it as the screen twin does (pure
    black), not through the press profile (a dark grey that prints greyish)."""
    run = project.run("build", "--locale", "en", "--n-up", "--jobs", "1")
    assert run.status == 0, run.err
    folder = project.root / "output/test"
    screen = text_colours(folder / "test_a5-leaflet_en_screen.pdf", "A lead paragraph.")
    sheet = text_colours(folder / "test_a5-leaflet_en_2-up-a4-rgb.pdf", "A lead paragraph.")
    assert screen == {(0, 0, 0)}
    assert sheet == screen


@pytest.mark.slow
def test_build_impose_without_a_booklet_says_so(project):
    run = project.run("build", "--locale", "en", "--variant", "print", "--impose")
    assert run.status == 0, run.err
    assert "no printer's spreads: there is no booklet (4, 8, 12 … pages) among the leaflets " \
        "built" in run.out
    assert not list((project.root / "output").rglob("*_spreads.pdf"))
    screen = project.run("build", "--locale", "en", "--variant", "screen", "--n-up")
    assert screen.status == 0, screen.err
    assert "no n-up sheets: they are made from print PDFs, and none was built" in screen.out


@pytest.mark.slow
def test_a_sheet_that_cannot_be_made_fails_the_build(project):
    run = project.run("build", "--locale", "en", "--variant", "print", "--n-up",
                      "--paper", "A5")
    assert run.status == 1
    assert "no n-up sheets of output/test/test_a5-leaflet_en.pdf: on a5 it would be printed at " \
        in run.err
    assert "name larger paper (--paper)" in run.err
    assert (project.root / "output/test/test_a5-leaflet_en.pdf").is_file()
    assert not list((project.root / "output").rglob("*-up-*"))


@pytest.mark.parametrize("text, message", [
    ("imposition:\n  creep: 0.1\n",
     "print.yaml:2:3: imposition.creep: unknown key 'creep': did you mean 'creep_mm'?"),
    ("imposition:\n  creep_mm: thin\n",
     "print.yaml:2:13: imposition.creep_mm: expected a number, got the text 'thin'"),
    ("imposition:\n  creep_mm: -0.1\n",
     "print.yaml:2:13: imposition.creep_mm: Input should be greater than or equal to 0"),
    ("imposition: [0.1]\n", "print.yaml:1:13: imposition: expected a mapping, got a list"),
    ("- creep_mm: 0.1\n", "print.yaml:1:1: expected a mapping of sections (imposition, output_intent)"),
])
def test_a_mistake_in_print_yaml_stops_impose_before_anything_is_built(project, text, message):
    project.write("print.yaml", text)
    run = project.run("build", "--locale", "en", "--impose")
    assert run.status == 1
    assert message in run.err
    assert "nothing was built" in run.err
    assert not (project.root / "output").exists()


@pytest.mark.slow
def test_bundle_impose_puts_each_booklets_spreads_beside_it_and_in_the_manifest(
        project, samples, monkeypatch):
    """The booklet format comes from another branch: here the built leaflet's file is swapped
    for a 20-page booklet before the bundle reads it, so the bundle's own steps run for real."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01: the registry is fresh
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    project.write("print.yaml", "imposition:\n  creep_mm: 0.1\n")
    real_build = bundle.build

    def build_a_booklet(*arguments, **keywords):
        outcome = real_build(*arguments, **keywords)
        for result in outcome.results:
            result.output.write_bytes(samples["booklet"].read_bytes())
            result.pages = 20
        return outcome

    monkeypatch.setattr(bundle, "build", build_a_booklet)
    run = project.run("bundle", "test", "--impose")
    assert run.status == 0, run.err
    with zipfile.ZipFile(project.root / "output/test/test_print-bundle.zip") as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    folder = "test_print-bundle/"
    spreads = entries[folder + "print/test_a5-leaflet_en_spreads.pdf"]
    assert spreads == make_spreads(samples["booklet"], Imposition(0.1)).data
    rows = list(csv.DictReader(io.StringIO(entries[folder + "manifest.csv"].decode())))
    assert [(row["file"], row["format"], row["trim mm"], row["pages"]) for row in rows] == [
        ("print/test_a5-leaflet_en.pdf", "a5-leaflet", "148 x 210", "20"),
        ("print/test_a5-leaflet_en_spreads.pdf", "a5-leaflet printer's spreads", "296 x 210",
         "10")]
    assert rows[1]["sha256"] == hashlib.sha256(spreads).hexdigest()
    assert "print/test_a5-leaflet_en_spreads.pdf" in entries[folder + "README.txt"].decode()


@pytest.mark.slow
def test_a_full_build_removes_the_sheets_of_leaflets_no_campaign_makes_any_more(project):
    english = CAMPAIGN.replace("locales: [az, ru, en]", "locales: [en]")
    project.write("campaigns/test.yaml", english.replace(
        "formats: [a5-leaflet]", "formats: [a5-leaflet, a3-poster]").replace(
        "  sections:", POSTER_SIGNS + "  sections:"))
    everything = ("build", "--n-up", "--paper", "A3")
    assert project.run(*everything).status == 0
    folder = project.root / "output/test"
    poster_sheet = folder / "test_a3-poster_en_1-up-a3-rgb.pdf"
    leaflet_sheet = folder / "test_a5-leaflet_en_4-up-a3-rgb.pdf"
    assert poster_sheet.is_file() and leaflet_sheet.is_file()
    project.write("campaigns/test.yaml", english)
    run = project.run(*everything)
    assert run.status == 0, run.err
    assert f"removed output/test/{poster_sheet.name}: no campaign makes it any more" in run.out
    assert f"removed output/test/{leaflet_sheet.name}" not in run.out
    assert leaflet_sheet.is_file() and not poster_sheet.exists()


def test_a_print_yaml_that_links_out_of_the_project_is_refused(project, tmp_path_factory):
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.yaml"
    secret.write_text("imposition: {creep_mm: 0.1}\n", encoding="utf-8")
    (project.root / "print.yaml").symlink_to(secret)
    run = project.run("build", "--locale", "en", "--impose")
    assert run.status == 1
    assert f"print.yaml: a link to {secret}, outside the project" in run.err
    assert not (project.root / "output").exists()


@pytest.mark.slow
def test_spreads_of_a_booklet_built_with_crop_marks_leave_its_own_marks_out(samples, tmp_path):
    with pikepdf.open(samples["booklet"]) as booklet:
        for page in booklet.pages:  # as --marks writes it: the MediaBox grows around the bleed
            page.obj.MediaBox = [float(v) + d for v, d in zip(page.obj.BleedBox,
                                                              (-30, -30, 30, 30))]
        booklet.save(tmp_path / "marked.pdf")
    plain = make_spreads(samples["booklet"], Imposition())
    marked = make_spreads(tmp_path / "marked.pdf", Imposition())
    assert marked.error is None, marked.error
    with pikepdf.open(io.BytesIO(marked.data)) as document:
        for form in document.pages[0].Resources.XObject.values():
            assert [round(float(v) / PT_PER_MM, 1) for v in form.BBox] == [-3, -3, 151, 213]
    assert page_numbers(written(plain, tmp_path)) == page_numbers(written(marked, tmp_path))

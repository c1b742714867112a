"""Preflight: each rule passes on a built leaflet and fails on a PDF crafted to break it."""

from __future__ import annotations

import ctypes
import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
import qrcode

from samples import CAMPAIGN, POSTER_SIGNS
from leaflets.inputs.formats import FORMATS
from leaflets.layout.fonts import MAIN_FONT, cache_dir
from leaflets.press.preflight import (
    Expectation,
    PageTexts,
    PdfiumReading,
    _Glyph,
    _check_numbers,
    _drawn_digit,
    _likeness_picture,
    _unprinted_digits,
    preflight,
    read_content,
    scan_pages,
)
from leaflets.press import qr_areas
from leaflets.press.qr_areas import search_areas

MM = 72 / 25.4
EXPECTED = Expectation(FORMATS["a5-leaflet"], "tel:916", "916")


def craft(good: Path, target: Path, change) -> Path:
    """A copy of the good PDF with ``change(pdf)`` applied, under the same file name."""
    target.mkdir(parents=True, exist_ok=True)
    path = target / good.name
    with pikepdf.open(good) as pdf:
        change(pdf)
        pdf.save(path)
    return path


def _box(pdf, name, grow_mm):
    for page in pdf.pages:
        x0, y0, x1, y1 = (float(v) for v in page.TrimBox)
        g = grow_mm * MM
        page.obj[name] = pikepdf.Array([x0 - g, y0 - g, x1 + g, y1 + g])


def _draw(content: bytes, page_index: int = 0):
    def change(pdf):
        pdf.pages[page_index].contents_add(pikepdf.Stream(pdf, content))
    return change


def _font_descriptors(pdf):
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            yield obj


def _unembed(pdf):
    for descriptor in _font_descriptors(pdf):
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if key in descriptor:
                del descriptor[key]


def _unsubset(pdf):
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/BaseFont" in obj:
            obj.BaseFont = pikepdf.Name("/" + str(obj.BaseFont).split("+")[-1])


def _small_text(pdf):
    page = pdf.pages[0]
    font = next(iter(page.Resources.Font.keys()))
    page.contents_add(pikepdf.Stream(pdf, f"BT {font} 5 Tf 20 20 Td <0030> Tj ET".encode()))


def _shrink(pdf):
    """Everything on page 1 drawn at 40 %: the QR code becomes 10 mm with 0.34 mm modules."""
    page = pdf.pages[0]
    page.contents_coalesce()
    page.contents_add(pikepdf.Stream(pdf, b"q 0.4 0 0 0.4 0 0 cm"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"Q"))


def _drop_intent(pdf):
    del pdf.Root["/OutputIntents"]


def _drop_trim(pdf):
    del pdf.pages[0].obj["/TrimBox"]


def _drop_page(pdf):
    del pdf.pages[1]


def _hidden_layer(pdf):
    """A second code in a layer hidden from view but printed."""
    layer = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.OCG, Name=pikepdf.String("print only"),
        Usage=pikepdf.Dictionary(Print=pikepdf.Dictionary(PrintState=pikepdf.Name.ON))))
    pdf.Root.OCProperties = pikepdf.Dictionary(OCGs=[layer], D=pikepdf.Dictionary(
        OFF=[layer], AS=[pikepdf.Dictionary(Event=pikepdf.Name.Print,
                                            Category=[pikepdf.Name.Print], OCGs=[layer])]))
    pdf.pages[1].Resources.Properties = pikepdf.Dictionary(Layer=layer)
    _draw(b"/OC /Layer BDC " + _foreign_code("one path") + b" EMC", 1)(pdf)


def _white_overprint(pdf):
    """A second code under a white box that overprints: a render shows the box, a press (where
    white is no ink) prints the code."""
    resources = pdf.pages[1].Resources
    if "/ExtGState" not in resources:
        resources.ExtGState = pikepdf.Dictionary()
    resources.ExtGState.Overprint = pikepdf.Dictionary(OP=True, OPM=1)
    _draw(_foreign_code("one path") + b" q /Overprint gs 0 0 0 0 k 280 450 90 90 re f Q", 1)(pdf)


def _narrow_trim(pdf):
    x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].TrimBox)
    pdf.pages[0].obj.TrimBox = pikepdf.Array([x0, y0, x1 - 8 * MM, y1])


CRAFTS = {
    "pages": (_drop_page, "pages: 1 pages; a5-leaflet has 2"),
    "trim size": (_narrow_trim, "trim, bleed: page 1: trim 140.0 × 210.0 mm; a5-leaflet is "
                                "148 × 210 mm"),
    "no trim box": (_drop_trim, "trim, bleed: page 1: no TrimBox"),
    "small bleed": (lambda pdf: _box(pdf, "/BleedBox", 1), "trim, bleed: page 1: bleed 1.0 mm; "
                                                           "printers need 3 mm on every side"),
    "media box": (lambda pdf: _box(pdf, "/MediaBox", 2), "trim, bleed: page 1: the BleedBox "
                                                         "reaches outside the MediaBox"),
    "font not embedded": (_unembed, re.compile(r"fonts: [A-Z]{6}\+Noto-Sans is not embedded")),
    "font not subset": (_unsubset, "fonts: Noto-Sans is embedded whole, not subset"),
    "optional content": (_hidden_layer, "annotations: the file has optional content (layers): a "
                                        "printer may print a layer the preflight does not see"),
    "white overprint": (_white_overprint, "ink: page 2: something overprints in another colour "
                                          "than 100 % K: on press what lies beneath prints "
                                          "through it, while check sees it covered"),
    "rgb colour": (_draw(b"1 0 0 rg 10 10 20 20 re f"), "colour: DeviceRGB is used (page 1)"),
    "rgb inline image": (_draw(b"q 9 0 0 9 20 20 cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 "
                               b"EI Q"), "colour: DeviceRGB is used (page 1 inline image)"),
    "no output intent": (_drop_intent, "colour: no PDF/X output intent with a CMYK profile"),
    "small type": (_small_text, "type: page 1: text at 5.0 pt; a5-leaflet needs 7 pt at least"),
    "qr unreadable": (_draw(b"0 0 0 0 k -20 -20 500 700 re f"),
                      "QR code: expected one code reading 'tel:916' at 300 dpi, decoded []"),
    # Measured to a pixel at 300 dpi (the A5 code is printed at 28 mm): 11.2 or 11.3 mm,
    # 0.38 or 0.39 mm.
    "qr too small": (_shrink, re.compile(r"QR code: page 1: the code is 11\.[23] mm wide with "
                                         r"its quiet zone; a5-leaflet needs 25 mm")),
    "qr modules": (_shrink, re.compile(r"QR code: page 1: modules of 0\.3[89] mm; at least "
                                       r"0\.4 mm print reliably")),
}


def test_a_built_leaflet_passes_every_check(good_pdf):
    report = preflight(good_pdf, EXPECTED)
    assert report.failures == []
    assert [c.name for c in report.checks] == ["pages", "trim, bleed", "fonts", "colour",
                                               "output intent", "type", "legibility",
                                               "annotations", "ink", "QR code", "identity",
                                               "numbers", "hotline"]


@pytest.mark.parametrize("rule", CRAFTS)
def test_each_rule_fails_on_a_pdf_crafted_to_break_it(good_pdf, tmp_path, rule):
    change, expected = CRAFTS[rule]
    report = preflight(craft(good_pdf, tmp_path, change), EXPECTED)
    pattern = expected if isinstance(expected, re.Pattern) else re.compile(re.escape(expected))
    assert any(pattern.fullmatch(failure) for failure in report.failures), report.failures


def _text_set(state: str):
    """Every text object of page 1 set with ``state`` before it (a render mode, an opacity):
    read as text, printed by no press."""
    def change(pdf):
        page = pdf.pages[0]
        page.contents_coalesce()
        if "/ExtGState" not in page.Resources:
            page.Resources.ExtGState = pikepdf.Dictionary()
        page.Resources.ExtGState.Clear = pikepdf.Dictionary(ca=0, CA=0)
        page.obj.Contents = pikepdf.Stream(pdf, re.sub(rb"\bBT\b", f"BT {state}".encode(),
                                                        page.obj.Contents.read_bytes()))
    return change


def _moved_off_the_trim(pdf):
    """Page 1's content moved right by the page's width: off its trim, yet in its text."""
    page = pdf.pages[0]
    page.contents_coalesce()
    width = float(page.MediaBox[2])
    page.contents_add(pikepdf.Stream(pdf, f"q 1 0 0 1 {width} 0 cm".encode()), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"Q"))


def _white_on_white(pdf):
    """Every colour page 1 fills with made white: text and what it stands on."""
    page = pdf.pages[0]
    page.contents_coalesce()
    page.obj.Contents = pikepdf.Stream(pdf, re.sub(rb"(?:[\d.]+ ){4}scn", b"0 0 0 0 scn",
                                                    page.obj.Contents.read_bytes()))


def _clipped_away(pdf):
    page = pdf.pages[0]
    page.contents_coalesce()
    page.contents_add(pikepdf.Stream(pdf, b"q 0 0 1 1 re W n"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"Q"))


# Over the whole page: paper white, and then (in outlines, as a proof's lettering may be) a 6.
_COVERED = b"q 0 0 0 0 k -10 -10 2000 2000 re f Q"
_OUTLINED_SIX = b"q 0 0 0 1 k 150 90 m 180 90 l 180 130 l 150 130 l h f Q"


def _unprinted(report) -> list[str]:
    return [failure for failure in report.failures
            if failure.startswith("numbers: page 1: the text holds digits that the page does "
                                  "not print (invisible, outside the trim, or not drawn as that "
                                  "digit: ")]


@pytest.mark.parametrize("change", [
    _text_set("3 Tr"), _text_set("7 Tr"), _text_set("/Clear gs"), _text_set("1 Tr /Clear gs"),
    _white_on_white, _moved_off_the_trim, _clipped_away, _draw(_COVERED),
    _draw(_COVERED + _OUTLINED_SIX)],
    ids=["invisible", "clip only", "opacity 0", "stroked at opacity 0", "white on white",
         "off the trim", "clipped away", "covered", "covered and drawn over"])
def test_a_number_the_page_does_not_print_fails(good_pdf, tmp_path, change):
    """Text that no press prints still reads as text: 916 set invisible over 619 drawn in
    outlines would pass for the hotline's number."""
    report = preflight(craft(good_pdf, tmp_path, change), EXPECTED)
    assert any("'916'" in failure for failure in _unprinted(report)), report.failures


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_turned_page_s_digits_are_judged_where_they_stand(good_pdf, tmp_path, rotation):
    """A page with a /Rotate renders turned: its digits are compared where it draws them, so the
    ones it shows pass and the ones it hides do not."""
    def turn(pdf):
        pdf.pages[0].Rotate = rotation

    def turn_and_hide(pdf):
        turn(pdf)
        _text_set("3 Tr")(pdf)

    shown = preflight(craft(good_pdf, tmp_path / "shown", turn), EXPECTED)
    hidden = preflight(craft(good_pdf, tmp_path / "hidden", turn_and_hide), EXPECTED)
    assert _unprinted(shown) == []
    assert any("'916'" in failure for failure in _unprinted(hidden)), hidden.failures


def test_a_digit_set_at_a_giant_size_is_judged_within_the_page(good_pdf, tmp_path):
    """A digit at 20,000 pt, its centre on the page and clipped to nothing, stands in a box of
    hundreds of millions of pixels at the check's resolution: only the page's are compared (the
    check raised out of the preflight)."""
    size = 20_000  # Helvetica's 9 stands 0.278 em right of its origin and 0.3425 em up
    giant = f"q 0 0 1 1 re W n BT /Letters {size} Tf {210 - 0.278 * size} " \
            f"{300 - 0.3425 * size} Td (9) Tj ET Q"
    report = preflight(craft(good_pdf, tmp_path, _draw_with_letters(giant.encode(), 0)),
                       EXPECTED)
    assert [check.name for check in report.checks if check.name in ("readable", "numbers")] \
        == ["numbers"]


def _digit_centres(path: Path, page_index: int) -> list[tuple[float, float]]:
    """The centre of each digit's box in a page's text."""
    document = pypdfium2.PdfDocument(path)
    try:
        text_page = document[page_index].get_textpage()
        boxes = [text_page.get_charbox(index) for index in range(text_page.count_chars())
                 if text_page.get_text_range(index, 1).isdigit()]
    finally:
        document.close()
    return [((x0 + x1) / 2, (y0 + y1) / 2) for x0, y0, x1, y1 in boxes]


# Each mark's centre in its glyph, in em of Helvetica: a period, a hyphen, a letter, a digit.
MARKS = {".": (0.14, 0.05), "-": (0.17, 0.28), "x": (0.25, 0.26), "8": (0.28, 0.35)}


@pytest.mark.parametrize("mark", MARKS)
def test_a_hidden_digit_under_a_mark_another_object_prints_fails(good_pdf, tmp_path, mark):
    """Page 1's text set invisible, and a visible 6 pt mark of other text in each digit's box:
    the page changes in every digit's box when its text is hidden, yet shows none of the digits'
    own glyphs (with 619 drawn in outlines beside the marks, the text would read 916)."""
    size = 6
    across, up = MARKS[mark]
    marks = " ".join(f"BT 0 g /Letters {size} Tf {x - across * size:.2f} {y - up * size:.2f} Td "
                     f"({mark}) Tj ET" for x, y in _digit_centres(good_pdf, 0))

    def change(pdf):
        _text_set("3 Tr")(pdf)
        page = pdf.pages[0]  # its drawing leaves a flipped space, set invisible: undone
        page.contents_add(pikepdf.Stream(pdf, b"q"), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"Q"))
        _draw_with_letters(marks.encode(), 0)(pdf)

    report = preflight(craft(good_pdf, tmp_path, change), EXPECTED)
    assert any("'916'" in failure for failure in _unprinted(report)), report.failures


def _unprinted_on_page(tmp_path: Path, content: bytes, **fonts) -> list[str]:
    """The unprinted runs of digits on a 200 pt square page that draws ``content``, Helvetica
    as /Letters, as /Drawn a Type 3 font whose 1, 6 and 9 are a drawing: a ring, and /Faint an
    opacity of 2 %; ``fonts``: more, by name, each made in the PDF by a function."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    ring = pdf.make_stream(b"500 0 0 0 500 700 d1 0 0 500 700 re 120 120 260 460 re f*")
    pdf.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(
        Letters=pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                   BaseFont=pikepdf.Name.Helvetica),
        Drawn=pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3, FontBBox=[0, 0, 500, 700],
            FontMatrix=[0.001, 0, 0, 0.001, 0, 0], CharProcs=pikepdf.Dictionary(one=ring, six=ring, nine=ring),
            Encoding=pikepdf.Dictionary(Differences=[49, pikepdf.Name.one, 54, pikepdf.Name.six,
                                                     57, pikepdf.Name.nine]),
            FirstChar=49, LastChar=57, Widths=[500] * 9, Resources=pikepdf.Dictionary()),
        **{name: make(pdf) for name, make in fonts.items()}),
        ExtGState=pikepdf.Dictionary(Faint=pikepdf.Dictionary(ca=0.02, CA=0.02)))
    pdf.pages[0].contents_add(pikepdf.Stream(pdf, content))
    pdf.save(tmp_path / "page.pdf")
    return [run for _, run in scan_pages(tmp_path / "page.pdf")[1].unprinted]


# 916 at 20 pt: its digits stand 11.1 pt apart from x = 50, from y = 100 to 114.
_NINE_ONE_SIX = b"BT /Letters 20 Tf 50 100 Td (916) Tj ET "


@pytest.mark.parametrize("content", [
    _NINE_ONE_SIX,
    b"BT /Letters 20 Tf 0 1 -1 0 100 50 Tm (916) Tj ET",
    b"BT /Letters 20 Tf 0.87 0.5 -0.5 0.87 50 50 Tm (916) Tj ET",
    b"BT /Letters 20 Tf 60 Tz 5 Ts 50 100 Td (916) Tj ET",
    b"BT /Letters 6 Tf 50 100 Td (916) Tj ET",
    b"0 0 0.2 rg 40 90 60 40 re f BT 1 g /Letters 20 Tf 50 100 Td (916) Tj ET",
    b"BT /Letters 20 Tf 50 100 Td [(9) 416 (.) -138 (1) 416 (.) -138 (6)] TJ ET",
    b"BT /Letters 60 Tf 0.58 0.82 -0.82 0.58 100 40 Tm (7) Tj ET",
    b"BT 1 Tr 1 w /Letters 20 Tf 50 100 Td (916) Tj ET",
    b"BT 0.8 g /Letters 20 Tf 50 100 Td (916) Tj ET"],
    ids=["upright", "turned", "at an angle", "scaled and raised", "6 pt", "white on dark",
         "dots between", "large, at an angle",
         "in outlines of a point", "at a 20 % tint"])
def test_a_digit_whose_glyph_shows_is_printed(tmp_path, content):
    assert _unprinted_on_page(tmp_path, content) == []


@pytest.mark.parametrize("content", [
    # Another text object draws the digits the page shows over hidden ones.
    b"BT 3 Tr /Letters 20 Tf 50 100 Td (916) Tj ET BT 0 Tr /Letters 20 Tf 50 100 Td (619) Tj "
    b"ET",
    # The digits' own object draws a dot in each, and white covers all but the dots' strip.
    b"BT /Letters 20 Tf 50 100 Td [(9) 416 (.) -138 (1) 416 (.) -138 (6) 416 (.)] TJ ET "
    b"1 g 45 102.2 45 15 re f",
    _NINE_ONE_SIX + b"1 g 45 103 45 15 re f",  # white over all but their feet
    _NINE_ONE_SIX + b"1 g 45 109.5 45 10 re f",  # white over their heads: a third of them
    b"q 45 100 45 2 re W n " + _NINE_ONE_SIX + b"Q",  # clipped to a sliver
    b"BT /Letters 1.5 Tf 60 Tc 50 100 Td (916) Tj ET",  # tiny, spread over a wide line
    b"BT /Letters 20 Tf 1 0 0 0.05 50 100 Tm (916) Tj ET",  # flattened to a rule
    b"BT /Letters 20 Tf 4 Tz 50 100 Td (916) Tj ET",  # squeezed to strokes
    # A glyph that is a drawing has no outline to read: its box stands for it (here all but a
    # strip of 1 pt).
    b"BT /Drawn 20 Tf 50 100 Td (916) Tj ET 1 g 45 101 50 15 re f",
    # Each digit turned half round in its own place: the page shows 619 (Helvetica's digits
    # are 0.556 em wide; 20 pt ones stand 14 pt tall).
    b"BT /Letters 20 Tf -1 0 0 -1 61.1 114 Tm (9) Tj ET BT /Letters 20 Tf -1 0 0 -1 72.2 114 "
    b"Tm (1) Tj ET BT /Letters 20 Tf -1 0 0 -1 83.4 114 Tm (6) Tj ET",
    b"BT /Letters 20 Tf -1 0 0 1 83.4 100 Tm (916) Tj ET",  # mirrored
    # A Type 3 font's glyphs are drawings, which may draw any digit (here a ring for each).
    b"BT /Drawn 20 Tf 50 100 Td (916) Tj ET",
    # Pixels that change by a few levels: no reader sees the digits on paper.
    b"BT 0.98 g /Letters 20 Tf 50 100 Td (916) Tj ET",
    b"q /Faint gs " + _NINE_ONE_SIX + b"Q",
    b"0.5 g 40 90 80 40 re f BT 0.47 g /Letters 20 Tf 50 100 Td (916) Tj ET",
    # Outlines only, of no width or hardly any: a renderer draws them a pixel wide, a
    # platesetter a 2,400th of an inch.
    b"BT 1 Tr 0 w /Letters 20 Tf 50 100 Td (916) Tj ET",
    b"BT 5 Tr 0 w /Letters 20 Tf 50 100 Td (916) Tj ET",
    b"BT 1 Tr 0.01 w /Letters 20 Tf 50 100 Td (916) Tj ET",
    b"q 0.01 0 0 0.01 0 0 cm BT 1 Tr 1 w /Letters 2000 Tf 5000 10000 Td (916) Tj ET Q"],
    ids=["under other digits", "dots of their own", "covered but their feet", "beheaded",
         "clipped to a sliver", "tiny", "flattened", "squeezed", "a drawing, covered",
         "drawings", "each turned half round", "mirrored",
         "a 2 % tint", "at 2 % opacity", "nearly the panel's colour", "hairline outlines",
         "hairline outlines that clip", "outlines of a hundredth of a point",
         "outlines scaled down to a hair"])
def test_a_digit_that_shows_too_little_of_its_own_glyph_is_unprinted(tmp_path, content):
    """A digit is printed where most of its own glyph shows at a readable size, not where
    anything in its box changes with the text hidden (pdfium reads the dots between the
    digits where the digits' own object draws them)."""
    assert "".join(_unprinted_on_page(tmp_path, content)) == "916"


def _digits_read_as_others(pdf):
    """Every font's ToUnicode map reads its 6 as 9 and its 9 as 6, and the pages draw 6 where
    they drew 9 and 9 where they drew 6: the text still reads 916, the page prints 619."""
    six, nine = b"<0019>", b"<001c>"  # the digits' codes in the build's Noto Sans subsets
    for font in pdf.objects:
        if isinstance(font, pikepdf.Dictionary) and "/ToUnicode" in font:
            cmap = font.ToUnicode.read_bytes()
            assert six + b" <0036>" in cmap or nine + b" <0039>" in cmap or b"<0039>" not in cmap
            font.ToUnicode.write(cmap.replace(b"<0036>", b"<x>").replace(b"<0039>", b"<0036>")
                                 .replace(b"<x>", b"<0039>"))
    for page in pdf.pages:
        page.contents_coalesce()
        page.obj.Contents.write(page.obj.Contents.read_bytes().replace(six, b"<x>")
                                .replace(nine, six).replace(b"<x>", nine))


def _glyphs_swapped_in_the_fonts(pdf):
    """Every embedded font's glyphs for 6 and 9 swapped: its 9 draws a 6, its 6 a 9."""
    from fontTools.ttLib import TTFont
    for descriptor in _font_descriptors(pdf):
        font = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
        glyphs, (six, nine) = font["glyf"], (font.getGlyphOrder()[code] for code in (0x19, 0x1C))
        if six in glyphs.glyphs and nine in glyphs.glyphs:
            glyphs[six], glyphs[nine] = glyphs[nine], glyphs[six]
            swapped = io.BytesIO()
            font.save(swapped)
            descriptor.FontFile2.write(swapped.getvalue())


@pytest.mark.parametrize("change", [_digits_read_as_others, _glyphs_swapped_in_the_fonts],
                         ids=["read as others", "glyphs swapped"])
def test_a_leaflet_whose_text_reads_digits_it_draws_as_others_fails(good_pdf, tmp_path, change):
    """A press prints the glyphs, every reader of the text the ToUnicode map: 619 printed on
    the leaflet would pass for 916 (every other check passes)."""
    report = preflight(craft(good_pdf, tmp_path, change), EXPECTED)
    assert [failure for failure in report.failures
            if not failure.startswith("numbers: page ")] == []
    assert any("'9', '6'" in failure for failure in _unprinted(report)), report.failures


def _a_second_code_read_as_nine(pdf):
    """Page 1's fonts draw a 6 by a second code, which their ToUnicode maps read as 9, and the
    page sets it for its 9s: the text reads 916, the page prints 616. pdfium finds a glyph for
    9 by the first code that reads 9: the font's own 9, whose box is the 6's."""
    six, nine, second = 0x19, 0x1C, 0x100  # codes and glyphs of the build's Noto Sans subsets
    for font in pdf.pages[0].Resources.Font.values():
        cid_font = font.DescendantFonts[0]
        widths = list(cid_font.W)  # as WeasyPrint writes them: a first code, its widths
        nine_width = next((ws[nine - first] for first, ws in zip(widths[::2], widths[1::2])
                           if first <= nine < first + len(ws)), None)
        if nine_width is None:
            continue  # a font that sets no 9
        cid_font.W = pikepdf.Array([*widths, second, [nine_width]])
        glyphs = [*range(second), six]
        cid_font.CIDToGIDMap = pdf.make_stream(b"".join(g.to_bytes(2, "big") for g in glyphs))
        font.ToUnicode.write(re.sub(rb"(\d+) beginbfchar", lambda m: b"%d beginbfchar <0100> <0039>"
                                    % (int(m.group(1)) + 1), font.ToUnicode.read_bytes()))
    page = pdf.pages[0]
    page.contents_coalesce()
    page.obj.Contents.write(page.obj.Contents.read_bytes().replace(b"<001c>", b"<0100>"))


def test_a_digit_drawn_by_a_second_code_as_another_digit_fails(good_pdf, tmp_path):
    """At a display size, the pixels a digit's object draws in its place must have its glyph's
    shape: the 6 drawn in the place of a 9 covers most of the 9's pixels."""
    report = preflight(craft(good_pdf, tmp_path, _a_second_code_read_as_nine), EXPECTED)
    assert [failure for failure in report.failures
            if not failure.startswith("numbers: page ")] == []
    assert any("'9'" in failure for failure in _unprinted(report)), report.failures


def _one_code_read_as_the_number(pdf):
    """Page 1's fonts read their 6 as 916 and nothing as 9 or 1, and the page draws that 6
    alone where it drew 916: the text reads 916, the page prints 6. pdfium finds no outline
    for 9 or 1, and each of the three digits stands in the 6's box."""
    page = pdf.pages[0]
    for font in page.Resources.Font.values():
        head, rest = font.ToUnicode.read_bytes().decode().split("beginbfchar", 1)
        body, tail = rest.split("endbfchar", 1)
        entries = [line.replace(" <0036>", " <003900310036>") for line in body.split("\n")
                   if line.strip() and not line.startswith(("<001c>", "<0014>"))]
        count = re.sub(r"\d+ $", f"{len(entries)} ", head)
        lines = "\n".join(entries)
        font.ToUnicode.write(f"{count}beginbfchar\n{lines}\nendbfchar{tail}".encode())
    page.contents_coalesce()
    page.obj.Contents.write(page.obj.Contents.read_bytes().replace(b"<001c> 0 <0014> 0 <0019>",
                                                                    b"<0019>"))


def test_a_code_read_as_several_digits_fails(good_pdf, tmp_path):
    report = preflight(craft(good_pdf, tmp_path, _one_code_read_as_the_number), EXPECTED)
    assert any("'916'" in failure for failure in _unprinted(report)), report.failures


def _font_reading(base: str, reading: dict[str, str], **font):
    """The standard font ``base`` with a ToUnicode map that reads each code of ``reading`` (a
    character) as its text, and ``font``'s other entries, made in a PDF."""
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Read def "
            f"1 begincodespacerange <00> <ff> endcodespacerange {len(reading)} beginbfchar "
            + " ".join(f"<{ord(code):02x}> <{read.encode('utf-16-be').hex()}>"
                       for code, read in reading.items())
            + " endbfchar endcmap CMapName currentdict /CMap defineresource pop end end").encode()
    return lambda pdf: pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                          BaseFont=pikepdf.Name("/" + base),
                                          ToUnicode=pdf.make_stream(cmap), **font)


DIGITS = {digit: digit for digit in "0123456789"}


@pytest.mark.parametrize("base", ["Helvetica", "Times-Bold", "Courier-Oblique"])
def test_a_glyph_of_another_digit_read_as_this_one_is_unprinted(tmp_path, base):
    """619 drawn in a font whose ToUnicode map swaps 6 and 9 reads 916: its 9 and its 6 are
    drawn as other digits."""
    swapped = _font_reading(base, DIGITS | {"6": "9", "9": "6"})
    assert _unprinted_on_page(tmp_path, b"BT /Swapped 20 Tf 50 100 Td (619) Tj ET",
                              Swapped=swapped) == ["9", "6"]


@pytest.mark.parametrize("size", [12, 45])
def test_a_second_code_read_as_a_digit_whose_glyph_is_another_is_unprinted(tmp_path, size):
    """914 drawn in a font that reads its 4 as 1, and a second code (~, drawn as its 1) as 1
    too: pdfium finds a 1 for the digit (its outline stands apart from the 4's box), the text
    reads 911."""
    second_one = _font_reading("Helvetica", DIGITS | {"4": "1", "~": "1"},
                               Encoding=pikepdf.Dictionary(Differences=[126, pikepdf.Name.one]))
    assert _unprinted_on_page(tmp_path, f"BT /Two {size} Tf 20 100 Td (914) Tj ET".encode(),
                              Two=second_one) == ["1"]


def test_digits_of_fonts_of_every_weight_read_as_themselves_and_no_other():
    """Each digit of Noto Sans at each weight the build uses, and of the bold and italic fonts
    pdfium carries, reads as its own digit, and is caught where the text reads it as any other
    (as a swapped ToUnicode map or glyph would)."""
    raw = pypdfium2.raw
    document = pypdfium2.PdfDocument.new()
    files = [path.read_bytes() for path in MAIN_FONT.instances(cache_dir()).values()]
    buffers = [(ctypes.c_uint8 * len(data)).from_buffer_copy(data) for data in files]
    fonts = [raw.FPDFText_LoadFont(document.raw, buffer, len(buffer), raw.FPDF_FONT_TRUETYPE,
                                   False) for buffer in buffers]
    fonts += [raw.FPDFText_LoadStandardFont(document.raw, name.encode()) for name in
              ("Helvetica-Bold", "Helvetica-BoldOblique", "Times-Bold", "Times-BoldItalic",
               "Courier-Bold", "Courier-BoldOblique")]
    for font in fonts:
        for drawn in "0123456789":
            glyph = _Glyph.outline(font, drawn)
            picture = _likeness_picture(glyph.contours, glyph.bounds)
            assert [read for read in "0123456789" if _drawn_digit(picture, read) is None] \
                == [drawn]
    document.close()


def test_digits_beyond_what_a_page_is_judged_for_count_unprinted(tmp_path, monkeypatch):
    """Each text object that sets digits costs a render: past the first few (here 2), a page's
    digits are not judged, and count as unprinted rather than as printed."""
    from leaflets.press import preflight as module
    monkeypatch.setattr(module, "MAX_JUDGED_OBJECTS", 2)
    assert _unprinted_on_page(tmp_path, b"BT /Letters 20 Tf 50 100 Td (12) Tj ET "
                                        b"BT /Letters 20 Tf 50 130 Td (34) Tj ET "
                                        b"BT /Letters 20 Tf 50 160 Td (56) Tj ET") == ["56"]


def test_a_page_of_the_largest_size_is_judged_area_by_area(tmp_path, monkeypatch):
    """A page of 14,400 pt square (the most a PDF allows) rendered whole at the check's
    resolution took 4.3 GB and 5 s: it is rendered only where its digits stand."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(14_400, 14_400))
    _draw_with_letters(b"BT /Letters 20 Tf 50 100 Td (619) Tj ET BT 3 Tr /Letters 20 Tf 14000 "
                       b"14000 Td (916) Tj ET BT 0 Tr /Letters 20 Tf 14000 14000 Td "
                       b"[(.) -278 (.) -278 (.)] TJ ET", 0)(pdf)
    pdf.save(tmp_path / "large.pdf")
    monkeypatch.setattr(pypdfium2.PdfPage, "render", None)  # no render of the page whole
    with PdfiumReading(tmp_path / "large.pdf") as reading:
        assert reading.pages
        with reading.printed_page(0) as page:
            assert _unprinted_digits(page) == ["916"]


@pytest.mark.slow
def test_the_digits_of_built_leaflets_of_every_fold_are_printed(project):
    """Digits on coloured panels, in white on dark, beside the code, at 6 to 60 pt, on the
    turned panels of a tri-fold: all shown."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "locales: [az, ru, en]", "locales: [en]").replace(
        "formats: [a5-leaflet]", "formats: [a5-leaflet, a6-card, dl-trifold, a3-poster]").replace(
        "  sections:\n", POSTER_SIGNS + "  sections:\n"))
    assert project.run("build").status == 0
    assert len(project.pdfs()) == 8
    for path in project.pdfs():
        assert scan_pages(path)[1].unprinted == (), path.name


FULL = Expectation(FORMATS["a5-leaflet"], "tel:+994120000009", "(012) 000 00 09")


def _read(pdfium: str, drawn: str) -> PageTexts:
    """A file's text as pdfium reads it and as pypdf reads it drawn."""
    texts = PageTexts(Path("any.pdf"), pdfium, [], 10.0)
    texts.__dict__["drawn"] = drawn  # what PageTexts.drawn would read from the file
    return texts


@pytest.mark.parametrize("pdfium, drawn, ok", [
    # A Persian page: pdfium turns the number around, the drawn text shows it whole.
    ("زنگ بزنید 09 00 000 (012)", "(012) 000 00 09 زنگ بزنید", True),
    # A page that draws the groups in another order where it also draws the number whole: the
    # other order is read so by both readers.
    ("Call (012) 000 00 09 or 09 00 000 (012)", "Call (012) 000 00 09 or 09 00 000 (012)",
     False),
    ("Call (012) 000 00 09 or 000 (012) 09 00", "Call (012) 000 00 09 or 000 (012) 09 00",
     False)])
def test_only_a_turned_around_reading_is_excused(pdfium, drawn, ok):
    assert _check_numbers(_read(pdfium, drawn), FULL).ok is ok


def test_missing_hotline_number_fails(good_pdf):
    other = Expectation(FORMATS["a5-leaflet"], "tel:916", "919")
    assert preflight(good_pdf, other).failures == [
        "numbers: the number 919 is not in the text as a number of its own",
        "numbers: '916' looks like a phone number, and the leaflet prints no such number (its "
        "numbers: 919)",
        "hotline: page 1: the number set largest reads '916', not the main hotline's number 919"]



@pytest.mark.parametrize("expectation, reads_when_fresh", [
    (EXPECTED, 0),  # pdfium reads every number whole: nothing to excuse
    (Expectation(FORMATS["a5-leaflet"], "tel:916", "919"), 1),  # pdfium reads a wrong one
])
def test_a_fresh_file_is_read_a_second_time_only_where_the_first_reading_needs_it(
        good_pdf, monkeypatch, expectation, reads_when_fresh):
    """The build's own candidate (fresh) is read by pypdf only to excuse what pdfium's reading
    finds wrong; any other file is read by pypdf always (one it cannot read is unreadable)."""
    import pypdf  # imported where it reads
    opened: list[Path] = []
    reader = pypdf.PdfReader
    monkeypatch.setattr(pypdf, "PdfReader", lambda path: opened.append(path) or reader(path))
    fresh = preflight(good_pdf, expectation, fresh=True)
    assert len(opened) == reads_when_fresh
    assert preflight(good_pdf, expectation).failures == fresh.failures
    assert len(opened) == reads_when_fresh + 1

@pytest.mark.slow
def test_check_command_judges_ours_and_reports_other_pdfs(project, good_pdf):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    ours = craft(good_pdf, project.root / "output/test", _drop_page)
    proof = project.root / "proof-from-printer.pdf"
    shutil.copy(ours, proof)
    run = project.run("check", str(proof))
    assert run.status == 0, run.err
    assert "proof-from-printer.pdf (not ours)" in run.out
    assert "tel:916" in run.out and "1 PDFs checked, 0 failed" in run.out

    run = project.run("check")  # every PDF in output/: ours, so judged against its format
    assert run.status == 1
    assert "output/test/test_a5-leaflet_en.pdf: pages: 1 pages; a5-leaflet has 2" in run.err
    assert "1 PDFs checked, 1 failed" in run.err

    not_a_pdf = project.write("notes.pdf", "hello")
    run = project.run("check", str(not_a_pdf), str(project.root / "missing.pdf"))
    assert run.status == 1 and "Traceback" not in run.err
    assert "notes.pdf: readable: not a readable PDF" in run.err
    assert "missing.pdf: readable: no such file" in run.err


@pytest.mark.slow
@pytest.mark.skipif(not all(shutil.which(t) for t in ("pdfinfo", "pdffonts", "pdftoppm",
                                                         "zbarimg")),
                    reason="poppler-utils or zbar-tools not installed")
def test_poppler_and_zbar_agree_with_the_preflight(good_pdf, tmp_path):
    boxes = subprocess.run(["pdfinfo", "-box", str(good_pdf)], capture_output=True, text=True,
                           check=True).stdout
    values = {line.split(":")[0]: [float(v) / MM for v in line.split(":")[1].split()]
              for line in boxes.splitlines() if line.split(":")[0].endswith("Box")}
    trim, bleed = values["TrimBox"], values["BleedBox"]
    assert round(trim[2] - trim[0]) == 148 and round(trim[3] - trim[1]) == 210
    assert [round(trim[0] - bleed[0], 1), round(bleed[3] - trim[3], 1)] == [3.0, 3.0]

    for pdf, embedded in ((good_pdf, True), (craft(good_pdf, tmp_path, _unembed), False)):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert fonts and all((row.split()[-5] == "yes") == embedded for row in fonts), fonts
        assert (preflight(pdf, EXPECTED).failures == []) == embedded

    subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-png", str(good_pdf),
                    str(tmp_path / "page")], check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", *map(str, tmp_path.glob("page*.png"))],
                             capture_output=True, text=True).stdout.split()
    assert decoded == ["tel:916"] == [c.summary.split()[0] for c in preflight(
        good_pdf, EXPECTED).checks if c.name == "QR code"]


@pytest.mark.slow
def test_check_judges_leaflets_of_a_started_language_too(project):
    from samples import CAMPAIGN
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    assert project.run("translations", "init", "ru").status == 0
    assert project.run("build", "--variant", "print", "--locale", "ru").status == 0
    run = project.run("check", str(project.root / "output/test/test_a5-leaflet_ru.pdf"))
    assert run.status == 0 and "not ours" not in run.out + run.err
    assert "tel:916" in run.out


@pytest.mark.parametrize("operation", [
    b"g", b"1 0 0 cm", b"1 0 0 1 0 Tm", b"/F1 Tf", b"/Name 0 0 1 cm", b"0 0 1 k", b"gs", b"w",
    b"/Name M",
    # pikepdf reads the tokens after the first EI as the image's data, pypdf cannot read them
    b"BI /W 1 /H 1 /CS /G /BPC 8 ID \xff EI ) ) BI /W 1 /H 1 /CS /G /BPC 8 ID \xff EI"])
def test_a_content_stream_whose_operators_lack_operands_is_unreadable_not_a_crash(
        good_pdf, tmp_path, operation):
    """No writer makes such a stream; check says the file cannot be read, with no traceback."""
    path = tmp_path / good_pdf.name
    with pikepdf.open(good_pdf) as pdf:
        page = pdf.pages[0]
        page.contents_coalesce()
        page.obj.Contents = pdf.make_stream(b"q " + operation + b" Q\n" + page.obj.Contents.read_bytes())
        pdf.save(path)
    report = preflight(path)
    assert not report.ok
    assert [check.summary for check in report.checks if not check.ok] == ["not a readable PDF"]


@pytest.mark.slow  # reads 200,000 operations before it gives up
def test_forms_drawn_within_forms_over_and_over_are_unreadable_not_a_hang(tmp_path):
    """Seven forms, each drawing the next ten times, would be 10^7 readings of the last one: the
    page is given up as unreadable at ink.MAX_OPERATIONS (a leaflet page paints a few
    thousand), quickly and without a traceback."""
    path = _nested_forms(tmp_path, 7, b"/X Do " * 10)
    assert _unreadable_because(path) == "paints more than 200,000 operations"


def test_forms_nested_deeper_than_the_reader_reads_are_unreadable(tmp_path):
    """The reader stops at eight forms deep; pdfium draws deeper: what it draws there (a second
    QR code, an RGB colour) no rule would see."""
    path = _nested_forms(tmp_path, 9, b"/X Do")
    assert _unreadable_because(path) == "more than 8 deep"


def _nested_forms(tmp_path: Path, wrappers: int, drawing: bytes) -> Path:
    """A page drawing ``wrappers`` forms within each other (each drawing the next with
    ``drawing``) around one that paints in RGB."""
    path = tmp_path / "nested.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(420, 595))
        inner = pdf.make_stream(b"1 0 0 rg 0 0 1 1 re f", Type=pikepdf.Name.XObject,
                                Subtype=pikepdf.Name.Form, BBox=[0, 0, 1, 1])
        for _ in range(wrappers):
            inner = pdf.make_stream(drawing, Type=pikepdf.Name.XObject,
                                    Subtype=pikepdf.Name.Form, BBox=[0, 0, 1, 1],
                                    Resources=pikepdf.Dictionary(
                                        XObject=pikepdf.Dictionary(X=inner)))
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X=inner))
        page.Contents = pdf.make_stream(b"/X Do")
        pdf.save(path)
    return path


def _unreadable_because(path: Path) -> str:
    """The part of the reason given that ``path`` is unreadable that tells why; no other check
    may fail."""
    failed = [check for check in preflight(path).checks if not check.ok]
    assert [check.summary for check in failed] == ["not a readable PDF"]
    reason = failed[0].problems[0]
    return next(part for part in ("paints more than 200,000 operations", "more than 8 deep")
                if part in reason)


def test_text_scaled_down_by_the_page_is_measured_at_its_printed_size(good_pdf, tmp_path):
    """The same text drawn at 40 % by a transformation of the page: each size is the font size
    times the text matrix and the CTM, and the type check fails at the printed size."""
    path = tmp_path / good_pdf.name
    with pikepdf.open(good_pdf) as pdf:
        page = pdf.pages[0]
        page.contents_coalesce()
        page.obj.Contents = pdf.make_stream(b"q 0.4 0 0 0.4 0 0 cm\n"
                                            + page.obj.Contents.read_bytes() + b"\nQ\n")
        pdf.save(path)
    before = next(c for c in preflight(good_pdf, EXPECTED).checks if c.name == "type")
    after = next(c for c in preflight(path, EXPECTED).checks if c.name == "type")
    assert before.ok and not after.ok, (before, after)


# ------------------------------------------------------------------ QR codes from their own area

FOREIGN = "https://example.org/other"


def _foreign_code(drawing: str, x: float = 300, y: float = 470, module: float = 2.0) -> bytes:
    """Content drawing a code that reads FOREIGN, with its quiet zone, at (x, y) in pt."""
    code = qrcode.QRCode(border=0)
    code.add_data(FOREIGN)
    matrix = code.get_matrix()
    size = len(matrix)
    corners = [(x + column * module, y + (size - 1 - row) * module)
               for row, line in enumerate(matrix) for column, dark in enumerate(line) if dark]
    modules = [f"{left} {bottom} {module} {module} re" for left, bottom in corners]
    strokes = [f"{left} {bottom + module / 2} m {left + module} {bottom + module / 2} l"
               for left, bottom in corners]  # a line as thick as a module, through its middle
    quiet = (f"q 0 0 0 0 k {x - 4 * module} {y - 4 * module} {(size + 8) * module} "
             f"{(size + 8) * module} re f ")
    body = {"one path": "0 0 0 1 k " + " ".join(modules) + " f",
            "module by module": " ".join(f"0 0 0 1 k {m} f" for m in modules),
            "stroked": f"0 0 0 1 K {module} w " + " ".join(strokes) + " S",
            "through a clip": " ".join(modules) + " W n 0 0 0 1 k 0 0 600 600 re f",
            "as letters": f"BT /Letters 1 Tf 0 0 0 1 k {_letters(corners, module)} ET",
            "through a clip of letters": f"BT /Letters 1 Tf 7 Tr {_letters(corners, module)} ET "
                                         "0 0 0 1 k 0 0 600 600 re f",
            "square caps": f"0 0 0 1 K {module} w 2 J " + " ".join(
                f"{left + module / 2} {bottom + module / 2} m {left + module / 2} "
                f"{bottom + module / 2} l S" for left, bottom in corners)}[drawing]
    return (quiet + body + " Q").encode()


def _letters(corners: list[tuple[float, float]], module: float) -> str:
    """Each module an "I" of Helvetica stretched by its matrix to a square: its stem is
    0.094 em wide (from 0.094 em) and its capital 0.718 em high."""
    width, height = module / 0.094, module / 0.718
    return " ".join(f"{width} 0 0 {height} {left - module} {bottom} Tm (I) Tj"
                    for left, bottom in corners)


def _draw_with_letters(content: bytes, page_index: int):
    """_draw, with Helvetica as the font /Letters."""
    def change(pdf):
        resources = pdf.pages[page_index].Resources
        if "/Font" not in resources:
            resources.Font = pikepdf.Dictionary()
        resources.Font.Letters = pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                    Subtype=pikepdf.Name.Type1,
                                                    BaseFont=pikepdf.Name.Helvetica)
        _draw(content, page_index)(pdf)
    return change


def _foreign_image(pdf: pikepdf.Pdf, page_index: int = 1) -> None:
    """The foreign code as a grey image XObject, 4 pixels a module, on page 2."""
    code = qrcode.QRCode(border=4)
    code.add_data(FOREIGN)
    matrix = code.get_matrix()
    size = len(matrix) * 4
    pixels = bytes(0 if matrix[y // 4][x // 4] else 255 for y in range(size) for x in range(size))
    image = pikepdf.Stream(pdf, pixels, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                           Width=size, Height=size, ColorSpace=pikepdf.Name.DeviceGray,
                           BitsPerComponent=8)
    page = pdf.pages[page_index]
    if "/XObject" not in page.Resources:
        page.Resources.XObject = pikepdf.Dictionary()
    page.Resources.XObject.Foreign = image
    page.contents_add(pikepdf.Stream(pdf, b"q 80 0 0 80 300 470 cm /Foreign Do Q"))


@pytest.mark.parametrize("drawing", ["one path", "module by module", "stroked", "square caps",
                                     "through a clip", "image", "as letters",
                                     "through a clip of letters"])
def test_a_second_code_anywhere_on_the_leaflet_fails_however_it_is_drawn(good_pdf, tmp_path,
                                                                        drawing):
    change = _foreign_image if drawing == "image" else _draw_with_letters(
        _foreign_code(drawing), 1)
    report = preflight(craft(good_pdf, tmp_path, change), EXPECTED)
    assert (f"QR code: expected one code reading 'tel:916' at 300 dpi, decoded "
            f"['tel:916', {FOREIGN!r}]") in report.failures


def test_the_code_is_decoded_from_its_own_area_as_from_the_whole_page(good_pdf):
    """The areas searched on a built leaflet are the code's and a few small shapes: a small
    share of the pages, and the code reads and measures the same as on whole pages."""
    with pikepdf.open(good_pdf) as pdf:
        content = read_content(pdf)
        areas = [search_areas(page, painted) for page, painted in zip(pdf.pages, content)]
        page_area = sum((float(p.MediaBox[2]) - float(p.MediaBox[0]))
                        * (float(p.MediaBox[3]) - float(p.MediaBox[1])) for p in pdf.pages)
    searched = sum((a[2] - a[0]) * (a[3] - a[1]) for page in areas for a in page)
    assert searched < 0.1 * page_area, areas
    whole, _ = scan_pages(good_pdf)
    own, _ = scan_pages(good_pdf, areas)
    assert [(c.page, c.payload) for c in own] == [(c.page, c.payload) for c in whole] \
        == [(1, "tel:916")]
    assert abs(own[0].symbol_mm - whole[0].symbol_mm) < 0.1


def test_a_page_whose_shapes_cannot_be_bounded_is_searched_whole(good_pdf, tmp_path):
    """Many plain rectangles (a code can be built of them), a shading with no clip, or an inline
    image (where its data ends, pikepdf and pdfium may not agree: what pikepdf reads as pixels,
    pdfium may paint)."""
    many = b"".join(b"0 0 0 0.5 k %d 10 30 30 re f " % (40 * i) for i in range(17))
    inline_image = b"q 9 0 0 9 20 20 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI Q"
    for content in (many, b"/NoSuchShading sh", inline_image):
        path = craft(good_pdf, tmp_path / content[:4].decode(), _draw(content, 1))
        with pikepdf.open(path) as pdf:
            assert search_areas(pdf.pages[1], read_content(pdf)[1]) is None


def _areas_searched(content: bytes, **resources) -> list | None:
    """The areas searched on a blank A5 page that paints ``content``."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(420, 595))
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(**resources)
    page.obj.Contents = pdf.make_stream(content)
    return search_areas(page, read_content(pdf)[0])


def test_a_plain_rectangle_is_no_place_for_a_code_but_one_shaped_by_a_mask_clip_or_pattern_is():
    """One rectangle in one colour draws no code; the same rectangle painted through a soft
    mask, a clip that is not a rectangle, or in a pattern may."""
    rectangle = b"0 0 0 1 k 100 100 200 200 re f"
    mask = pikepdf.Dictionary(SMask=pikepdf.Dictionary(S=pikepdf.Name.Luminosity))
    assert _areas_searched(rectangle) == []
    for content, resources in [
            (b"/Masked gs " + rectangle, {"ExtGState": pikepdf.Dictionary(Masked=mask)}),
            (b"150 150 m 250 150 l 200 250 l h W n " + rectangle, {}),
            (b"/Pattern cs /P0 scn 100 100 200 200 re f", {})]:
        areas = _areas_searched(content, **resources)
        assert areas is not None and len(areas) == 1, content
        left, bottom, right, top = areas[0]
        assert left < 151 and bottom < 151 and right > 249 and top > 249, areas


@pytest.mark.parametrize("subtype", ["/Link", "/Square"])
def test_a_code_an_annotation_draws_on_a_screen_file_is_decoded(good_pdf, tmp_path, subtype):
    """The renderer draws annotations' appearances over the page; a screen file keeps its
    links (a print file may have no annotation at all)."""
    def annotate(pdf):
        appearance = pikepdf.Stream(pdf, _foreign_code("one path", x=0, y=0),
                                    Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                                    BBox=[-10, -10, 70, 70])
        page = pdf.pages[0]
        page.obj.Annots.append(pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name(subtype), Rect=[150, 160, 230, 240],
            F=4, AP=pikepdf.Dictionary(N=appearance))))

    screen = craft(good_pdf.with_name(good_pdf.stem + "_screen.pdf"), tmp_path, annotate)
    with pikepdf.open(screen) as pdf:
        areas = [search_areas(page, painted) for page, painted in zip(pdf.pages,
                                                                     read_content(pdf))]
    codes, _ = scan_pages(screen, areas)
    assert FOREIGN in [code.payload for code in codes]


def test_a_code_outside_the_crop_box_but_on_the_printed_page_fails(good_pdf, tmp_path):
    """A printer places a page by its TrimBox and BleedBox; a viewer shows its CropBox."""
    def hide(pdf):
        left, bottom, right, top = (float(v) for v in pdf.pages[1].TrimBox)
        pdf.pages[1].obj.CropBox = pikepdf.Array([left, bottom, right - 150, top])
        _draw(_foreign_code("one path"), 1)(pdf)

    report = preflight(craft(good_pdf, tmp_path, hide), EXPECTED)
    assert (f"QR code: expected one code reading 'tel:916' at 300 dpi, decoded "
            f"['tel:916', {FOREIGN!r}]") in report.failures


def test_pdfium_holds_one_page_at_a_time(good_pdf, monkeypatch):
    """A page's parsed content is held only while it is read or rendered: a file of 134 KB, 100
    pages each painting 60,000 rectangles, held 2 GB at once."""
    open_pages: set[int] = set()
    most_open = []
    get_page, close = pypdfium2.PdfDocument.get_page, pypdfium2.PdfPage.close

    def counted_get_page(document, index):
        page = get_page(document, index)
        open_pages.add(id(page))
        most_open.append(len(open_pages))
        return page

    def counted_close(page, *args, **kwargs):
        open_pages.discard(id(page))
        return close(page, *args, **kwargs)

    monkeypatch.setattr(pypdfium2.PdfDocument, "get_page", counted_get_page)
    monkeypatch.setattr(pypdfium2.PdfPage, "close", counted_close)
    assert preflight(good_pdf, EXPECTED).ok
    assert len(most_open) >= 2 and max(most_open) == 1


def test_a_number_outside_the_crop_box_but_on_the_printed_page_fails(good_pdf, tmp_path):
    """The text is read within the MediaBox, as the page prints, wherever its CropBox ends (the
    page's text is then read a second time, with the page's bounds as the printer places it)."""
    def hide(pdf):
        left, bottom, right, top = (float(v) for v in pdf.pages[1].TrimBox)
        pdf.pages[1].obj.CropBox = pikepdf.Array([left, bottom, right - 150, top])
        _draw_with_letters(f"BT /Letters 12 Tf {right - 100} {top - 60} Td (555 0199) Tj ET"
                           .encode(), 1)(pdf)

    report = preflight(craft(good_pdf, tmp_path, hide), EXPECTED, fresh=True)
    assert ("numbers: '555 0199' looks like a phone number, and the leaflet prints no such "
            "number (its numbers: 916)") in report.failures


@pytest.mark.parametrize("others", ["a path", "letters"])
def test_a_code_whose_finder_patterns_are_plain_squares_fails(good_pdf, tmp_path, others):
    """Three squares a finder pattern, nine for the three: plain rectangles, each drawing no
    code, that complete one whose other modules (a path or letters, kept off the finders' rows
    and columns, which its error correction restores) stand a module away."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_H)
    code.add_data(FOREIGN)
    matrix = code.get_matrix()
    size, module, x, y = len(matrix), 3.0, 250, 300

    def corner(row: int, column: int) -> tuple[float, float]:
        return x + column * module, y + (size - row) * module

    def drawn_by_the_others(row: int, column: int) -> bool:
        return matrix[row][column] and min(row, column) >= 6 and (
            row < size - 8 or column >= 8) and (column < size - 8 or row >= 8)

    squares = [f"0 0 0 {ink} k {corner(row + inset, column + inset)[0]} "
               f"{corner(row + 7 - inset, 0)[1]} {(7 - 2 * inset) * module} "
               f"{(7 - 2 * inset) * module} re f"
               for row, column in ((0, 0), (0, size - 7), (size - 7, 0))
               for inset, ink in ((0, 1), (1, 0), (2, 1))]
    corners = [(left, top - module)
               for row, line in enumerate(matrix) for column, _ in enumerate(line)
               if drawn_by_the_others(row, column) for left, top in [corner(row, column)]]
    drawn = (" ".join(f"{left} {bottom} {module} {module} re" for left, bottom in corners)
             + " f" if others == "a path"
             else f"BT /Letters 1 Tf {_letters(corners, module)} ET")
    content = " ".join(["q", *squares, "0 0 0 1 k", drawn, "Q"]).encode()
    report = preflight(craft(good_pdf, tmp_path, _draw_with_letters(content, 1)), EXPECTED)
    assert (f"QR code: expected one code reading 'tel:916' at 300 dpi, decoded "
            f"['tel:916', {FOREIGN!r}]") in report.failures


def test_a_page_with_more_shapes_than_can_be_grouped_in_time_is_searched_whole(monkeypatch):
    """Grouping takes time in the square of the shapes: past qr_areas.MAX_CANDIDATES (50 here),
    decoding the whole page is quicker."""
    monkeypatch.setattr(qr_areas, "MAX_CANDIDATES", 50)

    def scattered(count: int) -> bytes:
        return b"0.1 w " + b"".join(b"%d 10 m %d 10 l S " % (4 * i, 4 * i + 1)
                                    for i in range(count))

    assert _areas_searched(scattered(50)) == []
    assert _areas_searched(scattered(51)) is None

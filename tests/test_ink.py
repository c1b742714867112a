"""Ink rules for small text and tints: the rules themselves, `check` on crafted PDFs, the
overprint the build sets, and the accent colour at load time and in the templates."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from samples import CAMPAIGN
from leaflets.press import ink
from leaflets.inputs.formats import FORMATS
from leaflets.press.preflight import Expectation, preflight

EXPECTED = Expectation(FORMATS["a5-leaflet"], "tel:916", "916", accent=(0, 1, 0.9, 0.2))


# ------------------------------------------------------------------ the rules

@pytest.mark.parametrize("colour, ok", [
    ((0, 0, 0, 1), True),  # 100 % K
    ((0, 1, 0, 0), True),  # one process ink, solid
    ((0.8, 0, 0, 0), True),  # one ink at 80 %
    ((0, 0, 0, 0.79), False),  # a screen of black
    ((0, 1, 0.9, 0), False),  # two inks
    ((0, 1, 0.9, 0.2), False),  # three
    ((0.85, 0.1, 0.5, 0.3), False),  # four
])
def test_small_text_is_one_ink_at_80_percent(colour, ok):
    assert (ink.small_text_ink_problem(colour) is None) is ok


@pytest.mark.parametrize("solid, size, bold, ok", [
    ((0, 1, 1, 0), 7, False, True),  # two inks, one ≥ 70 %: any white text
    ((1, 0, 0, 0), 6, False, True),  # one ink
    ((0, 0.6, 0.6, 0), 9, False, False),  # two inks, neither ≥ 70 %
    ((0, 1, 0.9, 0.2), 9, True, False),  # three inks: bold, but under 10 pt
    ((0, 1, 0.9, 0.2), 10, False, False),  # three inks: 10 pt, but not bold
    ((0, 1, 0.9, 0.2), 10, True, True),  # three inks: bold and 10 pt
])
def test_white_small_text_is_reversed_out_of_a_solid_that_holds_it(solid, size, bold, ok):
    assert (ink.reversed_text_problem(solid, size, bold) is None) is ok


@pytest.mark.parametrize("colour, ok", [((0, 0.02, 0, 0), False), ((0.1, 0, 0, 0.029), False),
                                        ((0, 0.03, 0, 0), True), ((0, 0, 0, 0), True)])
def test_no_ink_below_3_percent(colour, ok):
    assert (ink.tint_problem(colour) is None) is ok


def test_a_tint_leaves_out_the_inks_that_would_fall_below_3_percent():
    assert ink.tint((0, 100, 90, 20), 0.1) == (0, 0.1, 0.09, 0)
    assert all(ink.tint_problem(ink.tint(accent, 0.1)) is None
               for accent in ((85, 10, 50, 30), (100, 45, 0, 10), (75, 95, 0, 5)))


@pytest.mark.parametrize("font, bold", [("ABCDEF+Noto-Sans-Bold", True),
                                        ("ABCDEF+Noto-Sans-Ultra-Bold", True),
                                        ("Helvetica-Black", True),
                                        ("ABCDEF+Noto-Sans-Semi-Bold", False),
                                        ("ABCDEF+Noto-Sans", False)])
def test_bold_is_a_weight_of_700_or_more(font, bold):
    assert ink.is_bold(font) is bold


# ------------------------------------------------------------------ check on crafted PDFs

def _crafted(good: Path, tmp_path: Path, content: str, bold: bool = False) -> Path:
    """The good PDF with ``content`` drawn on page 1 over everything, in the page's default
    space, where the cover has bare paper; ``{font}`` in it is a font of the page (a bold one if
    ``bold``)."""
    path = tmp_path / good.name
    with pikepdf.open(good) as pdf:
        page = pdf.pages[0]
        fonts = {str(name): str(font.BaseFont) for name, font in page.Resources.Font.items()}
        font = next(name for name, base in fonts.items() if ink.is_bold(base) is bold)
        content = content.replace("{font}", font)
        page.contents_add(pikepdf.Stream(pdf, b"q"), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"Q " + content.encode()))
        page.Resources.ExtGState["/TestOverprint"] = pikepdf.Dictionary(OP=True, op=True, OPM=1)
        pdf.save(path)
    return path


def _ink_check(path: Path):
    return next(check for check in preflight(path, EXPECTED).checks if check.name == "ink")


def _text(colour: str, size: float, x: float = 100, y: float = 300, state: str = "") -> str:
    return f"q {state} {colour} BT {{font}} {size} Tf {x} {y} Td <002B00280032> Tj ET Q"


SOLID = "0 1 0.9 0.2 k 80 290 200 40 re f"  # three inks, the accent of EXPECTED


@pytest.mark.slow
def test_the_built_leaflet_passes_and_its_small_black_text_overprints(good_pdf):
    assert _ink_check(good_pdf).ok
    with pikepdf.open(good_pdf) as pdf:
        texts = [item for number, page in enumerate(pdf.pages, 1)
                 for item in ink.painted(page, number) if isinstance(item, ink.PaintedText)]
    small_black = [t for t in texts if t.colour == ink.BLACK and t.size_pt < ink.SMALL_TEXT_PT]
    assert small_black and all(t.overprint for t in small_black)
    # Large black text and text in other colours knock out, as before.
    assert not any(t.overprint for t in texts if t not in small_black)


@pytest.mark.slow
@pytest.mark.parametrize("content, bold, words", [
    # 9 pt in three inks, the campaign's accent: named as such
    (_text("0 1 0.9 0.2 k", 9), False, ["C0 M100 Y90 K20 (the campaign's accent)", "3 inks"]),
    (_text("0 0 0 0.6 k", 9), False, ["K60", "screen"]),  # a screen of black
    (SOLID + " " + _text("0 0 0 0 k", 9), True, ["reversed out of C0 M100 Y90 K20"]),
    (SOLID + " " + _text("0 0 0 0 k", 11), False, ["bold"]),  # 11 pt, not bold
    (_text("0 0 0 1 k", 9), False, ["100 % K", "overprint"]),  # knocks out
    ("q 0 0.02 0.5 0 k 10 10 20 20 re f Q", False, ["C0 M2 Y50 K0 has M 2 %", "3 %"]),  # a 2 % tint
    ("q 0.5 0 0 0.025 K 10 10 m 50 10 l S Q", False, ["C50 M0 Y0 K2.5 has K 2.5 %"]),  # in a stroke too
], ids=["three-inks", "black-screen", "white-bold-9pt", "white-11pt-regular", "black-knockout",
        "faint-tint", "faint-stroke"])
def test_check_rejects_what_breaks_an_ink_rule(good_pdf, tmp_path, content, bold, words):
    check = _ink_check(_crafted(good_pdf, tmp_path, content, bold))
    assert not check.ok
    message = " ".join(check.problems)
    for word in words:
        assert word in message, message


@pytest.mark.slow
@pytest.mark.parametrize("content, bold", [
    (_text("0 1 0 0 k", 9), False),  # one ink, solid
    (_text("0 0 0 1 k", 9, state="/TestOverprint gs"), False),  # black that overprints
    (_text("0 0 0 1 k", 14), False),  # black at 14 pt may knock out
    (_text("0 1 0.9 0.2 k", 14), False),  # three inks at 14 pt
    ("q 0 1 1 0 k 80 290 200 40 re f Q " + _text("0 0 0 0 k", 8), False),  # out of two inks
    (SOLID + " " + _text("0 0 0 0 k", 10), True),  # out of three inks: bold, 10 pt
    ("q 0 0.03 0.5 0 k 10 10 20 20 re f Q", False),  # a 3 % tint
], ids=["one-ink", "black-overprints", "black-14pt", "three-inks-14pt", "white-out-of-red",
        "white-bold-10pt", "tint-3-percent"])
def test_check_accepts_what_keeps_the_rules(good_pdf, tmp_path, content, bold):
    check = _ink_check(_crafted(good_pdf, tmp_path, content, bold))
    assert check.ok, check.problems


@pytest.mark.slow
def test_white_text_beside_a_solid_is_not_reversed_out_of_it(good_pdf, tmp_path):
    """A clipped fill paints only inside its clip: text next to it stands on paper."""
    content = ("q 80 290 10 40 re W n 0 1 0.9 0.2 k 80 290 200 40 re f Q "
               + _text("0 0 0 0 k", 8, x=150))
    assert _ink_check(_crafted(good_pdf, tmp_path, content)).ok


@pytest.mark.slow
def test_text_in_a_form_xobject_is_judged_too(good_pdf, tmp_path):
    path = tmp_path / good_pdf.name
    with pikepdf.open(good_pdf) as pdf:
        page = pdf.pages[0]
        font_name, font = next(iter(page.Resources.Font.items()))
        form = pikepdf.Stream(pdf, b"0 1 0.9 0.2 k BT /F 9 Tf 0 0 Td <002B> Tj ET")
        form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        form.BBox = [0, 0, 100, 100]
        form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F=font))
        page.Resources.XObject = pikepdf.Dictionary(Fm=form)
        page.contents_add(pikepdf.Stream(pdf, b"q"), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"Q q 1 0 0 1 100 300 cm /Fm Do Q"))
        pdf.save(path)
    check = _ink_check(path)
    assert not check.ok and "3 inks" in " ".join(check.problems)


# ------------------------------------------------------------------ the accent colour

def test_an_accent_with_an_ink_below_3_percent_is_refused_at_load_time(project):
    path = project.write("campaigns/test.yaml",
                         CAMPAIGN.replace("hotlines: [ombudsman]",
                                          "hotlines: [ombudsman]\naccent: [0, 100, 90, 2]"))
    result = project.run("build")
    assert result.status == 1
    line = next(number for number, text in enumerate(path.read_text().splitlines(), 1)
                if text.startswith("accent:"))
    assert f"campaigns/test.yaml:{line}:" in result.err
    assert "C0 M100 Y90 K2 has K 2 %" in result.err
    assert not project.pdfs()


@pytest.mark.slow
@pytest.mark.parametrize("accent, small_text", [
    ("[0, 0, 0, 90]", "device-cmyk(0 0 0 0.9)"),  # one ink: small text may be in the accent
    ("[0, 100, 90, 20]", "device-cmyk(0 0 0 1)"),  # three: small text falls back to black
])
def test_small_text_is_set_in_the_accent_only_where_it_is_one_ink(project, accent, small_text):
    from leaflets.inputs.campaigns import load_campaigns
    from leaflets.inputs.hotlines import load_hotlines
    from leaflets.pipeline import render_slot
    from leaflets.project import Project
    project.write("campaigns/test.yaml",
                  CAMPAIGN.replace("hotlines: [ombudsman]", f"hotlines: [ombudsman]\naccent: {accent}"))
    root = Project(project.root)
    campaign = load_campaigns(root, load_hotlines(root))[0]
    html = render_slot(root, campaign, FORMATS["a5-leaflet"], "en", "print")
    assert f"--accent-small-text: {small_text};" in html
    assert ".inside .kicker { flex: none; color: var(--accent-small-text);" in html


@pytest.mark.slow
def test_a_problem_names_the_words_and_the_colour(good_pdf, tmp_path):
    """The leaflet's own small black text turned into the three-ink accent: each line is named."""
    path = tmp_path / good_pdf.name
    with pikepdf.open(good_pdf) as pdf:
        page = pdf.pages[0]
        operations = [([0, 1, 0.9, 0.2], operator) if str(operator) == "scn"
                      and [float(v) for v in operands] == [0, 0, 0, 1] else (operands, operator)
                      for operands, operator in pikepdf.parse_content_stream(page)]
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
        pdf.save(path)
    problems = " ".join(_ink_check(path).problems)
    assert "the text 'Scan to call 916' at 7.5 pt is printed in C0 M100 Y90 K20 (the campaign's " \
           "accent)" in problems, problems

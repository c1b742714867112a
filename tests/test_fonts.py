"""Static font instances: the same glyphs as the variable fonts, every weight the templates use,
made once into the cache and the same bytes each time."""

from __future__ import annotations

import gc
import multiprocessing
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from weasyprint.formatting_structure.boxes import LineBox, TextBox

from samples import CAMPAIGN
from leaflets.layout import fonts
from leaflets.inputs.campaigns import load_campaigns
from leaflets.layout.fonts import FALLBACK_FONTS, FONT_WEIGHTS, MAIN_FAMILY, MAIN_FONT, font_faces
from leaflets.inputs.formats import FORMATS
from leaflets.translation.glyphs import covered_code_points
from leaflets.inputs.hotlines import load_hotlines
from leaflets.problems import SetupError
from leaflets.project import Project
from leaflets.layout.render import LeafletRequest, make_environment, render_leaflet
from leaflets.translation.translations import LocaleCatalogs
from leaflets.layout.typeset import font_face_urls, layout
from leaflets.layout.weasyprint_internals import font_folder

ROOT = Path(__file__).resolve().parent.parent


def _coverage(path) -> tuple[frozenset[int], tuple[str, ...]]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap()), tuple(font.getGlyphOrder())


@pytest.mark.parametrize("family, package", [(MAIN_FAMILY, MAIN_FONT), *FALLBACK_FONTS.items()])
def test_static_instances_cover_what_the_variable_font_covers(family, package):
    variable = _coverage(package.path())
    faces = font_faces()[family]
    assert sorted(faces) == sorted(FONT_WEIGHTS)
    for weight, path in faces.items():
        assert _coverage(path) == variable, f"{family} {weight}"
        with TTFont(path, lazy=True) as font:
            assert "fvar" not in font and "gvar" not in font  # static: nothing left to instance
            assert font["OS/2"].usWeightClass == weight


def test_the_glyph_check_reads_the_static_instances_with_the_same_coverage():
    variable = frozenset().union(*(_coverage(font.path())[0]
                                   for font in [MAIN_FONT, *FALLBACK_FONTS.values()]))
    assert covered_code_points() == variable
    assert 0x018F in variable and 0x0259 in variable and 0x0436 in variable  # Ə ə ж


@pytest.mark.slow
def test_instancing_twice_gives_the_same_bytes():
    arabic = FALLBACK_FONTS["Noto Sans Arabic"].path()  # the smaller font: the faster test
    assert fonts.static_instance(arabic, 600) == fonts.static_instance(arabic, 600)


def test_instances_are_made_once_into_a_cache_named_by_the_versions(tmp_path, monkeypatch):
    made = []

    def instance(source, weight):
        made.append((source.name, weight))
        return b"font %d" % weight

    monkeypatch.setenv(fonts.CACHE_ENVIRONMENT, str(tmp_path))
    monkeypatch.setattr(fonts, "static_instance", instance)
    first = MAIN_FONT.instances(fonts.cache_dir())
    assert sorted(made) == [("NotoSans[wdth,wght].ttf", w) for w in FONT_WEIGHTS]
    folder, = {path.parent for path in first.values()}
    assert folder.parent == tmp_path
    assert folder.name.startswith("fontpkg-noto-sans-") and "-fonttools-" in folder.name
    assert first[700].read_bytes() == b"font 700"
    assert list(folder.glob(".*")) == []  # no temporary file left beside them
    made.clear()
    assert MAIN_FONT.instances(fonts.cache_dir()) == first and made == []


@pytest.mark.slow
def test_a_cache_that_cannot_be_written_is_one_clear_message(tmp_path, monkeypatch, project):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv(fonts.CACHE_ENVIRONMENT, str(blocked))
    with pytest.raises(SetupError, match="cannot write the static font instances to .*"
                       "LEAFLETS_CACHE"):
        font_faces()
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    run = project.run("build")
    assert run.status == 1 and "LEAFLETS_CACHE" in run.err and "Traceback" not in run.err
    assert project.pdfs() == []


@pytest.mark.slow
def test_the_templates_use_no_weight_without_a_static_instance():
    """A weight with no instance would be drawn with the nearest one: bolder or lighter than
    the template asks for. Every text box of a sample leaflet of each format, laid out, has one
    of FONT_WEIGHTS."""
    samples = Project(ROOT)
    by_format = {name: campaign for campaign in load_campaigns(samples, load_hotlines(samples))
                 for name in campaign.data.formats}
    assert set(by_format) == set(FORMATS)
    weights: set[int] = set()

    def walk(box):
        if isinstance(box, TextBox):
            weights.add(box.style["font_weight"])
        for child in getattr(box, "children", ()):
            walk(child)

    for name, campaign in by_format.items():
        html = render_leaflet(make_environment(samples.templates_dir), LeafletRequest(
            campaign, FORMATS[name], "en", LocaleCatalogs(samples, campaign.id, "en"),
            font_face_urls())).html
        for page in layout(html, samples.templates_dir)[0].pages:
            walk(page._page_box)
    assert weights and weights <= set(FONT_WEIGHTS), weights


def _face(family: str, path: Path) -> str:
    return f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}") }}'



def _set_in(html: str, templates: Path):
    """The families of the fonts a document's text is set in, and the configuration it used."""
    document, configuration, _ = layout(html, templates)
    document.write_pdf()  # the fonts are those the text is drawn in
    return {font.family for font in document.fonts.values()}, configuration


def test_documents_declaring_the_same_fonts_share_one_configuration(tmp_path):
    """A process lays out documents that declare the same @font-face rules with one font
    configuration; a document declaring others gets one of its own, so that no document is set
    in a font it did not declare (Probe, declared by the first two, is not there for the third)."""
    arabic = font_faces()["Noto Sans Arabic"][400]
    probe = f"<style>{_face('Probe', arabic)} p {{ font-family: Probe }}</style><p>٩١٦ Call</p>"
    families, first = _set_in(probe, tmp_path)
    again, second = _set_in(probe.replace("Call", "Again"), tmp_path)
    undeclared, third = _set_in("<style>p { font-family: Probe }</style><p>٩١٦ Call</p>", tmp_path)
    assert first is second and third is not second
    assert families == again == {"Probe"}
    assert "Probe" not in undeclared, undeclared


def _lay_out_other_fonts(templates: str) -> None:
    """In a forked process: a layout with fonts of its own, which drops the configuration it
    inherited."""
    other = f"<style>{_face('Other', font_faces()[MAIN_FAMILY][400])}</style><p>Other</p>"
    layout(other, Path(templates))
    gc.collect()


def test_a_forked_process_leaves_its_parents_fonts_where_they_are(tmp_path):
    """A forked process that drops the font configuration it inherited (its documents declare
    other fonts) leaves the folder of its parent's fonts alone."""
    arabic = font_faces()["Noto Sans Arabic"][400]
    html = f"<style>{_face('Probe', arabic)} p {{ font-family: Probe }}</style><p>٩١٦</p>"
    folder = font_folder(layout(html, tmp_path)[1])  # the configuration is the process's only
    gc.collect()
    assert folder is not None and any(folder.iterdir())
    child = multiprocessing.get_context("fork").Process(target=_lay_out_other_fonts,
                                                        args=(str(tmp_path),))
    child.start()
    child.join()
    assert child.exitcode == 0 and any(folder.iterdir())
    assert _set_in(html, tmp_path)[0] == {"Probe"}


# The Probe rule written where it declares nothing: a document with it there must not be set in
# the font a document before it in the same process declared with the same text.
_INERT_PLACES = {
    "in a comment": "<style>/* {face} */ p {{ font-family: Probe }}</style><p>٩١٦ Call</p>",
    "for another medium": "<style>@media screen {{ {face} }} p {{ font-family: Probe }}</style>"
                          "<p>٩١٦ Call</p>",
    "in the text": "<style>p {{ font-family: Probe }}</style><p>{face}</p><p>٩١٦ Call</p>",
}


@pytest.mark.parametrize("place", sorted(_INERT_PLACES))
def test_a_font_face_rule_that_declares_nothing_brings_no_font_from_a_document_before(
        tmp_path, place):
    arabic = font_faces()["Noto Sans Arabic"][400]
    face = _face("Probe", arabic)
    declared = f"<style>{face} p {{ font-family: Probe }}</style><p>٩١٦ Call</p>"
    assert _set_in(declared, tmp_path)[0] == {"Probe"}
    inert = _INERT_PLACES[place].format(face=face)
    assert "Probe" not in _set_in(inert, tmp_path)[0]


def _font_files(html: str, templates: Path) -> set[bytes]:
    document = layout(html, templates)[0]
    document.write_pdf()
    return {font.file_content for font in document.fonts.values()}


def test_a_font_file_changed_behind_the_same_url_is_read_again(tmp_path):
    """``serve`` lays every rebuild out in one process: a template's font replaced under the same
    name is the new one in the next preview, as in a fresh process."""
    edited, elsewhere = tmp_path / "edited", tmp_path / "elsewhere"  # one is laid out anew
    html = ('<style>@font-face { font-family: Brand; src: url("brand.ttf") } '
            "p { font-family: Brand }</style><p>Call 916</p>")
    for folder, weight in ((edited, 400), (elsewhere, 700)):
        folder.mkdir()
        (folder / "brand.ttf").write_bytes(font_faces()[MAIN_FAMILY][weight].read_bytes())
    before = _font_files(html, edited)
    (edited / "brand.ttf").write_bytes((elsewhere / "brand.ttf").read_bytes())
    after = _font_files(html, edited)
    assert after != before and after == _font_files(html, elsewhere)


def test_a_document_laid_out_again_with_its_own_fonts_reports_its_warnings_once(
        tmp_path, caplog):
    face = _face("Probe", font_faces()["Noto Sans Arabic"][400])
    _set_in(f"<style>{face} p {{ font-family: Probe }}</style><p>٩١٦</p>", tmp_path)
    with caplog.at_level("WARNING", logger="weasyprint"):
        families, _ = _set_in(f"<style>/* {face} */ p {{ font-family: Probe; colr: red }}"
                              "</style><p>٩١٦</p>", tmp_path)
    assert "Probe" not in families
    assert len([r for r in caplog.records if "colr" in r.getMessage()]) == 1, caplog.text


def _line_heights(html: str, templates: Path) -> list[float]:
    document = layout(html, templates)[0]
    return [box.height for page in document.pages for box in page._page_box.descendants()
            if isinstance(box, LineBox)]


def test_fonts_declared_after_a_document_without_them_are_measured_afresh(tmp_path):
    """A configuration a document used without a font (its text measured in the fallback font)
    is not given that font for the next: it would measure lines by what it remembered."""
    face = _face("Probe", font_faces()["Noto Sans Arabic"][400])
    declared = f"<style>{face} p {{ font-family: Probe }}</style><p>٩١٦ Call</p>"
    first, other = tmp_path / "first", tmp_path / "other"
    first.mkdir(), other.mkdir()
    _line_heights(f"<style>/* {face} */ p {{ font-family: Probe }}</style><p>٩١٦ Call</p>",
                  first)
    assert _line_heights(declared, first) == _line_heights(declared, other)


def test_fonts_declared_in_an_imported_stylesheet_are_no_other_documents(tmp_path):
    """A template's fonts may come from a stylesheet file, whose rules the text of the document
    does not show: a document that does not import it is not set in them."""
    declaring = '<style>@import url("faces.css");</style>'
    (tmp_path / "faces.css").write_text(_face("Probe", font_faces()["Noto Sans Arabic"][400]))
    uses = "<style>p { font-family: Probe }</style><p>٩١٦ Call</p>"
    assert _set_in(declaring + uses, tmp_path)[0] == {"Probe"}
    assert "Probe" not in _set_in(uses, tmp_path)[0]

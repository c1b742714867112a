"""Holes an attack on the merged tool found, each closed: a registry number that is not what is
dialled, numbers and placeholders in a hotline's words or the title, a linked output/, and an
annotation drawn over a print file."""

from __future__ import annotations

import shutil

import pikepdf
import pytest

from samples import CAMPAIGN, HOTLINES
from leaflets.project import BUILTIN_TEMPLATES


def refused(run) -> list[str]:
    assert run.status == 1, run.out
    assert "Traceback" not in run.err
    return run.err.splitlines()


@pytest.mark.parametrize("number", ["+994 12 ADG 00 01", "+994 12 404 00 01 ext. 5", "916\\n",
                                    "９１６", "916 (a)"])
def test_a_registry_number_is_digits_as_dialled(project, number):
    project.write("campaigns/hotlines.yaml", HOTLINES.replace('number: "916"',
                                                              f'number: "{number}"'))
    lines = refused(project.run("build"))
    assert any("ombudsman.number" in line and "digits only, as dialled" in line
               for line in lines), lines


@pytest.mark.parametrize("field, text", [
    ("hours", "24 hours a day; at night call 012 555 12 34"),
    ("hours", "Every day, or ９１９"),
    ("name", "Ombudsman {hotline}"),
    ("name", "Ombudsman }")])
def test_a_hotline_s_words_hold_no_number_and_no_placeholder(project, field, text):
    original = "  hours: 24 hours a day\n" if field == "hours" else \
        "  name: Ombudsman call centre\n"
    project.write("campaigns/hotlines.yaml",
                  HOTLINES.replace(original, f"  {field}: {text}\n", 1))
    lines = refused(project.run("build"))
    assert any(line.startswith("campaigns/hotlines.yaml:") and f"ombudsman.{field}" in line
               for line in lines), lines


def test_the_title_holds_no_number(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("title: Test campaign",
                                                          "title: Call {hotline}"))
    lines = refused(project.run("build"))
    assert any(line.startswith("campaigns/test.yaml:1:8: title: the title names the PDF")
               for line in lines), lines


def test_a_linked_output_folder_is_refused(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "keep.tmp").write_text("not ours")
    (project.root / "output").symlink_to(elsewhere)
    lines = refused(project.run("build", "--locale", "en"))
    assert any(line.startswith("output: a link to") for line in lines), lines
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.tmp"]


@pytest.mark.slow
def test_an_annotation_in_a_print_file_fails_check(project):
    assert project.run("build", "--locale", "en", "--variant", "print").status == 0
    pdf_path = project.root / "output/test/test_a5-leaflet_en.pdf"
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        stamp = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FreeText, Rect=[100, 100, 300, 150],
            Contents=pikepdf.String("742 247"), F=4))
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([stamp]))
        pdf.save(pdf_path)
    run = project.run("check")
    assert run.status == 1
    assert "annotations: page 1: a FreeText annotation: a print file has none" in run.err


# ------------------------------------------------------------------ links that lead nowhere

def _loop(path) -> None:
    path.symlink_to(path.name)


def _link_to_nothing(path) -> None:
    path.symlink_to("nowhere.po")


@pytest.mark.parametrize("domain", ["test", "templates"])
@pytest.mark.parametrize("link", [_loop, _link_to_nothing], ids=["loop", "to-nothing"])
@pytest.mark.parametrize("command", [("build", "--variant", "screen"), ("translations", "status")],
                         ids=["build", "status"])
def test_a_catalog_that_is_a_dead_link_is_refused_not_taken_for_none(project, domain, link,
                                                                     command):
    """A leaflet was built without the catalog's translations, status 0, once Project.shown no
    longer followed the link (following it had stopped the build with a traceback)."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [ru]"))
    project.write("locales/ru/LC_MESSAGES/templates.po" if domain == "test"
                  else "locales/ru/LC_MESSAGES/test.po", 'msgid ""\nmsgstr ""\n')
    link(project.root / f"locales/ru/LC_MESSAGES/{domain}.po")
    lines = refused(project.run(*command))
    assert any(line.startswith(f"locales/ru/LC_MESSAGES/{domain}.po: ") for line in lines), lines
    assert project.pdfs() == []


@pytest.mark.parametrize("file", ["campaigns/test.yaml", "locales/ru/LC_MESSAGES/templates.po",
                                  "templates/icons/loop.svg"])
def test_a_loop_of_links_is_a_positioned_problem(project, file):
    project.write("locales/ru/LC_MESSAGES/test.po", 'msgid ""\nmsgstr ""\n')
    if file.startswith("templates"):
        shutil.copytree(BUILTIN_TEMPLATES, project.root / "templates")
    path = project.root / file
    path.unlink(missing_ok=True)
    _loop(path)
    command = ("translations", "check") if file.startswith("locales") else ("build",)
    lines = refused(project.run(*command))
    assert f"{file}: a link that leads round in a loop, back to itself: replace it with the " \
        "file itself" in lines, lines

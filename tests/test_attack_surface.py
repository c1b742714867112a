"""Holes an attack on the print settings, the proof gallery and the up-to-date check found,
each closed: print.yaml's two sections refused by each other's reader, a path with a NUL in it,
a gallery record that wrote pages outside the project or stopped the build with a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import SampleProject
from samples import CAMPAIGN, HOTLINES, RU_TEMPLATES
from leaflets.press import output_intent
from leaflets.preview.gallery import write_pages
from leaflets.inputs.printconfig import load_imposition
from leaflets.project import BUILTIN_TEMPLATES, Project

BOTH_SECTIONS = "imposition:\n  creep_mm: 0.2\noutput_intent:\n  condition: FOGRA39\n"


@pytest.mark.parametrize("text", [
    "imposition:\n  creep_mm: 0.2\n", "output_intent:\n  condition: FOGRA39\n", BOTH_SECTIONS,
    "output_intent:\n  condition: FOGRA39\nimposition:\n  creep_mm: 0.2\n",
    "", "# the printer's settings, none yet\n"],
    ids=["imposition", "output-intent", "both", "both-reversed", "empty", "comment"])
def test_every_reader_of_print_yaml_accepts_every_section(tmp_path, text):
    (tmp_path / "print.yaml").write_text(text, encoding="utf-8")
    project = Project(tmp_path)
    intent = output_intent.resolve(project)
    imposition = load_imposition(project)
    assert intent.identifier == ("FOGRA39" if "FOGRA39" in text else intent.profile_name)
    assert imposition.creep_mm == (0.2 if "creep_mm" in text else 0.0)


@pytest.mark.slow
def test_a_build_with_both_sections_of_print_yaml_runs(project):
    """Each section once stopped the reader of the other: an output_intent: section, --impose."""
    project.write("print.yaml", BOTH_SECTIONS)
    result = project.run("build", "--variant", "print", "--locale", "en", "--impose")
    assert result.status == 0, result.err
    assert "print.yaml" not in result.err, result.err


@pytest.mark.parametrize("text, message", [
    ("intent: FOGRA39\n", "print.yaml:1:1: intent: unknown section 'intent' (known: imposition, "
     "output_intent)"),
    ("- FOGRA39\n", "print.yaml:1:1: expected a mapping of sections (imposition, output_intent)"),
], ids=["unknown-section", "a-list"])
def test_print_yaml_s_unknown_sections_are_named_once(project, text, message):
    project.write("print.yaml", text)
    result = project.run("build", "--impose")
    assert result.status == 1 and "Traceback" not in result.err
    assert result.err.count(message) == 1, result.err


@pytest.mark.parametrize("text", [
    'output_intent:\n  profile: "printer/a\\0b.icc"\n',
    'output_intent:\n  profile: "\\0"\n',
    'output_intent:\n  profile: "printer/\\0/../../etc/passwd"\n'])
def test_a_profile_path_with_a_nul_is_a_positioned_problem(project, text):
    project.write("print.yaml", text)
    result = project.run("check")
    assert result.status == 1 and "Traceback" not in result.err
    assert "print.yaml:2:12: output_intent.profile: " in result.err, result.err
    assert "NUL" in result.err


def test_an_output_intent_option_with_a_nul_is_a_problem(project):
    result = project.run("check", "--output-intent", "printer/a\0b.icc")
    assert result.status == 1 and "Traceback" not in result.err
    assert "--output-intent: " in result.err and "NUL" in result.err


# ------------------------------------------------------------------ the gallery's record

def _card(campaign="test", format_name="a5-leaflet", locale="en", **fields) -> dict:
    card = {"campaign": campaign, "title": "Test campaign", "format": format_name,
            "locale": locale, "status": "final", "missing": 0, "unverified": [],
            "example": False, "errors": [], "hotlines": [], "progress": None,
            "images_of": None, "pages": 1,
            "marks": [{"page": 1, "left": 0.1, "top": 0.1, "width": 0.5, "height": 0.1,
                       "part": "content.lead", "msgid": "A lead.", "msgctxt": None,
                       "state": "translated", "problem": None}]}
    return {**card, **fields}


def _mark(**fields) -> list[dict]:
    return [{**_card()["marks"][0], **fields}]


@pytest.mark.parametrize("stem, card", [
    ("x", _card(campaign="../../../escaped")),
    ("x", _card(format_name="../../escaped")),
    ("x", _card(locale="en/../../../../escaped")),
    ("x", _card(campaign="/tmp/escaped")),
    ("test_a5-leaflet_ru", _card()),  # the record says it is another leaflet's
    ("test_a5-leaflet_en", _card(marks=_mark(left="1; background: url(//example.com/x)"))),
    ("test_a5-leaflet_en", _card(marks=_mark(page="1"))),
    ("test_a5-leaflet_en", _card(marks=[42])),
    ("test_a5-leaflet_en", _card(pages=10**9)),
    ("test_a5-leaflet_en", _card(pages=-1)),
    ("test_a5-leaflet_en", _card(hotlines=[{"id": "ombudsman", "number": 916}])),
    ("test_a5-leaflet_en", _card(status="<script>")),
    ("test_a5-leaflet_en", _card(title=["a"])),
    ("test_a5-leaflet_en", "a card"),
], ids=["campaign-up", "format-up", "locale-up", "absolute", "another-stem", "mark-left-css",
        "mark-page-text", "mark-not-a-mapping", "pages-huge", "pages-negative", "hotline-digits",
        "status", "title-list", "not-a-mapping"])
def test_a_damaged_gallery_record_is_dropped_never_followed(tmp_path, stem, card):
    """output/.gallery/state.json is read back to keep the cards a partial build did not touch:
    a record that does not hold what the gallery wrote is read as no record, never as names of
    files to write or values to put in a page."""
    root = tmp_path / "project"
    sample = SampleProject(root)
    sample.write("campaigns/hotlines.yaml", HOTLINES)
    sample.write("campaigns/test.yaml", CAMPAIGN)
    good = _card()
    state = root / "output/.gallery/state.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"test_a5-leaflet_en": good, stem: card}
                                if stem != "test_a5-leaflet_en" else {stem: card}),
                     encoding="utf-8")
    write_pages(Project(root))
    assert not list(tmp_path.rglob("*escaped*")) and not list(root.parent.parent.glob("escap*"))
    index = (root / "output/index.html").read_text(encoding="utf-8")
    assert "example.com" not in index and "<script>" not in index
    written = sorted(p.name for p in (root / "output/.gallery").iterdir())
    assert len(written) <= 3, written  # at most the good card's page and its compare view


def test_a_good_gallery_record_is_kept(tmp_path):
    root = tmp_path / "project"
    state = root / "output/.gallery/state.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"test_a5-leaflet_en": _card()}), encoding="utf-8")
    write_pages(Project(root))
    assert (root / "output/.gallery/test_a5-leaflet_en_p1.html").is_file()
    assert "test_a5-leaflet_en_p1" in (root / "output/index.html").read_text(encoding="utf-8")



# ------------------------------------------------------------------ up to date

def _link_language_folder(sample: SampleProject) -> Path:
    sample.write("shared/ru/LC_MESSAGES/templates.po", RU_TEMPLATES)
    (sample.root / "locales").mkdir()
    (sample.root / "locales/ru").symlink_to(sample.root / "shared/ru")
    return sample.root / "shared/ru/LC_MESSAGES/templates.po"


def _link_catalogs_folder(sample: SampleProject) -> Path:
    sample.write("shared/LC_MESSAGES/templates.po", RU_TEMPLATES)
    (sample.root / "locales/ru").mkdir(parents=True)
    (sample.root / "locales/ru/LC_MESSAGES").symlink_to(sample.root / "shared/LC_MESSAGES")
    return sample.root / "shared/LC_MESSAGES/templates.po"


def _link_campaigns_folder(sample: SampleProject) -> Path:
    sample.write("locales/ru/LC_MESSAGES/templates.po", RU_TEMPLATES)
    (sample.root / "campaigns").rename(sample.root / "shared-campaigns")
    (sample.root / "campaigns").symlink_to(sample.root / "shared-campaigns")
    return sample.root / "locales/ru/LC_MESSAGES/templates.po"


@pytest.mark.slow
@pytest.mark.parametrize("link", [_link_language_folder, _link_catalogs_folder,
                                  _link_campaigns_folder],
                         ids=["language-folder", "catalogs-folder", "campaigns-folder"])
def test_a_change_in_a_linked_folder_builds_the_leaflet_again(project, link):
    """A folder of the project may be a link to another folder in it (a language's catalogs kept
    with the translator's other work, shared partials): what changes in it changes the leaflet,
    which must not be taken as up to date."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [ru]"))
    changed = link(project)
    first = project.run("build", "--variant", "print")
    assert first.status == 0, first.err
    changed.write_text(changed.read_text(encoding="utf-8").replace(
        "Наведите камеру", "Наведите камеру телефона"), encoding="utf-8")
    second = project.run("build", "--variant", "print")
    assert second.status == 0, second.err
    assert "up to date:" not in second.out and "built output/test/" in second.out, second.out


@pytest.mark.slow
def test_a_link_loop_in_a_project_folder_ends(project):
    (project.root / "locales/ru/LC_MESSAGES").mkdir(parents=True)
    (project.root / "locales/ru/LC_MESSAGES/loop").symlink_to(project.root / "locales")
    project.write("locales/ru/LC_MESSAGES/templates.po", RU_TEMPLATES)
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [ru]"))
    result = project.run("build", "--variant", "print")
    assert result.status == 0 and "Traceback" not in result.err, result.err


def test_a_templates_folder_linked_from_elsewhere_is_named_before_anything_is_built(project):
    """Templates are read only from inside templates/ (render.py): a folder in it linked from
    elsewhere in the project is a problem named at its place, not an 'unexpected error' per
    leaflet."""
    shutil.copytree(BUILTIN_TEMPLATES, project.root / "templates")
    (project.root / "kit").mkdir()
    (project.root / "templates/partials").rename(project.root / "kit/partials")
    (project.root / "templates/partials").symlink_to(project.root / "kit/partials")
    result = project.run("build", "--locale", "en", "--variant", "print")
    assert result.status == 1 and "unexpected error" not in result.err, result.err
    assert result.err.startswith("templates/partials: a link to "), result.err
    assert "outside templates/" in result.err and not project.pdfs()


# ------------------------------------------------------------------ the phone twin's links

@pytest.mark.slow
@pytest.mark.parametrize("target", ["tel:+994124040001", "tel:919", "tel:+994916"],
                         ids=["not-in-the-registry", "another-hotline", "another-form"])
def test_a_twin_s_call_button_dials_only_a_number_it_prints(project, target):
    """The call button says "Call … 916" (its /Contents, its text): a link that dials another
    number, one of the registry's that the leaflet does not print or none of it, is refused."""
    shutil.copytree(BUILTIN_TEMPLATES, project.root / "templates")
    phone = project.root / "templates/phone.html"
    html = phone.read_text(encoding="utf-8")
    assert 'href="{{ main_hotline.tel_uri }}"' in html
    phone.write_text(html.replace('href="{{ main_hotline.tel_uri }}"', f'href="{target}"'),
                     encoding="utf-8")
    result = project.run("build", "--locale", "en", "--variant", "screen")
    assert result.status == 1 and not project.pdfs(), result.out
    assert f"links: the link {target!r} dials a number the leaflet does not print" \
        in result.err, result.err


# ------------------------------------------------------------------ the gallery's hotline list

@pytest.mark.slow
@pytest.mark.parametrize("old, new, now", [
    ('number: "916"', 'number: "917"', "now 917"),
    ("  verified: 2026-11-22\nmigration", "migration", "now 916, unverified")],
    ids=["number-changed", "no-longer-verified"])
def test_a_card_kept_from_before_a_registry_change_is_not_shown_final(project, old, new, now):
    """A build of one campaign keeps the other campaigns' cards: one whose hotline changed in the
    registry since it was built prints the old number or status, and must not stand FINAL beside
    it in the gallery."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    project.write("campaigns/other.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                           "locales: [en]"))
    assert project.run("build", "--variant", "print").status == 0
    registry = project.root / "campaigns/hotlines.yaml"
    assert old in registry.read_text(encoding="utf-8")
    registry.write_text(registry.read_text(encoding="utf-8").replace(old, new, 1),
                        encoding="utf-8")
    project.run("build", "other", "--variant", "print")
    state = json.loads((project.root / "output/.gallery/state.json").read_text(encoding="utf-8"))
    kept = state["test_a5-leaflet_en"]
    assert kept["status"] == "failed", kept
    assert any("registry changed" in error and now in error for error in kept["errors"]), kept
    index = (project.root / "output/index.html").read_text(encoding="utf-8")
    assert "registry changed" in index
    assert project.run("build", "test", "--variant", "print").status == 0
    rebuilt = json.loads((project.root / "output/.gallery/state.json").read_text(
        encoding="utf-8"))["test_a5-leaflet_en"]
    assert rebuilt["errors"] == [] and rebuilt["status"] != "failed"


@pytest.mark.slow
def test_a_screen_only_build_keeps_the_print_card_and_its_registry_check(project):
    """Building only the screen twins after a registry change leaves the print file as it was:
    its card keeps the print file's status, and is FAILED for the changed number, not FINAL."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    assert project.run("build", "--variant", "print").status == 0
    registry = project.root / "campaigns/hotlines.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        'number: "916"', 'number: "917"', 1), encoding="utf-8")
    project.run("build", "--variant", "screen")
    state = json.loads((project.root / "output/.gallery/state.json").read_text(encoding="utf-8"))
    card = state["test_a5-leaflet_en"]
    assert card["status"] == "failed", card
    assert any("registry changed" in error and "now 917" in error for error in card["errors"])


@pytest.mark.slow
def test_a_card_lists_the_directory_hotlines_its_leaflet_prints(project):
    """A directory's numbers are printed too: a change to one must reach the card's check."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "locales: [az, ru, en]", "locales: [en]").replace(
        "  sections:", "  sections:\n    - heading: Where to go\n      directory:\n"
        "        - {region: Baku, organisation: An office, address: A street,\n"
        "           hotline: migration-service, hours: Weekdays}"))
    assert project.run("build", "--variant", "print").status == 0, "built"
    state = json.loads((project.root / "output/.gallery/state.json").read_text(encoding="utf-8"))
    assert "migration-service" in {h["id"] for h in state["test_a5-leaflet_en"]["hotlines"]}

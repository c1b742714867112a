"""The printing condition: print.yaml and --output-intent, the printer's ICC profile as untrusted
input, the output intent written, recorded in the bundle and checked."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

import pikepdf
import pytest
import weasyprint

from conftest import SampleProject
from samples import CAMPAIGN, HOTLINES
from leaflets.press.pdfx import PROFILE_FILE

GENERIC = PROFILE_FILE.read_bytes()
# A press profile of the printer's: a valid CMYK output profile with a name of its own.
PRINTERS_PROFILE = GENERIC.replace(b"Artifex CMYK SWOP Profile", b"Baku Press Coated Profile")
RGB_PROFILE = (Path(weasyprint.__file__).parent / "pdf" / "sRGB2014.icc").read_bytes()
PRINT_YAML = "output_intent:\n  condition: FOGRA39\n  profile: printer/baku.icc\n"


def _sample(root: Path, print_yaml: str | None = PRINT_YAML) -> SampleProject:
    sample = SampleProject(root)
    sample.write("campaigns/hotlines.yaml", HOTLINES)
    sample.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]", "locales: [en]"))
    (root / "printer").mkdir(exist_ok=True)
    (root / "printer/baku.icc").write_bytes(PRINTERS_PROFILE)
    if print_yaml is not None:
        sample.write("print.yaml", print_yaml)
    return sample


def _intent(pdf_path: Path) -> dict:
    with pikepdf.open(pdf_path) as pdf:
        intent = pdf.Root.OutputIntents[0]
        values = {str(k): str(v) for k, v in intent.items() if k != "/DestOutputProfile"}
        values["profile"] = intent.DestOutputProfile.read_bytes()
    return values


def _fill_colours(pdf_path: Path) -> set[tuple[float, ...]]:
    with pikepdf.open(pdf_path) as pdf:
        return {tuple(float(v) for v in operands) for page in pdf.pages
                for operands, operator in pikepdf.parse_content_stream(page)
                if str(operator) in ("scn", "k")}


@pytest.fixture(scope="module")
def printers_project(tmp_path_factory) -> SampleProject:
    sample = _sample(tmp_path_factory.mktemp("printer"))
    assert sample.run("build", "--variant", "print").status == 0
    return sample


@pytest.mark.slow
def test_the_output_intent_of_a_project_with_its_own_profile_is_that_profile(printers_project):
    intent = _intent(printers_project.root / "output/test/test_a5-leaflet_en.pdf")
    assert intent["profile"] == PRINTERS_PROFILE
    assert intent["/OutputConditionIdentifier"] == "FOGRA39"
    assert intent["/RegistryName"] == "http://www.color.org"
    assert "ISO 12647-2" in intent["/OutputCondition"]
    assert printers_project.run("check").status == 0


@pytest.mark.slow
def test_cmyk_values_pass_through_unchanged(printers_project, tmp_path):
    default = _sample(tmp_path, print_yaml=None)
    assert default.run("build", "--variant", "print").status == 0
    name = "output/test/test_a5-leaflet_en.pdf"
    assert _intent(default.root / name)["profile"] == GENERIC
    assert _fill_colours(default.root / name) == _fill_colours(printers_project.root / name)


@pytest.mark.slow
def test_check_rejects_a_file_made_for_another_condition(printers_project):
    result = printers_project.run("check", "--output-intent", "FOGRA51")
    assert result.status == 1
    assert "made for 'FOGRA39'; the project prints for 'FOGRA51'" in result.err + result.out


@pytest.mark.slow
def test_a_registered_condition_without_a_file_embeds_the_generic_profile(tmp_path):
    sample = _sample(tmp_path, print_yaml=None)
    result = sample.run("build", "--variant", "print", "--output-intent", "FOGRA51")
    assert result.status == 0, result.err
    intent = _intent(sample.root / "output/test/test_a5-leaflet_en.pdf")
    assert (intent["/OutputConditionIdentifier"], intent["/RegistryName"]) == \
        ("FOGRA51", "http://www.color.org")
    assert intent["profile"] == GENERIC
    # The condition is part of what a leaflet depends on: another one builds it again.
    again = sample.run("build", "--variant", "print", "--output-intent", "FOGRA39")
    assert again.status == 0, again.err
    assert "built output/test/test_a5-leaflet_en.pdf" in again.out
    assert _intent(sample.root / "output/test/test_a5-leaflet_en.pdf")[
        "/OutputConditionIdentifier"] == "FOGRA39"


@pytest.mark.slow
def test_the_bundle_records_the_condition_in_its_manifest_and_readme(tmp_path):
    sample = _sample(tmp_path)
    assert sample.run("bundle", "test").status == 0
    with zipfile.ZipFile(sample.root / "output/test/test_print-bundle.zip") as archive:
        manifest = archive.read("test_print-bundle/manifest.csv").decode()
        readme = archive.read("test_print-bundle/README.txt").decode()
    rows = list(csv.DictReader(io.StringIO(manifest)))
    assert [row["output intent"] for row in rows] == ["FOGRA39"]
    import hashlib
    assert rows[0]["ICC profile sha256"] == hashlib.sha256(PRINTERS_PROFILE).hexdigest()
    assert "FOGRA39 (registered at http://www.color.org), profile baku.icc (Baku Press Coated " \
           "Profile), the printer's" in readme


def _sparse(path: Path, size: int) -> None:
    with path.open("wb") as stream:
        stream.truncate(size)


@pytest.mark.parametrize("profile, prepare, message", [
    ("printer/rgb.icc", lambda root: (root / "printer/rgb.icc").write_bytes(RGB_PROFILE),
     "a display (RGB screen) profile for RGB"),
    ("printer/scanner.icc", lambda root: (root / "printer/scanner.icc").write_bytes(
        PRINTERS_PROFILE[:12] + b"scnr" + PRINTERS_PROFILE[16:]), "a scanner (input) profile"),
    ("printer/text.icc", lambda root: (root / "printer/text.icc").write_text("<svg/>"),
     "not an ICC profile"),
    ("printer/cut.icc", lambda root: (root / "printer/cut.icc").write_bytes(
        PRINTERS_PROFILE[:5000]), "cut or padded"),
    ("printer/huge.icc", lambda root: _sparse(root / "printer/huge.icc", 9_000_000),
     "larger than 8 MB"),
    ("printer/missing.icc", lambda root: None, "no such file in the project"),
    ("printer/link.icc", lambda root: os.symlink(PROFILE_FILE, root / "printer/link.icc"),
     "outside the project"),
    ("../outside.icc", lambda root: (root.parent / "outside.icc").write_bytes(PRINTERS_PROFILE),
     "outside the project"),
], ids=["rgb", "input-class", "not-icc", "truncated", "too-large", "missing", "link-out",
        "path-out"])
def test_a_profile_that_is_no_printers_cmyk_profile_is_refused(tmp_path, profile, prepare,
                                                                message):
    root = tmp_path / "project"
    sample = _sample(root, PRINT_YAML.replace("printer/baku.icc", profile))
    prepare(root)
    result = sample.run("build", "--variant", "print")
    assert result.status == 1
    assert "print.yaml:3:12: output_intent.profile: " in result.err
    assert message in result.err, result.err
    assert "Traceback" not in result.err
    assert not sample.pdfs()


def test_an_unknown_condition_is_refused_with_the_known_ones(tmp_path):
    sample = _sample(tmp_path, "output_intent:\n  condition: FOGRA99\n")
    result = sample.run("build")
    assert result.status == 1
    assert "print.yaml:2:14: output_intent.condition: unknown printing condition 'FOGRA99'" \
        in result.err
    assert "FOGRA39, FOGRA51" in result.err
    option = _sample(tmp_path / "option", print_yaml=None).run("build", "--output-intent",
                                                               "ISO Coated")
    assert option.status == 1 and "--output-intent: unknown printing condition" in option.err


@pytest.mark.slow
@pytest.mark.parametrize("change, message", [
    (lambda pdf, intent: intent.__delitem__("/RegistryName"),
     "FOGRA39 is a registered condition: its RegistryName is http://www.color.org"),
    (lambda pdf, intent: intent.__setitem__("/DestOutputProfile",
                                            pikepdf.Stream(pdf, RGB_PROFILE, N=3)),
     "the embedded profile is a display (RGB screen) profile"),
    (lambda pdf, intent: intent.__delitem__("/DestOutputProfile"), "no embedded profile"),
], ids=["no-registry", "rgb-profile", "no-profile"])
def test_check_rejects_a_broken_output_intent(printers_project, tmp_path, change, message):
    path = tmp_path / "test_a5-leaflet_en.pdf"
    with pikepdf.open(printers_project.root / "output/test/test_a5-leaflet_en.pdf") as pdf:
        change(pdf, pdf.Root.OutputIntents[0])
        pdf.save(path)
    result = printers_project.run("check", str(path))
    assert result.status == 1
    assert message in result.err + result.out


@pytest.mark.parametrize("text, message", [
    ("output_intent: FOGRA39\n", "print.yaml:1:16: output_intent: needs condition:"),
    ("output_intent:\n  condition: FOGRA39\n  colour: cmyk\n", "and nothing else"),
    ("intent: FOGRA39\n", "print.yaml:1:1: intent: unknown section 'intent' (known: imposition, "
     "output_intent)"),
    ("output_intent:\n  profile: 42\n", "print.yaml:2:12: output_intent.profile: the profile is "
     "a path to an ICC file"),
    ("output_intent: &a\n  condition: FOGRA39\n", "anchors"),
], ids=["not-a-mapping", "unknown-key", "unknown-top-key", "profile-not-a-path", "anchor"])
def test_a_malformed_print_yaml_is_refused_with_its_position(tmp_path, text, message):
    sample = _sample(tmp_path, text)
    result = sample.run("build")
    assert result.status == 1
    assert message in result.err, result.err
    assert "Traceback" not in result.err and not sample.pdfs()


@pytest.mark.parametrize("given", ["../x.icc", "/etc/passwd.icc", "printer/../../x.icc"])
def test_a_profile_outside_the_project_is_said_so(project, given):
    """A path that leaves the project is named as such (no link is involved)."""
    run = project.run("check", "--output-intent", given)
    assert run.status == 1
    assert f"{given}: outside the project" in run.err and "link" not in run.err, run.err

"""The printer's bundle: its contents, its manifest, its bytes, and every reason to refuse it."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from samples import CAMPAIGN
from leaflets.press.bundle import hotline_problem
from leaflets.cli import main
from leaflets.press.pdfx import PROFILE_FILE
from leaflets.inputs.hotlines import Hotline
from pdfcheck import text

ROOT = Path(__file__).resolve().parent.parent
PRINT_RUN = """\
print_run:
  - site: Central station
    format: a5-leaflet
    copies: {en: 1200}
  - site: Airport
    format: a5-leaflet
    copies: {en: 300}
"""
ENGLISH = CAMPAIGN.replace("locales: [az, ru, en]", "locales: [en]") + PRINT_RUN
BUNDLE = "output/test/test_print-bundle.zip"


@pytest.fixture(autouse=True)
def reference_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01: the registry is fresh


def read_bundle(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.mark.slow
def test_bundle_holds_pdfs_manifest_order_sheet_proofs_and_readme(project):
    project.write("campaigns/test.yaml", ENGLISH)
    run = project.run("bundle", "test")
    assert run.status == 0, run.err
    entries = read_bundle(project.root / BUNDLE)
    folder = "test_print-bundle/"
    assert list(entries) == sorted(entries)
    assert sorted(entries) == [folder + name for name in (
        "README.txt", "manifest.csv", "order-sheet.pdf", "print/test_a5-leaflet_en.pdf",
        "proofs/test_a5-leaflet_en_page-1.png", "proofs/test_a5-leaflet_en_page-2.png")]

    rows = list(csv.DictReader(io.StringIO(entries[folder + "manifest.csv"].decode())))
    assert rows == [{
        "file": "print/test_a5-leaflet_en.pdf", "format": "a5-leaflet", "locale": "en",
        "trim mm": "148 x 210", "bleed mm": "3", "pages": "2", "colour": "CMYK 4/4",
        "PDF variant": "PDF/X-4", "output intent": "Artifex CMYK SWOP Profile",
        "ICC profile sha256": hashlib.sha256(PROFILE_FILE.read_bytes()).hexdigest(),
        "copies": "1500",
        "sha256": hashlib.sha256(entries[folder + "print/test_a5-leaflet_en.pdf"]).hexdigest()}]
    pdf = entries[folder + "print/test_a5-leaflet_en.pdf"]
    assert pdf == (project.root / "output/test/test_a5-leaflet_en.pdf").read_bytes()

    proof = Image.open(io.BytesIO(entries[folder + "proofs/test_a5-leaflet_en_page-1.png"]))
    assert proof.size == (math.ceil(154 / 25.4 * 150), math.ceil(216 / 25.4 * 150))  # + bleed

    with pikepdf.open(io.BytesIO(entries[folder + "order-sheet.pdf"])) as sheet:
        assert len(sheet.pages) == 1
        assert [round(float(v) / 72 * 25.4) for v in sheet.pages[0].TrimBox] == [0, 0, 210, 297]
    from pypdf import PdfReader
    text = PdfReader(io.BytesIO(entries[folder + "order-sheet.pdf"])).pages[0].extract_text()
    for expected in ("Central station", "1,200", "Airport", "300", "1,500",
                     "print/test_a5-leaflet_en.pdf", "PDF/X-4"):
        assert expected in text, expected
    readme = entries[folder + "README.txt"].decode()
    assert "print/test_a5-leaflet_en.pdf" in readme and "1,500" in readme


@pytest.mark.slow
def test_bundle_bytes_depend_on_the_inputs_only(project):
    project.write("campaigns/test.yaml", ENGLISH)
    assert project.run("bundle", "test").status == 0
    first = (project.root / BUNDLE).read_bytes()
    shutil.rmtree(project.root / "output")
    assert project.run("bundle", "test").status == 0
    assert (project.root / BUNDLE).read_bytes() == first
    with zipfile.ZipFile(project.root / BUNDLE) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 12, 1, 0, 0, 0)}


def refusal(project, campaign: str) -> list[str]:
    project.write("campaigns/test.yaml", campaign)
    run = project.run("bundle", "test")
    assert run.status == 1
    assert "Traceback" not in run.err
    assert not (project.root / BUNDLE).exists()
    return run.err.splitlines()


@pytest.mark.slow
def test_a_draft_and_an_unverified_hotline_are_both_refused(project):
    lines = refusal(project, CAMPAIGN.replace("locales: [az, ru, en]", "locales: [az, en]")
                    .replace("hotlines: [ombudsman]", "hotlines: [ombudsman, unverified-line]"))
    assert lines[0] == "the print bundle of test is refused:"
    assert "  test a5-leaflet az: DRAFT: 14 texts are not translated: 11 in " \
           "locales/az/LC_MESSAGES/test.po (not created yet: run `python build.py translations " \
           "update`), 3 in locales/az/LC_MESSAGES/templates.po (not created yet: run `python " \
           "build.py translations update`)" in lines
    assert "  hotline unverified-line (152) is not verified: check it against its source and " \
           "add `verified:` to campaigns/hotlines.yaml" in lines
    assert lines[-1] == "2 reasons; no bundle was written."


@pytest.mark.slow
def test_example_data_is_refused(project):
    lines = refusal(project, ENGLISH.replace("title: Test campaign",
                                             "title: Test campaign\nexample: true"))
    assert "  the campaign holds example data (invented organisations or numbers): not for " \
           "print" in lines


@pytest.mark.slow
def test_a_hotline_verified_over_12_months_ago_is_refused(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1830297600")  # 2028-01-01
    lines = refusal(project, ENGLISH)
    assert "  hotline ombudsman (916) was last verified on 2026-11-22, more than 12 months " \
           "before 2028-01-01: check it again" in lines


@pytest.mark.slow
def test_a_printed_number_for_callers_abroad_verified_over_12_months_ago_is_refused(
        project, monkeypatch):
    from samples import HOTLINES
    project.write("campaigns/hotlines.yaml", HOTLINES.replace(
        "verified: 2026-11-22\nmigration", "verified: 2027-06-01\n  abroad:\n"
        "    number: \"+994 12 404 00 00\"\n    source: test\n    verified: 2026-11-22\n"
        "migration"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1830297600")  # 2028-01-01
    abroad = ENGLISH.replace("hotlines: [ombudsman]",
                             "hotlines: [ombudsman]\naudience_abroad: true")
    assert "  the number for callers abroad of hotline ombudsman (+994 12 404 00 00) was last " \
           "verified on 2026-11-22, more than 12 months before 2028-01-01: check it again" \
           in refusal(project, abroad)
    # Not printed for readers at home, so not a reason to refuse their leaflets.
    project.write("campaigns/test.yaml", ENGLISH)
    assert project.run("bundle", "test").status == 0


def test_hotline_age_is_counted_in_calendar_months():
    def hotline(verified):
        return Hotline(name="X", number="916", hours="24/7", source="test",
                       verified=verified).listed_as("x")
    today = dt.date(2028, 2, 29)
    assert hotline_problem(hotline(dt.date(2027, 2, 28)), today) is None
    assert "more than 12 months" in hotline_problem(hotline(dt.date(2027, 2, 27)), today)
    assert hotline_problem(hotline(dt.date(2027, 11, 22)), dt.date(2028, 11, 22)) is None


@pytest.mark.slow
def test_a_failed_preflight_is_refused(project):
    shutil.copytree(ROOT / "templates", project.root / "templates")
    css = project.root / "templates/leaflet.css"
    css.write_text(css.read_text().replace("--ink: device-cmyk(0 0 0 1);", "--ink: black;"))
    lines = refusal(project, ENGLISH)
    assert "  test a5-leaflet en: preflight: colour: DeviceRGB is used (page 1, page 2)" in lines


def test_a_print_run_for_a_format_or_locale_not_built_is_refused(project):
    lines = refusal(project, ENGLISH + (
        "  - site: Elsewhere\n"
        "    format: a3-poster\n"
        "    copies: {ru: 5}\n"))
    assert "campaigns/test.yaml:23:13: print_run[2].format: format 'a3-poster' is not in this " \
           "campaign's formats (a5-leaflet)" in lines
    assert "campaigns/test.yaml:24:14: print_run[2].copies.ru: locale 'ru' is not in this " \
           "campaign's locales (en)" in lines


@pytest.mark.parametrize("copies", [(900, 16), (916,)])
def test_copies_that_add_up_to_a_hotline_s_number_are_refused(project, copies):
    """The edition line prints a leaflet's copies, its runs added up (Print run: 916), beside
    the hotlines: a sum that is a hotline's number would print that number once more."""
    runs = "".join(f"  - site: Site {index}\n    format: a5-leaflet\n    copies: {{en: {count}}}\n"
                   for index, count in enumerate(copies))
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]", "locales: [en]")
                  + "print_run:\n" + runs)
    run = project.run("build", "--locale", "en")
    assert run.status == 1 and project.pdfs() == [] and "Traceback" not in run.err
    last = 15 + 3 * len(copies)
    assert f"campaigns/test.yaml:{last}:18: print_run[{len(copies) - 1}].copies.en: the " \
           "a5-leaflet in 'en' is printed 916 times, and its edition line would print that as " \
           "the number of hotline ombudsman: print one copy more or fewer" in run.err, run.err


def test_more_copies_than_any_print_run_is_a_typo(project):
    lines = refusal(project, ENGLISH.replace("copies: {en: 300}", "copies: {en: 30000000}"))
    assert any(": print_run[1].copies.en: the a5-leaflet in 'en' is printed 30,001,200 times: "
               "more than any print run (10,000,000 at most), a typo?" in line for line in lines), \
        lines


def test_an_unknown_campaign_is_an_error(project):
    run = project.run("bundle", "nope")
    assert run.status == 1
    assert "campaigns/nope.yaml: no campaign 'nope' (known: test)" in run.err


@pytest.mark.slow
def test_a_started_language_does_not_hold_up_the_bundle_of_the_listed_ones(project):
    project.write("campaigns/test.yaml", ENGLISH)
    assert project.run("translations", "init", "uz").status == 0  # an incomplete translation
    run = project.run("bundle", "test")
    assert run.status == 0, run.err
    printed = [name for name in read_bundle(project.root / BUNDLE) if "/print/" in name]
    assert printed == ["test_print-bundle/print/test_a5-leaflet_en.pdf"]


class Terminal(io.StringIO):
    """What a terminal gives the CLI: rich sizes its tables to it (COLUMNS)."""

    def isatty(self) -> bool:
        return True


@pytest.mark.slow
def test_bundle_rebuilds_the_screen_twins_and_warns_of_placeholder_partner_marks(
        project, monkeypatch):
    project.write("campaigns/test.yaml", ENGLISH.replace("hotlines: [ombudsman]",
                                                         "hotlines: [ombudsman]\npartners: [iom]"))
    run = project.run("bundle", "test")
    assert run.status == 0, run.err
    assert "built output/test/test_a5-leaflet_en_screen.pdf" in run.out
    assert ("warning: the partner mark templates/assets/partners/iom.svg is the placeholder drawn "
            "for this project, not iom's own logo: replace it with the file the organisation "
            "supplies (plain SVG, CMYK, lettering in outlines) before printing") in run.err
    # The print run is printed on the leaflet, and left off its screen twin.
    folder = project.root / "output/test"
    assert "Print run: 1,500" in " ".join(text(folder / "test_a5-leaflet_en.pdf").split())
    assert "Print run" not in text(folder / "test_a5-leaflet_en_screen.pdf")

    # check's table, in a narrow terminal, names every file whole.
    monkeypatch.setenv("COLUMNS", "100")
    out, err = Terminal(), io.StringIO()
    assert main(["--project", str(project.root), "check"], stdout=out, stderr=err) == 0, \
        err.getvalue()
    table = out.getvalue()
    assert "test_a5-leaflet_en.pdf " in table and "test_a5-leaflet_en_screen.pdf " in table
    assert "…" not in table.split("\n", 3)[3].split()[0]


@pytest.mark.slow
def test_no_warning_for_a_partner_s_own_logo(project):
    shutil.copytree(ROOT / "templates", project.root / "templates")
    logo = project.root / "templates/assets/partners/iom.svg"
    logo.write_text(re.sub(r"<desc>.*?</desc>", "", logo.read_text(encoding="utf-8")),
                    encoding="utf-8")
    project.write("campaigns/test.yaml", ENGLISH.replace("hotlines: [ombudsman]",
                                                         "hotlines: [ombudsman]\npartners: [iom]"))
    run = project.run("bundle", "test")
    assert run.status == 0 and "warning" not in run.err, run.err

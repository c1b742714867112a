"""The repository's own campaigns: every campaign × format × locale builds and is print-checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SampleProject
from leaflets.inputs.campaigns import load_campaigns
from leaflets.inputs.formats import FORMATS
from leaflets.inputs.hotlines import load_hotlines
from leaflets.pipeline import check_pdfs
from leaflets.project import Project
from pdfcheck import boxes_mm, fonts, qr_codes, text

ROOT = Path(__file__).resolve().parent.parent
LOCALE_LETTERS = {"az": "əƏ", "ru": "абвгдежзийклмнопрстуфхцчшщыэюя", "en": "abcdefghij"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> SampleProject:
    sample = SampleProject(tmp_path_factory.mktemp("samples"))
    for folder in ("campaigns", "locales"):
        shutil.copytree(ROOT / folder, sample.root / folder)
    run = sample.run("build")
    assert run.status == 0, run.err
    sample.build_output = run.out
    return sample


def sample_leaflets():
    project = Project(ROOT)
    for campaign in load_campaigns(project, load_hotlines(project)):
        for format_name in campaign.data.formats:
            for locale in campaign.data.locales:
                yield pytest.param(campaign, format_name, locale,
                                   id=f"{campaign.id}-{format_name}-{locale}")


@pytest.mark.slow
def test_sample_translations_are_complete(built):
    assert "untranslated" not in built.build_output, built.build_output


@pytest.mark.slow
@pytest.mark.parametrize("campaign, format_name, locale", list(sample_leaflets()))
def test_sample_leaflet_is_print_ready(built, campaign, format_name, locale):
    pdf = built.root / "output" / campaign.id / f"{campaign.id}_{format_name}_{locale}.pdf"
    leaflet_format = FORMATS[format_name]
    pages = boxes_mm(pdf)
    assert leaflet_format.page_count_problem(len(pages)) is None
    x0, y0, x1, y1 = pages[0]["trimbox"]
    assert (x1 - x0, y1 - y0) == tuple(float(v) for v in leaflet_format.trim_mm)
    assert all(fonts(pdf).values())
    content = text(pdf)
    assert any(letter in content for letter in LOCALE_LETTERS[locale])
    assert campaign.main_hotline.display_number in content
    assert qr_codes(pdf) == [campaign.qr_payload]


@pytest.mark.slow
@pytest.mark.parametrize("campaign, format_name, locale", list(sample_leaflets()))
def test_sample_screen_twin_is_shareable(built, campaign, format_name, locale):
    import pikepdf
    pdf = (built.root / "output" / campaign.id
           / f"{campaign.id}_{format_name}_{locale}_screen.pdf")
    assert pdf.stat().st_size < 300 * 1024
    with pikepdf.open(pdf) as structure:
        assert str(structure.Root.Lang) == locale and "/StructTreeRoot" in structure.Root
        # Links that dial or open a page (a booklet's contents also link to its chapters).
        links = {str(a.A.URI) for p in structure.pages for a in p.obj.get("/Annots", [])
                 if "/A" in a and "/URI" in a.A}
    assert campaign.qr_payload in links


@pytest.mark.slow
@pytest.mark.parametrize("locale, label", [
    ("en", "Your embassy’s number:"), ("az", "Səfirliyinizin nömrəsi:"),
    ("ru", "Номер вашего посольства:")])
def test_the_card_for_people_going_abroad_has_a_line_for_their_embassys_number(built, locale,
                                                                               label):
    # 916 cannot be dialled from abroad and no international number for it is verified.
    pdf = (built.root / "output" / "safe-labour-migration"
           / f"safe-labour-migration_a6-card_{locale}.pdf")
    assert label in text(pdf)


def test_no_sample_sends_migrants_to_the_migration_service_first():
    # The State Migration Service also detains and removes irregular migrants.
    project = Project(ROOT)
    for campaign in load_campaigns(project, load_hotlines(project)):
        assert campaign.main_hotline.id != "migration-service", campaign.id
        assert campaign.qr_payload != campaign.registry["migration-service"].tel_uri, campaign.id


@pytest.mark.slow
def test_check_passes_every_sample_leaflet_with_its_identity(built):
    outcome = check_pdfs(Project(built.root), [], None, None)
    assert outcome.reports and not outcome.failed, [r.failures for r in outcome.failed]
    assert {check.summary for report in outcome.reports for check in report.checks
            if check.name == "identity"} == {"matches its slot"}

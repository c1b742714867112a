"""Building leaflets from a small sample project: the PDFs, the catalogs' effect, the safety rules."""

from __future__ import annotations

import re

from pathlib import Path

import pytest
from pypdf import PdfReader

from samples import CAMPAIGN, RU_TEMPLATES, too_long
from leaflets.preview.gallery import GALLERY_DIR
from leaflets.pipeline import RECORDS_DIR
from pdfcheck import boxes_mm, fonts, qr_codes, text

RU_CATALOG = '''\
msgid ""
msgstr ""
"Language: ru\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

msgctxt "campaign title"
msgid "Test campaign"
msgstr "Проверочная кампания"

msgid "A headline"
msgstr "Заголовок листовки"

msgid "A lead paragraph."
msgstr "Вводный абзац."

msgctxt "section heading"
msgid "Signs"
msgstr "Признаки"

msgid "First point."
msgstr "Первый пункт."

msgid "Second point."
msgstr "<img src=\\"/etc/passwd\\"> & <b>жирный</b>"

msgid "Call {hotline} today."
msgstr "Звоните {hotline} сегодня."

msgctxt "hotline name"
msgid "Ombudsman call centre"
msgstr "Колл-центр Омбудсмена"

msgctxt "hotline hours"
msgid "24 hours a day"
msgstr "Круглосуточно"
'''


@pytest.mark.slow
def test_english_leaflet_is_print_ready(project):
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert run.status == 0, run.err
    assert "1 leaflets built, 0 drafts, 0 failed" in run.out
    pdf = project.root / "output/test/test_a5-leaflet_en.pdf"
    assert project.pdfs() == [pdf]
    pages = boxes_mm(pdf)
    assert len(pages) == 2
    for page in pages:
        x0, y0, x1, y1 = page["trimbox"]
        assert (x1 - x0, y1 - y0) == (148.0, 210.0)
        bx0, by0, bx1, by1 = page["bleedbox"]
        assert (x0 - bx0, y0 - by0, bx1 - x1, by1 - y1) == (3.0, 3.0, 3.0, 3.0)
        assert page["mediabox"] == page["bleedbox"]
    used = fonts(pdf)
    assert used and all(used.values()), used
    assert all("NotoSans" in name.replace("-", "") for name in used), used
    content = text(pdf)
    assert "A headline" in content and "916" in content
    assert qr_codes(pdf) == ["tel:916"]
    leftovers = [p for p in (project.root / "output").rglob("*")
                 if p.name.startswith(".") and p.name not in (RECORDS_DIR, GALLERY_DIR)]
    assert leftovers == []


@pytest.mark.slow
def test_translation_is_used_and_escaped(project):
    project.write("locales/ru/LC_MESSAGES/test.po", RU_CATALOG)
    project.write("locales/ru/LC_MESSAGES/templates.po", RU_TEMPLATES)
    run = project.run("build", "--variant", "print", "--locale", "ru", "--keep-html")
    assert run.status == 0, run.err
    pdf = project.root / "output/test/test_a5-leaflet_ru.pdf"
    content = text(pdf)
    assert "Заголовок листовки" in " ".join(content.split())
    assert "Наведите камеру, чтобы позвонить на 916" in " ".join(content.split())
    assert "Звоните 916 сегодня." in content
    # The hostile translation is printed as the characters it is, never as markup.
    assert '<img src="/etc/passwd"> & <b>жирный</b>' in content
    html = pdf.with_suffix(".html").read_text(encoding="utf-8")
    assert "&lt;img src=&#34;/etc/passwd&#34;&gt; &amp; &lt;b&gt;" in html
    assert '<html lang="ru"' in html
    assert "DRAFT" not in run.out  # every text this leaflet uses is translated


@pytest.mark.slow
def test_incomplete_locale_is_a_draft_and_strict_refuses_it(project):
    run = project.run("build", "--variant", "print", "--locale", "az")
    assert run.status == 0
    assert "DRAFT: " in run.out and "1 drafts" in run.out
    pdf = project.root / "output/test/test_a5-leaflet_az.pdf"
    assert re.search(r"DRAFT\s*untranslated texts\s*: 10", text(pdf))
    pdf.unlink()
    strict = project.run("build", "--variant", "print", "--locale", "az", "--strict")
    assert strict.status == 1
    assert "test a5-leaflet az: " in strict.err and "not translated (--strict)" in strict.err
    assert not pdf.exists()


@pytest.mark.slow
def test_fuzzy_translation_counts_as_untranslated(project):
    project.write("locales/ru/LC_MESSAGES/test.po",
                  RU_CATALOG.replace('msgid "A headline"', '#, fuzzy\nmsgid "A headline"'))
    project.run("build", "--variant", "print", "--locale", "ru")
    content = text(project.root / "output/test/test_a5-leaflet_ru.pdf")
    assert "A headline" in content and "Заголовок листовки" not in content


@pytest.mark.slow
def test_unverified_hotline_is_stamped(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("hotlines: [ombudsman]",
                                                          "hotlines: [unverified-line]"))
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert run.status == 0
    assert "DRAFT: unverified hotline unverified-line" in run.out
    pdf = project.root / "output/test/test_a5-leaflet_en.pdf"
    assert "UNVERIFIED NUMBER: NOT FOR PRINT" in " ".join(text(pdf).replace(":", ": ").split())
    # The mark stands beside the number in the hotline block too, not only across the page.
    assert "152A line nobody has checked\nUNVERIFIED" in text(pdf)
    assert qr_codes(pdf) == ["tel:152"]


@pytest.mark.slow
def test_poster_and_url_qr(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "formats: [a5-leaflet]", "formats: [a3-poster]").replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman]\nqr: https://example.org/help").replace(
        "  sections:", "  key_points:\n    heading: Signs\n    points: [One sign.]\n"
        "    icons: [passport]\n  sections:"))
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert run.status == 0, run.err
    pdf = project.root / "output/test/test_a3-poster_en.pdf"
    assert "Scan to open the website" in " ".join(text(pdf).split()) and "One sign." in text(pdf)
    page = boxes_mm(pdf)[0]["trimbox"]
    assert (page[2] - page[0], page[3] - page[1]) == (297.0, 420.0)
    assert qr_codes(pdf) == ["https://example.org/help"]


@pytest.mark.slow
def test_content_that_does_not_fit_fails_and_writes_nothing(project):
    project.write("campaigns/test.yaml", too_long(CAMPAIGN))
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert run.status == 1
    assert "test a5-leaflet en: content.sections[0] overflows page 2 by " in run.err
    assert project.pdfs() == []


@pytest.mark.slow
def test_renderer_cannot_reach_files_outside_the_project(project, tmp_path):
    import datetime as dt

    from leaflets.layout.typeset import PrintSettings, typeset_print
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    templates = Path(__file__).resolve().parent.parent / "templates"
    html = (f'<link rel="attachment" href="{secret.as_uri()}">'
            f'<img src="{secret.as_uri()}"><img src="https://example.org/x.png"><p>x</p>')
    result = typeset_print(html, templates, PrintSettings(3, False, dt.datetime(2026, 1, 1)))
    assert sorted(set(result.refused)) == sorted([secret.as_uri(), "https://example.org/x.png"])
    assert b"secret" not in result.pdf
    assert not any("/EmbeddedFile" in str(obj) for obj in PdfReader(
        __import__("io").BytesIO(result.pdf)).trailer["/Root"].keys())


@pytest.mark.slow
def test_only_selected_jobs_are_built(project):
    project.write("campaigns/other.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                           "locales: [en]"))
    run = project.run("build", "--variant", "print", "other", "--format", "a5-leaflet")
    assert run.status == 0, run.err
    assert [p.name for p in project.pdfs()] == ["other_a5-leaflet_en.pdf"]

"""Every command reads its inputs through one load_inputs(), with every problem of every input at
once, and reads SOURCE_DATE_EPOCH from the environment once, at the command line."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pikepdf
import pytest

from conftest import problem_lines
from samples import CAMPAIGN, HOTLINES
from leaflets.inputs import campaigns
from leaflets.loading import Wanted, read_inputs
from leaflets.project import BUILTIN_TEMPLATES, Project
from leaflets.translation import translations

BROKEN_REGISTRY = HOTLINES.replace('number: "919"', 'number: "12"')  # migration-service
BROKEN_CAMPAIGN = CAMPAIGN.replace("formats: [a5-leaflet]", "formats: [a0]")


def broken_catalog(project) -> None:
    """A second campaign, right, whose Russian catalog prints a number of its own."""
    project.write("campaigns/second.yaml", CAMPAIGN)
    project.write("locales/ru/LC_MESSAGES/second.po", (
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'
        'msgid "A headline"\nmsgstr "Звоните 0501234567"\n'))


def test_registry_campaign_and_catalog_problems_are_read_together(project):
    project.write("campaigns/hotlines.yaml", BROKEN_REGISTRY)
    project.write("campaigns/test.yaml", BROKEN_CAMPAIGN)
    broken_catalog(project)
    inputs = read_inputs(Project(project.root), None, Wanted(catalogs=True))
    assert sorted({problem.file for problem in inputs.problems}) == [
        "campaigns/hotlines.yaml", "campaigns/test.yaml", "locales/ru/LC_MESSAGES/second.po"]
    # What could be read is there all the same: the registry's good entries, the good campaign
    # and its other catalogs.
    assert sorted(inputs.hotlines) == ["ombudsman", "unverified-line"]
    assert [campaign.id for campaign in inputs.campaigns] == ["second"]
    assert sorted(inputs.catalogs) == [("second", "az"), ("second", "en")]


def test_each_catalog_and_logo_is_read_once_and_refuses_every_campaign_that_uses_it(
        project, monkeypatch):
    """The templates' catalog of a language, every pictogram and a logo two partners share serve
    every campaign: each is read and checked once per build, and its problems still refuse each
    campaign (or language) that uses it."""
    templates = project.root / "templates"
    shutil.copytree(BUILTIN_TEMPLATES, templates)
    shutil.copy(Path(__file__).parent / "fixtures/svg/script.svg",
                templates / "assets/partners/evil.svg")
    with_partner = CAMPAIGN.replace("hotlines: [ombudsman]\n",
                                    "hotlines: [ombudsman]\npartners: [evil]\n")
    for name in ("test", "second", "third"):
        project.write(f"campaigns/{name}.yaml", with_partner if name != "third" else CAMPAIGN)
    project.write("locales/ru/LC_MESSAGES/templates.po", (
        'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'
        'msgctxt "edition line"\nmsgid "Edition"\nmsgstr "Звоните 0501234567"\n'))
    read = Counter()

    def counted(reader):
        def reading(folder, shown, *rest):
            read[str(shown)] += 1
            return reader(folder, shown, *rest)
        return reading

    monkeypatch.setattr(translations, "read_po", counted(translations.read_po))
    monkeypatch.setattr(campaigns, "read_asset", counted(campaigns.read_asset))
    inputs = read_inputs(Project(project.root), None, Wanted(catalogs=True))
    assert read["locales/ru/LC_MESSAGES/templates.po"] == 1
    assert read["assets/partners/evil.svg"] == 1
    assert set(read.values()) == {1}  # and each pictogram
    assert [campaign.id for campaign in inputs.campaigns] == ["third"]
    assert sorted(inputs.catalogs) == [("third", "az"), ("third", "en")]
    assert sorted({problem.file for problem in inputs.problems}) == [
        "locales/ru/LC_MESSAGES/templates.po", "templates/assets/partners/evil.svg"]


@pytest.mark.parametrize("command, outcome", [
    (("build",), "nothing was built"),
    (("bundle", "test"), "no bundle was written"),
    (("check", "output/test/test_a5-leaflet_en.pdf"), "nothing was checked"),
    (("translations", "update"), "nothing was written"),
    (("translations", "extract"), "nothing was written"),
    (("translations", "status"), "nothing was written"),
])
def test_a_broken_registry_does_not_hide_the_campaigns_problems(project, command, outcome):
    project.write("campaigns/hotlines.yaml", BROKEN_REGISTRY)
    project.write("campaigns/test.yaml", BROKEN_CAMPAIGN)
    run = project.run(*command)
    assert run.status == 1 and run.out == ""
    lines = problem_lines(run.err)
    assert [line.split(":")[0] for line in lines] == [
        "campaigns/hotlines.yaml", "campaigns/test.yaml", f"2 problems in 2 files; {outcome}."]
    assert not (project.root / "locales").exists() and project.pdfs() == []


class RecordingEnvironment(dict):
    """The environment, noting each time SOURCE_DATE_EPOCH is read or written."""

    def __init__(self, *arguments):
        super().__init__(*arguments)
        self.reads = self.writes = 0

    def _note(self, key) -> None:
        if key == "SOURCE_DATE_EPOCH":
            self.reads += 1

    def get(self, key, default=None):
        self._note(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def __setitem__(self, key, value):
        self.writes += key == "SOURCE_DATE_EPOCH"
        super().__setitem__(key, value)

    def __delitem__(self, key):
        self.writes += key == "SOURCE_DATE_EPOCH"
        super().__delitem__(key)


@pytest.mark.parametrize("epoch, date", [
    ("1796083200", b"2026-12-01T00:00:00Z"),  # SOURCE_DATE_EPOCH dates the PDF
    (None, b"2026-11-22T00:00:00Z"),  # else the newest hotline check
])
def test_source_date_epoch_is_read_once_and_never_written(project, monkeypatch, epoch, date):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    environment = RecordingEnvironment(os.environ)
    environment.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        environment["SOURCE_DATE_EPOCH"] = epoch
    environment.writes = 0
    monkeypatch.setattr(os, "environ", environment)
    # In this process: the hotline check dates, the PDFs' dates and the fonts' stamps all come
    # from the one reading by the command line.
    run = project.run("build", "--jobs", "1", "--variant", "print")
    assert run.status == 0, run.err
    assert (environment.reads, environment.writes) == (1, 0)
    with pikepdf.open(project.root / "output/test/test_a5-leaflet_en.pdf") as pdf:
        assert date in bytes(pdf.Root.Metadata.read_bytes())

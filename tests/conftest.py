"""Sample projects built in temporary folders, and helpers to run the CLI in-process."""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from leaflets.cli import main
from samples import CAMPAIGN, HOTLINES

# Under a problem positioned in a YAML file: the line quoted, and a caret under the column.
QUOTED_SOURCE = re.compile(r"^ *\d* \| ")


def problem_lines(err: str) -> list[str]:
    """The problems a command printed, one a line, without the quoted lines and carets."""
    return [line for line in err.strip().splitlines() if not QUOTED_SOURCE.match(line)]


@dataclass
class Run:
    status: int
    out: str
    err: str


@dataclass
class SampleProject:
    root: Path

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def run(self, *argv: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        status = main(["--project", str(self.root), *argv], stdout=out, stderr=err)
        return Run(status, out.getvalue(), err.getvalue())

    def pdfs(self) -> list[Path]:
        return sorted((self.root / "output").rglob("*.pdf"))


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory) -> Path:
    """One English A5 leaflet of the sample campaign, built once per test module."""
    sample = SampleProject(tmp_path_factory.mktemp("good"))
    sample.write("campaigns/hotlines.yaml", HOTLINES)
    sample.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]", "locales: [en]"))
    assert sample.run("build").status == 0
    return sample.root / "output/test/test_a5-leaflet_en.pdf"


@pytest.fixture
def project(tmp_path: Path) -> SampleProject:
    """A project with the hotline registry and one small campaign, `test`, with no catalogs."""
    sample = SampleProject(tmp_path)
    sample.write("campaigns/hotlines.yaml", HOTLINES)
    sample.write("campaigns/test.yaml", CAMPAIGN)
    return sample


def assert_msgfmt_accepts(root: Path) -> int:
    """Run GNU ``msgfmt --check`` on every .po and .pot below ``root``; return how many. Skips the
    test where gettext is not installed (CI installs it)."""
    import shutil
    import subprocess
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    files = sorted(root.rglob("*.po")) + sorted(root.rglob("*.pot"))
    for path in files:
        check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                               capture_output=True, text=True)
        assert check.returncode == 0, f"{path}: {check.stderr}"
    return len(files)

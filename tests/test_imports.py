"""A build with nothing to do imports and computes only what decides that (issue 11: a no-op
rebuild in under half a second): what typesets, reads PDFs or renders templates is imported
where it is used."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from samples import CAMPAIGN

ROOT = Path(__file__).resolve().parent.parent
# Imported by the commands that typeset, read PDFs or write pages, never to decide what is up to
# date: Jinja (templates: extraction, the gallery's pages, rendering), WeasyPrint, pikepdf,
# pypdfium2, pypdf, fontTools.
HEAVY = ("jinja2", "weasyprint", "pikepdf", "pypdfium2", "pypdf", "fontTools")

IMPORTED = """
import sys
{before}
print(sorted(m for m in {heavy!r} if m in sys.modules))
"""


def imported_heavy(before: str) -> str:
    """The heavy modules in ``sys.modules`` of a fresh process after ``before`` ran in it."""
    probe = subprocess.run([sys.executable, "-c", IMPORTED.format(before=before, heavy=HEAVY)],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert probe.returncode == 0, probe.stderr[-3000:]
    return probe.stdout.splitlines()[-1]


@pytest.mark.slow
def test_importing_the_command_line_imports_nothing_that_typesets_or_renders():
    assert imported_heavy("import leaflets.cli") == "[]"


@pytest.mark.slow
def test_a_build_with_nothing_to_do_imports_nothing_that_typesets_or_renders(project):
    """Once the gallery is written from what the build found (the first build with nothing to
    do writes it), a build with nothing to do renders no page either: Jinja is not imported."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    for _ in range(2):  # the build, then the first build with nothing to do
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--project", str(project.root),
                        "build", "--variant", "print"], check=True, capture_output=True,
                       timeout=300)
    no_op = ("from leaflets.cli import main\n"
             f"assert main(['--project', {str(project.root)!r}, 'build', '--variant', "
             "'print']) == 0")
    assert imported_heavy(no_op) == "[]"


def test_a_command_leaves_the_garbage_collector_as_it_found_it(project):
    """main() freezes what is imported for the collector while it runs: a caller that goes on
    (these tests) finds nothing frozen, whatever the command's outcome."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace("formats: [a5-leaflet]",
                                                          "formats: [a0]"))
    assert project.run("build").status == 1  # an unknown format
    assert gc.get_freeze_count() == 0
    with pytest.raises(SystemExit):
        project.run("build", "--jobs", "0")  # refused by the argument parser
    assert gc.get_freeze_count() == 0

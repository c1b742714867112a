"""Speed figures for the sample campaigns, measured in a scratch copy and printed as one table.

Usage: .venv/bin/python scripts/benchmark.py [--repeat N] [--scale N] [--skip-naive]

- per-leaflet CPU (A5 leaflet, DL tri-fold; print variant, everything a build does for one
  leaflet, preflight included), against bare WeasyPrint writing the same HTML with the variable
  font and with static instances of it (made here, independently of the tool);
- the whole sample build (48 PDFs, ``--jobs 2``), a no-op rebuild and a rebuild after one msgstr
  was edited, each as a fresh ``build.py`` process (wall time, CPU of the process tree);
- with ``--scale N``: the samples copied until the build makes about N PDFs, with the largest
  process's resident memory;
- the naive way: the ``weasyprint`` command once per HTML file; and Typst, if installed, on a
  comparable two-page A5 with a QR code.

Prints figures; checks nothing (speed targets are read by people, not asserted by tests). Timings
are CPU seconds where the machine is shared: wall time moves with other people's work.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
WEIGHTS = (400, 600, 700, 800)
ONE_LEAFLET = {"a5-leaflet": "know-the-signs", "dl-trifold": "rights-at-the-border"}
EDITED_CATALOG = Path("locales/ru/LC_MESSAGES/know-the-signs.po")


@dataclass
class Run:
    wall: float
    cpu: float
    max_rss_mb: float
    output: str


def run_build(project: Path, *arguments: str) -> Run:
    """``build.py`` in a fresh process: wall time, CPU of it and its workers, largest RSS. It
    runs as on a user's machine, where Python caches the tool's compiled modules: a shell that
    sets PYTHONDONTWRITEBYTECODE (as some containers do) would add about 0.06 s of compiling to
    every run, a tenth of a no-op."""
    started = time.perf_counter()
    environment = {name: value for name, value in os.environ.items()
                   if name != "PYTHONDONTWRITEBYTECODE"}
    process = subprocess.Popen([PYTHON, str(ROOT / "build.py"), "--project", str(project),
                                *arguments], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               cwd=project, env=environment)
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"build.py {' '.join(arguments)} crashed:\n{output}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def scratch_project(folder: Path, copies: int = 1) -> Path:
    """The sample campaigns and catalogs, each campaign ``copies`` times under new ids."""
    shutil.copytree(ROOT / "campaigns", folder / "campaigns")
    shutil.copytree(ROOT / "locales", folder / "locales")
    for campaign in sorted((folder / "campaigns").glob("*.yaml")):
        if campaign.stem == "hotlines":
            continue
        for copy in range(2, copies + 1):
            shutil.copy(campaign, campaign.with_stem(f"{campaign.stem}-{copy}"))
            for catalog in (folder / "locales").glob(f"*/LC_MESSAGES/{campaign.stem}.po"):
                shutil.copy(catalog, catalog.with_stem(f"{campaign.stem}-{copy}"))
    return folder


def cpu_of(action, repeat: int) -> float:
    """The median CPU seconds of ``action`` after one warm-up call."""
    action()
    times = []
    for _ in range(repeat):
        started = time.process_time()
        action()
        times.append(time.process_time() - started)
    return statistics.median(times)


def static_fonts(folder: Path) -> dict[str, dict[int, Path]]:
    """Static instances of the project's variable fonts, one per weight, made here."""
    import fontpkg_noto_sans
    import fontpkg_noto_sans_arabic
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer
    sources = {"Noto Sans": Path(fontpkg_noto_sans.ROOT) / "files" / "NotoSans[wdth,wght].ttf",
               "Noto Sans Arabic": Path(fontpkg_noto_sans_arabic.ROOT) / "files"
               / "NotoSansArabic[wdth,wght].ttf"}
    made: dict[str, dict[int, Path]] = {}
    for family, source in sources.items():
        for weight in WEIGHTS:
            path = folder / f"{family.replace(' ', '')}-{weight}.ttf"
            instancer.instantiateVariableFont(TTFont(source), {"wght": weight, "wdth": 100},
                                              updateFontNames=False).save(path)
            made.setdefault(family, {})[weight] = path
    return made


FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


def with_static_fonts(html: str, fonts: dict[str, dict[int, Path]]) -> str:
    """The HTML with its @font-face rules replaced by one per static instance."""
    faces = "\n".join(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                      f'src: url("{path.as_uri()}"); }}'
                      for family, weights in fonts.items() for weight, path in weights.items())
    html = FONT_FACE.sub("", html)
    return html.replace("<style>", "<style>\n" + faces + "\n", 1)


BARE_WEASYPRINT = """
import statistics, sys, time
from weasyprint import HTML
html, base, repeat = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2], int(sys.argv[3])
HTML(string=html, base_url=base).write_pdf()
times = []
for _ in range(repeat):
    started = time.process_time()
    HTML(string=html, base_url=base).write_pdf()
    times.append(time.process_time() - started)
print(statistics.median(times))
"""


BARE_WEASYPRINT_ALL = """
import sys, time
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
base, files = sys.argv[1], sys.argv[2:]
fonts = FontConfiguration()
HTML(string=open(files[0], encoding="utf-8").read(), base_url=base).render(
    font_config=fonts).write_pdf()
total = 0.0
for name in files:
    html = open(name, encoding="utf-8").read()
    started = time.process_time()
    HTML(string=html, base_url=base).render(font_config=fonts).write_pdf()
    total += time.process_time() - started
print(total)
"""


def bare_weasyprint_all(folder: Path, project, jobs, base: str) -> float:
    """CPU seconds of WeasyPrint laying out and writing the HTML of every job, as a build
    renders it, in one process with one font configuration (its best case): what a build
    cannot go below while it typesets with WeasyPrint, before anything the tool adds (PDF/X,
    the preflight, the proofs)."""
    from leaflets.pipeline import render_slot

    folder.mkdir()
    files = []
    for number, job in enumerate(jobs):
        html_file = folder / f"{number}.html"
        html_file.write_text(render_slot(project, job.campaign, job.format, job.locale,
                                         job.variant), encoding="utf-8")
        files.append(str(html_file))
    run = subprocess.run([PYTHON, "-c", BARE_WEASYPRINT_ALL, base, *files], check=True,
                         capture_output=True, text=True)
    return float(run.stdout.split()[-1])


FRESH_START = """
import importlib, sys
from pathlib import Path
import leaflets.cli  # as build.py does
from leaflets.pipeline import BUILDING_MODULES, BuildOptions, import_by_soname, plan
from leaflets.project import Project
plan(Project(Path(sys.argv[1])), BuildOptions())
import_by_soname(lambda: [importlib.import_module(f"leaflets.{name}") for name in BUILDING_MODULES])
"""


def fresh_start(project_dir: Path) -> float:
    """Wall seconds of a fresh process before its first leaflet: Python started, the tool and
    WeasyPrint imported, every input read and checked (the best of three)."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([PYTHON, "-c", FRESH_START, str(project_dir)], check=True, cwd=ROOT,
                       capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def bare_weasyprint(folder: Path, html: str, base: str, repeat: int) -> float:
    """The median CPU seconds of WeasyPrint writing ``html``, in a process of its own: this one
    has the project's amendments to WeasyPrint's layout installed (weasyprint_internals)."""
    page = folder / "bare.html"
    page.write_text(html, encoding="utf-8")
    run = subprocess.run([PYTHON, "-c", BARE_WEASYPRINT, str(page), base, str(repeat)],
                         check=True, capture_output=True, text=True)
    return float(run.stdout.split()[-1])


TYPST_SOURCE = """#set page(width: 148mm, height: 210mm, margin: 12mm)
#set text(font: "Noto Sans", size: 10pt)
#text(size: 34pt, weight: 800)[Know the signs of human trafficking]
#lorem(120)
#pagebreak()
#text(size: 58pt, weight: 800)[916]
#lorem(160)
"""


def typst_seconds(folder: Path) -> str:
    typst = shutil.which("typst")
    if not typst:
        return "not installed"
    source = folder / "leaflet.typ"
    source.write_text(TYPST_SOURCE)
    times = []
    for _ in range(5):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([typst, "compile", str(source), str(folder / "leaflet.pdf")], check=True,
                       capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return f"{statistics.median(times):.3f} s CPU per document (a process each; no PDF/X)"


def served_edit(project_dir: Path, catalog: Path) -> str:
    """Wall time of the preview server's rebuild after one more msgstr is edited: what a
    translator waits for in ``serve``, whose process has everything imported already."""
    from leaflets.pipeline import BuildOptions
    from leaflets.preview.serve import Preview
    from leaflets.project import Project

    preview = Preview(Project(project_dir), 0, BuildOptions(jobs=2))
    try:
        preview.first_build()  # up to date, then made warm: what serve does first
        text = catalog.read_text(encoding="utf-8")
        catalog.write_text(re.sub(r'(msgstr ")([^"]+)', r"\1\2  ", text, count=1),
                           encoding="utf-8")
        started = time.perf_counter()
        done = preview.rebuild()
        wall = time.perf_counter() - started
    finally:
        preview.stop()
    rebuilt = sum(1 for result in done.outcome.results if not getattr(result, "up_to_date", False))
    return f"{rebuilt} leaflets rebuilt, {wall:.2f} s wall"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per leaflet figure")
    parser.add_argument("--scale", type=int, default=0, metavar="N",
                        help="also build about N PDFs (copies of the samples)")
    parser.add_argument("--skip-naive", action="store_true",
                        help="leave out the weasyprint command per file")
    arguments = parser.parse_args()
    rows: list[tuple[str, str]] = []

    def row(figure: str, value: str) -> None:
        rows.append((figure, value))
        print(f"  {figure}: {value}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="leaflets-benchmark-") as scratch_name:
        scratch = Path(scratch_name)
        project_dir = scratch_project(scratch / "samples")

        from leaflets.pipeline import BuildOptions, plan, render_slot, run_job
        from leaflets.project import Project
        project = Project(project_dir)
        fonts = static_fonts(scratch)
        for format_name, campaign_id in ONE_LEAFLET.items():
            options = BuildOptions(campaigns=(campaign_id,), locales=("en",),
                                   formats=(format_name,), variants=("print",), jobs=1,
                                   force=True)
            job, = plan(project, options)
            leaflet = cpu_of(lambda job=job, options=options: run_job(project, job, options),
                             arguments.repeat)
            html = render_slot(project, job.campaign, job.format, job.locale, "print")
            base = project.templates_dir.resolve().as_uri() + "/"
            variable = bare_weasyprint(scratch, html, base, arguments.repeat)
            static = bare_weasyprint(scratch, with_static_fonts(html, fonts), base,
                                     arguments.repeat)
            row(f"one {format_name} (print), CPU", f"{leaflet:.2f} s")
            row(f"  vs bare WeasyPrint, variable font ({variable:.2f} s)",
                f"{leaflet / variable:.2f}x")
            row(f"  vs bare WeasyPrint, static fonts ({static:.2f} s)",
                f"{leaflet / static:.2f}x")

        build_dir = scratch_project(scratch / "build")
        whole = run_build(build_dir, "build", "--jobs", "2")
        pdfs = len(list((build_dir / "output").glob("*/*.pdf")))
        row(f"whole sample build, {pdfs} PDFs, --jobs 2",
            f"{whole.wall:.1f} s wall, {whole.cpu:.1f} s CPU, largest process "
            f"{whole.max_rss_mb:.0f} MB")
        all_jobs = plan(Project(build_dir), BuildOptions())
        floor = bare_weasyprint_all(scratch / "bare-all", Project(build_dir), all_jobs,
                                    Project(build_dir).templates_dir.resolve().as_uri() + "/")
        row(f"  floor: bare WeasyPrint on the same {len(all_jobs)} HTML files, one process",
            f"{floor:.1f} s CPU, so {floor / 2:.1f} s wall on 2 cores at best")
        noop = min((run_build(build_dir, "build", "--jobs", "2") for _ in range(3)),
                   key=lambda run: run.wall)
        row("no-op rebuild", f"{noop.wall:.2f} s wall, {noop.cpu:.2f} s CPU")
        catalog = build_dir / EDITED_CATALOG
        text = catalog.read_text(encoding="utf-8")
        edited = re.sub(r'(msgstr ")([^"]+)', r"\1\2 ", text, count=1)
        catalog.write_text(edited, encoding="utf-8")
        one_edit = run_build(build_dir, "build", "--jobs", "2")
        rebuilt = one_edit.output.count("\nbuilt ") + one_edit.output.startswith("built ")
        row(f"one msgstr edited in {EDITED_CATALOG.name} (ru)",
            f"{rebuilt} leaflets rebuilt, {one_edit.wall:.2f} s wall, {one_edit.cpu:.2f} s CPU")
        row("  of which a fresh process's start (imports, the inputs read)",
            f"{fresh_start(build_dir):.2f} s wall")
        row("  the same, seen by `serve` (a running process)", served_edit(build_dir, catalog))

        if arguments.scale:
            copies = max(1, round(arguments.scale / pdfs))
            scaled_dir = scratch_project(scratch / "scaled", copies)
            scaled = run_build(scaled_dir, "build", "--jobs", "2")
            count = len(list((scaled_dir / "output").glob("*/*.pdf")))
            row(f"scale: {count} PDFs, --jobs 2",
                f"{scaled.wall:.0f} s wall ({scaled.wall / count * 1000:.0f} ms per PDF), "
                f"largest process {scaled.max_rss_mb:.0f} MB")

        if not arguments.skip_naive:
            naive = scratch / "naive"
            naive.mkdir()
            html_files = []
            for path in sorted((build_dir / "output").glob("*/*.pdf"))[:6]:
                campaign_id, format_name, locale = path.stem.split("_")[:3]
                if path.stem.endswith("_screen"):
                    continue
                job, = plan(project, BuildOptions(campaigns=(campaign_id,), locales=(locale,),
                                                  formats=(format_name,), variants=("print",)))
                html_file = naive / f"{path.stem}.html"
                html_file.write_text(render_slot(project, job.campaign, job.format, locale,
                                                 "print"), encoding="utf-8")
                html_files.append(html_file)
            weasyprint = str(Path(PYTHON).parent / "weasyprint")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            for html_file in html_files:
                subprocess.run([weasyprint, "-u", base, str(html_file),
                                str(html_file.with_suffix(".pdf"))], check=True,
                               capture_output=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            row(f"naive: `weasyprint` command once per HTML file ({len(html_files)} files)",
                f"{cpu / len(html_files):.2f} s CPU per file (no preflight, no PDF/X)")
        row("Typst, comparable two-page A5", typst_seconds(scratch))

    width = max(len(figure) for figure, _ in rows)
    print(f"\n{'figure':{width}}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for figure, value in rows:
        print(f"{figure:{width}}  {value}")


if __name__ == "__main__":
    main()

"""Planning and running the build: one independent job per campaign × format × locale.

Everything is read and checked before anything is rendered: the hotline registry, the campaigns and
every catalog the planned jobs need. A job knows its inputs up front, so jobs can run in any order
or in parallel. A PDF appears in output/ only once its layout fits (fit.py) and it passes the
preflight (preflight.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import importlib.metadata
import json
import multiprocessing
import os
import re
import shutil
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .campaigns import Campaign, read_campaigns
from .files import WriteError, write_atomic, writing
from .fonts import FALLBACK_FONTS, MAIN_FAMILY, font_faces, font_files
from .formats import FORMATS, Format
from .hotlines import RegistryError, load_hotlines
from .pdfx import source_date
from .problems import InputError, Problem
from .project import LEAFLET_FILE, Project, leaflet_file_name
from .translations import LocaleCatalogs, campaign_locales

if TYPE_CHECKING:
    from .render import RenderedLeaflet
    from .typeset import Typeset

# What renders, typesets and checks a leaflet (Jinja, WeasyPrint, fontTools, pikepdf, pypdfium2)
# is imported by the functions that do it: planning a build and finding every leaflet up to
# date never imports it, and a build with nothing to do costs little more than reading its
# inputs.


# "print": PDF/X-4 in CMYK with bleed, for the press; "screen": the digital twin, RGB and tagged,
# to post on websites and send on messengers.
VARIANTS = ("print", "screen")

# Content too long for its page is measured on a page this many times the format's height.
UNBROKEN_PAGES = 10


@dataclass(frozen=True)
class BuildOptions:
    campaigns: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    strict: bool = False
    keep_html: bool = False
    marks: bool = False  # crop marks outside the bleed
    variants: tuple[str, ...] = VARIANTS
    jobs: int | None = None  # processes; None: one per core
    force: bool = False  # rebuild leaflets that are up to date
    # SOURCE_DATE_EPOCH, read when the options are made: it sets the PDFs' dates.
    source_date: dt.datetime | None = field(default_factory=source_date)


@dataclass
class Job:
    campaign: Campaign
    format: Format
    locale: str
    catalogs: LocaleCatalogs
    output: Path
    inputs: list[Path]  # every file the result depends on
    variant: str = "print"
    fingerprint: str = ""  # of the inputs as they were when the build was planned

    @property
    def name(self) -> str:
        suffix = "" if self.variant == "print" else f" ({self.variant})"
        return f"{self.campaign.id} {self.format.name} {self.locale}{suffix}"


@dataclass
class JobResult:
    job: Job
    output: Path | None = None  # None when the job failed
    pages: int = 0
    missing: int = 0  # untranslated texts: a leaflet with any is a DRAFT
    unverified: list[str] = field(default_factory=list)  # hotline ids printed unverified
    example: bool = False  # invented sample data
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    up_to_date: bool = False  # nothing it depends on changed since the file was built: skipped

    @property
    def is_draft(self) -> bool:
        return self.missing > 0 or bool(self.unverified) or self.example


@dataclass
class BuildResult:
    results: list[JobResult]
    seconds: float
    removed: list[Path] = field(default_factory=list)  # leaflets no campaign makes any more
    leftovers: list[Path] = field(default_factory=list)  # of an interrupted build, removed

    @property
    def failed(self) -> list[JobResult]:
        return [r for r in self.results if r.errors]

    @property
    def drafts(self) -> list[JobResult]:
        return [r for r in self.results if not r.errors and r.is_draft]


def output_path(project: Project, campaign_id: str, format_name: str, locale: str,
                variant: str = "print") -> Path:
    """``output/<campaign>/<campaign>_<format>_<locale>.pdf``, ``…_screen.pdf`` for the twin."""
    return project.output_dir / campaign_id / leaflet_file_name(campaign_id, format_name, locale,
                                                                 variant)


def plan(project: Project, options: BuildOptions) -> list[Job]:
    """Read and check all input, then list the jobs. InputError carries every problem found, in
    the registry, the campaigns and the catalogs at once."""
    digests = snapshot(project)
    problems: list[Problem] = []
    broken: frozenset[str] = frozenset()
    try:
        hotlines = load_hotlines(project)
    except RegistryError as error:
        problems += error.problems
        hotlines, broken = error.usable, frozenset(error.broken)
    campaigns, found = read_campaigns(project, hotlines, list(options.campaigns) or None, broken)
    problems += found
    for name in options.formats:
        if name not in FORMATS:
            problems.append(Problem("--format", message=f"unknown format '{name}' "
                                    f"(known: {', '.join(FORMATS)})"))
    for name in options.variants:
        if name not in VARIANTS:
            problems.append(Problem("--variant", message=f"unknown variant '{name}' "
                                    f"(known: {', '.join(VARIANTS)})"))
    # Every template, icon and logo: templates include one another by computed names.
    template_files = sorted(p for p in project.templates_dir.rglob("*") if p.is_file())
    problems += project.outside_problems(project.templates_dir.rglob("*"))
    # output/ is written and pruned: a link there would write and delete files elsewhere.
    problems += project.outside_problems([project.output_dir])
    fonts = font_files()
    jobs = []
    catalogs: dict[tuple[str, str], LocaleCatalogs] = {}
    for campaign in campaigns:
        for locale in campaign_locales(project, campaign):
            if options.locales and locale not in options.locales:
                continue
            try:
                catalogs[campaign.id, locale] = LocaleCatalogs(project, campaign.id, locale)
            except InputError as error:
                problems += error.problems
                continue
            for format_name in campaign.data.formats:
                if options.formats and format_name not in options.formats:
                    continue
                leaflet_format = FORMATS[format_name]
                inputs = [project.campaigns_dir / f"{campaign.id}.yaml", project.hotlines_file,
                          *[project.root / f for f in catalogs[campaign.id, locale].files()],
                          *template_files, *fonts]
                for variant in dict.fromkeys(options.variants):
                    job = Job(campaign, leaflet_format, locale, catalogs[campaign.id, locale],
                              output_path(project, campaign.id, format_name, locale, variant),
                              inputs, variant)
                    job.fingerprint = fingerprint(job, options, digests)
                    jobs.append(job)
    if problems:
        raise InputError(problems)
    return jobs


def translation_advice(job: Job) -> str:
    files = job.catalogs.files()
    return ("run `python build.py translations update`, then translate them"
            + (f" in {', '.join(files)}" if files else ""))


def render_job(project: Project, job: Job) -> tuple[RenderedLeaflet, int]:
    """The job's HTML and its count of untranslated texts. The first rendering is laid out to
    measure the balanced line breaks of its headlines and calls to action, and tells the count
    of untranslated texts (known only once every text was looked up). A second rendering states
    that count on the DRAFT stamp and breaks the lines where measured; when there is neither
    (a complete translation whose balanced texts each fit on one line) the first is the one."""
    from .render import make_environment, render_leaflet
    from .typeset import font_face_urls, layout
    from .typography import balanced_line_breaks

    environment = make_environment(project.templates_dir)

    def render(missing_before: int | None, line_breaks=None) -> RenderedLeaflet:
        return render_leaflet(environment, job.campaign, job.format, job.locale, job.catalogs,
                              font_face_urls(), missing_before, variant=job.variant,
                              line_breaks=line_breaks)

    first = render(None)
    missing = len(first.missing)
    line_breaks = balanced_line_breaks(layout(first.html, project.templates_dir)[0])
    if not missing and not line_breaks:
        return first, missing
    return render(missing or None, line_breaks), missing


def render_slot(project: Project, campaign: Campaign, leaflet_format: Format, locale: str,
                variant: str) -> str:
    """The HTML of the leaflet in one slot of output/, as a build would render it now."""
    job = Job(campaign, leaflet_format, locale, LocaleCatalogs(project, campaign.id, locale),
              output_path(project, campaign.id, leaflet_format.name, locale, variant), [],
              variant)
    return render_job(project, job)[0].html


# The tool's own code and data take part in every fingerprint: a new version rebuilds everything.
TOOL_FILES = sorted(p for p in Path(__file__).resolve().parent.rglob("*")
                    if p.is_file() and p.suffix in (".py", ".icc"))
RECORDS_DIR = ".build-records"  # in output/: what each PDF was built from
# A PDF is written into output/<campaign>/.check-…/ and moved beside it once it passes the
# preflight; write_atomic's temporary files are .<name>.….tmp. A killed build leaves them.
CANDIDATES_PREFIX = ".check-"
LEFTOVERS = (f"*/{CANDIDATES_PREFIX}*", "*/.*.tmp")


@lru_cache(maxsize=1)
def _dependency_versions() -> bytes:
    """The version of Python and of every package this one depends on, directly or not: a new
    WeasyPrint, phonenumbers or Babel can change a PDF (layout, number formats, CLDR dates) as
    much as new inputs can. Other installed packages cannot, and leave it unchanged. A
    requirement that is not installed (one for another platform or Python) is left out."""
    versions = {"python": sys.version}
    pending = [r for r in _own_requirements() if _applies(r, frozenset())]
    while pending:
        name, extras = _requirement(pending.pop())
        if name in versions:
            continue
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        versions[name] = distribution.version
        pending += [r for r in distribution.requires or () if _applies(r, extras)]
    return json.dumps(sorted(versions.items())).encode()


def _own_requirements() -> list[str]:
    """This package's requirements, as installed; from pyproject.toml when it is run from a
    checkout that was never installed."""
    try:
        return list(importlib.metadata.distribution("leaflets").requires or ())
    except importlib.metadata.PackageNotFoundError:
        with (Path(__file__).resolve().parent.parent / "pyproject.toml").open("rb") as stream:
            return list(tomllib.load(stream)["project"]["dependencies"])


_REQUIREMENT = re.compile(r"\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*"
                          r"(?:\[(?P<extras>[^\]]*)\])?")
_EXTRA_MARKER = re.compile(r"""\bextra\s*==\s*['"]([^'"]+)['"]""")


def _requirement(text: str) -> tuple[str, frozenset[str]]:
    """``"Pillow[xmp]>=9; python_version > '3'"`` → ``("pillow", {"xmp"})``: the name as pip
    compares names (PEP 503)."""
    match = _REQUIREMENT.match(text)
    extras = frozenset(e.strip().lower() for e in (match["extras"] or "").split(",") if e.strip())
    return re.sub(r"[-_.]+", "-", match["name"]).lower(), extras


def _applies(requirement: str, extras: frozenset[str]) -> bool:
    """Whether a dependency's requirement is one of its own, or of an extra asked for: those of
    other extras (tests, documentation) are not installed for this package."""
    marker = requirement.partition(";")[2]
    wanted = _EXTRA_MARKER.findall(marker)
    return not wanted or any(extra.lower() in extras for extra in wanted)


def snapshot(project: Project) -> dict[Path, bytes]:
    """The digest of every file a leaflet can depend on, taken before any of them is read: a file
    that changes while the build runs then leaves a fingerprint that no longer matches, and the
    next build builds that leaflet again."""
    roots = [project.campaigns_dir, project.locales_dir, project.templates_dir]
    files = {*TOOL_FILES, *font_files()}
    files |= {p for root in roots if root.is_dir() for p in root.rglob("*") if p.is_file()}
    return {path: hashlib.sha256(path.read_bytes()).digest() for path in sorted(files)}


def fingerprint(job: Job, options: BuildOptions, digests: dict[Path, bytes]) -> str:
    """A digest of everything the job's PDF depends on: its inputs' bytes, the tool and the
    packages it runs on, the options and SOURCE_DATE_EPOCH (it sets the PDF's dates)."""
    epoch = options.source_date.isoformat() if options.source_date else None
    digest = hashlib.sha256(json.dumps([job.campaign.id, job.format.name, job.locale,
                                        job.variant, options.marks, epoch]).encode())
    digest.update(_dependency_versions())
    for path in sorted({*job.inputs, *TOOL_FILES}):
        digest.update(str(path).encode() + b"\0" + digests.get(path, b"-"))
    return digest.hexdigest()


def _record_path(project: Project, job: Job) -> Path:
    return project.output_dir / RECORDS_DIR / f"{job.output.name}.json"


def _up_to_date(project: Project, job: Job, options: BuildOptions) -> JobResult | None:
    """The recorded result, when the PDF on disk is the one built from exactly these inputs."""
    record_file = _record_path(project, job)
    if options.force or not record_file.is_file() or not job.output.is_file():
        return None
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
        result = JobResult(job, job.output, record["pages"], record["missing"],
                           record["unverified"], record["example"], up_to_date=True)
        current = (record["fingerprint"] == job.fingerprint
                   and record["sha256"] == hashlib.sha256(job.output.read_bytes()).hexdigest()
                   and (record["html"] or not options.keep_html))
    except (ValueError, KeyError, TypeError):
        return None  # a record this version cannot read: build again
    if not current or (options.strict and result.is_draft):
        return None  # --strict builds a draft again, to say why it is not final
    return result


def _write_record(project: Project, result: JobResult, options: BuildOptions) -> None:
    record = {"fingerprint": result.job.fingerprint,
              "sha256": hashlib.sha256(result.output.read_bytes()).hexdigest(),
              "html": options.keep_html, "pages": result.pages, "missing": result.missing,
              "unverified": result.unverified, "example": result.example}
    write_atomic(_record_path(project, result.job), json.dumps(record, indent=1) + "\n")


def _remove_previous(project: Project, job: Job) -> None:
    """A leaflet that failed leaves nothing behind: an older PDF of it could reach a printer."""
    for path in (job.output, job.output.with_suffix(".html"), _record_path(project, job)):
        path.unlink(missing_ok=True)


def run_job(project: Project, job: Job, options: BuildOptions) -> JobResult:
    """Build one leaflet, unless the one in output/ was built from exactly the same inputs."""
    started = time.perf_counter()
    if (previous := _up_to_date(project, job, options)) is not None:
        return _finish(previous, started)
    try:
        result = _build_leaflet(project, job, options, started)
    except WriteError:
        raise  # output/ cannot be written (read-only, full): no other leaflet can be either
    except Exception as error:  # one leaflet's fault must not stop the others  # noqa: BLE001
        result = _finish(JobResult(job, errors=[f"unexpected error, please report it: "
                                                f"{type(error).__name__}: {error}"]), started)
    if result.output is None:
        with writing(job.output):
            _remove_previous(project, job)
    else:
        _write_record(project, result, options)
    return result


def _build_leaflet(project: Project, job: Job, options: BuildOptions,
                   started: float) -> JobResult:
    from .glyphs import missing_characters, missing_glyphs_message
    from .preflight import Expectation, preflight, preflight_screen
    from .typeset import PrintSettings, typeset, typeset_screen

    result = JobResult(job)
    rendered, result.missing = render_job(project, job)
    result.unverified = [h.id for h in job.campaign.unverified_hotlines]
    result.example = job.campaign.is_example
    if result.missing and options.strict:
        result.errors.append(f"{result.missing} texts are not translated "
                             f"(--strict): {translation_advice(job)}")
        return _finish(result, started)
    if options.strict and (result.unverified or result.example):
        if result.unverified:
            result.errors.append(f"hotline {', '.join(result.unverified)} is not verified "
                                 "(--strict)")
        if result.example:
            result.errors.append("the campaign holds example data (--strict)")
        return _finish(result, started)
    if missing := missing_characters(rendered.html):
        result.errors.append(missing_glyphs_message(missing))
        return _finish(result, started)
    expectation = Expectation.for_leaflet(job.campaign, job.format, job.locale, job.variant,
                                          rendered.html)
    if job.variant == "screen":
        pdf = typeset_screen(rendered.html, project.templates_dir, job.campaign.document_date,
                             expectation.identity)
    else:
        settings = PrintSettings(job.format.bleed_mm, options.marks, job.campaign.document_date,
                                 job.format.folds_mm, expectation.identity)
        pdf = typeset(rendered.html, project.templates_dir, settings)
    result.pages = pdf.page_count
    result.errors += _fit_problems(project, job, rendered.html, pdf)
    other_fonts = pdf.fonts - {MAIN_FAMILY, *FALLBACK_FONTS}
    if other_fonts:
        result.errors.append(f"text fell back to fonts outside the project: "
                             f"{', '.join(sorted(other_fonts))} (characters missing from Noto Sans)")
    result.errors += [f"WeasyPrint: {w}" for w in pdf.warnings]
    if result.errors:
        return _finish(result, started)
    with writing(job.output):
        job.output.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=job.output.parent, prefix=CANDIDATES_PREFIX))
    try:
        candidate = scratch / job.output.name
        with writing(job.output):
            candidate.write_bytes(pdf.pdf)
        check = preflight_screen if job.variant == "screen" else preflight
        report = check(candidate, expectation)
        if not report.ok:
            result.errors += [f"preflight: {failure}" for failure in report.failures]
            return _finish(result, started)
        if options.keep_html:
            write_atomic(job.output.with_suffix(".html"), rendered.html)
        with writing(job.output):
            candidate.replace(job.output)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result.output = job.output
    return _finish(result, started)


def _fit_problems(project: Project, job: Job, html: str, pdf: Typeset) -> list[str]:
    """Overflows and too-small type, measured on the laid-out pages; on the print file, what
    cannot be read from the format's reading distance (a screen twin is read up close)."""
    from .fit import check_fit
    from .legibility import check_legibility
    from .typeset import lay_out_unbroken

    paths = {message.text: message.path_text for message in job.campaign.messages()}
    legibility = check_legibility(pdf.document, job.format, paths) if job.variant == "print" \
        else []
    document = pdf.document
    if pdf.page_count > job.format.pages:
        width, height = job.format.trim_mm
        document = lay_out_unbroken(html, project.templates_dir, width, height * UNBROKEN_PAGES)
    return [str(problem) for problem in check_fit(document, job.format, paths)] + legibility


def _finish(result: JobResult, started: float) -> JobResult:
    result.seconds = time.perf_counter() - started
    return result


# A worker is replaced by a fresh one after this many leaflets: what WeasyPrint and pdfium keep
# (caches, fragmentation) grows with every leaflet, and a long build would grow with it.
TASKS_PER_WORKER = 20
# Imported by the build before it starts its workers, which then share them instead of each
# importing them again (see the comment on the imports above).
BUILDING_MODULES = ("fit", "glyphs", "legibility", "preflight", "render", "typeset", "typography")


def build(project: Project, options: BuildOptions, on_result=None,
          on_planned=None) -> BuildResult:
    """Plan, then run every job that is not up to date, on as many processes as
    ``options.jobs`` (default: one per core); none is started when every leaflet is up to date.
    ``on_planned(jobs, to_build)`` is told the counts once planned, ``on_result`` of each
    finished job as it finishes (for progress)."""
    started = time.perf_counter()
    jobs = plan(project, options)
    leftovers = prepare_output(project, jobs)
    results: list[JobResult | None] = [None] * len(jobs)

    def finished(index: int, result: JobResult) -> None:
        results[index] = result
        if on_result:
            on_result(result)

    to_build = []
    for index, job in enumerate(jobs):
        checked = time.perf_counter()
        if (previous := _up_to_date(project, job, options)) is None:
            to_build.append(index)
        else:
            finished(index, _finish(previous, checked))
    if on_planned:
        on_planned(len(jobs), len(to_build))
    if to_build:
        font_faces()  # made here on first use, before the workers that would each make them
        for name in BUILDING_MODULES:
            importlib.import_module(f"{__package__}.{name}")
    workers = min(options.jobs or os.cpu_count() or 1, len(to_build))
    if workers <= 1:
        for index in to_build:
            finished(index, run_job(project, jobs[index], options))
    else:
        global _FORKED_BUILD
        _FORKED_BUILD = (project, jobs, options)
        # Forked workers inherit the planned jobs and the imported modules: nothing is read,
        # checked or imported twice.
        pool = multiprocessing.get_context("fork").Pool(workers,
                                                         maxtasksperchild=TASKS_PER_WORKER)
        try:
            for index, result in pool.imap_unordered(_run_forked, to_build):
                result.job = jobs[index]
                finished(index, result)
            pool.close()
        finally:
            pool.terminate()  # on WriteError or an interruption: no worker goes on writing
            pool.join()
            _FORKED_BUILD = None
    removed = remove_stale(project, jobs) if _builds_everything(options) else []
    return BuildResult(results, time.perf_counter() - started, removed, leftovers)


def prepare_output(project: Project, jobs: list[Job]) -> list[Path]:
    """Before any leaflet is built: remove what an interrupted build left in output/ (its
    leftovers, returned), and make sure every folder the jobs write to can be written, so that
    a read-only output/ stops the build with one message instead of failing every leaflet."""
    leftovers = sorted(path for pattern in LEFTOVERS for path in project.output_dir.glob(pattern))
    for path in leftovers:
        with writing(path):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    folders = {job.output.parent for job in jobs} | {project.output_dir / RECORDS_DIR}
    for folder in [project.output_dir, *sorted(folders)]:
        with writing(folder):
            folder.mkdir(parents=True, exist_ok=True)
            tempfile.TemporaryFile(dir=folder).close()
    return leftovers


def _builds_everything(options: BuildOptions) -> bool:
    return not (options.campaigns or options.locales or options.formats
                or set(options.variants) != set(VARIANTS))


def remove_stale(project: Project, jobs: list[Job]) -> list[Path]:
    """After a build of everything: remove the leaflets no campaign makes any more (a format,
    language or campaign that was dropped), so that no outdated file can reach a printer."""
    planned = {job.output for job in jobs} | {job.output.with_suffix(".html") for job in jobs}
    removed = []
    for path in sorted(project.output_dir.glob("*/*")):
        if path.parent.name != RECORDS_DIR and LEAFLET_FILE.match(path.name) \
                and path not in planned:
            with writing(path):
                path.unlink()
                (project.output_dir / RECORDS_DIR / f"{path.name}.json").unlink(missing_ok=True)
            removed.append(path)
    return removed


_FORKED_BUILD: tuple[Project, list[Job], BuildOptions] | None = None


def _run_forked(index: int) -> tuple[int, JobResult]:
    project, jobs, options = _FORKED_BUILD
    return index, run_job(project, jobs[index], options)

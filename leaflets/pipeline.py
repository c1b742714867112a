"""Planning and running the build: one independent job per campaign × format × locale.

Everything is read and checked before anything is rendered: the hotline registry, the campaigns and
every catalog the planned jobs need (loading.py). A job knows its inputs up front, so jobs can run
in any order or in parallel. A PDF appears in output/ only once its layout fits (fit.py) and it
passes the preflight (preflight.py). A job's result is either ``Built`` or ``Failed``, and each
failure says of what kind it is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import hashlib
import importlib
import importlib.metadata
import io
import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale

from .files import WriteError, write_atomic, writing
from .inputs.campaigns import SOURCE_LOCALE, Campaign, locale_problem
from .inputs.formats import FORMATS, Format, phone_format
from .layout.fonts import FALLBACK_FONTS, MAIN_FAMILY, font_faces, font_files
from .loading import Inputs, Wanted, load_inputs, read_inputs
from .problems import InputError, Problem, SetupError
from .project import LEAFLET_FILE, SHEET_FILE, Project, inside, leaflet_file_name
from .translation.translations import (
    PSEUDO_LOCALE,
    Key,
    LocaleCatalogs,
    Untranslated,
    campaign_locales,
    campaign_messages,
)

if TYPE_CHECKING:
    from .layout.fit import Overflow, SmallType
    from .layout.render import RenderedLeaflet
    from .layout.typeset import TypesetPdf
    from .press.output_intent import OutputIntent
    from .press.preflight import CheckResult, Expectation
    from .preview.proof import Proof

# What renders, typesets and checks a leaflet (Jinja, WeasyPrint, fontTools, pikepdf, pypdfium2,
# LittleCMS) is imported by the functions that do it: planning a build and finding every leaflet
# up to date never imports it, and a build with nothing to do costs little more than reading its
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
    pseudo: bool = False  # build the pseudo-translation (translations.PSEUDO_LOCALE) only
    # SOURCE_DATE_EPOCH, read by the command line: it sets the PDFs' dates and is the day
    # hotline check dates are measured against.
    source_date: dt.datetime | None = None
    output_intent: OutputIntent | None = None  # the printing condition; None: the default


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

    @property
    def language(self) -> str:
        """The language whose rules set the page: the pseudo-translation's are English."""
        return SOURCE_LOCALE if self.locale == PSEUDO_LOCALE else self.locale


class FailureKind(Enum):
    """Why a leaflet was not built."""

    STRICT = "strict"  # --strict refuses a DRAFT: untranslated texts, unverified or example data
    GLYPHS = "glyphs"  # characters none of the project's fonts has
    FIT = "fit"  # overflowing or too small text, a page count a booklet cannot have
    FONTS = "fonts"  # text set in a font from outside the project
    WEASYPRINT = "WeasyPrint"  # a warning of the typesetter's
    PREFLIGHT = "preflight"  # the PDF made fails its preflight
    UNEXPECTED = "unexpected"  # a fault of the tool's: to report


@dataclass(frozen=True)
class Failure:
    kind: FailureKind
    message: str  # as printed beside the leaflet's name

    def __str__(self) -> str:
        return self.message


@dataclass(kw_only=True)
class LeafletFacts:
    """What a job found out about its leaflet, whether or not it was built."""

    job: Job
    pages: int = 0
    missing: int = 0  # untranslated texts: a leaflet with any is a DRAFT
    untranslated: list[Untranslated] = field(default_factory=list)  # the missing, per catalog
    unverified: list[str] = field(default_factory=list)  # hotline ids printed unverified
    example: bool = False  # invented sample data
    seconds: float = 0.0
    proof: Proof | None = None  # a print leaflet's texts on its pages, for the gallery

    @property
    def is_draft(self) -> bool:
        return self.missing > 0 or bool(self.unverified) or self.example

    def built(self, output: Path, up_to_date: bool = False) -> Built:
        return Built(**self._facts(), output=output, up_to_date=up_to_date)

    def failed(self, *failures: Failure) -> Failed:
        return Failed(**self._facts(), failures=list(failures))

    def _facts(self) -> dict:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(LeafletFacts)}


@dataclass(kw_only=True)
class Built(LeafletFacts):
    """A leaflet in output/, built now or found up to date."""

    output: Path
    up_to_date: bool = False  # nothing it depends on changed since the file was built: skipped

    @property
    def errors(self) -> list[str]:
        return []


@dataclass(kw_only=True)
class Failed(LeafletFacts):
    """A leaflet not built, with every reason; nothing of it is left in output/."""

    failures: list[Failure]

    @property
    def errors(self) -> list[str]:
        """The reasons, as printed."""
        return [failure.message for failure in self.failures]


JobResult = Built | Failed


@dataclass
class BuildResult:
    results: list[JobResult]
    seconds: float
    removed: list[Path] = field(default_factory=list)  # leaflets no campaign makes any more
    leftovers: list[Path] = field(default_factory=list)  # of an interrupted build, removed

    @property
    def failed(self) -> list[Failed]:
        return [r for r in self.results if isinstance(r, Failed)]

    @property
    def built(self) -> list[Built]:
        return [r for r in self.results if isinstance(r, Built)]

    @property
    def drafts(self) -> list[Built]:
        return [r for r in self.built if r.is_draft]


def output_path(project: Project, campaign_id: str, format_name: str, locale: str,
                variant: str = "print") -> Path:
    """``output/<campaign>/<campaign>_<format>_<locale>.pdf``, ``…_screen.pdf`` for the twin."""
    return project.output_dir / campaign_id / leaflet_file_name(campaign_id, format_name, locale,
                                                                 variant)


def plan(project: Project, options: BuildOptions) -> list[Job]:
    """Read and check all input, then list the jobs. InputError carries every problem found, in
    the registry, the campaigns, the catalogs and the options at once."""
    digests = snapshot(project)
    inputs = read_inputs(project, options.source_date, Wanted(
        options.campaigns, catalogs=True, locales=options.locales, pseudo=options.pseudo))
    # output/ is written and pruned: a link there would write and delete files elsewhere.
    problems = [*inputs.problems, *_option_problems(options), *_outside_templates(project),
                *project.outside_problems([project.output_dir]),
                *_unmatched_filters(project, inputs.campaigns, options)]
    jobs = _jobs(project, options, inputs, digests)
    if not jobs and not problems and (options.locales or options.formats):
        problems.append(Problem("--locale", message="no campaign has a leaflet in "
                                f"{' or '.join(options.formats)} and in "
                                f"{' or '.join(options.locales)}: run `python build.py "
                                "translations status` to see which campaign has which language"))
    if problems:
        raise InputError(problems)
    return jobs


def _jobs(project: Project, options: BuildOptions, inputs: Inputs,
          digests: dict[Path, bytes]) -> list[Job]:
    """A job for each variant of each selected format of each campaign, in each language whose
    catalogs were read."""
    # Every template, icon and logo: templates include one another by computed names.
    shared = [project.hotlines_file, *files_below(project.templates_dir), *font_files()]
    jobs = []
    for campaign in inputs.campaigns:
        for locale, catalogs in inputs.catalogs_of(campaign):
            inputs_of_job = [project.campaigns_dir / f"{campaign.id}.yaml",
                             *[project.root / f for f in catalogs.files()], *shared]
            for format_name in campaign.data.formats:
                if options.formats and format_name not in options.formats:
                    continue
                for variant in dict.fromkeys(options.variants):
                    job = Job(campaign, FORMATS[format_name], locale, catalogs,
                              output_path(project, campaign.id, format_name, locale, variant),
                              inputs_of_job, variant)
                    job.fingerprint = fingerprint(job, options, digests)
                    jobs.append(job)
    return jobs


def _option_problems(options: BuildOptions) -> list[Problem]:
    """Formats and variants that do not exist, and options that contradict each other."""
    problems = []
    for name in options.formats:
        if name not in FORMATS:
            close = difflib.get_close_matches(name, FORMATS, n=1)
            problems.append(Problem("--format", message=f"unknown format '{name}'"
                                    + (f": did you mean '{close[0]}'?" if close else "")
                                    + f" (known: {', '.join(FORMATS)})"))
    problems += [Problem("--variant", message=f"unknown variant '{name}' "
                         f"(known: {', '.join(VARIANTS)})")
                 for name in options.variants if name not in VARIANTS]
    if options.pseudo and options.locales:
        problems.append(Problem("--pseudo", message="the pseudo-translation is a language of its "
                                f"own ({PSEUDO_LOCALE}): leave out --locale"))
    if options.pseudo and options.strict:
        problems.append(Problem("--pseudo", message="a pseudo-translation is a DRAFT, never "
                                "final: leave out --strict"))
    return problems


def _outside_templates(project: Project) -> list[Problem]:
    """Templates, icons and logos are read only from inside the templates' folder (render.py,
    svg.py): a link in it that leads out of it, even to elsewhere in the project, or round in a
    loop, is named here, before anything is built, instead of failing every leaflet with an
    "unexpected error"."""
    folder = project.templates_dir
    problems = []
    for path in folder.rglob("*"):
        try:
            if inside(path, folder) is not None:
                continue
            target = path.resolve()
        except (RuntimeError, OSError):  # a loop of links (RuntimeError up to Python 3.12)
            problems.append(Problem(project.shown(path), message="a link that leads round in a "
                                    "loop, back to itself: replace it with the file itself"))
            continue
        problems.append(
            Problem(project.shown(path), message=f"a link to {target}, outside the project: "
                    "copy the file itself into the project")
            if inside(path, project.root) is None else
            Problem(project.shown(path), message=f"a link to {target}, outside "
                    f"{project.shown(folder)}/: copy the files themselves into it"))
    return problems


def _unmatched_filters(project: Project, campaigns: list[Campaign],
                       options: BuildOptions) -> list[Problem]:
    """A --locale or --format that selects nothing is a mistake (``--locale RU``, a format the
    campaign does not have), never "0 leaflets built": each says what there is instead."""
    problems = []
    languages = {c.id: campaign_locales(project, c) for c in campaigns}
    for locale in dict.fromkeys(options.locales):
        if campaigns and all(locale not in codes for codes in languages.values()):
            problems.append(Problem("--locale", message=_locale_advice(
                locale, languages, bool(options.campaigns))))
    for format_name in dict.fromkeys(options.formats):
        if format_name in FORMATS and campaigns \
                and all(format_name not in c.data.formats for c in campaigns):
            used = dict.fromkeys(f for c in campaigns for f in c.data.formats)
            problems.append(Problem("--format", message="; ".join(
                f"{c.id} has no {format_name} (its formats: {', '.join(c.data.formats)}): add "
                f"it to formats: in {c.file} to make one" for c in campaigns)
                if options.campaigns else f"no campaign has a {format_name} (the campaigns "
                f"have {', '.join(used)}): add it to formats: in a campaign to make one"))
    return problems


def _locale_advice(locale: str, languages: dict[str, list[str]], named: bool) -> str:
    """Why no leaflet is built in ``locale``, and what was meant or what to do."""
    every = list(dict.fromkeys(code for codes in languages.values() for code in codes))
    close = [code for code in every if code.lower().replace("-", "_") ==
             locale.lower().replace("-", "_")]
    built = ("; ".join(f"{campaign} is built in {', '.join(codes)}"
                       for campaign, codes in languages.items()) if named
             else f"the campaigns are built in {', '.join(every)}")
    if close:
        return f"no leaflet is built in '{locale}': did you mean '{close[0]}'? ({built})"
    if (problem := locale_problem(locale)):
        return f"{problem}; {built}"
    name = Locale.parse(locale).get_display_name("en")
    return (f"no leaflet is built in '{locale}' ({name}): {built}; to start {name}, run "
            f"`python build.py translations init {locale}`")


def untranslated_texts(result: LeafletFacts, why: str = "") -> str:
    """``8 texts are not translated: 7 in locales/az/LC_MESSAGES/x.po (not created yet: run …),
    1 in locales/az/LC_MESSAGES/templates.po``: the catalogs to open, and what to run first."""
    return (f"{result.missing} {'text is' if result.missing == 1 else 'texts are'} not "
            f"translated{why}: {', '.join(map(str, result.untranslated))}")


def render_job(project: Project, job: Job) -> tuple[RenderedLeaflet, list[Key]]:
    """The job's HTML and its untranslated texts, known only once every text was looked up: a
    second rendering states their count on the DRAFT stamp (whose own words are not counted).
    The tri-fold's panels are measured on a layout of a rendering made for it (the flow in one
    panel, without the outside), and the leaflet is rendered with the sections in them.
    Otherwise a complete translation is rendered once; its balanced lines are chosen while it
    is laid out (``typography``), and a printed booklet's notes pages are rendered spare, as
    many as it may need, for typesetting to keep those it does need."""
    from .layout.panels import PANEL, plan_panels
    from .layout.render import LeafletRequest, make_environment, render_leaflet
    from .layout.typeset import font_face_urls, layout

    environment = make_environment(project.templates_dir)
    spare_pages = job.format.page_multiple - 1 \
        if job.format.page_multiple is not None and job.variant == "print" else 0

    def render(missing_before: int | None, panels=None) -> RenderedLeaflet:
        return render_leaflet(environment, LeafletRequest(
            job.campaign, job.format, job.language, job.catalogs, font_face_urls(), job.variant,
            missing_before, spare_pages, panels))

    first = render(None)
    panels = None
    if f'{PANEL}="' in first.html:  # a flow over panels, rendered for measuring
        panels = plan_panels(layout(first.html, project.templates_dir)[0])
        if panels is None:  # rendered as it is, the leaflet would be its measuring layout
            raise RuntimeError(f"the template {job.format.template} marks a flow over panels "
                               f"({PANEL}), but no panel was laid out")
        first = render(None, panels)
    if not first.missing:
        return first, first.missing
    return render(len(first.missing), panels), first.missing


def render_slot(project: Project, campaign: Campaign, leaflet_format: Format, locale: str,
                variant: str) -> str:
    """The HTML of the leaflet in one slot of output/, as a build would render it now."""
    job = Job(campaign, leaflet_format, locale, LocaleCatalogs(project, campaign.id, locale),
              output_path(project, campaign.id, leaflet_format.name, locale, variant), [],
              variant)
    return render_job(project, job)[0].html


def check_pdfs(project: Project, paths: list[Path], output_intent: OutputIntent | None,
               source_date: dt.datetime | None) -> CheckResult:
    """Preflight the given PDFs, or every PDF in output/; ours are checked against their
    campaign and format, read from their names, and the project's printing condition
    (``output_intent``, default the tool's). The campaigns they name are read first: one with
    a problem stops the check with every problem at once."""
    from .press.output_intent import default_intent
    from .press.preflight import check_files

    paths = paths or project.output_pdfs()
    named = {match["campaign"] for path in paths
             if (match := LEAFLET_FILE.match(path.name)) and match["extension"] == "pdf"}
    known = {p.stem for p in project.campaign_files()} if project.campaigns_dir.is_dir() else set()
    campaigns = load_inputs(project, source_date, Wanted(tuple(sorted(named & known)))).campaigns \
        if named & known else []
    slots = _Slots(project, campaigns, output_intent or default_intent())
    return check_files(paths, slots.expectation)


@dataclass
class _Slots:
    """The leaflets output/ holds a slot for: each campaign's formats in its languages."""

    project: Project
    campaigns: list[Campaign]
    output_intent: OutputIntent

    def expectation(self, path: Path) -> Expectation | None:
        """What a file named like ours, in the slot of a known campaign, format and locale,
        must be: the leaflet that slot holds, rendered now."""
        from .press.preflight import Expectation

        match = LEAFLET_FILE.match(path.name)
        campaign = next((c for c in self.campaigns if match and c.id == match["campaign"]), None)
        if match is None or campaign is None or match["extension"] != "pdf" \
                or match["format"] not in campaign.data.formats \
                or match["locale"] not in campaign_locales(self.project, campaign):
            return None
        variant = "screen" if match["screen"] else "print"
        leaflet_format = FORMATS[match["format"]]
        html = render_slot(self.project, campaign, leaflet_format, match["locale"], variant)
        return Expectation.for_leaflet(campaign, leaflet_format, match["locale"], variant, html,
                                       self.output_intent)


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
            version, requires = installed_metadata(importlib.metadata.distribution(name))
        except importlib.metadata.PackageNotFoundError:
            continue
        versions[name] = version
        pending += [r for r in requires if _applies(r, extras)]
    return json.dumps(sorted(versions.items())).encode()


def installed_metadata(distribution: importlib.metadata.Distribution) -> tuple[str, list[str]]:
    """An installed package's version and requirements, read from the header of its core
    metadata (``Version``, ``Requires-Dist``: one field a line). importlib.metadata parses the
    whole file as an e-mail for them, about 1 ms a package and 80 packages a build."""
    text = distribution.read_text("METADATA") or distribution.read_text("PKG-INFO") or ""
    fields: dict[str, list[str]] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        name, colon, value = line.partition(":")
        if colon and not line[:1].isspace():
            fields.setdefault(name.strip().lower(), []).append(value.strip())
    version = fields.get("version") or [distribution.version]
    return version[0], fields.get("requires-dist", [])


def _own_requirements() -> list[str]:
    """This package's requirements, as installed; from pyproject.toml when it is run from a
    checkout that was never installed."""
    try:
        return list(importlib.metadata.distribution("leaflets").requires or ())
    except importlib.metadata.PackageNotFoundError:
        import tomllib  # only for a checkout that was never installed

        with (Path(__file__).resolve().parent.parent / "pyproject.toml").open("rb") as stream:
            return list(tomllib.load(stream)["project"]["dependencies"])


_REQUIREMENT = re.compile(r"\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*"
                          r"(?:\[(?P<extras>[^\]]*)\])?")
_EXTRA_MARKER = re.compile(r"""\bextra\s*==\s*['"]([^'"]+)['"]""")


def _requirement(text: str) -> tuple[str, frozenset[str]]:
    """``"Pillow[xmp]>=9; python_version > '3'"`` → ``("pillow", {"xmp"})``: the name as pip
    compares names (PEP 503)."""
    match = _REQUIREMENT.match(text)
    if match is None:
        raise ValueError(f"not a requirement: {text!r}")
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
    files |= {path for root in roots for path in files_below(root)}
    return {path: hashlib.sha256(path.read_bytes()).digest() for path in sorted(files)}


def files_below(folder: Path) -> list[Path]:
    """Every file below ``folder``, also in the folders linked into it from beside it (for a
    project's folder: from elsewhere in the project, such as a language's catalogs kept with the
    translator's other work; reading them is confined all the same): ``Path.rglob`` does
    not enter a linked folder, and a file it does not list takes no part in any fingerprint, so
    a change in it left its leaflets "up to date". Each real folder is entered once: a link loop
    ends."""
    boundary = folder.resolve().parent
    found, entered = [], set()
    for top, folders, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in entered or not Path(real).is_relative_to(boundary):
            folders.clear()
            continue
        entered.add(real)
        found += [path for name in names if (path := Path(top) / name).is_file()]
    return sorted(found)


def fingerprint(job: Job, options: BuildOptions, digests: dict[Path, bytes]) -> str:
    """A digest of everything the job's PDF depends on: its inputs' bytes, the tool and the
    packages it runs on, the options and SOURCE_DATE_EPOCH (it sets the PDF's dates)."""
    epoch = options.source_date.isoformat() if options.source_date else None
    # The printing condition is written into print files only.
    intent = options.output_intent.key if options.output_intent and job.variant == "print" \
        else None
    digest = hashlib.sha256(json.dumps([job.campaign.id, job.format.name, job.locale,
                                        job.variant, options.marks, epoch, intent]).encode())
    digest.update(_dependency_versions())
    for path in sorted({*job.inputs, *TOOL_FILES}):
        digest.update(str(path).encode() + b"\0" + digests.get(path, b"-"))
    return digest.hexdigest()


def _record_path(project: Project, job: Job) -> Path:
    return project.output_dir / RECORDS_DIR / f"{job.output.name}.json"


def _up_to_date(project: Project, job: Job, options: BuildOptions) -> Built | None:
    """The recorded result, when the PDF on disk is the one built from exactly these inputs."""
    record_file = _record_path(project, job)
    if options.force or not record_file.is_file() or not job.output.is_file():
        return None
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
        result = LeafletFacts(job=job, pages=record["pages"], missing=record["missing"],
                              untranslated=[Untranslated(*where)
                                            for where in record["untranslated"]],
                              unverified=record["unverified"], example=record["example"]
                              ).built(job.output, up_to_date=True)
        current = (record["fingerprint"] == job.fingerprint
                   and record["sha256"] == hashlib.sha256(job.output.read_bytes()).hexdigest()
                   and (record["html"] or not options.keep_html))
    except (ValueError, KeyError, TypeError):
        return None  # a record this version cannot read: build again
    if not current or (options.strict and result.is_draft):
        return None  # --strict builds a draft again, to say why it is not final
    return result


def _write_record(project: Project, result: Built, options: BuildOptions,
                  seconds: float) -> None:
    record = {"fingerprint": result.job.fingerprint, "seconds": round(seconds, 3),
              "sha256": hashlib.sha256(result.output.read_bytes()).hexdigest(),
              "html": options.keep_html, "pages": result.pages, "missing": result.missing,
              "untranslated": [dataclasses.astuple(where) for where in result.untranslated],
              "unverified": result.unverified, "example": result.example}
    write_atomic(_record_path(project, result.job), json.dumps(record, indent=1) + "\n")


def _last_seconds(project: Project, job: Job) -> float:
    """How long the leaflet's last build took; 0 when it has no record to say."""
    try:
        seconds = json.loads(_record_path(project, job).read_text(encoding="utf-8"))["seconds"]
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0
    return float(seconds) if isinstance(seconds, (int, float)) else 0.0


def _remove_previous(project: Project, job: Job) -> None:
    """A leaflet that failed leaves nothing behind: an older PDF of it could reach a printer."""
    for path in (job.output, job.output.with_suffix(".html"), _record_path(project, job)):
        path.unlink(missing_ok=True)


def run_job(project: Project, job: Job, options: BuildOptions) -> JobResult:
    """Build one leaflet, unless the one in output/ was built from exactly the same inputs."""
    started = time.perf_counter()
    result: JobResult | None = _up_to_date(project, job, options)
    if result is None:
        try:
            result = _build_leaflet(project, job, options)
        except WriteError:
            raise  # output/ cannot be written (read-only, full): no other leaflet can be either
        except Exception as error:  # one leaflet's fault must not stop the others  # noqa: BLE001
            result = LeafletFacts(job=job).failed(Failure(
                FailureKind.UNEXPECTED, f"unexpected error, please report it: "
                f"{type(error).__name__}: {error}"))
        if isinstance(result, Failed):
            with writing(job.output):
                _remove_previous(project, job)
        else:
            _write_record(project, result, options, time.perf_counter() - started)
    result.seconds = time.perf_counter() - started
    return result


def _build_leaflet(project: Project, job: Job, options: BuildOptions) -> JobResult:
    """Render, typeset and measure the leaflet; write it to output/ if it passes its preflight."""
    from .press.output_intent import default_intent
    from .press.preflight import Expectation
    from .preview.gallery import card_stem, prepare_page_images
    from .preview.proof import take_proof

    rendered, missing = render_job(project, job)
    facts = LeafletFacts(job=job, missing=len(missing), untranslated=job.catalogs.untranslated(
        missing, {message.key for message in campaign_messages(job.campaign)}),
        unverified=[h.id for h in job.campaign.unverified_hotlines],
        example=job.campaign.is_example)
    if refused := _refused_before_typesetting(facts, rendered.html, options):
        return facts.failed(*refused)
    expectation = Expectation.for_leaflet(job.campaign, job.format, job.language, job.variant,
                                          rendered.html,
                                          options.output_intent or default_intent())
    pdf = _typeset_job(project, job, options, rendered.html, expectation)
    facts.pages = pdf.page_count
    fit_problems, legibility = _fit_problems(project, job, rendered.html, pdf)
    if job.variant == "print":  # for the gallery: the screen twin has the same texts
        facts.proof = take_proof(pdf.document, pdf.pdf, job.format, job.catalogs,
                                 _campaign_paths(job), fit_problems,
                                 prepare_page_images(project, card_stem(job)))
    failures = [*(Failure(FailureKind.FIT, str(problem))
                  for problem in [*fit_problems, *legibility]), *_typeset_failures(pdf)]
    if not failures:
        failures = _write_if_preflighted(job, options, pdf.pdf, rendered.html, expectation)
    return facts.failed(*failures) if failures else facts.built(job.output)


def warm_up(project: Project, job: Job, options: BuildOptions) -> None:
    """Make in this process what each worker forked from it would make again for its first
    leaflet, some 0.2 s of it (the templates compiled, WeasyPrint's C types parsed, the fonts'
    coverage read): render and typeset ``job``, and keep nothing of it. For a process that forks
    workers again and again, the preview server. Best effort: a leaflet that cannot be made was
    reported by the build, and is not made again here."""
    from .press.output_intent import default_intent
    from .press.preflight import Expectation

    try:
        rendered, _ = render_job(project, job)
        expectation = Expectation.for_leaflet(job.campaign, job.format, job.language,
                                              job.variant, rendered.html,
                                              options.output_intent or default_intent())
        _typeset_job(project, job, options, rendered.html, expectation)
    except Exception:  # noqa: BLE001 (the build named what is wrong with it)
        return


def _refused_before_typesetting(facts: LeafletFacts, html: str,
                                options: BuildOptions) -> list[Failure]:
    """Why the leaflet is not typeset at all: a DRAFT under --strict, characters no font has."""
    from .translation.glyphs import missing_characters, missing_glyphs_message

    if facts.missing and options.strict:
        return [Failure(FailureKind.STRICT, untranslated_texts(facts, " (--strict)"))]
    if options.strict and (facts.unverified or facts.example):
        return [Failure(FailureKind.STRICT, message) for message in (
            *([f"hotline {', '.join(facts.unverified)} is not verified (--strict)"]
              if facts.unverified else []),
            *(["the campaign holds example data (--strict)"] if facts.example else []))]
    if missing := missing_characters(html):
        return [Failure(FailureKind.GLYPHS, missing_glyphs_message(missing))]
    return []


def _typeset_job(project: Project, job: Job, options: BuildOptions, html: str,
                 expectation: Expectation) -> TypesetPdf:
    from .layout.typeset import PrintSettings, typeset_print, typeset_screen

    date = job.campaign.document_date(options.source_date)
    if job.variant == "screen":
        return typeset_screen(html, project.templates_dir, date, expectation.identity)
    settings = PrintSettings(job.format.bleed_mm, options.marks, date, job.format.folds_mm,
                             expectation.identity, options.output_intent,
                             job.format.page_multiple)
    return typeset_print(html, project.templates_dir, settings)


def _typeset_failures(pdf: TypesetPdf) -> list[Failure]:
    """Fonts from outside the project, and what WeasyPrint warned of."""
    failures = []
    if other_fonts := pdf.fonts - {MAIN_FAMILY, *FALLBACK_FONTS}:
        failures.append(Failure(FailureKind.FONTS, f"text fell back to fonts outside the "
                                f"project: {', '.join(sorted(other_fonts))} (characters "
                                "missing from Noto Sans)"))
    return failures + [Failure(FailureKind.WEASYPRINT, f"WeasyPrint: {w}") for w in pdf.warnings]


def _write_if_preflighted(job: Job, options: BuildOptions, pdf: bytes, html: str,
                          expectation: Expectation) -> list[Failure]:
    """Write the PDF as a candidate beside its place and preflight it there; move it into place
    (with its HTML under --keep-html) only if it passes. The preflight's failures, if any."""
    from .press.preflight import preflight, preflight_screen

    with writing(job.output):
        job.output.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(dir=job.output.parent, prefix=CANDIDATES_PREFIX))
    try:
        candidate = scratch / job.output.name
        with writing(job.output):
            candidate.write_bytes(pdf)
        check = preflight_screen if job.variant == "screen" else preflight
        report = check(candidate, expectation, fresh=True)
        if not report.ok:
            return [Failure(FailureKind.PREFLIGHT, f"preflight: {failure}")
                    for failure in report.failures]
        if options.keep_html:
            write_atomic(job.output.with_suffix(".html"), html)
        with writing(job.output):
            candidate.replace(job.output)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return []


def _campaign_paths(job: Job) -> dict[str, str]:
    """Each campaign text's path, by its English text: how fit failures name a block."""
    return {message.text: message.path_text for message in job.campaign.messages()}


def _fit_problems(project: Project, job: Job, html: str,
                  pdf: TypesetPdf) -> tuple[list[Overflow | SmallType], list[str]]:
    """Overflows and too-small type, measured on the laid-out pages; on the print file, what
    cannot be read from the format's reading distance (a screen twin is read up close)."""
    from .layout.fit import check_fit
    from .layout.legibility import check_legibility
    from .layout.typeset import lay_out_unbroken

    paths = _campaign_paths(job)
    legibility = check_legibility(pdf.document, job.format, paths) if job.variant == "print" \
        else []
    document = pdf.document
    if job.variant == "screen":  # phone pages, as many as the text takes
        phone = replace(phone_format(job.format), pages=pdf.page_count)
        return check_fit(document, phone, paths), legibility
    if job.format.page_multiple is not None:  # a booklet: more pages are pagination
        count_problem = job.format.page_count_problem(pdf.page_count)
        return check_fit(document, job.format, paths), \
            legibility + ([count_problem] if count_problem else [])
    if pdf.page_count > job.format.pages:
        width, height = job.format.trim_mm
        document = lay_out_unbroken(html, project.templates_dir, width, height * UNBROKEN_PAGES)
    return check_fit(document, job.format, paths), legibility


# A worker is replaced by a fresh one after this many leaflets: what WeasyPrint and pdfium keep
# (caches, fragmentation) grew with every leaflet, and a long build would grow with it. A fresh
# worker's first leaflet costs some 0.2 s more (fonts loaded, caches empty); one process building
# the 48 samples twice over stays within 146–184 MB, so a worker now lasts 100 leaflets.
TASKS_PER_WORKER = 100
# Imported by the build before it starts its workers, which then share them instead of each
# importing them again (see the comment on the imports above).
BUILDING_MODULES = ("layout.fit", "translation.glyphs", "layout.legibility", "press.preflight",
                    "layout.render", "layout.typeset", "layout.typography")


def import_by_soname(import_modules: Callable[[], object]) -> None:
    """Import modules that load shared libraries (WeasyPrint loads Pango, HarfBuzz, Fontconfig)
    on Linux by their sonames, without ``ctypes.util.find_library``.

    WeasyPrint tries several names for each library, and cffi asks ``find_library`` for each
    name it cannot load as given; on Linux that runs ``ldconfig``, then ``gcc`` and ``ld`` for a
    name it does not know: some 50 processes and 0.2 s of every build's start. Each library is
    also tried by its soname (``libpango-1.0.so.0``), which the dynamic linker finds as it finds
    any (its cache, ``LD_LIBRARY_PATH``), so ``find_library`` finds nothing here. Where a library
    cannot be loaded that way, the modules are imported again as they would be."""
    if not sys.platform.startswith("linux"):
        import_modules()
        return
    import ctypes.util

    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # what WeasyPrint prints before it fails
            import_modules()
    except OSError:
        ctypes.util.find_library = find_library
        import_modules()
    finally:
        ctypes.util.find_library = find_library


def import_typesetter() -> None:
    """Import WeasyPrint (``import_by_soname``), for a command that typesets or preflights
    whatever it finds to do: ``check``, ``bundle``, ``serve``, ``translations where``."""
    import_by_soname(lambda: importlib.import_module("weasyprint"))


def build(project: Project, options: BuildOptions,
          on_result: Callable[[JobResult], None] | None = None,
          on_planned: Callable[[int, int], None] | None = None,
          workers: KeptWorkers | None = None) -> BuildResult:
    """Plan, then run every job that is not up to date, on as many processes as
    ``options.jobs`` (default: one per core), or on ``workers`` kept from build to build; none
    is started when every leaflet is up to date. ``on_planned(jobs, to_build)`` is told the
    counts once planned, ``on_result`` of each finished job as it finishes (for progress)."""
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
            previous.seconds = time.perf_counter() - checked
            finished(index, previous)
    if on_planned:
        on_planned(len(jobs), len(to_build))
    # The longest first, as their last builds took: a long leaflet started last would keep one
    # worker busy while the others have nothing left to do.
    to_build.sort(key=lambda index: -_last_seconds(project, jobs[index]))
    if workers is not None and to_build:
        workers.run(project, jobs, to_build, options, finished)
    else:
        _run_jobs(project, jobs, to_build, options, finished)
    removed = remove_stale(project, jobs) if _builds_everything(options) else []
    return BuildResult([r for r in results if r is not None], time.perf_counter() - started,
                       removed, leftovers)


def _run_jobs(project: Project, jobs: list[Job], to_build: list[int], options: BuildOptions,
              finished: Callable[[int, JobResult], None]) -> None:
    """Run the jobs at the indexes ``to_build``, telling ``finished`` of each as it finishes:
    in this process, or on as many forked workers as ``options.jobs`` (default: one per core)."""
    if to_build:
        _prepare_to_fork()
    workers = min(options.jobs or os.cpu_count() or 1, len(to_build))
    if workers <= 1:
        for index in to_build:
            finished(index, run_job(project, jobs[index], options))
        return
    global _FORKED_BUILD
    _FORKED_BUILD = (project, jobs, options)
    # Forked workers inherit the planned jobs and the imported modules: nothing is read,
    # checked or imported twice.
    pool = _Workers(workers)
    ended_well = False
    try:
        _deliver(pool.results(_run_forked, to_build), jobs, finished)
        pool.finish()
        ended_well = True
    finally:
        pool.terminate()  # on WriteError or an interruption: no worker goes on writing
        _FORKED_BUILD = None
        if not ended_well:
            remove_leftovers_quietly(project)


def _deliver(results: Iterator, jobs: list[Job], finished: Callable[[int, JobResult], None]
             ) -> None:
    """Tell ``finished`` of each leaflet the workers return, as it comes."""
    for index, result in results:
        result.job = jobs[index]
        finished(index, result)


def _prepare_to_fork() -> None:
    """Make what every worker needs, once, before they are forked."""
    font_faces()  # made here on first use, before the workers that would each make them
    import_by_soname(lambda: [importlib.import_module(f"{__package__}.{name}")
                              for name in BUILDING_MODULES])


class WorkersClosed(Exception):
    """The kept workers were closed (the preview is stopping): no leaflet is built any more."""


class WorkerLost(SetupError):
    """A worker process ended in the middle of a build: killed by the system when memory ran
    out, or by someone. The leaflet it was making would never be finished (the pool starts
    another worker and waits for it for ever); the build stops instead."""

    def __init__(self, exitcode: int):
        how = (f"was killed by signal {-exitcode} ({signal.strsignal(-exitcode)})"
               if exitcode < 0 else f"ended with status {exitcode}")
        super().__init__(f"a worker process {how} while leaflets were being built (the system "
                         "kills the largest process when memory runs out): stopped; the "
                         "leaflets built so far are in output/, run the command again")


# How often a build waiting for its workers' leaflets looks whether one of them was lost, or
# its kept workers closed.
WORKERS_LOOKED_AT_SECONDS = 0.2


class _Workers:
    """Forked workers (``_work_in``) that tell when one of them was lost: killed by the system
    when memory ran out, or by someone. The pool starts another in its place and forgets it;
    the leaflet it was making never comes, and the others may wait for ever for the lock of
    the pool's task queue, which a worker holds while it waits for a task. They make their
    temporary files in a folder of their own (``_work_in``), removed when they are ended."""

    def __init__(self, count: int):
        self.scratch = tempfile.mkdtemp(prefix="leaflets-workers-")
        try:
            self.pool = multiprocessing.get_context("fork").Pool(
                count, _work_in, (self.scratch,), maxtasksperchild=TASKS_PER_WORKER)
        except BaseException:
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
        self.seen: set[multiprocessing.process.BaseProcess] = set()
        self.lost()

    def lost(self) -> int | None:
        """The exit status of a worker that ended otherwise than at its end of tasks (0), if
        one did. (Only a worker started and killed between two looks could go unseen.)"""
        self.seen.update(self.pool._pool)  # type: ignore[attr-defined]  # undocumented
        return next((worker.exitcode for worker in self.seen
                     if worker.exitcode not in (None, 0)), None)

    def results(self, function: Callable, tasks: list,
                closed: Callable[[], bool] = lambda: False) -> Iterator:
        """``function``'s result for each task as it comes. WorkerLost when a worker was lost,
        WorkersClosed once ``closed()``: the build would wait for ever for what is missing."""
        waiting = self.pool.imap_unordered(function, tasks)  # now, not at the first result

        def as_they_come() -> Iterator:
            while True:
                try:
                    yield waiting.next(timeout=WORKERS_LOOKED_AT_SECONDS)
                except StopIteration:
                    return
                except multiprocessing.TimeoutError:
                    if closed():
                        raise WorkersClosed from None
                    if (status := self.lost()) is not None:
                        raise WorkerLost(status) from None
        return as_they_come()

    def finish(self) -> None:
        """Let the workers end on their own, each removing its fonts folder (typeset.py);
        ``terminate`` ends them when one was lost (the others may never end)."""
        if self.lost() is None:
            self.pool.close()
            self.pool.join()

    def terminate(self) -> None:
        """End the workers at once. The pool's own ``terminate`` first takes the lock of its
        task queue, and waited for ever for the one a lost worker held: the others are
        killed, and the lock replaced."""
        if self.lost() is not None:
            alive = [worker for worker in self.seen if worker.exitcode is None]
            for worker in alive:
                worker.kill()
            for worker in alive:
                worker.join(timeout=5)
            queue = self.pool._inqueue  # type: ignore[attr-defined]  # undocumented
            queue._rlock = multiprocessing.get_context("fork").Lock()
        try:
            self.pool.terminate()
            self.pool.join()
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)


class KeptWorkers:
    """Worker processes kept from one build to the next, for the preview server. A build's
    workers are forked for it and end with it; these keep what their leaflets made warm (the
    fonts loaded, the templates compiled, the logos' paths drawn, some 0.2 s of a worker's first
    leaflet), so that a rebuild after one edit costs little more than its leaflets. They were
    forked before the jobs were planned: each job is sent to them. They are forked when a build
    first has leaflets to make, and made again after a build that did not end well (a
    WriteError, an interruption): no worker goes on writing. ``close`` may be called from
    another thread than the builds' (the preview stops while its watcher rebuilds)."""

    def __init__(self, count: int | None = None):
        self.count = count or os.cpu_count() or 1
        self._lock = threading.Lock()  # over starting, ending and closing
        self._pool: _Workers | None = None
        self._closed = False

    def run(self, project: Project, jobs: list[Job], to_build: list[int],
            options: BuildOptions, finished: Callable[[int, JobResult], None]) -> None:
        tasks = [(index, project, jobs[index], options) for index in to_build]
        with self._lock:  # not closed between the pool's start and the jobs sent to it
            if self._closed:
                raise WorkersClosed
            if self._pool is not None and self._pool.lost() is not None:
                self._end_now()  # one was lost since the last build, taking no leaflet with it
            if self._pool is None:
                _prepare_to_fork()
                self._pool = _Workers(self.count)
            pool = self._pool
            results = pool.results(_run_sent, tasks, closed=lambda: self._closed)
        ended_well = False
        try:
            _deliver(results, jobs, finished)
            ended_well = True
        finally:
            if not ended_well:
                self._end(pool)
                remove_leftovers_quietly(project)

    def close(self) -> None:
        """End the workers, and start no others; a build running on them stops
        (WorkersClosed)."""
        with self._lock:
            self._closed = True
            self._end_now()

    def _end(self, pool: _Workers) -> None:
        with self._lock:
            if pool is self._pool:  # else ended already (by the build that used it, or close)
                self._end_now()

    def _end_now(self) -> None:
        """End the workers at once (their temporary folder, with the fonts they copied into
        it, goes with them). Not one by one as they finish: a worker killed meanwhile would
        keep the pool waiting for it. With the lock held."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()


def remove_leftovers_quietly(project: Project) -> None:
    """What the stopped workers left in output/, removed if it can be: the build is stopping
    for another reason, which is the one to tell (the next build removes the rest)."""
    with contextlib.suppress(WriteError):
        remove_leftovers(project)


def _work_in(scratch: str) -> None:
    """Have a worker make its temporary files (WeasyPrint's copies of the fonts, 3 MB) in the
    build's own folder, removed when its workers have ended: a worker the build terminates
    (at its end, when it is interrupted, on a WriteError) removes nothing itself.

    A worker is in a process group of its own, and ends at once when its build terminates it
    (SIGTERM, as the system does by default, not as the command does): a signal sent to the
    command's group (Ctrl-C in a terminal, ``kill`` of a group) reaches only the build, which
    ends its workers in order. Killed at any moment instead, a worker could die holding the lock
    of the pool's queue, and the pool would wait for it for ever; and a worker told to end by
    an exception, in the middle of a leaflet, may have it caught by the libraries it is in."""
    tempfile.tempdir = scratch
    os.setpgrp()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def prepare_output(project: Project, jobs: list[Job]) -> list[Path]:
    """Before any leaflet is built: remove what an interrupted build left in output/ (its
    leftovers, returned), and make sure every folder the jobs write to can be written, so that
    a read-only output/ stops the build with one message instead of failing every leaflet."""
    leftovers = remove_leftovers(project)
    folders = {job.output.parent for job in jobs} | {project.output_dir / RECORDS_DIR}
    for folder in [project.output_dir, *sorted(folders)]:
        with writing(folder):
            folder.mkdir(parents=True, exist_ok=True)
            tempfile.TemporaryFile(dir=folder).close()
    return leftovers


def remove_leftovers(project: Project) -> list[Path]:
    """Remove what leaflets being written leave in output/ when their workers are stopped (a
    candidate being preflighted, a file half-written): which ones."""
    leftovers = sorted(path for pattern in LEFTOVERS for path in project.output_dir.glob(pattern))
    for path in leftovers:
        with writing(path):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
    return leftovers


def _builds_everything(options: BuildOptions) -> bool:
    return not (options.campaigns or options.locales or options.formats or options.pseudo
                or set(options.variants) != set(VARIANTS))


def remove_stale(project: Project, jobs: list[Job]) -> list[Path]:
    """After a build of everything: remove the leaflets no campaign makes any more (a format,
    language or campaign that was dropped), so that no outdated file can reach a printer."""
    planned = {job.output for job in jobs} | {job.output.with_suffix(".html") for job in jobs}
    removed = []
    for path in sorted(project.output_dir.glob("*/*")):
        # A sheet made from a leaflet (imposition.py) goes with its leaflet.
        sheet = SHEET_FILE.match(path.name)
        made_from = path.with_name(f"{sheet['leaflet']}.pdf") if sheet else path
        # Hidden folders (the build records, the gallery's pages) hold no leaflet.
        if not path.parent.name.startswith(".") and LEAFLET_FILE.match(made_from.name) \
                and made_from not in planned:
            with writing(path):
                path.unlink()
                (project.output_dir / RECORDS_DIR / f"{path.name}.json").unlink(missing_ok=True)
            removed.append(path)
    return removed


_FORKED_BUILD: tuple[Project, list[Job], BuildOptions] | None = None


def _run_sent(task: tuple[int, Project, Job, BuildOptions]) -> tuple[int, JobResult]:
    index, project, job, options = task
    return index, run_job(project, job, options)


def _run_forked(index: int) -> tuple[int, JobResult]:
    assert _FORKED_BUILD is not None, "set by _run_jobs before the workers are forked"
    project, jobs, options = _FORKED_BUILD
    return index, run_job(project, jobs[index], options)

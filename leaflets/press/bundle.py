"""The printer's bundle: one zip with everything a print shop needs for one campaign.

``output/<campaign>/<campaign>_print-bundle.zip`` holds the print PDFs (built afresh and
preflighted), ``manifest.csv`` (one row per PDF, with its sha256), an order sheet (PDF) with the
copies per file and per site and their totals, PNG proofs of every page at 150 dpi, and a README
for the printer. The zip is the same bytes for the same inputs: sorted entries, fixed timestamps.

A bundle is refused, with every reason at once, when a leaflet is a DRAFT (untranslated texts),
fails its build or preflight, when the campaign holds example data, or when a number it prints is
unverified or was last verified more than 12 months before the reference date (today, or
SOURCE_DATE_EPOCH). A print run for a format or locale the campaign does not build is an input
error (campaigns.py), reported with its position.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

import pypdfium2
from babel import Locale
from babel.numbers import format_decimal

from ..files import write_atomic
from ..inputs.campaigns import Campaign
from ..inputs.formats import FORMATS
from ..inputs.hotlines import Hotline
from ..inputs.printconfig import Imposition
from ..layout.render import make_environment
from ..layout.svg import read_asset
from ..layout.typeset import PrintSettings, font_face_urls, typeset_print
from ..loading import Wanted, load_inputs
from ..pipeline import (
    VARIANTS,
    BuildOptions,
    Built,
    Failed,
    JobResult,
    build,
    untranslated_texts,
)
from ..project import BUILTIN_TEMPLATES, Project
from .imposition import Sheets, is_booklet, make_spreads
from .output_intent import OutputIntent, default_intent
from .pdfx import VARIANT_NAME, reference_date

PROOF_DPI = 150
# In the <desc> of the partner marks drawn for this project, to be replaced before a print run.
PLACEHOLDER_MARK = "Placeholder mark drawn for the leaflets project"
VERIFIED_WITHIN_MONTHS = 12
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)  # the earliest date a zip can hold
MANIFEST_COLUMNS = ["file", "format", "locale", "trim mm", "bleed mm", "pages", "colour",
                    "PDF variant", "output intent", "ICC profile sha256", "copies", "sha256"]


class RefusalKind(Enum):
    """Why a bundle is refused."""

    HOTLINE = "hotline"  # a number it prints is unverified or was verified too long ago
    EXAMPLE = "example data"  # invented organisations or numbers
    LEAFLET = "leaflet"  # a leaflet failed its build or preflight
    DRAFT = "draft"  # a leaflet has untranslated texts
    SPREADS = "spreads"  # a booklet's printer's spreads could not be made


@dataclass(frozen=True)
class Refusal:
    kind: RefusalKind
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class Bundled:
    """A bundle written."""

    campaign_id: str
    path: Path
    entries: list[str]
    warnings: list[str]  # the bundle is written all the same
    seconds: float


@dataclass
class Refused:
    """A bundle refused, with every reason at once; nothing was written."""

    campaign_id: str
    refusals: list[Refusal]
    warnings: list[str]
    seconds: float


@dataclass(frozen=True)
class PrintFile:
    """One print PDF as the printer sees it."""

    result: Built
    data: bytes
    copies: int
    output_intent: OutputIntent

    @property
    def name(self) -> str:
        return self.result.job.output.name

    @property
    def language(self) -> str:
        return Locale.parse(self.result.job.locale).get_display_name("en") \
            or self.result.job.locale

    @property
    def colour(self) -> str:
        return "CMYK 4/4" if self.result.pages > 1 else "CMYK 4/0"

    def manifest_row(self) -> list[str]:
        leaflet_format = self.result.job.format
        return [f"print/{self.name}", leaflet_format.name, self.result.job.locale,
                "{:g} x {:g}".format(*leaflet_format.trim_mm), f"{leaflet_format.bleed_mm:g}",
                str(self.result.pages), self.colour, VARIANT_NAME, self.output_intent.identifier,
                self.output_intent.profile_sha256, str(self.copies),
                hashlib.sha256(self.data).hexdigest()]

    def spreads_row(self, spreads: Sheets) -> list[str]:
        """The manifest's row for this booklet's printer's spreads: two pages side by side."""
        leaflet_format = self.result.job.format
        width, height = leaflet_format.trim_mm
        return [f"print/{spreads.path.name}", f"{leaflet_format.name} printer's spreads",
                self.result.job.locale, f"{2 * width:g} x {height:g}",
                f"{leaflet_format.bleed_mm:g}", str(spreads.pages), "CMYK 4/4", VARIANT_NAME,
                self.output_intent.identifier, self.output_intent.profile_sha256,
                str(self.copies), hashlib.sha256(spreads.data).hexdigest()]


def _print_files(campaign: Campaign, printed: list[JobResult],
                 output_intent: OutputIntent) -> list[PrintFile]:
    """The print files built, with their quantities, in the order the bundle lists them."""
    return sorted((PrintFile(r, r.output.read_bytes(),
                             campaign.copies(r.job.format.name, r.job.locale), output_intent)
                   for r in printed if isinstance(r, Built)),
                  key=lambda f: _reading_order(campaign, f))


def make_bundle(project: Project, campaign_id: str, options: BuildOptions,
                imposition: Imposition | None = None,
                on_result: Callable[[JobResult], None] | None = None) -> Bundled | Refused:
    """Build and preflight the campaign's leaflets for the printing condition
    (``options.output_intent``, default the tool's), with crop marks if ``options.marks``, then
    write the bundle, or refuse it. Hotline check dates are measured against
    ``options.source_date`` (SOURCE_DATE_EPOCH), else today. With ``imposition``, the printer's
    spreads of every booklet go into print/ beside it."""
    started = time.perf_counter()
    output_intent = options.output_intent or default_intent()
    campaign = load_inputs(project, options.source_date, Wanted((campaign_id,))).campaigns[0]
    refusals = campaign_refusals(campaign, reference_date(options.source_date))
    warnings = placeholder_mark_warnings(project, campaign)
    # The languages the campaign lists, those of its print run: not every started language.
    # The screen twins are built with the print files, so that none is left a stale DRAFT.
    outcome = build(project, replace(options, campaigns=(campaign.id,),
                                     locales=tuple(campaign.data.locales), variants=VARIANTS,
                                     force=True, output_intent=output_intent), on_result)
    printed = [r for r in outcome.results if r.job.variant == "print"]
    warnings += [f"{r.job.name}: {error}" for r in outcome.results
                 if r.job.variant != "print" for error in r.errors]
    refusals += leaflet_refusals(printed)
    if refusals:
        return Refused(campaign.id, refusals, warnings, time.perf_counter() - started)
    files = _print_files(campaign, printed, output_intent)
    spreads = {f.name: make_spreads(f.result.job.output, imposition) for f in files
               if imposition is not None and is_booklet(f.result.pages)}
    refusals = [Refusal(RefusalKind.SPREADS, f"{name}: no printer's spreads: {s.error}")
                for name, s in spreads.items() if s.error]
    if refusals:
        return Refused(campaign.id, refusals, warnings, time.perf_counter() - started)
    entries = _entries(campaign, files, options, spreads, output_intent)
    folder = f"{campaign.id}_print-bundle"
    path = project.output_dir / campaign.id / f"{folder}.zip"
    write_atomic(path, _zip({f"{folder}/{name}": data for name, data in entries.items()},
                            campaign.document_date(options.source_date)))
    return Bundled(campaign.id, path, sorted(entries), warnings, time.perf_counter() - started)


def campaign_refusals(campaign: Campaign, today: dt.date) -> list[Refusal]:
    """What in the campaign itself forbids printing it: a number it prints unverified or
    verified too long before ``today``, example data."""
    hotlines = dict.fromkeys((*campaign.hotlines, *campaign.directory_hotlines))
    refusals = [Refusal(RefusalKind.HOTLINE, problem) for hotline in hotlines
                if not hotline.example and (problem := hotline_problem(hotline, today))]
    if (abroad := campaign.abroad_number) and abroad.verified and (problem := _age_problem(
            f"the number for callers abroad of hotline {campaign.main_hotline.id} "
            f"({abroad.number})", abroad.verified, today)):
        refusals.append(Refusal(RefusalKind.HOTLINE, problem))
    if campaign.is_example:
        refusals.append(Refusal(RefusalKind.EXAMPLE, "the campaign holds example data "
                                "(invented organisations or numbers): not for print"))
    return refusals


def leaflet_refusals(printed: list[JobResult]) -> list[Refusal]:
    """The print files that failed, and the DRAFTs among those built."""
    refusals = []
    for result in printed:
        if isinstance(result, Failed):
            refusals += [Refusal(RefusalKind.LEAFLET, f"{result.job.name}: {failure}")
                         for failure in result.failures]
        elif result.missing:
            refusals.append(Refusal(RefusalKind.DRAFT, f"{result.job.name}: DRAFT: "
                                    f"{untranslated_texts(result)}"))
    return refusals


def placeholder_mark_warnings(project: Project, campaign: Campaign) -> list[str]:
    """The campaign's partner marks that are still the placeholders drawn for this project (their
    ``<desc>`` says so), not the logos the organisations supplied."""
    return [f"the partner mark templates/assets/partners/{partner}.svg is the placeholder drawn "
            f"for this project, not {partner}'s own logo: replace it with the file the "
            "organisation supplies (plain SVG, CMYK, lettering in outlines) before printing"
            for partner in campaign.data.partners
            if PLACEHOLDER_MARK in read_asset(project.templates_dir,
                                              f"assets/partners/{partner}.svg").description]


def hotline_problem(hotline: Hotline, today: dt.date) -> str | None:
    """Why a hotline may not be printed: never verified, or not within the last 12 months."""
    if hotline.verified is None:
        return (f"hotline {hotline.id} ({hotline.number}) is not verified: check it against its "
                "source and add `verified:` to campaigns/hotlines.yaml")
    return _age_problem(f"hotline {hotline.id} ({hotline.number})", hotline.verified, today)


def _age_problem(number: str, verified: dt.date, today: dt.date) -> str | None:
    if verified < _months_before(today, VERIFIED_WITHIN_MONTHS):
        return (f"{number} was last verified on {verified.isoformat()}, more than "
                f"{VERIFIED_WITHIN_MONTHS} months before {today.isoformat()}: check it again")
    return None


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def _reading_order(campaign: Campaign, file: PrintFile) -> tuple[int, int]:
    """Grouped by format, then in the campaign's order of locales."""
    return (campaign.data.formats.index(file.result.job.format.name),
            campaign.data.locales.index(file.result.job.locale))


# ------------------------------------------------------------------ the entries

def _entries(campaign: Campaign, files: list[PrintFile], options: BuildOptions,
             spreads: dict[str, Sheets], output_intent: OutputIntent) -> dict[str, bytes]:
    entries = {f"print/{f.name}": f.data for f in files}
    entries |= {f"print/{s.path.name}": s.data for s in spreads.values()}
    entries["manifest.csv"] = _manifest(files, spreads)
    for f in files:
        for page, png in enumerate(_proofs(f.result.job.output), 1):
            entries[f"proofs/{f.result.job.output.stem}_page-{page}.png"] = png
    context = _order_context(campaign, files, options.marks, output_intent)
    context["spreads"] = [(s.path.name, s.description) for s in spreads.values()]
    environment = make_environment(BUILTIN_TEMPLATES)
    entries["README.txt"] = environment.get_template("bundle/README.txt").render(
        context).encode("utf-8")
    sheet = typeset_print(environment.get_template("bundle/order-sheet.html").render(context),
                          BUILTIN_TEMPLATES,
                          PrintSettings(0, False, campaign.document_date(options.source_date),
                                        output_intent=output_intent))
    entries["order-sheet.pdf"] = sheet.pdf
    return entries


def _manifest(files: list[PrintFile], spreads: dict[str, Sheets]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    for file in files:
        writer.writerow(file.manifest_row())
        if file.name in spreads:
            writer.writerow(file.spreads_row(spreads[file.name]))
    return text.getvalue().encode("utf-8")


def _proofs(pdf: Path) -> list[bytes]:
    """Every page rendered at 150 dpi as PNG: to look at, not a colour proof."""
    document = pypdfium2.PdfDocument(str(pdf))
    pngs = []
    try:
        for index in range(len(document)):
            image = document[index].render(scale=PROOF_DPI / 72).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, "PNG", dpi=(PROOF_DPI, PROOF_DPI))
            pngs.append(buffer.getvalue())
    finally:
        document.close()
    return pngs


def _order_context(campaign: Campaign, files: list[PrintFile], marks: bool,
                   output_intent: OutputIntent) -> dict:
    locales = list(campaign.data.locales)
    formats = []
    for name in campaign.data.formats:
        runs = [run for run in campaign.data.print_run if run.format == name]
        copies = [[run.copies.get(locale, 0) for locale in locales] for run in runs]
        sites = [{"site": run.site, "copies": by_locale, "total": sum(run.copies.values())}
                 for run, by_locale in zip(runs, copies)]
        totals = [sum(by_locale[i] for by_locale in copies) for i in range(len(locales))]
        pages = {f.result.job.locale: f.result.pages for f in files
                 if f.result.job.format.name == name}
        formats.append({"format": FORMATS[name], "sites": sites, "totals": totals,
                        "total": sum(totals),
                        # A booklet's pages follow its text: a language may have more.
                        "pages": pages if len(set(pages.values())) > 1 else None})
    return {
        "campaign": campaign,
        "files": files,
        "locales": locales,
        "formats": formats,
        "grand_total": sum(f.copies for f in files),
        "marks": marks,
        "variant": VARIANT_NAME,
        "output_intent": output_intent,
        "proof_dpi": PROOF_DPI,
        "number": lambda n: format_decimal(n, locale="en"),
        "font_faces": font_face_urls(),
    }


def _zip(entries: dict[str, bytes], stamp: dt.datetime) -> bytes:
    """A zip whose bytes depend on the entries only: sorted, one fixed time, fixed modes."""
    stamp = max(stamp, ZIP_EPOCH)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine writes it
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()

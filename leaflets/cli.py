"""The command line. Thin: stages return results, this module prints them and sets the exit status."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rich import box
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                           TimeRemainingColumn)
from rich.table import Table
from rich.text import Text

from . import translations
from .campaigns import SOURCE_LOCALE, load_campaigns
from .files import WriteError
from .hotlines import load_hotlines
from .pipeline import VARIANTS, BuildOptions, JobResult, build
from .pdfx import reference_date, source_date
from .pofile import excerpt
from .problems import InputError, SetupError, count_problems
from .project import Project

if TYPE_CHECKING:
    from .locate import EntryPlaces

# The bundle, check and where commands import what typesets and reads PDFs (WeasyPrint, pikepdf,
# pypdfium2) when they run: a build with nothing to do never imports them.

EXIT_OK, EXIT_FAILED = 0, 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build print-ready campaign leaflets. Without a command: build everything.")
    parser.add_argument("--project", type=Path, default=Path("."),
                        help="the project folder (default: the current folder)")
    commands = parser.add_subparsers(dest="command")

    build_parser = commands.add_parser("build", help="build leaflets (default: all of them)")
    build_parser.add_argument("campaigns", nargs="*", metavar="CAMPAIGN",
                              help="campaign ids (file names in campaigns/ without .yaml)")
    build_parser.add_argument("--locale", action="append", default=[], metavar="L",
                              help="only this locale (repeatable)")
    build_parser.add_argument("--format", action="append", default=[], metavar="F",
                              help="only this format (repeatable)")
    build_parser.add_argument("--strict", action="store_true",
                              help="fail instead of building a DRAFT for incomplete translations")
    build_parser.add_argument("--keep-html", action="store_true",
                              help="write the HTML beside each PDF, for previews")
    build_parser.add_argument("--marks", action="store_true",
                              help="add crop marks outside the bleed (the page grows to hold them)")
    build_parser.add_argument("--force", action="store_true",
                              help="rebuild every leaflet, even those whose inputs did not change")
    build_parser.add_argument("--jobs", type=_positive, metavar="N",
                              help="leaflets built at once (default: one per processor core)")
    build_parser.add_argument("--variant", action="append", default=[], choices=VARIANTS,
                              help="print (PDF/X-4, CMYK, bleed) or screen (the digital twin: "
                              "RGB, tagged, links, <300 KB, named …_screen.pdf); default both")

    check_parser = commands.add_parser(
        "check", help="preflight PDFs: boxes, fonts, colour, type size, QR codes "
        "(default: every PDF in output/)")
    check_parser.add_argument("pdfs", nargs="*", type=Path, metavar="PDF")

    bundle_parser = commands.add_parser(
        "bundle", help="build, preflight and pack one campaign for the printer into "
        "output/<campaign>/<campaign>_print-bundle.zip")
    bundle_parser.add_argument("campaign", metavar="CAMPAIGN")
    bundle_parser.add_argument("--marks", action="store_true",
                               help="print PDFs with crop marks outside the bleed")

    translations_parser = commands.add_parser("translations", help="manage the gettext catalogs")
    actions = translations_parser.add_subparsers(dest="action", required=True)
    actions.add_parser("extract", help="write locales/*.pot from the campaigns and templates")
    update_parser = actions.add_parser("update", help="create or merge every locale's .po files")
    update_parser.add_argument("--locale", action="append", default=[], metavar="L")
    status_parser = actions.add_parser("status", help="how far each catalog is translated")
    status_parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    actions.add_parser("check", help="check every .po: placeholders, numbers, addresses, markup, "
                       "length budgets, plural forms, headers")
    init_parser = actions.add_parser("init", help="start a new language: a catalog for every "
                                     "campaign and the templates")
    init_parser.add_argument("locale", metavar="LOCALE", help="a CLDR code such as ka, uz or fa")
    where_parser = actions.add_parser("where", help="the leaflets and pages that print an entry")
    where_parser.add_argument("query", metavar="MSGID-OR-PATH",
                              help="the English text (msgid) or its path, e.g. content.headline")
    where_parser.add_argument("--locale", default=SOURCE_LOCALE, metavar="L",
                              help="lay out the leaflets in this language (default: en)")
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    arguments = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    project = Project(arguments.project)
    try:
        epoch = source_date()  # the environment is read here, once: a wrong value stops at once
        if arguments.command == "translations":
            return _translations(project, arguments, out, err)
        if arguments.command == "check":
            return _check(project, arguments.pdfs, out, err)
        if arguments.command == "bundle":
            return _bundle(project, arguments.campaign, arguments.marks, out, err)
        options = BuildOptions(source_date=epoch)
        if arguments.command == "build":
            options = BuildOptions(tuple(arguments.campaigns), tuple(arguments.locale),
                                   tuple(arguments.format), arguments.strict, arguments.keep_html,
                                   arguments.marks, tuple(arguments.variant) or VARIANTS,
                                   arguments.jobs, arguments.force, epoch)
        return _build(project, options, out, err)
    except InputError as error:
        for problem in error.problems:
            print(problem, file=err)
        outcome = {"translations": "nothing was written", "check": "nothing was checked",
                   "bundle": "no bundle was written"}.get(arguments.command, "nothing was built")
        print(error.summary(outcome), file=err)
        return EXIT_FAILED
    except WriteError as error:
        print(f"cannot write {project.shown(error.path)}: {error.reason}; stopped, leaving no "
              "half-written file", file=err)
        return EXIT_FAILED
    except SetupError as error:
        print(error, file=err)
        return EXIT_FAILED


def _progress(project: Project, out: TextIO, err: TextIO, show=None):
    """Prints each finished leaflet as it comes; ``show(text, stream)`` prints a line (default:
    ``print``)."""
    show = show or (lambda text, stream: print(text, file=stream))

    def report(result: JobResult) -> None:
        if result.errors:
            for message in result.errors:
                show(f"{result.job.name}: {message}", err)
            return
        notes = [f"{result.pages} {'page' if result.pages == 1 else 'pages'}"]
        notes += [f"DRAFT: {reason}" for reason in _draft_reasons(result)]
        if result.example:
            notes.append("EXAMPLE: invented data, not for print")
        shown = project.shown(result.output)
        if result.up_to_date:
            show(f"up to date: {shown} ({'; '.join(notes)})", out)
            return
        show(f"built {shown} ({'; '.join(notes)}; {result.seconds:.1f} s)", out)
    return report


class _ProgressBar:
    """On a terminal: a bar below the printed lines, with the leaflet last finished, how many
    are done and an estimate of the time left. Lines go through the bar's console, above it."""

    def __init__(self, project: Project, out: TextIO, err: TextIO):
        self.bar = Progress(BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            TextColumn("{task.description}"), console=_console(out),
                            transient=True, redirect_stdout=False, redirect_stderr=False)
        self.task = None
        self.lines = _progress(project, out, err, self._show)
        self.err = err

    def _show(self, text: str, stream: TextIO) -> None:
        if stream is self.err and not self.err.isatty():
            print(text, file=stream)
        else:
            self.bar.console.print(Text(text))

    def planned(self, jobs: int, to_build: int) -> None:
        if to_build:
            self.task = self.bar.add_task("", total=to_build)
            self.bar.start()

    def report(self, result: JobResult) -> None:
        self.lines(result)
        if self.task is not None and not result.up_to_date:
            self.bar.update(self.task, advance=1, description=result.job.name)

    def stop(self) -> None:
        self.bar.stop()


def _build(project: Project, options: BuildOptions, out: TextIO, err: TextIO) -> int:
    if out.isatty():
        bar = _ProgressBar(project, out, err)
        try:
            outcome = build(project, options, on_result=bar.report, on_planned=bar.planned)
        finally:
            bar.stop()
    else:
        outcome = build(project, options, on_result=_progress(project, out, err))
    for path in outcome.leftovers:
        print(f"removed {project.shown(path)}: left by an interrupted build", file=out)
    for path in outcome.removed:
        print(f"removed {project.shown(path)}: no campaign makes it any more", file=out)
    up_to_date = sum(1 for r in outcome.results if r.up_to_date)
    built = len(outcome.results) - len(outcome.failed) - up_to_date
    summary = (f"{built} leaflets built, " + (f"{up_to_date} up to date, " if up_to_date else "")
               + f"{len(outcome.drafts)} drafts, {len(outcome.failed)} failed, "
               f"in {outcome.seconds:.1f} s")
    print(summary, file=err if outcome.failed else out)
    if outcome.drafts:
        reasons = {r.job.name: _draft_reasons(r) + (["example data"] if r.example else [])
                   for r in outcome.drafts}
        print("drafts, not for print: " + ", ".join(
            f"{name} ({'; '.join(why)})" for name, why in reasons.items()), file=out)
    return EXIT_FAILED if outcome.failed else EXIT_OK


def _bundle(project: Project, campaign_id: str, marks: bool, out: TextIO, err: TextIO) -> int:
    from .bundle import make_bundle

    outcome = make_bundle(project, campaign_id, reference_date(), marks,
                          on_result=_progress(project, out, err))
    if outcome.refusals:
        print(f"the print bundle of {campaign_id} is refused:", file=err)
        for reason in outcome.refusals:
            print(f"  {reason}", file=err)
        print(f"{len(outcome.refusals)} {'reason' if len(outcome.refusals) == 1 else 'reasons'}"
              f"; no bundle was written.", file=err)
        return EXIT_FAILED
    size = outcome.path.stat().st_size / 1e6
    print(f"bundle {project.shown(outcome.path)}: {len(outcome.entries)} files, {size:.1f} MB, "
          f"in {outcome.seconds:.1f} s", file=out)
    return EXIT_OK


def _check(project: Project, pdfs: list[Path], out: TextIO, err: TextIO) -> int:
    from .preflight import check_files

    outcome = check_files(project, pdfs)
    if not outcome.reports:
        print(f"no PDFs to check in {project.shown(project.output_dir)}/", file=err)
        return EXIT_FAILED
    columns = list(dict.fromkeys(c.name for r in outcome.reports for c in r.checks))
    table = Table("file", *columns, box=box.SIMPLE_HEAD, show_edge=False)
    for report in outcome.reports:
        cells = {c.name: Text(("✓ " if c.ok else "✗ ") + c.summary, style="" if c.ok else "red")
                 for c in report.checks}
        name = report.path.name if report.expectation else f"{report.path.name} (not ours)"
        table.add_row(name, *[cells.get(column, Text("")) for column in columns])
    _console(out).print(table)
    for report in outcome.failed:
        for failure in report.failures:
            print(f"{project.shown(report.path)}: {failure}", file=err)
    summary = (f"{len(outcome.reports)} PDFs checked, {len(outcome.failed)} failed, "
               f"in {outcome.seconds:.1f} s")
    print(summary, file=err if outcome.failed else out)
    return EXIT_FAILED if outcome.failed else EXIT_OK


def _console(out: TextIO) -> Console:
    """Rich output sized for a terminal, or wide enough for a log file."""
    return Console(file=out, width=None if out.isatty() else 320, highlight=False)


def _draft_reasons(result: JobResult) -> list[str]:
    return ([f"{result.missing} untranslated"] if result.missing else []) + \
        [f"unverified hotline {h}" for h in result.unverified]


def _translations(project: Project, arguments: argparse.Namespace, out: TextIO,
                  err: TextIO) -> int:
    if arguments.action == "check":
        return _check_translations(project, out, err)
    campaigns = load_campaigns(project, load_hotlines(project))
    if arguments.action == "extract":
        for path, changed in translations.extract(project, campaigns).items():
            print(f"{'written' if changed else 'unchanged'}: {path}", file=out)
    elif arguments.action == "update":
        for path, status in translations.update(project, campaigns,
                                                arguments.locale or None).items():
            print(f"{status}: {path}", file=out)
    elif arguments.action == "init":
        for path, status in translations.init_locale(project, campaigns,
                                                     arguments.locale).items():
            print(f"{status}: {path}", file=out)
        print(f"Every campaign is now also built in '{arguments.locale}', as a DRAFT until its "
              f"catalogs are complete. Translate the files above, then run "
              f"`python build.py build --locale {arguments.locale} --keep-html`.", file=out)
    elif arguments.action == "status":
        _print_status(translations.status(project, campaigns), arguments.json, out)
    elif arguments.action == "where":
        from .locate import where

        _print_places(where(project, campaigns, arguments.query, arguments.locale),
                      arguments.locale, out)
    return EXIT_OK


def _print_places(entries: list[EntryPlaces], locale: str, out: TextIO) -> None:
    for entry in entries:
        context, msgid = entry.key
        print(f"{excerpt(msgid, 60)}" + (f" (msgctxt {context!r})" if context else "") + ":",
              file=out)
        for place in entry.placements:
            print(f"  {place.campaign} {place.format} page {place.page} "
                  f"({', '.join(place.sources)})", file=out)
        if not entry.placements:
            print(f"  on no page of the '{locale}' leaflets: it is printed only on some of them "
                  "(a DRAFT or UNVERIFIED stamp, an edition line)", file=out)


def _check_translations(project: Project, out: TextIO, err: TextIO) -> int:
    problems, checked = translations.check(project)
    for problem in sorted(problems, key=lambda p: p.sort_key()):
        print(problem, file=err)
    if problems:
        print(f"{count_problems(problems)} ({checked} catalogs checked).", file=err)
        return EXIT_FAILED
    print(f"{checked} catalogs checked: no problems.", file=out)
    return EXIT_OK


def _print_status(rows: list[translations.CatalogStatus], as_json: bool, out: TextIO) -> None:
    if as_json:
        print(json.dumps([{**dataclasses.asdict(row), "complete": row.complete} for row in rows],
                         indent=2, ensure_ascii=False), file=out)
        return
    table = Table(box=box.SIMPLE_HEAD)
    for heading in ("campaign", "locale", "translated", "fuzzy", "untranslated", "words left",
                    "state"):
        table.add_column(heading, justify="left" if heading in ("campaign", "locale", "state")
                         else "right")
    for row in rows:
        state = ("no catalog: run translations update" if not row.exists else
                 "out of date: run translations update" if row.out_of_date else
                 "complete" if row.complete else "in progress")
        table.add_row(row.domain, row.locale, str(row.translated), str(row.fuzzy),
                      str(row.untranslated), str(row.words_left), state)
    _console(out).print(table)

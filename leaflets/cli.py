"""The command line. Thin: stages return results, this module prints them and sets the exit status."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .files import WriteError
from .inputs.campaigns import SOURCE_LOCALE, Campaign
from .inputs.printconfig import (
    N_UP,
    PAPERS,
    SHEET_COLOURS,
    SPREADS,
    Imposition,
    Paper,
    SheetRequest,
    load_imposition,
    remove_other_sheets,
)
from .loading import load_inputs
from .pipeline import (
    VARIANTS,
    BuildOptions,
    BuildResult,
    Built,
    Failed,
    JobResult,
    build,
    check_pdfs,
    import_typesetter,
    untranslated_texts,
)
from .press import output_intent
from .press.output_intent import OutputIntent
from .press.pdfx import source_date
from .preview.gallery import GalleryUpdate, refresh_gallery, update_gallery
from .problems import InputError, SetupError, count_problems
from .project import Project
from .translation import translations
from .translation.pofile import excerpt

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID

    from .preview.serve import Rebuild
    from .translation.locate import EntryPlaces

# The bundle, check and where commands import what typesets and reads PDFs (WeasyPrint, pikepdf,
# pypdfium2) when they run: a build with nothing to do never imports them. Rich (tables, the
# progress bar) is imported where it prints: a build whose output is a log file prints lines.

EXIT_OK, EXIT_FAILED = 0, 1
EXIT_INTERRUPTED = 130  # as a shell reports a command stopped by Ctrl-C


OUTPUT_INTENT_HELP = ("the printing condition: a registered identifier (FOGRA39, FOGRA51 …) "
                      "and/or the printer's ICC file in the project; default: print.yaml")


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
    build_parser.add_argument("--pseudo", action="store_true",
                              help="build a pseudo-translation (en-XA): the English a third "
                              "longer in look-alike letters, to see what will not fit")
    _output_intent_argument(build_parser)
    build_parser.add_argument("--variant", action="append", default=[], choices=VARIANTS,
                              help="print (PDF/X-4, CMYK, bleed) or screen (the digital twin: "
                              "RGB, tagged, links, <300 KB, named …_screen.pdf); default both")
    _sheet_arguments(build_parser)
    build_parser.add_argument("--n-up", action="store_true",
                              help="also write cut sheets for an office printer: as many cards "
                              "or leaflets as the paper holds (4 × A6, 2 × A5 on A4), cut marks, "
                              "a 5 mm unprintable margin, backs behind fronts for duplex on the "
                              "long edge: …_4-up-a4-rgb.pdf")
    build_parser.add_argument("--paper", type=_paper, default=Paper.parse("A4"),
                              metavar="PAPER", help=f"paper of the --n-up sheets: "
                              f"{', '.join(PAPERS)} or WIDTHxHEIGHT in mm (default A4)")
    build_parser.add_argument("--sheet-colour", choices=SHEET_COLOURS, default="rgb",
                              help="colour of the --n-up sheets: rgb (converted through the "
                              "CMYK profile, for office printers; the default) or cmyk")

    check_parser = commands.add_parser(
        "check", help="preflight PDFs: boxes, fonts, colour, type size, QR codes "
        "(default: every PDF in output/)")
    check_parser.add_argument("pdfs", nargs="*", type=Path, metavar="PDF")
    _output_intent_argument(check_parser)

    bundle_parser = commands.add_parser(
        "bundle", help="build, preflight and pack one campaign for the printer into "
        "output/<campaign>/<campaign>_print-bundle.zip")
    bundle_parser.add_argument("campaign", metavar="CAMPAIGN")
    bundle_parser.add_argument("--marks", action="store_true",
                               help="print PDFs with crop marks outside the bleed")
    _sheet_arguments(bundle_parser)
    _output_intent_argument(bundle_parser)

    serve_parser = commands.add_parser(
        "serve", help="serve the gallery on 127.0.0.1 and rebuild as campaigns, templates and "
        "catalogs change; the page reloads itself")
    serve_parser.add_argument("--port", type=_port, default=8000,
                              help="the port on 127.0.0.1 (default: 8000)")
    serve_parser.add_argument("--jobs", type=_positive, metavar="N",
                              help="leaflets built at once (default: one per processor core)")

    translations_parser = commands.add_parser("translations", help="manage the gettext catalogs")
    actions = translations_parser.add_subparsers(dest="action", required=True)
    actions.add_parser("extract", help="write locales/*.pot from the campaigns and templates")
    update_parser = actions.add_parser("update", help="create or merge every locale's .po files")
    update_parser.add_argument("--locale", action="append", default=[], metavar="L")
    status_parser = actions.add_parser("status", help="how far each catalog is translated")
    status_parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    check_translations_parser = actions.add_parser(
        "check", help="check the .po files: placeholders, numbers, addresses, markup, length "
        "budgets, plural forms, headers, a QA tool's warnings; then what is left to translate")
    check_translations_parser.add_argument("--locale", action="append", default=[],
                                           metavar="L", help="only this language (repeatable)")
    check_translations_parser.add_argument("files", nargs="*", type=Path, metavar="FILE",
                                           help="only these .po files")
    init_parser = actions.add_parser("init", help="start a new language: a catalog for every "
                                     "campaign and the templates")
    init_parser.add_argument("locale", metavar="LOCALE", help="a CLDR code such as ka, uz or fa")
    where_parser = actions.add_parser("where", help="the leaflets and pages that print an entry")
    where_parser.add_argument("query", metavar="MSGID-OR-PATH",
                              help="the English text (msgid) or its path, e.g. content.headline")
    where_parser.add_argument("--locale", default=SOURCE_LOCALE, metavar="L",
                              help="lay out the leaflets in this language (default: en)")
    return parser


def _output_intent_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output-intent", action="append", default=[], metavar="ID|ICC",
                        help=OUTPUT_INTENT_HELP)


def _sheet_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--impose", action="store_true",
                        help="also write printer's spreads of every booklet for saddle "
                        "stitching (…_spreads.pdf), with crop marks and creep from print.yaml")


def _paper(text: str) -> Paper:
    try:
        return Paper.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got {text!r}")
    return int(text)


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    # What is imported lives as long as the process: the garbage collector's passes while the
    # inputs are read need not walk it again (they cost a build with nothing to do a tenth of its
    # time), and forked workers do not copy the memory it is in by touching it. Unfrozen on
    # return, for a caller that goes on (the tests run commands in their own process).
    gc.freeze()
    try:
        return _main(argv, stdout, stderr)
    finally:
        gc.unfreeze()


def _main(argv: list[str] | None, stdout: TextIO | None, stderr: TextIO | None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    arguments = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    project = Project(arguments.project)
    try:
        with _stopped_as_by_ctrl_c():
            return _run(project, arguments, out, err)
    except KeyboardInterrupt:
        print("interrupted: the leaflets built so far are in output/; run the command again "
              "to finish", file=err)
        return EXIT_INTERRUPTED
    except InputError as error:
        for problem in error.problems:
            print(problem, file=err)
        outcome = {"translations": "nothing was written", "check": "nothing was checked",
                   "bundle": "no bundle was written"}.get(arguments.command, "nothing was built")
        print(error.summary(outcome), file=err)
    except WriteError as error:
        print(f"cannot write {project.shown(error.path)}: {error.reason}; stopped, leaving no "
              "half-written file", file=err)
    except SetupError as error:
        print(error, file=err)
    return EXIT_FAILED


# Stop the command as Ctrl-C does; SIGHUP: its terminal was closed.
STOPPING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


@contextmanager
def _stopped_as_by_ctrl_c() -> Iterator[None]:
    """SIGTERM (``kill``, a CI job's time limit, a service stopped) and SIGHUP (the terminal
    closed) stop the command as Ctrl-C does: workers terminated, their temporary folders and
    what they left in output/ removed, a message and no traceback. Without it the command died
    at once, its workers went on, and their fonts were left in the system's temporary folder
    (3 MB each). A signal the command was started ignoring (``nohup``) is still ignored. In the
    main thread only (where Python runs signal handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _interrupt) for number in STOPPING_SIGNALS
                if signal.getsignal(number) is not signal.SIG_IGN}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _interrupt(signal_number: int, frame: object) -> None:
    raise KeyboardInterrupt


def _run(project: Project, arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    epoch = source_date()  # the environment is read here, once: a wrong value stops at once
    if arguments.command == "translations":
        return _translations(project, arguments, epoch, out, err)
    intent = output_intent.resolve(project, tuple(getattr(arguments, "output_intent", ())))
    if arguments.command == "check":
        return _check(project, arguments.pdfs, intent, epoch, out, err)
    if arguments.command == "serve":
        return _serve(project, arguments.port, BuildOptions(
            jobs=arguments.jobs, source_date=epoch, output_intent=intent), out, err)
    # print.yaml is read before anything is built: a mistake in it stops the command.
    imposition = load_imposition(project) if getattr(arguments, "impose", False) else None
    if arguments.command == "bundle":
        return _bundle(project, arguments.campaign, BuildOptions(
            marks=arguments.marks, source_date=epoch, output_intent=intent), imposition, out,
            err)
    if arguments.command != "build":  # no command: build everything
        return _build(project, BuildOptions(source_date=epoch, output_intent=intent),
                      SheetRequest(), Imposition(), out, err)
    options = BuildOptions(tuple(arguments.campaigns), tuple(arguments.locale),
                           tuple(arguments.format), arguments.strict, arguments.keep_html,
                           arguments.marks, tuple(arguments.variant) or VARIANTS, arguments.jobs,
                           arguments.force, arguments.pseudo, epoch, intent)
    sheets = SheetRequest(arguments.impose, arguments.n_up, arguments.paper,
                          arguments.sheet_colour)
    return _build(project, options, sheets, imposition or Imposition(), out, err)


def _progress(project: Project, out: TextIO, err: TextIO,
              show: Callable[[str, TextIO], None] | None = None) -> Callable[[JobResult], None]:
    """Prints each finished leaflet as it comes; ``show(text, stream)`` prints a line (default:
    ``print``)."""
    def printed(text: str, stream: TextIO) -> None:
        print(text, file=stream)

    show = show or printed

    def report(result: JobResult) -> None:
        if isinstance(result, Failed):
            for failure in result.failures:
                show(f"{result.job.name}: {failure}", err)
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
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            TextColumn("{task.description}"), console=_console(out),
                            transient=True, redirect_stdout=False, redirect_stderr=False)
        self.task: TaskID | None = None
        self.lines = _progress(project, out, err, self._show)
        self.err = err

    def _show(self, text: str, stream: TextIO) -> None:
        from rich.text import Text

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
        if self.task is not None and not (isinstance(result, Built) and result.up_to_date):
            self.bar.update(self.task, advance=1, description=result.job.name)

    def stop(self) -> None:
        self.bar.stop()


def _build(project: Project, options: BuildOptions, sheets: SheetRequest,
           imposition: Imposition, out: TextIO, err: TextIO) -> int:
    if out.isatty():
        bar = _ProgressBar(project, out, err)
        try:
            outcome = build(project, options, on_result=bar.report, on_planned=bar.planned)
        finally:
            bar.stop()
    else:
        outcome = build(project, options, on_result=_progress(project, out, err))
    # Also without --impose or --n-up: the sheets of an older version of a leaflet are removed.
    sheets_failed = _write_sheets(project, outcome.results, sheets, imposition, out, err)
    _print_outcome(project, outcome, update_gallery(project, options, outcome), out, err)
    return EXIT_FAILED if outcome.failed or sheets_failed else EXIT_OK


def _print_outcome(project: Project, outcome: BuildResult, gallery: GalleryUpdate | None,
                   out: TextIO, err: TextIO) -> None:
    for path in outcome.leftovers:
        print(f"removed {project.shown(path)}: left by an interrupted build", file=out)
    for path in outcome.removed:
        print(f"removed {project.shown(path)}: no campaign makes it any more", file=out)
    up_to_date = sum(1 for r in outcome.built if r.up_to_date)
    built = len(outcome.built) - up_to_date
    summary = (f"{built} leaflets built, " + (f"{up_to_date} up to date, " if up_to_date else "")
               + f"{len(outcome.drafts)} drafts, {len(outcome.failed)} failed, "
               f"in {outcome.seconds:.1f} s")
    print(summary, file=err if outcome.failed else out)
    if outcome.drafts:
        reasons = {r.job.name: _draft_reasons(r) + (["example data"] if r.example else [])
                   for r in outcome.drafts}
        print("drafts, not for print:", file=out)
        for name, why in reasons.items():
            print(f"  {name}: {'; '.join(why)}", file=out)
    if gallery is not None:  # None: output/.gallery could not be written, and said why
        print(f"gallery: {project.shown(gallery.path)} ({gallery.images_rendered} page images "
              f"rendered, {gallery.seconds:.1f} s)", file=out)


def _serve(project: Project, port: int, options: BuildOptions, out: TextIO, err: TextIO) -> int:
    import_typesetter()
    from .preview.serve import HOST, Preview  # its web server and file watcher: only here

    def rebuilt(done: Rebuild) -> None:
        if done.outcome is not None:
            _print_outcome(project, done.outcome, done.gallery, out, err)
        for problem in done.problems:
            print(problem, file=err)
        if done.problems:
            print(InputError(done.problems).summary("nothing was built; the gallery shows "
                                                    "why"), file=err)
        if done.error:
            print(done.error, file=err)

    try:
        preview = Preview(project, port, options, on_result=_progress(project, out, err),
                          on_rebuild=rebuilt)
    except OSError as error:
        print(f"cannot serve on {HOST}:{port}: {error.strerror or error}", file=err)
        return EXIT_FAILED
    try:
        preview.start()
        print(f"serving the gallery on {preview.url}, rebuilding as "
              f"{', '.join(project.shown(p) + '/' for p in preview.watched())} change "
              "(Ctrl-C stops)", file=out, flush=True)
        preview.wait()
    except KeyboardInterrupt:
        pass
    preview.stop()
    print("stopped", file=out)
    return EXIT_OK


def _write_sheets(project: Project, results: list[JobResult], request: SheetRequest,
                  imposition: Imposition, out: TextIO, err: TextIO) -> bool:
    """Writes the sheets asked for and says what was made; True if a sheet could not be."""
    if not (request.impose or request.n_up):  # only the sheets of older versions go
        remove_other_sheets([r.job.output for r in results if r.job.variant == "print"], set())
        return False
    from .press.imposition import write_sheets_of_build  # pikepdf and the PDF readers

    made = write_sheets_of_build(results, request, imposition)
    for sheets in made:
        if sheets.error is None:
            print(f"sheets {project.shown(sheets.path)} ({sheets.description})", file=out)
        else:
            print(f"no {sheets.kind} of {project.shown(sheets.leaflet)}: {sheets.error}",
                  file=err)
    printed = any(isinstance(r, Built) for r in results if r.job.variant == "print")
    for asked, kind, why in ((request.impose, SPREADS, "there is no booklet (4, 8, 12 … pages) "
                              "among the leaflets built"),
                             (request.n_up, N_UP, "there are only booklets among the leaflets "
                              "built: they are imposed with --impose")):
        if asked and not any(s.kind == kind for s in made):
            print(f"no {kind}: " + (why if printed else "they are made from print PDFs, and "
                                    "none was built"), file=out)
    return any(s.error for s in made)


def _bundle(project: Project, campaign_id: str, options: BuildOptions,
            imposition: Imposition | None, out: TextIO, err: TextIO) -> int:
    import_typesetter()
    from .press.bundle import Refused, make_bundle

    outcome = make_bundle(project, campaign_id, options, imposition,
                          on_result=_progress(project, out, err))
    for warning in outcome.warnings:
        print(f"warning: {warning}", file=err)
    if isinstance(outcome, Refused):
        print(f"the print bundle of {outcome.campaign_id} is refused:", file=err)
        for reason in outcome.refusals:
            print(f"  {reason}", file=err)
        print(f"{len(outcome.refusals)} {'reason' if len(outcome.refusals) == 1 else 'reasons'}"
              f"; no bundle was written.", file=err)
        return EXIT_FAILED
    refresh_gallery(project)
    size = outcome.path.stat().st_size / 1e6
    print(f"bundle {project.shown(outcome.path)}: {len(outcome.entries)} files, {size:.1f} MB, "
          f"in {outcome.seconds:.1f} s", file=out)
    return EXIT_OK


def _check(project: Project, pdfs: list[Path], intent: OutputIntent,
           epoch: dt.datetime | None, out: TextIO, err: TextIO) -> int:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    import_typesetter()
    outcome = check_pdfs(project, pdfs, intent, epoch)
    if not outcome.reports:
        print(f"no PDFs to check in {project.shown(project.output_dir)}/", file=err)
        return EXIT_FAILED
    columns = list(dict.fromkeys(c.name for r in outcome.reports for c in r.checks))
    names = [report.path.name if report.expectation else f"{report.path.name} (not ours)"
             for report in outcome.reports]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    # The file names whole, however narrow the terminal: the other columns wrap instead, so
    # that a print file and its screen twin are never cut to the same name.
    table.add_column("file", no_wrap=True, min_width=max(map(len, names)))
    for column in columns:
        table.add_column(column)
    for name, report in zip(names, outcome.reports):
        cells = {c.name: Text(("✓ " if c.ok else "✗ ") + c.summary, style="" if c.ok else "red")
                 for c in report.checks}
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
    from rich.console import Console

    return Console(file=out, width=None if out.isatty() else 320, highlight=False)


def _draft_reasons(result: JobResult) -> list[str]:
    untranslated = "pseudo-translation" if result.job.locale == translations.PSEUDO_LOCALE \
        else untranslated_texts(result)
    return ([untranslated] if result.missing else []) + \
        [f"unverified hotline {h}" for h in result.unverified]


def _translations(project: Project, arguments: argparse.Namespace, epoch: dt.datetime | None,
                  out: TextIO, err: TextIO) -> int:
    if arguments.action == "check":
        return _check_translations(project, arguments.locale, arguments.files, out, err)
    campaigns = load_inputs(project, epoch).campaigns
    if arguments.action == "extract":
        for path, changed in translations.extract(project, campaigns).items():
            print(f"{'written' if changed else 'unchanged'}: {path}", file=out)
    elif arguments.action == "update":
        for path, status in translations.update(project, campaigns,
                                                arguments.locale or None).items():
            print(f"{status}: {path}", file=out)
    elif arguments.action == "init":
        _init_locale(project, campaigns, arguments.locale, out)
    elif arguments.action == "status":
        _print_status(translations.status(project, campaigns), arguments.json, out)
    elif arguments.action == "where":
        import_typesetter()
        from .translation.locate import where

        _print_places(where(project, campaigns, arguments.query, arguments.locale, epoch),
                      arguments.locale, out)
    return EXIT_OK


def _init_locale(project: Project, campaigns: list[Campaign], locale: str, out: TextIO) -> None:
    results = translations.init_locale(project, campaigns, locale)
    for path, status in results.items():
        print(f"{status}: {path}", file=out)
    if "exists" not in results.values():
        print(f"Every campaign is now also built in '{locale}', as a DRAFT until its "
              f"catalogs are complete. Translate the files above, then run "
              f"`python build.py build --locale {locale} --keep-html`.", file=out)
    else:
        created = "created the catalogs it lacked (above); " \
            if "created" in results.values() else ""
        print(f"'{locale}' was already started: {created}existing catalogs were left as "
              f"they are. To bring them up to date with the English, run "
              f"`python build.py translations update --locale {locale}`.", file=out)


def _print_places(entries: list[EntryPlaces], locale: str, out: TextIO) -> None:
    for entry in entries:
        context, msgid = entry.key
        found_as = [f"{language} {excerpt(text, 60)}"
                    for language, text in entry.translations.items()]
        notes = ([f"msgctxt {context!r}"] if context else []) + found_as
        print(excerpt(msgid, 60) + (f" ({'; '.join(notes)})" if notes else "") + ":", file=out)
        for place in entry.placements:
            print(f"  {place.campaign} {place.format} page {place.page} "
                  f"({', '.join(place.sources)})", file=out)
        if not entry.placements:
            print(f"  on no page of the '{locale}' leaflets: it is printed only on some of them "
                  "(a DRAFT or UNVERIFIED stamp, an edition line)", file=out)


def _check_translations(project: Project, locales: list[str], files: list[Path],
                        out: TextIO, err: TextIO) -> int:
    report = translations.check(project, locales or None, files or None)
    for problem in sorted(report.problems, key=lambda p: p.sort_key()):
        print(problem, file=err)
    for warning in sorted(report.warnings, key=lambda p: p.sort_key()):
        print(warning, file=out)
    unfinished = [c for c in report.catalogs if c.fuzzy or c.untranslated]
    for catalog in unfinished:
        print(f"{catalog.file}: {_count(catalog.fuzzy, 'fuzzy entry', 'fuzzy entries')}, "
              f"{catalog.untranslated} untranslated", file=out)
    checked = f"{_count(report.checked, 'catalog', 'catalogs')} checked"
    found = [_count(len(report.warnings), "warning", "warnings")] if report.warnings else []
    if unfinished:
        fuzzy = sum(c.fuzzy for c in unfinished)
        untranslated = sum(c.untranslated for c in unfinished)
        found.append(f"{_count(fuzzy, 'fuzzy entry', 'fuzzy entries')} and {untranslated} "
                     f"untranslated in {_count(len(unfinished), 'catalog', 'catalogs')}: "
                     "the leaflets stay DRAFTs until each is translated and confirmed")
    if report.problems:
        print(f"{count_problems(report.problems)} ({'; '.join([checked, *found])}).", file=err)
        return EXIT_FAILED
    verdict = "no errors, but" if found else "no problems"
    print(f"{checked}: {verdict} {'; '.join(found)}".rstrip() + ".", file=out)
    return EXIT_OK


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _print_status(rows: list[translations.CatalogStatus], as_json: bool, out: TextIO) -> None:
    if as_json:
        print(json.dumps([{**dataclasses.asdict(row), "complete": row.complete} for row in rows],
                         indent=2, ensure_ascii=False), file=out)
        return
    from rich import box
    from rich.table import Table

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

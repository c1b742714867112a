"""A second build skips every leaflet whose inputs did not change, and only those."""

from __future__ import annotations

import importlib.metadata
import io
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from samples import CAMPAIGN, HOTLINES, POSTER_SIGNS, too_long
from leaflets.cli import main
from leaflets.pipeline import RECORDS_DIR, import_by_soname, installed_metadata
from leaflets.project import BUILTIN_TEMPLATES
from pdfcheck import text

EN_ONLY = CAMPAIGN.replace("locales: [az, ru, en]", "locales: [en, ru]")


def built_names(run) -> list[str]:
    return sorted(line.split()[1].rsplit("/", 1)[-1] for line in run.out.splitlines()
                  if line.startswith("built "))


@pytest.mark.slow
def test_unchanged_leaflets_are_up_to_date(project):
    project.write("campaigns/test.yaml", EN_ONLY)
    first = project.run("build", "--variant", "print")
    assert built_names(first) == ["test_a5-leaflet_en.pdf", "test_a5-leaflet_ru.pdf"]
    again = project.run("build", "--variant", "print")
    assert again.status == 0
    assert built_names(again) == []
    assert "0 leaflets built, 2 up to date" in again.out
    assert "up to date: output/test/test_a5-leaflet_ru.pdf (2 pages; DRAFT" in again.out


@pytest.mark.slow
def test_a_changed_catalog_rebuilds_only_its_locale(project):
    project.write("campaigns/test.yaml", EN_ONLY)
    project.run("build", "--variant", "print")
    project.write("locales/ru/LC_MESSAGES/test.po",
                  'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\nmsgid "A headline"\nmsgstr "Заголовок"\n')
    assert built_names(project.run("build", "--variant", "print")) == ["test_a5-leaflet_ru.pdf"]


@pytest.mark.slow
def test_a_changed_template_or_campaign_rebuilds_everything_it_touches(project):
    """A campaign's leaflets depend on its file; every leaflet depends on every template (they
    include one another by computed names)."""
    english = CAMPAIGN.replace("locales: [az, ru, en]", "locales: [en]")
    project.write("campaigns/test.yaml", english)
    project.write("campaigns/other.yaml", english.replace("A headline", "Other headline"))
    shutil.copytree(BUILTIN_TEMPLATES, project.root / "templates")
    first = project.run("build", "--variant", "print")
    assert first.status == 0, first.err
    assert built_names(first) == ["other_a5-leaflet_en.pdf", "test_a5-leaflet_en.pdf"]

    project.write("campaigns/test.yaml", english.replace("A headline", "Another headline"))
    campaign_changed = project.run("build", "--variant", "print")
    assert campaign_changed.status == 0, campaign_changed.err
    assert built_names(campaign_changed) == ["test_a5-leaflet_en.pdf"]
    assert "Another headline" in text(project.root / "output/test/test_a5-leaflet_en.pdf")

    template = project.root / "templates/formats/a5-leaflet.html"
    size = ".format-a5-leaflet { font-size: 10.5pt; }"
    assert size in template.read_text(encoding="utf-8")
    template.write_text(template.read_text(encoding="utf-8").replace(size, size.replace(
        "10.5pt", "10pt")), encoding="utf-8")
    template_changed = project.run("build", "--variant", "print")
    assert template_changed.status == 0, template_changed.err
    assert built_names(template_changed) == ["other_a5-leaflet_en.pdf", "test_a5-leaflet_en.pdf"]
    assert built_names(project.run("build", "--variant", "print")) == []


@pytest.mark.slow
def test_a_replaced_or_removed_pdf_is_built_again(project):
    project.write("campaigns/test.yaml", EN_ONLY)
    project.run("build", "--variant", "print")
    pdf = project.root / "output/test/test_a5-leaflet_en.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n%tampered")
    (project.root / "output/test/test_a5-leaflet_ru.pdf").unlink()
    assert built_names(project.run("build", "--variant", "print")) == [
        "test_a5-leaflet_en.pdf", "test_a5-leaflet_ru.pdf"]


@pytest.mark.slow
def test_force_marks_and_strict_are_never_satisfied_by_an_old_file(project):
    project.write("campaigns/test.yaml", EN_ONLY)
    project.run("build", "--variant", "print")
    assert len(built_names(project.run("build", "--variant", "print", "--force"))) == 2
    assert len(built_names(project.run("build", "--variant", "print", "--marks"))) == 2
    strict = project.run("build", "--variant", "print", "--strict", "--locale", "ru")
    assert strict.status == 1 and "not translated (--strict)" in strict.err


@pytest.mark.slow
def test_a_full_build_removes_leaflets_no_campaign_makes_any_more(project):
    project.write("campaigns/test.yaml", EN_ONLY.replace(
        "formats: [a5-leaflet]", "formats: [a5-leaflet, a3-poster]").replace(
        "  sections:", POSTER_SIGNS + "  sections:"))
    project.run("build", "--keep-html")
    poster = project.root / "output/test/test_a3-poster_en.pdf"
    assert poster.is_file()
    project.write("campaigns/test.yaml", EN_ONLY)
    # A partial build removes nothing: it does not know what the others would make.
    assert "removed" not in project.run("build", "--locale", "en").out
    assert poster.is_file()
    run = project.run("build")
    assert "removed output/test/test_a3-poster_en.pdf: no campaign makes it any more" in run.out
    assert "removed output/test/test_a3-poster_en_screen.html" in run.out
    names = sorted(p.name for p in (project.root / "output/test").iterdir())
    assert names == ["test_a5-leaflet_en.html", "test_a5-leaflet_en.pdf",
                     "test_a5-leaflet_en_screen.html", "test_a5-leaflet_en_screen.pdf",
                     "test_a5-leaflet_ru.html", "test_a5-leaflet_ru.pdf",
                     "test_a5-leaflet_ru_screen.html", "test_a5-leaflet_ru_screen.pdf"]


@pytest.mark.slow
def test_a_leaflet_that_fails_leaves_no_older_pdf_behind(project):
    project.write("campaigns/test.yaml", EN_ONLY)
    project.run("build", "--variant", "print", "--locale", "en")
    pdf = project.root / "output/test/test_a5-leaflet_en.pdf"
    assert pdf.is_file()
    project.write("campaigns/test.yaml", too_long(EN_ONLY))
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert run.status == 1
    assert not pdf.exists()
    assert not (project.root / "output" / RECORDS_DIR / f"{pdf.name}.json").exists()


@pytest.mark.slow
def test_an_unreadable_record_means_build_again(project):
    project.write("campaigns/test.yaml", EN_ONLY)
    project.run("build", "--variant", "print", "--locale", "en")
    (project.root / "output" / RECORDS_DIR / "test_a5-leaflet_en.pdf.json").write_text("{oops")
    assert built_names(project.run("build", "--variant", "print", "--locale", "en")) == [
        "test_a5-leaflet_en.pdf"]


@pytest.mark.slow
def test_an_input_changed_while_the_build_runs_is_built_again_next_time(project):
    from leaflets.pipeline import BuildOptions, Built, plan, run_job
    from leaflets.project import Project

    project.write("campaigns/test.yaml", EN_ONLY)
    root = Project(project.root)
    options = BuildOptions(locales=("en",), variants=("print",))
    job, = plan(root, options)
    # The registry changes after the plan read it: the PDF shows the old number...
    project.write("campaigns/hotlines.yaml", HOTLINES.replace('"916"', '"917"'))
    assert isinstance(run_job(root, job, options), Built)
    # ...so its record keeps the old inputs' fingerprint, and the next build replaces it.
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert built_names(run) == ["test_a5-leaflet_en.pdf"]


@pytest.mark.slow
def test_the_same_leaflet_asked_for_twice_is_built_once(project, capsys):
    project.write("campaigns/test.yaml", EN_ONLY)
    run = project.run("build", "test", "test", "--variant", "print", "--variant", "print",
                      "--locale", "en")
    assert built_names(run) == ["test_a5-leaflet_en.pdf"]
    with pytest.raises(SystemExit) as exit_status:
        project.run("build", "--jobs", "0")
    assert exit_status.value.code == 2
    assert "expected a whole number of at least 1" in capsys.readouterr().err


NO_OP_PROBE = """
import multiprocessing, sys
from leaflets.cli import main

def no_workers(*arguments, **options):
    raise AssertionError("a worker was started")

multiprocessing.get_context = no_workers
status = main(["--project", sys.argv[1], "build", "--variant", "print", "--jobs", "2"])
heavy = sorted(m for m in ("weasyprint", "pikepdf", "pypdfium2", "pypdf", "fontTools.subset")
               if m in sys.modules)
print(status, heavy)
"""


@pytest.mark.slow
def test_a_build_with_nothing_to_do_imports_no_typesetter_and_starts_no_worker(project):
    project.write("campaigns/test.yaml", EN_ONLY)
    root = Path(__file__).resolve().parent.parent
    # Built in a process of its own too: the test process's state (an earlier test's installed
    # packages, say) must not make the probe's fingerprints differ.
    subprocess.run([sys.executable, str(root / "build.py"), "--project", str(project.root),
                    "build", "--variant", "print"], check=True, capture_output=True, timeout=300)
    probe = subprocess.run([sys.executable, "-c", NO_OP_PROBE, str(project.root)], cwd=root,
                           capture_output=True, text=True, timeout=120)
    assert probe.stdout.splitlines()[-1:] == ["0 []"], probe.stdout + probe.stderr[-3000:]
    assert "0 leaflets built, 2 up to date" in probe.stdout


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.slow
def test_a_terminal_gets_a_progress_bar_and_the_same_lines(project):
    project.write("campaigns/test.yaml", EN_ONLY)
    out, err = _Terminal(), _Terminal()
    assert main(["--project", str(project.root), "build", "--variant", "print"], out, err) == 0
    shown = out.getvalue()
    assert "built output/test/test_a5-leaflet_en.pdf" in shown
    assert "built output/test/test_a5-leaflet_ru.pdf" in shown
    assert "2 leaflets built" in shown
    assert "━" in shown and "/2" in shown  # the bar, drawn as the leaflets were built


def test_installed_versions_and_requirements_read_as_importlib_reads_them(tmp_path):
    """The build's reading of a package's metadata header gives importlib.metadata's version
    and requirements, for every package installed here and for a header with a folded field
    and a description that names another version."""
    for distribution in importlib.metadata.distributions():
        assert installed_metadata(distribution) == (distribution.version,
                                                    list(distribution.requires or ()))
    info = tmp_path / "odd-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: odd\nSummary: one line\n folded onto two\nVersion: 1.0\n"
        "Requires-Dist: qrcode>=7\nRequires-Dist: pytest; extra == 'test'\n\n"
        "Version: 9.9\nRequires-Dist: not-a-requirement\n")
    odd = importlib.metadata.PathDistribution(info)
    assert installed_metadata(odd) == ("1.0", ["qrcode>=7", "pytest; extra == 'test'"]) \
        == (odd.version, odd.requires)


@pytest.mark.slow
def test_the_leaflets_that_took_longest_last_time_are_built_first(project):
    project.write("campaigns/test.yaml", EN_ONLY)
    first = project.run("build", "--variant", "print", "--jobs", "1")
    assert built_names(first) == ["test_a5-leaflet_en.pdf", "test_a5-leaflet_ru.pdf"]
    records = project.root / "output" / RECORDS_DIR
    for slow, fast in [("ru", "en"), ("en", "ru")]:
        for locale, seconds in [(slow, 9.5), (fast, 0.5)]:
            record = records / f"test_a5-leaflet_{locale}.pdf.json"
            record.write_text(record.read_text().replace(
                '"seconds": ', f'"seconds": {seconds}, "was": '))
        again = project.run("build", "--variant", "print", "--jobs", "1", "--force")
        assert [line.split()[1].rsplit("/", 1)[-1] for line in again.out.splitlines()
                if line.startswith("built ")] == [f"test_a5-leaflet_{slow}.pdf",
                                                   f"test_a5-leaflet_{fast}.pdf"]


@pytest.mark.slow
def test_a_build_leaves_nothing_in_the_temporary_folder(project, tmp_path):
    """The fonts WeasyPrint copies for its layouts, in the build's workers as in the build
    itself, are removed when they end (a worker ends without collecting what it holds)."""
    project.write("campaigns/test.yaml", EN_ONLY)
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    root = Path(__file__).resolve().parent.parent
    for jobs in ("2", "1"):
        built = subprocess.run([sys.executable, str(root / "build.py"), "--project",
                                str(project.root), "build", "--force", "--jobs", jobs],
                               cwd=root, env={**os.environ, "TMPDIR": str(temporary)},
                               capture_output=True, text=True)
        assert "4 leaflets built" in built.stdout, built.stdout + built.stderr
        assert sorted(temporary.iterdir()) == []


IMPORT_PROBE = """
import ctypes.util, sys
searched = []
ctypes.util.find_library = lambda name: searched.append(name)
from leaflets.pipeline import import_by_soname
import_by_soname(lambda: __import__("weasyprint"))
print("weasyprint" in sys.modules, searched)
"""


def test_the_typesetter_loads_its_libraries_by_their_sonames():
    """WeasyPrint's libraries are loaded without ctypes.util.find_library, which ran ldconfig,
    gcc and ld for every name it was asked (0.2 s of every build's start)."""
    probe = subprocess.run([sys.executable, "-c", IMPORT_PROBE], capture_output=True,
                           text=True, timeout=120, cwd=Path(__file__).resolve().parent.parent)
    assert probe.stdout.split() == ["True", "[]"], probe.stdout + probe.stderr[-2000:]


def test_modules_that_need_a_library_searched_for_are_imported_as_they_would_be(capsys):
    imported = []

    def needs_search():
        import ctypes.util
        if ctypes.util.find_library("c") is None:
            print("could not import some external libraries")
            raise OSError("libc.so.6 is not its soname here")
        imported.append(True)

    import_by_soname(needs_search)
    assert imported == [True] and capsys.readouterr().out == ""


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
@pytest.mark.parametrize("to_group", [False, True])
def test_an_interrupted_build_stops_cleanly_and_leaves_nothing_behind(project, tmp_path, stop,
                                                                       to_group):
    """Ctrl-C, SIGTERM (``kill``, a CI job's time limit) or SIGHUP (its terminal closed), sent to
    the build or to all its processes: it terminates its workers and says so, without a
    traceback, with the status a shell gives a command stopped by Ctrl-C, and leaves nothing in
    the temporary folder (the workers' copies of the fonts) or in output/ (the candidate a
    worker was preflighting)."""
    project.write("campaigns/test.yaml", CAMPAIGN)
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    root = Path(__file__).resolve().parent.parent
    build = subprocess.Popen([sys.executable, str(root / "build.py"), "--project",
                              str(project.root), "build", "--force", "--jobs", "2"], cwd=root,
                             env={**os.environ, "TMPDIR": str(temporary)},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    assert build.stdout is not None
    try:
        first = build.stdout.readline()  # a leaflet was built: the workers hold fonts
        if to_group:
            os.killpg(build.pid, stop)
        else:
            build.send_signal(stop)
        _, err = build.communicate(timeout=120)
    finally:
        build.kill()
    assert first.startswith("built ")
    assert build.returncode == 130 and "interrupted:" in err and "Traceback" not in err, err
    assert sorted(temporary.iterdir()) == []
    assert not list((project.root / "output").rglob(".check-*"))



@pytest.mark.slow
def test_a_build_started_ignoring_hangups_goes_on_when_its_terminal_closes(project):
    """``nohup python build.py``: SIGHUP was ignored when the build started, and still is."""
    project.write("campaigns/test.yaml", EN_ONLY)
    root = Path(__file__).resolve().parent.parent
    build = subprocess.Popen([sys.executable, str(root / "build.py"), "--project",
                              str(project.root), "build", "--variant", "print", "--jobs", "2"],
                             cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True,
                             preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    assert build.stdout is not None
    try:
        first = build.stdout.readline()
        os.killpg(build.pid, signal.SIGHUP)
        out, err = build.communicate(timeout=120)
    finally:
        build.kill()
    assert first.startswith("built ") and build.returncode == 0, err
    assert "2 leaflets built" in out


def kill_the_next_worker(monkeypatch, flag: Path) -> None:
    """Once ``flag`` exists, the next worker to start a leaflet is killed with SIGKILL, as the
    system kills a process when memory runs out (workers forked after this inherit it)."""
    from leaflets import pipeline

    build_one = pipeline.run_job
    parent = os.getpid()

    def killed(project, job, options):
        if os.getpid() != parent:
            try:
                flag.unlink()  # by one worker only
            except FileNotFoundError:
                pass
            else:
                os.kill(os.getpid(), signal.SIGKILL)
        return build_one(project, job, options)

    monkeypatch.setattr(pipeline, "run_job", killed)


def finished_within(seconds: float, action: Callable[[], object]) -> object:
    """What ``action`` returns, run in a thread of its own, which must end within ``seconds``
    (a test that would wait for ever fails instead)."""
    outcome: list = []
    thread = threading.Thread(target=lambda: outcome.append(action()), daemon=True)
    thread.start()
    thread.join(timeout=seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s"
    assert outcome, "the action raised (see the thread's exception above)"
    return outcome[0]


@pytest.mark.slow
def test_a_worker_killed_in_the_middle_of_a_build_stops_it_with_a_message(project, monkeypatch,
                                                                           tmp_path_factory):
    """Killed by the system when memory runs out: the leaflet it was making never comes, and
    the build waited for it for ever. It stops instead, says why, and leaves no candidate."""
    flag = tmp_path_factory.mktemp("flag") / "kill"
    kill_the_next_worker(monkeypatch, flag)
    project.write("campaigns/test.yaml", EN_ONLY)
    flag.touch()
    run = finished_within(60, lambda: project.run("build", "--force", "--jobs", "2"))
    assert run.status == 1 and "Traceback" not in run.err
    assert "a worker process was killed by signal 9 (Killed) while leaflets were being built" \
        in run.err
    assert not flag.exists()
    assert not list((project.root / "output").rglob(".check-*"))


CHECK_PROBE = """
import ctypes.util, sys
searched = []
ctypes.util.find_library = lambda name: searched.append(name)
from leaflets.cli import main
main(["--project", sys.argv[1], "check"])
print("weasyprint" in sys.modules, searched)
"""


@pytest.mark.slow
def test_check_loads_the_typesetter_s_libraries_by_their_sonames(project):
    """``check`` (as ``bundle``, ``serve`` and ``translations where``) imports WeasyPrint,
    whose libraries are loaded without ctypes.util.find_library too."""
    project.write("campaigns/test.yaml", EN_ONLY)
    assert project.run("build", "--variant", "print", "--locale", "en").status == 0
    probe = subprocess.run([sys.executable, "-c", CHECK_PROBE, str(project.root)],
                           capture_output=True, text=True, timeout=300,
                           cwd=Path(__file__).resolve().parent.parent)
    assert probe.stdout.splitlines()[-1].split() == ["True", "[]"], probe.stdout + probe.stderr

"""The live preview: `python build.py serve`, its rebuilds and what it agrees to serve."""

from __future__ import annotations

import http.client
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import sys
import time
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from samples import CAMPAIGN
from test_incremental import finished_within, kill_the_next_worker
from leaflets.pipeline import BuildOptions
from leaflets.project import Project
from leaflets.preview.serve import Preview, served_file

REPOSITORY = Path(__file__).resolve().parent.parent
RU_ONLY = CAMPAIGN.replace("locales: [az, ru, en]", "locales: [ru]")


def get(preview: Preview, path: str, host: str | None = None) -> http.client.HTTPResponse:
    """A request sent as written: ``path`` is not normalised or encoded on the way."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", f"127.0.0.1:{preview.port}" if host is None else host)
    connection.endheaders()
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def wait_for_rebuild(preview: Preview, after: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while preview.version <= after:
        assert time.monotonic() < deadline, "no rebuild after the change"
        time.sleep(0.1)


def translate_everything(project) -> None:
    for name in ("test", "templates"):
        path = project.root / f"locales/ru/LC_MESSAGES/{name}.po"
        catalog = polib.pofile(str(path))
        for entry in catalog:
            entry.msgstr = ("Звоните {hotline} сегодня." if "{hotline}" in entry.msgid
                            else f"Перевод {entry.msgid}")
            entry.msgstr = entry.msgstr.replace("Перевод Scan to call", "Сканируйте")
        catalog.save(str(path))


@pytest.fixture
def preview(project):
    """The preview of a one-leaflet project (ru, print), its catalogs started."""
    project.write("campaigns/test.yaml", RU_ONLY)
    assert project.run("translations", "update", "--locale", "ru").status == 0
    rebuilds = []
    running = Preview(Project(project.root), 0, BuildOptions(variants=("print",), jobs=1),
                      on_rebuild=rebuilds.append)
    running.rebuilds = rebuilds
    running.start()
    yield running
    running.stop()


@pytest.mark.slow
def test_the_preview_rebuilds_when_a_catalog_is_saved_and_serves_the_new_page(preview, project):
    index = get(preview, "/")
    assert index.status == 200 and b'data-status="draft"' in index.body
    assert b'<script src="/__live.js" data-version="1"></script>' in index.body
    assert get(preview, "/__version").body == b"1"
    before = get(preview, "/test/test_a5-leaflet_ru.pdf")
    assert before.status == 200 and before.body.startswith(b"%PDF")

    translate_everything(project)
    wait_for_rebuild(preview, 1)
    assert preview.rebuilds[-1].outcome.results[0].up_to_date is False
    index = get(preview, "/")
    assert b'data-status="final"' in index.body and b'data-version="2"' in index.body
    focus = get(preview, "/.gallery/test_a5-leaflet_ru_p2.html").body.decode()
    assert 'data-state="translated" data-msgid="First point."' in focus
    after = get(preview, "/test/test_a5-leaflet_ru.pdf")
    assert after.body != before.body


@pytest.mark.slow
def test_an_input_error_shows_in_the_page_until_it_is_fixed(preview, project):
    project.write("campaigns/test.yaml", RU_ONLY.replace("hotlines: [ombudsman]",
                                                         "hotlines: [no-such-line]"))
    index = index_once(preview, lambda page: "The last build stopped" in page)
    assert "The last build stopped: 1 problem in the input" in index
    assert "campaigns/test.yaml:5:" in index and "no-such-line" in index
    project.write("campaigns/test.yaml", RU_ONLY)
    index = index_once(preview, lambda page: "The last build stopped" not in page)
    assert 'data-leaflet="test_a5-leaflet_ru"' in index


def index_once(preview: Preview, shows: Callable[[str], bool], seconds: float = 120) -> str:
    """The gallery's page once ``shows`` it as expected: a file written in two steps (emptied,
    then filled) may be seen, and rebuilt from, in between, so one rebuild is not enough."""
    deadline = time.monotonic() + seconds
    while not shows(page := get(preview, "/").body.decode()):
        assert time.monotonic() < deadline, "the page never showed the change"
        time.sleep(0.1)
    return page


REFUSED = [
    "/../campaigns/test.yaml", "/..%2fcampaigns/test.yaml", "/%2e%2e/campaigns/test.yaml",
    "/%2E%2E%2Fcampaigns%2Ftest.yaml", "/test%2ftest_a5-leaflet_ru.pdf",
    "/test%5ctest_a5-leaflet_ru.pdf", "/test\\test_a5-leaflet_ru.pdf",
    "/%252e%252e/campaigns/test.yaml", "/%c0%ae%c0%ae/campaigns/test.yaml",
    "/.gallery/../../campaigns/test.yaml", "/.gallery/state.json", "/.build-records/",
    "/.build-records/test_a5-leaflet_ru.pdf.json", "/test/../index.html", "/./index.html",
    "/test//test_a5-leaflet_ru.pdf", "/index.html%00.pdf",
    "/test/test_a5-leaflet_ru.html", "/test/.check-x/test_a5-leaflet_ru.pdf",
    "/other/test_a5-leaflet_ru.pdf", "/linked/linked_a5-leaflet_ru.pdf",
    "/test/test_a5-leaflet_az.pdf", "/.gallery/link.jpg", "/etc/passwd", "index.html",
]


SERVED = ["/", "/index.html", "/.gallery/test_a5-leaflet_ru_p1.jpg",
          "/.gallery/test_a5-leaflet_ru_p1.html", "/test/test_a5-leaflet_ru.pdf"]


def plant_what_must_not_be_served(output: Path, elsewhere: Path) -> None:
    """Links out of output/ (a folder, a leaflet, a page image) and a kept HTML file."""
    outside = elsewhere / "secret.pdf"
    outside.write_bytes(b"%PDF secret")
    (output / "linked").symlink_to(elsewhere)  # a linked folder, and linked files
    (elsewhere / "linked_a5-leaflet_ru.pdf").write_bytes(b"%PDF secret")
    (output / "test" / "test_a5-leaflet_az.pdf").symlink_to(outside)
    (output / ".gallery" / "link.jpg").symlink_to(outside)
    (output / "test" / "test_a5-leaflet_ru.html").write_text("<p>kept HTML</p>")


def test_only_the_gallery_s_files_are_served_whatever_the_path(project, tmp_path_factory):
    """What a build leaves in output/, written by hand: the unit test of the server's rule."""
    output = project.root / "output"
    for name in ("index.html", ".gallery/test_a5-leaflet_ru_p1.jpg",
                 ".gallery/test_a5-leaflet_ru_p1.html", ".gallery/state.json",
                 "test/test_a5-leaflet_ru.pdf", "test/.check-x/test_a5-leaflet_ru.pdf",
                 ".build-records/test_a5-leaflet_ru.pdf.json", "other/test_a5-leaflet_ru.pdf"):
        project.write(f"output/{name}", "a file")
    plant_what_must_not_be_served(output, tmp_path_factory.mktemp("elsewhere"))
    assert [path for path in REFUSED if served_file(output, path) is not None] == []
    assert [served_file(output, path) for path in SERVED] == [
        output / "index.html", output / "index.html", *(output / p[1:] for p in SERVED[2:])]


@pytest.mark.slow
def test_the_server_serves_only_the_gallery_and_the_leaflets(preview, project, tmp_path):
    output = project.root / "output"
    plant_what_must_not_be_served(output, tmp_path)
    for path in REFUSED:
        response = get(preview, path) if path.startswith("/") else None
        assert response is None or (response.status == 404 and b"secret" not in response.body
                                    and b"title:" not in response.body), path
        assert served_file(output, path) is None, path
    for path in SERVED:
        assert get(preview, path).status == 200, path


@pytest.mark.slow
def test_the_server_answers_only_to_its_own_address_with_a_strict_policy(preview):
    for host in ("evil.example", f"evil.example:{preview.port}", "127.0.0.1:1", ""):
        assert get(preview, "/", host=host).status == 403, host
    assert get(preview, "/", host=f"localhost:{preview.port}").status == 200
    response = get(preview, "/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert preview.server.server_address[0] == "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_serving(project, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(REPOSITORY / "build.py"), "--project", str(project.root), "serve",
         "--port", str(port), "--jobs", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=REPOSITORY, env={**os.environ, "PYTHONPATH": str(REPOSITORY)})


@pytest.mark.slow
def test_serve_from_the_command_line_stops_cleanly_on_ctrl_c(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    port = free_port()
    process = start_serving(project, port)
    try:
        lines = []
        while not any("serving the gallery" in line for line in lines):
            line = process.stdout.readline()
            assert line, process.stderr.read()
            lines.append(line)
        assert f"serving the gallery on http://127.0.0.1:{port}/" in lines[-1]
        assert any("gallery: output/index.html" in line for line in lines)
        busy = project.run("serve", "--port", str(port))
        assert busy.status == 1 and f"cannot serve on 127.0.0.1:{port}:" in busy.err
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert out.strip().endswith("stopped") and "Traceback" not in err


@pytest.mark.slow
def test_serve_stopped_by_sigterm_to_all_its_processes_ends_its_workers_and_cleans_up(
        project, tmp_path):
    """``kill`` of the preview's process group (a service stopped) after a rebuild with kept
    workers: it stops as on Ctrl-C, and nothing of its workers is left running or in the
    temporary folder."""
    project.write("campaigns/test.yaml", RU_ONLY)
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    process = subprocess.Popen(
        [sys.executable, str(REPOSITORY / "build.py"), "--project", str(project.root), "serve",
         "--port", str(free_port()), "--jobs", "2"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, cwd=REPOSITORY, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY), "TMPDIR": str(temporary)})
    try:
        while "serving the gallery" not in (line := process.stdout.readline()):
            assert line, process.stderr.read()
        project.write("campaigns/test.yaml", RU_ONLY.replace("headline: A headline", "headline: Another headline"))
        while not (line := process.stdout.readline()).startswith("gallery:"):
            assert line, process.stderr.read()  # rebuilt by the kept workers
        os.killpg(process.pid, signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0 and out.strip().endswith("stopped"), err
    assert "Traceback" not in err
    assert sorted(temporary.iterdir()) == []


@pytest.mark.slow
def test_ctrl_c_during_the_first_build_stops_cleanly_too(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    process = start_serving(project, free_port())
    try:
        first = process.stdout.readline()  # the print file is built; the screen twin is next
        assert first.startswith("built "), process.stderr.read()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert out.strip().endswith("stopped") and "Traceback" not in err
    assert not list((project.root / "output").rglob(".check-*"))


@pytest.mark.slow
def test_a_rebuild_reads_print_yaml_again_and_watches_it(project):
    """The printing condition is not fixed when the preview starts: a print.yaml written, changed
    or broken later is what the next rebuild builds with, or the problem it shows."""
    import pikepdf

    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    running = Preview(Project(project.root), 0, BuildOptions(variants=("print",), jobs=1))
    try:
        first = running.rebuild()
        assert first.outcome is not None and not first.outcome.failed
        pdf = project.root / "output/test/test_a5-leaflet_en.pdf"

        def condition() -> str:
            with pikepdf.open(pdf) as document:
                return str(document.Root.OutputIntents[0].OutputConditionIdentifier)

        assert condition() != "FOGRA39"
        project.write("print.yaml", "output_intent:\n  condition: FOGRA39\n")
        assert project.root / "print.yaml" in running.watched()
        second = running.rebuild()
        assert second.outcome is not None and [r.job.name for r in second.outcome.built]
        assert condition() == "FOGRA39"
        project.write("print.yaml", "output_intent:\n  condition: FOGRA99\n")
        broken = running.rebuild()
        assert any("unknown printing condition 'FOGRA99'" in str(p) for p in broken.problems)
    finally:
        running.stop()


def test_the_preview_makes_its_process_ready_for_warm_workers_and_writes_nothing_more(
        project, monkeypatch):
    """After its first build the preview renders and typesets one leaflet in its own process
    (its workers, forked from it, then compile no template and parse no C type again), and
    keeps nothing of it: output/ is as the build left it, and nothing is built twice."""
    from leaflets.layout.render import make_environment
    from leaflets.pipeline import warm_up
    from leaflets.preview import serve

    project.write("campaigns/test.yaml", RU_ONLY)
    warmed = []
    monkeypatch.setattr(serve, "warm_up", lambda project, job, options: warmed.append(
        job.name) or warm_up(project, job, options))
    preview = Preview(Project(project.root), 0, BuildOptions(variants=("print",), jobs=2))
    make_environment.cache_clear()
    try:
        first = preview.first_build()
    finally:
        preview.stop()  # its kept workers, which the next tests would find running
    written = sorted(path for path in (project.root / "output").rglob("*") if path.is_file())
    assert [result.job.name for result in first.outcome.results] == warmed
    assert make_environment(Project(project.root).templates_dir).cache  # compiled here
    assert sorted(path for path in (project.root / "output").rglob("*")
                  if path.is_file()) == written


def _recording_worker_processes(monkeypatch, record: Path) -> None:
    """Each leaflet built appends the id of the process that built it to ``record`` (workers
    forked after this inherit it)."""
    from leaflets import pipeline

    build_one = pipeline.run_job

    def recorded(project, job, options):
        with record.open("a") as file:
            file.write(f"{os.getpid()}\n")
        return build_one(project, job, options)

    monkeypatch.setattr(pipeline, "run_job", recorded)


def _processes(record: Path, skip: int = 0) -> list[int]:
    return [int(line) for line in record.read_text().split()[skip:]]


@pytest.mark.slow
def test_the_preview_keeps_its_workers_from_one_rebuild_to_the_next(project, monkeypatch,
                                                                    tmp_path_factory):
    """A rebuild sends its leaflets to the workers of the rebuilds before it, which keep what
    their first leaflets made; stopping the preview ends them, and leaves nothing of theirs in
    the temporary folder."""
    project.write("campaigns/test.yaml", RU_ONLY)
    record = tmp_path_factory.mktemp("record") / "processes"
    temporary = tmp_path_factory.mktemp("temporary")
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    _recording_worker_processes(monkeypatch, record)
    preview = Preview(Project(project.root), 0, BuildOptions(jobs=2, force=True))
    try:
        first = preview.rebuild()
        built_first = _processes(record)
        second = preview.rebuild()
        built_second = _processes(record, len(built_first))
    finally:
        preview.stop()
    assert [len(r.outcome.built) for r in (first, second)] == [2, 2]
    assert len(built_first) == len(built_second) == 2
    assert os.getpid() not in built_first
    assert set(built_second) <= set(built_first)
    for pid in built_first:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # ended and reaped
    assert not list(temporary.iterdir())


@pytest.mark.slow
def test_workers_interrupted_in_a_build_are_ended_and_made_again(project, monkeypatch,
                                                                 tmp_path_factory):
    """A build that does not end well (here Ctrl-C as the first leaflet is reported) ends its
    kept workers at once: none goes on writing; the next build forks new ones."""
    from leaflets.pipeline import KeptWorkers, build

    project.write("campaigns/test.yaml", RU_ONLY)
    record = tmp_path_factory.mktemp("record") / "processes"
    _recording_worker_processes(monkeypatch, record)
    workers = KeptWorkers(2)

    def interrupt(result) -> None:
        raise KeyboardInterrupt

    try:
        with pytest.raises(KeyboardInterrupt):
            build(Project(project.root), BuildOptions(force=True), on_result=interrupt,
                  workers=workers)
        interrupted = set(_processes(record))
        for pid in interrupted:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        again = build(Project(project.root), BuildOptions(force=True), workers=workers)
    finally:
        workers.close()
    assert len(again.built) == 2 and not again.failed
    assert not set(_processes(record, len(interrupted))) & interrupted


@pytest.mark.slow
def test_a_page_asking_for_the_next_version_hears_of_the_rebuild_at_once(project):
    """``/__version?after=N`` answers when a rebuild after N is done (the page then reloads),
    not at its next look; at once when it has missed one; and when the preview stops."""
    from leaflets.preview.serve import _response

    project.write("campaigns/test.yaml", RU_ONLY)
    preview = Preview(Project(project.root), 0, BuildOptions(variants=("print",), jobs=1))
    host = f"127.0.0.1:{preview.port}"
    answers: dict[str, tuple[bytes, float]] = {}

    def ask(name: str, after: str) -> threading.Thread:
        def asking() -> None:
            _, body, _ = _response(preview, host, f"/__version?after={after}")
            answers[name] = body, time.monotonic()
        thread = threading.Thread(target=asking)
        thread.start()
        return thread

    try:
        waiting = ask("rebuild", "0")
        time.sleep(0.5)
        assert waiting.is_alive()  # no rebuild yet: the answer waits
        preview.rebuild()
        done = time.monotonic()
        waiting.join(timeout=5)
        assert answers["rebuild"][0] == b"1" and answers["rebuild"][1] - done < 2
        assert _response(preview, host, "/__version?after=0")[1] == b"1"  # missed: at once
        assert _response(preview, host, "/__version")[1] == b"1"
        stopping = ask("stop", "1")
        time.sleep(0.3)
        assert stopping.is_alive()
    finally:
        preview.stop()
    stopping.join(timeout=5)
    assert answers["stop"][0] == b"1"


@pytest.mark.slow
def test_a_kept_worker_killed_in_a_rebuild_is_told_and_the_next_rebuild_forks_others(
        project, monkeypatch, tmp_path_factory):
    """A worker killed by the system (out of memory) in the middle of a rebuild: the rebuild
    stops and says why, instead of waiting for its leaflet for ever; the next one is made on
    new workers."""
    project.write("campaigns/test.yaml", RU_ONLY)
    flag = tmp_path_factory.mktemp("flag") / "kill"
    kill_the_next_worker(monkeypatch, flag)
    preview = Preview(Project(project.root), 0, BuildOptions(jobs=2, force=True))
    try:
        flag.touch()
        lost = finished_within(60, preview.rebuild)
        again = finished_within(120, preview.rebuild)
    finally:
        preview.stop()
    assert lost.outcome is None and "worker process was killed by signal 9" in lost.error
    assert len(again.outcome.built) == 2 and again.error is None


@pytest.mark.slow
def test_stopping_the_preview_while_it_rebuilds_ends_the_rebuild_at_once(project, monkeypatch,
                                                                         tmp_path_factory):
    """Ctrl-C while the watcher waits for the kept workers' leaflets: the workers are ended,
    and the rebuild with them (it waited for ever); stopping waits for neither, and leaves
    nothing of the workers in the temporary folder."""
    from leaflets import pipeline

    project.write("campaigns/test.yaml", RU_ONLY)
    folder = tmp_path_factory.mktemp("slow")
    slow, started = folder / "slow", folder / "started"
    temporary = tmp_path_factory.mktemp("temporary")
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    build_one = pipeline.run_job

    def slowed(project, job, options):
        if slow.exists():
            with started.open("a") as file:
                file.write(f"{os.getpid()}\n")
            time.sleep(120)
        return build_one(project, job, options)

    monkeypatch.setattr(pipeline, "run_job", slowed)
    preview = Preview(Project(project.root), 0, BuildOptions(variants=("print",), jobs=2))
    try:
        preview.start()
        slow.touch()
        project.write("campaigns/test.yaml", RU_ONLY.replace("headline: A headline",
                                                             "headline: Another headline"))
        deadline = time.monotonic() + 60
        while not started.exists():
            assert time.monotonic() < deadline, "no rebuild after the change"
            time.sleep(0.1)
    finally:
        stopping = time.monotonic()
        preview.stop()
        took = time.monotonic() - stopping
    assert took < 3
    assert not [thread for thread in preview._threads if thread.is_alive()]
    assert preview.version == 1  # the stopped rebuild is not one
    assert not list(temporary.glob("leaflets-workers-*"))


@pytest.mark.slow
def test_a_rebuild_that_fails_unexpectedly_says_so_and_the_preview_goes_on(project,
                                                                           monkeypatch):
    """A job that cannot be sent to the kept workers (here: a function they cannot be told
    of, which has no name to be pickled by): the rebuild says so, where the watcher's thread
    died with a traceback and the preview rebuilt nothing any more."""
    from leaflets import pipeline

    project.write("campaigns/test.yaml", RU_ONLY)
    preview = Preview(Project(project.root), 0, BuildOptions(variants=("print",), jobs=2))
    send = pipeline._run_sent
    try:
        monkeypatch.setattr(pipeline, "_run_sent", lambda task: send(task))
        failed = finished_within(60, preview.rebuild)
        monkeypatch.setattr(pipeline, "_run_sent", send)
        again = finished_within(120, preview.rebuild)
    finally:
        preview.stop()
    assert failed.error.startswith("unexpected error, please report it: ")
    assert "pickle" in failed.error
    assert preview.version == 2 and len(again.outcome.built) == 1 and again.error is None


def test_a_page_read_as_a_rebuild_ends_is_marked_with_the_version_before_it(project,
                                                                           monkeypatch):
    """The page is marked with the version taken before it is read: a rebuild that ends
    meanwhile reloads it. Marked with the version after, a page read before the rebuild
    rewrote it was taken for its result, and never reloaded."""
    from leaflets.preview import serve

    preview = Preview(Project(project.root), 0)

    class PageReadAsARebuildEnds:
        suffix = ".html"

        def read_bytes(self) -> bytes:
            preview.version += 1
            return b"<html><body>the page before the rebuild</body></html>"

    monkeypatch.setattr(serve, "served_file", lambda output, path: PageReadAsARebuildEnds())
    try:
        _, body, _ = serve._response(preview, f"127.0.0.1:{preview.port}", "/")
    finally:
        preview.stop()
    assert b'data-version="0"' in body


def test_only_a_few_pages_wait_for_a_rebuild_the_others_are_answered_at_once(project):
    """A waiting answer holds one of the 6 connections a browser opens to a server, for all its
    tabs: with MAX_WAITING_PAGES waiting, the next page asking is answered at once (its script
    asks again a second later), and a browser with many tabs open still has connections left."""
    from leaflets.preview.serve import MAX_WAITING_PAGES, _response

    preview = Preview(Project(project.root), 0)
    host = f"127.0.0.1:{preview.port}"
    answered: list[float] = []

    def ask() -> None:
        asked = time.monotonic()
        _response(preview, host, "/__version?after=0")
        answered.append(time.monotonic() - asked)

    waiting = [threading.Thread(target=ask, daemon=True) for _ in range(MAX_WAITING_PAGES)]
    try:
        for thread in waiting:
            thread.start()
        deadline = time.monotonic() + 5
        while preview._waiting < MAX_WAITING_PAGES:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        one_more = threading.Thread(target=ask, daemon=True)
        one_more.start()
        one_more.join(timeout=3)
        assert not one_more.is_alive() and answered == [pytest.approx(0, abs=1)]
        assert all(thread.is_alive() for thread in waiting)
    finally:
        preview.stop()
    for thread in waiting:
        thread.join(timeout=5)
    assert len(answered) == MAX_WAITING_PAGES + 1


@pytest.mark.slow
def test_leaflets_rebuilt_by_kept_workers_are_those_a_fresh_build_makes(project, monkeypatch):
    """Workers kept from one rebuild to the next hold what they made (fonts, templates compiled,
    logos drawn): after a stylesheet, a partner's logo or a page template changed, each leaflet
    they rebuild is the one a fresh build makes from the same files, byte for byte."""
    from leaflets.pipeline import KeptWorkers, build
    from leaflets.press.pdfx import source_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01: the registry is fresh
    project.write("campaigns/test.yaml", RU_ONLY + "partners: [iom]\n")
    shutil.copytree(REPOSITORY / "templates", project.root / "templates")
    options = BuildOptions(jobs=2, source_date=source_date())
    edits = {"leaflet.css": ("\n", "\nbody { letter-spacing: 0.01em }\n"),
             "assets/partners/iom.svg": ('r="17"', 'r="12"'),
             "base.html": ("<body ", '<body style="margin-top: 1mm" ')}
    workers = KeptWorkers(2)
    shown: list[dict[str, bytes]] = []
    try:
        build(Project(project.root), options, workers=workers)
        for name, (old, new) in edits.items():
            template = project.root / "templates" / name
            template.write_text(template.read_text(encoding="utf-8").replace(old, new, 1),
                                encoding="utf-8")
            rebuilt = build(Project(project.root), options, workers=workers)
            assert len([r for r in rebuilt.built if not r.up_to_date]) == 2, name
            kept = {path.name: path.read_bytes() for path in project.pdfs()}
            fresh = subprocess.run([sys.executable, str(REPOSITORY / "build.py"), "--project",
                                    str(project.root), "build", "--force"], cwd=REPOSITORY,
                                   capture_output=True, text=True, timeout=300)
            assert fresh.returncode == 0, fresh.stderr
            assert kept == {path.name: path.read_bytes() for path in project.pdfs()}, name
            shown.append(kept)
    finally:
        workers.close()
    assert not [name for name, before, after in zip(list(edits)[1:], shown, shown[1:])
                if before == after]  # each edit made other leaflets


@pytest.mark.slow
def test_kept_workers_killed_between_rebuilds_are_replaced(project):
    """Kept workers killed while they waited for a leaflet (the system out of memory, or
    someone): one of them held the lock of the pool's task queue, and the next rebuild waited
    for ever for it. The next rebuild is made on new workers."""
    project.write("campaigns/test.yaml", RU_ONLY)
    others = multiprocessing.active_children()
    preview = Preview(Project(project.root), 0,
                      BuildOptions(variants=("print",), jobs=2, force=True))
    try:
        first = finished_within(120, preview.rebuild)
        time.sleep(0.5)  # each waits for a leaflet, one of them holding the lock
        killed = [worker for worker in multiprocessing.active_children() if worker not in others]
        for worker in killed:
            os.kill(worker.pid, signal.SIGKILL)
        again = finished_within(60, preview.rebuild)
    finally:
        finished_within(30, preview.stop)  # ending the pool took that lock too
    assert len(killed) == 2 and len(first.outcome.built) == 1
    assert len(again.outcome.built) == 1 and again.error is None

"""The live preview (``python build.py serve``): the proof gallery served on 127.0.0.1, rebuilt
as campaigns, templates and catalogs are saved, the open page reloading itself.

Rebuilding is the incremental build: a change rebuilds the leaflets whose inputs changed, the
others are up to date. An input error does not stop the preview: the gallery shows it, at its
position, until the file is fixed.

The server hands out only what the gallery shows: ``index.html``, the gallery's own pages and
images in ``output/.gallery/``, and the leaflets' PDFs and printers' bundles. A request is
decoded once, and refused when it names anything else: a ``..`` or hidden part, an encoded
separator or a second level of encoding, a link inside ``output/`` (wherever it leads), another
host name than the one it listens on (a web page that rebinds its own name to 127.0.0.1 cannot
read the gallery).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from watchfiles import watch

from ..files import WriteError
from ..inputs.printconfig import PRINT_FILE
from ..pipeline import (
    BuildOptions,
    BuildResult,
    JobResult,
    KeptWorkers,
    WorkersClosed,
    build,
    remove_leftovers_quietly,
    warm_up,
)
from ..press.output_intent import resolve as resolve_output_intent
from ..problems import InputError, Problem, SetupError
from ..project import LEAFLET_FILE, Project
from .gallery import GALLERY_DIR, GalleryUpdate, update_gallery, write_pages
from .proof import IMAGE_SUFFIX

HOST = "127.0.0.1"
# The number of the last rebuild. Asked ``?after=N``, the answer waits until there is a rebuild
# after N (or VERSION_WAIT_SECONDS pass): the page reloads as soon as the rebuild is done, not at
# its next look (a look every second kept a translator waiting half a second more on average).
VERSION_PATH = "/__version"
VERSION_WAIT_SECONDS = 25.0
# A waiting answer holds one of the browser's connections to the server, and a browser opens 6
# at most to one server (HTTP/1.1), for all its tabs: with 6 pages of the gallery open, any
# other request waited up to VERSION_WAIT_SECONDS. So only this many answers wait; the others
# come at once, and their pages ask again a second later.
MAX_WAITING_PAGES = 3
LIVE_SCRIPT_PATH = "/__live.js"
LIVE_SCRIPT = b"""\
const shown = document.currentScript.dataset.version;
const wait = () => {
  const asked = Date.now();
  fetch(`/__version?after=${encodeURIComponent(shown)}`, {cache: "no-store"})
    .then((r) => r.text())
    .then((now) => {
      if (now !== shown) location.reload();
      else setTimeout(wait, Math.max(0, 1000 - (Date.now() - asked)));
    })
    .catch(() => setTimeout(wait, 1000));
};
wait();
"""
CONTENT_TYPES = {".html": "text/html; charset=utf-8", IMAGE_SUFFIX: "image/jpeg",
                 ".pdf": "application/pdf", ".zip": "application/zip"}
# Even a text that escaped escaping could run no script: only the reload script, from here.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; "
                               "img-src 'self'; style-src 'unsafe-inline'; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


@dataclass
class Rebuild:
    """What one rebuild did: the build's outcome, or the input problems that stopped it."""

    outcome: BuildResult | None = None
    gallery: GalleryUpdate | None = None
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None  # output/ could not be written


def served_file(output_dir: Path, url_path: str) -> Path | None:
    """The file of ``output_dir`` that ``url_path`` (a request's path, still percent-encoded)
    names, when it is one the gallery shows; None for anything else."""
    if not url_path.startswith("/"):
        return None
    try:  # each part decoded once, on its own: an encoded '/' stays inside its part
        parts = [unquote(part, errors="strict") for part in url_path[1:].split("/")]
    except UnicodeDecodeError:
        return None  # not UTF-8, such as an overlong encoding of '.' or '/'
    if parts == [""]:
        parts = ["index.html"]
    if any(c in part for part in parts for c in "/\\%\0"):
        return None  # an encoded separator, a second level of encoding, a NUL
    if any(part in ("", ".", "..") for part in parts):
        return None
    if not _shown_by_gallery(parts):
        return None
    root = output_dir.resolve()
    path = root.joinpath(*parts)
    if path.resolve() != path or not path.is_file():
        return None  # a link, wherever it leads
    return path


def _shown_by_gallery(parts: list[str]) -> bool:
    """The index, the gallery's pages and images, a leaflet's PDF or a campaign's bundle."""
    if parts == ["index.html"]:
        return True
    if len(parts) != 2:
        return False
    folder, name = parts
    if folder == GALLERY_DIR:
        return Path(name).suffix in (".html", IMAGE_SUFFIX) and not name.startswith(".")
    leaflet = LEAFLET_FILE.match(name)
    return name == f"{folder}_print-bundle.zip" or bool(
        leaflet and leaflet["extension"] == "pdf" and leaflet["campaign"] == folder)


class Preview:
    """The server and the watcher. ``on_result`` hears of each leaflet built, ``on_rebuild``
    of each rebuild; both are called from the watcher's thread."""

    def __init__(self, project: Project, port: int, options: BuildOptions | None = None,
                 on_result: Callable[[JobResult], None] | None = None,
                 on_rebuild: Callable[[Rebuild], None] | None = None):
        self.project = project
        self.options = options or BuildOptions()
        self.on_result = on_result
        self.on_rebuild = on_rebuild
        self.version = 0
        # Kept between rebuilds: a worker's first leaflet costs more than the next ones.
        self.workers = KeptWorkers(self.options.jobs)
        self._stop = threading.Event()
        self._rebuilt = threading.Condition()
        self._waiting = 0  # answers to /__version waiting for a rebuild
        self._threads: list[threading.Thread] = []
        self.server = ThreadingHTTPServer((HOST, port), _handler(self))  # OSError: port taken
        self.server.daemon_threads = True

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> Rebuild:
        """Build once, then serve and watch, each in a thread of its own."""
        first = self.first_build()
        for target in (self.server.serve_forever, self._watch):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)
        return first

    def first_build(self) -> Rebuild:
        """The first rebuild; then this process is made ready to fork warm workers for the
        rebuilds to come (``pipeline.warm_up``): a translator waits some 0.2 s less each time."""
        first = self.rebuild()
        if first.outcome is not None and first.outcome.results:
            warm_up(self.project, first.outcome.results[0].job, self.options)
        return first

    def wait(self) -> None:
        """Until ``stop`` (Ctrl-C interrupts it)."""
        self._stop.wait()

    def version_after(self, seen: str, seconds: float = VERSION_WAIT_SECONDS) -> int:
        """The version, once it is another than ``seen`` (as a page shows it), or after
        ``seconds``, or when the preview stops; at once when MAX_WAITING_PAGES wait already."""
        with self._rebuilt:
            if self._waiting >= MAX_WAITING_PAGES:
                return self.version
            self._waiting += 1
            try:
                self._rebuilt.wait_for(lambda: str(self.version) != seen or self._stop.is_set(),
                                       timeout=seconds)
            finally:
                self._waiting -= 1
            return self.version

    def stop(self) -> None:
        self._stop.set()
        with self._rebuilt:
            self._rebuilt.notify_all()
        if self._threads:  # shutdown() waits for serve_forever, which runs only once started
            self.server.shutdown()
        self.server.server_close()
        # The workers first: a rebuild waiting for their leaflets stops (WorkersClosed), and
        # the watcher with it.
        self.workers.close()
        for thread in self._threads:
            thread.join(timeout=5)
        remove_leftovers_quietly(self.project)  # of a rebuild its end stopped

    def watched(self) -> list[Path]:
        """The folders of the inputs, and print.yaml (the printing condition) if there is one."""
        folders = [self.project.campaigns_dir, self.project.locales_dir,
                   self.project.root / "templates"]
        return [folder for folder in folders if folder.is_dir()] + [
            path for path in [self.project.root / PRINT_FILE] if path.is_file()]

    def _watch(self) -> None:
        for _changes in watch(*self.watched(), stop_event=self._stop, debounce=300,
                              rust_timeout=500, yield_on_timeout=False):
            self.rebuild()

    def rebuild(self) -> Rebuild:
        """Build what changed and update the gallery; on bad input, show the problems in it."""
        done = Rebuild()
        try:
            # print.yaml is read again: a printing condition changed since the start counts
            options = replace(self.options, output_intent=resolve_output_intent(self.project))
            done.outcome = build(self.project, options, on_result=self.on_result,
                                 workers=self.workers)
            done.gallery = update_gallery(self.project, options, done.outcome)
        except InputError as error:
            done.problems = error.problems
            try:
                write_pages(self.project, problems=error.problems)
            except WriteError as write_error:
                done.error = str(write_error)
        except (WriteError, SetupError) as error:
            done.error = str(error)
        except WorkersClosed:
            return done  # the preview is stopping
        except Exception as error:  # noqa: BLE001 (the preview goes on watching, and says it)
            done.error = f"unexpected error, please report it: {type(error).__name__}: {error}"
        with self._rebuilt:
            self.version += 1
            self._rebuilt.notify_all()
        if self.on_rebuild:
            self.on_rebuild(done)
        return done


def _response(preview: Preview, host: str | None, url_path: str
              ) -> tuple[HTTPStatus, bytes, str]:
    """The status, body and content type of the answer to a GET of ``url_path`` sent to
    ``host``: a page of the gallery gets the reload script."""
    if host not in (f"{HOST}:{preview.port}", f"localhost:{preview.port}"):
        return HTTPStatus.FORBIDDEN, b"unknown host\n", "text/plain"
    url = urlsplit(url_path)
    path = url.path
    if path == VERSION_PATH:
        seen = parse_qs(url.query).get("after")
        version = preview.version_after(seen[0]) if seen else preview.version
        return HTTPStatus.OK, str(version).encode(), "text/plain"
    if path == LIVE_SCRIPT_PATH:
        return HTTPStatus.OK, LIVE_SCRIPT, "text/javascript"
    file = served_file(preview.project.output_dir, path)
    if file is None:
        return HTTPStatus.NOT_FOUND, b"not found\n", "text/plain"
    # Taken before the page is read: a rebuild done meanwhile then reloads it again, instead
    # of a page from before it being marked as shown after it (and never reloaded).
    version = preview.version
    body = file.read_bytes()
    if file.suffix == ".html":
        tag = (f'<script src="{LIVE_SCRIPT_PATH}" data-version="{version}">'
               f"</script>\n</body>").encode()
        body = body.replace(b"</body>", tag, 1)
    return HTTPStatus.OK, body, CONTENT_TYPES[file.suffix]


def _handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "leaflets-preview"
        sys_version = ""

        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            self._answer(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(send_body=False)

        def _answer(self, send_body: bool) -> None:
            status, body, content_type = _response(preview, self.headers.get("Host"), self.path)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in SECURITY_HEADERS.items():
                self.send_header(name, value)
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            pass  # the terminal shows the builds, not every request

    return Handler

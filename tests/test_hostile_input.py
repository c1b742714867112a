"""Hostile or broken input files, environment and machine: each is one clear message, exit 1, no
traceback, nothing half-written in output/ (issue 8, part 3)."""

from __future__ import annotations

import errno
import os
import pathlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import problem_lines
from samples import CAMPAIGN, HOTLINES
from leaflets import pipeline
from leaflets.files import MAX_INPUT_BYTES
from leaflets.translation.pofile import parse_po
from leaflets.problems import InputError
from leaflets.inputs.yamlfile import MAX_NESTING, load_yaml
from leaflets.press.preflight import preflight

EN_ONLY = CAMPAIGN.replace("locales: [az, ru, en]", "locales: [en]")
PRINT_EN = ("build", "--variant", "print", "--jobs", "1")


def refused(project, *argv: str, outcome: str = "nothing was built."):
    """Run the command; it must fail cleanly, leave no PDF, and end with ``outcome``. Returns
    the problem lines."""
    run = project.run(*argv)
    assert run.status == 1, run
    assert "Traceback" not in run.err and "unexpected error" not in run.err, run.err
    assert project.pdfs() == []
    lines = problem_lines(run.err)
    assert lines[-1].endswith(outcome), lines
    return lines[:-1]


def refused_campaign(project, text: str | bytes) -> list[str]:
    path = project.root / "campaigns/test.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return refused(project, "build")


# ------------------------------------------------------------------ YAML

def alias_bomb(levels: int = 9) -> str:
    """Nine levels of nine aliases each: 9⁹ strings once expanded, from 700 bytes."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_once(project):
    started = time.perf_counter()
    lines = refused_campaign(project, alias_bomb())
    assert time.perf_counter() - started < 1
    assert lines[0] == ("campaigns/test.yaml:1:5: anchors and aliases (&name, *name) are not "
                        "allowed: write each value out in full")
    assert "campaigns/test.yaml:2:10: anchors and aliases" in lines[2]
    assert len(lines) == 9 + 8 * 9  # every anchor and every alias


def test_anchors_merge_keys_and_tags_are_refused(project):
    lines = refused_campaign(project, CAMPAIGN.replace("title: Test campaign",
                                                       "title: !!binary aGVsbG8=")
                             .replace("audience: Testers", "audience: &who Testers\n"
                                      "extra:\n  <<: *who"))
    assert lines == [
        "campaigns/test.yaml:1:8: tags (tag:yaml.org,2002:binary) are not allowed: write text "
        "in quotes instead",
        "campaigns/test.yaml:2:11: anchors and aliases (&name, *name) are not allowed: write "
        "each value out in full",
        "campaigns/test.yaml:4:7: anchors and aliases (&name, *name) are not allowed: write "
        "each value out in full"]  # and a merge key (<<) is a key like any other


@pytest.mark.parametrize("nested, position", [
    ("title: " + "[" * 10_000 + "]" * 10_000, f"1:{8 + MAX_NESTING}"),
    # Level 1 is the campaign's mapping, level 2 the title's value.
    ("title: " + "{a: " * 10_000 + "b" + "}" * 10_000, f"1:{8 + 4 * (MAX_NESTING - 2) + 1}"),
    ("title:\n" + "- " * 10_000 + "x", f"2:{1 + 2 * (MAX_NESTING - 1)}"),
])
def test_deep_nesting_is_a_positioned_problem(project, nested, position):
    started = time.perf_counter()
    lines = refused_campaign(project, nested + "\n")
    assert lines == [f"campaigns/test.yaml:{position}: nested more than {MAX_NESTING} levels "
                     "deep"]
    assert time.perf_counter() - started < 1


def test_control_characters_are_positioned_problems(project):
    lines = refused_campaign(project, CAMPAIGN.replace("A headline", "A head\0line")
                             .replace("Second point.", "Second\x1b point."))
    assert lines == [
        "campaigns/test.yaml:7:19: the control character U+0000 is not allowed in YAML: "
        "remove it",
        "campaigns/test.yaml:13:17: the control character U+001B is not allowed in YAML: "
        "remove it"]


def test_a_syntax_error_names_where_the_construct_began_and_where_parsing_stopped(project):
    broken = CAMPAIGN.replace("        - First point.", '        - "First point.')
    assert broken.splitlines()[11] == '        - "First point.'
    lines = refused_campaign(project, broken)
    assert lines == ["campaigns/test.yaml:12:11: YAML syntax error in the quoted text that "
                     "starts here: found unexpected end of stream at line 15, column 1"]


def test_a_byte_that_is_not_utf8_is_named_at_its_line_and_column(project):
    text = CAMPAIGN.replace("A lead paragraph.", "Café paragraph.").encode("utf-8")
    lines = refused_campaign(project, text.replace("é".encode("utf-8"), b"\xe9"))
    assert lines == ["campaigns/test.yaml:8:12: not UTF-8 text: byte 0xe9 cannot be read; save "
                     "the file as UTF-8"]


@pytest.mark.parametrize("relative", ["campaigns/test.yaml", "campaigns/hotlines.yaml"])
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(project, relative):
    path = project.root / relative
    path.write_bytes(path.read_bytes() + b"# padding\n" * (MAX_INPUT_BYTES // 10))
    started = time.perf_counter()
    lines = refused(project, "build")
    assert time.perf_counter() - started < 1
    assert f"{relative}: the file is larger than 1 MB, the limit for a campaign, registry, " \
           "catalog or asset file: nothing in it was read" in lines


# ------------------------------------------------------------------ .po files

CATALOG_HEAD = 'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'


def test_catalog_problems_are_positioned(project):
    catalog = project.root / "locales/ru/LC_MESSAGES/test.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_bytes((CATALOG_HEAD + 'msgid "A headline"\nmsgstr "Заго').encode("utf-8")
                        + b"\xff\xfe" + '"\n'.encode("utf-8"))
    assert refused(project, "build") == [
        "locales/ru/LC_MESSAGES/test.po:6:13: not UTF-8 text: byte 0xff cannot be read; save "
        "the file as UTF-8"]
    catalog.write_text(CATALOG_HEAD + 'msgid "A headline"\nmsgstr "За\0головок"\n',
                       encoding="utf-8")
    assert refused(project, "translations", "check", outcome="(1 catalog checked).") == [
        "locales/ru/LC_MESSAGES/test.po:6:11: the control character U+0000 is not allowed: "
        "remove it (write a line break as \\n)"]
    catalog.write_bytes(catalog.read_bytes().replace(b"\0", b"") * (MAX_INPUT_BYTES // 40))
    assert refused(project, "build") == [
        "locales/ru/LC_MESSAGES/test.po: the file is larger than 1 MB, the limit for a "
        "campaign, registry, catalog or asset file: nothing in it was read"]


CONTROL_ESCAPE = ("is the control character {}, which is not allowed: remove it (write a line "
                  "break as \\n)")
BY_CODE = ("writes a character by its code, which GNU gettext reads as a byte and other tools as "
           "the characters written: type the character itself")
UNKNOWN = "GNU gettext refuses it; write the character itself, and a backslash as \\\\"


@pytest.mark.parametrize("escape, message", [
    # What msgfmt refuses; polib would print the backslash and the letter.
    *[(e, f"unknown escape {e}: {UNKNOWN}") for e in
      ("\\q", "\\'", "\\?", "\\e", "\\8", "\\ ", "\\x")],
    ("\\u202e", f"unknown escape \\u: {UNKNOWN}"),  # no \u escape: not a bidi override
    ("\\U0001F600", f"unknown escape \\U: {UNKNOWN}"),
    # What msgfmt turns into bytes, polib into the characters written: digits, NUL, a letter,
    # a bidi override's bytes (U+202E is e2 80 ae).
    *[(e, f"the escape {e} {BY_CODE}") for e in ("\\060", "\\61", "\\0", "\\101", "\\x30",
                                                  "\\x41")],
    ("\\xe2\\x80\\xae", f"the escape \\xe2 {BY_CODE} (and 2 more escapes on this line)"),
    ("\\342\\200\\256", f"the escape \\342 {BY_CODE} (and 2 more escapes on this line)"),
    ("\\1234", f"the escape \\123 {BY_CODE}"),  # octal takes three digits at most
    # Control characters, which gettext and polib both read.
    *[(e, f"the escape {e} " + CONTROL_ESCAPE.format(code)) for e, code in (
        ("\\r", "U+000D"), ("\\a", "U+0007"), ("\\b", "U+0008"), ("\\f", "U+000C"),
        ("\\v", "U+000B"))],
])
def test_an_escape_a_translators_editor_never_writes_is_refused_at_its_column(
        project, escape, message):
    project.write("locales/ru/LC_MESSAGES/test.po", CATALOG_HEAD + 'msgid "A headline"\n'
                  f'msgstr "Заголовок{escape}"\n')
    assert refused(project, "build")[0] == f"locales/ru/LC_MESSAGES/test.po:6:18: {message}"


@pytest.mark.parametrize("strings, line", [('msgstr "Заголовок\\"', 6),
                                           ('msgstr ""\n"Заголовок\\"', 7)])
def test_a_lone_backslash_before_the_closing_quote_is_a_syntax_error(project, strings, line):
    """polib would read the quote as escaped and end the string at the line's end anyway."""
    project.write("locales/ru/LC_MESSAGES/test.po",
                  CATALOG_HEAD + f'msgid "A headline"\n{strings}\n')
    assert refused(project, "build")[0].startswith(
        f"locales/ru/LC_MESSAGES/test.po:{line}: syntax error")


@pytest.mark.parametrize("written, read", [
    ("\\\\q", "\\q"), ("\\\\101", "\\101"), ('\\"', '"'), ("\\n", "\n"), ("\\t", "\t"),
    ("\\\\\\\\", "\\\\")])
def test_the_escapes_editors_write_are_read_as_gettext_reads_them(tmp_path, written, read):
    path = tmp_path / "x.po"
    path.write_text(CATALOG_HEAD + f'msgid "a"\nmsgstr "b{written}c"\n', encoding="utf-8")
    assert parse_po(path, "x.po").find("a").msgstr == f"b{read}c"


ESCAPES_EVERYWHERE = CATALOG_HEAD.replace('ru\\n"', 'ru\\n\\q"') + """\
msgctxt "\\a"
msgid "A headline"
msgstr "Заголовок"

#, fuzzy
msgid "A lead paragraph."
msgstr ""
"Вводный "
"абзац\\060"

msgid "{count} text"
msgid_plural "{count} texts\\x41"
msgstr[0] "{count} текст"
msgstr[1] "{count} текста\\b"
msgstr[2] "{count} текстов"

#| msgid "Old\\e"
msgid "First point."
msgstr "Пункт."

#~ msgid "Gone"
#~ msgstr "Ушло\\'"
"""


@pytest.mark.parametrize("command", [("build",), ("translations", "check"),
                                     ("translations", "status"), ("translations", "update"),
                                     ("translations", "where", "A headline")])
def test_every_command_that_reads_a_catalog_names_every_refused_escape(project, command):
    """In the header, a context, a fuzzy entry's continuation line, a plural, a previous msgid
    and an obsolete entry: gettext reads them all."""
    catalog = project.write("locales/ru/LC_MESSAGES/test.po", ESCAPES_EVERYWHERE)
    run = project.run(*command)
    assert run.status == 1, run
    assert "Traceback" not in run.err and "unexpected error" not in run.err, run.err
    assert project.pdfs() == []
    positions = [line.split(": ")[0] for line in problem_lines(run.err)
                 if line.startswith("locales/")]
    assert positions == [f"locales/ru/LC_MESSAGES/test.po:{line}:{column}" for line, column in
                         ((3, 16), (5, 10), (13, 7), (16, 28), (18, 26), (21, 14), (26, 16))]
    assert catalog.read_text(encoding="utf-8") == ESCAPES_EVERYWHERE  # update wrote nothing


def test_a_line_of_many_escapes_is_one_problem_that_counts_them(project):
    project.write("locales/ru/LC_MESSAGES/test.po", CATALOG_HEAD + 'msgid "A headline"\n'
                  'msgstr "Заголовок\\q' + "\\060" * 100_000 + '"\n')
    assert refused(project, "build") == [
        f"locales/ru/LC_MESSAGES/test.po:6:18: unknown escape \\q: {UNKNOWN} (and 100000 more "
        "escapes on this line)"]


# ------------------------------------------------------------------ property-based

def _positioned(error: InputError) -> bool:
    return bool(error.problems) and all(p.line is not None and p.line >= 1
                                        for p in error.problems)


YAML_PIECES = st.sampled_from(
    ["a", "b: ", "- ", "[", "]", "{", "}", ",", ":", "? ", "&x ", "*x", "!!str ", "!t ", "<<: ",
     "'", '"', "\\", "#", "|\n", ">\n", "\n", "  ", "\t", "%YAML 1.1\n", "---\n", "...\n", "\0",
     "é", "\ufeff", "2026-02-30", "0x1F", "1e400", "~", "@", "`"])
PO_PIECES = st.sampled_from(
    ["msgid ", "msgstr ", "msgctxt ", "msgid_plural ", "msgstr[0] ", "msgstr[9] ", '"', '""',
     "\\", "\\n", "\\t", "#", "#~ ", "#, fuzzy\n", "#| ", "#. ", "#: ", "\n", " ", "a",
     "{hotline}", "\r", "é", "\0", "\u2028", "\ufeff"])


def _loads_or_refuses(read, data: bytes, name: str) -> None:
    """``read`` gives a result or an InputError with positioned problems, nothing else, fast."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            read(path, name)
        except InputError as error:
            assert _positioned(error), error.problems


@settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300),
                 st.lists(YAML_PIECES, max_size=80).map(lambda p: "".join(p).encode("utf-8"))))
def test_any_bytes_are_a_yaml_document_or_positioned_problems(data):
    _loads_or_refuses(load_yaml, data, "x.yaml")


@settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300),
                 st.lists(PO_PIECES, max_size=80).map(lambda p: "".join(p).encode("utf-8"))))
def test_any_bytes_are_a_catalog_or_positioned_problems(data):
    _loads_or_refuses(parse_po, data, "x.po")


# ------------------------------------------------------------------ the environment

@pytest.mark.parametrize("value", ["abc", "1e9", "-1", "99999999999999999999", " 1796083200",
                                   "١٧٩٦٠٨٣٢٠٠"])
@pytest.mark.parametrize("command", [("build",), ("bundle", "test"), ("translations", "status")])
def test_a_wrong_source_date_epoch_is_one_message_at_start(project, monkeypatch, value, command):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    run = project.run(*command)
    assert run.status == 1
    assert run.out == ""
    assert run.err.splitlines() == [
        f"SOURCE_DATE_EPOCH is {value!r}: it must be a whole number of seconds since 1970-01-01 "
        "up to the year 9999, as `date +%s` prints; correct it or unset it"]
    assert project.pdfs() == []


def test_a_verified_date_in_the_future_is_refused(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793491200")  # 2026-11-01
    lines = refused(project, "build")
    assert lines == [
        "campaigns/hotlines.yaml:6:13: ombudsman.verified: 2026-11-22 is in the future (the "
        "build's date is 2026-11-01): write the date the number was checked",
        "campaigns/hotlines.yaml:12:13: migration-service.verified: 2026-11-22 is in the "
        "future (the build's date is 2026-11-01): write the date the number was checked"]
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    project.write("campaigns/hotlines.yaml", HOTLINES.replace("verified: 2026-11-22\nmigration",
                                                              "verified: 2999-01-01\nmigration"))
    lines = refused(project, "translations", "status", outcome="nothing was written.")
    assert lines[0].startswith("campaigns/hotlines.yaml:6:13: ombudsman.verified: 2999-01-01 "
                               "is in the future (the build's date is ")



def test_a_number_for_callers_abroad_verified_in_the_future_is_refused(project):
    project.write("campaigns/hotlines.yaml", HOTLINES.replace(
        "verified: 2026-11-22\nmigration",
        "verified: 2026-11-22\n  abroad:\n    number: \"+994 12 404 00 00\"\n"
        "    source: test\n    verified: 2999-01-01\nmigration"))
    lines = refused(project, "build")
    assert lines[0].startswith("campaigns/hotlines.yaml:10:15: ombudsman.abroad.verified: "
                               "2999-01-01 is in the future (the build's date is ")

# ------------------------------------------------------------------ the machine

def no_leftovers(project) -> None:
    """No candidate folder, temporary file or PDF anywhere in output/."""
    hidden = [p for p in (project.root / "output").rglob("*")
              if p.name.startswith(".") and p.name != pipeline.RECORDS_DIR]
    assert hidden == []
    assert project.pdfs() == []


@pytest.fixture
def read_only(monkeypatch):
    """Make a folder read-only. Root ignores permissions, so for root the calls that create
    files and folders in it fail as they would for anyone else."""
    def make(folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o555)
        if os.geteuid() != 0:
            return
        def refuse(original):
            def call(path, *args, **kwargs):
                if Path(os.fsdecode(path)).resolve().is_relative_to(folder.resolve()):
                    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
                return original(path, *args, **kwargs)
            return call
        monkeypatch.setattr(os, "open", refuse(os.open))
        monkeypatch.setattr(os, "mkdir", refuse(os.mkdir))
    yield make


def test_a_read_only_output_folder_is_one_message(project, read_only):
    project.write("campaigns/test.yaml", EN_ONLY)
    read_only(project.root / "output")
    run = project.run(*PRINT_EN)
    (project.root / "output").chmod(0o755)
    assert run.status == 1
    assert run.err.splitlines() == ["cannot write output: Permission denied; stopped, leaving "
                                    "no half-written file"]
    no_leftovers(project)


@pytest.mark.slow
@pytest.mark.parametrize("write, folder, path", [
    ((pathlib.Path, "write_bytes"), "output/test", "output/test/test_a5-leaflet_en.pdf"),
    ((os, "replace"), "output/.build-records",
     "output/.build-records/test_a5-leaflet_en.pdf.json"),
])
def test_a_full_disk_is_one_message_and_leaves_nothing_half_written(project, monkeypatch, write,
                                                                     folder, path):
    """The disk fills up while the PDF, or its build record, is written in output/."""
    project.write("campaigns/test.yaml", EN_ONLY)
    owner, name = write
    original = getattr(owner, name)
    full = (project.root / folder).resolve()

    def fill_up(*args, **kwargs):
        paths = [Path(a).resolve() for a in args[:2] if isinstance(a, (str, os.PathLike))]
        if any(full in path.parents for path in paths):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, fill_up)
    run = project.run(*PRINT_EN)
    assert run.status == 1
    assert run.err.splitlines() == [f"cannot write {path}: No space left on device; stopped, "
                                    "leaving no half-written file"]
    assert not list((project.root / "output").rglob(".*.tmp"))
    assert not list((project.root / "output").rglob(".check-*"))


def test_a_missing_font_package_is_named(project, monkeypatch):
    project.write("campaigns/test.yaml", EN_ONLY)
    monkeypatch.setitem(sys.modules, "fontpkg_noto_sans", None)  # import fails: not installed
    run = project.run(*PRINT_EN)
    assert run.status == 1
    assert run.err.splitlines() == [
        "the font package fontpkg-noto-sans is not installed, or has no "
        "NotoSans[wdth,wght].ttf: install the project's packages (`make build`, or "
        "`pip install -e .`)"]
    no_leftovers(project)


@pytest.mark.slow
def test_an_interrupted_build_leaves_nothing_that_counts(project):
    """kill -9 during a build leaves its preflight candidate and temporary files: check does
    not count them, and the next build removes them."""
    project.write("campaigns/test.yaml", EN_ONLY)
    assert project.run(*PRINT_EN).status == 0
    output = project.root / "output/test"
    candidate = output / ".check-k9x2/test_a5-leaflet_en.pdf"
    candidate.parent.mkdir()
    shutil.copy(output / "test_a5-leaflet_en.pdf", candidate)
    (output / ".test_a5-leaflet_en.html.k9x2.tmp").write_text("<html")
    check = project.run("check")
    assert check.status == 0
    assert "1 PDFs checked, 0 failed" in check.out
    build = project.run(*PRINT_EN)
    assert build.status == 0
    for leftover in (".check-k9x2", ".test_a5-leaflet_en.html.k9x2.tmp"):
        assert f"removed output/test/{leftover}: left by an interrupted build" in build.out
    assert sorted(p.name for p in output.iterdir()) == ["test_a5-leaflet_en.pdf"]


@pytest.fixture
def installed(monkeypatch, tmp_path_factory):
    """Install a distribution (its metadata only) for the rest of the test."""
    site = tmp_path_factory.mktemp("site-packages")
    monkeypatch.syspath_prepend(str(site))
    pipeline._dependency_versions.cache_clear()
    def install(name: str, version: str) -> None:
        info = site / f"{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\n"
                                       f"Version: {version}\n")
        pipeline._dependency_versions.cache_clear()
    yield install
    pipeline._dependency_versions.cache_clear()


@pytest.mark.slow
def test_only_the_tools_own_dependencies_rebuild_leaflets(project, installed):
    project.write("campaigns/test.yaml", EN_ONLY)
    assert project.run(*PRINT_EN).status == 0
    installed("left-pad-for-python", "1.0")  # unrelated to leaflets
    assert "0 leaflets built, 1 up to date" in project.run(*PRINT_EN).out
    installed("qrcode", "99.0")  # a new version of a dependency
    assert "1 leaflets built, 0 drafts" in project.run(*PRINT_EN).out


def test_a_file_pypdf_cannot_read_is_unreadable_not_a_crash(good_pdf, monkeypatch):
    """pypdf, the second reader of the text, is imported only when it reads: a file it cannot
    read is still reported unreadable, with no traceback."""
    import pypdf
    from pypdf.errors import PdfReadError

    def cannot_read(path):
        raise PdfReadError("EOF marker not found")

    monkeypatch.setattr(pypdf, "PdfReader", cannot_read)
    failed = [check for check in preflight(good_pdf).checks if not check.ok]
    assert [(check.summary, check.problems) for check in failed] == [
        ("not a readable PDF", ("not a readable PDF (pypdf: EOF marker not found)",))]

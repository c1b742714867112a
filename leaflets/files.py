"""Reading input files within a size limit, and atomic writes: a reader never sees a
half-written file in output/ or locales/."""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .problems import InputError, Problem, SetupError

# Campaigns, the registry and catalogs are a few kilobytes; a larger file is a mistake or an
# attack (YAML and .po parsing in pure Python takes seconds and hundreds of MB per 10 MB).
MAX_INPUT_BYTES = 1_000_000
MAX_INPUT_TEXT = "1 MB"


def read_input(path: Path, shown: str) -> bytes:
    """The bytes of an input file, refused (positioned at the file) when it is larger than
    ``MAX_INPUT_BYTES``, before it is read; never more than that is read, whatever the file."""
    too_large = Problem(shown, message=f"the file is larger than {MAX_INPUT_TEXT}, the limit "
                        "for a campaign, registry, catalog or asset file: nothing in it was read")
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise InputError([too_large])
        with path.open("rb") as stream:
            data = stream.read(MAX_INPUT_BYTES + 1)  # a file that grows, or is no regular file
    except OSError as error:
        raise InputError([Problem(shown, message=f"cannot be read: {error.strerror or error}")]) \
            from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError([too_large])
    return data


def decode_utf8(data: bytes, shown: str, *, byte_order_mark: bool = False) -> str:
    """The text of a UTF-8 file; a byte that is not UTF-8 is a problem at its line and column
    (counted in characters, as editors count). ``byte_order_mark``: one at the start is allowed
    and dropped."""
    try:
        return data.decode("utf-8-sig" if byte_order_mark else "utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        column = len(data[line_start:error.start].decode("utf-8", errors="replace")) + 1
        raise InputError([Problem(shown, line, column, "",
                                  f"not UTF-8 text: byte 0x{data[error.start]:02x} cannot be "
                                  "read; save the file as UTF-8")]) from None


def characters_refused(text: str, refused: re.Pattern, shown: str,
                       message: str) -> list[Problem]:
    """A problem at the first character of each line that ``refused`` matches; ``message`` may
    name it as ``{code}`` (``U+0000``)."""
    problems: dict[int, Problem] = {}
    for match in refused.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if line not in problems:
            column = match.start() - text.rfind("\n", 0, match.start())
            problems[line] = Problem(shown, line, column, "",
                                     message.format(code=f"U+{ord(match.group()):04X}"))
    return list(problems.values())


def read_text_input(path: Path, shown: str, *, byte_order_mark: bool = False) -> str:
    """``read_input`` then ``decode_utf8``."""
    return decode_utf8(read_input(path, shown), shown, byte_order_mark=byte_order_mark)


class WriteError(SetupError):
    """A file or folder in output/ or locales/ could not be written (read-only, disk full)."""

    def __init__(self, path: Path, reason: str):
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.reason}"


@contextmanager
def writing(path: Path):
    """Any OSError inside the block becomes a WriteError naming ``path``: the file meant, not a
    temporary file beside it."""
    try:
        yield
    except OSError as error:
        raise WriteError(path, error.strerror or str(error)) from None


def write_if_changed(path: Path, data: bytes | str) -> bool:
    """``write_atomic`` unless the file already holds these bytes (a rebuild that changes nothing
    rewrites nothing); whether it wrote."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except OSError:
        pass  # missing or unreadable: written below
    write_atomic(path, raw)
    return True


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temporary file beside ``path``, then rename it into place; on any failure the
    temporary file is removed and WriteError raised."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(raw)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

"""The printing condition a project's print files are made for: their PDF/X output intent.

A project names it in ``print.yaml`` (or with ``--output-intent``): a condition registered at
the ICC's registry (``FOGRA39``, ``FOGRA51`` …), and/or the printer's own ICC profile, a file in
the project. Without either, the files carry the tool's generic profile, as before. CMYK values
are never converted: the output intent says which press they were made for.

The profile is untrusted input (it arrives by e-mail, like a partner's logo): it must lie inside
the project, be at most 8 MB, and be what a printer's profile is, an ICC output profile for CMYK
that LittleCMS can read and turn into a transform. PDF/X-4 needs a profile embedded in its output
intent even for a registered condition, so a registered condition without a file of the printer's
embeds the generic profile, and says so in the bundle.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageCms

from ..inputs.printconfig import PRINT_FILE, section_problems
from ..inputs.yamlfile import load_yaml
from ..problems import InputError, Problem
from ..project import OutsideProject, Project
from .pdfx import PROFILE_FILE

REGISTRY = "http://www.color.org"
MAX_PROFILE_BYTES = 8_000_000  # a press profile is 0.5 to 3 MB
# Characterized printing conditions of the ICC's registry that printers name, with what they
# are (the OutputCondition written beside the identifier) and the profile usually made for it.
REGISTERED = {
    "FOGRA39": ("Commercial offset, coated paper (ISO 12647-2:2004/Amd 1, paper types 1 and 2)",
                "ISO Coated v2 (ECI)"),
    "FOGRA51": ("Commercial offset, premium coated paper (ISO 12647-2:2013, PS1)",
                "PSO Coated v3"),
    "FOGRA52": ("Commercial offset, wood-free uncoated paper (ISO 12647-2:2013, PS5)",
                "PSO Uncoated v3 (FOGRA52)"),
    "FOGRA47": ("Commercial offset, uncoated white paper (ISO 12647-2:2004/Amd 1, paper type 4)",
                "PSO Uncoated ISO12647 (ECI)"),
    "FOGRA29": ("Commercial offset, uncoated paper (ISO 12647-2:2004, paper type 4)",
                "ISO Uncoated"),
    "CGATS TR 001": ("Publication offset, coated paper (SWOP)", "U.S. Web Coated (SWOP)"),
    "CGATS TR 006": ("Commercial offset, coated #1 paper (GRACoL)", "GRACoL2006_Coated1v2"),
}


@dataclass(frozen=True)
class OutputIntent:
    """What the print files' output intent says, and the profile it embeds."""

    identifier: str  # OutputConditionIdentifier
    condition: str  # OutputCondition: what the condition is, in words
    registry: str | None  # RegistryName: REGISTRY for a registered condition
    profile: Path  # the ICC profile embedded as DestOutputProfile
    profile_name: str  # its description tag
    profile_sha256: str
    printers_profile: bool  # the profile came from the project (the printer), not the tool

    @property
    def key(self) -> str:
        """What a print file depends on: changes when the condition or the profile does."""
        return f"{self.identifier}|{self.registry}|{self.profile_sha256}"

    def describe(self) -> str:
        """One line for the printer: ``FOGRA39 (registered at http://www.color.org) …``."""
        named = f"{self.identifier} (registered at {self.registry})" if self.registry \
            else self.identifier
        if self.printers_profile:
            return f"{named}, profile {self.profile.name} ({self.profile_name}), the printer's"
        if self.registry:
            return (f"{named}, with the tool's generic profile {self.profile.name} embedded "
                    "(PDF/X-4 requires one; ask for the condition's ICC profile: "
                    f"{REGISTERED[self.identifier][1]})")
        return f"{named}, the tool's generic profile {self.profile.name}"


def default_intent() -> OutputIntent:
    """The generic profile, named by its own description: no registered condition."""
    data = PROFILE_FILE.read_bytes()
    name = _description(data)
    return OutputIntent(name, name, None, PROFILE_FILE, name, _sha256(data), False)


def resolve(project: Project, given: tuple[str, ...] = ()) -> OutputIntent:
    """The project's output intent: ``given`` (the ``--output-intent`` values: a registered
    identifier and/or an ICC file) over ``print.yaml`` over the default. InputError lists every
    problem, positioned."""
    condition: str | None = None
    profile: PrintersProfile | None = None
    problems: list[Problem] = []
    path = project.root / PRINT_FILE
    if path.is_file():
        condition, profile, problems = _from_print_file(project, path)
    if given:
        condition, profile, problems = _from_option(project, given, problems)
    if problems:
        raise InputError(problems)
    if profile is None:
        intent = default_intent()
        if condition is None:
            return intent
        return OutputIntent(condition, REGISTERED[condition][0], REGISTRY, intent.profile,
                            intent.profile_name, intent.profile_sha256, False)
    real, data, name = profile
    if condition is None:
        return OutputIntent(name, name, None, real, name, _sha256(data), True)
    return OutputIntent(condition, REGISTERED[condition][0], REGISTRY, real, name, _sha256(data),
                        True)


# A printer's ICC profile read from the project: its real path, its bytes, its description.
PrintersProfile = tuple[Path, bytes, str]
# What print.yaml or --output-intent names: a registered condition, a printer's profile, and
# the problems found on the way.
Named = tuple[str | None, PrintersProfile | None, list[Problem]]


def _from_print_file(project: Project, path: Path) -> Named:
    shown = project.shown(path)
    document = load_yaml(project.confine(path), shown)
    data = document.data
    if data is None:
        return None, None, []  # an empty file
    if (problems := section_problems(document)) or not isinstance(data, dict):
        return None, None, problems  # section_problems says why
    if "output_intent" not in data:
        return None, None, []  # its other sections are printconfig.py's
    intent = data["output_intent"]
    if not isinstance(intent, dict) or not intent or set(intent) - {"condition", "profile"}:
        return None, None, [document.problem(("output_intent",), "needs "
                                             "condition: (a registered identifier such as "
                                             "FOGRA39) and/or profile: (an ICC file in the "
                                             "project, relative to the project's folder), and "
                                             "nothing else")]
    condition = intent.get("condition")
    if condition is not None and (problem := _condition_problem(condition)):
        problems.append(document.problem(("output_intent", "condition"), problem))
        condition = None
    profile = None
    if intent.get("profile") is not None:
        where = document.problem(("output_intent", "profile"), "")
        value = intent["profile"]
        if not isinstance(value, str) or not value.strip():
            problems.append(document.problem(("output_intent", "profile"),
                                             "the profile is a path to an ICC file in the "
                                             "project, relative to the project's folder"))
        else:
            profile, found = read_profile(project, project.root / value, where)
            problems += found
    return condition, profile, problems


def _from_option(project: Project, given: tuple[str, ...], problems: list[Problem]) -> Named:
    """--output-intent values: at most one registered identifier and one ICC file (a value
    ending in .icc or .icm, relative to the project)."""
    files = [value for value in given if value.lower().endswith((".icc", ".icm"))]
    names = [value for value in given if value not in files]
    condition, profile = None, None
    where = Problem("--output-intent")
    if len(files) > 1 or len(names) > 1:
        problems.append(Problem("--output-intent", message="give one registered condition "
                                "and/or one ICC file"))
    if names:
        if problem := _condition_problem(names[0]):
            problems.append(Problem("--output-intent", message=problem))
        else:
            condition = names[0]
    if files:
        profile, found = read_profile(project, project.root / files[0], where)
        problems += found
    return condition, profile, problems


def _condition_problem(condition: object) -> str | None:
    if isinstance(condition, str) and condition in REGISTERED:
        return None
    return (f"unknown printing condition {condition!r}: give an identifier registered at "
            f"{REGISTRY} ({', '.join(REGISTERED)}), or the printer's ICC file as profile")


def read_profile(project: Project, path: Path,
                 where: Problem) -> tuple[PrintersProfile | None, list[Problem]]:
    """(real path, bytes, description) of a printer's ICC profile, or None with the problems
    (positioned like ``where``): inside the project, at most 8 MB, an ICC output profile for
    CMYK that LittleCMS can read and build a transform from."""
    # No file is named so; the operating system refuses the name, and so does resolving it.
    shown = project.shown(path) if "\0" not in str(path) else repr(str(path))

    def problem(message: str) -> Problem:
        return Problem(where.file, where.line, where.column, where.path, f"{shown}: {message}")

    if "\0" in str(path):
        return None, [problem("a NUL character in the path: write the ICC file's name")]
    root = project.root.absolute()
    if not Path(os.path.normpath(root / path)).is_relative_to(root):
        return None, [problem("outside the project: the printer's ICC file is copied into the "
                              "project and named by its path inside it")]
    try:
        real = project.confine(path)
    except OutsideProject as error:
        return None, [problem(str(p.message)) for p in error.problems]
    try:
        if not real.is_file():
            return None, [problem("no such file in the project")]
        if real.stat().st_size > MAX_PROFILE_BYTES:
            return None, [problem(f"larger than {MAX_PROFILE_BYTES // 1_000_000} MB: no press "
                                  "profile is; nothing in it was read")]
        with real.open("rb") as stream:
            data = stream.read(MAX_PROFILE_BYTES + 1)
    except OSError as error:
        return None, [problem(f"cannot be read: {error.strerror or error}")]
    reason = profile_problem(data)
    if reason:
        return None, [problem(reason)]
    return (real, data, _description(data)), []


@lru_cache(maxsize=8)  # check reads the same embedded profile in every file
def profile_problem(data: bytes) -> str | None:
    """Why ``data`` is not a printer's CMYK output profile, or None."""
    if len(data) > MAX_PROFILE_BYTES:
        return f"larger than {MAX_PROFILE_BYTES // 1_000_000} MB"
    if len(data) < 132 or data[36:40] != b"acsp":
        return "not an ICC profile (no 'acsp' signature in its header)"
    declared = struct.unpack(">I", data[:4])[0]
    if declared != len(data):
        return f"its header declares {declared} bytes, the file has {len(data)}: cut or padded"
    device_class, space = data[12:16], data[16:20]
    if device_class != b"prtr" or space != b"CMYK":
        return (f"a {_CLASSES.get(device_class, repr(device_class.decode('latin-1')))} profile "
                f"for {space.decode('latin-1').strip() or '?'}: the output intent needs the "
                "printer's output profile for CMYK")
    try:
        opened = ImageCms.ImageCmsProfile(io.BytesIO(data))
        ImageCms.buildTransform(opened, ImageCms.createProfile("sRGB"), "CMYK", "RGB")
    except (ImageCms.PyCMSError, OSError, ValueError) as error:
        return f"LittleCMS cannot use it ({error})"
    return None


_CLASSES = {b"mntr": "display (RGB screen)", b"scnr": "scanner (input)", b"link": "device link",
            b"spac": "colour space", b"abst": "abstract", b"nmcl": "named colour"}


def _description(data: bytes) -> str:
    profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
    return ImageCms.getProfileDescription(profile).strip() or "unnamed profile"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

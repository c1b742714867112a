"""The registry of hotline numbers (campaigns/hotlines.yaml): the only place digits come from.

Numbers never pass through translation: text says ``{hotline}`` and the number is put in after
translation, formatted here. Full numbers are checked with phonenumbers; short codes (916) are
dialled as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import phonenumbers
from pydantic import field_validator, model_validator

from .pdfx import reference_date
from .problems import InputError, Problem
from .project import Project
from .schema import StrictModel, validate
from .yamlfile import load_yaml

COUNTRY = "AZ"
SHORT_CODE = re.compile(r"^[1-9][0-9]{2,3}$")
HOTLINE_ID = re.compile(r"^[a-z][a-z0-9-]*$")


class HotlineEntry(StrictModel):
    name: str
    number: str
    hours: str
    source: str
    verified: dt.date | None = None
    example: bool = False  # invented sample data: never verified, never printed as real
    note: str | None = None

    @model_validator(mode="after")
    def _examples_are_never_verified(self) -> "HotlineEntry":
        if self.example and self.verified is not None:
            raise ValueError("an example entry cannot be verified: remove 'verified' or "
                             "'example'")
        return self

    @field_validator("number")
    @classmethod
    def _number_is_dialable(cls, number: str) -> str:
        if SHORT_CODE.match(number):
            return number
        try:
            parsed = phonenumbers.parse(number, COUNTRY)
        except phonenumbers.NumberParseException as error:
            raise ValueError(f"'{number}' is not a phone number ({error})") from None
        if not phonenumbers.is_valid_number(parsed):
            raise ValueError(f"'{number}' is not a valid number in Azerbaijan or abroad; "
                             "write it as dialled, e.g. '+994 12 000 00 00', or a short code "
                             "such as '916'")
        return number


@dataclass(frozen=True)
class Hotline:
    id: str
    name: str
    number: str
    hours: str
    source: str
    verified: dt.date | None
    example: bool
    note: str | None

    @property
    def is_short_code(self) -> bool:
        return bool(SHORT_CODE.match(self.number))

    @property
    def display_number(self) -> str:
        """The number as printed: a short code as it is, a full number in national form."""
        if self.is_short_code:
            return self.number
        parsed = phonenumbers.parse(self.number, COUNTRY)
        style = (phonenumbers.PhoneNumberFormat.NATIONAL
                 if parsed.country_code == phonenumbers.country_code_for_region(COUNTRY)
                 else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return phonenumbers.format_number(parsed, style)

    @property
    def tel_uri(self) -> str:
        """What the QR code holds: ``tel:+994…`` for a full number, ``tel:916`` for a short code."""
        if self.is_short_code:
            return f"tel:{self.number}"
        parsed = phonenumbers.parse(self.number, COUNTRY)
        return "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


class RegistryError(InputError):
    """The registry's problems, with what could still be read of it (``usable``) and the ids of
    the entries that could not (``broken``), so that campaigns are checked all the same."""

    def __init__(self, problems: list[Problem], usable: dict[str, Hotline], broken: set[str]):
        super().__init__(problems)
        self.usable = usable
        self.broken = broken


def load_hotlines(project: Project) -> dict[str, Hotline]:
    """Read and check the registry; RegistryError lists every problem in it."""
    shown = project.shown(project.hotlines_file)
    if not project.hotlines_file.is_file():
        raise InputError([Problem(shown, message="the hotline registry is missing")])
    document = load_yaml(project.hotlines_file, shown)
    if not isinstance(document.data, dict) or not document.data:
        raise InputError([document.problem((), "expected a mapping of hotline ids to hotlines")])
    problems: list[Problem] = []
    hotlines = {}
    today = reference_date()
    for hotline_id, data in document.data.items():
        if not HOTLINE_ID.match(str(hotline_id)):
            problems.append(document.problem((hotline_id,), f"hotline id '{hotline_id}' must be "
                                             "lower-case letters, digits and hyphens",
                                             at_key=True))
            continue
        entry, found = validate(document, HotlineEntry, data, prefix=(hotline_id,))
        problems += found
        if entry and entry.verified and entry.verified > today:
            # Else a date typed a year ahead would keep the number "fresh" for the bundle.
            problems.append(document.problem(
                (hotline_id, "verified"), f"{entry.verified} is in the future (the build's date "
                f"is {today}): write the date the number was checked"))
        elif entry:
            hotlines[hotline_id] = Hotline(hotline_id, **entry.model_dump())
    if problems:
        raise RegistryError(problems, hotlines, set(map(str, document.data)) - set(hotlines))
    return hotlines

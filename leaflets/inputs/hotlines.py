"""The registry of hotline numbers (campaigns/hotlines.yaml): the only place digits come from.

Numbers never pass through translation: text says ``{hotline}`` and the number is put in after
translation, formatted here. Full numbers are checked with phonenumbers; short codes (916) are
dialled as they are. A short code cannot be dialled from abroad, so an entry may also carry a
full international number for callers abroad (``abroad``), with its own source and check date.
"""

from __future__ import annotations

import datetime as dt
import re

import phonenumbers
from pydantic import PrivateAttr, field_validator, model_validator

from ..problems import InputError, Problem
from ..project import Project
from ..translation.text_rules import disguised_numbers, typed_numbers
from .schema import StrictModel, validate
from .yamlfile import load_yaml

COUNTRY = "AZ"
DIALLED = re.compile(r"\+?[0-9(][0-9 ()-]*[0-9]\Z")
SHORT_CODE = re.compile(r"^[1-9][0-9]{2,3}$")
HOTLINE_ID = re.compile(r"^[a-z][a-z0-9-]*$")


def _parse_full_number(number: str) -> phonenumbers.PhoneNumber:
    """A full number read as dialled in Azerbaijan; ValueError when it is not a valid one."""
    try:
        parsed = phonenumbers.parse(number, COUNTRY)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"'{number}' is not a phone number ({error})") from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(f"'{number}' is not a valid number in Azerbaijan or abroad; "
                         "write it as dialled, e.g. '+994 12 000 00 00', or a short code "
                         "such as '916'")
    return parsed


class AbroadNumber(StrictModel):
    """The number to dial from outside Azerbaijan, for a hotline known by a short code. Printed
    only where a campaign's audience may be abroad, and only once ``verified``."""

    number: str
    source: str
    verified: dt.date | None = None

    @field_validator("number")
    @classmethod
    def _number_is_international(cls, number: str) -> str:
        if not number.startswith("+"):
            raise ValueError(f"'{number}' is not in international form: a number for callers "
                             "abroad starts with + and the country code (E.164), e.g. "
                             "'+994 12 000 00 00'")
        _parse_full_number(number)
        return number

    @property
    def display_number(self) -> str:
        """In international form, as a caller abroad dials it: ``+994 12 000 00 00``."""
        return phonenumbers.format_number(_parse_full_number(self.number),
                                          phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    @property
    def tel_uri(self) -> str:
        return "tel:" + phonenumbers.format_number(_parse_full_number(self.number),
                                                   phonenumbers.PhoneNumberFormat.E164)


class Hotline(StrictModel):
    """One entry of the registry. Its id is the key it is listed under, not one of its fields:
    ``listed_as`` names it."""

    name: str
    number: str
    hours: str
    source: str
    verified: dt.date | None = None
    example: bool = False  # invented sample data: never verified, never printed as real
    note: str | None = None
    abroad: AbroadNumber | None = None
    _id: str = PrivateAttr(default="")

    @property
    def id(self) -> str:
        return self._id

    def listed_as(self, hotline_id: str) -> Hotline:
        """This entry named by the id it is listed under in the registry."""
        named = self.model_copy()
        named._id = hotline_id
        return named

    @field_validator("name", "hours")
    @classmethod
    def _no_number_in_words(cls, text: str) -> str:
        # Printed as they are (translated), beside the number: a number or a placeholder
        # written into them would reach the page without the checks a campaign text gets.
        if typed_numbers(text):
            raise ValueError(f"the number '{typed_numbers(text)[0]}' is written into the text: "
                             "a hotline's words never hold a number; its number is 'number'")
        if disguised_numbers(text):
            raise ValueError(f"'{disguised_numbers(text)[0]}' is written with letters that look "
                             "like digits, so it reads as a number: a hotline's words never "
                             "hold a number; write the word with its own letters")
        if "{" in text or "}" in text:
            raise ValueError("braces are not allowed here: a hotline's words hold no "
                             "placeholder")
        return text

    @field_validator("name")
    @classmethod
    def _name_starts_with_a_word(cls, name: str) -> str:
        # The lists set the name beside the number, in one line of text: "919 24/7 line" reads
        # as 91924 (the preflight would refuse every leaflet listing it, naming no cause).
        if name.lstrip()[:1].isdigit():
            raise ValueError("a hotline's name is printed beside its number, so a name that "
                             "starts with a digit reads as part of the number: begin it with a "
                             "word")
        return name

    @model_validator(mode="after")
    def _examples_are_never_verified(self) -> Hotline:
        if self.example and self.verified is not None:
            raise ValueError("an example entry cannot be verified: remove 'verified' or "
                             "'example'")
        if self.example and self.abroad and self.abroad.verified is not None:
            raise ValueError("an example entry cannot be verified: remove 'abroad.verified' or "
                             "'example'")
        return self

    @field_validator("number")
    @classmethod
    def _number_is_dialable(cls, number: str) -> str:
        if not DIALLED.match(number):
            # phonenumbers reads letters as keypad digits and "ext." as an extension: neither
            # is printed or dialled as written.
            raise ValueError(f"{number!r}: write the number with digits only, as dialled "
                             "(spaces, brackets, dashes and a leading + allowed)")
        if not SHORT_CODE.match(number):
            _parse_full_number(number)
        return number

    @property
    def verified_abroad(self) -> AbroadNumber | None:
        """The number for callers abroad, when there is one and it has been checked."""
        return self.abroad if self.abroad and self.abroad.verified is not None else None

    @property
    def is_short_code(self) -> bool:
        return bool(SHORT_CODE.match(self.number))

    @property
    def display_number(self) -> str:
        """The number as printed: a short code as it is, a full number in national form."""
        if self.is_short_code:
            return self.number
        parsed = _parse_full_number(self.number)
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


def load_hotlines(project: Project, today: dt.date | None = None) -> dict[str, Hotline]:
    """Read and check the registry as of ``today`` (a check date after it is a mistake): the
    build's date, SOURCE_DATE_EPOCH's when it is set (loading.py passes it); default the
    clock's. RegistryError lists every problem in it."""
    today = today or dt.date.today()
    shown = project.shown(project.hotlines_file)
    if not project.hotlines_file.is_file():
        raise InputError([Problem(shown, message="the hotline registry is missing")])
    document = load_yaml(project.confine(project.hotlines_file), shown)
    if not isinstance(document.data, dict) or not document.data:
        raise InputError([document.problem((), "expected a mapping of hotline ids to hotlines")])
    problems: list[Problem] = []
    hotlines = {}
    for hotline_id, data in document.data.items():
        if not HOTLINE_ID.match(str(hotline_id)):
            problems.append(document.problem((hotline_id,), f"hotline id '{hotline_id}' must be "
                                             "lower-case letters, digits and hyphens",
                                             at_key=True))
            continue
        entry, found = validate(document, Hotline, data, prefix=(hotline_id,))
        problems += found
        # Else a date typed a year ahead would keep the number "fresh" for the bundle.
        future = [(path, date) for path, date in (
            ((hotline_id, "verified"), entry and entry.verified),
            ((hotline_id, "abroad", "verified"), entry and entry.abroad and entry.abroad.verified))
            if date and date > today]
        problems += [document.problem(path, f"{date} is in the future (the build's date is "
                                      f"{today}): write the date the number was checked")
                     for path, date in future]
        if entry and not future:
            hotlines[hotline_id] = entry.listed_as(hotline_id)
    problems += [document.problem((hotline.id, "number"), message)
                 for hotline, message in _shared_numbers(hotlines)]
    if problems:
        raise RegistryError(problems, hotlines, set(map(str, document.data)) - set(hotlines))
    return hotlines


def _shared_numbers(hotlines: dict[str, Hotline]) -> list[tuple[Hotline, str]]:
    """Each entry whose number (as dialled) an entry above it has already: each line has its
    own number, so one of the two was copied and not changed, and a leaflet would print the
    other's number under its name."""
    first: dict[str, Hotline] = {}
    found = []
    for hotline in hotlines.values():
        earlier = first.setdefault(hotline.tel_uri, hotline)
        if earlier is not hotline:
            found.append((hotline, f"{hotline.number!r} is the number of {earlier.id} too: an "
                          "entry copied and not changed? Each line has its own number; if it is "
                          f"the same line, keep one entry and name {earlier.id} where "
                          f"{hotline.id} is used"))
    return found

"""Pydantic models checked against a positioned YAML document, errors turned into Problems."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.fields import FieldInfo

from ..problems import Problem
from .yamlfile import YamlDocument, quoted_value_fix

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails  # what ValidationError.errors() lists

Model = TypeVar("Model", bound=BaseModel)


class StrictModel(BaseModel):
    """No unknown keys, no silent type coercion (a number is not a string)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _message(error: ErrorDetails, field: FieldInfo | None, model_fields: list[str],
             line: str | None) -> str:
    """Pydantic's error in a person's words, with the fix where there is an obvious one.
    ``line`` is the YAML line the value starts on."""
    kind = error["type"]
    if kind == "extra_forbidden":
        known = ", ".join(model_fields)
        return f"unknown key '{error['loc'][-1]}'" + (f" (known: {known})" if known else "")
    if kind == "missing":
        return f"missing required key '{error['loc'][-1]}'"
    value = error["input"]
    if kind == "string_type" and isinstance(value, dict) and len(value) == 1 and line:
        # "- Warning: check the offer" is a mapping to YAML, not a text.
        return ("a value that contains ': ' must be in quotes: write "
                f"{quoted_value_fix(line)}")
    if kind == "list_type":
        examples = field.examples if field is not None and field.examples else []
        expected = f"a list such as {examples[0]}" if examples else "a list"
        fix = f": write [{value}]" if isinstance(value, str) else ""
        return f"expected {expected}, got {_describe(value)}{fix}"
    if kind in ("string_type", "dict_type", "model_type", "int_type", "date_type",
                "float_type", "bool_type"):
        expected = {"string_type": "text", "dict_type": "a mapping",
                    "model_type": "a mapping", "bool_type": "true or false",
                    "int_type": "a whole number", "date_type": "a date (YYYY-MM-DD)",
                    "float_type": "a number"}[kind]
        return f"expected {expected}, got {_describe(value)}"
    message = error["msg"]
    return message.removeprefix("Value error, ")


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _field_at(model: type[BaseModel], location: tuple) -> FieldInfo | None:
    """The field a location in the data names (``("content", "sections", 0, "points")``)."""
    current: object = model
    field = None
    for part in location:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _model_in(field.annotation)
    return field


def _fields_at(model: type[BaseModel], location: tuple) -> list[str]:
    """The keys allowed where an unknown key was found, for a helpful message."""
    parent = _field_at(model, location[:-1]) if location[:-1] else None
    current = _model_in(parent.annotation) if parent is not None else model
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: object) -> object:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def validate(document: YamlDocument, model: type[Model], data: object = None,
             prefix: tuple = ()) -> tuple[Model | None, list[Problem]]:
    """Validate ``data`` (default: the whole document) found at ``prefix`` in the document."""
    data = document.data if data is None else data
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        errors = []
        for item in error.errors():
            location = _yaml_location(data, item["loc"])
            errors.append((location, item))
        misspelt = _misspelt_keys(model, errors)
        problems = []
        for location, item in errors:
            path = (*prefix, *location)
            if item["type"] == "missing":
                if location in misspelt.values():
                    continue  # told as "did you mean" at the misspelt key
                path = path[:-1]  # point at the mapping that lacks the key
            if location in misspelt:
                message = f"unknown key '{location[-1]}': did you mean '{misspelt[location][-1]}'?"
            else:
                line = document.line(document.value_positions.get(path, (0, 0))[0])
                message = _message(item, _field_at(model, location),
                                   _fields_at(model, location), line)
            problems.append(document.problem(path, message,
                                             at_key=item["type"] == "extra_forbidden"))
        return None, problems


def _misspelt_keys(model: type[BaseModel], errors: list[tuple[tuple, ErrorDetails]]
                   ) -> dict[tuple, tuple]:
    """Unknown keys that are a known key misspelt (``headlin``), each with the location of the
    key meant: that key missing and the other unknown are one mistake, told once."""
    missing = {location for location, item in errors if item["type"] == "missing"}
    misspelt = {}
    for location, item in errors:
        if item["type"] != "extra_forbidden" or not location \
                or not isinstance(location[-1], str):
            continue
        known = _fields_at(model, location)
        # A missing key is the likelier meaning; else any key the mapping may have.
        absent = [name for name in known if (*location[:-1], name) in missing]
        close = (difflib.get_close_matches(location[-1], absent, n=1, cutoff=0.6)
                 or difflib.get_close_matches(location[-1], known, n=1, cutoff=0.75))
        if close:
            misspelt[location] = (*location[:-1], close[0])
    return misspelt


def _yaml_location(data: object, location: tuple) -> tuple:
    """Pydantic's location of an error with only the keys and indexes of the YAML: it adds the
    names of union members and "function-after" steps. A key of the data is kept whatever it
    looks like (``locales[``), and so is the name of a missing key."""
    kept = []
    for part in location:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        elif not isinstance(part, int) and _is_internal(part):
            continue
        else:
            data = None
        kept.append(part)
    return tuple(kept)


def _is_internal(part: str) -> bool:
    return "[" in part or part.startswith("function-") or part in ("str", "list[str]", "dict")

"""Pydantic models checked against a positioned YAML document, errors turned into Problems."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from .problems import Problem
from .yamlfile import YamlDocument

Model = TypeVar("Model", bound=BaseModel)


class StrictModel(BaseModel):
    """No unknown keys, no silent type coercion (a number is not a string)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _message(error: dict, model_fields: list[str]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        known = ", ".join(model_fields)
        return f"unknown key '{error['loc'][-1]}'" + (f" (known: {known})" if known else "")
    if kind == "missing":
        return f"missing required key '{error['loc'][-1]}'"
    if kind in ("string_type", "list_type", "dict_type", "model_type", "int_type", "date_type",
                "float_type", "bool_type"):
        expected = {"string_type": "text", "list_type": "a list", "dict_type": "a mapping",
                    "model_type": "a mapping", "bool_type": "true or false",
                    "int_type": "a whole number", "date_type": "a date (YYYY-MM-DD)",
                    "float_type": "a number"}[kind]
        return f"expected {expected}, got {_describe(error['input'])}"
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


def _fields_at(model: type[BaseModel], location: tuple) -> list[str]:
    """The keys allowed where an unknown key was found, for a helpful message."""
    current: object = model
    for part in location[:-1]:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
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
        problems = []
        for item in error.errors():
            # Pydantic adds the names of union members and "function-after" steps to locations;
            # only keys and indexes exist in the YAML.
            location = tuple(p for p in item["loc"] if isinstance(p, int) or not _is_internal(p))
            path = (*prefix, *location)
            if item["type"] == "missing":  # point at the mapping that lacks the key
                path = path[:-1]
            message = _message(item, _fields_at(model, location))
            problems.append(document.problem(path, message,
                                             at_key=item["type"] == "extra_forbidden"))
        return None, problems


def _is_internal(part: str) -> bool:
    return "[" in part or part.startswith("function-") or part in ("str", "list[str]", "dict")

"""YAML documents read together with the position of every key and value.

Validation messages point at ``file:line:column``, so the loader keeps, for each path into the
document (``("content", "sections", 1, "points", 2)``), where its value starts and where its key is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import InputError, Problem

YamlPath = tuple[str | int, ...]


def format_path(path: YamlPath) -> str:
    """``("content", "sections", 1, "heading")`` → ``content.sections[1].heading``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass
class YamlDocument:
    file: str  # as shown to the user, relative to the project
    data: object
    value_positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)

    def problem(self, path: YamlPath, message: str, *, at_key: bool = False) -> Problem:
        """A problem positioned at ``path``, or at its nearest ancestor that exists."""
        positions = self.key_positions if at_key else self.value_positions
        probe = path
        while probe not in positions and probe not in self.value_positions and probe:
            probe = probe[:-1]
        line, column = positions.get(probe) or self.value_positions.get(probe, (1, 1))
        return Problem(self.file, line, column, format_path(path), message)


# Only its constructor is used: it turns scalar nodes into Python values with YAML's safe tags.
_SCALARS = yaml.SafeLoader("")


class _PositionedBuilder:
    def __init__(self, document: YamlDocument, problems: list[Problem]):
        self.document = document
        self.problems = problems

    def build(self, node: yaml.Node, path: YamlPath) -> object:
        mark = node.start_mark
        self.document.value_positions[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                key = self._scalar(key_node, path)
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    key = str(key)
                child = (*path, key)
                key_mark = key_node.start_mark
                if key in result:
                    self.problems.append(Problem(self.document.file, key_mark.line + 1,
                                                 key_mark.column + 1, format_path(child),
                                                 f"duplicate key '{key}'"))
                self.document.key_positions[child] = (key_mark.line + 1, key_mark.column + 1)
                result[key] = self.build(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: YamlPath) -> object:
        try:
            return _SCALARS.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError) as error:
            # A date such as 2026-02-30 looks like a date to YAML but is none.
            mark = node.start_mark
            self.problems.append(Problem(self.document.file, mark.line + 1, mark.column + 1,
                                         format_path(path),
                                         f"'{node.value}' is not a valid value ({error})"))
            return node.value


def load_yaml(path: Path, shown_as: str) -> YamlDocument:
    """Parse one YAML file; raise InputError (positioned) for syntax errors and duplicate keys."""
    document = YamlDocument(file=shown_as, data=None)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError([Problem(shown_as, None, None, "", f"not UTF-8 text ({error.reason})")])
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        detail = error.problem or str(error)
        if error.context:
            detail = f"{detail} ({error.context})"
        raise InputError([Problem(shown_as, line, column, "", f"YAML syntax error: {detail}")])
    problems: list[Problem] = []
    if root is not None:
        document.data = _PositionedBuilder(document, problems).build(root, ())
    if problems:
        raise InputError(problems)
    return document

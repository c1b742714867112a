"""YAML documents read together with the position of every key and value.

Validation messages point at ``file:line:column``, so the loader keeps, for each path into the
document (``("content", "sections", 1, "points", 2)``), where its value starts and where its key is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..files import characters_refused, read_text_input
from ..problems import InputError, Problem

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
    lines: list[str] = field(default_factory=list, repr=False)  # the text, quoted in problems

    def problem(self, path: YamlPath, message: str, *, at_key: bool = False) -> Problem:
        """A problem positioned at ``path``, or at its nearest ancestor that exists."""
        positions = self.key_positions if at_key else self.value_positions
        probe = path
        while probe not in positions and probe not in self.value_positions and probe:
            probe = probe[:-1]
        line, column = positions.get(probe) or self.value_positions.get(probe, (1, 1))
        return self.at(line, column, message, path)

    def at(self, line: int, column: int, message: str, path: YamlPath = ()) -> Problem:
        """A problem at a line and column (1-based), quoting the line."""
        return Problem(self.file, line, column, format_path(path), message, self.line(line))

    def line(self, number: int) -> str | None:
        """The text of a line (1-based); None past the end of the file."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else None

    def at_mark(self, mark: yaml.Mark, message: str, path: YamlPath = ()) -> Problem:
        return self.at(mark.line + 1, mark.column + 1, message, path)


# Campaigns nest five levels deep. PyYAML composes nodes recursively, so a few hundred levels
# overflow Python's stack (RecursionError), and its scanner reads ahead over every "[" or "{"
# that could start a key, in time growing with the square of their number.
MAX_NESTING = 50


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark):
        super().__init__(mark)
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader without anchors, aliases and tags, and with a nesting limit.

    Campaigns need none of them. An alias expands to a copy of its anchor's value, so nine
    nested levels of nine aliases each (an "alias bomb") make 9⁹ values from a few hundred
    bytes; a tag chooses how a value is constructed (``!!binary``, ``!!timestamp``). Each one is
    a problem, all listed; an alias stands for nothing and a tagged value is read as untagged,
    so that the rest of the file is still checked.
    """

    def __init__(self, text: str, document: YamlDocument, problems: list[Problem]):
        super().__init__(text)
        self.document = document
        self.problems = problems
        self.depth = 0

    def fetch_flow_collection_start(self, TokenClass):
        if self.flow_level >= MAX_NESTING:
            raise _TooDeep(self.get_mark())
        super().fetch_flow_collection_start(TokenClass)

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            self.problems.append(self.document.at_mark(
                event.start_mark, "anchors and aliases (&name, *name) are not allowed: write "
                "each value out in full"))
        if isinstance(event, yaml.AliasEvent):
            self.get_event()
            return yaml.ScalarNode("tag:yaml.org,2002:null", "", event.start_mark,
                                   event.end_mark)
        if event.tag is not None:
            self.problems.append(self.document.at_mark(
                event.start_mark, f"tags ({event.tag}) are not allowed: write text in quotes "
                "instead"))
            event.tag = None
        if self.depth >= MAX_NESTING:
            raise _TooDeep(event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# With aliases refused, a merge key ("<<: *defaults") merges nothing: "<<" and "=" are text.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers
            if tag not in ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


class _PositionedBuilder:
    """Python values from the composed nodes, recording each one's position."""

    def __init__(self, document: YamlDocument, problems: list[Problem], loader: _Loader):
        self.document = document
        self.problems = problems
        self.loader = loader  # turns scalar nodes into Python values with YAML's safe tags

    def build(self, node: yaml.Node, path: YamlPath) -> object:
        mark = node.start_mark
        self.document.value_positions[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                key_mark = key_node.start_mark
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(self.document.at_mark(
                        key_mark, "a key must be a word or text, not a list or a mapping"))
                    continue
                key = self._scalar(key_node, path)
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    key = str(key)
                child = (*path, key)
                if key in result:
                    self.problems.append(self.document.at_mark(key_mark, f"duplicate key '{key}'",
                                                               child))
                self.document.key_positions[child] = (key_mark.line + 1, key_mark.column + 1)
                result[key] = self.build(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: YamlPath) -> object:
        if isinstance(node, yaml.ScalarNode) and node.style is None \
                and node.end_mark.line > node.start_mark.line:
            self.problems += _misaligned_items(self.document, node)
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError) as error:
            # A date such as 2026-02-30 looks like a date to YAML but is none.
            self.problems.append(self.document.at_mark(
                node.start_mark, f"'{node.value}' is not a valid value ({error})", path))
            return node.value


def _misaligned_items(document: YamlDocument, node: yaml.ScalarNode) -> list[Problem]:
    """A '-' item indented further than the item above it is no item: YAML reads it as more
    of that item's text ("- a" then "   - b" is the one text "a - b"), without an error."""
    if node.start_mark.line >= len(document.lines):
        return []
    first = document.lines[node.start_mark.line]
    dash = _content_column(first)
    if not first[dash:].startswith("-"):
        return []
    problems = []
    last = min(node.end_mark.line, len(document.lines) - 1)
    for number in range(node.start_mark.line + 1, last + 1):
        line = document.lines[number]
        column = _content_column(line)
        if line[column:].startswith("- ") and column > dash:
            problems.append(document.at(
                number + 1, column + 1, f"the '-' items of a list must line up: this '-' is in "
                f"column {column + 1}, the one on line {node.start_mark.line + 1} in column "
                f"{dash + 1}, so it is read as more of that item's text; indent them with the "
                "same number of spaces"))
    return problems


def load_yaml(path: Path, shown_as: str) -> YamlDocument:
    """Parse one YAML file; raise InputError (positioned) for a file over the size limit, text
    that is not UTF-8 or holds control characters, syntax errors, anchors and aliases, nesting
    deeper than ``MAX_NESTING`` and duplicate keys."""
    text = read_text_input(path, shown_as)
    if problems := characters_refused(text, yaml.reader.Reader.NON_PRINTABLE, shown_as,
                                      "the control character {code} is not allowed in YAML: "
                                      "remove it"):
        raise InputError(problems)
    document = YamlDocument(file=shown_as, data=None, lines=text.splitlines())
    problems = []
    loader = _Loader(text, document, problems)
    try:
        root = loader.get_single_node()
        if root is not None:
            document.data = _PositionedBuilder(document, problems, loader).build(root, ())
    except yaml.MarkedYAMLError as error:
        raise InputError(problems + syntax_problems(error, document)) from None
    except _TooDeep as too_deep:
        raise InputError(problems + [document.at_mark(too_deep.mark, f"nested more than "
                                                      f"{MAX_NESTING} levels deep")]) from None
    finally:
        loader.dispose()
    if problems:
        raise InputError(problems)
    return document


# PyYAML names the construct it was reading when it gave up: "while scanning a quoted scalar".
_CONSTRUCT = re.compile(r"while (?:scanning|parsing) (?:an? )?(?P<what>.+)")
_CONSTRUCT_NAMES = {"quoted scalar": "quoted text", "flow sequence": "[...] list",
                    "flow mapping": "{...} mapping", "block mapping": "mapping",
                    "block collection": "list", "simple key": "key"}


def syntax_problems(error: yaml.MarkedYAMLError, document: YamlDocument) -> list[Problem]:
    """A syntax error in a person's words where the mistake is a common one (a ': ' in a value
    without quotes, a tab, a list or mapping whose items do not line up), with the fix; else
    PyYAML's own words, where the broken construct began (see ``_syntax_problem``)."""
    mark = error.problem_mark
    problem = error.problem or ""
    if mark is not None and mark.line < len(document.lines):
        line = document.lines[mark.line]
        if "'\\t'" in problem:  # found character '\t' that cannot start any token
            return _tab_problems(document, mark)
        if problem == "mapping values are not allowed here":
            return [_colon_problem(document, error, line)]
        if problem.startswith("expected <block end>"):
            return [_line_up_problem(document, error, line)]
    return [_syntax_problem(error, document)]


def _content_column(line: str) -> int:
    """Where the line's content starts (0-based): after its indentation."""
    return len(line) - len(line.lstrip(" "))


def _tab_problems(document: YamlDocument, mark: yaml.Mark) -> list[Problem]:
    """Every line indented with a tab, not only the first one the parser met."""
    message = "use spaces, not tabs: YAML does not accept a tab to indent or to separate"
    problems = [document.at_mark(mark, message)]
    for number, line in enumerate(document.lines, 1):
        indent = line[:len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip() and number != mark.line + 1:
            problems.append(document.at(number, indent.index("\t") + 1, message))
    return problems


# A key at the start of a line's content: "headline:", "- heading:" (a list of mappings). Keys
# are lower-case words; "Warning:" starts a text.
_LEADING_KEY = re.compile(r"(?P<dash>-\s+)?(?P<key>[a-z][a-z0-9_-]*):(?:\s|$)")


def _colon_problem(document: YamlDocument, error: yaml.MarkedYAMLError, line: str) -> Problem:
    """"mapping values are not allowed here": a ': ' inside a value without quotes, or a key
    indented further than the keys above it."""
    mark = error.problem_mark
    start = _content_column(line)
    if ": " not in line[start:mark.column] and not line[start:].startswith("- "):
        return _line_up_problem(document, error, line)
    return document.at_mark(mark, f"a value that contains ': ' must be in quotes: write "
                            f"{quoted_value_fix(line)}")


def quoted_value_fix(line: str) -> str:
    """The line's content with its value in quotes: ``headline: "Warning: signs"``,
    ``- "Warning: signs"``."""
    content = line.strip()
    key = _LEADING_KEY.match(content)
    if key:
        return f"{key['dash'] or ''}{key['key']}: {_quoted(content[key.end():].strip())}"
    dash = re.match(r"-\s+", content)
    return f"- {_quoted(content[dash.end():])}" if dash else _quoted(content)


def _quoted(value: str) -> str:
    """``value`` as a quoted YAML text: in double quotes, or in single quotes when it holds a
    double quote or a backslash (which double quotes would read as an escape)."""
    if '"' in value or "\\" in value:
        return "'" + value.replace("'", "''") + "'"
    return f'"{value}"'


def _line_up_problem(document: YamlDocument, error: yaml.MarkedYAMLError, line: str) -> Problem:
    """A '-' item or a key that does not line up with the one above it; PyYAML's words where
    the lines above show no such thing."""
    mark = error.problem_mark
    column = _content_column(line)
    is_item = line[column:].startswith("-")
    for number in range(mark.line - 1, -1, -1):
        above = document.lines[number]
        content = above.strip()
        if not content or content.startswith("#") or content.startswith("-") != is_item:
            continue
        if _content_column(above) == column:
            break  # lined up: the mistake is another one
        where = (f"this '-' is in column {column + 1}, the one on line {number + 1} in column "
                 f"{_content_column(above) + 1}") if is_item else (
            f"'{_key_of(line)}' is in column {column + 1}, '{_key_of(above)}' on line "
            f"{number + 1} in column {_content_column(above) + 1}")
        what = "the '-' items of a list" if is_item else "the keys of a mapping"
        return document.at(mark.line + 1, column + 1, f"{what} must line up: {where}; indent "
                           "them with the same number of spaces")
    return _syntax_problem(error, document)


def _key_of(line: str) -> str:
    return line.strip().split(":", 1)[0]


def _syntax_problem(error: yaml.MarkedYAMLError, document: YamlDocument) -> Problem:
    """Positioned where the broken construct began (an unclosed quote on line 12), naming where
    the parser gave up (the end of the file): the first is where the mistake is."""
    began, gave_up = error.context_mark, error.problem_mark
    problem = error.problem or error.context
    if began is None or gave_up is None:
        return document.at_mark(began or gave_up, f"YAML syntax error: {problem}")
    where = f"line {gave_up.line + 1}, column {gave_up.column + 1}"
    construct = _CONSTRUCT.fullmatch(error.context or "")
    if construct:
        what = _CONSTRUCT_NAMES.get(construct["what"], construct["what"])
        return document.at_mark(began, f"YAML syntax error in the {what} that starts here: "
                                f"{problem} at {where}")
    return document.at_mark(began, f"YAML syntax error: {error.context}, {problem} at {where}")

"""Logo and icon files (SVG), read as data and never as templates.

Partner logos arrive by e-mail: whatever they hold is untrusted. A file is parsed by expat with no
DOCTYPE allowed (so no entities, internal or external, and nothing fetched), checked against an
allow-list of the SVG that logos and pictograms need, and written out again from what was kept.
What could run, load or refer to anything outside the file is refused, each refusal a positioned
problem (``templates/assets/partners/x.svg:3:5: …``): scripts, ``foreignObject``, images, style
sheets, links, event attributes, any ``href`` or ``url()`` other than a local ``#id``, and text
(a logo's lettering must be in outlines: live text could print words or a number no check reads).
Editor data (Inkscape, Illustrator, RDF metadata, comments) is dropped, as are attributes outside
the allow-list that could do nothing but draw differently (fonts, classes).

Ids are prefixed with the file's name, so that two marks on one page, or a mark and the
leaflet's own elements (``id="qr"``, ``id="section-1"``), can never be confused.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from markupsafe import Markup, escape

from ..files import read_input
from ..problems import InputError, Problem
from ..project import confine
from ..translation.text_rules import disguised_numbers, typed_numbers
from .colour import DEVICE_CMYK

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_DEPTH = 64
MAX_ELEMENTS = 20_000
BLACK = "device-cmyk(0 0 0 1)"  # ``currentColor`` in a logo: 100 % K

# What logos and pictograms are drawn with. ``metadata`` is dropped with its content.
ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line",
    "polyline", "polygon", "clipPath", "linearGradient", "radialGradient", "stop", "use",
})
DROPPED_ELEMENTS = frozenset({"metadata"})
TEXT_ELEMENTS = frozenset({"title", "desc"})  # their text is alt text, never drawn
WHY_REFUSED = {
    "script": "a script could run code",
    "foreignObject": "it could carry a web page",
    "image": "an image could load a file or an address from outside the logo",
    "feImage": "an image could load a file or an address from outside the logo",
    "style": "a style sheet could change the whole leaflet or load files",
    "a": "a link leads outside the leaflet",
    "text": "lettering must be in outlines (converted to paths)",
    "tspan": "lettering must be in outlines (converted to paths)",
    "textPath": "lettering must be in outlines (converted to paths)",
    "iframe": "it could carry a web page",
    "animate": "an animation could change what the logo refers to",
    "set": "an animation could change what the logo refers to",
}

COLOUR_ATTRIBUTES = frozenset({"fill", "stroke", "stop-color", "color"})
PAINT_ATTRIBUTES = frozenset({"fill", "stroke"})  # may also be a local gradient: url(#id)
# Attributes kept, beyond the colours; everything else is dropped, but never silently what could
# load or run something: those are refused (see _attribute_problem).
ATTRIBUTES = COLOUR_ATTRIBUTES | frozenset({
    "id", "d", "points", "x", "y", "width", "height", "rx", "ry", "cx", "cy", "r", "fx", "fy",
    "x1", "y1", "x2", "y2", "offset", "viewBox", "preserveAspectRatio", "transform",
    "fill-opacity", "fill-rule", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity",
    "clip-path", "clip-rule", "clipPathUnits", "gradientUnits", "gradientTransform",
    "spreadMethod", "stop-opacity", "display", "visibility", "role", "aria-label",
    "aria-hidden", "href",
})
REFERENCING = frozenset({"use", "linearGradient", "radialGradient"})  # where href is kept
SAFE_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
URL = re.compile(r"url\s*\(", re.IGNORECASE)
LOCAL_URL = re.compile(r"""url\(\s*(["']?)#([A-Za-z_][A-Za-z0-9_.-]*)\1\s*\)""")
COLOUR_KEYWORDS = frozenset({"none", "currentColor", "inherit"})
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
VIEW_BOX = re.compile(rf"^\s*({NUMBER})[\s,]+({NUMBER})[\s,]+({NUMBER})[\s,]+({NUMBER})\s*$")
PLAIN_LENGTH = re.compile(rf"^\s*({NUMBER})\s*(?:px)?\s*$")


@dataclass
class _Element:
    name: str
    attributes: dict[str, str]
    line: int
    column: int
    children: list[_Element] = field(default_factory=list)
    text: str = ""


@dataclass(frozen=True)
class CleanSvg:
    """A checked SVG, as markup for a page: ``currentColor`` becomes the colour given (the
    icons are drawn in it; a logo's is 100 % K)."""

    root: _Element
    aspect: float  # width over height, from the viewBox

    @property
    def description(self) -> str:
        """The text of the drawing's own ``<desc>`` elements (never drawn)."""
        return " ".join(child.text.strip() for child in self.root.children
                        if child.name == "desc")

    def markup(self, colour: str = BLACK) -> Markup:
        return Markup(_serialise(self.root, colour, f' xmlns="{SVG_NS}"'))


class _Refusal(Exception):
    """Stops the parser at something that must not be read any further (a DOCTYPE)."""


class _Reader:
    """Builds a tree of the allowed elements with their positions, noting every problem."""

    def __init__(self, shown: str):
        self.shown = shown
        self.problems: list[Problem] = []
        self.root: _Element | None = None
        self.stack: list[_Element | None] = []  # None: inside an element being dropped
        self.count = 0
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.ordered_attributes = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        # Refused at its start, a DOCTYPE can declare no entity: an entity reference is then
        # a well-formedness error, so no file is read and nothing expands.
        parser.StartDoctypeDeclHandler = self._doctype
        parser.ProcessingInstructionHandler = self._instruction
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        self.parser = parser

    def problem(self, message: str, line: int | None = None, column: int | None = None) -> None:
        if line is None:
            line, column = self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1
        self.problems.append(Problem(self.shown, line, column, "", message))

    def read(self, data: bytes) -> _Element | None:
        self.data = data
        try:
            self.parser.Parse(data, True)
        except _Refusal:
            return None
        except expat.ExpatError as error:
            self.problems.append(Problem(self.shown, error.lineno, error.offset + 1, "",
                                         f"not a well-formed SVG file: "
                                         f"{expat.ErrorString(error.code)}"))
            return None
        return self.root

    def _doctype(self, *_) -> None:
        # Expat reports it where the declaration's name ends: point at its start instead.
        start = self.data.rfind(b"<!", 0, self.parser.CurrentByteIndex + 1)
        self.problem("a DOCTYPE is not allowed in a logo or icon: it can declare entities "
                     "that read files or expand without end; save the file as plain SVG",
                     self.data.count(b"\n", 0, start) + 1,
                     start - self.data.rfind(b"\n", 0, start))
        raise _Refusal

    def _instruction(self, target: str, _data: str) -> None:
        self.problem(f"the processing instruction <?{target} …?> is not allowed (it could load "
                     "a style sheet)")

    def _start(self, qualified: str, flat: list[str]) -> None:
        line, column = self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1
        namespace, _, name = qualified.rpartition(" ")
        parent = self.stack[-1] if self.stack else None
        parent_dropped = bool(self.stack) and parent is None
        self.count += 1
        if self.count > MAX_ELEMENTS or len(self.stack) >= MAX_DEPTH:
            self.problem(f"too large or too deeply nested (more than {MAX_ELEMENTS} elements "
                         f"or {MAX_DEPTH} levels) for a logo or icon", line, column)
            raise _Refusal
        if parent_dropped:
            element = None
        elif namespace == XHTML_NS:
            self.problem(f"the web page element <{name}> is not allowed in a logo or icon",
                         line, column)
            element = None
        elif namespace not in ("", SVG_NS) or name in DROPPED_ELEMENTS:
            element = None  # an editor's own data: never drawn, never written out
        elif name not in ELEMENTS:
            reason = WHY_REFUSED.get(name, "only shapes, groups, gradients and clipping paths "
                                     "are allowed")
            self.problem(f"the element <{name}> is not allowed in a logo or icon: {reason}",
                         line, column)
            element = None
        else:
            attributes = dict(zip(flat[::2], flat[1::2]))
            element = _Element(name, attributes, line, column)
            if parent is not None:
                parent.children.append(element)
            elif name == "svg":
                self.root = element
            else:
                self.problem(f"the file's root element is <{name}>, not <svg>", line, column)
        self.stack.append(element)

    def _end(self, _name: str) -> None:
        self.stack.pop()

    def _characters(self, text: str) -> None:
        if self.stack and self.stack[-1] is not None and self.stack[-1].name in TEXT_ELEMENTS:
            self.stack[-1].text += text


def read_asset(templates_dir: Path, relative: str) -> CleanSvg:
    """Read and check ``templates/<relative>`` (an icon or a partner logo); InputError lists
    every problem in it."""
    path = templates_dir / relative
    shown = f"templates/{relative}"
    real = confine(path, templates_dir, shown)
    if not real.is_file():
        raise InputError([Problem(shown, message="not a file")])
    reader = _Reader(shown)
    root = reader.read(read_input(real, shown))
    problems = reader.problems
    if root is None and not problems:
        problems.append(Problem(shown, message="the file holds no <svg> element"))
    aspect = 1.0
    if root is not None:
        prefix = re.sub(r"[^a-z0-9]+", "-", Path(relative).with_suffix("").as_posix().lower())
        problems += _Cleaner(shown, root, f"{prefix}-").clean()
        aspect = _aspect(root)
    if problems or root is None:
        raise InputError(problems)
    return CleanSvg(root, aspect)


class _Cleaner:
    """Keeps the allowed attributes of every element, refuses the dangerous ones, and prefixes
    ids and the local references to them."""

    def __init__(self, shown: str, root: _Element, prefix: str):
        self.shown = shown
        self.root = root
        self.prefix = prefix
        self.problems: list[Problem] = []
        self.ids = {e.attributes["id"]: e for e in _walk(root)
                    if SAFE_ID.match(e.attributes.get("id", ""))}

    def clean(self) -> list[Problem]:
        for element in _walk(self.root):
            element.attributes = self._attributes(element)
            if element.name in TEXT_ELEMENTS and (found := _number_problem(element.text)):
                self.problem(element, f"the <{element.name}> {found}")
        self._check_view_box()
        return self.problems

    def problem(self, element: _Element, message: str) -> None:
        self.problems.append(Problem(self.shown, element.line, element.column, "", message))

    def _attributes(self, element: _Element) -> dict[str, str]:
        given: dict[str, str] = {}
        styled: dict[str, str] = {}  # a style attribute wins over presentation attributes
        for qualified, value in element.attributes.items():
            namespace, _, name = qualified.rpartition(" ")
            if namespace == XLINK_NS and name == "href":
                namespace = ""
            if namespace == XML_NS and name == "base":
                self.problem(element, "xml:base is not allowed: it would change where "
                             "references lead")
            elif namespace == "" and name == "style":
                styled = self._style(element, value)
            elif namespace == "" or name.lower().startswith("on") or name == "href":
                # Another namespace's attribute is dropped, but one that could run or load
                # something is refused all the same: the file was written to attack.
                given[name] = value
        kept = {}
        for name, value in {**given, **styled}.items():
            if (message := self._attribute_problem(element, name, value)) is not None:
                self.problem(element, message)
            elif name in ATTRIBUTES and (name != "href" or element.name in REFERENCING):
                kept[name] = self._prefixed(name, value)
        return kept

    def _style(self, element: _Element, style: str) -> dict[str, str]:
        """The declarations of a style attribute, as the attributes they stand for."""
        if "\\" in style or "@" in style or "/*" in style:
            self.problem(element, "a style attribute with escapes, comments or @-rules is not "
                         "allowed")
            return {}
        declarations = {}
        for declaration in filter(str.strip, style.split(";")):
            name, colon, value = declaration.partition(":")
            if not colon:
                self.problem(element, f"'{declaration.strip()}' in the style attribute is not "
                             "a declaration")
                continue
            declarations[name.strip()] = value.strip().removesuffix("!important").strip()
        return declarations

    def _attribute_problem(self, element: _Element, name: str, value: str) -> str | None:
        """Why an attribute is refused, None when it may be kept (or harmlessly dropped)."""
        if name.lower().startswith("on"):
            return f"the event attribute {name} is not allowed: it could run a script"
        if name == "href":
            return self._reference_problem(element, value)
        for match in URL.finditer(value):
            local = LOCAL_URL.match(value, match.start())
            if local is None:
                return (f"{name}='{value}' refers to something outside the file: only "
                        "url(#id) of an element of the same file is allowed")
            if local.group(2) not in self.ids:
                return f"{name} refers to #{local.group(2)}, which this file does not define"
        if name == "aria-label" and (found := _number_problem(value)):
            return f"aria-label {found}"
        if name == "id" and not SAFE_ID.match(value):
            return f"the id '{value}' must be letters, digits, '_', '-' or '.'"
        if name in COLOUR_ATTRIBUTES:
            return _colour_problem(name, value)
        return None

    def _reference_problem(self, element: _Element, value: str) -> str | None:
        target_id = value[1:] if value.startswith("#") else None
        if target_id is None or not SAFE_ID.match(target_id):
            return (f"the reference '{value}' leads outside the file: only #id of an element "
                    "of the same file is allowed")
        target = self.ids.get(target_id)
        if target is None:
            return f"the reference '{value}' names no element of this file"
        # A <use> that repeats a <use> can nest without end or multiply exponentially.
        if any(e.name == "use" or "href" in e.attributes or f"{XLINK_NS} href" in e.attributes
               for e in _walk(target)):
            return f"the reference '{value}' leads to an element that refers further"
        return None

    def _prefixed(self, name: str, value: str) -> str:
        if name == "id":
            return self.prefix + value
        if name == "href":
            return "#" + self.prefix + value[1:]
        return LOCAL_URL.sub(lambda m: f"url(#{self.prefix}{m.group(2)})", value)

    def _check_view_box(self) -> None:
        """The template sizes every mark: its own width and height are replaced by a viewBox."""
        attributes = self.root.attributes
        width, height = (PLAIN_LENGTH.match(attributes.pop(key, "")) for key in ("width",
                                                                                 "height"))
        if "viewBox" not in attributes and width and height:
            attributes["viewBox"] = f"0 0 {width.group(1)} {height.group(1)}"
        if "viewBox" not in attributes:
            self.problem(self.root, "the <svg> element needs a viewBox (or a width and height "
                         "in plain numbers) so that the mark can be scaled")
        elif _view_box_size(attributes["viewBox"]) is None:
            self.problem(self.root, f"viewBox='{attributes['viewBox']}' is not four numbers "
                         "with a positive width and height")


def _number_problem(words: str) -> str | None:
    """Why a logo's words (its title, description or aria-label: the screen twin's alt text,
    read aloud) may not hold the phone-like number they hold: numbers come from the registry."""
    typed = typed_numbers(words) or disguised_numbers(words)
    return (f"holds the number '{typed[0]}': a logo's words are read aloud as the leaflet's alt "
            "text, and a number reaches a leaflet only from campaigns/hotlines.yaml: delete it"
            ) if typed else None


def _colour_problem(name: str, value: str) -> str | None:
    value = value.strip()
    cmyk = DEVICE_CMYK.fullmatch(value)
    if value in COLOUR_KEYWORDS or cmyk and all(float(v) <= 1 for v in cmyk.group(1).split()):
        return None
    if name in PAINT_ATTRIBUTES and LOCAL_URL.fullmatch(value):
        return None
    return (f"{name}='{value}' is not a CMYK colour: printers need every colour as "
            "device-cmyk(c m y k), each a fraction from 0 to 1 (ask for the logo in CMYK)")


def _view_box_size(view_box: str) -> tuple[float, float] | None:
    """Width and height of a viewBox, when it has four finite numbers and a positive size."""
    match = VIEW_BOX.match(view_box)
    numbers = [float(match.group(i)) for i in range(1, 5)] if match else []
    if not numbers or not all(map(math.isfinite, numbers)) or min(numbers[2:]) <= 0:
        return None
    return numbers[2], numbers[3]


def _aspect(root: _Element) -> float:
    size = _view_box_size(root.attributes.get("viewBox", ""))
    return size[0] / size[1] if size else 1.0


def _walk(element: _Element):
    yield element
    for child in element.children:
        yield from _walk(child)


def _serialise(element: _Element, colour: str, namespace: str = "") -> str:
    attributes = namespace + "".join(
        f' {name}="{escape(colour if value == "currentColor" else value)}"'
        for name, value in element.attributes.items())
    inner = str(escape(element.text)) + "".join(_serialise(c, colour) for c in element.children)
    if not inner:
        return f"<{element.name}{attributes}/>"
    return f"<{element.name}{attributes}>{inner}</{element.name}>"

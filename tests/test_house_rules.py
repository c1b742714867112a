"""The house rules the linters do not check: short functions in the package, and a README whose
module table names every module there is."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "leaflets"
MAX_LINES = 40
# The declarative argument parser: one add_argument after another, nothing to split.
EXEMPT = {("cli.py", "_parser")}


def long_functions(package: Path) -> list[str]:
    """Every function or method of ``package`` longer than MAX_LINES, nested ones included."""
    found = []
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_LINES and (name, node.name) not in EXEMPT:
                    found.append(f"{name}:{node.lineno}: {node.name} has {lines} lines")
    return found


def test_no_function_in_the_package_is_over_forty_lines():
    assert long_functions(PACKAGE) == []


def test_a_long_function_is_found(tmp_path):
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_LINES))
    (tmp_path / "module.py").write_text(f"def short():\n    pass\n\n\ndef long():\n{body}")
    assert long_functions(tmp_path) == [f"module.py:5: long has {MAX_LINES + 1} lines"]


def test_the_readmes_module_table_names_every_module_and_only_those():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| module | owns |"):]
    table = table[:table.index("\n\n")]
    named = set(re.findall(r"`([\w/]+\.py)`", table))
    modules = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
               if path.name != "__init__.py"}
    assert sorted(modules - named) == [], "modules the README's table does not name"
    assert sorted(named - modules) == [], "the README's table names modules that do not exist"

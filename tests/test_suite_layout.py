"""The test suite's own rules: fixtures come from conftest files through pytest, helpers
from ordinary modules (tests/support/ and each directory's helper modules), and every
test directory is a package, so two test modules may share a file name."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SKIP = {"node_modules", "__pycache__", "data"}


def _python_files() -> list[Path]:
    return [p for p in TESTS.rglob("*.py") if not SKIP & set(p.relative_to(TESTS).parts)]


def test_no_module_imports_a_conftest():
    importing = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            if any(name.split(".")[-1] == "conftest" for name in names):
                importing.append(f"{path.relative_to(TESTS)}:{node.lineno}")
    assert importing == [], "import helpers from a module (tests/support/, helpers.py)"


def test_every_test_directory_is_a_package():
    directories = {path.parent for path in _python_files()}
    assert (
        sorted(str(d.relative_to(TESTS)) for d in directories if not (d / "__init__.py").exists())
        == []
    )

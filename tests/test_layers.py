"""The layer rule of DESIGN.md: an app imports only the apps to its left.

    core  <-  members  <-  notifications  <-  vehicles  <-  contracts  <-  ledger  <-  bookings

Every import counts, at the top of a module or inside a function. (Whether an app may import
the project package `carshare/` is the bench seeding's question, checked elsewhere.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["core", "members", "notifications", "vehicles", "contracts", "ledger", "bookings"]


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & set(LAYERS)


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_no_app_to_its_right(app):
    higher = set(LAYERS[LAYERS.index(app) + 1 :])
    breaks = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) & higher)
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and imported_apps(path) & higher
    }
    assert not breaks, breaks

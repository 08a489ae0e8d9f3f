"""The layer rule of DESIGN.md, read from the source (every module, every import statement,
also those inside functions and under TYPE_CHECKING):

- no app imports the project package `carshare` (settings come through django.conf);
- `core` imports no app;
- an app imports only apps to its left: members <- notifications <- vehicles <- contracts
  <- ledger <- bookings.

Dynamic imports (`importlib.import_module`) are the roof's way of finding the apps' modules
and are not import statements; this walk does not see them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "carshare"
CORE = "core"
# Left to right: an app may import the apps before it, never those after it.
APPS_IN_ORDER = ["members", "notifications", "vehicles", "contracts", "ledger", "bookings"]


def imported_packages(source: str) -> Iterator[tuple[int, str]]:
    """(line, top-level package) of every absolute import in `source`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def forbidden_for(package: str) -> set[str]:
    """The packages that `package` (core or an app) must not import."""
    if package == CORE:
        return {PROJECT, *APPS_IN_ORDER}
    position = APPS_IN_ORDER.index(package)
    return {PROJECT, *APPS_IN_ORDER[position + 1 :]}


def breaks_of(package: str, source: str) -> list[str]:
    forbidden = forbidden_for(package)
    return [f"line {line}: {name}" for line, name in imported_packages(source) if name in forbidden]


def existing_packages() -> list[str]:
    # notifications/ may not exist yet on a branch: the order still holds for the others.
    return [p for p in [CORE, *APPS_IN_ORDER] if (ROOT / p / "__init__.py").exists()]


@pytest.mark.parametrize("package", existing_packages())
def test_package_imports_only_what_lies_to_its_left(package):
    breaks = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for found in breaks_of(package, path.read_text(encoding="utf-8")):
            breaks.append(f"{path.relative_to(ROOT)} {found}")
    assert breaks == [], f"{package} breaks the layer rule of DESIGN.md:\n" + "\n".join(breaks)


def test_every_app_of_the_project_is_placed_in_the_order():
    from django.apps import apps

    ours = {config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir()}
    assert ours - {PROJECT, CORE} <= set(APPS_IN_ORDER)


def test_the_walk_sees_every_kind_of_import_statement():
    # Control: the scan must find imports nested in functions and under TYPE_CHECKING, and
    # must leave relative imports (inside the package) alone.
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import models\n"
        "if TYPE_CHECKING:\n"
        "    from bookings.models import Booking\n"
        "def seed():\n"
        "    import carshare.bench_seeding\n"
        "    from members.models import User\n"
    )
    assert breaks_of("ledger", source) == ["line 4: bookings", "line 6: carshare"]
    assert breaks_of("bookings", source) == ["line 6: carshare"]
    assert breaks_of(CORE, source) == ["line 4: bookings", "line 6: carshare", "line 7: members"]

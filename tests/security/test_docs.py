"""docs/SECURITY.md and docs/PRIVACY.md name the test that proves each claim: every test
they name exists (a renamed or deleted test would leave a claim without its proof)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
DOCS = ["docs/SECURITY.md", "docs/PRIVACY.md"]
# A test name, or its beginning followed by an ellipsis (`test_a_pending_receipt_is_…`).
CITED = re.compile(r"\b(test_[a-z0-9_]+)(…)?")


def _defined_tests() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        names |= set(re.findall(r"^\s*def (test_[a-z0-9_]+)", path.read_text(), re.MULTILINE))
        names.add(path.stem)  # a whole file cited by name (test_numeric_walk.py)
    return names


@pytest.mark.parametrize("doc", DOCS)
def test_every_test_the_doc_cites_exists(doc):
    defined = _defined_tests()
    cited = CITED.findall((ROOT / doc).read_text())
    assert cited  # the pattern still finds the citations
    missing = [
        name + ellipsis
        for name, ellipsis in cited
        if not (any(test.startswith(name) for test in defined) if ellipsis else name in defined)
    ]
    assert missing == []

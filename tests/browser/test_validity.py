"""Control cases of the Nu HTML checker batch (tests/browser/validity.py): it finds the
errors issue 16 fixed, and none in a valid page."""

from pathlib import Path

from tests.browser.validity import java, nu_errors
from tests.conftest import require_or_skip

VALID = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>t</title></head>
<body><main><form method="get"><label for="q">Q</label><input id="q" name="q"
aria-describedby="q-help"><span id="q-help">aide</span></form></main></body></html>"""

INVALID = VALID.replace('<form method="get">', '<form method="get" action="">').replace(
    'id="q-help"', ""
)


def test_the_checker_finds_an_empty_action_and_a_missing_described_by(tmp_path: Path):
    require_or_skip(java() is not None, "Java runs the Nu HTML checker (default-jre-headless)")
    valid, invalid = tmp_path / "valid.html", tmp_path / "invalid.html"
    valid.write_text(VALID)
    invalid.write_text(INVALID)
    errors = nu_errors([valid, invalid])
    assert {error.file for error in errors} == {"invalid.html"}
    messages = " ".join(error.message for error in errors)
    assert "action" in messages and "aria-describedby" in messages

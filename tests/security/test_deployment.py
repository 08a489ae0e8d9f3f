"""What an operator ships: the image holds no secret, no database, no private file, and does
not run as root; every response tells browsers which powerful features the site never uses."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
MUST_NOT_SHIP = [
    ".env",
    ".env.production",
    "var/carshare.sqlite3",
    "var/media/x/permis.pdf",
    ".venv/bin/python",
    ".git/config",
    ".tools/bin/uv",
    "test-artifacts/api-fuzz.json",
    "bench/results/run.json",
    ".mypy_cache/x",
    "node_modules/x/index.js",
]
# What the site never asks a browser for. Photos at check-in are chosen through
# <input type="file">, which needs no camera permission (and no page uses `capture`).
DENIED = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "display-capture"]


def dockerignore_patterns() -> list[str]:
    path = ROOT / ".dockerignore"
    assert path.exists(), ".dockerignore is missing: `COPY . .` ships everything"
    lines = path.read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ignored(path: str, patterns: list[str]) -> bool:
    verdict = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        if any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes):
            verdict = not negate
    return verdict


@pytest.mark.parametrize("path", MUST_NOT_SHIP)
def test_the_docker_build_context_leaves_out_secrets_data_and_local_tools(path):
    assert ignored(path, dockerignore_patterns()), path


def test_the_docker_build_context_keeps_the_code():
    patterns = dockerignore_patterns()
    for path in ["manage.py", "carshare/settings.py", "static/css/app.css", "uv.lock"]:
        assert not ignored(path, patterns), path


def test_git_ignores_the_env_file():
    lines = {line.strip() for line in (ROOT / ".gitignore").read_text().splitlines()}
    assert ".env" in lines or "/.env" in lines


def test_the_image_runs_as_an_unprivileged_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", dockerfile, flags=re.MULTILINE)
    assert users, "no USER instruction: the processes run as root"
    assert users[-1] not in {"root", "0", "0:0"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/me/", "/nowhere/", "/healthz"])
def test_every_response_denies_the_powerful_browser_features(client, path):
    response = client.get(path)
    policy = response.get("Permissions-Policy", "")
    features = dict(item.strip().split("=", 1) for item in policy.split(",") if "=" in item)
    for feature in DENIED:
        assert features.get(feature) == "()", (path, feature, policy)


def test_no_page_asks_for_the_camera_or_the_position():
    """The policy above would break a page that does: none does."""
    sources = [*ROOT.glob("*/templates/**/*.html"), *ROOT.glob("templates/**/*.html")]
    sources += [*ROOT.glob("*/static/**/*.js")]
    for source in sources:
        text = source.read_text(encoding="utf-8")
        assert "capture=" not in text and "getUserMedia" not in text, source
        assert "geolocation" not in text, source

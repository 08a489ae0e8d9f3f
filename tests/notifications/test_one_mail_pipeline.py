"""All mail goes through the notifications outbox: one module sends e-mail.

The delivery module (claim, send, mark) is the only code that hands a message to Django's
mail API; allauth's own account mails stay with allauth, through its adapter. A search of the
source for the mail API fails on any other sender, so that a new one cannot ship.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SENDERS = re.compile(
    r"send_mail|send_mass_mail|mail_admins|mail_managers|email_user\(|EmailMessage"
    r"|EmailMultiAlternatives|smtplib\.SMTP(_SSL)?\("
)
ALLOWED = {"notifications/delivery.py", "members/adapters.py"}
NOT_SOURCE = {".venv", ".tools", "var", "tests", "docs", "node_modules", ".git", "test-artifacts"}
SUFFIXES = {".py", ".html", ".txt"}


def source_files(root: Path) -> list[Path]:
    files = []
    for folder, subfolders, names in os.walk(root):
        if folder == str(root):
            subfolders[:] = [name for name in subfolders if name not in NOT_SOURCE]
        files += [Path(folder, name) for name in names if Path(name).suffix in SUFFIXES]
    return sorted(files)


def senders_outside_the_outbox(root: Path) -> list[str]:
    found = []
    for path in source_files(root):
        relative = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if SENDERS.search(line) and relative not in ALLOWED:
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_code_sends_mail_outside_the_notifications_delivery():
    assert senders_outside_the_outbox(ROOT) == []


def test_the_search_finds_a_sender(tmp_path):
    # Control: a service calling Django's mail API is found.
    (tmp_path / "bookings").mkdir()
    (tmp_path / "bookings" / "tasks.py").write_text(
        "from django.core.mail import send_mail\nsend_mail('s', 'b', None, ['a@b.c'])\n"
    )
    (tmp_path / "notifications").mkdir()
    (tmp_path / "notifications" / "delivery.py").write_text("mail.EmailMessage()\n")
    assert senders_outside_the_outbox(tmp_path) == [
        "bookings/tasks.py:1: from django.core.mail import send_mail",
        "bookings/tasks.py:2: send_mail('s', 'b', None, ['a@b.c'])",
    ]

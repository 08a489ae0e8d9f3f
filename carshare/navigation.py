"""The association menu: each entry names a URL of an app under /<slug>/."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    admin_only: bool = False


ASSOCIATION_MENU = [
    NavEntry(_("Planning"), "bookings:planning"),
    NavEntry(_("Find a car"), "bookings:availability"),
    NavEntry(_("My bookings"), "bookings:mine"),
    NavEntry(_("Fleet"), "vehicles:list"),
    NavEntry(_("Incidents"), "bookings:incidents"),
    NavEntry(_("My account"), "ledger:my_account"),
    NavEntry(_("Agreements"), "contracts:list"),
    NavEntry(_("Members"), "members:list", admin_only=True),
    NavEntry(_("Logbook"), "bookings:logbook", admin_only=True),
    NavEntry(_("Accounts"), "ledger:dashboard", admin_only=True),
    NavEntry(_("Reminders"), "jobs:background_jobs", admin_only=True),
]

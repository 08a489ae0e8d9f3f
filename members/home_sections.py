"""Sections of members' pages contributed by other apps: the association home page
(/<slug>/, for a member) and its public page (/<slug>/about/, for anyone).

An app registers a section in its AppConfig.ready():

    register_home_section("bookings", "bookings/home_section.html", upcoming_bookings)
    register_public_section("vehicles", "vehicles/public_section.html", public_cars)

where the function takes the caller's `Membership` (home) or the `Association` (public
page) and returns the template's context (or None to hide the section). A public section
shows no personal data. Members does not import the apps that register.

The home page is cached (members.views.home) under the association's home version, the
membership's and association's own values, the language and the association's day. So a
home section reads only those and rows whose every write bumps the home version (a trigger
made with `members.db.home_version_trigger`, in the app that owns the table); one whose
answer changes with the clock within a day gives `changes_at`: the next moment it does
(e.g. the founding kit, shown for a year from the founding).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from members.models import Association, Membership

Subject = TypeVar("Subject")
SectionContext = Callable[[Membership], dict[str, Any] | None]
ChangesAt = Callable[[Membership], dt.datetime | None]


@dataclass(frozen=True)
class RenderedSection:
    name: str
    template_name: str
    data: dict[str, Any]


class SectionRegistry(Generic[Subject]):
    """Sections of one page, shown in registration order."""

    def __init__(self) -> None:
        self._sections: dict[str, tuple[str, Callable[[Subject], dict[str, Any] | None]]] = {}
        self._changes_at: dict[str, Callable[[Subject], dt.datetime | None]] = {}

    def register(
        self,
        name: str,
        template_name: str,
        context: Callable[[Subject], dict[str, Any] | None],
        changes_at: Callable[[Subject], dt.datetime | None] | None = None,
    ) -> None:
        """Add (or replace) a section."""
        self._sections[name] = (template_name, context)
        self._changes_at.pop(name, None)
        if changes_at is not None:
            self._changes_at[name] = changes_at

    def render(self, subject: Subject) -> list[RenderedSection]:
        """The sections to show, with their data."""
        rendered = []
        for name, (template_name, context) in self._sections.items():
            data = context(subject)
            if data is not None:
                rendered.append(RenderedSection(name, template_name, data))
        return rendered

    def changes_at(self, subject: Subject) -> dt.datetime | None:
        """The next moment a section's answer changes with the clock alone, if any."""
        moments = (when(subject) for when in self._changes_at.values())
        return min((moment for moment in moments if moment is not None), default=None)


_home: SectionRegistry[Membership] = SectionRegistry()
_public: SectionRegistry[Association] = SectionRegistry()


def register_home_section(
    name: str, template_name: str, context: SectionContext, changes_at: ChangesAt | None = None
) -> None:
    """A block of the association home page, for members (see the module's note on what it
    may read)."""
    _home.register(name, template_name, context, changes_at)


def home_sections(membership: Membership) -> list[RenderedSection]:
    return _home.render(membership)


def home_sections_change_at(membership: Membership) -> dt.datetime | None:
    """The next moment a home section changes with the clock within the day, if any."""
    return _home.changes_at(membership)


def register_public_section(
    name: str, template_name: str, context: Callable[[Association], dict[str, Any] | None]
) -> None:
    """A block of the association's public page, for anyone: no personal data."""
    _public.register(name, template_name, context)


def public_sections(association: Association) -> list[RenderedSection]:
    return _public.render(association)

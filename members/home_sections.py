"""Sections of members' pages contributed by other apps: the association home page
(/<slug>/, for a member) and its public page (/<slug>/about/, for anyone).

An app registers a section in its AppConfig.ready():

    register_home_section("bookings", "bookings/home_section.html", upcoming_bookings)
    register_public_section("vehicles", "vehicles/public_section.html", public_cars)

where the function takes the caller's `Membership` (home) or the `Association` (public
page) and returns the template's context (or None to hide the section). A public section
shows no personal data. Members does not import the apps that register.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from members.models import Association, Membership

Subject = TypeVar("Subject")
SectionContext = Callable[[Membership], dict[str, Any] | None]


@dataclass(frozen=True)
class RenderedSection:
    name: str
    template_name: str
    data: dict[str, Any]


class SectionRegistry(Generic[Subject]):
    """Sections of one page, shown in registration order."""

    def __init__(self) -> None:
        self._sections: dict[str, tuple[str, Callable[[Subject], dict[str, Any] | None]]] = {}

    def register(
        self, name: str, template_name: str, context: Callable[[Subject], dict[str, Any] | None]
    ) -> None:
        """Add (or replace) a section."""
        self._sections[name] = (template_name, context)

    def render(self, subject: Subject) -> list[RenderedSection]:
        """The sections to show, with their data."""
        rendered = []
        for name, (template_name, context) in self._sections.items():
            data = context(subject)
            if data is not None:
                rendered.append(RenderedSection(name, template_name, data))
        return rendered


_home: SectionRegistry[Membership] = SectionRegistry()
_public: SectionRegistry[Association] = SectionRegistry()


def register_home_section(name: str, template_name: str, context: SectionContext) -> None:
    """A block of the association home page, for members."""
    _home.register(name, template_name, context)


def home_sections(membership: Membership) -> list[RenderedSection]:
    return _home.render(membership)


def register_public_section(
    name: str, template_name: str, context: Callable[[Association], dict[str, Any] | None]
) -> None:
    """A block of the association's public page, for anyone: no personal data."""
    _public.register(name, template_name, context)


def public_sections(association: Association) -> list[RenderedSection]:
    return _public.render(association)

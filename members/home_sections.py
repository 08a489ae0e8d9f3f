"""Sections of the association home page (/<slug>/) contributed by other apps.

An app registers a section in its AppConfig.ready():

    register_home_section("bookings", "bookings/home_section.html", upcoming_bookings)

where the function takes the caller's `Membership` and returns the template's context
(or None to hide the section). Members does not import the apps that register.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from members.models import Membership

SectionContext = Callable[[Membership], dict[str, Any] | None]


@dataclass(frozen=True)
class HomeSection:
    name: str
    template_name: str
    context: SectionContext


@dataclass(frozen=True)
class RenderedSection:
    name: str
    template_name: str
    data: dict[str, Any]


_sections: dict[str, HomeSection] = {}


def register_home_section(name: str, template_name: str, context: SectionContext) -> None:
    """Add (or replace) a section of the association home page, shown in registration order."""
    _sections[name] = HomeSection(name, template_name, context)


def home_sections(membership: Membership) -> list[RenderedSection]:
    """The sections to show this member, with their data."""
    rendered = []
    for section in _sections.values():
        data = section.context(membership)
        if data is not None:
            rendered.append(RenderedSection(section.name, section.template_name, data))
    return rendered

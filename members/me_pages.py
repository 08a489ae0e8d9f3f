"""Pages of the person's own area (/me/…) contributed by other apps, linked from its menu.

An app registers a page in its AppConfig.ready():

    register_me_page("notifications:list", _("Notifications"))

The menu (members/me/_nav.html) shows them after "Driver profile", in registration order.
Members does not import the apps that register.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class MePage:
    url_name: str
    label: str | Promise


@dataclass(frozen=True)
class MeLink:
    url: str
    label: str | Promise


_pages: dict[str, MePage] = {}


def register_me_page(url_name: str, label: str | Promise) -> None:
    """Add (or replace) a page of the person's own area; its URL takes no argument."""
    _pages[url_name] = MePage(url_name, label)


def me_links() -> list[MeLink]:
    return [MeLink(reverse(page.url_name), page.label) for page in _pages.values()]

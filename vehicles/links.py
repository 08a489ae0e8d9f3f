"""Links that apps to the right of vehicles add to a vehicle's page, for its managers
(owners and admins), registered from their AppConfig.ready():

    register_vehicle_link("notebook", _("Notebook"), "bookings:notebook")

The URL is reversed with the association's `slug` and the vehicle's id as `vehicle_id`.
Vehicles does not import the apps that register.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class VehicleLink:
    label: str | Promise
    url_name: str


@dataclass(frozen=True)
class ResolvedLink:
    label: str | Promise
    url: str


_links: dict[str, VehicleLink] = {}


def register_vehicle_link(name: str, label: str | Promise, url_name: str) -> None:
    """Add (or replace) a link on the vehicle's page, shown in registration order."""
    _links[name] = VehicleLink(label, url_name)


def vehicle_links(slug: str, vehicle_id: int) -> list[ResolvedLink]:
    """The registered links of one vehicle, resolved."""
    return [
        ResolvedLink(
            link.label, reverse(link.url_name, kwargs={"slug": slug, "vehicle_id": vehicle_id})
        )
        for link in _links.values()
    ]

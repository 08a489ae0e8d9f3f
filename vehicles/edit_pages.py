"""Where each of a vehicle's records is corrected. The fleet's own pages correct policies
and documents; correcting maintenance also corrects its ledger entry, so that page belongs
to the ledger, which registers it from its AppConfig.ready():

    register_edit_page("maintenance", "ledger:maintenance_edit", "event_pk")

Vehicles does not import the apps that register (the layer rule)."""

from __future__ import annotations

from django.urls import reverse

from vehicles.models import Vehicle

_pages: dict[str, tuple[str, str]] = {
    "policy": ("vehicles:policy_edit", "policy_pk"),
    "document": ("vehicles:document_edit", "document_pk"),
}


def register_edit_page(record: str, url_name: str, kwarg: str) -> None:
    """Name the page that corrects a `record` ("maintenance") and its URL's id argument."""
    _pages[record] = (url_name, kwarg)


def edit_page_url(record: str, vehicle: Vehicle, pk: int) -> str:
    """The URL that corrects record `pk` of `vehicle`; "" when no page is registered."""
    if record not in _pages:
        return ""
    url_name, kwarg = _pages[record]
    return reverse(url_name, kwargs={"slug": vehicle.association.slug, "pk": vehicle.pk, kwarg: pk})

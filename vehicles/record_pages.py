"""Pages that record something on a vehicle, contributed by the apps above vehicles.

Recording maintenance also posts its cost to the ledger, in one transaction: that page
belongs to the ledger, which may import vehicles (not the reverse). The ledger registers it
in its AppConfig.ready():

    register_record_page("maintenance", "ledger:maintenance_add")

and the vehicle's page links to it (the URL takes the association's slug and the vehicle).
"""

from __future__ import annotations

from django.urls import reverse

from vehicles.models import Vehicle

_pages: dict[str, str] = {}


def register_record_page(record: str, url_name: str) -> None:
    """Name the page that records `record` ("maintenance") on a vehicle."""
    _pages[record] = url_name


def record_page_urls(vehicle: Vehicle) -> dict[str, str]:
    """{record: URL of its page for `vehicle`} for every registered page."""
    kwargs = {"slug": vehicle.association.slug, "pk": vehicle.pk}
    return {record: reverse(url_name, kwargs=kwargs) for record, url_name in _pages.items()}

"""Tags of the vehicle's records: a record's edit page and its corrections."""

from __future__ import annotations

from django import template

from vehicles.corrections import Correction
from vehicles.edit_pages import edit_page_url
from vehicles.models import Vehicle
from vehicles.selectors import VehicleRecords

register = template.Library()


@register.simple_tag
def edit_url(record: str, vehicle: Vehicle, pk: int) -> str:
    """{% edit_url "maintenance" vehicle event.pk as url %}"""
    return edit_page_url(record, vehicle, pk)


@register.simple_tag
def corrections_of(records: VehicleRecords, record: str, pk: int) -> list[Correction]:
    """{% corrections_of records "maintenance" event.pk as fixes %}"""
    return records.corrections.get(f"{record}:{pk}", [])

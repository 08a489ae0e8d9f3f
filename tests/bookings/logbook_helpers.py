"""The POST body of the logbook page (/<slug>/logbook/new/): the vehicle, then the lines."""

from __future__ import annotations

from typing import Any

LINES_ON_PAGE = 25


def logbook_page(vehicle: Any, *lines: dict[str, Any], total: int = LINES_ON_PAGE) -> dict:
    data: dict[str, Any] = {
        "vehicle": vehicle.pk,
        "line-TOTAL_FORMS": str(total),
        "line-INITIAL_FORMS": "0",
        "line-MIN_NUM_FORMS": "0",
        "line-MAX_NUM_FORMS": str(LINES_ON_PAGE),
    }
    for index, line in enumerate(lines):
        data.update({f"line-{index}-{name}": value for name, value in line.items()})
    return data


def trip(driver: Any, day: int, hours: tuple[int, int], km: tuple[Any, Any], **extra: Any) -> dict:
    """One line: `driver` on November `day` 2026 from/to `hours`, odometer `km` (out may be "")."""
    start, end = hours
    return {
        "driver": driver.pk,
        "start": f"2026-11-{day:02d}T{start:02d}:00",
        "end": f"2026-11-{day:02d}T{end:02d}:00",
        "odometer_out": km[0],
        "odometer_in": km[1],
        "fuel_level": "60",
        **extra,
    }

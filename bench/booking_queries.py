"""Queries of `create_booking` for the first member account, on each of its bookable
vehicles, in a rolled-back transaction (nothing is written): booking-create's query count
depends on the vehicle's rules (approval, owner), this shows it per vehicle.

    DATABASE_URL=postgres://.../carshare_bench .venv/bin/python bench/booking_queries.py \\
        var/bench/postgres-<key>.json
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carshare.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bookings.services.bookings import create_booking  # noqa: E402
from members.models import Membership  # noqa: E402
from vehicles.models import Vehicle  # noqa: E402
from vehicles.selectors import is_owner  # noqa: E402


def main() -> None:
    manifest = json.loads(Path(sys.argv[1]).read_text())
    account = next(a for a in manifest["accounts"] if a.get("bookable_vehicle_ids"))
    driver = Membership.objects.get(pk=account["membership_id"])
    first = dt.datetime.fromisoformat(account["slots_from"].replace("Z", "+00:00"))
    start = first - dt.timedelta(days=30)  # before every bench slot: never taken
    for index, pk in enumerate(account["bookable_vehicle_ids"]):
        vehicle = Vehicle.objects.get(pk=pk)
        slot = start + dt.timedelta(hours=2 * index)
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            create_booking(
                actor=driver,
                driver=driver,
                vehicle=vehicle,
                start=slot,
                end=slot + dt.timedelta(hours=1),
            )
            transaction.set_rollback(True)
        print(
            f"vehicle {pk}: approval {vehicle.approval_required}, "
            f"owner {is_owner(driver, vehicle)}: {len(queries)} queries"
        )


if __name__ == "__main__":
    main()

"""The fleet's section of the association home page (registered in VehiclesConfig.ready()):
the cars the member manages that need attention (insurance, roadworthiness test)."""

from __future__ import annotations

from typing import Any

from core.timeutils import local_today
from members.models import Membership
from vehicles.selectors import fleet_summaries, owned_vehicles
from vehicles.status import VehicleStatus


def fleet_alerts(membership: Membership) -> dict[str, Any] | None:
    """Cars the member owns (all cars for admins) with a badge other than "inactive"."""
    today = local_today(membership.association.tz)
    # A member's own cars only: one query, and none of the summaries' for non-owners (the
    # home page is the most visited one).
    vehicles = None if membership.is_admin else owned_vehicles(membership)
    summaries = [
        summary
        for summary in fleet_summaries(membership.association, membership, today, vehicles)
        if summary.can_manage
        and any(badge.status != VehicleStatus.INACTIVE for badge in summary.badges)
    ]
    return {"summaries": summaries} if summaries else None

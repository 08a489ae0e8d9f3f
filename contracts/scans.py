"""The nightly check of agreements: a change of deductible, insurance, tariff or key option
puts the vehicle's signed agreements on the admins' "to re-sign" list, and tells them.

Marking is the contracts service `mark_outdated_agreements` (one call per association);
telling is computed from state (agreements to re-sign since recently), one notification per
admin and per vehicle change, so that an interrupted run is caught up by the next one."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from contracts.models import Agreement
from contracts.notifications import AGREEMENTS_TO_RESIGN
from contracts.services.agreements import mark_outdated_agreements
from core.notices import Job, Message, ScanCounts, link, queue_notifications
from core.scanning import CATCH_UP_DAYS, batched, chunked
from members.models import Association
from members.permissions import SystemActor
from members.recipients import admins_by_association

Group = tuple[int, dt.datetime]  # (vehicle id, outdated since)


def scan_outdated_agreements(*, now: dt.datetime) -> ScanCounts:
    """Mark the agreements whose terms changed, then tell each association's admins, per
    vehicle, which agreements must be signed again and why."""
    counts = ScanCounts(checked=Agreement.objects.filter(status=Agreement.Status.SIGNED).count())
    for associations in batched(Association.objects.all()):
        for association in associations:
            mark_outdated_agreements(
                actor=SystemActor(association, "outdated_agreements"), association=association
            )
    # Few rows (only agreements marked in the last days), read at once so that a vehicle's
    # group is never split between two batches.
    recent = list(
        Agreement.objects.filter(
            status=Agreement.Status.TO_RESIGN,
            outdated_since__gte=now - dt.timedelta(days=CATCH_UP_DAYS),
        ).select_related("vehicle", "association", "driver__user")
    )
    for messages in chunked(_messages(recent)):
        counts.add(queue_notifications(messages))
    return counts


def _messages(agreements: list[Agreement]) -> list[Message]:
    groups: dict[Group, list[Agreement]] = defaultdict(list)
    for agreement in agreements:
        assert agreement.outdated_since is not None  # noqa: S101 - filtered on it
        groups[(agreement.vehicle_id, agreement.outdated_since)].append(agreement)
    admins = admins_by_association(a.association_id for a in agreements)
    messages = []
    for (vehicle_id, since), group in groups.items():
        association = group[0].association
        reasons = sorted({reason for a in group for reason in a.outdated_reasons})
        context = {
            "vehicle": str(group[0].vehicle),
            "count": len(group),
            "reasons": reasons,
            "drivers": sorted(a.driver.user.display_name for a in group),
        }
        url = link("contracts:list", slug=association.slug)
        messages += [
            Message(
                admin,
                AGREEMENTS_TO_RESIGN,
                f"vehicle:{vehicle_id}:{since.astimezone(dt.UTC).isoformat()}",
                association,
                context,
                f"{url}?state=to_resign" if url else "",
            )
            for admin in admins.get(association.pk, [])
        ]
    return messages


JOBS = [
    Job(
        "outdated_agreements",
        _("Agreements to re-sign after a change of terms"),
        _("every night at 04:15"),
        scan_outdated_agreements,
    ),
]

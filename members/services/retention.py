"""The retention period at work (members.privacy, docs/PRIVACY.md): what is deleted once a
membership has ended long enough, run every night by the `personal_data` job.

The purge works in batches of BATCH rows with a fixed number of queries per batch, so its
cost grows with the rows it purges, never with the size of the database. Each step is
idempotent: a second run on the same day finds nothing left to do.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from core.timeutils import add_years
from members.models import (
    Association,
    AuditEntry,
    DriverProfile,
    Household,
    Invitation,
    Membership,
    User,
)
from members.privacy import ACCOUNTING_RETENTION_YEARS, ENDED_STATUSES, purge_due_before
from members.services.bulk import insert_all
from members.services.common import delete_files_after_commit

Status = Membership.Status
BATCH = 500


@dataclass
class PurgeCounts:
    """What one run deleted."""

    memberships: int = 0
    driver_profiles: int = 0
    licence_scans: int = 0
    invitations: int = 0
    names: int = 0

    @property
    def total(self) -> int:
        return self.memberships + self.driver_profiles + self.invitations + self.names


def purge_personal_data(*, today: dt.date) -> PurgeCounts:
    """Purge what the retention period no longer allows the platform to keep."""
    counts = PurgeCounts()
    due = _ended_before(purge_due_before(today))
    while ids := list(due.order_by("pk").values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            purged = _purge_batch(ids, today, counts)
        if not purged:  # another worker holds these rows: it purges them
            break
    counts.invitations = _forget_invitations(today)
    counts.names = _forget_names_of_deleted_accounts(today)
    return counts


def _ended_before(cutoff: dt.date) -> QuerySet[Membership]:
    return Membership.objects.filter(personal_data_purged_on__isnull=True).filter(
        Q(status=Status.LEFT, left_on__lt=cutoff) | Q(status=Status.REFUSED, refused_on__lt=cutoff)
    )


def _purge_batch(ids: list[int], today: dt.date, counts: PurgeCounts) -> int:
    # The associations first, as every membership write does (no deadlock), then the rows,
    # read again under lock: someone may have joined again since the batch was listed.
    association_ids = Membership.objects.filter(pk__in=ids).values("association_id")
    list(
        Association.objects.select_for_update()
        .filter(pk__in=association_ids)
        .order_by("pk")
        .values_list("pk")
    )
    rows = list(
        Membership.objects.select_for_update()
        .filter(pk__in=ids, status__in=ENDED_STATUSES, personal_data_purged_on__isnull=True)
        .values_list("pk", "association_id", "user_id", "household_id")
    )
    pks = [pk for pk, _association, _user, _household in rows]
    Membership.objects.filter(pk__in=pks).update(
        request_message="", refusal_reason="", household=None, personal_data_purged_on=today
    )
    _dissolve_lonely_households({household for *_rest, household in rows if household})
    _audit(rows)
    deleted, scans = _delete_driver_profiles({user for _pk, _association, user, _h in rows})
    counts.memberships += len(pks)
    counts.driver_profiles += deleted
    counts.licence_scans += scans
    return len(pks)


def _dissolve_lonely_households(household_ids: set[int]) -> None:
    """Households left with fewer than two members are no shared household any more."""
    if not household_ids:
        return
    lonely = list(
        Household.objects.filter(pk__in=household_ids)
        .annotate(members=Count("memberships"))
        .filter(members__lt=2)
        .values_list("pk", flat=True)
    )
    Membership.objects.filter(household_id__in=lonely).update(household=None)
    Household.objects.filter(pk__in=lonely).delete()


def _audit(rows: Sequence[tuple[int, int, int, int | None]]) -> None:
    # One entry per association and run, with the memberships purged (ids only).
    purged: dict[int, list[int]] = defaultdict(list)
    for pk, association_id, _user, _household in rows:
        purged[association_id].append(pk)
    insert_all(
        [
            AuditEntry(
                association_id=association_id,
                action="membership.personal_data_purged",
                target_type="members.membership",
                data={"memberships": pks},
            )
            for association_id, pks in purged.items()
        ]
    )


def _delete_driver_profiles(user_ids: set[int]) -> tuple[int, int]:
    """Delete the driver profile (and scan) of people whose every membership is purged:
    no association may see it any more. Someone still part of, or recently out of,
    another association keeps theirs."""
    still_known = Membership.objects.filter(
        user_id__in=user_ids, personal_data_purged_on__isnull=True
    ).values("user_id")
    profiles = DriverProfile.objects.filter(user_id__in=user_ids).exclude(user_id__in=still_known)
    scans = [name for name in profiles.values_list("licence_scan", flat=True) if name]
    _total, by_model = profiles.delete()
    delete_files_after_commit(DriverProfile._meta.get_field("licence_scan"), scans)
    return by_model.get(DriverProfile._meta.label, 0), len(scans)


def _forget_invitations(today: dt.date) -> int:
    """What an association typed for someone who did not answer goes as the invitation
    expires; invitations closed before the retention period go altogether (the address
    with them)."""
    expired = Invitation.objects.filter(expires_at__lt=_midnight(today)).exclude(prefill={})
    cleared = expired.update(prefill={})
    start = _midnight(purge_due_before(today))
    closed = Q(accepted_at__lt=start) | Q(revoked_at__lt=start) | Q(expires_at__lt=start)
    deleted, _by_model = Invitation.objects.filter(closed).delete()
    return cleared + deleted


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _forget_names_of_deleted_accounts(today: dt.date) -> int:
    """A deleted account keeps its name for the books (members.services.accounts) until
    ten years after the last membership ended."""
    cutoff = add_years(today, -ACCOUNTING_RETENTION_YEARS)
    named = User.objects.filter(anonymised_at__isnull=False).exclude(first_name="", last_name="")
    recent = Membership.objects.filter(
        Q(left_on__gte=cutoff) | Q(left_on__isnull=True, joined_on__isnull=False)
    )
    return named.exclude(pk__in=recent.values("user_id")).update(first_name="", last_name="")

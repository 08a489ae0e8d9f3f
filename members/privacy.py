"""Who sees a member's personal data, and how long an association keeps it (docs/PRIVACY.md).

- Driver data (birth date, licence, probation) and the licence scan are shown to the
  association's admins only while the membership is pending or active: a join request is
  judged on them, an active member drives. Suspended, departed and refused people's driver
  data are hidden from every page, API answer, export and document of the association.
- `PERSONAL_DATA_RETENTION_MONTHS` after a departure or a refusal, the membership is purged
  (members.services.retention): its messages and household go, the association's pages,
  API and exports no longer show the person; the books keep their name (10 years).
- Apps to the right of members say why an account may not be deleted yet (money owed, a
  trip under way) with `register_deletion_check`, from their AppConfig.ready().
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db.models import Q

from core.timeutils import add_months, add_years
from members.models import DriverProfile, Membership, User

Status = Membership.Status

# Admins see driver data and scans of these memberships only.
DRIVER_DATA_STATUSES = frozenset({Status.PENDING, Status.ACTIVE})
# Memberships that have ended; their personal data are purged after the retention period.
ENDED_STATUSES = frozenset({Status.LEFT, Status.REFUSED})
# French accounting documents are kept ten years (Code de commerce, art. L123-22): the
# books name the people they concern, so a former member's name outlives the rest.
ACCOUNTING_RETENTION_YEARS = 10


def driver_data_visible(membership: Membership) -> bool:
    """Whether the association's admins may see this person's driver data and scan."""
    return membership.status in DRIVER_DATA_STATUSES


def visible_driver_profile(membership: Membership) -> DriverProfile | None:
    """The driver profile as the association may see it: None unless pending or active."""
    if not driver_data_visible(membership):
        return None
    return DriverProfile.objects.filter(user_id=membership.user_id).first()


def shown_to_association() -> Q:
    """Memberships the association's member pages, API and exports still show: all but
    those purged after the retention period."""
    return Q(personal_data_purged_on__isnull=True)


def retention_months() -> int:
    return int(settings.PERSONAL_DATA_RETENTION_MONTHS)


def purge_due_before(today: dt.date) -> dt.date:
    """Memberships that ended before this day are purged."""
    return add_months(today, -retention_months())


def names_kept_until(last_ended_on: dt.date) -> dt.date:
    """A deleted account's name stays in the books until this day."""
    return add_years(last_ended_on, ACCOUNTING_RETENTION_YEARS)


DeletionCheck = Callable[[User], list[str]]
_deletion_checks: dict[str, DeletionCheck] = {}


def register_deletion_check(name: str, check: DeletionCheck) -> None:
    """Add (or replace) a reason to refuse deleting an account: `check(user)` returns the
    sentences to show (empty when nothing stands in the way)."""
    _deletion_checks[name] = check


def reasons_not_to_delete(user: User) -> list[str]:
    return [reason for check in _deletion_checks.values() for reason in check(user)]

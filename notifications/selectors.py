"""Reads of the outbox: a person's notifications, the admin page of an association."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from core.notices import Job, Kind
from core.prepared import PreparedQuery
from members.models import Association
from notifications.models import Notification, NotificationPreference, ScanRun
from notifications.registry import optional_kinds, registered_jobs, registered_kinds


def notifications_of(user: Any) -> QuerySet[Notification]:
    """The person's notifications shown in the app, newest first."""
    return (
        Notification.objects.filter(recipient=user, in_app=True)
        .select_related("association")
        .order_by("-created_at", "-pk")
    )


def unread_notifications(recipient_id: Any) -> QuerySet[Notification]:
    """The person's notifications in the app not read yet (`recipient_id` may be an
    OuterRef: carshare.auth counts them with the person)."""
    return Notification.objects.filter(recipient_id=recipient_id, in_app=True, read_at__isnull=True)


_UNREAD = PreparedQuery(
    lambda user_id: (
        unread_notifications(user_id)
        .values("recipient_id")
        .annotate(unread=Count("pk"))
        .values_list("unread")
        .order_by()
    ),
    user_id=int,
)


# The attribute under which the loader of the signed-in person (carshare.auth) leaves their
# unread count, read in the same query as the person; the services that mark notifications
# read forget it (`forget_unread`).
PREFETCHED_UNREAD = "prefetched_unread_count"


def unread_count(user: Any) -> int:
    """How many of the person's notifications in the app are not read yet (header badge, on
    every page): the count read with the signed-in person, else one query compiled once
    (core.prepared)."""
    prefetched = getattr(user, PREFETCHED_UNREAD, None)
    if prefetched is not None:
        return int(prefetched)
    rows = _UNREAD.rows(user_id=user.pk)  # one row per recipient: none when nothing is unread
    return int(rows[0][0]) if rows else 0


def forget_unread(user: Any) -> None:
    """The prefetched count is no longer right (notifications were read during the request)."""
    vars(user).pop(PREFETCHED_UNREAD, None)


@dataclass(frozen=True)
class KindChoice:
    kind: Kind
    by_email: bool
    in_app: bool


def preferences_of(user: Any) -> list[KindChoice]:
    """The person's channels for each optional kind (both on when never chosen)."""
    kinds = optional_kinds()
    stored = {
        p.kind: p
        for p in NotificationPreference.objects.filter(
            user=user, kind__in=[kind.code for kind in kinds]
        )
    }
    choices = []
    for kind in kinds:
        preference = stored.get(kind.code)
        choices.append(
            KindChoice(
                kind,
                preference.by_email if preference else True,
                preference.in_app if preference else True,
            )
        )
    return choices


@dataclass(frozen=True)
class JobStatus:
    job: Job
    last_run: ScanRun | None
    created_here: int  # notifications the last run created for this association
    last_failure: ScanRun | None


def essential_kinds() -> list[Kind]:
    """The kinds that always go out, named on the preferences page."""
    return [kind for kind in registered_kinds() if not kind.optional]


def job_statuses(association: Association) -> list[JobStatus]:
    """Each scheduled job with its last run, for the admin page (two queries a job)."""
    statuses = []
    for job in registered_jobs():
        runs = ScanRun.objects.filter(name=job.name).order_by("-started_at", "-pk")
        last = runs.first()
        failure = runs.filter(outcome=ScanRun.Outcome.FAILED).first()
        created = int(last.by_association.get(str(association.pk), 0)) if last else 0
        statuses.append(JobStatus(job, last, created, failure))
    return statuses


def outbox_counts(association: Association) -> dict[str, int]:
    """The association's notifications by status (one query)."""
    counts = dict.fromkeys(Notification.Status.values, 0)
    rows = (
        Notification.objects.filter(association=association)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    for status, n in rows:
        counts[status] = n
    return counts


def outbox_problems(association: Association, limit: int = 100) -> QuerySet[Notification]:
    """Failed notifications, and pending ones that already failed once (waiting to retry)."""
    failed = Notification.objects.filter(association=association, status=Notification.Status.FAILED)
    retrying = Notification.objects.filter(
        association=association, status=Notification.Status.PENDING, attempts__gt=0
    )
    return (failed | retrying).select_related("recipient").order_by("-created_at", "-pk")[:limit]

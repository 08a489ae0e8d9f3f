"""The members app's sections of the exports (registered in MembersConfig.ready())."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from typing import Any

from django.utils import timezone

from members.drivers import probation_end
from members.exports import ExportFile, csv_file, json_file
from members.models import Association, AuditEntry, DriverProfile, Invitation, Membership, User
from members.privacy import driver_data_visible, shown_to_association

MEMBER_COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "phone",
    "role",
    "status",
    "joined_on",
    "left_on",
    "fee_paid_until",
    "household",
    "birth_date",
    "licence_number",
    "licence_issued_on",
    "licence_issued_by",
    "licence_expires_on",
    "accompanied_driving",
    "post_licence_training",
    "probation_end",
)


def members_csv(association: Association) -> ExportFile:
    """Every membership with its person, and driver data where admins may see them
    (members.privacy); importable again (same columns)."""
    memberships = (
        Membership.objects.filter(shown_to_association(), association=association)
        .select_related("user", "user__driver_profile", "household")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    return csv_file("members.csv", MEMBER_COLUMNS, (_member_row(m) for m in memberships))


def _member_row(membership: Membership) -> list[Any]:
    user = membership.user
    profile: DriverProfile | None = getattr(user, "driver_profile", None)
    return [
        user.email,
        user.first_name,
        user.last_name,
        user.phone,
        membership.role,
        membership.status,
        membership.joined_on,
        membership.left_on,
        membership.fee_paid_until,
        membership.household_id,
        *_driver_cells(profile if driver_data_visible(membership) else None),
    ]


def _driver_cells(profile: DriverProfile | None) -> list[Any]:
    if profile is None:
        return [None] * 8
    return [
        profile.birth_date,
        profile.licence_number,
        profile.licence_issued_on,
        profile.licence_issued_by,
        profile.licence_expires_on,
        profile.accompanied_driving,
        profile.post_licence_training,
        _probation_end(profile),
    ]


def _probation_end(profile: DriverProfile) -> Any:
    if profile.licence_issued_on is None:
        return None
    return probation_end(
        licence_issued_on=profile.licence_issued_on,
        accompanied_driving=profile.accompanied_driving,
        post_licence_training=profile.post_licence_training,
    )


def association_files(association: Association) -> Iterator[ExportFile]:
    """The association export's members section: settings, members, households,
    invitations and the audit trail. Licence scans stay out of bulk exports (privacy)."""
    yield json_file("association.json", _association_data(association))
    yield members_csv(association)
    yield csv_file(
        "households.csv",
        ("household", "label", "email"),
        association.memberships.filter(shown_to_association(), household__isnull=False)
        .order_by("household_id", "user__email")
        .values_list("household_id", "household__label", "user__email"),
    )
    yield csv_file(
        "invitations.csv",
        ("email", "role", "created_at", "expires_at", "accepted_at", "revoked_at"),
        Invitation.objects.filter(association=association)
        .order_by("created_at")
        .values_list("email", "role", "created_at", "expires_at", "accepted_at", "revoked_at"),
    )
    yield csv_file(
        "audit.csv",
        ("created_at", "actor", "action", "target_type", "target_id", "data"),
        (
            (
                e.created_at,
                e.actor.email if e.actor else "",
                e.action,
                e.target_type,
                e.target_id,
                e.data,
            )
            for e in AuditEntry.objects.filter(association=association)
            .select_related("actor")
            .order_by("created_at", "pk")
        ),
    )


def _association_data(association: Association) -> dict[str, Any]:
    fields = [f.name for f in Association._meta.concrete_fields if f.name != "id"]
    return {name: getattr(association, name) for name in fields}


def personal_files(user: User) -> Iterable[ExportFile]:
    """The person's members section: profile, memberships, driver profile and scan."""
    yield json_file(
        "profile.json",
        {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "language": user.language,
            "date_joined": user.date_joined,
            "exported_at": timezone.now(),
        },
    )
    yield json_file("memberships.json", [_membership_data(m) for m in _memberships(user)])
    profile = DriverProfile.objects.filter(user=user).first()
    if profile is not None:
        yield json_file("driver_profile.json", _driver_data(profile))
        scan = _scan_file(profile) if profile.licence_scan else None
        if scan is not None:
            yield scan


def _memberships(user: User) -> Iterable[Membership]:
    return Membership.objects.filter(user=user).select_related("association", "household")


def _membership_data(membership: Membership) -> dict[str, Any]:
    return {
        "association": membership.association.name,
        "association_slug": membership.association.slug,
        "role": membership.role,
        "status": membership.status,
        "joined_on": membership.joined_on,
        "left_on": membership.left_on,
        "fee_paid_until": membership.fee_paid_until,
        "household": membership.household.label if membership.household else None,
        "request_message": membership.request_message,
        "refusal_reason": membership.refusal_reason,
    }


def _driver_data(profile: DriverProfile) -> dict[str, Any]:
    return {
        "birth_date": profile.birth_date,
        "licence_number": profile.licence_number,
        "licence_issued_on": profile.licence_issued_on,
        "licence_issued_by": profile.licence_issued_by,
        "licence_expires_on": profile.licence_expires_on,
        "accompanied_driving": profile.accompanied_driving,
        "post_licence_training": profile.post_licence_training,
        "probation_end": _probation_end(profile),
    }


def _scan_file(profile: DriverProfile) -> ExportFile | None:
    suffix = PurePosixPath(profile.licence_scan.name or "").suffix
    try:
        with profile.licence_scan.open("rb") as handle:
            return ExportFile(f"licence_scan{suffix}", handle.read())
    except FileNotFoundError:  # a file lost from storage: the rest of the export still counts
        return None

"""Reads of members and associations, each starting from an association or a person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from core.timeutils import add_years
from members.drivers import (
    DEFAULT_MIN_AGE,
    DEFAULT_MIN_LICENCE_YEARS,
    PROBATION_YEARS,
    YoungDriverStatus,
    young_driver_status,
)
from members.models import Association, DriverProfile, Household, Invitation, Membership
from members.privacy import DRIVER_DATA_STATUSES, shown_to_association

CURRENT_STATUSES = (
    Membership.Status.ACTIVE,
    Membership.Status.PENDING,
    Membership.Status.SUSPENDED,
)


def memberships_of_user(user: Any) -> QuerySet[Membership]:
    """The person's memberships that are active or pending, for navigation and home."""
    return (
        Membership.objects.filter(
            user=user, status__in=[Membership.Status.ACTIVE, Membership.Status.PENDING]
        )
        .select_related("association")
        .order_by("association__name")
    )


def all_memberships_of_user(user: Any) -> QuerySet[Membership]:
    """Every membership of the person, whatever its status ("my associations")."""
    return (
        Membership.objects.filter(user=user)
        .select_related("association", "household")
        .order_by("association__name")
    )


def own_membership(user: Any, slug: str) -> Membership | None:
    """The person's own membership of the association `slug`, in any status."""
    return (
        Membership.objects.select_related("association")
        .filter(user=user, association__slug=slug)
        .first()
    )


def active_memberships_of_user(user: Any) -> QuerySet[Membership]:
    """The person's active memberships of working (not suspended) associations, with their
    associations (API: my associations)."""
    return memberships_of_user(user).filter(
        status=Membership.Status.ACTIVE, association__suspended_at__isnull=True
    )


def joinable_associations(user: Any) -> QuerySet[Association]:
    """Associations of the directory the person is not currently part of. The others are
    found through their own link only: being listed is the association's choice."""
    current = Membership.objects.filter(user=user, status__in=CURRENT_STATUSES)
    return directory().exclude(pk__in=current.values("association_id")).order_by("name")


# --- The admin member list ---------------------------------------------------------------


@dataclass(frozen=True)
class MemberFilters:
    q: str = ""
    status: str = "current"  # "current", "all" or one Membership.Status
    role: str = ""
    young: bool = False
    missing_licence: bool = False


def member_list(
    association: Association, filters: MemberFilters, *, today: dt.date
) -> QuerySet[Membership]:
    """The association's memberships matching the admin's filters, by name (memberships
    purged after the retention period are no longer the association's to see). Filters on
    driver data only ever match the memberships whose driver data admins may see."""
    members = Membership.objects.filter(shown_to_association(), association=association)
    members = members.select_related("user", "user__driver_profile", "household")
    members = _filter_status(members, filters.status)
    if filters.role:
        members = members.filter(role=filters.role)
    if filters.q:
        members = members.filter(_search(filters.q))
    if filters.missing_licence or filters.young:
        members = members.filter(status__in=DRIVER_DATA_STATUSES)
    if filters.missing_licence:
        members = members.filter(_missing_licence_data())
    if filters.young:
        members = members.filter(pk__in=_young_member_ids(members, today))
    return members.order_by("user__last_name", "user__first_name", "user__email")


def _filter_status(members: QuerySet[Membership], status: str) -> QuerySet[Membership]:
    if status == "current":
        return members.filter(status__in=CURRENT_STATUSES)
    if status in Membership.Status.values:
        return members.filter(status=status)
    return members


def _search(text: str) -> Q:
    query = Q()
    for word in text.split()[:5]:
        query &= (
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
            | Q(user__phone__icontains=word)
        )
    return query


def _missing_licence_data() -> Q:
    return (
        Q(user__driver_profile__isnull=True)
        | Q(user__driver_profile__birth_date__isnull=True)
        | Q(user__driver_profile__licence_issued_on__isnull=True)
        | Q(user__driver_profile__licence_number="")
    )


def _young_member_ids(members: QuerySet[Membership], today: dt.date) -> list[int]:
    """Ids of young drivers among `members`: the database narrows with a year of margin,
    the pure rule (`members.drivers`) decides."""
    longest = max(PROBATION_YEARS, DEFAULT_MIN_LICENCE_YEARS) + 1
    candidates = members.filter(
        user__driver_profile__birth_date__isnull=False,
        user__driver_profile__licence_issued_on__isnull=False,
    ).filter(
        Q(user__driver_profile__birth_date__gt=add_years(today, -(DEFAULT_MIN_AGE + 1)))
        | Q(user__driver_profile__licence_issued_on__gt=add_years(today, -longest))
    )
    return [m.pk for m in candidates if is_young_driver(m.user.driver_profile, today)]


def driver_status(profile: DriverProfile | None, today: dt.date) -> YoungDriverStatus | None:
    """The driver's status against the platform's default rule, or None without dates."""
    if profile is None or profile.birth_date is None or profile.licence_issued_on is None:
        return None
    return young_driver_status(
        birth_date=profile.birth_date,
        licence_issued_on=profile.licence_issued_on,
        accompanied_driving=profile.accompanied_driving,
        post_licence_training=profile.post_licence_training,
        on=today,
        min_age=DEFAULT_MIN_AGE,
        min_licence_years=DEFAULT_MIN_LICENCE_YEARS,
    )


def is_young_driver(profile: DriverProfile | None, today: dt.date) -> bool:
    """Young by the default rule (under 21, licence under 2 years) or on probation."""
    status = driver_status(profile, today)
    return status is not None and (status.is_young or status.on_probation)


@dataclass(frozen=True)
class HomeKey:
    """What keys the cached home page beside the membership and association themselves."""

    version: int  # members.HomeVersion of the association
    profile_complete: bool  # the viewer's driver profile


# Raw SQL: the home page's one query on a cache hit, compiled by no ORM (about half of what
# the cached page costs beyond the layout otherwise). The driver profile's condition is
# DriverProfile.is_complete (tests/members/views/test_home_cache.py holds them together).
HOME_KEY_SQL = """
SELECT
  (SELECT version FROM members_homeversion WHERE association_id = %s),
  EXISTS (
    SELECT 1 FROM members_driverprofile
    WHERE user_id = %s AND birth_date IS NOT NULL AND licence_issued_on IS NOT NULL
      AND licence_number <> ''
  )
"""


def home_key(membership: Membership) -> HomeKey:
    """One query, read BEFORE the rows the home page shows (core.fragments)."""
    with connection.cursor() as cursor:
        cursor.execute(HOME_KEY_SQL, [membership.association_id, membership.user_id])
        version, complete = cursor.fetchone()
    return HomeKey(version=version or 0, profile_complete=bool(complete))


def driver_profile_of(user: Any) -> DriverProfile | None:
    return DriverProfile.objects.filter(user=user).first()


def has_verified_email(user: Any) -> bool:
    """Whether the person confirmed an e-mail address (allauth's link)."""
    return EmailAddress.objects.filter(user=user, verified=True).exists()


# --- Admin work -----------------------------------------------------------------------------


def count_pending_requests(association: Association) -> int:
    return Membership.objects.filter(
        association=association, status=Membership.Status.PENDING
    ).count()


def open_invitations(association: Association) -> QuerySet[Invitation]:
    """Invitations not yet accepted nor withdrawn (expired ones included), newest first."""
    return Invitation.objects.filter(
        association=association, accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by("-created_at")


def active_admins(association: Association) -> QuerySet[Membership]:
    return Membership.objects.filter(
        association=association, role=Membership.Role.ADMIN, status=Membership.Status.ACTIVE
    ).select_related("user")


def active_members(association: Association) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(association=association, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


# --- Households -------------------------------------------------------------------------------


def household_members(household: Household) -> QuerySet[Membership]:
    """Members of a household, by name."""
    return household.memberships.select_related("user").order_by(
        "user__last_name", "user__first_name"
    )


def same_household(first: Membership, second: Membership) -> bool:
    """Whether two members declared one tax household (ADEME criterion 4: family use)."""
    return (
        first.association_id == second.association_id
        and first.household_id is not None
        and first.household_id == second.household_id
    )


# --- What anyone may read ---------------------------------------------------------------------


def get_public_association(slug: str) -> Association:
    """An association whose page is public (opened by its admins, not suspended), or 404."""
    association = Association.objects.filter(
        slug=slug, public_page=True, suspended_at__isnull=True
    ).first()
    if association is None:
        raise Http404
    return association


def directory(*, text: str = "", postcode: str = "") -> QuerySet[Association]:
    """Listed associations, by commune; `text` matches the commune or the name, `postcode`
    the start of the postcode (a department: "63")."""
    found = Association.objects.filter(
        listed_in_directory=True, public_page=True, suspended_at__isnull=True
    )
    if text:
        found = found.filter(Q(commune__icontains=text) | Q(name__icontains=text))
    if postcode:
        found = found.filter(postcode__startswith=postcode)
    return found.order_by("commune", "name")

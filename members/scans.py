"""Scans of the members app: driving licences expiring, membership fees to renew, and the
retention period of former members' personal data.

Each scan computes from the database what is due at `now` (days in each association's
zone) and queues notifications whose keys make a second run, or a concurrent one, a no-op.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import format_euros
from core.notices import Job, Message, ScanCounts, link, queue_notifications
from core.scanning import CATCH_UP_DAYS, EXPIRY_STAGES, batched, date_window, day_stage
from core.timeutils import local_today
from members.models import DriverProfile, Membership
from members.notifications import FEE_RENEWAL, LICENCE_EXPIRING
from members.recipients import active_memberships_by_user, admins_by_association
from members.services.retention import purge_personal_data

# Fees are due once a year or a month: a month's notice, then the day the paid period ends.
FEE_STAGES = (30, 0)


def scan_licence_expiry(*, now: dt.datetime) -> ScanCounts:
    """Drivers whose licence expires in 30, 7 or 0 days; on day 0 their admins as well."""
    counts = ScanCounts()
    low, high = date_window(now, before=CATCH_UP_DAYS, after=max(EXPIRY_STAGES))
    profiles = DriverProfile.objects.filter(
        licence_expires_on__range=(low, high), user__is_active=True
    ).select_related("user")
    for batch in batched(profiles):
        counts.checked += len(batch)
        counts.add(queue_notifications(_licence_messages(batch)))
    return counts


def _licence_messages(profiles: list[DriverProfile]) -> list[Message]:
    memberships = active_memberships_by_user(p.user_id for p in profiles)
    admins = admins_by_association(m.association_id for ms in memberships.values() for m in ms)
    messages: list[Message] = []
    for profile in profiles:
        mine = memberships.get(profile.user_id)
        if not mine or profile.licence_expires_on is None:
            continue  # a licence matters only to someone who may drive an association's car
        first = mine[0].association
        days_left = (profile.licence_expires_on - local_today(first.tz)).days
        stage = day_stage(days_left)
        if stage is None:
            continue
        key = f"driverprofile:{profile.pk}:{profile.licence_expires_on}:{stage}d"
        context = {
            "driver": profile.user.display_name,
            "expires_on": profile.licence_expires_on,
            "days_left": days_left,
        }
        url = link("account:driver_profile")
        messages.append(Message(profile.user, LICENCE_EXPIRING, key, first, context, url))
        if stage != 0:
            continue
        for membership in mine:
            association = membership.association
            admin_url = link("members:detail", slug=association.slug, pk=membership.pk)
            messages += [
                Message(
                    admin,
                    LICENCE_EXPIRING,
                    key,
                    association,
                    {**context, "for_admin": True},
                    admin_url,
                )
                for admin in admins.get(association.pk, [])
                if admin.pk != profile.user_id
            ]
    return messages


def scan_fee_renewals(*, now: dt.datetime) -> ScanCounts:
    """Members whose paid membership ends in 30 days, or ends today (or just did)."""
    counts = ScanCounts()
    low, high = date_window(now, before=CATCH_UP_DAYS, after=max(FEE_STAGES))
    memberships = Membership.objects.filter(
        status=Membership.Status.ACTIVE,
        fee_paid_until__range=(low, high),
        association__membership_fee__gt=Decimal("0"),
        user__is_active=True,
    ).select_related("user", "association")
    for batch in batched(memberships):
        counts.checked += len(batch)
        counts.add(queue_notifications(_fee_messages(batch)))
    return counts


def _fee_messages(memberships: list[Membership]) -> list[Message]:
    messages = []
    for membership in memberships:
        association, paid_until = membership.association, membership.fee_paid_until
        if paid_until is None:
            continue
        days_left = (paid_until - local_today(association.tz)).days
        stage = day_stage(days_left, FEE_STAGES)
        if stage is None:
            continue
        context = {
            "paid_until": paid_until,
            "days_left": days_left,
            "fee": format_euros(association.membership_fee),
            "yearly": association.fee_period == association.FeePeriod.YEAR,
            "contact_email": association.contact_email,
        }
        messages.append(
            Message(
                membership.user,
                FEE_RENEWAL,
                f"membership:{membership.pk}:{paid_until}:{stage}d",
                association,
                context,
                link("members:home", slug=association.slug),
            )
        )
    return messages


def scan_personal_data(*, now: dt.datetime) -> ScanCounts:
    """Purge the personal data of memberships that ended longer ago than the retention
    period (members.privacy); sends nothing. `checked` counts what was deleted."""
    counts = purge_personal_data(today=timezone.localdate(now))
    return ScanCounts(checked=counts.total)


JOBS = [
    Job(
        "licence_expiry",
        _("Driving licences expiring"),
        _("every day at 07:00"),
        scan_licence_expiry,
    ),
    Job("fee_renewals", _("Membership fees to renew"), _("every day at 07:15"), scan_fee_renewals),
    Job(
        "personal_data",
        _("Former members' personal data deleted after the retention period"),
        _("every night at 04:00"),
        scan_personal_data,
    ),
]

"""The notification kinds of bookings; texts in templates/bookings/notifications/."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.notices import Kind

BOOKING_STARTS_SOON = Kind(
    "bookings", "booking_starts_soon", _("booking starts soon"), optional=True
)
APPROVAL_PENDING = Kind("bookings", "approval_pending", _("booking waiting for approval"))
RETURN_DUE = Kind("bookings", "return_due", _("return due"), optional=True)
RETURN_OVERDUE = Kind("bookings", "return_overdue", _("return overdue"))
TRIP_NOT_CHECKED_IN = Kind("bookings", "trip_not_checked_in", _("trip not recorded"))
BOOKING_INELIGIBLE = Kind(
    "bookings", "booking_ineligible", _("driver no longer eligible for a booking")
)
BOOKING_WITHOUT_AGREEMENT = Kind(
    "bookings", "booking_without_agreement", _("booking without an agreement")
)
# The waiting list: the slot a member waited for is free (they asked: always sent).
SLOT_FREE = Kind("bookings", "slot_free", _("a car you waited for is free"))
# A booking moved to other times or another car: its owners, its driver (when someone else
# moved it) and the next driver of the car hear of it.
BOOKING_CHANGED = Kind("bookings", "booking_changed", _("booking changed"), optional=True)
# Money: a receipt waits for the owners' or an admin's decision; the driver hears a refusal.
RECEIPT_PENDING = Kind("bookings", "receipt_pending", _("fuel receipt waiting for your approval"))
RECEIPT_REFUSED = Kind("bookings", "receipt_refused", _("fuel receipt refused"))
# The admins' announcements: each member chooses to get them by e-mail or in the app only.
ANNOUNCEMENT = Kind(
    "bookings", "announcement", _("announcement from the association"), optional=True
)

# Issue 17: incidents and the owners' month.
INCIDENT_REPORTED = Kind("bookings", "incident_reported", _("incident reported on a car"))
INCIDENT_REPLY = Kind("bookings", "incident_reply", _("reply on an incident"))
INCIDENT_SETTLED = Kind("bookings", "incident_settled", _("incident settled or closed"))
OWNER_MONTHLY_SUMMARY = Kind(
    "bookings", "owner_monthly_summary", _("monthly summary of your cars"), optional=True
)

KINDS = [
    BOOKING_STARTS_SOON,
    APPROVAL_PENDING,
    RETURN_DUE,
    RETURN_OVERDUE,
    TRIP_NOT_CHECKED_IN,
    BOOKING_INELIGIBLE,
    BOOKING_WITHOUT_AGREEMENT,
    SLOT_FREE,
    BOOKING_CHANGED,
    RECEIPT_PENDING,
    RECEIPT_REFUSED,
    ANNOUNCEMENT,
    INCIDENT_REPORTED,
    INCIDENT_REPLY,
    INCIDENT_SETTLED,
    OWNER_MONTHLY_SUMMARY,
]

"""Models of the members app: people and associations (`people`), the notifications outbox
and the record of scheduled runs (`notifications`)."""

from members.models.notifications import (
    OPTIONAL_KINDS,
    Notification,
    NotificationKind,
    NotificationPreference,
    ScanRun,
)
from members.models.people import (
    Association,
    AuditEntry,
    DriverProfile,
    Household,
    Invitation,
    Membership,
    User,
    UserManager,
)
from members.models.public import ContactMessage

__all__ = [
    "OPTIONAL_KINDS",
    "Association",
    "AuditEntry",
    "ContactMessage",
    "DriverProfile",
    "Household",
    "Invitation",
    "Membership",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "ScanRun",
    "User",
    "UserManager",
]

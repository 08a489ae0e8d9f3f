"""Models of the members app: people and associations (`people`)."""

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
    "Association",
    "AuditEntry",
    "ContactMessage",
    "DriverProfile",
    "Household",
    "Invitation",
    "Membership",
    "User",
    "UserManager",
]

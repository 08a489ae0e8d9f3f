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

__all__ = [
    "Association",
    "AuditEntry",
    "DriverProfile",
    "Household",
    "Invitation",
    "Membership",
    "User",
    "UserManager",
]

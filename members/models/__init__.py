"""Models of the members app: people and associations (`people`), the home page's version
(`home`)."""

from members.models.home import HomeVersion
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
    "HomeVersion",
    "Household",
    "Invitation",
    "Membership",
    "User",
    "UserManager",
]

"""The triggers that version each association's home page (members.models.HomeVersion,
core.versioning). Members versions its own tables here; the apps whose rows the home page's
sections and start checklist read version theirs with `home_version_trigger` (vehicles,
contracts, bookings), each in its own migration and `ready()`."""

from __future__ import annotations

from core.versioning import VersionTrigger

HOME_VERSIONS = "members_homeversion"


def home_version_trigger(table: str, association: str) -> VersionTrigger:
    """Every INSERT, UPDATE and DELETE of `table` bumps the home version of the association
    that `association` (SQL, `{row}` standing for NEW or OLD) names."""
    return VersionTrigger(
        name=f"{table}_home_version",
        table=table,
        versions=HOME_VERSIONS,
        key="association_id",
        row_key=association,
    )


# The admins' count of join requests, the start checklist's "first invitations", the
# members who own a car (through their membership's id).
VERSION_TRIGGERS = (
    home_version_trigger("members_membership", "{row}.association_id"),
    home_version_trigger("members_invitation", "{row}.association_id"),
)

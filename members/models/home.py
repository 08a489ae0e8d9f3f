"""The version of what an association's home page shows (members.views.home)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.bounds import MAX_VERSION, between
from members.models.people import Association


class HomeVersion(models.Model):
    """A counter per association that every write of a row its home page reads increases,
    whoever writes (database triggers: memberships and invitations here, the cars, their
    owners, insurance, documents and tariffs in vehicles, templates and agreements in
    contracts, incidents in bookings). The cached home page is keyed by it."""

    # No database foreign key: the triggers bump the version while a flush or a cascade
    # deletes rows and associations in any order (association ids are not reused).
    association = models.OneToOneField(
        Association,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="home_version",
        db_constraint=False,
    )
    version = models.PositiveBigIntegerField(default=0, validators=between(0, MAX_VERSION))

    class Meta:
        verbose_name = _("version of an association's home page")
        verbose_name_plural = _("versions of the associations' home pages")

    def __str__(self) -> str:
        return f"{self.association_id} v{self.version}"

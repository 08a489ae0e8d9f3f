"""A person's own data: profile and driver profile (licence data and its scan)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, ForbiddenError
from core.files import validate_upload
from core.stored_files import atomic_with_files, store_file
from core.timeutils import add_years
from members.audit import record_audit
from members.drivers import MIN_AGE_AT_LICENCE
from members.models import Association, DriverProfile, Membership, User

# The services and their inputs; check_driver_data is a helper of the package.
__all__ = [
    "DRIVER_FIELDS",
    "DriverData",
    "replace_licence_scan",
    "update_driver_profile",
    "update_member_address",
    "update_postal_address",
    "update_profile",
]


@dataclass(frozen=True)
class DriverData:
    """The driver-profile fields a person may change."""

    birth_date: dt.date | None
    licence_number: str
    licence_issued_on: dt.date | None
    licence_issued_by: str
    licence_expires_on: dt.date | None
    accompanied_driving: bool
    post_licence_training: bool
    birth_place: str = ""


DRIVER_FIELDS = tuple(f.name for f in fields(DriverData))
PROFILE_FIELDS = ("first_name", "last_name", "phone", "language")


def update_profile(
    *, user: User, first_name: str, last_name: str, phone: str, language: str
) -> User:
    """The person changes their name, phone number and language."""
    if language not in User.Language.values:
        raise DomainError(_("Unknown language."), code="unknown_language", field="language")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.first_name = first_name.strip()
        locked.last_name = last_name.strip()
        locked.phone = phone.strip()
        locked.language = language
        locked.save(update_fields=["first_name", "last_name", "phone", "language"])
        record_audit(action="user.profile_updated", actor=locked, association=None, target=locked)
    return locked


@dataclass(frozen=True)
class PostalAddress:
    """A person's postal address: all three parts, or none."""

    street: str = ""
    postcode: str = ""
    town: str = ""

    @classmethod
    def of(cls, user: User) -> PostalAddress:
        return cls(user.street, user.postcode, user.town)

    def cleaned(self) -> PostalAddress:
        return PostalAddress(
            " ".join(self.street.split()), self.postcode.strip(), " ".join(self.town.split())
        )


ADDRESS_FIELDS = tuple(f.name for f in fields(PostalAddress))


def update_postal_address(*, user: User, address: PostalAddress) -> User:
    """The person records their postal address (or removes it: all parts empty)."""
    return _save_address(user, check_address(address), actor=user)


def update_member_address(
    *, actor: Membership, membership: Membership, address: PostalAddress
) -> User:
    """An admin records a member's postal address (from a paper membership form)."""
    if not actor.is_admin or membership.association_id != actor.association_id:
        raise ForbiddenError(
            _("Only the association's administrators may change a member's address."),
            code="forbidden",
        )
    return _save_address(
        membership.user, check_address(address), actor=actor.user, association=actor.association
    )


def check_address(address: PostalAddress) -> PostalAddress:
    """The address cleaned of stray spaces; refused, naming the part at fault, when it is
    incomplete or its postcode is not five digits."""
    address = address.cleaned()
    parts = [getattr(address, name) for name in ADDRESS_FIELDS]
    if any(parts):
        for name in ADDRESS_FIELDS:
            if not getattr(address, name):
                raise DomainError(
                    _("Give the street, the postcode and the town, or leave all three empty."),
                    code="address_incomplete",
                    field=name,
                )
    for name in ADDRESS_FIELDS:
        try:
            field = cast("models.Field[Any, Any]", User._meta.get_field(name))
            field.clean(getattr(address, name), None)
        except ValidationError as error:
            raise DomainError(error.messages[0], code="address_invalid", field=name) from None
    return address


def _save_address(
    user: User, address: PostalAddress, *, actor: User, association: Association | None = None
) -> User:
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        changed = [n for n in ADDRESS_FIELDS if getattr(locked, n) != getattr(address, n)]
        for name in changed:
            setattr(locked, name, getattr(address, name))
        if changed:
            locked.save(update_fields=changed)
            # Field names only: the address is personal data and the trail is kept for years.
            record_audit(
                action="user.address_updated",
                actor=actor,
                association=association,
                target=locked,
                data={"fields": changed},
            )
    return locked


def update_driver_profile(*, user: User, data: DriverData) -> DriverProfile:
    """The person records their licence data (the profile is created the first time)."""
    check_driver_data(data, today=timezone.localdate())
    data = replace(data, birth_place=" ".join(data.birth_place.split()))
    with transaction.atomic():
        profile = _lock_profile(user)
        changed = [
            f.name for f in fields(data) if getattr(profile, f.name) != getattr(data, f.name)
        ]
        for name in changed:
            setattr(profile, name, getattr(data, name))
        if profile.pk is None:
            profile.save()
        elif changed:
            profile.save(update_fields=[*changed, "updated_at"])
        # Field names only: the values are personal data and the trail is kept for years.
        record_audit(
            action="driver_profile.updated",
            actor=user,
            association=None,
            target=profile,
            data={"fields": changed},
        )
    return profile


def replace_licence_scan(*, user: User, scan: UploadedFile | None) -> DriverProfile:
    """Store a new licence scan (or none); the old file is deleted after commit."""
    if scan is not None:
        try:
            validate_upload(scan)
        except ValidationError as error:
            raise DomainError(
                " ".join(error.messages), code="bad_file", field="licence_scan"
            ) from error
    with atomic_with_files():
        profile = _lock_profile(user)
        if profile.pk is None:
            profile.save()
        old_name = profile.licence_scan.name if profile.licence_scan else ""
        if scan is not None:
            store_file(profile.licence_scan, scan.name or "scan", scan)
        else:
            profile.licence_scan = None
        profile.save(update_fields=["licence_scan", "updated_at"])
        record_audit(
            action="driver_profile.scan_replaced" if scan else "driver_profile.scan_removed",
            actor=user,
            association=None,
            target=profile,
        )
        if old_name:
            storage = profile.licence_scan.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return profile


def check_driver_data(data: DriverData, *, today: dt.date) -> None:
    """Refuse impossible dates, naming the field at fault."""
    for name in ("birth_date", "licence_issued_on"):
        day = getattr(data, name)
        if day is not None and day > today:
            raise _field_error(name, _("This date is in the future."))
    birth, issued, expires = data.birth_date, data.licence_issued_on, data.licence_expires_on
    if birth and issued and issued < add_years(birth, MIN_AGE_AT_LICENCE):
        raise _field_error(
            "licence_issued_on",
            _("The licence cannot have been issued before the age of %(age)s.")
            % {"age": MIN_AGE_AT_LICENCE},
        )
    if issued and expires and expires <= issued:
        raise _field_error(
            "licence_expires_on", _("The expiry date must come after the issue date.")
        )


def _field_error(field: str, message: Any) -> DomainError:
    return DomainError(message, code="invalid_date", field=field)


def _lock_profile(user: User) -> DriverProfile:
    return DriverProfile.objects.select_for_update().filter(user=user).first() or DriverProfile(
        user=user
    )

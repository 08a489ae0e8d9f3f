"""Founding an association (any person with a verified e-mail address, rate-limited) and
its suspension by the platform's operators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.errors import DomainError, ForbiddenError
from members.audit import record_audit
from members.models import Association, Membership, User
from members.selectors import has_verified_email
from members.services.common import association_today
from members.validators import RESERVED_SLUGS

# The services; zone_for_postcode and derived_slug are reads (and the tests' subject).
__all__ = ["found_association", "lift_suspension", "suspend_association"]

SLUG_MAX = 60
# Communes overseas live in other zones; their postcodes start with these digits.
OVERSEAS_ZONES = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "975": "America/Miquelon",
    "976": "Indian/Mayotte",
    "977": "America/St_Barthelemy",
    "978": "America/Marigot",
    "986": "Pacific/Wallis",
    "987": "Pacific/Tahiti",
    "988": "Pacific/Noumea",
}


@dataclass(frozen=True)
class FoundingData:
    """What a founder says about the new association; an empty slug is derived from the name
    and an empty contact address is the founder's."""

    name: str
    commune: str
    postcode: str
    address: str
    contact_email: str = ""
    slug: str = ""


def found_association(*, founder: User, data: FoundingData) -> Association:
    """Create the association with its founder as its first administrator."""
    _require_verified(founder)
    with transaction.atomic():
        # One founding at a time per person, so the rate limit counts every earlier one.
        User.objects.select_for_update().filter(pk=founder.pk).values_list("pk").get()
        _check_rate(founder)
        association = _new_association(founder, data)
        _save_with_slug(association, data.slug.strip())
        Membership.objects.create(
            user=founder,
            association=association,
            role=Membership.Role.ADMIN,
            status=Membership.Status.ACTIVE,
            joined_on=association_today(association),
        )
        record_audit(
            action="association.founded",
            actor=founder,
            association=association,
            target=association,
            data={"slug": association.slug, "commune": association.commune},
        )
    return association


def _require_verified(founder: User) -> None:
    if not founder.is_active or not has_verified_email(founder):
        raise ForbiddenError(
            _(
                "Confirm your e-mail address before founding an association: follow the "
                "link of the message we sent you, or ask for a new one on your account page."
            ),
            code="email_not_verified",
        )


def _check_rate(founder: User) -> None:
    window = dt.timedelta(hours=settings.FOUNDING_WINDOW_HOURS)
    since = timezone.now() - window
    recent = list(
        Association.objects.filter(founded_by=founder, created_at__gte=since)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(recent) < settings.FOUNDING_LIMIT:
        return
    oldest = recent[0] if recent else timezone.now()
    retry_after = oldest + window - timezone.now()
    raise DomainError(
        ngettext(
            "You have already founded %(count)s association in the last %(hours)s hours: "
            "try again later, or write to the platform's operators.",
            "You have already founded %(count)s associations in the last %(hours)s hours: "
            "try again later, or write to the platform's operators.",
            len(recent),
        )
        % {"count": len(recent), "hours": settings.FOUNDING_WINDOW_HOURS},
        code="rate_limited",
        http_status=429,
        retry_after=max(1, int(retry_after.total_seconds())),
    )


def zone_for_postcode(postcode: str) -> str:
    """The IANA zone of a French commune, from its postcode (mainland: Europe/Paris)."""
    return OVERSEAS_ZONES.get(postcode[:3], "Europe/Paris")


def _new_association(founder: User, data: FoundingData) -> Association:
    association = Association(
        name=data.name.strip(),
        commune=data.commune.strip(),
        postcode=data.postcode.strip(),
        address=data.address.strip(),
        contact_email=data.contact_email.strip() or founder.email,
        time_zone=zone_for_postcode(data.postcode.strip()),
        founded_by=founder,
    )
    _require_text(association.name, "name", _("Give the association a name."))
    _require_text(association.commune, "commune", _("Enter the commune."))
    _require_text(association.address, "address", _("Enter the address of the association's seat."))
    try:
        association.full_clean(exclude=["slug"], validate_unique=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(" ".join(messages), code="invalid", field=field) from error
    return association


def _require_text(value: str, field: str, message: object) -> None:
    if not value:
        raise DomainError(str(message), code="required", field=field)


def _save_with_slug(association: Association, wanted: str) -> None:
    """The founder's slug as given (refused when reserved or taken), else one derived from
    the name, made unique by a number; a concurrent founding that took it first is retried."""
    if wanted:
        association.slug = _checked_slug(wanted)
        _insert(association)
        return
    base = derived_slug(association.name)
    for attempt in range(5):
        association.slug = _free_slug(base)
        try:
            with transaction.atomic():
                association.save()
            return
        except IntegrityError:
            if attempt == 4:
                raise


def _insert(association: Association) -> None:
    try:
        with transaction.atomic():
            association.save()
    except IntegrityError:
        raise _slug_taken(association.slug) from None


def derived_slug(name: str) -> str:
    """A short name for addresses from the association's name ("d'Ailleurs" → "d-ailleurs")."""
    text = name.replace("'", " ").replace("’", " ")
    slug = slugify(text)[:SLUG_MAX].strip("-")
    return slug or "association"


def _free_slug(base: str) -> str:
    taken = set(Association.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, number = base, 1
    while candidate in taken or candidate in RESERVED_SLUGS:
        number += 1
        suffix = f"-{number}"
        candidate = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
    return candidate


def _checked_slug(wanted: str) -> str:
    slug = wanted.lower()
    if slugify(slug) != slug or len(slug) > SLUG_MAX:
        raise DomainError(
            _("Use only lower-case letters, digits and hyphens (60 at most)."),
            code="slug_invalid",
            field="slug",
        )
    if slug in RESERVED_SLUGS:
        raise DomainError(
            _("“%(slug)s” is reserved by the site; choose another short name.") % {"slug": slug},
            code="slug_reserved",
            field="slug",
        )
    if Association.objects.filter(slug=slug).exists():
        raise _slug_taken(slug)
    return slug


def _slug_taken(slug: str) -> DomainError:
    return DomainError(
        _("“%(slug)s” is already the address of another association; choose another.")
        % {"slug": slug},
        code="slug_taken",
        field="slug",
    )


# --- Suspension by the platform's operators ------------------------------------------------


def _require_operator(operator: User) -> None:
    if not (operator.is_active and (operator.is_staff or operator.is_superuser)):
        raise ForbiddenError(
            _("Only the platform's operators may suspend an association."), code="not_operator"
        )


def suspend_association(*, operator: User, association: Association, reason: str) -> Association:
    """Stop an association: its pages and API answer that it is suspended, its jobs skip it."""
    _require_operator(operator)
    if not reason.strip():
        raise DomainError(
            _("Say why the association is suspended: its administrators will read it."),
            code="reason_required",
            field="suspension_reason",
        )
    return _set_suspension(operator, association, timezone.now(), reason.strip())


def lift_suspension(*, operator: User, association: Association) -> Association:
    """The association works again."""
    _require_operator(operator)
    return _set_suspension(operator, association, None, "")


def _set_suspension(
    operator: User, association: Association, at: dt.datetime | None, reason: str
) -> Association:
    with transaction.atomic():
        locked = Association.objects.select_for_update().get(pk=association.pk)
        if (locked.suspended_at is None) == (at is None):
            return locked  # already in that state: nothing to record
        locked.suspended_at, locked.suspension_reason = at, reason
        locked.save(update_fields=["suspended_at", "suspension_reason"])
        record_audit(
            action="association.suspended" if at else "association.suspension_lifted",
            actor=operator,
            association=locked,
            target=locked,
            data={"reason": reason} if reason else {},
        )
    return locked

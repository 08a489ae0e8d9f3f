"""The association's own data and settings, changed by its admins."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from members.audit import record_audit
from members.models import Association, Membership
from members.permissions import require_admin
from members.services.banking import checked_bic, checked_iban

# What admins may change here; the slug is not among them (it is in every link and feed).
DETAIL_FIELDS = (
    "name",
    "commune",
    "postcode",
    "address",
    "iban",
    "bic",
    "commune_address",
    "time_zone",
    "contact_email",
)
# The rules every member lives by: the start checklist asks the founders to set them.
RULE_FIELDS = (
    "membership_fee",
    "fee_period",
    "deposit_rule",
    "deposit_amount",
    "approval_required_default",
    "default_notice_hours",
    "agreement_required",
    "receipt_approval_threshold",
    "settlement_period",
    "expense_sharing",
    "incident_remainder",
)
PUBLIC_FIELDS = ("description", "public_page", "listed_in_directory")
EDITABLE_FIELDS = DETAIL_FIELDS + RULE_FIELDS + PUBLIC_FIELDS


def update_association(
    *, actor: Membership, changes: dict[str, Any], confirm_rules: bool = False
) -> Association:
    """An admin changes the association's details and settings; the trail keeps old values.

    `confirm_rules`: the admin saved the settings page, so the rules (even unchanged) are
    the association's choice: the start checklist ticks them.
    """
    require_admin(actor)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These settings cannot be changed here."), code="not_editable")
    changes = _bank_account(changes)
    with transaction.atomic():
        association = Association.objects.select_for_update().get(pk=actor.association_id)
        changed = {
            name: (_plain(getattr(association, name)), _plain(value))
            for name, value in changes.items()
            if getattr(association, name) != value
        }
        for name in changed:
            setattr(association, name, changes[name])
        _validate(association, list(changed))
        saved = list(changed)
        if confirm_rules and association.rules_confirmed_at is None:
            association.rules_confirmed_at = timezone.now()
            saved.append("rules_confirmed_at")
        if saved:
            association.save(update_fields=saved)
            record_audit(
                action="association.updated",
                actor=actor.user,
                association=association,
                target=association,
                data={"changes": changed},
            )
    return association


def _bank_account(changes: dict[str, Any]) -> dict[str, Any]:
    """The IBAN and BIC compact, checked (a refusal names the field)."""
    cleaned = dict(changes)
    if "iban" in cleaned:
        cleaned["iban"] = checked_iban(str(cleaned["iban"] or ""))
    if "bic" in cleaned:
        cleaned["bic"] = checked_bic(str(cleaned["bic"] or ""))
    return cleaned


def _validate(association: Association, names: list[str]) -> None:
    if association.listed_in_directory and not association.public_page:
        raise DomainError(
            _("The directory links to the public page: make the page public as well."),
            code="listed_needs_public_page",
            field="listed_in_directory",
        )
    try:
        association.full_clean(exclude=[f for f in EDITABLE_FIELDS if f not in names] + ["slug"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(" ".join(messages), code="invalid", field=field) from error


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value

"""The founding kit (model statutes and internal rules, printed from editable templates) and
the start checklist's step "the agreement template".

The statutes print the association's name, seat, commune and fee; the internal rules print
its booking, deposit and cost-sharing rules and, car by car, the price, the deductible and
the young-driver rule of the insurance (keys: contracts.kinds, documented at the top of
contracts/defaults/statutes.html and internal_rules.html).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.context import insurance_context, tariff_context
from contracts.models import Agreement, DocumentKind, TemplateVersion
from core.errors import DomainError
from core.timeutils import local_today
from members.checklist import StartStep
from members.models import Association, Membership
from vehicles.models import InsurancePolicy, Tariff, Vehicle


def statutes_context(association: Association) -> dict[str, Any]:
    """The statutes print the seat: refused while the association has no address."""
    if not association.address.strip():
        raise DomainError(
            _(
                "The statutes name the association's seat: enter its address in the "
                "association's settings first."
            ),
            code="seat_missing",
        )
    founded_on = association.created_at.astimezone(association.tz).date()
    return {"founding": {"founded_on": founded_on}}


def internal_rules_context(association: Association) -> dict[str, Any]:
    """Each active car with its tariff in force and its insurance's rules (two queries)."""
    today = local_today(association.tz)
    vehicles = (
        Vehicle.objects.filter(association=association, is_active=True)
        .prefetch_related(
            Prefetch(
                "tariffs",
                queryset=Tariff.objects.filter(valid_from__lte=today).order_by("-valid_from"),
                to_attr="tariffs_in_force",
            ),
            Prefetch(
                "insurance_policies",
                queryset=InsurancePolicy.objects.filter(is_active=True),
                to_attr="active_policies",
            ),
        )
        .order_by("name")
    )
    return {"cars": [_car(vehicle) for vehicle in vehicles]}


def _car(vehicle: Vehicle) -> dict[str, Any]:
    tariffs: list[Tariff] = getattr(vehicle, "tariffs_in_force", [])
    policies: list[InsurancePolicy] = getattr(vehicle, "active_policies", [])
    return {
        "name": vehicle.name,
        "make": vehicle.make,
        "model": vehicle.model,
        "energy": vehicle.energy,
        "key_mode": vehicle.key_mode,
        "tariff": tariff_context(tariffs[0]) if tariffs else None,
        "insurance": insurance_context(policies[0]) if policies else None,
    }


# --- On the association home page -----------------------------------------------------------

KIT_SHOWN_FOR = dt.timedelta(days=365)


def founding_kit_section(membership: Membership) -> dict[str, Any] | None:
    """A link to the kit for the admins of an association founded on the platform, during
    its first year (one set up by an operator finds it under Agreements)."""
    association = membership.association
    founded_here = association.founded_by_id is not None
    if not (membership.is_admin and founded_here):
        return None
    if timezone.now() - association.created_at > KIT_SHOWN_FOR:
        return None
    return {"slug": association.slug}


def founding_kit_hidden_at(membership: Membership) -> dt.datetime | None:
    """When the clock alone takes the kit off the home page (its cache holds it until then)."""
    association = membership.association
    if not (membership.is_admin and association.founded_by_id is not None):
        return None
    hidden_at = association.created_at + KIT_SHOWN_FOR
    return hidden_at if timezone.now() <= hidden_at else None


# --- The start checklist -------------------------------------------------------------------


def _agreement_template_adopted(association: Association) -> bool:
    """Saved as the association's own version, or already printed for a driver."""
    saved = TemplateVersion.objects.filter(
        template__association=association, template__kind=DocumentKind.AGREEMENT
    )
    return saved.exists() or Agreement.objects.filter(association=association).exists()


AGREEMENT_TEMPLATE_STEP = StartStep(
    name="agreement_template",
    order=30,
    label=_("The car-sharing agreement, read and adopted"),
    hint=_(
        "Read the agreement every driver signs for each car, then copy it to adopt it as it "
        "is or adapt it: your copy is the association's version 1."
    ),
    url=lambda association: reverse("contracts:templates", kwargs={"slug": association.slug}),
    is_done=_agreement_template_adopted,
)

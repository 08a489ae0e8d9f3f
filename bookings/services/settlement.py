"""An admin decides an incident: settle it (charge the responsible driver, at most the
deductible that applied to them) or close it without charge.

Settling posts one ledger transaction under the incident's reference (`incident:<id>`)
inside the settlement's database transaction: the incident and its money are committed
together or not at all. The rest of the repair is the insurer's when the incident was
declared to it (above the deductible), and otherwise the side the association's rule
names (`Association.incident_remainder`: the owner side, or the fund).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings import incident_notices
from bookings.models import Incident
from bookings.selectors.incidents import deductible_for, held_deposits_of
from bookings.services.incidents import audit_incident, locked_open_incident
from core.errors import DomainError
from core.money import ZERO, format_euros, round_money
from core.timeutils import local_today
from ledger.models import Deposit
from ledger.services.incidents import IncidentSettlement, post_incident_settlement
from members.models import Association, Membership
from members.permissions import require_admin
from vehicles.models import Vehicle
from vehicles.selectors import is_owner

# The services; split_repair is a read the settlement page shares.
__all__ = ["close_incident", "settle_incident"]

ABOVE_DEDUCTIBLE = "above_deductible"


@dataclass(frozen=True)
class Decision:
    """Who is responsible, what they are charged, whether their deposit cheque is cashed."""

    responsible: Membership
    amount: Decimal
    draw_deposit: bool = False
    note: str = ""


@dataclass(frozen=True)
class Split:
    """How the repair is shared once the driver's charge is known."""

    insurer_part: Decimal
    remainder: Decimal
    bearer: str

    @property
    def fund_part(self) -> Decimal:
        """What the fund pays in the settlement's transaction (its rule, nothing otherwise)."""
        return self.remainder if self.bearer == Association.IncidentRemainder.FUND else ZERO


def settle_incident(*, actor: Membership, incident: Incident, decision: Decision) -> Incident:
    """Charge the responsible driver (at most their deductible) in one ledger transaction."""
    require_admin(actor, incident.vehicle.association_id)
    with transaction.atomic():
        incident = locked_open_incident(incident)
        amount = _checked_amount(incident, decision)
        deductible = _within_deductible(incident, decision.responsible, amount)
        split = split_repair(incident, amount, deductible)
        deposit = _deposit_to_draw(incident, decision)
        txn = post_incident_settlement(
            settlement=IncidentSettlement(
                driver=decision.responsible,
                vehicle=incident.vehicle,
                charge=amount,
                fund_part=split.fund_part,
                insurer_involved=incident.insurer_involved,
                settled_on=local_today(incident.vehicle.association.tz),
                label=_label(incident),
                reference=incident.reference,
                deposit=deposit,
            ),
            actor=actor,
        )
        incident.status = Incident.Status.SETTLED
        incident.responsible = decision.responsible
        incident.charged_amount = amount
        incident.deductible_applied = deductible
        incident.remainder_amount = split.remainder
        incident.remainder_bearer = split.bearer
        incident.deposit = deposit
        incident.ledger_transaction = txn
        _decide(incident, actor, decision.note)
        audit_incident(
            "incident.settle",
            actor,
            incident,
            responsible=decision.responsible.pk,
            amount=str(amount),
            deductible=str(deductible),
            transaction=txn.pk,
        )
        incident_notices.decided(incident, actor)
    return incident


def close_incident(*, actor: Membership, incident: Incident, note: str = "") -> Incident:
    """An admin closes the incident without charging anyone (the car's side keeps the cost)."""
    require_admin(actor, incident.vehicle.association_id)
    with transaction.atomic():
        incident = locked_open_incident(incident)
        incident.status = Incident.Status.CLOSED
        _decide(incident, actor, note)
        audit_incident("incident.close", actor, incident)
        incident_notices.decided(incident, actor)
    return incident


def split_repair(incident: Incident, charge: Decimal, deductible: Decimal) -> Split:
    """The insurer pays above the deductible when the incident was declared to it; what is
    left after the driver's charge goes to the side the association's rule names."""
    if incident.repair_cost is None:
        return Split(ZERO, ZERO, "")
    insurer = max(incident.repair_cost - deductible, ZERO) if incident.insurer_involved else ZERO
    remainder = max(incident.repair_cost - insurer - charge, ZERO)
    bearer = incident.vehicle.association.incident_remainder if remainder else ""
    return Split(insurer, remainder, bearer)


def _checked_amount(incident: Incident, decision: Decision) -> Decimal:
    responsible = decision.responsible
    if responsible.association_id != incident.vehicle.association_id:
        raise DomainError(
            _("The responsible driver must be a member of the association."),
            code="responsible_unknown",
            field="responsible",
        )
    if _sole_owner(responsible, incident.vehicle):
        raise DomainError(
            _(
                "The owner bears the repairs of their own car: close the incident without "
                "charge instead."
            ),
            code="responsible_is_owner",
            field="responsible",
        )
    amount = round_money(decision.amount)
    if amount <= 0:
        raise DomainError(
            _("The amount must be greater than zero; close the incident to charge nothing."),
            code="amount",
            field="amount",
        )
    if incident.repair_cost is not None and amount > incident.repair_cost:
        raise DomainError(
            _("The charge cannot exceed the repair's cost (%(cost)s).")
            % {"cost": format_euros(incident.repair_cost)},
            code="above_repair_cost",
            field="amount",
        )
    return amount


def _within_deductible(incident: Incident, responsible: Membership, amount: Decimal) -> Decimal:
    deductible = deductible_for(incident, responsible)
    if amount > deductible:
        raise DomainError(
            _(
                "A driver pays at most the deductible that applied to them: %(deductible)s for "
                "%(name)s on this car at the time of the incident. Charge %(deductible)s at "
                "most; the rest is paid by the insurer or by the car's side."
            )
            % {
                "deductible": format_euros(deductible),
                "name": responsible.user.display_name,
            },
            code=ABOVE_DEDUCTIBLE,
            field="amount",
            deductible=str(deductible),
        )
    return deductible


def _sole_owner(membership: Membership, vehicle: Vehicle) -> bool:
    return vehicle.owner_kind == Vehicle.OwnerKind.MEMBER and is_owner(membership, vehicle)


def _deposit_to_draw(incident: Incident, decision: Decision) -> Deposit | None:
    if not decision.draw_deposit:
        return None
    deposit = held_deposits_of(decision.responsible, incident.vehicle).order_by("pk").first()
    if deposit is None:
        raise DomainError(
            _("The association holds no deposit cheque of this driver."),
            code="no_deposit_held",
            field="draw_deposit",
        )
    return deposit


def _decide(incident: Incident, actor: Membership, note: str) -> None:
    incident.decision = note.strip()[:4000]
    incident.decided_by = actor.user
    incident.decided_at = timezone.now()
    incident.save()


def _label(incident: Incident) -> str:
    return f"{incident.get_kind_display()} — {incident.vehicle.name}"

"""What an incident's page shows, and which forms it offers to whom."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from bookings.access import can_assess_incident
from bookings.forms_incidents import (
    AssessForm,
    CloseForm,
    IncidentPhotosForm,
    ReplyForm,
    SettleForm,
)
from bookings.models import Incident
from bookings.selectors.incidents import deductible_for, held_deposits_of
from core.errors import DomainError
from members.access import AssociationRequest
from members.models import Membership


def incident_context(
    request: AssociationRequest,
    incident: Incident,
    posted: forms.Form | None = None,
) -> dict[str, Any]:
    """The page's data; `posted` is a form sent from the page, shown with its errors."""
    membership = request.membership
    is_open = incident.is_open
    can_assess = is_open and can_assess_incident(membership, incident)
    can_decide = is_open and membership.is_admin
    context: dict[str, Any] = {
        "incident": incident,
        "photos": list(incident.photos.all()),
        "replies": list(incident.replies.select_related("author__user")),
        "sightings": list(incident.sightings.select_related("seen_by__user", "booking")),
        "can_reply": is_open,
        "can_assess": can_assess,
        "can_decide": can_decide,
        "reply_form": ReplyForm(),
        "photos_form": IncidentPhotosForm(),
    }
    if can_assess:
        context["assess_form"] = AssessForm(initial=_assessment_initial(incident))
    if can_decide:
        context |= _decision_forms(request, incident)
    if posted is not None:
        context[_FORM_NAMES[type(posted)]] = posted
    return context


def _assessment_initial(incident: Incident) -> dict[str, Any]:
    return {
        "kind": incident.kind,
        "repair_cost": incident.repair_cost,
        "document_kind": incident.repair_document_kind,
        "insurer_involved": incident.insurer_involved,
    }


def _decision_forms(request: AssociationRequest, incident: Incident) -> dict[str, Any]:
    """The settle form prefilled with the trip's driver and what they may be charged."""
    driver = incident.booking.driver if incident.booking is not None else None
    deductible = _deductible_or_none(incident, driver)
    initial: dict[str, Any] = {"responsible": driver}
    if deductible is not None:
        cost = incident.repair_cost
        initial["amount"] = min(deductible, cost) if cost is not None else deductible
    return {
        "settle_form": SettleForm(initial=initial, association=request.association),
        "close_form": CloseForm(),
        "deductible": deductible,
        "driver_deposit": (
            held_deposits_of(driver, incident.vehicle).first() if driver is not None else None
        ),
    }


def _deductible_or_none(incident: Incident, driver: Membership | None) -> Decimal | None:
    if driver is None:
        return None
    try:
        return deductible_for(incident, driver)
    except DomainError:
        return None


_FORM_NAMES: dict[type[forms.Form], str] = {
    ReplyForm: "reply_form",
    IncidentPhotosForm: "photos_form",
    AssessForm: "assess_form",
    SettleForm: "settle_form",
    CloseForm: "close_form",
}

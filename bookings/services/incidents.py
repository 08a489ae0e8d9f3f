"""Incidents from report to assessment: report (any time, or from a check-in's damage
note), photos, a driver's reply, "already there" at a departure, the owner's assessment.
The decision (settle or close) is in bookings.services.settlement.

Reporting tells the car's owners and the admins at once, through the notifications outbox
(bookings.incident_notices), in the same transaction as the incident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bookings import incident_notices
from bookings.access import can_view_incident, is_participant
from bookings.models import Booking, Incident, IncidentPhoto, IncidentReply, IncidentSighting, Trip
from bookings.models_incidents import MAX_REPAIR_COST
from bookings.services.trips import validate_files
from core.errors import ConflictError, DomainError, ForbiddenError
from core.money import round_money
from core.stored_files import atomic_with_files, create_with_files
from members.audit import record_audit
from members.models import Membership
from vehicles.models import Vehicle
from vehicles.permissions import require_manager

# The services; the others are helpers of the incident and settlement services.
__all__ = [
    "add_incident_photos",
    "assess_incident",
    "confirm_already_there",
    "reply_to_incident",
    "report_damage_at_check_in",
    "report_incident",
]

MAX_TEXT = 4000


@dataclass(frozen=True)
class Report:
    """What someone reports: the car, what happened, and the trip when there was one."""

    vehicle: Vehicle
    kind: str
    description: str
    booking: Booking | None = None
    occurred_at: dt.datetime | None = None
    photos: Sequence[UploadedFile] = ()


def report_incident(*, actor: Membership, report: Report) -> Incident:
    """Open an incident on a car of the actor's association; its owners and admins are told."""
    _check_report(actor, report)
    validate_files(report.photos)
    now = timezone.now()
    with atomic_with_files():
        incident = Incident.objects.create(
            vehicle=report.vehicle,
            booking=report.booking,
            kind=report.kind,
            description=report.description.strip(),
            occurred_at=min(report.occurred_at or now, now),
            reported_by=actor,
            reported_at=now,
        )
        _save_photos(incident, actor, IncidentPhoto.Stage.REPORT, report.photos)
        audit_incident("incident.report", actor, incident, kind=incident.kind)
        incident_notices.reported(incident)
    return incident


def report_damage_at_check_in(
    *, actor: Membership, trip: Trip, photos: Sequence[UploadedFile] = ()
) -> Incident:
    """The check-in's damage note opens an incident of the trip (call inside the check-in's
    transaction, after the trip was filled in)."""
    booking = trip.booking
    incident = Incident.objects.create(
        vehicle=booking.vehicle,
        booking=booking,
        kind=Incident.Kind.OTHER,
        description=trip.damage[:MAX_TEXT],
        occurred_at=trip.checked_in_at or timezone.now(),
        reported_by=actor,
        reported_at=trip.checked_in_at or timezone.now(),
    )
    _save_photos(incident, actor, IncidentPhoto.Stage.CHECK_IN, photos)
    audit_incident("incident.report", actor, incident, kind=incident.kind, at_check_in=True)
    incident_notices.reported(incident)
    return incident


def _check_report(actor: Membership, report: Report) -> None:
    if not actor.is_active or report.vehicle.association_id != actor.association_id:
        raise ForbiddenError(_("This vehicle belongs to another association."), code="forbidden")
    if report.kind not in Incident.Kind.values:
        raise DomainError(_("Choose what kind of incident it is."), code="kind", field="kind")
    if not report.description.strip() or len(report.description) > MAX_TEXT:
        raise DomainError(
            _("Describe what happened (4,000 characters at most)."),
            code="description_required",
            field="description",
        )
    booking = report.booking
    if booking is not None and booking.vehicle_id != report.vehicle.pk:
        raise DomainError(
            _("This booking is not of this vehicle."), code="booking_vehicle", field="booking"
        )
    if booking is not None and not is_participant(actor, booking):
        raise ForbiddenError(
            _("Only the driver, the vehicle's owners and the administrators may do this."),
            code="forbidden",
        )


def add_incident_photos(
    *, actor: Membership, incident: Incident, photos: Sequence[UploadedFile]
) -> list[IncidentPhoto]:
    """More photos of an open incident, by anyone who may see it."""
    _require_viewer(actor, incident)
    if not photos:
        raise DomainError(_("Choose at least one photo."), code="photos_required", field="photos")
    validate_files(photos)
    with atomic_with_files():
        incident = locked_open_incident(incident)
        saved = _save_photos(incident, actor, IncidentPhoto.Stage.REPORT, photos)
        audit_incident("incident.photos", actor, incident, count=len(saved))
    return saved


def reply_to_incident(*, actor: Membership, incident: Incident, body: str) -> IncidentReply:
    """A driver contests or explains, an owner answers: until an admin decides."""
    _require_viewer(actor, incident)
    text = body.strip()
    if not text or len(text) > MAX_TEXT:
        raise DomainError(
            _("Write your reply (4,000 characters at most)."), code="reply_required", field="body"
        )
    with transaction.atomic():
        incident = locked_open_incident(incident)
        reply = IncidentReply.objects.create(incident=incident, author=actor, body=text)
        audit_incident("incident.reply", actor, incident, reply=reply.pk)
        incident_notices.replied(incident, reply)
    return reply


def confirm_already_there(
    *, actor: Membership, incident: Incident, booking: Booking, photo: UploadedFile | None = None
) -> IncidentSighting:
    """At a departure, the driver says an open incident's damage is already there: the
    incident is linked to this booking's check-out (once), with an optional photo."""
    if not is_participant(actor, booking):
        raise ForbiddenError(
            _("Only the driver, the vehicle's owners and the administrators may do this."),
            code="forbidden",
        )
    if incident.vehicle_id != booking.vehicle_id:
        raise DomainError(_("This incident is not of this vehicle."), code="incident_vehicle")
    if booking.status not in (Booking.Status.CONFIRMED, Booking.Status.IN_PROGRESS):
        raise ConflictError(
            _("Say it at departure: this booking has not started or is over."),
            code="invalid_status",
        )
    validate_files([photo] if photo is not None else [])
    with atomic_with_files():
        incident = locked_open_incident(incident)
        sighting, created = IncidentSighting.objects.get_or_create(
            incident=incident, booking=booking, defaults={"seen_by": actor}
        )
        if photo is not None:
            _save_photos(incident, actor, IncidentPhoto.Stage.ALREADY_THERE, [photo], booking)
        if created:
            audit_incident("incident.already_there", actor, incident, booking=booking.pk)
    return sighting


@dataclass(frozen=True)
class Assessment:
    """What the repair costs (quote or invoice) and whether the insurer pays above the
    deductible; the kind may be corrected."""

    kind: str
    repair_cost: Decimal | None
    document_kind: str = ""
    document: UploadedFile | None = None
    insurer_involved: bool = False


def assess_incident(*, actor: Membership, incident: Incident, assessment: Assessment) -> Incident:
    """The car's owner or an admin records the repair's cost and the insurer's part."""
    require_manager(actor, incident.vehicle)  # the car's owners and the admins
    _check_assessment(assessment)
    with transaction.atomic():
        incident = locked_open_incident(incident)
        incident.kind = assessment.kind
        incident.repair_cost = (
            round_money(assessment.repair_cost) if assessment.repair_cost is not None else None
        )
        incident.repair_document_kind = assessment.document_kind
        incident.insurer_involved = assessment.insurer_involved
        if assessment.document is not None:
            incident.repair_document = assessment.document
        incident.status = Incident.Status.ASSESSED
        incident.assessed_by = actor.user
        incident.assessed_at = timezone.now()
        incident.save()
        audit_incident(
            "incident.assess",
            actor,
            incident,
            repair_cost=str(incident.repair_cost),
            insurer_involved=incident.insurer_involved,
        )
    return incident


def _check_assessment(assessment: Assessment) -> None:
    if assessment.kind not in Incident.Kind.values:
        raise DomainError(_("Choose what kind of incident it is."), code="kind", field="kind")
    cost = assessment.repair_cost
    if cost is not None and not Decimal("0") <= cost <= MAX_REPAIR_COST:
        raise DomainError(
            _("Give the repair's cost in euros, between 0 and 100,000."),
            code="repair_cost",
            field="repair_cost",
        )
    if assessment.document_kind not in ("", *Incident.RepairDocument.values):
        raise DomainError(
            _("Say whether it is a quote or an invoice."),
            code="document_kind",
            field="document_kind",
        )
    validate_files([assessment.document] if assessment.document is not None else [])


def _require_viewer(actor: Membership, incident: Incident) -> None:
    if not can_view_incident(actor, incident):
        raise ForbiddenError(
            _("Only the people involved, the car's owners and the admins may do this."),
            code="forbidden",
        )


def locked_incident(incident: Incident) -> Incident:
    """The incident's row, locked (not the rows joined to it: the booking may be none)."""
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("vehicle__association", "booking")
        .get(pk=incident.pk)
    )


def locked_open_incident(incident: Incident) -> Incident:
    locked = locked_incident(incident)
    if not locked.is_open:
        raise ConflictError(
            _("This incident is %(status)s: it can no longer be changed.")
            % {"status": locked.get_status_display()},
            code="invalid_status",
        )
    return locked


def _save_photos(
    incident: Incident,
    actor: Membership,
    stage: str,
    photos: Sequence[UploadedFile],
    booking: Booking | None = None,
) -> list[IncidentPhoto]:
    return [
        create_with_files(
            IncidentPhoto,
            incident=incident,
            stage=stage,
            booking=booking,
            file=photo,
            uploaded_by=actor.user,
        )
        for photo in photos
    ]


def audit_incident(action: str, actor: Membership, incident: Incident, **data: object) -> None:
    record_audit(
        action=action,
        actor=actor.user,
        association=incident.vehicle.association,
        target=incident,
        data={"status": incident.status, **data},
    )

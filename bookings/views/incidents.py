"""Incident pages: the list, reporting one, an incident with its replies, photos,
assessment and decision, its files; "already there" at a departure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bookings.access import (
    can_assess_incident,
    get_booking_for_participant,
    get_incident_for_member,
    is_admin,
)
from bookings.forms_incidents import (
    AlreadyThereForm,
    AssessForm,
    CloseForm,
    IncidentPhotosForm,
    IncidentReportForm,
    ReplyForm,
    SettleForm,
)
from bookings.models import Booking, Incident, IncidentPhoto
from bookings.selectors.incidents import (
    incidents_visible_to,
    last_return_photos,
    open_incidents_of,
)
from bookings.services.incidents import (
    Assessment,
    Report,
    add_incident_photos,
    assess_incident,
    confirm_already_there,
    reply_to_incident,
    report_incident,
)
from bookings.services.settlement import Decision, close_incident, settle_incident
from bookings.views.common import int_param
from bookings.views.incident_context import incident_context
from core.errors import DomainError
from core.files import serve_private_file
from core.forms import add_domain_error, message_domain_error
from members.access import AssociationRequest, member_required
from members.models import Membership
from vehicles.access import get_vehicle_for_member


@require_safe
@member_required
def incident_list(request: AssociationRequest, slug: str) -> HttpResponse:
    """The incidents the member may see; open ones first unless ?all=1."""
    incidents = incidents_visible_to(request.membership)
    show_all = request.GET.get("all") == "1"
    if not show_all:
        incidents = incidents.filter(status__in=Incident.OPEN_STATUSES)
    context = {"incidents": incidents[:200], "show_all": show_all}
    return render(request, "bookings/incidents/list.html", context)


def _report_initial(request: AssociationRequest) -> dict[str, Any]:
    """Prefill from a booking (?booking=) or a car (?vehicle=); 404 for a foreign one."""
    booking_id = int_param(request, "booking")
    if booking_id is not None:
        booking = get_booking_for_participant(request.membership, booking_id)
        return {"booking": booking.pk, "vehicle": booking.vehicle}
    vehicle_id = int_param(request, "vehicle")
    if vehicle_id is not None:
        return {"vehicle": get_vehicle_for_member(request.membership, vehicle_id)}
    return {}


@require_http_methods(["GET", "POST"])
@member_required
def incident_create(request: AssociationRequest, slug: str) -> HttpResponse:
    """Report a damage, a breakdown, an accident… on a car, with photos."""
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = IncidentReportForm(
        data, files, association=request.association, initial=_report_initial(request)
    )
    if request.method == "POST" and form.is_valid():
        incident = _run(
            form, lambda: report_incident(actor=request.membership, report=_report(request, form))
        )
        if incident is not None:
            messages.success(request, _("Thank you: the owners and the admins are told."))
            return redirect("bookings:incident", slug=slug, pk=incident.pk)
    return render(request, "bookings/incidents/form.html", {"form": form})


def _report(request: AssociationRequest, form: IncidentReportForm) -> Report:
    data = form.cleaned_data
    booking = (
        get_booking_for_participant(request.membership, data["booking"])
        if data.get("booking")
        else None
    )
    return Report(
        vehicle=data["vehicle"],
        kind=data["kind"],
        description=data["description"],
        booking=booking,
        occurred_at=data.get("occurred_at"),
        photos=data["photos"],
    )


@require_safe
@member_required
def incident_detail(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    incident = get_incident_for_member(request.membership, pk)
    return render(request, "bookings/incidents/detail.html", incident_context(request, incident))


def _post(
    request: AssociationRequest,
    pk: int,
    form_class: Callable[..., forms.Form],
    action: Callable[[Incident, dict[str, Any]], object],
    success: str,
    allowed: Callable[[Membership, Incident], bool] = lambda membership, incident: True,
) -> HttpResponse:
    """Parse a form posted from the incident's page and call one service; on a refusal,
    show the page again with the error on that form. 403 before parsing for the people
    who may see the incident but not do this."""
    incident = get_incident_for_member(request.membership, pk)
    if not allowed(request.membership, incident):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        done = _run(form, lambda: action(incident, form.cleaned_data))
        if done is not None:
            messages.success(request, success)
            return redirect("bookings:incident", slug=request.association.slug, pk=pk)
    context = incident_context(request, incident, form)
    return render(request, "bookings/incidents/detail.html", context, status=400)


def _run(form: forms.Form, write: Callable[[], Any]) -> Any:
    try:
        return write() or True
    except DomainError as error:
        add_domain_error(form, error)
    return None


@require_POST
@member_required
def incident_reply(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    def reply(incident: Incident, data: dict[str, Any]) -> object:
        return reply_to_incident(actor=request.membership, incident=incident, body=data["body"])

    return _post(request, pk, ReplyForm, reply, _("Your reply was added."))


@require_POST
@member_required
def incident_add_photos(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    def add(incident: Incident, data: dict[str, Any]) -> object:
        return add_incident_photos(
            actor=request.membership, incident=incident, photos=data["photos"]
        )

    return _post(request, pk, IncidentPhotosForm, add, _("The photos were added."))


@require_POST
@member_required
def incident_assess(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    def assess(incident: Incident, data: dict[str, Any]) -> object:
        assessment = Assessment(
            kind=data["kind"],
            repair_cost=data["repair_cost"],
            document_kind=data["document_kind"],
            document=data["document"],
            insurer_involved=data["insurer_involved"],
        )
        return assess_incident(actor=request.membership, incident=incident, assessment=assessment)

    return _post(
        request, pk, AssessForm, assess, _("The assessment was saved."), can_assess_incident
    )


@require_POST
@member_required
def incident_settle(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    def settle(incident: Incident, data: dict[str, Any]) -> object:
        decision = Decision(
            responsible=data["responsible"],
            amount=data["amount"],
            draw_deposit=data["draw_deposit"],
            note=data["decision"],
        )
        return settle_incident(actor=request.membership, incident=incident, decision=decision)

    def form_class(*args: Any) -> SettleForm:
        return SettleForm(*args, association=request.association)

    return _post(request, pk, form_class, settle, _("The incident is settled."), is_admin)


@require_POST
@member_required
def incident_close(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    def close(incident: Incident, data: dict[str, Any]) -> object:
        return close_incident(actor=request.membership, incident=incident, note=data["decision"])

    return _post(
        request, pk, CloseForm, close, _("The incident is closed without charge."), is_admin
    )


@require_safe
@member_required
def incident_photo(request: AssociationRequest, slug: str, pk: int, photo_id: int) -> HttpResponse:
    """A photo of an incident the caller may see (the people involved, owners, admins)."""
    incident = get_incident_for_member(request.membership, pk)
    photo = incident.photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    return cast(HttpResponse, serve_private_file(photo.file))


@require_safe
@member_required
def incident_document(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """The repair's quote or invoice."""
    incident = get_incident_for_member(request.membership, pk)
    return cast(HttpResponse, serve_private_file(incident.repair_document))


@require_POST
@member_required
def already_there(
    request: AssociationRequest, slug: str, pk: int, incident_id: int
) -> HttpResponse:
    """At a departure: this open incident's damage is already there (one tap, photo optional)."""
    booking = get_booking_for_participant(request.membership, pk)
    incident = open_incidents_of(booking.vehicle).filter(pk=incident_id).first()
    if incident is None:
        raise Http404
    form = AlreadyThereForm(request.POST, request.FILES)
    photo = form.cleaned_data["photo"] if form.is_valid() else None
    try:
        confirm_already_there(
            actor=request.membership, incident=incident, booking=booking, photo=photo
        )
    except DomainError as error:
        message_domain_error(request, error)
    else:
        messages.success(request, _("Noted: this damage was there before your trip."))
    return redirect("bookings:checkout", slug=slug, pk=pk)


def _departure_photo(
    request: AssociationRequest, pk: int, find: Callable[[Booking], Any]
) -> HttpResponse:
    """A photo of the car for the driver about to take it (the booking confirmed or under
    way), found by `find` among what the check-out page shows; 404 otherwise."""
    booking = get_booking_for_participant(request.membership, pk)
    if booking.status not in (Booking.Status.CONFIRMED, Booking.Status.IN_PROGRESS):
        raise Http404
    photo = find(booking)
    if photo is None:
        raise Http404
    return cast(HttpResponse, serve_private_file(photo.file))


@require_safe
@member_required
def departure_photo(request: AssociationRequest, slug: str, pk: int, photo_id: int) -> HttpResponse:
    """A photo of an open incident of the car."""
    return _departure_photo(
        request,
        pk,
        lambda booking: IncidentPhoto.objects.filter(
            pk=photo_id,
            incident__vehicle_id=booking.vehicle_id,
            incident__status__in=Incident.OPEN_STATUSES,
        ).first(),
    )


@require_safe
@member_required
def departure_return_photo(
    request: AssociationRequest, slug: str, pk: int, photo_id: int
) -> HttpResponse:
    """A photo of the car's last return."""
    return _departure_photo(
        request,
        pk,
        lambda booking: next((p for p in last_return_photos(booking) if p.pk == photo_id), None),
    )

"""The whole page of a paper logbook typed in at once by an admin (carnet de bord)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from bookings.logbook_forms import (
    PASTED_COLUMNS,
    BaseLogbookFormSet,
    LogbookFormSet,
    LogbookVehicleForm,
)
from bookings.selectors.trips import last_odometer_in, last_reading_before
from bookings.services.logbook import (
    MAX_LOGBOOK_LINES,
    LogbookPageRefused,
    enter_logbook_page,
)
from bookings.services.trips import Reading
from core.errors import DomainError
from core.forms import add_domain_error, message_domain_error
from members.access import AssociationRequest, admin_required
from members.models import Membership
from vehicles.models import Vehicle


@require_http_methods(["GET", "POST"])
@admin_required
def logbook_page(request: AssociationRequest, slug: str) -> HttpResponse:
    """Up to 25 trips of one vehicle in one submission: all are saved, or none."""
    association = request.association
    chosen = LogbookVehicleForm(request.POST or request.GET or None, association=association)
    vehicle = chosen.cleaned_data["vehicle"] if chosen.is_valid() else None
    drivers = (
        Membership.objects.filter(association=association, status=Membership.Status.ACTIVE)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")
    )
    formset = LogbookFormSet(
        request.POST or None, request.FILES or None, drivers=drivers, prefix="line"
    )
    if vehicle is not None and formset.forms:  # line 1 starts where the car's last trip ended
        formset.forms[0].initial["odometer_out"] = last_odometer_in(vehicle)
    if request.method == "POST" and vehicle is not None and formset.is_valid():
        saved = _save(request, vehicle, formset)
        if saved:
            messages.success(
                request,
                ngettext(
                    "%(count)s trip entered from the logbook.",
                    "%(count)s trips entered from the logbook.",
                    saved,
                )
                % {"count": saved},
            )
            page = reverse("bookings:logbook", kwargs={"slug": slug})
            return redirect(f"{page}?vehicle={vehicle.pk}")
    context = {
        "vehicle_form": chosen,
        "vehicle": vehicle,
        "formset": formset,
        "max_lines": MAX_LOGBOOK_LINES,
        "columns": PASTED_COLUMNS,
    }
    return render(request, "bookings/logbook_page.html", context)


def _save(request: AssociationRequest, vehicle: Vehicle, formset: BaseLogbookFormSet) -> int:
    """How many trips were saved (0 when the page was refused: errors on their lines)."""
    kept = formset.kept_forms()
    if not kept:
        messages.error(request, _("Fill in at least one line."))
        return 0
    first_start = min(form.cleaned_data["start"] for form in kept)
    last = last_reading_before(vehicle, first_start)
    lines = formset.lines(vehicle=vehicle, last=Reading(*last) if last else None)
    try:
        enter_logbook_page(actor=request.membership, lines=lines)
    except LogbookPageRefused as refused:
        for index, error in refused.refusals.items():
            add_domain_error(kept[index], error)
        messages.error(request, str(refused.message))
        return 0
    except DomainError as error:
        message_domain_error(request, error)
        return 0
    return len(lines)

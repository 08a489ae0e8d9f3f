"""Correcting a maintenance event, for the vehicle's owners and the admins: the event is
edited in place and, when its cost had reached the ledger, the entry is reversed and posted
again (/<slug>/vehicles/<pk>/maintenance/<event_pk>/edit/, a page of the fleet's URLs)."""

from __future__ import annotations

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ledger.services import correct_maintenance_with_expense
from members.access import AssociationRequest, member_required
from vehicles.access import get_maintenance_for_manager
from vehicles.forms import MaintenanceForm
from vehicles.services.records import MAINTENANCE_FIELDS
from vehicles.views._helpers import run_service

_SAVED = gettext_lazy(
    "The correction was saved; an entry already in the accounts was reversed and posted again."
)


@require_http_methods(["GET", "POST"])
@member_required
def maintenance_edit(
    request: AssociationRequest, slug: str, pk: int, event_pk: int
) -> HttpResponse:
    event = get_maintenance_for_manager(request.membership, pk, event_pk)
    form = MaintenanceForm(
        request.POST or None,
        request.FILES or None,
        initial=model_to_dict(event, fields=MAINTENANCE_FIELDS),
        association=request.association,
    )
    if (
        form.is_valid()
        and run_service(
            form,
            lambda: correct_maintenance_with_expense(
                actor=request.membership,
                event=event,
                fields={name: form.cleaned_data[name] for name in MAINTENANCE_FIELDS},
            ),
        )
        is not None
    ):
        messages.success(request, str(_SAVED))
        return redirect("vehicles:detail", slug=slug, pk=pk)
    context = {
        "form": form,
        "vehicle": event.vehicle,
        "title": gettext_lazy("Correct the maintenance event"),
    }
    status = 400 if form.is_bound else 200
    return render(request, "vehicles/record_form.html", context, status=status)

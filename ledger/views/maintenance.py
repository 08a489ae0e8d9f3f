"""Recording a vehicle's maintenance, for its owners and the admins: the event and its
expense are saved together (/<slug>/vehicles/<pk>/maintenance/new/, the fleet's URL)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ledger.services import record_maintenance_with_expense
from members.access import AssociationRequest, member_required
from vehicles.forms import MaintenanceForm
from vehicles.views.records import record_page


@require_http_methods(["GET", "POST"])
@member_required
def maintenance_add(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    return record_page(
        request,
        pk,
        form_class=MaintenanceForm,
        write=lambda actor, vehicle, data: record_maintenance_with_expense(
            actor=actor, vehicle=vehicle, fields=data
        ),
        title=gettext_lazy("New maintenance event"),
        done=gettext_lazy("The maintenance event was recorded."),
        form_kwargs={"association": request.association},
    )

"""The association's details and settings (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.forms import add_domain_error
from members.access import AssociationRequest, admin_required
from members.forms import AssociationForm
from members.models import Association
from members.services.associations import update_association


@admin_required
@require_http_methods(["GET", "POST"])
def association_settings(request: AssociationRequest, slug: str) -> HttpResponse:
    # A copy: a bound ModelForm writes into its instance before the service has said yes.
    instance = Association.objects.get(pk=request.association.pk)
    form = AssociationForm(request.POST or None, instance=instance)
    if form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            update_association(actor=request.membership, changes=changes, confirm_rules=True)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("members:settings", slug=slug)
    return render(
        request, "members/settings.html", {"form": form}, status=400 if form.errors else 200
    )

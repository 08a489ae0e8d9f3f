"""The member's tax household (ADEME criterion 4)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.forms import add_domain_error, message_domain_error
from members.access import AssociationRequest, get_member_for_member, member_required
from members.forms import HouseholdForm
from members.selectors import active_members, household_members
from members.services import households as services


@member_required
@require_http_methods(["GET", "POST"])
def household(request: AssociationRequest, slug: str) -> HttpResponse:
    me = request.membership
    choices = active_members(request.association).exclude(pk=me.pk)
    form = HouseholdForm(request.POST or None, choices=choices)
    if form.is_valid():
        other = get_member_for_member(me, form.cleaned_data["other"].pk)
        try:
            services.declare_shared_household(actor=me, other=other)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your household was saved."))
            return redirect("members:household", slug=slug)
    context = {
        "form": form,
        "members": household_members(me.household) if me.household else [],
    }
    return render(request, "members/household.html", context, status=400 if form.errors else 200)


@member_required
@require_POST
def leave_household(request: AssociationRequest, slug: str) -> HttpResponse:
    try:
        services.leave_household(actor=request.membership)
    except DomainError as error:
        message_domain_error(request, error)
    else:
        messages.success(request, _("You are no longer in a declared household."))
    return redirect("members:household", slug=slug)

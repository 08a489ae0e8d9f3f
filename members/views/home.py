"""The association's home page: who it is, my place in it, where to go next."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from members.access import AssociationRequest, member_required
from members.checklist import start_checklist
from members.home_sections import home_sections
from members.selectors import count_pending_requests, driver_profile_of


@member_required
@require_safe
def home(request: AssociationRequest, slug: str) -> HttpResponse:
    membership = request.membership
    profile = driver_profile_of(request.user)
    context = {
        "association": request.association,
        "membership": membership,
        "profile_complete": profile is not None and profile.is_complete,
        "pending_requests": count_pending_requests(request.association)
        if membership.is_admin
        else 0,
        "sections": home_sections(membership),
        "checklist": start_checklist(request.association) if membership.is_admin else None,
    }
    return render(request, "members/home.html", context)

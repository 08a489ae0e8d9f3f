"""Founding an association (any signed-in person with a verified e-mail address)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.forms import add_domain_error
from members.forms import FoundingForm
from members.models import User
from members.selectors import has_verified_email
from members.services.founding import FoundingData, found_association


@login_required
@require_http_methods(["GET", "POST"])
def found(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - narrows the type
    if not has_verified_email(user):
        return render(request, "members/found_unverified.html", status=403)
    form = FoundingForm(request.POST or None, initial={"contact_email": user.email})
    status = 200
    if form.is_valid():
        try:
            association = found_association(founder=user, data=FoundingData(**form.cleaned_data))
        except DomainError as error:
            add_domain_error(form, error)
            status = error.http_status
        else:
            messages.success(
                request,
                _("%(name)s is founded and you are its administrator: here are the first steps.")
                % {"name": association.name},
            )
            return redirect("members:home", slug=association.slug)
    status = 400 if form.errors and status == 200 else status
    return render(request, "members/found.html", {"form": form}, status=status)

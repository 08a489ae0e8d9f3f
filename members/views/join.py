"""Asking to join an association (any signed-in resident)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.errors import DomainError
from core.forms import add_domain_error
from members.access import get_association_to_join
from members.forms import JoinForm
from members.models import User
from members.selectors import joinable_associations
from members.services.memberships import request_to_join


@login_required
@require_safe
def join_list(request: HttpRequest) -> HttpResponse:
    context = {"associations": joinable_associations(request.user)}
    return render(request, "members/join_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, slug: str) -> HttpResponse:
    association = get_association_to_join(slug)
    form = JoinForm(request.POST or None)
    status = 200
    if form.is_valid():
        assert isinstance(request.user, User)  # noqa: S101 - narrows the type
        try:
            request_to_join(
                user=request.user, association=association, message=form.cleaned_data["message"]
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.http_status
        else:
            messages.success(
                request,
                _("Your request was sent to the administrators of %(name)s.")
                % {"name": association.name},
            )
            return redirect("account:associations")
    context = {"association": association, "form": form}
    status = 400 if form.errors and status == 200 else status
    return render(request, "members/join.html", context, status=status)

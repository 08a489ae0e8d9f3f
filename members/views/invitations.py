"""Inviting by e-mail (admins) and accepting an invitation (the invitee, signed in or not)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from core.forms import add_domain_error, message_domain_error
from members.access import (
    AssociationRequest,
    admin_required,
    get_invitation_by_token,
    get_invitation_for_admin,
)
from members.forms import InviteForm, NewAccountForm
from members.models import Invitation, User
from members.selectors import open_invitations
from members.services import invitations as services


def _model_backend() -> str:
    """The settings' first backend of Django's ModelBackend kind: the person accepting an
    invitation is logged in by their account, not by a password."""
    return next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if issubclass(import_string(path), ModelBackend)
    )


@admin_required
@require_http_methods(["GET", "POST"])
def invite(request: AssociationRequest, slug: str) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if form.is_valid():
        try:
            invitation = services.invite_member(actor=request.membership, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("members:invite", slug=slug)
    context = {
        "form": form,
        "invitations": open_invitations(request.association),
        "now": timezone.now(),
    }
    return render(request, "members/invite.html", context, status=400 if form.errors else 200)


@admin_required
@require_POST
def revoke_invitation(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    invitation = get_invitation_for_admin(request.membership, pk)
    try:
        services.revoke_invitation(actor=request.membership, invitation=invitation)
    except DomainError as error:
        message_domain_error(request, error)
    else:
        messages.success(
            request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
        )
    return redirect("members:invite", slug=slug)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link of the e-mail. Signed in → accept; no account yet → create one."""
    found = get_invitation_by_token(token)
    user = request.user if request.user.is_authenticated else None
    has_account = user is None and User.objects.filter(email__iexact=found.email).exists()
    form = (
        NewAccountForm(request.POST or None, initial=_typed_names(found))
        if user is None and not has_account
        else None
    )
    error = None
    if request.method == "POST":
        try:
            membership = _accept(request, found, form)
        except DomainError as refused:
            error = refused
        else:
            if membership is not None:
                messages.success(
                    request, _("Welcome to %(name)s!") % {"name": found.association.name}
                )
                return redirect("members:home", slug=found.association.slug)
    context = {
        "invitation": found,
        "form": form,
        "has_account": has_account,
        "error": error,
        "expired": found.is_expired(timezone.now()),
    }
    return render(request, "members/invitation.html", context, status=400 if error else 200)


def _typed_names(invitation: Invitation) -> dict[str, str]:
    """The name the association typed (a members import), for the new account's form."""
    return {
        name: str(invitation.prefill[name])
        for name in ("first_name", "last_name")
        if invitation.is_open and name in invitation.prefill
    }


def _accept(request: HttpRequest, invitation: Invitation, form: NewAccountForm | None) -> object:
    if request.user.is_authenticated:
        assert isinstance(request.user, User)  # noqa: S101 - narrows the type
        return services.accept_invitation(invitation=invitation, user=request.user)
    if form is None or not form.is_valid():
        return None
    try:
        membership = services.accept_invitation_with_new_account(
            invitation=invitation,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            password=form.cleaned_data["password1"],
            language=(translation.get_language() or "fr")[:2],
        )
    except DomainError as error:
        if error.extra.get("field"):
            add_domain_error(form, error)
            return None
        raise
    login(request, membership.user, backend=_model_backend())
    return membership

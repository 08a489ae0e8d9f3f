"""The person's own pages under /me/: profile, driver profile, associations, deletion."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.errors import DomainError
from core.files import serve_private_file
from core.forms import add_domain_error, message_domain_error
from core.iban import mask_iban
from members.forms import DeleteAccountForm, DriverProfileForm, ProfileForm
from members.models import User
from members.selectors import (
    all_memberships_of_user,
    driver_profile_of,
    driver_status,
    own_membership,
)
from members.services import accounts, banking, memberships, profiles


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - login_required ran first
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    fields = (*profiles.PROFILE_FIELDS, *profiles.ADDRESS_FIELDS)
    form = ProfileForm(request.POST or None, initial={f: getattr(user, f) for f in fields})
    if form.is_valid():
        try:
            address = profiles.check_address(form.address())  # refused before any change
            iban = form.new_iban()
            if iban:
                banking.checked_iban(iban)
            profiles.update_profile(user=user, **form.profile())
            profiles.update_postal_address(user=user, address=address)
            if iban is not None:
                banking.update_own_iban(user=user, iban=iban)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your profile was saved."))
            return redirect("account:profile")
    context = {"form": form, "masked_iban": mask_iban(user.iban)}
    return render(request, "members/me/profile.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def driver_profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    current = driver_profile_of(user)
    initial = {f: getattr(current, f) for f in profiles.DRIVER_FIELDS} if current else {}
    form = DriverProfileForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        has_scan=bool(current and current.licence_scan),
    )
    if form.is_valid():
        try:
            profiles.update_driver_profile(user=user, data=form.driver_data())
            scan = form.cleaned_data["licence_scan"]
            if scan or form.cleaned_data.get("remove_scan"):
                profiles.replace_licence_scan(user=user, scan=scan or None)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your driver profile was saved."))
            return redirect("account:driver_profile")
    context = {
        "form": form,
        "profile": current,
        "status": driver_status(current, timezone.localdate()),
    }
    return render(
        request, "members/me/driver_profile.html", context, status=400 if form.errors else 200
    )


@login_required
@require_safe
def own_licence_scan(request: HttpRequest) -> HttpResponseBase:
    current = driver_profile_of(_user(request))
    if current is None or not current.licence_scan:
        messages.info(request, _("You have not stored a scan of your licence."))
        return redirect("account:driver_profile")
    suffix = PurePosixPath(current.licence_scan.name or "").suffix
    return serve_private_file(current.licence_scan, download_name=f"permis{suffix}")


@login_required
@require_safe
def associations(request: HttpRequest) -> HttpResponse:
    context = {"memberships": all_memberships_of_user(request.user)}
    return render(request, "members/me/associations.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    membership = own_membership(_user(request), slug)
    if membership is None:
        messages.info(request, _("You are not a member of this association."))
        return redirect("account:associations")
    if request.method == "POST":
        try:
            memberships.leave_association(actor=membership)
        except DomainError as error:
            message_domain_error(request, error)
        else:
            messages.success(
                request, _("You left %(name)s.") % {"name": membership.association.name}
            )
            return redirect("account:associations")
    return render(request, "members/me/leave.html", {"membership": membership})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(request.POST or None, user=user)
    status = 400 if form.is_bound else 200
    if form.is_valid():
        try:
            accounts.delete_account(user=user)
        except DomainError as error:
            add_domain_error(form, error)
            status = error.http_status
        else:
            logout(request)
            messages.success(request, _("Your account was deleted. Goodbye!"))
            return redirect("home")
    context = {"form": form, "memberships": all_memberships_of_user(user)}
    return render(request, "members/me/delete.html", context, status=status)

"""The admin's actions on one membership (POST only), each one service call."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.forms import message_domain_error
from members.access import AssociationRequest, admin_required, get_member_for_admin
from members.forms import AddressForm, FeeForm, RefuseForm, RoleForm
from members.models import Membership
from members.services import memberships as services
from members.services.profiles import update_member_address


def _act(
    request: AssociationRequest, pk: int, action: Callable[[Membership], object], done: str
) -> HttpResponse:
    membership = get_member_for_admin(request.membership, pk)
    try:
        action(membership)
    except DomainError as error:
        message_domain_error(request, error)
    else:
        messages.success(request, done % {"name": membership.user.display_name})
    return redirect("members:detail", slug=request.association.slug, pk=pk)


@admin_required
@require_POST
def accept(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    def action(m: Membership) -> object:
        return services.accept_join_request(actor=request.membership, membership=m)

    return _act(request, pk, action, _("%(name)s is now a member."))


@admin_required
@require_POST
def refuse(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    form = RefuseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def action(m: Membership) -> object:
        return services.refuse_join_request(actor=request.membership, membership=m, reason=reason)

    return _act(request, pk, action, _("The request of %(name)s was refused."))


@admin_required
@require_POST
def suspend(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    def action(m: Membership) -> object:
        return services.suspend_member(actor=request.membership, membership=m)

    return _act(request, pk, action, _("%(name)s is suspended."))


@admin_required
@require_POST
def reactivate(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    def action(m: Membership) -> object:
        return services.reactivate_member(actor=request.membership, membership=m)

    return _act(request, pk, action, _("%(name)s is active again."))


@admin_required
@require_POST
def remove(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    def action(m: Membership) -> object:
        return services.remove_member(actor=request.membership, membership=m)

    return _act(request, pk, action, _("%(name)s is no longer a member."))


@admin_required
@require_POST
def change_role(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    form = RoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else ""

    def action(m: Membership) -> object:
        return services.change_role(actor=request.membership, membership=m, role=role)

    return _act(request, pk, action, _("The role of %(name)s was changed."))


@admin_required
@require_POST
def set_fee(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    get_member_for_admin(request.membership, pk)  # 404 before judging the input
    form = FeeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date."))
        return redirect("members:detail", slug=slug, pk=pk)
    paid_until = form.cleaned_data["fee_paid_until"]

    def action(m: Membership) -> object:
        return services.set_fee_paid_until(
            actor=request.membership, membership=m, paid_until=paid_until
        )

    return _act(request, pk, action, _("The fee date of %(name)s was saved."))


@admin_required
@require_POST
def set_address(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    """The member's postal address, typed by an admin from a paper membership form."""
    get_member_for_admin(request.membership, pk)  # 404 before judging the input
    form = AddressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the address: one of its parts is too long."))
        return redirect("members:detail", slug=slug, pk=pk)
    address = form.address()

    def action(m: Membership) -> object:
        return update_member_address(actor=request.membership, membership=m, address=address)

    return _act(request, pk, action, _("The postal address of %(name)s was saved."))

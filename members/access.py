"""Access functions: the only way views and the API fetch tenant objects.

The caller's membership is resolved once per request from the association slug in the
URL. Anything outside the caller's association is a 404 (its existence is not revealed);
what the caller may see but not change is a 403 (for admin-only objects, the services' own
check, `members.permissions.require_admin`: 403 `forbidden`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ForbiddenError
from core.prepared import PreparedQuery, field_names, instance
from members.models import Association, DriverProfile, Invitation, Membership, User
from members.permissions import require_admin
from members.privacy import shown_to_association, visible_driver_profile
from members.tokens import invitation_id_from_token

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


class AssociationRequest(HttpRequest):
    """A request under /<slug>/…, with the caller's active membership resolved."""

    user: User
    membership: Membership
    association: Association
    active_memberships: list[Membership]


class AssociationSuspended(ForbiddenError):
    """The platform's operators suspended the association: its members are told so (pages:
    a page that says it, API: 403 `association_suspended`); strangers still get 404."""

    code = "association_suspended"

    def __init__(self, association: Association) -> None:
        super().__init__(
            _(
                "%(name)s is suspended by the platform's operators: its pages and its data "
                "are closed until they lift the suspension."
            )
            % {"name": association.name}
        )
        self.association = association


def get_membership_for_user(user: Any, slug: str) -> Membership:
    """The caller's active membership of the association `slug`, or 404 (403 when the
    association is suspended)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    membership = (
        Membership.objects.select_related("association", "user")
        .filter(
            user=user,
            association__slug=slug,
            status=Membership.Status.ACTIVE,
        )
        .first()
    )
    if membership is None:
        raise Http404
    if membership.association.is_suspended:
        raise AssociationSuspended(membership.association)
    return membership


def get_member_for_admin(admin: Membership, pk: int) -> Membership:
    """A membership (any status) of the admin's association, or 404; 403 for non-admins.
    A membership purged after the retention period is gone for the association (404)."""
    membership = (
        Membership.objects.select_related("user", "association")
        .filter(shown_to_association(), association=admin.association, pk=pk)
        .first()
    )
    if membership is None:
        raise Http404
    require_admin(admin)
    return membership


def get_licence_scan_for_admin(admin: Membership, pk: int) -> DriverProfile:
    """The driver profile holding the licence scan of a member, for their admins: 404 when
    there is no scan or the association may not see it (members.privacy)."""
    membership = get_member_for_admin(admin, pk)
    profile = visible_driver_profile(membership)
    if profile is None or not profile.licence_scan:
        raise Http404
    return profile


def membership_fields(prefix: str = "") -> list[str]:
    """The `values_list` names of a membership and its association (through `prefix`, e.g.
    "active__" from the person), in the order `membership_from_row` reads them."""
    return [*field_names(Membership, prefix), *field_names(Association, f"{prefix}association__")]


_MEMBERSHIP_FIELDS = len(field_names(Membership))


def membership_from_row(row: Sequence[Any]) -> Membership:
    """A membership with its association, from the values of `membership_fields()`."""
    membership = instance(Membership, row[:_MEMBERSHIP_FIELDS])
    membership.association = instance(Association, row[_MEMBERSHIP_FIELDS:])
    return membership


_ACTIVE_MEMBERSHIPS = PreparedQuery(
    lambda user_id: (
        Membership.objects.filter(user_id=user_id, status=Membership.Status.ACTIVE)
        .order_by("association__name", "pk")
        .values_list(*membership_fields())
    ),
    user_id=int,
)

# The attribute under which the loader of the signed-in person (carshare.auth) leaves their
# active memberships, read in the same query as the person.
PREFETCHED_ACTIVE = "prefetched_active_memberships"


def active_memberships_of(user: User) -> list[Membership]:
    """The person's active memberships with their associations, by association name: those
    read with the signed-in person (carshare.auth), else one query compiled once
    (core.prepared), as every association page reads them."""
    prefetched: list[Membership] | None = getattr(user, PREFETCHED_ACTIVE, None)
    if prefetched is not None:
        return list(prefetched)
    return [membership_from_row(row) for row in _ACTIVE_MEMBERSHIPS.rows(user_id=user.pk)]


def _bind(request: HttpRequest, slug: str) -> AssociationRequest:
    """One query: the caller's active memberships (the page's association switcher shows
    them too), of which the one of `slug`, or 404 (AssociationSuspended when the
    association is suspended)."""
    memberships = active_memberships_of(cast(User, request.user))
    membership = next((m for m in memberships if m.association.slug == slug), None)
    if membership is None:
        raise Http404
    if membership.association.is_suspended:
        raise AssociationSuspended(membership.association)
    membership.user = cast(User, request.user)
    bound = cast(AssociationRequest, request)
    bound.active_memberships = memberships
    bound.membership = membership
    bound.association = membership.association
    timezone.activate(membership.association.tz)
    return bound


def _suspended_page(request: HttpRequest, suspended: AssociationSuspended) -> HttpResponse:
    context = {"association": suspended.association, "message": suspended.message}
    return render(request, "members/suspended.html", context, status=suspended.http_status)


def member_required(view: ViewFunc) -> ViewFunc:
    """Log-in required; resolves request.membership from the `slug` URL argument."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            bound = _bind(request, slug)
        except AssociationSuspended as suspended:
            return _suspended_page(request, suspended)
        return view(bound, slug, *args, **kwargs)

    return cast(ViewFunc, wrapper)


def admin_required(view: ViewFunc) -> ViewFunc:
    """As member_required, and 403 unless the caller administers the association."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            bound = _bind(request, slug)
        except AssociationSuspended as suspended:
            return _suspended_page(request, suspended)
        require_admin(bound.membership)
        return view(bound, slug, *args, **kwargs)

    return cast(ViewFunc, wrapper)


def get_member_for_member(membership: Membership, pk: int) -> Membership:
    """An active member of the caller's association (names only are shown), or 404."""
    found = (
        Membership.objects.select_related("user")
        .filter(association_id=membership.association_id, pk=pk, status=Membership.Status.ACTIVE)
        .first()
    )
    if found is None:
        raise Http404
    return found


def get_invitation_for_admin(admin: Membership, pk: int) -> Invitation:
    """An invitation of the admin's association, or 404; 403 for non-admins."""
    invitation = Invitation.objects.filter(association_id=admin.association_id, pk=pk).first()
    if invitation is None:
        raise Http404
    require_admin(admin)
    return invitation


def get_invitation_by_token(token: str) -> Invitation:
    """The invitation a signed link points to (any state), or 404 for a forged link."""
    pk = invitation_id_from_token(token)
    invitation = (
        Invitation.objects.select_related("association").filter(pk=pk).first()
        if pk is not None
        else None
    )
    if invitation is None:
        raise Http404
    return invitation


def get_association_to_join(slug: str) -> Association:
    """Any association that is not suspended, by slug, for a join request, or 404."""
    association = Association.objects.filter(slug=slug, suspended_at__isnull=True).first()
    if association is None:
        raise Http404
    return association

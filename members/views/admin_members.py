"""The admin's member pages: list with filters, detail, CSV export, licence scan."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath

from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.files import serve_private_file
from core.timeutils import local_today
from members.access import (
    AssociationRequest,
    admin_required,
    get_licence_scan_for_admin,
    get_member_for_admin,
)
from members.export_sections import members_csv
from members.forms import AddressForm, FeeForm, MemberFilterForm, RefuseForm, RoleForm
from members.models import DriverProfile, Membership
from members.privacy import driver_data_visible, visible_driver_profile
from members.selectors import (
    count_pending_requests,
    driver_status,
    household_members,
    is_young_driver,
    member_list,
)
from members.services.profiles import ADDRESS_FIELDS

PAGE_SIZE = 50


@admin_required
@require_safe
def member_list_view(request: AssociationRequest, slug: str) -> HttpResponse:
    today = local_today(request.association.tz)
    form = MemberFilterForm(request.GET or None)
    members = member_list(request.association, form.filters(), today=today)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(membership, today) for membership in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "pending_requests": count_pending_requests(request.association),
    }
    return render(request, "members/member_list.html", context)


def _row(membership: Membership, today: dt.date) -> tuple[Membership, DriverProfile | None, bool]:
    """A line of the list: the driver profile only where the association may see it."""
    profile = getattr(membership.user, "driver_profile", None)
    if not driver_data_visible(membership):
        return membership, None, False
    return membership, profile, is_young_driver(profile, today)


@admin_required
@require_safe
def member_detail(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    membership = get_member_for_admin(request.membership, pk)
    profile = visible_driver_profile(membership)
    context = {
        "member": membership,
        "profile": profile,
        "status": driver_status(profile, local_today(request.association.tz)),
        "household": household_members(membership.household) if membership.household else [],
        "refuse_form": RefuseForm(),
        "role_form": RoleForm(initial={"role": membership.role}),
        "fee_form": FeeForm(initial={"fee_paid_until": membership.fee_paid_until}),
        "address_form": AddressForm(
            initial={name: getattr(membership.user, name) for name in ADDRESS_FIELDS},
            auto_id="address_%s",
        ),
        "is_self": membership.pk == request.membership.pk,
    }
    return render(request, "members/member_detail.html", context)


@admin_required
@require_safe
def export_csv(request: AssociationRequest, slug: str) -> HttpResponse:
    file = members_csv(request.association)
    response = HttpResponse(file.content, content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{slug}-members-{day}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@admin_required
@require_safe
def licence_scan(request: AssociationRequest, slug: str, pk: int) -> FileResponse:
    profile = get_licence_scan_for_admin(request.membership, pk)
    suffix = PurePosixPath(profile.licence_scan.name or "").suffix
    return serve_private_file(profile.licence_scan, download_name=f"permis-{pk}{suffix}")

"""The association's home page: who it is, my place in it, where to go next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from core.fragments import cached_value
from core.pages import cached_page
from core.timeutils import local_today
from members.access import AssociationRequest, member_required
from members.checklist import start_checklist
from members.home_sections import home_sections, home_sections_change_at
from members.models import Membership
from members.selectors import count_pending_requests, home_key


@member_required
@require_safe
def home(request: AssociationRequest, slug: str) -> HttpResponse:
    """The page's body comes from the cache while nothing it shows has changed."""
    body = _home_body(request.membership)
    context = {"association": request.association, "membership": request.membership, "body": body}
    # The association and the membership are in the page's key (core.pages).
    return cached_page(request, "members/home.html", context, (body,))


@dataclass(frozen=True)
class HomeBody:
    html: str
    # The next moment a section changes with the clock alone, within the day (the founding
    # kit leaves after a year); the day itself is in the key.
    until: dt.datetime | None


def _home_body(membership: Membership) -> SafeString:
    """Cached under the association's home version and the viewer's driver profile (read
    first: core.fragments), every value of the membership and of the association (already
    read: what the page shows of them is what the key holds), the language and the day."""
    key = home_key(membership)
    association = membership.association
    parts = (
        key, _values(membership), _values(association), get_language(),
        local_today(association.tz),
    )  # fmt: skip

    def build() -> HomeBody:
        is_admin = membership.is_admin
        context = {
            "association": association,
            "membership": membership,
            "profile_complete": key.profile_complete,
            "pending_requests": count_pending_requests(association) if is_admin else 0,
            "sections": home_sections(membership),
            "checklist": start_checklist(association) if is_admin else None,
        }
        html = render_to_string("members/_home_body.html", context)
        return HomeBody(html=html, until=home_sections_change_at(membership))

    def still_valid(body: HomeBody) -> bool:
        return body.until is None or timezone.now() <= body.until

    return SafeString(cached_value("members:home", parts, build, still_valid).html)


def _values(row: Model) -> tuple[Any, ...]:
    return tuple(field.value_from_object(row) for field in row._meta.concrete_fields)

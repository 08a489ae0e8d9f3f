"""The admins' announcements: write one (to all, to the owners, to the drivers of a car),
the history, and one announcement with its delivery."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from bookings.access import get_announcement_for_admin
from bookings.forms import AnnouncementForm
from bookings.models import Announcement
from bookings.selectors.audiences import audience_sizes
from bookings.services.announcements import parse_audience, publish_announcement
from core.errors import DomainError
from core.forms import add_domain_error
from members.access import AssociationRequest, admin_required
from members.models import Association
from notifications.models import Notification
from vehicles.models import Vehicle

HISTORY_PAGE_SIZE = 20


def audience_choices(association: Association) -> list[tuple[str, str]]:
    """The audiences with the number of members each reaches now."""
    sizes = audience_sizes(association)

    def label(text: str, key: str) -> str:
        return f"{text} ({sizes.get(key, 0)})"

    choices = [
        ("all", label(_("All the members"), "all")),
        ("owners", label(_("The owners of the cars"), "owners")),
    ]
    for vehicle in Vehicle.objects.filter(association=association, is_active=True).order_by("name"):
        key = f"vehicle:{vehicle.pk}"
        choices.append((key, label(_("The drivers of %(car)s") % {"car": vehicle.name}, key)))
    return choices


@require_http_methods(["GET", "POST"])
@admin_required
def announcements(request: AssociationRequest, slug: str) -> HttpResponse:
    form = AnnouncementForm(request.POST or None, choices=audience_choices(request.association))
    if form.is_valid():
        data = form.cleaned_data
        try:
            audience, vehicle = parse_audience(request.membership, data["audience"])
            announcement = publish_announcement(
                actor=request.membership,
                subject=data["subject"],
                body=data["body"],
                audience=audience,
                vehicle=vehicle,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            count = announcement.recipients
            messages.success(
                request,
                ngettext(
                    "The announcement goes to %(count)s member.",
                    "The announcement goes to %(count)s members.",
                    count,
                )
                % {"count": count},
            )
            return redirect("bookings:announcement", slug=slug, pk=announcement.pk)
    recent = Announcement.objects.filter(association=request.association).select_related(
        "author", "vehicle"
    )[:5]
    context = {"form": form, "recent": recent}
    return render(
        request, "bookings/announcements.html", context, status=400 if form.errors else 200
    )


@require_safe
@admin_required
def announcement_history(request: AssociationRequest, slug: str) -> HttpResponse:
    written = Announcement.objects.filter(association=request.association).select_related(
        "author", "vehicle"
    )
    page = Paginator(written, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bookings/announcement_history.html", {"page": page})


@require_safe
@admin_required
def announcement_detail(request: AssociationRequest, slug: str, pk: int) -> HttpResponse:
    announcement = get_announcement_for_admin(request.membership, pk)
    delivery = dict(
        Notification.objects.filter(
            association=request.association, key=f"announcement:announcement:{pk}"
        )
        .values_list("status")
        .annotate(count=Count("id"))
        .order_by()
    )
    context = {"announcement": announcement, "delivery": delivery}
    return render(request, "bookings/announcement_detail.html", context)

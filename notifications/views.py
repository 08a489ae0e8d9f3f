"""The person's notifications (/me/notifications/) and the association's background jobs
page for admins (/<slug>/background-jobs/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import DomainError
from core.forms import add_domain_error, message_domain_error
from members.access import AssociationRequest, admin_required
from members.models import User
from notifications import selectors, services
from notifications.access import get_notification_for_admin, get_notification_for_user
from notifications.forms import NotificationPreferencesForm

PAGE_SIZE = 30


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - login_required ran first
    return request.user


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.notifications_of(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {"page": page, "unread": selectors.unread_count(request.user)}
    return render(request, "notifications/me/notifications.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    notification = get_notification_for_user(request.user, pk)
    services.mark_notification_read(user=_user(request), notification=notification)
    target = notification.url
    if request.POST.get("open") and target and url_has_allowed_host_and_scheme(target, None):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponseRedirect:
    count = services.mark_all_notifications_read(user=_user(request))
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = NotificationPreferencesForm(request.POST or None, current=selectors.preferences_of(user))
    if form.is_valid():
        try:
            services.set_notification_preferences(user=user, channels=form.channels())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your choices were saved."))
            return redirect("notifications:preferences")
    essential = [kind.label for kind in selectors.essential_kinds()]
    return render(
        request,
        "notifications/me/preferences.html",
        {"form": form, "essential": essential},
        status=400 if form.errors else 200,
    )


@admin_required
@require_safe
def background_jobs(request: AssociationRequest, slug: str) -> HttpResponse:
    association = request.association
    context = {
        "jobs": selectors.job_statuses(association),
        "counts": selectors.outbox_counts(association),
        "problems": selectors.outbox_problems(association),
    }
    return render(request, "notifications/background_jobs.html", context)


@admin_required
@require_POST
def notification_retry(request: AssociationRequest, slug: str, pk: int) -> HttpResponseRedirect:
    notification = get_notification_for_admin(request.membership, pk)
    try:
        services.retry_notification(actor=request.membership, notification=notification)
    except DomainError as error:
        message_domain_error(request, error)
    else:
        messages.success(request, _("The notification will be sent again."))
    return redirect("jobs:background_jobs", slug=slug)

"""Pages anyone may read: an association's public page with its contact form, and the
directory of the associations that chose to be listed. No personal data on them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.clientip import client_ip
from core.errors import DomainError
from core.forms import add_domain_error
from members.forms import ContactForm, DirectoryForm
from members.home_sections import public_sections
from members.models import Association
from members.selectors import directory as directory_of
from members.selectors import get_public_association, own_membership
from members.services.contact import send_contact_message, sender_key

DIRECTORY_PAGE_SIZE = 20


@require_http_methods(["GET", "POST"])
def about(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page: who the association is, how it works, its cars, a contact form.
    A message that looks automated is thanked like any other, and dropped."""
    association = get_public_association(slug)
    form = ContactForm(request.POST or None, slug=slug)
    status = 400 if form.errors else 200
    if form.is_valid():
        refusal = None if form.looks_automated() else _send(request, association, form)
        if refusal is None:
            messages.success(request, _("Your message was sent to the administrators."))
            return redirect(reverse("members:about", kwargs={"slug": slug}) + "#contact")
        add_domain_error(form, refusal)
        status = refusal.http_status
    context = _about_context(request, association, form)
    return render(request, "members/about.html", context, status=status)


def _send(request: HttpRequest, association: Association, form: ContactForm) -> DomainError | None:
    data = form.cleaned_data
    try:
        send_contact_message(
            association=association,
            name=data["name"],
            email=data["email"],
            body=data["message"],
            sender=sender_key(client_ip(request)),
        )
    except DomainError as error:
        return error
    return None


def _about_context(
    request: HttpRequest, association: Association, form: ContactForm
) -> dict[str, Any]:
    path = reverse("members:about", kwargs={"slug": association.slug})
    mine = own_membership(request.user, association.slug) if request.user.is_authenticated else None
    return {
        "association": association,
        "form": form,
        "sections": public_sections(association),
        "membership": mine,
        "page_url": settings.SITE_URL + path,
    }


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """The associations that chose to be listed, found by commune, name or postcode."""
    form = DirectoryForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = directory_of(text=filters.get("q", ""), postcode=filters.get("postcode", ""))
    page = Paginator(found, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "searched": bool(filters.get("q") or filters.get("postcode")),
    }
    return render(request, "members/directory.html", context, status=400 if form.errors else 200)

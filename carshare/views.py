"""The home page and the health check."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from members.selectors import memberships_of_user


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Signed in: the person's associations; otherwise what the platform is and how to join."""
    memberships = memberships_of_user(request.user) if request.user.is_authenticated else []
    return render(request, "home.html", {"memberships": memberships})


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 `ok` after one database round trip: no session, no template, no ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")

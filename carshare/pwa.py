"""The installable app: the web manifest, the service worker and its offline page.

The service worker (templates/pwa/sw.js) keeps, for the signed-in person only, "My
bookings" and the pages of their next bookings readable without network; any other page
answers the offline page. See docs/ARCHITECTURE.md, "Offline".
"""

from __future__ import annotations

import hashlib
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

THEME_COLOUR = "#0b5c3b"  # --green-700 of static/css/app.css

# Same-origin files the worker stores when it installs (the offline page comes with them).
PRECACHED_STATIC = (
    "css/app.css",
    "bookings/bookings.css",
    "bookings/grid-lines.css",
    "js/offline.js",
    "img/favicon.svg",
    "img/icon-192.png",
)


@require_safe
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "name": _("carshare — neighbour car sharing"),
        "short_name": "carshare",
        "description": _("Book the association's cars, see your bookings, even without signal."),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": icons,
    }
    return JsonResponse(body, content_type="application/manifest+json")


@require_safe
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker's script; a new list of files (a deployment) makes a new version."""
    precache = [reverse("offline"), *(static(name) for name in PRECACHED_STATIC)]
    context = {
        "version": hashlib.sha256(json.dumps(precache).encode()).hexdigest()[:12],
        "precache": json.dumps(precache),
        "offline_url": json.dumps(reverse("offline")),
        "logout_url": json.dumps(reverse("account_logout")),
        "static_prefix": json.dumps(static("")),
    }
    response = render(request, "pwa/sw.js", context, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What a page that was not kept shows without network: nobody's data, on purpose (the
    worker stores it when it installs, whoever is signed in)."""
    return render(request, "pwa/offline.html")

"""The client's address, the one every rate limit and lockout counts by.

`REMOTE_ADDR` is the address of whoever opened the connection. Behind reverse proxies it is
the last proxy's; each proxy appends the address it received the request from to
X-Forwarded-For, so with N trusted proxies the client is the N-th entry from the right.
Everything left of that was written by the client and proves nothing. settings.
TRUSTED_PROXY_COUNT says N (0, the default: the header is ignored).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "0.0.0.0"  # noqa: S104 - a placeholder value, never bound


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent `request` (see the module's docstring)."""
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count or not forwarded[0]:
        # Fewer entries than proxies: the request did not come through all of them.
        return remote
    return _valid(forwarded[-count]) or remote


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None

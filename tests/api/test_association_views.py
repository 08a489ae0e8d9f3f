"""Every association-scoped API view resolves its caller one way: members.api_access's
AssociationAPIView (404 outside the association, the association's time zone active)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from members.api_access import AssociationAPIView

PREFIX = "api/v1/associations/<slug:slug>/"


def api_patterns(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, type]]:
    """(route, view class) of every class-based view under the URL map."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from api_patterns(pattern.url_patterns, route)
        else:
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class is not None:
                yield route, view_class


def test_every_association_api_view_derives_from_association_api_view():
    scoped = [(r, v) for r, v in api_patterns(get_resolver().url_patterns) if r.startswith(PREFIX)]
    assert len(scoped) > 20  # the walk found the apps' endpoints
    others = sorted(
        f"{route} {view.__module__}.{view.__name__}"
        for route, view in scoped
        if not issubclass(view, AssociationAPIView)
    )
    assert not others, "\n".join(others)

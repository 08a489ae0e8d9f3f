"""`{% me_links as links %}`: the pages other apps add to the person's own menu."""

from __future__ import annotations

from django import template

from members import me_pages

register = template.Library()


@register.simple_tag
def me_links() -> list[me_pages.MeLink]:
    return me_pages.me_links()

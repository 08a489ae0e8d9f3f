"""How each URL pattern of the project must answer each caller.

Every named URL pattern must be classified here (in `cases_<app>.py` modules); the tenancy
test fails on any pattern it cannot classify, so a new view cannot ship unprotected.

Access kinds:
- PUBLIC: anyone (health check, log-in pages, secret-token feeds checked elsewhere);
- AUTHENTICATED: any signed-in person, whatever their associations (their own pages);
- MEMBER: active members of the association; strangers get 404;
- ADMIN: admins of the association; members get 403, strangers 404;
- STAFF: the Django admin for platform operators (is_staff);
- OWN: a person's own object fetched by id (a notification): the world's `member` owns it,
  anyone else gets 404;
- PUBLIC_PAGE: a page of an association anyone may read (its public page, a car photo
  chosen for it) while the admins have opened the public page: the walk opens it and
  expects every caller to be answered, then closes it and suspends the association in turn
  and expects a 404 for every caller, the association's own admin included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Access(Enum):
    PUBLIC = "public"
    AUTHENTICATED = "authenticated"
    MEMBER = "member"
    ADMIN = "admin"
    STAFF = "staff"
    OWN = "own"
    PUBLIC_PAGE = "public_page"


@dataclass(frozen=True)
class Case:
    access: Access
    # Builds the URL kwargs from the World (objects of the association under test).
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda world: {})
    methods: tuple[str, ...] = ("GET",)
    # API endpoints answer 401/403 to anonymous callers instead of redirecting to log-in.
    api: bool = False
    # Who may see but not change (MEMBER pages whose POST is for admins or owners): the
    # status a member gets on POST; None means the member's POST is judged like GET.
    member_post_status: int | None = None


def slug_only(world: Any) -> dict[str, Any]:
    return {"slug": world.association.slug}

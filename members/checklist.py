"""The start checklist of a new association, shown to its admins on the home page until done.

Each step belongs to the app whose data tick it; an app registers its steps in its
AppConfig.ready():

    register_start_step(StartStep("first_car", 20, _("A first car…"), _("…"), url, is_done))

`url(association)` is the existing page that does the step (it may depend on the data: the
car that still lacks its insurance), `is_done(association)` reads the data (one query).
Members does not import the apps that register. The checklist is part of the cached home
page: a step reads only the association's own values and rows whose every write bumps its
home version (see members.home_sections).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.models import Association


@dataclass(frozen=True)
class StartStep:
    name: str
    order: int
    label: str | Promise
    hint: str | Promise
    url: Callable[[Association], str]
    is_done: Callable[[Association], bool]


@dataclass(frozen=True)
class ChecklistItem:
    name: str
    label: str | Promise
    hint: str | Promise
    url: str
    done: bool


_steps: dict[str, StartStep] = {}


def register_start_step(step: StartStep) -> None:
    """Add (or replace) a step; steps are shown by `order`."""
    _steps[step.name] = step


def start_checklist(association: Association) -> list[ChecklistItem] | None:
    """The steps with their state, or None once every step is done."""
    items = [
        ChecklistItem(
            step.name, step.label, step.hint, step.url(association), step.is_done(association)
        )
        for step in sorted(_steps.values(), key=lambda step: step.order)
    ]
    if all(item.done for item in items):
        return None
    return items


# --- Members' own steps (registered in MembersConfig.ready()) --------------------------------


def _rules_confirmed(association: Association) -> bool:
    return association.rules_confirmed_at is not None


def _first_invitation(association: Association) -> bool:
    others = association.memberships.all()
    if association.founded_by_id is not None:
        others = others.exclude(user_id=association.founded_by_id)
    return association.invitations.exists() or others.exists()


RULES_STEP = StartStep(
    name="rules",
    order=10,
    label=_("The rules: fee, deposit, approval and notice"),
    hint=_(
        "Check the membership fee, the deposit, whether owners approve bookings and how long "
        "before a booking must be made, then save: the defaults suit most associations."
    ),
    url=lambda association: (
        reverse("members:settings", kwargs={"slug": association.slug}) + "#rules"
    ),
    is_done=_rules_confirmed,
)
INVITATIONS_STEP = StartStep(
    name="invitations",
    order=40,
    label=_("The first invitations"),
    hint=_("Invite the neighbours who will drive or lend a car: each gets an e-mail with a link."),
    url=lambda association: reverse("members:invite", kwargs={"slug": association.slug}),
    is_done=_first_invitation,
)

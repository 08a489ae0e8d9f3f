"""What each kind of document is: its default template file, its page set-up, the context
keys it expects, and a sample context (used for previews, the editing page and tests).

Every document also receives `association` (contracts.context.association_context) and
`today` (the association's local date), added by contracts.rendering.render_document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from contracts.models import DocumentKind
from contracts.samples import (
    DEFAULTS_DIR,
    sample_agreement,
    sample_driver_designation,
    sample_handover_checklist,
    sample_internal_rules,
    sample_logbook,
    sample_member_statement,
    sample_membership_form,
    sample_statutes,
)


@dataclass(frozen=True)
class Gap:
    """A required field the context leaves empty: where, and what it is, for people (a
    lazy text, read in the reader's language, with the name of whom it concerns)."""

    path: str  # "driver.birth_place", "holders.0.address"
    label: str | Promise
    name: str = ""

    def describe(self) -> str:
        return str(self.label) % {"name": self.name}


def no_gaps(context: dict[str, Any]) -> list[Gap]:
    return []


def designation_gaps(context: dict[str, Any]) -> list[Gap]:
    """What the designation of a driver must state (Code de la route, R121-6 and A121-2):
    the driver's names, date and place of birth, address and licence number; the holder's
    name and address."""
    driver = context["driver"]
    name = driver.get("full_name") or driver.get("email", "")
    wanted = [
        ("driver.last_name", driver.get("last_name"), _("the surname of the driver")),
        ("driver.first_name", driver.get("first_name"), _("the first name of %(name)s")),
        ("driver.birth_date", driver.get("birth_date"), _("the birth date of %(name)s")),
        ("driver.birth_place", driver.get("birth_place"), _("the place of birth of %(name)s")),
        ("driver.address", driver.get("address"), _("the postal address of %(name)s")),
        (
            "driver.licence.number",
            driver.get("licence", {}).get("number"),
            _("the licence number of %(name)s"),
        ),
    ]
    gaps = [Gap(path, label, name) for path, value, label in wanted if not value]
    for index, holder in enumerate(context.get("holders") or [context["holder"]]):
        if not holder.get("full_name"):
            gaps.append(Gap(f"holders.{index}.full_name", _("the name of the holder")))
        elif not holder.get("address"):
            label = _("the address of the registration holder %(name)s")
            gaps.append(Gap(f"holders.{index}.address", label, holder["full_name"]))
    return gaps


@dataclass(frozen=True)
class KindSpec:
    kind: DocumentKind
    title: str | Promise
    keys: tuple[str, ...]  # top-level keys the caller provides
    sample: Callable[[], dict[str, Any]]
    initials_box: bool = False
    landscape: bool = False
    # The legally required fields the context leaves empty (the document is refused then).
    gaps: Callable[[dict[str, Any]], list[Gap]] = no_gaps

    @property
    def default_path(self) -> Path:
        return DEFAULTS_DIR / f"{self.kind}.html"


KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            DocumentKind.AGREEMENT,
            _("Car-sharing agreement"),
            ("vehicle", "lender", "driver", "insurance", "deductible", "tariff", "deposit"),
            sample_agreement,
            initials_box=True,
        ),
        KindSpec(
            DocumentKind.MEMBERSHIP_FORM, _("Membership form"), ("member",), sample_membership_form
        ),
        KindSpec(
            DocumentKind.HANDOVER_CHECKLIST,
            _("Handover checklist"),
            ("vehicle", "lender", "driver", "booking"),
            sample_handover_checklist,
        ),
        KindSpec(
            DocumentKind.LOGBOOK,
            _("Logbook"),
            ("vehicle", "lender", "tariff", "rows"),
            sample_logbook,
            landscape=True,
        ),
        KindSpec(
            DocumentKind.DRIVER_DESIGNATION,
            _("Driver designation"),
            ("vehicle", "holder", "holders", "driver", "agreement", "fine"),
            sample_driver_designation,
            gaps=designation_gaps,
        ),
        KindSpec(
            DocumentKind.MEMBER_STATEMENT,
            _("Member statement"),
            (
                "member",
                "period",
                "opening_balance",
                "lines",
                "totals",
                "closing_balance",
            ),
            sample_member_statement,
        ),
        KindSpec(DocumentKind.STATUTES, _("Statutes"), ("founding",), sample_statutes),
        KindSpec(
            DocumentKind.INTERNAL_RULES, _("Internal rules"), ("cars",), sample_internal_rules
        ),
    )
}


def spec_for(kind: str) -> KindSpec:
    """The spec of `kind`; KeyError for an unknown kind."""
    return KINDS[kind]

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
    sample_logbook,
    sample_member_statement,
    sample_membership_form,
)


@dataclass(frozen=True)
class KindSpec:
    kind: DocumentKind
    title: str | Promise
    keys: tuple[str, ...]  # top-level keys the caller provides
    sample: Callable[[], dict[str, Any]]
    initials_box: bool = False
    landscape: bool = False

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
            ("vehicle", "holder", "driver", "agreement", "fine"),
            sample_driver_designation,
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
    )
}


def spec_for(kind: str) -> KindSpec:
    """The spec of `kind`; KeyError for an unknown kind."""
    return KINDS[kind]

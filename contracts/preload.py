"""Imported once by the rendering fork server (core.bounded), never by web code: compiles
the shipped default templates and renders the sample agreement, so that every worker
forked afterwards starts with the templates compiled and the fonts, CSS and text-layout
caches warm. Plain Python only (no Django set-up in the fork server)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from contracts.samples import DEFAULTS_DIR, sample_agreement
from contracts.sandbox import compiled, render_source, wrap_document
from core.pdf import PdfJob, page_css

logger = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent / "static"


def warm_up() -> None:
    for path in sorted(DEFAULTS_DIR.glob("*.html")):
        compiled(path.read_text(encoding="utf-8"))
    context = sample_agreement() | {
        "association": {
            "name": "Autopartage",
            "commune": "Villerouge",
            "address": "",
            "contact_email": "",
            "membership_fee": 0,
            "fee_period": "year",
            "deposit_rule": "deductible",
            "deposit_amount": 0,
            "settlement_period": "month",
            "expense_sharing": "km",
        },
        "today": dt.date(2025, 1, 1),
    }
    body = render_source((DEFAULTS_DIR / "agreement.html").read_text(encoding="utf-8"), context)
    from core.pdf_worker import write_pdf

    write_pdf(
        PdfJob(
            html=wrap_document(body, title="Contrat", language="fr"),
            title="Contrat",
            language="fr",
            page_css=page_css(
                title="Contrat",
                header="Autopartage",
                initials_box=True,
                landscape=False,
                labels={"page": "Page", "initials": "Paraphes"},
            ),
            stylesheets=("contracts/print.css",),
            static_files={"contracts/print.css": str(STATIC_DIR / "contracts" / "print.css")},
        )
    )


try:
    warm_up()
except Exception:  # a failed warm-up must not take the fork server down
    logger.exception("contracts: rendering warm-up failed")

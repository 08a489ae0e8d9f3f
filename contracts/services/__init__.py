"""Writes of contracts: agreements (agreements.py) and document templates (templates.py)."""

from contracts.services.agreements import (
    agreement_downloaded,
    end_agreement,
    generate_agreement,
    mark_agreement_printed,
    mark_outdated_agreements,
    record_agreement_signature,
)
from contracts.services.templates import copy_default_template, save_template_version

__all__ = [
    "agreement_downloaded",
    "copy_default_template",
    "end_agreement",
    "generate_agreement",
    "mark_agreement_printed",
    "mark_outdated_agreements",
    "record_agreement_signature",
    "save_template_version",
]

"""The triggers that bump an association's home version (members.db) on every write of what
the start checklist's step "the agreement template" reads: the association's templates,
their saved versions, its agreements."""

from __future__ import annotations

from members.db import home_version_trigger

VERSION_TRIGGERS = (
    home_version_trigger("contracts_documenttemplate", "{row}.association_id"),
    home_version_trigger(
        "contracts_templateversion",
        "(SELECT association_id FROM contracts_documenttemplate WHERE id = {row}.template_id)",
    ),
    home_version_trigger("contracts_agreement", "{row}.association_id"),
)
